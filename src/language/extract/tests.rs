use super::value::{fraction_percent, read_groups, Dec};
use super::*;
use crate::base::lang::fold;
use crate::date::{parse_date_value, DateRange};
use crate::statement::{parse_date_statement, parse_number_statement, Stated, QUALIFIERS};

/// (text as written, kind, value, qualifier) of every finding.
fn found(text: &str, lang: Lang) -> Vec<(String, Kind, String, Option<&'static str>)> {
    extract(text, lang)
        .into_iter()
        .map(|f| (f.text, f.kind, f.value, f.qualifier))
        .collect()
}

fn f(
    text: &str,
    kind: Kind,
    value: &str,
    qualifier: Option<&'static str>,
) -> (String, Kind, String, Option<&'static str>) {
    (text.to_string(), kind, value.to_string(), qualifier)
}

/// The single finding in `text`, as (text, kind, value, qualifier).
fn one(text: &str, lang: Lang) -> (String, Kind, String, Option<&'static str>) {
    let all = found(text, lang);
    assert_eq!(all.len(), 1, "{text:?} → {all:?}");
    all.into_iter()
        .next()
        .unwrap_or_else(|| f("", Kind::Number, "", None))
}

/// (value, qualifier) of the single finding.
fn val(text: &str, lang: Lang) -> (String, Option<&'static str>) {
    let (_, _, v, q) = one(text, lang);
    (v, q)
}

fn v(value: &str) -> (String, Option<&'static str>) {
    (value.to_string(), None)
}

fn vq(value: &str, q: &'static str) -> (String, Option<&'static str>) {
    (value.to_string(), Some(q))
}

fn as_of() -> DateRange {
    parse_date_value("2025-05-27").unwrap_or(DateRange::unknown())
}

// --- infrastructure ----------------------------------------------------------

#[test]
fn every_regex_compiles() {
    assert!(scan::regexes_compile());
}

#[test]
fn folding_lowercases_and_drops_accents_but_keeps_enye() {
    assert_eq!(fold("Más"), "mas");
    assert_eq!(fold("AÑOS"), "años");
    assert_eq!(fold("veintiún"), "veintiun");
    assert_eq!(fold("Sólo"), "solo");
    // decomposed: "a\u{301}" and "n\u{303}"
    assert_eq!(fold("ma\u{301}s"), "mas");
    assert_eq!(fold("an\u{303}o"), "año");
}

#[test]
fn digit_groups_read_by_shape_and_language() {
    let read = |groups: &[&str], seps: &[char], lang| {
        read_groups(groups, seps, lang).map(|(d, used)| (d.to_string(), used))
    };
    let r = |s: &str, used: usize| Some((s.to_string(), used));
    // one separator + three digits: by language
    assert_eq!(read(&["1", "200"], &['.'], Lang::Es), r("1200", 2));
    assert_eq!(read(&["1", "200"], &[','], Lang::En), r("1200", 2));
    assert_eq!(read(&["1", "200"], &['.'], Lang::En), r("1.200", 2));
    assert_eq!(read(&["1", "200"], &[','], Lang::Es), r("1.200", 2));
    // other group lengths: decimal whatever the language
    assert_eq!(read(&["3", "5"], &[','], Lang::Es), r("3.5", 2));
    assert_eq!(read(&["3", "5"], &['.'], Lang::Es), r("3.5", 2));
    assert_eq!(read(&["3", "50"], &[','], Lang::En), r("3.50", 2));
    assert_eq!(read(&["0", "500"], &[','], Lang::En), r("0.500", 2));
    // several of one kind: thousands
    assert_eq!(
        read(&["1", "234", "567"], &['.', '.'], Lang::En),
        r("1234567", 3)
    );
    // mixed: the last is the decimal point
    assert_eq!(
        read(&["1", "234", "5"], &['.', ','], Lang::Es),
        r("1234.5", 3)
    );
    assert_eq!(
        read(&["1", "234", "5"], &[',', '.'], Lang::Es),
        r("1234.5", 3)
    );
    // non-breaking space groups
    assert_eq!(read(&["12", "000"], &[' '], Lang::Es), r("12000", 2));
    // "1,2,3" is not one number: the longest prefix that is
    assert_eq!(read(&["1", "2", "3"], &[',', ','], Lang::Es), r("1.2", 2));
}

#[test]
fn decimals_print_and_scale_exactly() {
    let d = |i: &str, fr: &str| Dec::from_digits(i, fr);
    assert_eq!(d("3", "05").map(|x| x.to_string()), Some("3.05".into()));
    assert_eq!(d("0", "5").map(|x| x.to_string()), Some("0.5".into()));
    assert_eq!(
        d("1", "5")
            .and_then(|x| x.times_pow10(6))
            .map(|x| x.to_string()),
        Some("1500000".into())
    );
    assert_eq!(Dec::int(5).half().to_string(), "2.5");
    assert_eq!(Dec::int(10).half().to_string(), "5");
    assert_eq!(
        Dec::int(2).plus_half().map(|x| x.to_string()),
        Some("2.5".into())
    );
    assert!(d("1", "00").is_some_and(Dec::is_one));
    assert_eq!(d("12a", ""), None);
    assert_eq!(d(&"9".repeat(40), ""), None);
}

#[test]
fn fractions_as_percentages() {
    assert_eq!(fraction_percent(1, 2).as_deref(), Some("50%"));
    assert_eq!(fraction_percent(1, 3).as_deref(), Some("33.3%"));
    assert_eq!(fraction_percent(2, 3).as_deref(), Some("66.7%"));
    assert_eq!(fraction_percent(3, 4).as_deref(), Some("75%"));
    assert_eq!(fraction_percent(1, 0), None);
}

#[test]
fn language_codes_and_detection() {
    assert_eq!(Lang::from_code("es"), Some(Lang::Es));
    assert_eq!(Lang::from_code("es-ES"), Some(Lang::Es));
    assert_eq!(Lang::from_code("EN_us"), Some(Lang::En));
    assert_eq!(Lang::from_code("fr"), None);
    assert_eq!(
        Lang::detect("Los otros once miembros del equipo han partido."),
        Lang::Es
    );
    assert_eq!(
        Lang::detect("The other eleven members of the team have left."),
        Lang::En
    );
    assert_eq!(Lang::detect(""), Lang::En);
    assert_eq!(Lang::Es.code(), "es");
}

#[test]
fn spanish_qualifiers_translate_to_words_the_statement_parser_knows() {
    let known: Vec<&str> = QUALIFIERS
        .iter()
        .filter(|d| d.takes_number)
        .flat_map(|d| d.words.iter().copied())
        .collect();
    for (words, en) in Lang::Es.words().qualifiers {
        assert!(known.contains(en), "{words:?} → {en}");
        for w in *words {
            assert_eq!(fold(w), *w, "lexicon words are folded: {w}");
        }
    }
    let relations = Lang::ALL
        .iter()
        .flat_map(|l| l.words().date_relations.iter());
    for (_, rel) in relations {
        let ok = parse_date_statement(&format!("{rel} 2025"), &as_of()).is_ok();
        assert!(ok, "{rel}");
    }
}

// --- numbers -----------------------------------------------------------------

#[test]
fn digits_with_separators_read_by_language() {
    assert_eq!(val("Tiene 1.200 empleados.", Lang::Es), v("1200"));
    assert_eq!(val("It has 1,200 employees.", Lang::En), v("1200"));
    assert_eq!(val("Creció un 3,5 en el año.", Lang::Es), v("3.5"));
    assert_eq!(val("It grew by 3.5 points.", Lang::En), v("3.5"));
    assert_eq!(val("It has 1,234,567 users.", Lang::En), v("1234567"));
    assert_eq!(val("Hay 1.234.567,89 euros.", Lang::Es), v("1234567.89"));
    assert_eq!(val("Hay 12\u{a0}000 personas.", Lang::Es), v("12000"));
    // the sentence's full stop is not a decimal point
    assert_eq!(val("They were 14.", Lang::En), v("14"));
}

#[test]
fn scale_words_multiply() {
    assert_eq!(val("Costó 2,5 millones de euros.", Lang::Es), v("2500000"));
    assert_eq!(val("It cost $3 million.", Lang::En), v("3000000"));
    assert_eq!(val("Invirtió 3 mil millones.", Lang::Es), v("3000000000"));
    assert_eq!(val("Ganó 40 mil dólares.", Lang::Es), v("40000"));
}

#[test]
fn english_number_words() {
    let cases = [
        ("fourteen researchers", "14"),
        ("twenty-one days ago they met", "21 days"),
        ("twenty one authors", "21"),
        ("three hundred and five people", "305"),
        ("a hundred people", "100"),
        ("two thousand three hundred people", "2300"),
        ("a dozen people", "12"),
        ("two dozen people", "24"),
        ("zero errors", "0"),
        ("ninety-nine problems", "99"),
    ];
    for (text, want) in cases {
        assert_eq!(val(text, Lang::En).0, want, "{text}");
    }
}

#[test]
fn spanish_number_words() {
    let cases = [
        ("catorce investigadores", "14"),
        ("los otros once miembros", "11"),
        ("veintiún autores", "21"),
        ("veintitrés autores", "23"),
        ("treinta y un autores", "31"),
        ("ciento cinco personas", "105"),
        ("trescientos autores", "300"),
        ("trescientas cuarenta y dos personas", "342"),
        ("cien personas", "100"),
        ("dos mil personas", "2000"),
        ("mil personas", "1000"),
        ("dos millones trescientos mil habitantes", "2300000"),
        ("una docena de autores", "12"),
        ("dieciséis autores", "16"),
    ];
    for (text, want) in cases {
        assert_eq!(val(text, Lang::Es).0, want, "{text}");
    }
}

#[test]
fn lone_one_and_articles_are_not_numbers() {
    assert_eq!(
        found("Una nueva empresa y un grupo de exalumnos.", Lang::Es),
        []
    );
    assert_eq!(found("One of them said a word.", Lang::En), []);
    assert_eq!(found("una vez al mes", Lang::Es), []);
    // but one after a qualifier is
    assert_eq!(val("solo uno sigue", Lang::Es), vq("1", "only"));
    assert_eq!(val("only one remains", Lang::En), vq("1", "only"));
    // "por ciento" alone is not a hundred
    assert_eq!(found("el por ciento", Lang::Es), []);
    // "once" is eleven only in Spanish
    assert_eq!(found("It was once great.", Lang::En), []);
}

#[test]
fn words_of_the_other_language_are_not_numbers() {
    assert_eq!(found("dos tres", Lang::En), []);
    assert_eq!(found("two three", Lang::Es), []);
}

// --- percentages and ratios --------------------------------------------------

#[test]
fn percentages() {
    assert_eq!(
        one("el 78% de los investigadores", Lang::Es),
        f("78%", Kind::Percent, "78%", None)
    );
    assert_eq!(val("el 78 % de ellos", Lang::Es), v("78%"));
    assert_eq!(val("el 78 por ciento de ellos", Lang::Es), v("78%"));
    assert_eq!(val("78 percent of them", Lang::En), v("78%"));
    assert_eq!(val("78 per cent of them", Lang::En), v("78%"));
    assert_eq!(val("un 78,6% del total", Lang::Es), v("78.6%"));
    assert_eq!(val("setenta y ocho por ciento", Lang::Es), v("78%"));
    assert_eq!(val("ten percent", Lang::En), v("10%"));
    assert_eq!(val("cien por ciento", Lang::Es), v("100%"));
    // "percentage points" is not "percent"
    assert_eq!(one("5 percentage points", Lang::En).1, Kind::Number);
}

#[test]
fn n_of_m() {
    assert_eq!(
        one("11 of 14 authors", Lang::En),
        f("11 of 14", Kind::Ratio, "11 of 14", None)
    );
    assert_eq!(val("11 of the 14 authors", Lang::En), v("11 of 14"));
    assert_eq!(val("eleven out of fourteen", Lang::En), v("11 of 14"));
    assert_eq!(val("one in three adults", Lang::En), v("1 of 3"));
    assert_eq!(val("one of the 14 authors", Lang::En), v("1 of 14"));
    assert_eq!(val("11 de los 14 autores", Lang::Es), v("11 of 14"));
    assert_eq!(val("once de los catorce autores", Lang::Es), v("11 of 14"));
    assert_eq!(val("3 de cada 10 personas", Lang::Es), v("3 of 10"));
    assert_eq!(val("uno de los catorce", Lang::Es), v("1 of 14"));
    // a year is not a whole; a part larger than the whole is not a ratio
    assert_eq!(
        found("3 de 2023", Lang::Es),
        [
            f("3", Kind::Number, "3", None),
            f("2023", Kind::Date, "2023", None)
        ]
    );
    assert_eq!(found("14 of 11", Lang::En).len(), 2);
    // the statement is the part, with its qualifier
    let r = extract("only 3 of the 14 authors", Lang::En);
    assert_eq!(r.first().map(Finding::statement).as_deref(), Some("only 3"));
}

#[test]
fn fractions() {
    assert_eq!(
        one("la mitad de los autores", Lang::Es),
        f("la mitad", Kind::Fraction, "50%", None)
    );
    assert_eq!(val("half of the authors", Lang::En), v("50%"));
    assert_eq!(val("a third of the authors", Lang::En), v("33.3%"));
    assert_eq!(val("a quarter of them", Lang::En), v("25%"));
    assert_eq!(val("two-thirds of them", Lang::En), v("66.7%"));
    assert_eq!(val("three quarters of them", Lang::En), v("75%"));
    assert_eq!(val("un tercio de ellos", Lang::Es), v("33.3%"));
    assert_eq!(val("dos tercios de ellos", Lang::Es), v("66.7%"));
    assert_eq!(val("tres cuartos de ellos", Lang::Es), v("75%"));
    assert_eq!(val("la tercera parte de ellos", Lang::Es), v("33.3%"));
    assert_eq!(val("las dos terceras partes", Lang::Es), v("66.7%"));
    assert_eq!(val("más de la mitad", Lang::Es), vq("50%", "more than"));
    assert_eq!(val("nearly a third", Lang::En), vq("33.3%", "nearly"));
    // a room, not a quarter
    assert_eq!(found("un cuarto oscuro", Lang::Es), []);
}

#[test]
fn quantifiers() {
    assert_eq!(
        one("han partido en su mayoría", Lang::Es),
        f("en su mayoría", Kind::Quantifier, "most", None)
    );
    assert_eq!(val("la mayoría de los autores", Lang::Es), v("most"));
    assert_eq!(val("most of the authors left", Lang::En), v("most"));
    assert_eq!(val("the majority left", Lang::En), v("most"));
    assert_eq!(found("the most important paper", Lang::En), []);
    assert_eq!(found("at most of", Lang::En), []);
}

// --- durations ---------------------------------------------------------------

#[test]
fn durations() {
    assert_eq!(
        one("promediaron más de cinco años", Lang::Es),
        f(
            "más de cinco años",
            Kind::Duration,
            "5 years",
            Some("more than")
        )
    );
    assert_eq!(val("cinco años", Lang::Es), v("5 years"));
    assert_eq!(val("18 months", Lang::En), v("18 months"));
    assert_eq!(val("18 meses", Lang::Es), v("18 months"));
    assert_eq!(val("five years", Lang::En), v("5 years"));
    assert_eq!(val("un año", Lang::Es), v("1 year"));
    assert_eq!(val("one day", Lang::En), v("1 day"));
    assert_eq!(val("3 weeks", Lang::En), v("21 days"));
    assert_eq!(val("dos semanas", Lang::Es), v("14 days"));
    assert_eq!(val("a decade", Lang::En), v("10 years"));
    assert_eq!(val("una década", Lang::Es), v("10 years"));
    assert_eq!(val("two decades", Lang::En), v("20 years"));
    assert_eq!(val("1,5 décadas", Lang::Es), v("15 years"));
    assert_eq!(val("media década", Lang::Es), v("5 years"));
    assert_eq!(val("half a decade", Lang::En), v("5 years"));
    assert_eq!(val("un lustro", Lang::Es), v("5 years"));
    assert_eq!(val("medio año", Lang::Es), v("6 months"));
    assert_eq!(val("two and a half years", Lang::En), v("2.5 years"));
    assert_eq!(val("a year and a half", Lang::En), v("1.5 years"));
    assert_eq!(val("dos años y medio", Lang::Es), v("2.5 years"));
    assert_eq!(val("un año y medio", Lang::Es), v("1.5 years"));
    assert_eq!(val("a five-year plan", Lang::En), v("5 years"));
    assert_eq!(val("durante ocho años", Lang::Es), v("8 years"));
    assert_eq!(val("casi tres años", Lang::Es), vq("3 years", "nearly"));
    assert_eq!(val("over a year", Lang::En), vq("1 year", "over"));
    assert_eq!(val("at least 6 years", Lang::En), vq("6 years", "at least"));
    assert_eq!(val("2.5 years", Lang::En), v("2.5 years"));
    // "a year" alone is an idiom ("twice a year"), not a finding
    assert_eq!(found("twice a year", Lang::En), []);
}

// --- dates and periods -------------------------------------------------------

#[test]
fn dates() {
    assert_eq!(
        one("el 27 de mayo de 2025", Lang::Es),
        f("27 de mayo de 2025", Kind::Date, "2025-05-27", None)
    );
    assert_eq!(val("May 27, 2025", Lang::En), v("2025-05-27"));
    assert_eq!(val("May 27th 2025", Lang::En), v("2025-05-27"));
    assert_eq!(val("27 May 2025", Lang::En), v("2025-05-27"));
    assert_eq!(val("the 1st of May, 2025", Lang::En), v("2025-05-01"));
    assert_eq!(val("1º de mayo del 2025", Lang::Es), v("2025-05-01"));
    assert_eq!(val("January 2023", Lang::En), v("January 2023"));
    assert_eq!(val("Sept. 2024", Lang::En), v("September 2024"));
    assert_eq!(val("enero de 2023", Lang::Es), v("January 2023"));
    assert_eq!(val("en mayo del 2025", Lang::Es), v("May 2025"));
    assert_eq!(val("2025-05-27", Lang::En), v("2025-05-27"));
    assert_eq!(val("2025-05", Lang::En), v("2025-05"));
    assert_eq!(val("in 2023", Lang::En), v("2023"));
    assert_eq!(one("In 2023 it left", Lang::En).1, Kind::Date);
    // impossible days are not dates
    assert_eq!(found("2025-02-30 and 2025-13", Lang::En), []);
    assert_eq!(found("February 30, 2025", Lang::En), []);
    assert_eq!(val("29 de febrero de 2024", Lang::Es), v("2024-02-29"));
    // a day without a year cannot be stated, and is not a number either
    assert_eq!(found("on May 27 they left", Lang::En), []);
    assert_eq!(found("el 27 de mayo", Lang::Es), []);
}

#[test]
fn periods() {
    let cases = [
        ("a principios de 2025", Lang::Es, "early 2025"),
        ("a comienzos del 2025", Lang::Es, "early 2025"),
        ("a finales de 2024", Lang::Es, "late 2024"),
        ("a mediados de 2024", Lang::Es, "mid 2024"),
        (
            "la primera mitad de 2024",
            Lang::Es,
            "the first half of 2024",
        ),
        (
            "el segundo semestre de 2024",
            Lang::Es,
            "the second half of 2024",
        ),
        ("el mes pasado", Lang::Es, "last month"),
        ("el año pasado", Lang::Es, "last year"),
        ("a finales del año pasado", Lang::Es, "last year"),
        ("este año", Lang::Es, "this year"),
        ("el año que viene", Lang::Es, "next year"),
        ("in early 2025", Lang::En, "early 2025"),
        ("by mid-2024", Lang::En, "mid 2024"),
        ("in late 2024", Lang::En, "late 2024"),
        ("at the end of 2024", Lang::En, "late 2024"),
        ("the first half of 2025", Lang::En, "the first half of 2025"),
        ("last month", Lang::En, "last month"),
        ("last year", Lang::En, "last year"),
        ("this year", Lang::En, "this year"),
    ];
    for (text, lang, want) in cases {
        let (_, kind, value, _) = one(text, lang);
        assert_eq!((kind, value.as_str()), (Kind::Period, want), "{text}");
    }
    assert_eq!(
        one("el mes pasado", Lang::Es),
        f("el mes pasado", Kind::Period, "last month", None)
    );
}

#[test]
fn date_relations_are_qualifiers() {
    assert_eq!(
        one("desde enero de 2023", Lang::Es),
        f(
            "desde enero de 2023",
            Kind::Date,
            "January 2023",
            Some("since")
        )
    );
    assert_eq!(val("antes de 2020", Lang::Es), vq("2020", "before"));
    assert_eq!(
        val("después del 27 de mayo de 2025", Lang::Es),
        vq("2025-05-27", "after")
    );
    assert_eq!(val("since last year", Lang::En), vq("last year", "since"));
    assert_eq!(val("by mid-2024", Lang::En), vq("mid 2024", "by"));
    assert_eq!(
        val("a partir de finales de 2023", Lang::Es),
        vq("late 2023", "since")
    );
    // "desde … hasta" starts a range: the date alone
    assert_eq!(
        found("abarcan desde enero de 2023 hasta el ciclo", Lang::Es),
        [f("enero de 2023", Kind::Date, "January 2023", None)]
    );
    // "until" relates two dates on its own (see `relations`)
    assert_eq!(
        found("since 2020 until now", Lang::En),
        [
            f("2020", Kind::Date, "2020", None),
            f("until", Kind::Relation, "until", None)
        ]
    );
    // a date qualifier does not attach to a figure, nor a figure's to a date
    assert_eq!(val("by 5%", Lang::En), v("5%"));
    assert_eq!(
        found("hasta 2025", Lang::Es),
        [
            f("hasta", Kind::Relation, "until", None),
            f("2025", Kind::Date, "2025", None)
        ]
    );
}

// --- qualifiers --------------------------------------------------------------

#[test]
fn figure_qualifiers() {
    let es = [
        ("más de 5", "more than"),
        ("más del 50%", "more than"),
        ("menos de 10", "less than"),
        ("solo tres", "only"),
        ("sólo tres", "only"),
        ("solamente tres", "only"),
        ("casi el 80%", "nearly"),
        ("unos 14", "about"),
        ("alrededor de 14", "around"),
        ("alrededor del 14%", "around"),
        ("aproximadamente 14", "approximately"),
        ("al menos 3", "at least"),
        ("por lo menos 3", "at least"),
        ("no más de 3", "no more than"),
        ("cerca de 3", "close to"),
        ("hasta 3", "up to"),
    ];
    for (text, q) in es {
        assert_eq!(val(text, Lang::Es).1, Some(q), "{text}");
        assert_eq!(
            one(text, Lang::Es).0,
            text,
            "the span starts at the qualifier"
        );
    }
    let en = [
        ("more than 5", "more than"),
        ("less than 10", "less than"),
        ("fewer than 10", "fewer than"),
        ("only three", "only"),
        ("nearly 80%", "nearly"),
        ("almost 80%", "almost"),
        ("about 14", "about"),
        ("around 14", "around"),
        ("roughly 14", "roughly"),
        ("at least 3", "at least"),
        ("at most 3", "at most"),
        ("over 5 years", "over"),
        ("under 5", "under"),
        ("up to 3", "up to"),
        ("just 3", "just"),
        ("no fewer than 3", "no fewer than"),
    ];
    for (text, q) in en {
        assert_eq!(val(text, Lang::En).1, Some(q), "{text}");
        assert_eq!(
            one(text, Lang::En).0,
            text,
            "the span starts at the qualifier"
        );
    }
    // "más" without "de" qualifies nothing
    assert_eq!(val("es más grande que 5", Lang::Es), v("5"));
}

// --- false positives ---------------------------------------------------------

#[test]
fn versions_of_names_are_not_quantities() {
    assert_eq!(found("en Llama 4, la última iteración", Lang::Es), []);
    assert_eq!(found("hasta el ciclo de Llama 3 y", Lang::Es), []);
    assert_eq!(found("como GPT-3 de OpenAI", Lang::Es), []);
    assert_eq!(found("LLaMA 2 and Llama 3.1 and GPT-4o", Lang::En), []);
    assert_eq!(found("a 7B model on an H100", Lang::En), []);
    assert_eq!(found("COVID-19 cases", Lang::En), []);
    assert_eq!(found("It shipped. Windows 11 followed.", Lang::En), []);
    // but a capitalised common word before a number is not a name, nor
    // (in Spanish) a sentence's first word
    assert_eq!(val("Costó 2,5 millones.", Lang::Es), v("2500000"));
    assert_eq!(found("Dijo que LLaMA 2 era mejor.", Lang::Es), []);
    assert_eq!(val("Only 3 remain.", Lang::En), vq("3", "only"));
    assert_eq!(val("Solo 3 permanecen.", Lang::Es), vq("3", "only"));
    assert_eq!(val("Los 14 autores", Lang::Es), v("14"));
}

#[test]
fn markers_times_and_footnotes_are_not_quantities() {
    assert_eq!(found("1. First point\n2) second point", Lang::En), []);
    assert_eq!(found("as reported [2] earlier", Lang::En), []);
    assert_eq!(found("at 10:30 today", Lang::En), []);
    assert_eq!(found("on 05/27/2025", Lang::En), []);
    assert_eq!(found("item #3", Lang::En), []);
    // a number in a sentence at the start of a line is still a number
    assert_eq!(val("14 authors wrote it.", Lang::En), v("14"));
}

#[test]
fn ordinals_are_not_fractions() {
    assert_eq!(found("a third party and a quarter century", Lang::En), []);
    assert_eq!(val("cut by a third.", Lang::En), v("33.3%"));
    assert_eq!(found("she came fifth", Lang::En), []);
    assert_eq!(
        found("the 3rd and 21st places, the 2º puesto", Lang::En),
        []
    );
}

#[test]
fn one_in_n_is_not_a_span_of_years() {
    assert_eq!(
        found("1 in 5 years", Lang::En),
        [
            f("1", Kind::Number, "1", None),
            f("5 years", Kind::Duration, "5 years", None)
        ]
    );
    assert_eq!(val("11 of the 14 authors", Lang::En), v("11 of 14"));
}

// --- the scan as a whole -----------------------------------------------------

#[test]
fn approximate_values_are_stated_with_about() {
    let statements = |text: &str, lang| -> Vec<(String, bool)> {
        extract(text, lang)
            .iter()
            .map(|f| (f.statement(), f.approximate))
            .collect()
    };
    let s = |st: &str, approx: bool| (st.to_string(), approx);
    assert_eq!(
        statements(
            "media década, la mitad, una docena, 2,5 millones, 3 semanas",
            Lang::Es
        ),
        [
            s("about 5 years", true),
            s("about 50%", true),
            s("about 12", true),
            s("about 2500000", true),
            s("about 21 days", true),
        ]
    );
    assert_eq!(
        statements(
            "a decade, 18 months, 14, 78%, nearly half, May 2025",
            Lang::En
        ),
        [
            s("about 10 years", true),
            s("18 months", false),
            s("14", false),
            s("78%", false),
            s("nearly 50%", true),
            s("May 2025", false),
        ]
    );
}

#[test]
fn findings_never_span_a_line_break() {
    assert_eq!(
        found("se fueron solo\ntres", Lang::Es),
        [f("tres", Kind::Number, "3", None)]
    );
    assert_eq!(
        found("mayo de\n2025", Lang::Es),
        [f("2025", Kind::Date, "2025", None)]
    );
}

#[test]
/// Large inputs give exact, bounded results (their speed is a matter for
/// benchmarks, not for tests).
fn long_digit_runs_and_long_lines() {
    let run = vec!["1"; 20_000].join(".");
    let all = extract(&run, Lang::En);
    // "1.1" then everything after is the tail of that figure
    assert_eq!(all.len(), 1);
    assert_eq!(all.first().map(|f| f.value.as_str()), Some("1.1"));
    // a long line of figures
    let line = vec!["7"; 100_000].join(" ");
    let all = extract(&line, Lang::En);
    assert_eq!(all.len(), 100_000);
}

#[test]
fn spans_are_exact_sorted_and_disjoint() {
    let text = "De los catorce investigadores del artículo de 2023, solo tres permanecen; \
                once, o el 78%, se fueron a principios de 2025.";
    let all = extract(text, Lang::Es);
    let got: Vec<(&str, &str)> = all
        .iter()
        .map(|f| (text.get(f.span.clone()).unwrap_or("?"), f.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("catorce", "14"),
            ("2023", "2023"),
            ("solo tres", "3"),
            ("once", "11"),
            ("78%", "78%"),
            ("principios de 2025", "early 2025"),
        ]
    );
    for f in &all {
        assert_eq!(text.get(f.span.clone()), Some(f.text.as_str()));
    }
    for pair in all.windows(2) {
        if let [a, b] = pair {
            assert!(a.span.end <= b.span.start, "{a:?} overlaps {b:?}");
        }
    }
    let first = all.first().map(|f| f.span.clone());
    assert_eq!(first, Some(7..14));
}

#[test]
fn longest_reading_wins() {
    // percent over number, date over year, ratio over two numbers
    assert_eq!(one("78 por ciento", Lang::Es).1, Kind::Percent);
    assert_eq!(one("mayo de 2025", Lang::Es).1, Kind::Date);
    assert_eq!(one("11 de los 14", Lang::Es).1, Kind::Ratio);
    assert_eq!(one("the first half of 2025", Lang::En).1, Kind::Period);
    // a range is two findings
    assert_eq!(
        found("entre 2018 y 2020", Lang::Es),
        [
            f("2018", Kind::Date, "2018", None),
            f("2020", Kind::Date, "2020", None)
        ]
    );
}

#[test]
fn statements_are_accepted_by_the_statement_parser() {
    let samples = [
        (
            Lang::Es,
            "Solo tres de los catorce siguen; once, o el 78%, se fueron tras más de cinco años. \
             Casi el 80% lo hizo desde enero de 2023, el mes pasado y a principios de 2025; \
             la mitad en 2024, media década después, el 27 de mayo de 2025. \
             En su mayoría se fueron. Unos 1.200 empleados, 3,5 millones de euros, \
             dos años y medio, 18 meses, dos semanas, a mediados de 2024, el año pasado. \
             El primero en irse lo hizo antes de que se publicara, un año después, el mismo \
             año, el verano pasado; nadie volvió desde entonces, hasta que cerró.",
        ),
        (
            Lang::En,
            "Only 3 of the 14 remain; eleven, or 78%, left after more than five years. \
             Nearly 80 percent left since January 2023, last month and in early 2025; \
             half in 2024, a decade later, on May 27, 2025. Most of them left. About 1,200 \
             staff, 3.5 million dollars, two and a half years, 18 months, three weeks, \
             by mid-2024, in the second half of 2024, this year, a third of them. The first \
             to leave went before the paper was published, a year later, the same year, this \
             summer, last winter; none returned since then, until the end.",
        ),
    ];
    let mut checked = 0;
    let mut relations = 0;
    for (lang, text) in samples {
        let all = extract(text, lang);
        assert!(all.len() >= 15, "{lang:?}: {all:?}");
        for finding in all {
            let statement = finding.statement();
            if finding.kind.is_condition() {
                // A relation has no figure: the condition that checks it
                // holds, and the finding says so.
                assert_eq!(statement, "true", "{finding:?}");
                assert!(finding.kind.measure_hint().is_some(), "{finding:?}");
                relations += 1;
            } else if finding.kind.is_date() {
                let parsed = parse_date_statement(&statement, &as_of());
                assert!(
                    matches!(parsed, Ok(Stated::Period { .. })),
                    "{finding:?}: {parsed:?}"
                );
            } else {
                let parsed = parse_number_statement(&statement);
                assert!(
                    matches!(parsed, Ok(Stated::Number { .. } | Stated::Quantifier(_))),
                    "{finding:?}: {parsed:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked}");
    assert!(relations >= 10, "{relations}");
}

#[test]
fn sentences_for_quoting() {
    let text = "Primera frase. Los otros once, o el 78%, han partido. ¿Y ahora?\nTítulo sin punto\nDijo: “son 3.” Fin";
    let sentence = |needle: &str| {
        let at = text.find(needle).unwrap_or(0);
        let r = sentence_of(text, &(at..at + needle.len()));
        text.get(r).unwrap_or("?").to_string()
    };
    assert_eq!(sentence("78%"), "Los otros once, o el 78%, han partido.");
    assert_eq!(sentence("ahora"), "¿Y ahora?");
    assert_eq!(sentence("sin"), "Título sin punto");
    assert_eq!(sentence("3"), "Dijo: “son 3.”");
    assert_eq!(sentence("Primera"), "Primera frase.");
    // decimal points do not end sentences
    let t = "It grew 3.5 times. Then it fell.";
    assert_eq!(t.get(sentence_of(t, &(9..12))), Some("It grew 3.5 times."));
    // out of range spans are clamped, never panic
    assert_eq!(sentence_of(t, &(100..200)), 32..32);
    assert_eq!(sentence_of(t, &(25..200)), 19..32);
    assert_eq!(sentence_of("", &(0..5)), 0..0);
    let multi = "año ñ";
    assert_eq!(sentence_of(multi, &(2..3)), 0..multi.len());
}

#[test]
fn empty_and_odd_input() {
    assert_eq!(extract("", Lang::En), []);
    assert_eq!(extract("   \n ", Lang::Es), []);
    assert_eq!(
        found("99999999999999999999999999999999999999999", Lang::En),
        []
    );
    assert_eq!(
        found("%%% --- ,,, 1,", Lang::En),
        [f("1", Kind::Number, "1", None)]
    );
}

// --- the seed article --------------------------------------------------------

#[test]
fn seed_article() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/000_97c7157fc1298784.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        // The article is not shipped with the repository.
        return;
    };
    assert_eq!(Lang::detect(&text), Lang::Es);
    let all = extract(&text, Lang::Es);
    let has = |snippet: &str, kind: Kind, statement: &str| {
        all.iter()
            .any(|f| f.text == snippet && f.kind == kind && f.statement() == statement)
    };
    let expected = [
        ("catorce", Kind::Number, "14"),
        ("solo tres", Kind::Number, "only 3"),
        ("once", Kind::Number, "11"),
        ("78%", Kind::Percent, "78%"),
        ("en su mayoría", Kind::Quantifier, "most"),
        ("ocho años", Kind::Duration, "8 years"),
        ("el mes pasado", Kind::Period, "last month"),
        ("media década", Kind::Duration, "about 5 years"),
        ("mayo de 2025", Kind::Date, "May 2025"),
        ("dos años después", Kind::Duration, "2 years"),
        ("más de cinco años", Kind::Duration, "more than 5 years"),
        ("enero de 2023", Kind::Date, "January 2023"),
        ("principios de 2025", Kind::Period, "early 2025"),
        ("2023", Kind::Date, "2023"),
    ];
    for (snippet, kind, statement) in expected {
        assert!(has(snippet, kind, statement), "{snippet} / {statement}");
    }
    // the 78% is quoted with its sentence
    let pct = all.iter().find(|f| f.kind == Kind::Percent);
    let quote = pct.and_then(|f| text.get(sentence_of(&text, &f.span)));
    assert!(
        quote.is_some_and(|q| q.starts_with("Los otros once miembros") && q.ends_with("original."))
    );
    // the article's version numbers are not quantities
    for f in &all {
        let before = text.get(..f.span.start).unwrap_or("");
        assert!(
            !before.ends_with("Llama ") && !before.ends_with("GPT-"),
            "{f:?}"
        );
    }
    // the text is in the file twice (a page scrape): every finding twice
    assert_eq!(all.len(), 31);
    assert_eq!(all.iter().filter(|f| f.kind == Kind::Percent).count(), 3);
}

#[test]
fn long_sentences_are_quoted_within_the_context_bound() {
    use super::{quote_of, QUOTE_CONTEXT};
    // No sentence break at all: every quote is cut on both sides (but at
    // the text's ends), at word boundaries, marked with ellipses.
    let text = "1 ".repeat(16_384);
    let findings = extract(&text, Lang::En);
    assert_eq!(findings.len(), 16_384);
    for f in &findings {
        let q = quote_of(&text, &f.span);
        assert!(q.len() <= 2 * QUOTE_CONTEXT + 16, "{} bytes", q.len());
        let body = q.trim_start_matches("… ").trim_end_matches(" …");
        assert!(body.split(' ').all(|w| w == "1"), "a cut word in {q:?}");
    }
    let first = quote_of(&text, &(0..1));
    assert!(!first.starts_with('…') && first.ends_with(" …"));
    let last = quote_of(&text, &(text.len() - 2..text.len() - 1));
    assert!(last.starts_with("… ") && !last.ends_with('…'));
    // A long sentence keeps the words near the figure and its own end.
    let long = format!(
        "Intro. {} then 42 cats arrived{} today. Next one.",
        " and more words".repeat(40),
        " here".repeat(10)
    );
    let at = long.find("42").unwrap_or(0);
    let q = quote_of(&long, &(at..at + 2));
    assert!(q.starts_with("… "), "{q}");
    assert!(q.ends_with("here today."), "{q}");
    assert!(q.contains("then 42 cats arrived"), "{q}");
    // Short sentences are quoted whole, as before.
    let t = "It grew 3.5 times. Then it fell.";
    assert_eq!(quote_of(t, &(8..11)), "It grew 3.5 times.");
}

#[test]
fn blank_runs_and_closers_are_scanned_within_the_bound() {
    use super::{sentence_of, QUOTE_CONTEXT};
    // A figure followed by a huge run of blanks before a line break, and a
    // terminator followed by a huge run of closing quotes: the sentence
    // scan stays within its window instead of reading the run.
    let text = format!("It was 5{}\nnext 6", " ".repeat(100_000));
    let r = sentence_of(&text, &(7..8));
    assert_eq!(text.get(r), Some("It was 5"));
    let text = format!("It was 5.{} and 7", "\"".repeat(100_000));
    let r = sentence_of(&text, &(7..8));
    assert!(r.len() <= 2 * QUOTE_CONTEXT + 1, "{r:?}");
}

// --- time words (issue 11) ---------------------------------------------------

#[test]
fn seasons_are_periods() {
    let cases = [
        (
            "the last to go departed this summer",
            Lang::En,
            "this summer",
        ),
        ("they met last winter", Lang::En, "last winter"),
        ("it shipped in summer 2023", Lang::En, "summer 2023"),
        ("in the summer of 2023", Lang::En, "summer 2023"),
        ("se fue el verano pasado", Lang::Es, "last summer"),
        ("se fue este verano", Lang::Es, "this summer"),
        ("llegó en verano de 2023", Lang::Es, "summer 2023"),
        ("en el otoño de 2022", Lang::Es, "autumn 2022"),
        ("el próximo invierno", Lang::Es, "next winter"),
    ];
    for (text, lang, want) in cases {
        let all = found(text, lang);
        let periods: Vec<&str> = all
            .iter()
            .filter(|(_, k, _, _)| *k == Kind::Period)
            .map(|(_, _, v, _)| v.as_str())
            .collect();
        assert_eq!(periods, [want], "{text}: {all:?}");
    }
    // a season word alone is no period
    assert_eq!(found("the summer was hot", Lang::En), []);
    assert_eq!(found("el verano fue caluroso", Lang::Es), []);
}

#[test]
fn relations_between_dates() {
    let cases = [
        (
            "a year later, he left",
            Lang::En,
            "a year later",
            Kind::Duration,
            "about 1 year",
        ),
        (
            "two years after the launch",
            Lang::En,
            "two years after",
            Kind::Duration,
            "2 years",
        ),
        (
            "un año después se fue",
            Lang::Es,
            "un año después",
            Kind::Duration,
            "about 1 year",
        ),
        (
            "dos años más tarde",
            Lang::Es,
            "dos años más tarde",
            Kind::Duration,
            "2 years",
        ),
        (
            "they left the same year",
            Lang::En,
            "the same year",
            Kind::Relation,
            "the same year",
        ),
        (
            "se fue el mismo año",
            Lang::Es,
            "el mismo año",
            Kind::Relation,
            "the same year",
        ),
        (
            "the first to leave was Ashish",
            Lang::En,
            "the first to leave",
            Kind::Relation,
            "the first to",
        ),
        (
            "the last to go departed",
            Lang::En,
            "the last to go",
            Kind::Relation,
            "the last to",
        ),
        (
            "fue el primero en irse",
            Lang::Es,
            "el primero en irse",
            Kind::Relation,
            "the first to",
        ),
        (
            "fue el último en irse",
            Lang::Es,
            "el último en irse",
            Kind::Relation,
            "the last to",
        ),
        (
            "he left before the paper was even published",
            Lang::En,
            "before the paper was even published",
            Kind::Relation,
            "before",
        ),
        (
            "se fue antes de que se publicara el artículo",
            Lang::Es,
            "antes de que se publicara",
            Kind::Relation,
            "before",
        ),
        (
            "nothing changed since then",
            Lang::En,
            "since then",
            Kind::Relation,
            "since",
        ),
        (
            "since leaving Google, he",
            Lang::En,
            "since leaving",
            Kind::Relation,
            "since",
        ),
        (
            "since he left Google",
            Lang::En,
            "since he left",
            Kind::Relation,
            "since",
        ),
        (
            "he stayed until the end",
            Lang::En,
            "until",
            Kind::Relation,
            "until",
        ),
        (
            "desde que dejó Google",
            Lang::Es,
            "desde que",
            Kind::Relation,
            "since",
        ),
        (
            "desde entonces",
            Lang::Es,
            "desde entonces",
            Kind::Relation,
            "since",
        ),
        (
            "hasta que se fue",
            Lang::Es,
            "hasta que",
            Kind::Relation,
            "until",
        ),
        (
            "they left within a month of each other",
            Lang::En,
            "within a month of each other",
            Kind::Relation,
            "within a month of each other",
        ),
        (
            "within two weeks of each other",
            Lang::En,
            "within two weeks of each other",
            Kind::Relation,
            "within 14 days of each other",
        ),
        (
            "se fueron con un mes de diferencia",
            Lang::Es,
            "con un mes de diferencia",
            Kind::Relation,
            "within a month of each other",
        ),
        (
            "con dos años de diferencia",
            Lang::Es,
            "con dos años de diferencia",
            Kind::Relation,
            "within 2 years of each other",
        ),
    ];
    for (text, lang, span, kind, statement) in cases {
        let all = extract(text, lang);
        let hit = all
            .iter()
            .find(|f| f.text == span)
            .map(|f| (f.kind, f.statement(), f.value.clone()));
        let want_statement = if kind == Kind::Relation {
            "true"
        } else {
            statement
        };
        assert_eq!(
            hit.as_ref().map(|(k, s, _)| (*k, s.as_str())),
            Some((kind, want_statement)),
            "{text}: {all:?}"
        );
        if kind == Kind::Relation {
            assert_eq!(
                hit.map(|(_, _, v)| v),
                Some(statement.to_string()),
                "{text}"
            );
        }
    }
    // "since" (because), "desde" (a place), "hasta" (even), "before" (in
    // front of), "the first" (an ordinal) are no time words
    for (text, lang) in [
        ("since the data is incomplete, we stop", Lang::En),
        ("since it was cheaper, they chose it", Lang::En),
        ("llegó desde Madrid", Lang::Es),
        ("desde el principio lo dijo", Lang::Es),
        ("hasta el ministro lo sabía", Lang::Es),
        ("he spoke before the committee", Lang::En),
        ("the first author", Lang::En),
        ("el primero de la lista", Lang::Es),
        ("at the same time", Lang::En),
        ("a year of growth", Lang::En),
    ] {
        assert_eq!(found(text, lang), [], "{text}");
    }
    // a duration before a date keeps the date's relation
    assert_eq!(
        found("five years after 2018", Lang::En),
        [
            f("five years", Kind::Duration, "5 years", None),
            f("after 2018", Kind::Date, "2018", Some("after"))
        ]
    );
}

#[test]
fn the_attention_article_has_its_time_words_found() {
    let text = "All eight have left Google. The first to leave, in 2017, before the paper \
                was even published, was Polosukhin. A year later, Parmar and Vaswani left. \
                The last to go departed this summer.";
    let kinds: Vec<(String, Kind)> = extract(text, Lang::En)
        .into_iter()
        .map(|f| (f.text, f.kind))
        .collect();
    for (span, kind) in [
        ("eight", Kind::Number),
        ("The first to leave", Kind::Relation),
        ("2017", Kind::Date),
        ("before the paper was even published", Kind::Relation),
        ("A year later", Kind::Duration),
        ("The last to go", Kind::Relation),
        ("this summer", Kind::Period),
    ] {
        assert!(
            kinds.contains(&(span.to_string(), kind)),
            "{span}: {kinds:?}"
        );
    }
}

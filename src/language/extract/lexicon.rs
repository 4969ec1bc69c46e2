//! The words the scanner knows, per language, in folded form (lower case,
//! accents removed, `ñ` kept: "más" → `mas`, "años" → `años`).

use super::Lang;

/// Fold a word for lookup: lower case, without accents or combining marks.
pub(super) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'á' | 'à' | 'â' | 'ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            // Combining marks of decomposed text ("n\u{303}" is "ñ").
            '\u{303}' if out.ends_with('n') => {
                out.pop();
                out.push('ñ');
            }
            '\u{300}'..='\u{36f}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// What a number word contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cat {
    /// 0–9 ("one", "uno", "un", "una").
    Unit(i128),
    /// A single word from 10 up that takes no units after it: "ten" …
    /// "nineteen", "diez" … "veintinueve".
    Teen(i128),
    /// A multiple of ten that may take a unit: "twenty", "treinta".
    Tens(i128),
    /// English "hundred": multiplies what precedes it.
    Hundred,
    /// A Spanish hundreds word, with its value: "doscientos", "cien".
    Hundreds(i128),
    /// Spanish "ciento": 100, only before a smaller number ("ciento cinco").
    Ciento,
    /// "thousand", "million", "mil", "millones": multiplies what precedes.
    Scale(i128),
    /// "dozen", "docena(s)": twelve of what precedes, and the end.
    Dozen,
}

const EN_NUMBERS: &[(&str, Cat)] = &[
    ("zero", Cat::Unit(0)),
    ("one", Cat::Unit(1)),
    ("two", Cat::Unit(2)),
    ("three", Cat::Unit(3)),
    ("four", Cat::Unit(4)),
    ("five", Cat::Unit(5)),
    ("six", Cat::Unit(6)),
    ("seven", Cat::Unit(7)),
    ("eight", Cat::Unit(8)),
    ("nine", Cat::Unit(9)),
    ("ten", Cat::Teen(10)),
    ("eleven", Cat::Teen(11)),
    ("twelve", Cat::Teen(12)),
    ("thirteen", Cat::Teen(13)),
    ("fourteen", Cat::Teen(14)),
    ("fifteen", Cat::Teen(15)),
    ("sixteen", Cat::Teen(16)),
    ("seventeen", Cat::Teen(17)),
    ("eighteen", Cat::Teen(18)),
    ("nineteen", Cat::Teen(19)),
    ("twenty", Cat::Tens(20)),
    ("thirty", Cat::Tens(30)),
    ("forty", Cat::Tens(40)),
    ("fifty", Cat::Tens(50)),
    ("sixty", Cat::Tens(60)),
    ("seventy", Cat::Tens(70)),
    ("eighty", Cat::Tens(80)),
    ("ninety", Cat::Tens(90)),
    ("hundred", Cat::Hundred),
    ("thousand", Cat::Scale(1_000)),
    ("million", Cat::Scale(1_000_000)),
    ("billion", Cat::Scale(1_000_000_000)),
    ("dozen", Cat::Dozen),
];

const ES_NUMBERS: &[(&str, Cat)] = &[
    ("cero", Cat::Unit(0)),
    ("uno", Cat::Unit(1)),
    ("un", Cat::Unit(1)),
    ("una", Cat::Unit(1)),
    ("dos", Cat::Unit(2)),
    ("tres", Cat::Unit(3)),
    ("cuatro", Cat::Unit(4)),
    ("cinco", Cat::Unit(5)),
    ("seis", Cat::Unit(6)),
    ("siete", Cat::Unit(7)),
    ("ocho", Cat::Unit(8)),
    ("nueve", Cat::Unit(9)),
    ("diez", Cat::Teen(10)),
    ("once", Cat::Teen(11)),
    ("doce", Cat::Teen(12)),
    ("trece", Cat::Teen(13)),
    ("catorce", Cat::Teen(14)),
    ("quince", Cat::Teen(15)),
    ("dieciseis", Cat::Teen(16)),
    ("diecisiete", Cat::Teen(17)),
    ("dieciocho", Cat::Teen(18)),
    ("diecinueve", Cat::Teen(19)),
    ("veinte", Cat::Teen(20)),
    ("veintiuno", Cat::Teen(21)),
    ("veintiun", Cat::Teen(21)),
    ("veintiuna", Cat::Teen(21)),
    ("veintidos", Cat::Teen(22)),
    ("veintitres", Cat::Teen(23)),
    ("veinticuatro", Cat::Teen(24)),
    ("veinticinco", Cat::Teen(25)),
    ("veintiseis", Cat::Teen(26)),
    ("veintisiete", Cat::Teen(27)),
    ("veintiocho", Cat::Teen(28)),
    ("veintinueve", Cat::Teen(29)),
    ("treinta", Cat::Tens(30)),
    ("cuarenta", Cat::Tens(40)),
    ("cincuenta", Cat::Tens(50)),
    ("sesenta", Cat::Tens(60)),
    ("setenta", Cat::Tens(70)),
    ("ochenta", Cat::Tens(80)),
    ("noventa", Cat::Tens(90)),
    ("cien", Cat::Hundreds(100)),
    ("ciento", Cat::Ciento),
    ("doscientos", Cat::Hundreds(200)),
    ("doscientas", Cat::Hundreds(200)),
    ("trescientos", Cat::Hundreds(300)),
    ("trescientas", Cat::Hundreds(300)),
    ("cuatrocientos", Cat::Hundreds(400)),
    ("cuatrocientas", Cat::Hundreds(400)),
    ("quinientos", Cat::Hundreds(500)),
    ("quinientas", Cat::Hundreds(500)),
    ("seiscientos", Cat::Hundreds(600)),
    ("seiscientas", Cat::Hundreds(600)),
    ("setecientos", Cat::Hundreds(700)),
    ("setecientas", Cat::Hundreds(700)),
    ("ochocientos", Cat::Hundreds(800)),
    ("ochocientas", Cat::Hundreds(800)),
    ("novecientos", Cat::Hundreds(900)),
    ("novecientas", Cat::Hundreds(900)),
    ("mil", Cat::Scale(1_000)),
    ("millon", Cat::Scale(1_000_000)),
    ("millones", Cat::Scale(1_000_000)),
    ("billon", Cat::Scale(1_000_000_000_000)),
    ("billones", Cat::Scale(1_000_000_000_000)),
    ("docena", Cat::Dozen),
    ("docenas", Cat::Dozen),
];

/// The number word `w` (folded), if it is one in `lang`.
pub(super) fn number_word(lang: Lang, w: &str) -> Option<Cat> {
    let table = match lang {
        Lang::En => EN_NUMBERS,
        Lang::Es => ES_NUMBERS,
    };
    table.iter().find(|(word, _)| *word == w).map(|(_, c)| *c)
}

/// Words that multiply a figure written in digits: "3 million", "2,5
/// millones", "40 mil". English "millions" and the like are vague and not
/// listed.
pub(super) fn scale_word(lang: Lang, w: &str) -> Option<u32> {
    match (lang, w) {
        (Lang::En, "thousand") | (Lang::Es, "mil") => Some(3),
        (Lang::En, "million") | (Lang::Es, "millon" | "millones") => Some(6),
        (Lang::En, "billion") => Some(9),
        (Lang::Es, "billon" | "billones") => Some(12),
        _ => None,
    }
}

/// A time unit as the claim language writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeUnit {
    Years,
    Months,
    Days,
}

impl TimeUnit {
    /// The unit word after `value`: singular for exactly one.
    pub(super) fn word(self, one: bool) -> &'static str {
        match (self, one) {
            (TimeUnit::Years, true) => "year",
            (TimeUnit::Years, false) => "years",
            (TimeUnit::Months, true) => "month",
            (TimeUnit::Months, false) => "months",
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
        }
    }
}

/// A duration word: the unit it is counted in and how many of that unit one
/// of it is ("decade" = 10 years, "week" = 7 days).
pub(super) fn time_unit(lang: Lang, w: &str) -> Option<(TimeUnit, i128)> {
    match (lang, w) {
        (Lang::En, "year" | "years") | (Lang::Es, "año" | "años") => Some((TimeUnit::Years, 1)),
        (Lang::En, "decade" | "decades") | (Lang::Es, "decada" | "decadas") => {
            Some((TimeUnit::Years, 10))
        }
        (Lang::Es, "lustro" | "lustros") => Some((TimeUnit::Years, 5)),
        (Lang::En, "month" | "months") | (Lang::Es, "mes" | "meses") => Some((TimeUnit::Months, 1)),
        (Lang::En, "week" | "weeks") | (Lang::Es, "semana" | "semanas") => {
            Some((TimeUnit::Days, 7))
        }
        (Lang::En, "day" | "days") | (Lang::Es, "dia" | "dias") => Some((TimeUnit::Days, 1)),
        _ => None,
    }
}

/// Month names (full and abbreviated), English as [`crate::date`] spells
/// them in canonical values.
pub(super) const MONTHS: [&str; 12] = crate::date::MONTH_NAMES;

const EN_MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const ES_MONTHS: &[(&str, u8)] = &[
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("feb", 2),
    ("marzo", 3),
    ("mar", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("may", 5),
    ("junio", 6),
    ("jun", 6),
    ("julio", 7),
    ("jul", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("sep", 9),
    ("sept", 9),
    ("set", 9),
    ("octubre", 10),
    ("oct", 10),
    ("noviembre", 11),
    ("nov", 11),
    ("diciembre", 12),
    ("dic", 12),
];

/// The month number of a month name or abbreviation (folded) in `lang`.
pub(super) fn month(lang: Lang, w: &str) -> Option<u8> {
    let table = match lang {
        Lang::En => EN_MONTHS,
        Lang::Es => ES_MONTHS,
    };
    table.iter().find(|(word, _)| *word == w).map(|(_, m)| *m)
}

/// Whether `w` is an abbreviation (which may be followed by a period).
pub(super) fn is_abbreviated_month(lang: Lang, w: &str) -> bool {
    w.len() <= 4 && month(lang, w).is_some() && w != "may" && w != "mayo" && w != "june"
}

/// Spanish qualifier phrases and the English qualifier of
/// [`crate::statement::QUALIFIERS`] each means. Phrases ending in `de` also
/// match with `del` (de + el).
pub(super) const ES_QUALIFIERS: &[(&[&str], &str)] = &[
    (&["mas", "de"], "more than"),
    (&["poco", "mas", "de"], "more than"),
    (&["algo", "mas", "de"], "more than"),
    (&["menos", "de"], "less than"),
    (&["poco", "menos", "de"], "less than"),
    (&["al", "menos"], "at least"),
    (&["por", "lo", "menos"], "at least"),
    (&["como", "minimo"], "at least"),
    (&["como", "maximo"], "at most"),
    (&["a", "lo", "sumo"], "at most"),
    (&["no", "mas", "de"], "no more than"),
    (&["no", "menos", "de"], "no less than"),
    (&["hasta"], "up to"),
    (&["solo"], "only"),
    (&["solamente"], "only"),
    (&["unicamente"], "only"),
    (&["apenas"], "just"),
    (&["exactamente"], "exactly"),
    (&["casi"], "nearly"),
    (&["cerca", "de"], "close to"),
    (&["unos"], "about"),
    (&["unas"], "about"),
    (&["alrededor", "de"], "around"),
    (&["en", "torno", "a"], "around"),
    (&["aproximadamente"], "approximately"),
    (&["por", "encima", "de"], "above"),
    (&["por", "debajo", "de"], "below"),
];

/// Words placing a date relative to a period, and the English relation word
/// of [`crate::statement::parse_date_statement`].
pub(super) const DATE_RELATIONS: &[(Lang, &[&str], &str)] = &[
    (Lang::En, &["since"], "since"),
    (Lang::En, &["before"], "before"),
    (Lang::En, &["after"], "after"),
    (Lang::En, &["by"], "by"),
    (Lang::Es, &["desde"], "since"),
    (Lang::Es, &["a", "partir", "de"], "since"),
    (Lang::Es, &["antes", "de"], "before"),
    (Lang::Es, &["despues", "de"], "after"),
    (Lang::Es, &["tras"], "after"),
];

/// Capitalised words that commonly start a sentence before a number: a
/// number after any *other* capitalised word ("Llama 3") is a name's
/// version, not a quantity.
pub(super) const COMMON_WORDS: &[&str] = &[
    // English
    "the",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "of",
    "and",
    "or",
    "but",
    "since",
    "until",
    "after",
    "before",
    "about",
    "around",
    "over",
    "under",
    "only",
    "just",
    "nearly",
    "almost",
    "some",
    "exactly",
    "roughly",
    "approximately",
    "more",
    "less",
    "fewer",
    "than",
    "with",
    "within",
    "between",
    "during",
    "among",
    "all",
    "up",
    "no",
    "as",
    "its",
    "their",
    "our",
    "his",
    "her",
    "these",
    "those",
    "another",
    "each",
    "every",
    "last",
    "this",
    "next",
    "above",
    "below",
    "close",
    "least",
    "most",
    // Spanish
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "unos",
    "unas",
    "en",
    "de",
    "del",
    "desde",
    "hasta",
    "por",
    "para",
    "con",
    "sin",
    "y",
    "o",
    "e",
    "u",
    "a",
    "al",
    "solo",
    "solamente",
    "unicamente",
    "casi",
    "mas",
    "menos",
    "entre",
    "durante",
    "tras",
    "hace",
    "apenas",
    "aproximadamente",
    "alrededor",
    "cerca",
    "exactamente",
    "sus",
    "su",
    "estos",
    "estas",
    "cada",
    "otros",
    "otras",
    "antes",
    "despues",
    "año",
    "años",
];

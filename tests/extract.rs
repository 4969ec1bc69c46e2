//! The extraction module through its public API, as `factcheck new` and
//! `factcheck audit` use it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::date::parse_date_value;
use factcheck::extract::{extract, sentence_of, Finding, Kind, Lang};
use factcheck::statement::{parse_date_statement, parse_number_statement};

/// Short phrases of the seed article's claim quotes, and the `states` the
/// shipped claim file gives for the figure in each: the finding's statement
/// is what a person wrote.
const QUOTED: &[(&str, Kind, &str)] = &[
    ("De los catorce investigadores", Kind::Number, "14"),
    ("el seminal artículo de 2023", Kind::Date, "2023"),
    ("solo tres, el científico", Kind::Number, "only 3"),
    ("Los otros once miembros del equipo", Kind::Number, "11"),
    ("o el 78% de los investigadores", Kind::Percent, "78%"),
    ("han partido en su mayoría", Kind::Quantifier, "most"),
    ("quien durante ocho años dirigió", Kind::Duration, "8 years"),
    ("reveló el mes pasado que", Kind::Period, "last month"),
    (
        "pasó media década en DeepMind",
        Kind::Duration,
        "about 5 years",
    ),
    ("unirse a Meta en mayo de 2025", Kind::Date, "May 2025"),
    (
        "promediaron más de cinco años en la empresa",
        Kind::Duration,
        "more than 5 years",
    ),
    (
        "abarcan desde enero de 2023 hasta",
        Kind::Date,
        "January 2023",
    ),
    ("a principios de 2025", Kind::Period, "early 2025"),
];

fn only(text: &str, lang: Lang) -> Finding {
    let mut all = extract(text, lang);
    assert_eq!(all.len(), 1, "{text:?}: {all:?}");
    all.remove(0)
}

#[test]
fn statements_match_the_shipped_claims() {
    for (phrase, kind, states) in QUOTED {
        let f = only(phrase, Lang::Es);
        assert_eq!(
            (f.kind, f.statement().as_str()),
            (*kind, *states),
            "{phrase}"
        );
    }
}

#[test]
fn statements_parse() {
    let as_of = parse_date_value("2025-05-27").unwrap();
    for (phrase, _, _) in QUOTED {
        let f = only(phrase, Lang::Es);
        if f.kind.is_condition() {
            assert_eq!(f.statement(), "true", "{f:?}");
        } else if f.kind.is_date() {
            assert!(
                parse_date_statement(&f.statement(), &as_of).is_ok(),
                "{f:?}"
            );
        } else {
            assert!(parse_number_statement(&f.statement()).is_ok(), "{f:?}");
        }
    }
}

#[test]
fn a_skeleton_quotes_each_finding_in_its_sentence() {
    let text = "Of the 14 authors, only 3 remain. The other 11 left in early 2025!\nNew line, 78%";
    let lang = Lang::detect(text);
    assert_eq!(lang, Lang::En);
    let rows: Vec<(String, String)> = extract(text, lang)
        .iter()
        .map(|f| {
            let quote = text.get(sentence_of(text, &f.span)).unwrap_or("");
            (f.statement(), quote.to_string())
        })
        .collect();
    let row = |s: &str, q: &str| (s.to_string(), q.to_string());
    assert_eq!(
        rows,
        [
            row("14", "Of the 14 authors, only 3 remain."),
            row("only 3", "Of the 14 authors, only 3 remain."),
            row("11", "The other 11 left in early 2025!"),
            row("early 2025", "The other 11 left in early 2025!"),
            row("78%", "New line, 78%"),
        ]
    );
}

#[test]
fn findings_serialise_for_reports() {
    let f = only("only 3 of the 14", Lang::En);
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "span": {"start": 0, "end": 16},
            "text": "only 3 of the 14",
            "kind": "ratio",
            "value": "3 of 14",
            "qualifier": "only",
            "approximate": false
        })
    );
    assert_eq!(f.kind.name(), "ratio");
}

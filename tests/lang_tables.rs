//! The tables of words per language (`factcheck::base::lang`) are the one
//! place a word is declared: every word of them works in statements, in
//! period parsing and in extraction alike, and the three agree.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::base::lang::{Lang, NumberWord};
use factcheck::date::{parse_date_value, parse_period, DateRange};
use factcheck::extract::{extract, Kind};
use factcheck::statement::{parse_date_statement, parse_number_statement, QUALIFIERS};
use proptest::prelude::*;

fn said() -> DateRange {
    parse_date_value("2023-09-15").unwrap()
}

/// The word of `lang`'s table with value `v` in the given class.
fn word_of(lang: Lang, v: i128, class: fn(NumberWord) -> Option<i128>) -> Option<&'static str> {
    lang.words()
        .numbers
        .iter()
        .find(|(_, n)| class(*n) == Some(v))
        .map(|(w, _)| *w)
}

fn small(n: NumberWord) -> Option<i128> {
    match n {
        NumberWord::Unit(v) | NumberWord::Teen(v) => Some(v),
        _ => None,
    }
}

fn tens(n: NumberWord) -> Option<i128> {
    match n {
        NumberWord::Tens(v) => Some(v),
        _ => None,
    }
}

/// `n` (1–99) spelled from the table: "twenty-one", "treinta y uno".
fn spell(lang: Lang, n: i128) -> String {
    if let Some(w) = word_of(lang, n, small) {
        return w.to_string();
    }
    let t = word_of(lang, n - n % 10, tens).unwrap();
    match (n % 10, lang) {
        (0, _) => t.to_string(),
        (u, Lang::En) => format!("{t}-{}", word_of(lang, u, small).unwrap()),
        (u, Lang::Es) => format!("{t} y {}", word_of(lang, u, small).unwrap()),
    }
}

#[test]
fn every_single_number_word_states_its_value() {
    for lang in Lang::ALL {
        for (word, n) in lang.words().numbers {
            let value = match n {
                NumberWord::Unit(v)
                | NumberWord::Teen(v)
                | NumberWord::Tens(v)
                | NumberWord::Hundreds(v) => *v,
                _ => continue,
            };
            assert_eq!(
                parse_number_statement(word),
                parse_number_statement(&value.to_string()),
                "{lang:?} {word}"
            );
        }
    }
}

#[test]
fn every_spanish_qualifier_states_what_its_english_word_does() {
    for (phrase, english) in Lang::Es.words().qualifiers {
        let def = QUALIFIERS.iter().find(|d| d.words.contains(english));
        assert!(def.is_some_and(|d| d.takes_number), "{english}");
        let es = format!("{} 5 años", phrase.join(" "));
        assert_eq!(
            parse_number_statement(&es),
            parse_number_statement(&format!("{english} 5 years")),
            "{es}"
        );
    }
}

#[test]
fn every_period_phrase_parses_and_is_extracted_as_it_means() {
    for lang in Lang::ALL {
        let words = lang.words();
        for p in words.periods {
            let seasons: Vec<_> = if p.words.contains(&"SEASON") {
                words
                    .seasons
                    .iter()
                    .map(|(w, s)| (Some(*w), s.name()))
                    .collect()
            } else {
                vec![(None, "")]
            };
            for (season_word, season) in seasons {
                let mut text = p.words.join(" ");
                let mut means = p.means.replace("SEASON", season);
                if let Some(w) = season_word {
                    text = text.replace("SEASON", w);
                }
                if p.before_year {
                    text.push_str(" 2022");
                    means.push_str(" 2022");
                }
                // The period parser reads the phrase as its English meaning.
                let parsed = parse_period(&text, &said());
                assert!(parsed.is_ok(), "{lang:?} {text}: {parsed:?}");
                assert_eq!(parsed, parse_period(&means, &said()), "{lang:?} {text}");
                // So does a date statement.
                assert!(parse_date_statement(&text, &said()).is_ok(), "{text}");
                // The extractor finds the whole phrase, with that meaning.
                let found = extract(&text, lang);
                assert_eq!(found.len(), 1, "{lang:?} {text}: {found:?}");
                assert_eq!(
                    (
                        found[0].kind,
                        found[0].value.as_str(),
                        found[0].text.as_str()
                    ),
                    (Kind::Period, means.as_str(), text.as_str()),
                    "{lang:?}"
                );
            }
        }
    }
}

proptest! {
    /// A number spelled from the table states its value and is extracted
    /// with it.
    #[test]
    fn spelled_numbers_round_trip(n in 2i128..100, es in any::<bool>()) {
        let lang = if es { Lang::Es } else { Lang::En };
        let text = spell(lang, n);
        prop_assert_eq!(
            parse_number_statement(&text),
            parse_number_statement(&n.to_string()),
            "{}", text
        );
        let found = extract(&format!("{text} autores"), lang);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", text, found);
        prop_assert_eq!(found[0].statement(), n.to_string());
    }

    /// A qualifier and a spelled number state what the qualifier and the
    /// digits do.
    #[test]
    fn qualified_spelled_numbers(n in 2i128..100, q in 0usize..7) {
        let def = QUALIFIERS.iter().filter(|d| d.takes_number).nth(q).unwrap();
        let word = def.words[0];
        prop_assert_eq!(
            parse_number_statement(&format!("{word} {} years", spell(Lang::En, n))),
            parse_number_statement(&format!("{word} {n} years"))
        );
    }
}

mod common;

/// Statements in words, through the whole engine: exact fractions, number
/// words, "all N", Spanish qualifiers, majority words and relation words.
#[test]
fn statements_in_words_are_judged() {
    insta_cmd::assert_cmd_snapshot!(common::factcheck().args([
        "verify",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "tests/fixtures/words/words.toml",
    ]));
}

//! `audit --strict` finds the words that place a fact in time, in English
//! and Spanish (issue 11, item 5): seasons, durations between two dated
//! facts, and relations such as "the same year", "the first to leave",
//! "before … was published", "since", "until" — and not the ordinary words
//! that look like them ("since" meaning because, "desde Madrid").

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;

use factcheck::date::parse_date_value;
use factcheck::statement::{parse_date_statement, parse_number_statement};
use insta_cmd::assert_cmd_snapshot;

const EN: &str = "tests/fixtures/articles/time-words-en.toml";
const ES: &str = "tests/fixtures/articles/time-words-es.toml";

#[test]
fn strict_audit_lists_english_time_words() {
    assert_cmd_snapshot!(factcheck().args(["audit", "--strict", EN]));
}

#[test]
fn strict_audit_lists_spanish_time_words() {
    assert_cmd_snapshot!(factcheck().args(["audit", "--strict", ES]));
}

#[test]
fn ordinary_words_are_not_time_words() {
    for file in [
        "tests/fixtures/articles/time-words-none.toml",
        "tests/fixtures/articles/time-words-ninguna.toml",
    ] {
        let out = factcheck()
            .args(["audit", "--strict", file])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{file}: {stdout}");
        assert!(stdout.contains("0 quantities"), "{file}: {stdout}");
    }
}

/// Every uncovered finding can be written as a claim: its statement parses
/// as a figure or a date, or it is a relation that a condition checks (its
/// statement is `true` and it says so).
#[test]
fn every_time_word_can_be_claimed() {
    let said = parse_date_value("2023-09-15").unwrap();
    for (file, words) in [
        (
            EN,
            &[
                "The first to leave",
                "before the report was even published",
                "A year later",
                "two years after",
                "The last to go",
                "this summer",
                "the same year",
                "since then",
                "until",
                "Last winter",
            ][..],
        ),
        (
            ES,
            &[
                "El primero en irse",
                "antes de que se publicara",
                "Un año después",
                "el último en irse",
                "el verano pasado",
                "el mismo año",
                "desde entonces",
                "hasta que",
                "Desde que",
                "hasta",
            ][..],
        ),
    ] {
        let out = factcheck()
            .args(["audit", "--format", "json", file])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let uncovered = v["files"][0]["uncovered"].as_array().unwrap().clone();
        let texts: Vec<&str> = uncovered
            .iter()
            .map(|u| u["text"].as_str().unwrap())
            .collect();
        for w in words {
            assert!(texts.contains(w), "{file}: {w} not in {texts:?}");
        }
        for u in &uncovered {
            let statement = u["statement"].as_str().unwrap();
            match u["kind"].as_str().unwrap() {
                "relation" => {
                    assert_eq!(statement, "true", "{u}");
                    assert!(u["measure"].as_str().unwrap().contains("condition"), "{u}");
                }
                "date" | "period" => {
                    assert!(parse_date_statement(statement, &said).is_ok(), "{u}");
                    assert!(u.get("measure").is_none(), "{u}");
                }
                _ => {
                    assert!(parse_number_statement(statement).is_ok(), "{u}");
                    assert!(u.get("measure").is_none(), "{u}");
                }
            }
        }
    }
}

//! The README's declared tables must match the code's, so the two can't drift.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::date::period_table;
use factcheck::statement::QUALIFIERS;
use factcheck::verdict::Verdict;

fn readme() -> String {
    std::fs::read_to_string("README.md").expect("README.md")
}

#[test]
fn readme_lists_every_qualifier_word() {
    let text = readme();
    for def in QUALIFIERS {
        for w in def.words {
            assert!(
                text.contains(&format!("`{w}`")),
                "README misses qualifier `{w}`"
            );
        }
    }
}

#[test]
fn readme_lists_every_period_form() {
    let text = readme();
    for (form, _) in period_table() {
        assert!(
            text.contains(&format!("`{form}`")),
            "README misses period `{form}`"
        );
    }
}

#[test]
fn readme_lists_every_verdict() {
    let text = readme();
    for v in Verdict::ALL.iter().chain([&Verdict::Error]) {
        assert!(
            text.contains(&format!("| `{}` |", v.label())),
            "README misses verdict {}",
            v.label()
        );
    }
}

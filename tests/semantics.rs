//! Exact uncertainty (issue 12, item 4): a share over records of uncertain
//! membership is decided on the shares achievable, not on their range; a
//! hedged figure is never stricter than the bare figure; a quantity cell
//! written `exactly …` is exact; a whole figure's exactness names the
//! measure's kind. Per-entity aggregates (item 5): `groups(set, column)`
//! and `distinct(set, column)`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::{factcheck, rows, verdict_rows};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

const CLAIMS: &str = "tests/fixtures/semantics/claims.toml";
const EVIDENCE: &str = "tests/fixtures/semantics/evidence";

#[test]
fn human() {
    assert_cmd_snapshot!(factcheck().args(["verify", CLAIMS, "--evidence", EVIDENCE]));
}

/// Each claim's verdict and computed value, from the JSON report.
#[test]
fn verdicts_and_values() {
    let out = factcheck()
        .args(["verify", CLAIMS, "--evidence", EVIDENCE, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = verdict_rows(&report);
    let want = [
        // 50%, 66.7% or 100%: no world gives 75%.
        ("x-gone-75", "refuted", "[50%, 100%]"),
        ("x-gone-at-least-half", "supported", "[50%, 100%]"),
        ("x-gone-all", "undetermined", "[50%, 100%]"),
        // 11 of 12 or 12 of 13, never 11 of 13 or 12 of 12.
        ("y-gone-92", "supported", "[91.667…%, 92.308…%]"),
        ("y-gone-85", "refuted", "[91.667…%, 92.308…%]"),
        // `exactly 2 years` is 2 years; `2 years` is [1.5, 2.5).
        ("a1-service-exact", "refuted", "2 years"),
        ("a2-service-digits", "undetermined", "[1.5, 2.5) years"),
        // A hedge is never stricter than the bare figure.
        ("hedge-bare", "imprecise", "5.6"),
        ("hedge-about", "imprecise", "5.6"),
        ("hedge-nearly", "supported", "5.3"),
        ("hedge-about-far", "refuted", "6.2"),
        // Per person (7, 5 and 2 years), not per spell (3.5 years).
        ("per-person-mean", "supported", "4.667… years"),
        ("per-spell-mean", "refuted", "3.5 years"),
        ("people-counted", "supported", "3"),
        ("people-distinct", "supported", "3"),
        // p4 may be staff: 3 or 4 people, the longest 7 or 10 years.
        ("staff-counted", "undetermined", "[3, 4]"),
        ("staff-longest", "undetermined", "[7, 10] years"),
    ];
    assert_eq!(got, rows(&want));
    let text = report["claims"][13]["explanation"].as_str().unwrap();
    assert!(
        text.contains("`3` for a count of groups is exact"),
        "{text}"
    );
    let text = report["claims"][0]["explanation"].as_str().unwrap();
    assert!(
        text.contains("only 50% or 66.667…% or 100% are achievable"),
        "{text}"
    );
}

/// `groups` outside an aggregate, and over a column that is not text or
/// integer, are located type errors.
#[test]
fn groups_need_an_aggregate_and_a_key_column() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("c.toml");
    std::fs::write(
        &claims,
        std::fs::read_to_string(CLAIMS).unwrap().replace(
            "count(groups(spells where person != \"p4\", person))",
            "groups(spells, person)",
        ),
    )
    .unwrap();
    let out = factcheck()
        .args(["check", claims.to_str().unwrap(), "--evidence", EVIDENCE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is the first argument of an aggregate"),
        "{err}"
    );
}

/// An integer column's unit must be a unit (`evidence/bad-unit`, located);
/// with one, its values are in that unit (`sum(group, years)` above is in
/// years without `* 1 years`).
#[test]
fn an_integer_column_with_a_bad_unit_is_located() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["sources.toml", "crew.toml", "crew.csv", "spells.csv"] {
        std::fs::copy(format!("{EVIDENCE}/{f}"), dir.path().join(f)).unwrap();
    }
    let spells = std::fs::read_to_string(format!("{EVIDENCE}/spells.toml"))
        .unwrap()
        .replace("unit = \"years\"", "unit = \"fortnights\"");
    std::fs::write(dir.path().join("spells.toml"), spells).unwrap();
    let out = factcheck()
        .args(["check", CLAIMS, "--evidence", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("evidence/bad-unit"), "{err}");
    assert!(err.contains("`fortnights` is not a unit"), "{err}");
    assert!(err.contains("spells.toml"), "{err}");
}

//! Empty sets have an answer: a mean, minimum or maximum of a set with no
//! records has no value ("no records", JSON `kind: "none"`); a value
//! stated of it is refuted (the statement presupposes records that do not
//! exist); `states = "no records"` states that there is none; a set that
//! only possibly has records admits both worlds. Where a value is needed
//! inside an expression, the claim cannot be judged (`eval/empty-set`).

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

const CLAIMS: &str = "tests/fixtures/empty/claims.toml";
const EVIDENCE: &str = "tests/fixtures/toy/evidence";

#[test]
fn human() {
    assert_cmd_snapshot!(factcheck().args(["verify", CLAIMS, "--evidence", EVIDENCE]));
}

#[test]
fn explain_a_mean_of_no_records() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "mean-of-nobody-stated",
        CLAIMS,
        "--evidence",
        EVIDENCE
    ]));
}

/// Each claim's verdict and computed value, from the JSON report.
#[test]
fn verdicts_and_values() {
    let out = factcheck()
        .args(["verify", CLAIMS, "--evidence", EVIDENCE, "--format", "json"])
        .output()
        .unwrap();
    // One claim needs a value inside a comparison: it cannot be judged.
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = verdict_rows(&report);
    let want = [
        ("mean-of-nobody-stated", "refuted", "no records"),
        ("mean-of-nobody-none", "supported", "no records"),
        ("max-of-team-x-none", "refuted", "5"),
        ("first-start-of-nobody", "refuted", "no records"),
        ("ben-maybe-there", "undetermined", "3.5 or no records"),
        ("ben-maybe-gone", "undetermined", "3.5 or no records"),
        ("ben-maybe-there-wrong", "refuted", "3.5 or no records"),
        ("nested-needs-a-value", "error", "-"),
    ];
    assert_eq!(got, rows(&want));
    let none = &report["claims"][0]["computed"];
    assert_eq!(none["kind"], "none");
    assert!(none.get("interval").is_none(), "{none}");
    assert_eq!(report["claims"][0]["allowed"], "[4.5, 5.5)");
    assert!(report["claims"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("presupposing records that do not exist"));
    // A possibly empty set is not exact, and keeps its interval.
    let maybe = &report["claims"][4]["computed"];
    assert_eq!(maybe["exact"], false);
    assert!(maybe.get("interval").is_some(), "{maybe}");
    assert_eq!(report["claims"][7]["problem"]["code"], "eval/empty-set");
}

/// `check` accepts "no records" claims, and a filter that keeps nothing is
/// expected when the claim states that there are no records.
#[test]
fn check_expects_the_filters_of_a_no_records_claim_to_be_empty() {
    let out = factcheck()
        .args(["check", CLAIMS, "--evidence", EVIDENCE, "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"claim/bad-statement"), "{codes:?}");
    assert!(codes.contains(&"eval/empty-set"), "{codes:?}");
    // The same filter warns where a value is stated (lines 15, 36, 64),
    // not where the claim states that there are no records (line 22).
    let lines: Vec<u64> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "claim/empty-filter")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [15, 36, 64]);
}

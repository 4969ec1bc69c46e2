//! Small things of issue 12: an article with no public address, the
//! Markdown and ClaimReview texts of an explanation, and `check --format
//! junit` keeping warnings.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

const NO_URL: &str = "tests/fixtures/no-url/claims.toml";
const EVIDENCE: &str = "tests/fixtures/toy/evidence";

fn run(args: &[&str]) -> std::process::Output {
    factcheck().args(args).output().unwrap()
}

/// An article with no public address checks, verifies and audits; no
/// format makes one up.
#[test]
fn an_article_without_url_checks_verifies_and_audits() {
    let check = run(&["check", NO_URL, "--evidence", EVIDENCE]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let audit = run(&["audit", NO_URL]);
    assert_eq!(audit.status.code(), Some(0), "{audit:?}");
    let json = run(&["verify", NO_URL, "--evidence", EVIDENCE, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(report["articles"][0].get("url").is_none(), "{report}");
    assert_eq!(report["claims"][0]["verdict"], "supported");
    let cr = run(&[
        "verify",
        NO_URL,
        "--evidence",
        EVIDENCE,
        "--format",
        "claimreview",
    ]);
    let cr: Value = serde_json::from_slice(&cr.stdout).unwrap();
    let appearance = &cr["@graph"][0]["itemReviewed"]["appearance"];
    assert!(appearance.get("url").is_none(), "{appearance}");
    let md = run(&[
        "verify",
        NO_URL,
        "--evidence",
        EVIDENCE,
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("\nThe article · language"), "{md}");
}

#[test]
fn an_article_without_url_in_human() {
    assert_cmd_snapshot!(factcheck().args(["verify", NO_URL, "--evidence", EVIDENCE]));
}

/// A `url` that is given must be an address: "TODO" and "unknown" stay
/// rejected, located, with what to do.
#[test]
fn a_placeholder_url_is_still_rejected() {
    for placeholder in ["TODO", "unknown"] {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(NO_URL)
            .unwrap()
            .replace(
                "language = \"en\"",
                &format!("url = \"{placeholder}\"\nlanguage = \"en\""),
            )
            .replace("text = \"memo.txt\"\n", "");
        let path = dir.path().join("claims.toml");
        std::fs::write(&path, text).unwrap();
        let out = factcheck()
            .args(["check", "--format", "json", "--evidence", EVIDENCE])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let d = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "claim/bad-url")
            .expect("claim/bad-url");
        assert!(d["line"].is_u64(), "{d}");
        assert!(
            d["help"].as_str().unwrap().contains("leave `url` out"),
            "{d}"
        );
    }
}

/// `check --format junit` has a test case per diagnostic, warnings too.
#[test]
fn check_as_junit_keeps_warnings() {
    let out = run(&[
        "check",
        "tests/fixtures/empty/claims.toml",
        "--evidence",
        EVIDENCE,
        "--format",
        "junit",
    ]);
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| n.attribute("name").unwrap().to_string())
        .collect();
    let warnings = cases
        .iter()
        .filter(|c| c.starts_with("claim/empty-filter"))
        .count();
    assert_eq!(warnings, 3, "{xml}");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("error"))
            .count(),
        1,
        "{xml}"
    );
    assert!(xml.contains("<system-out>warning: "), "{xml}");
}

/// Markdown quotes the figures of an explanation (no backslash-escaped
/// backquote); ClaimReview closes the explanation's sentence before the
/// sources.
#[test]
fn explanations_read_as_sentences() {
    let md = run(&[
        "verify",
        NO_URL,
        "--evidence",
        EVIDENCE,
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("The evidence gives 4; “4” for a count is exact"),
        "{md}"
    );
    assert!(!md.contains("\\`"), "{md}");
    let cr = run(&[
        "verify",
        NO_URL,
        "--evidence",
        EVIDENCE,
        "--format",
        "claimreview",
    ]);
    let cr: Value = serde_json::from_slice(&cr.stdout).unwrap();
    let why = cr["@graph"][0]["reviewRating"]["ratingExplanation"]
        .as_str()
        .unwrap();
    assert!(
        why.starts_with("The evidence gives 4; `4` for a count is exact. Sources: "),
        "{why}"
    );
}

/// `claim/empty-filter` warns where the condition matches no record at any
/// date (a misspelt value), whichever order `where` and `at` come in; not
/// where the filter is empty only at the date its set is taken at ("Ana
/// has left", which is what the claim states).
#[test]
fn empty_filter_warns_only_where_emptiness_is_suspicious() {
    let out = run(&[
        "check",
        "tests/fixtures/empty-filter/claims.toml",
        "--evidence",
        EVIDENCE,
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<u64> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "claim/empty-filter")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    // The "Anna" claims (lines 28 and 34), not the "Ana" ones (16, 22).
    assert_eq!(lines, [28, 34], "{v}");
}

//! The `factcheck` command as a user runs it: output and exit codes,
//! recorded as insta snapshots (review changes with `cargo insta review`).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::{factcheck, seed_article};

use insta_cmd::assert_cmd_snapshot;

#[test]
fn seed_report_human_exits_1_because_claims_are_refuted() {
    let Some(article) = seed_article("seed_report_human_exits_1_because_claims_are_refuted") else {
        return;
    };
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "claims/llama-exodus-es.toml",
        "--article",
        article
    ]));
}

#[test]
fn seed_report_json() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "claims",
        "--evidence",
        "evidence",
        "--format",
        "json"
    ]));
}

#[test]
fn all_supported_or_uncheckable_exits_0() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/toy/claims/toy.toml",
        "--evidence",
        "tests/fixtures/toy/evidence"
    ]));
}

#[test]
fn uncertain_and_refuted_claims_exit_1() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/toy/claims/uncertain.toml",
        "--evidence",
        "tests/fixtures/toy/evidence"
    ]));
}

#[test]
fn invalid_claims_exit_2_with_every_problem_located() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/invalid/bad.toml",
        "--evidence",
        "tests/fixtures/toy/evidence"
    ]));
}

#[test]
fn invalid_claims_as_json() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/invalid/bad.toml",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "--format",
        "json"
    ]));
}

#[test]
fn empty_denominator_exits_2() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/invalid/empty-denominator.toml",
        "--evidence",
        "tests/fixtures/toy/evidence"
    ]));
}

#[test]
fn missing_path_exits_2() {
    assert_cmd_snapshot!(factcheck().args(["verify", "no/such/claims.toml"]));
}

#[test]
fn one_claim_by_id() {
    assert_cmd_snapshot!(factcheck().args(["verify", "--claim", "share-left-78-percent"]));
}

#[test]
fn unknown_claim_id_suggests_the_nearest() {
    assert_cmd_snapshot!(factcheck().args(["verify", "--claim", "share-left-78-percnt"]));
}

#[test]
fn as_of_does_not_move_the_articles_words() {
    // Judged as of June 2025, the article's "last month" is still the
    // month before it was published (April 2025): Pineau's April
    // announcement still fits. The report names both dates.
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--claim",
        "pineau-announced-last-month",
        "--claim",
        "behemoth-delay-recent",
        "--as-of",
        "2025-09-01"
    ]));
}

#[test]
fn quote_missing_from_article_exits_2_with_closest_passage() {
    let Some(article) = seed_article("quote_missing_from_article_exits_2_with_closest_passage")
    else {
        return;
    };
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "tests/fixtures/invalid/drifted-quote.toml",
        "--evidence",
        "evidence",
        "--article",
        article
    ]));
}

#[test]
fn explain_traces_a_share_claim() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "share-left-78-percent",
        "claims/llama-exodus-es.toml"
    ]));
}

#[test]
fn explain_as_json() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "half-in-team-x",
        "tests/fixtures/toy/claims/toy.toml",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "--format",
        "json"
    ]));
}

/// Per-record aggregates inside a measure, over definitions: each
/// record's value comes from the one evaluation of the claim.
#[test]
fn explain_traces_per_record_aggregates() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "pineau-led-fair-eight-years",
        "claims/llama-exodus-es.toml"
    ]));
}

/// A mean of a per-record `refine`, a filter taken at a date inside `any`,
/// and an aggregate over groups: every part paired with its node.
#[test]
fn explain_traces_nested_filters_refinements_and_groups() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "leavers-average-over-five-years",
        "claims/llama-exodus-es.toml"
    ]));
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "destination-lacroix-mistral",
        "claims/llama-exodus-es.toml"
    ]));
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "per-person-mean",
        "tests/fixtures/semantics/claims.toml",
        "--evidence",
        "tests/fixtures/semantics/evidence"
    ]));
}

#[test]
fn explain_an_unknown_claim_exits_2_with_a_suggestion() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "share-left-78-per-cent",
        "claims/llama-exodus-es.toml"
    ]));
}

#[test]
fn bad_as_of_date_is_reported_with_every_other_problem() {
    // The date is parsed by the command line; the run still reports the
    // other problems, and judges nothing.
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--as-of",
        "2025-13-01",
        "--claim",
        "no-such-claim"
    ]));
}

#[test]
fn a_missing_root_names_the_option() {
    let out = factcheck()
        .args(["check", "--root", "no/such/root"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[io/root]"), "{stderr}");
    assert!(
        stderr.contains("help: pass the top directory of the claims and evidence with --root DIR"),
        "{stderr}"
    );
}

#[test]
fn no_progress_is_drawn_on_a_pipe() {
    // Standard error is a pipe here: outside CI too, the run writes
    // nothing to it but diagnostics (there are none).
    let out = factcheck()
        .env_remove("CI")
        .args([
            "verify",
            "tests/fixtures/toy/claims/toy.toml",
            "--evidence",
            "tests/fixtures/toy/evidence",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn timeline_of_only_three_remain() {
    // On which days "only three of the fourteen remain" was true: the
    // evaluation date moves, the article's words do not.
    assert_cmd_snapshot!(factcheck().args([
        "timeline",
        "--claim",
        "only-three-remain",
        "--claim",
        "pineau-announced-last-month"
    ]));
}

#[test]
fn timeline_json() {
    assert_cmd_snapshot!(factcheck().args([
        "timeline",
        "--claim",
        "only-three-remain",
        "--format",
        "json"
    ]));
}

//! A claim's problem belongs to that claim: a run whose claims include
//! some that cannot be judged (an empty denominator, evidence that
//! conflicts, an overflow) still judges every other claim, and reports
//! each problem, located, in every format, in `explain` and in `timeline`;
//! the exit code is 2 whatever `--fail-on` says.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use std::process::Command;

use common::factcheck;
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

const CLAIMS: &str = "tests/fixtures/unjudged/claims.toml";
const EVIDENCE: &str = "tests/fixtures/toy/evidence";

fn verify(format: &str) -> Command {
    let mut cmd = factcheck();
    cmd.args(["verify", CLAIMS, "--evidence", EVIDENCE, "--format", format]);
    cmd
}

#[test]
fn human() {
    assert_cmd_snapshot!(verify("human"));
}

#[test]
fn json() {
    assert_cmd_snapshot!(verify("json"));
}

#[test]
fn markdown() {
    assert_cmd_snapshot!(verify("markdown"));
}

#[test]
fn html() {
    assert_cmd_snapshot!(verify("html"));
}

#[test]
fn github() {
    assert_cmd_snapshot!(verify("github"));
}

#[test]
fn sarif() {
    assert_cmd_snapshot!(verify("sarif"));
}

#[test]
fn junit() {
    assert_cmd_snapshot!(verify("junit"));
}

#[test]
fn claimreview() {
    assert_cmd_snapshot!(verify("claimreview"));
}

#[test]
fn explain_a_claim_that_cannot_be_judged_exits_2() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "share-of-nobody",
        CLAIMS,
        "--evidence",
        EVIDENCE
    ]));
}

#[test]
fn explain_a_good_claim_beside_a_failing_one_exits_0() {
    let out = factcheck()
        .args([
            "explain",
            "two-in-team-x",
            CLAIMS,
            "--evidence",
            EVIDENCE,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["verdict"], "supported");
}

#[test]
fn timeline() {
    assert_cmd_snapshot!(factcheck().args(["timeline", CLAIMS, "--evidence", EVIDENCE]));
}

/// Every claim is in the JSON report: the judged ones with their verdict,
/// the others `error` with their problem located; the report validates
/// against the published schema.
#[test]
fn json_has_every_claim_and_each_problem_located() {
    let out = verify("json").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<(&str, &str)> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("two-in-team-x", "supported"),
            ("share-of-nobody", "error"),
            ("ana-scored-seven", "error"),
            ("five-in-team-y", "refuted"),
            ("too-large", "error"),
        ]
    );
    let p = &report["claims"][1]["problem"];
    assert_eq!(p["code"], "eval/empty-denominator");
    assert_eq!(p["file"], CLAIMS);
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(22), Some(12))
    );
    assert_eq!(
        report["claims"][2]["problem"]["code"],
        "eval/conflicting-evidence"
    );
    assert!(report["claims"][0].get("problem").is_none());
    assert_eq!(report["claims"][4]["problem"]["code"], "eval/overflow");
    assert_eq!(report["summary"]["error"], 3);
    assert_eq!(report["summary"]["total"], 5);

    let schema = factcheck().arg("schema").output().unwrap();
    let schema: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Exit 2 when a claim cannot be judged, even with a refuted claim (1) and
/// whatever `--fail-on` says; the same claims without the failing ones exit
/// 1 (refuted) or 0 (`--fail-on none`).
#[test]
fn exit_codes() {
    let code = |args: &[&str]| {
        let mut cmd = factcheck();
        cmd.args(["verify", CLAIMS, "--evidence", EVIDENCE])
            .args(args);
        cmd.output().unwrap().status.code()
    };
    assert_eq!(code(&[]), Some(2));
    assert_eq!(code(&["--fail-on", "none"]), Some(2));
    assert_eq!(code(&["--claim", "share-of-nobody"]), Some(2));
    assert_eq!(
        code(&["--claim", "two-in-team-x", "--claim", "five-in-team-y"]),
        Some(1)
    );
    assert_eq!(
        code(&[
            "--claim",
            "two-in-team-x",
            "--claim",
            "five-in-team-y",
            "--fail-on",
            "none"
        ]),
        Some(0)
    );
}

/// `check` still reports a problem met while evaluating as an error.
#[test]
fn check_reports_the_problems_as_errors() {
    let out = factcheck()
        .args(["check", CLAIMS, "--evidence", EVIDENCE, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "eval/empty-denominator",
            "eval/conflicting-evidence",
            "eval/overflow"
        ]
    );
}

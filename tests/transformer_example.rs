//! The example article about the eight authors of "Attention Is All You
//! Need" (claims/transformer-2023.toml, its text beside it, and the
//! evidence/transformer-2023/ tables): its verdicts, the timeline of
//! "all eight have left Google", and full audit coverage, as snapshots and
//! assertions. The text ships in the repository, so none of these needs
//! ../shared.

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

const CLAIMS: &str = "claims/transformer-2023.toml";

/// Every verdict of the example, as an editor reads them.
#[test]
fn transformer_example_verdicts() {
    assert_cmd_snapshot!(factcheck().args(["verify", CLAIMS]));
}

/// On which days "all eight have left Google" held: undetermined while
/// Llion Jones's exit is only known to lie between July and 2023-08-17,
/// supported from 2023-08-17, refuted once Noam Shazeer was back at
/// Google (August 2024), true again after he left for OpenAI (June 2026).
#[test]
fn transformer_example_timeline_all_eight_left() {
    assert_cmd_snapshot!(factcheck().args([
        "timeline",
        CLAIMS,
        "--claim",
        "transformer-all-eight-left"
    ]));
}

/// The same periods as data: the verdict on the article's own date is
/// supported, and the claim is refuted on a day when Shazeer was certainly
/// back at Google.
#[test]
fn transformer_example_timeline_json_agrees_with_the_article_date() {
    let out = factcheck()
        .args([
            "timeline",
            CLAIMS,
            "--claim",
            "transformer-all-eight-left",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let verdict_on = |day: &str| -> String {
        let periods = v
            .pointer("/claims/0/periods")
            .and_then(|p| p.as_array())
            .unwrap_or_else(|| panic!("no periods in {text}"));
        let hit = periods.iter().find(|p| {
            let from_ok = p["from"].as_str().is_none_or(|f| f <= day);
            let to_ok = p["to"].as_str().is_none_or(|t| day <= t);
            from_ok && to_ok
        });
        hit.unwrap_or_else(|| panic!("no period covers {day} in {text}"))["verdict"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(verdict_on("2023-09-15"), "supported");
    assert_eq!(verdict_on("2023-07-20"), "undetermined");
    assert_eq!(verdict_on("2024-12-01"), "refuted");
}

/// Every quantity of the example's text is covered by a claim or an
/// `[[ignore]]`: `audit --strict` passes.
#[test]
fn transformer_example_is_fully_audited() {
    let out = factcheck()
        .args(["audit", "--strict", CLAIMS])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("0 uncovered quantities, 0 drifted quotes"),
        "{stdout}"
    );
}

/// `check` on the example alone reports no error and no warning about its
/// own tables, sources or definitions.
#[test]
fn transformer_example_checks_clean() {
    let out = factcheck().args(["check", CLAIMS]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Each warning names its place on the line after it (` --> file:line`).
    let lines: Vec<&str> = stderr.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("warning") {
            let place = lines.get(i + 1).copied().unwrap_or_default();
            assert!(!place.contains("transformer"), "{line}\n{place}\n{stderr}");
        }
    }
}

/// `verify --changes` says from which later day the evidence gives
/// another verdict: "all eight have left" holds on the article's date and
/// is undetermined from Shazeer's announced return.
#[test]
fn verify_changes_names_the_next_change() {
    let mut cmd = factcheck();
    cmd.args([
        "verify",
        "claims/transformer-2023.toml",
        "--changes",
        "--claim",
        "transformer-all-eight-left",
        "--claim",
        "transformer-jones-this-summer",
        "--format",
        "json",
    ]);
    let out = cmd.output().expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let claims = v["claims"].as_array().expect("claims");
    let by_id = |id: &str| {
        claims
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    let all = by_id("transformer-all-eight-left");
    assert_eq!(all["verdict"], "supported");
    assert_eq!(all["changes"]["from"], "2024-08-02");
    assert_eq!(all["changes"]["verdict"], "undetermined");
    // Its words count from the article's date, so it never changes.
    let summer = by_id("transformer-jones-this-summer");
    assert_eq!(summer["verdict"], "supported");
    assert!(summer.get("changes").is_none(), "{summer}");
    // Without the flag, nothing is said.
    let plain = factcheck()
        .args(["verify", "claims/transformer-2023.toml", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("json");
    assert!(v["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .all(|c| c.get("changes").is_none()));
}

#[test]
fn verify_changes_human() {
    let mut cmd = factcheck();
    cmd.args([
        "verify",
        "claims/transformer-2023.toml",
        "--changes",
        "--claim",
        "transformer-all-eight-left",
    ]);
    assert_cmd_snapshot!(cmd);
}

//! Sources that disagree (`[[alternative]]`) and values the evidence
//! infers (`[[inference]]`): a claim is judged in every variant of the
//! evidence its measure reads; the verdict stands when all agree, is
//! `undetermined` and says which reading gives what when they do not, and
//! says what it rests on when it differs without the inferred values.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::factcheck;
use factcheck::engine::{verify, NoProgress, Options, Selection, Workspace};
use factcheck::verdict::{ClaimVerdict, Verdict};
use insta_cmd::assert_cmd_snapshot;

const FIXTURE: &str = "tests/fixtures/variants";

/// The verdicts of a fixture, by claim id, judged with or without
/// inferred values.
fn verdicts(dir: &str, sourced_only: bool) -> BTreeMap<String, ClaimVerdict> {
    let ws = Workspace::from_dirs(Options {
        paths: vec![PathBuf::from(format!("{dir}/claims.toml"))],
        evidence: PathBuf::from(format!("{dir}/evidence")),
        ..Options::default()
    })
    .with_sourced_only(sourced_only);
    let run = verify(&ws, &Selection::default(), &mut NoProgress).expect("verified");
    run.report
        .claims
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect()
}

/// Ada's departure: the roster says November 2021, the Gazette March
/// 2022. "Ada left in 2021" depends on which is right; "Ada left before
/// 2023" holds either way; the annual report, ordered after Ada's
/// departure, is dated by whichever is right. Bram's departure is
/// narrowed by an inference: "Bram left in 2021" is refuted with it and
/// undetermined without it. Claims that read no disputed cell say nothing
/// of the dispute.
#[test]
fn verify_judges_every_reading() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
    ]));
}

#[test]
fn verify_json_carries_readings_and_inferences() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--format",
        "json",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
        "--claim",
        "ada-left-in-2021",
        "--claim",
        "bram-left-in-2021",
    ]));
}

#[test]
fn verify_without_inferences_uses_sourced_values_only() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--no-inferences",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
        "--claim",
        "bram-left-in-2021",
        "--claim",
        "bram-left-before-2024",
    ]));
}

#[test]
fn explain_shows_the_readings() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "ada-left-in-2021",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
    ]));
}

#[test]
fn explain_shows_both_verdicts_of_an_inference() {
    assert_cmd_snapshot!(factcheck().args([
        "explain",
        "bram-left-in-2021",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
    ]));
}

/// Every malformed alternative or inference is a located error.
#[test]
fn bad_alternatives_and_inferences_are_located() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--evidence",
        "tests/fixtures/variants-invalid/evidence",
        "tests/fixtures/variants-invalid/claims.toml",
    ]));
}

/// Seven disputed cells read at once make 128 combinations: that claim is
/// an error, located at its measure; the others are judged.
#[test]
fn too_many_combinations_is_the_claims_error() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--evidence",
        "tests/fixtures/variants-many/evidence",
        "tests/fixtures/variants-many/claims.toml",
    ]));
}

/// The verdict without inferences that a report names is the verdict a
/// run with sourced values only gives, claim by claim; a verdict that
/// names none is the same in both runs. At least one verdict of the
/// fixture flips.
#[test]
fn the_weaker_reading_is_the_sourced_only_verdict() {
    for dir in [FIXTURE, "."] {
        let with = if dir == "." {
            seed_verdicts(false)
        } else {
            verdicts(dir, false)
        };
        let without = if dir == "." {
            seed_verdicts(true)
        } else {
            verdicts(dir, true)
        };
        let mut flipped = 0;
        for (id, v) in &with {
            let sourced = without.get(id).expect("same claims").verdict;
            match v.without_inferences {
                Some(w) => {
                    flipped += 1;
                    assert_eq!(w, sourced, "{id}");
                    assert_ne!(w, v.verdict, "{id}");
                    assert!(!v.rests_on.is_empty(), "{id}");
                    assert!(v.explanation.contains("rests on the inference"), "{id}");
                }
                None => assert_eq!(v.verdict, sourced, "{id}"),
            }
        }
        assert!(flipped > 0, "{dir}: no verdict rests on an inference");
    }
}

fn seed_verdicts(sourced_only: bool) -> BTreeMap<String, ClaimVerdict> {
    let ws = Workspace::from_dirs(Options {
        paths: vec![PathBuf::from("claims")],
        evidence: PathBuf::from("evidence"),
        ..Options::default()
    })
    .with_sourced_only(sourced_only);
    let run = verify(&ws, &Selection::default(), &mut NoProgress).expect("verified");
    run.report
        .claims
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect()
}

/// A claim whose readings disagree is undetermined and lists one reading
/// per combination, each with the verdict a dataset holding only that
/// reading gives; a claim whose readings agree keeps its verdict.
#[test]
fn readings_match_the_datasets_they_stand_for() {
    let v = verdicts(FIXTURE, false);
    let ada = v.get("ada-left-in-2021").expect("claim");
    assert_eq!(ada.readings.len(), 2);
    let per_reading: Vec<Verdict> = ada.readings.iter().map(|r| r.verdict).collect();
    assert!(per_reading.iter().any(|x| *x != per_reading[0]));
    assert_eq!(ada.verdict, Verdict::Undetermined);
    // The first reading is the record's own value: a copy of the dataset
    // without the alternative gives its verdict.
    let dir = std::env::temp_dir().join(format!("factcheck-variants-{}", std::process::id()));
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).unwrap();
    for f in ["sources.toml", "staff.csv", "reports.toml", "events.toml"] {
        std::fs::copy(format!("{FIXTURE}/evidence/{f}"), ev.join(f)).unwrap();
    }
    let staff = std::fs::read_to_string(format!("{FIXTURE}/evidence/staff.toml")).unwrap();
    let start = staff.find("[[alternative]]").unwrap();
    let end = staff.find("# The roster only").unwrap();
    let mut without_alt = staff.clone();
    without_alt.replace_range(start..end, "");
    std::fs::write(ev.join("staff.toml"), &without_alt).unwrap();
    std::fs::copy(format!("{FIXTURE}/claims.toml"), dir.join("claims.toml")).unwrap();
    let ws = Workspace::from_dirs(Options {
        paths: vec![dir.join("claims.toml")],
        evidence: ev.clone(),
        root: Some(dir.clone()),
        ..Options::default()
    });
    let run = verify(&ws, &Selection::default(), &mut NoProgress).expect("verified");
    let alone = run
        .report
        .claims
        .iter()
        .find(|c| c.id == "ada-left-in-2021")
        .expect("claim");
    assert_eq!(alone.verdict, per_reading[0]);
    assert!(alone.readings.is_empty());
    std::fs::remove_dir_all(&dir).ok();
    let before = v.get("ada-left-before-2023").expect("claim");
    assert!(before.readings.iter().all(|r| r.verdict == before.verdict));
    assert!(before.explanation.contains("holds either way"));
    let fair = v.get("fair-in-2019").expect("claim");
    assert!(fair.readings.is_empty() && fair.without_inferences.is_none());
}

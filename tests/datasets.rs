//! A dataset used as published: a table without a key column and without
//! a sources column, citing its dataset once and pinned by the SHA-256 of
//! its file.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::factcheck;
use factcheck::engine::{verify, NoProgress, Selection, Workspace};
use insta_cmd::assert_cmd_snapshot;

const DIR: &str = "tests/fixtures/dataset";

#[test]
fn a_keyless_pinned_dataset_verifies() {
    let mut cmd = factcheck();
    cmd.args([
        "verify",
        "--evidence",
        &format!("{DIR}/evidence"),
        &format!("{DIR}/claims/survey.toml"),
    ]);
    assert_cmd_snapshot!(cmd);
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).expect("fixture")
}

/// The same dataset given as texts in memory: the pin is checked on the
/// text, so a changed text is reported and an unchanged one is not.
#[test]
fn a_pin_is_checked_on_texts_in_memory_too() {
    let ws = |csv: &str| {
        Workspace::in_memory()
            .with_evidence("sources.toml", read("evidence/sources.toml"))
            .with_evidence("survey.toml", read("evidence/survey.toml"))
            .with_evidence("survey.csv", csv)
            .with_claim_file("survey.toml", read("claims/survey.toml"))
    };
    let csv = read("evidence/survey.csv");
    let ok = verify(&ws(&csv), &Selection::default(), &mut NoProgress).expect("verifies");
    assert_eq!(ok.report.claims.len(), 3);
    let changed = csv.replace("1200", "1201");
    let Err(failed) = verify(&ws(&changed), &Selection::default(), &mut NoProgress) else {
        panic!("a changed file must be an error");
    };
    let codes: Vec<_> = failed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["evidence/hash-mismatch"]);
}

/// `check --update-hashes` rewrites a pin that is not the hash of the file
/// read, and only then does the changed file check.
#[test]
fn update_hashes_rewrites_a_stale_pin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ev = dir.path().join("evidence");
    let claims = dir.path().join("claims");
    std::fs::create_dir_all(&ev).expect("mkdir");
    std::fs::create_dir_all(&claims).expect("mkdir");
    for f in ["sources.toml", "survey.toml"] {
        std::fs::write(ev.join(f), read(&format!("evidence/{f}"))).expect("write");
    }
    std::fs::write(claims.join("survey.toml"), read("claims/survey.toml")).expect("write");
    let csv = read("evidence/survey.csv") + "East,2023,10,1.0\n";
    std::fs::write(ev.join("survey.csv"), &csv).expect("write");
    let check = |extra: &[&str]| {
        factcheck()
            .arg("check")
            .args(extra)
            .arg("--evidence")
            .arg(&ev)
            .arg(&claims)
            .output()
            .expect("runs")
    };
    assert_eq!(check(&[]).status.code(), Some(2), "a stale pin is an error");
    let updated = check(&["--update-hashes"]);
    assert_eq!(
        updated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&updated.stderr)
    );
    assert!(String::from_utf8_lossy(&updated.stderr).contains("updated the pin of table `survey`"));
    let table = std::fs::read_to_string(ev.join("survey.toml")).expect("read");
    let want = factcheck::evidence::sha256_hex(csv.as_bytes());
    assert!(table.contains(&format!("sha256 = \"{want}\"")), "{table}");
    assert_eq!(check(&[]).status.code(), Some(0));
}

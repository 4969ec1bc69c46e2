//! Auditing new articles: `factcheck new` writes a skeleton, `factcheck
//! audit` lists what no claim covers and which quotes drifted.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::{factcheck, SEED_ARTICLE};

use std::path::PathBuf;

use insta_cmd::assert_cmd_snapshot;

const TEAM: &str = "tests/fixtures/articles/team.txt";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("factcheck-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn audit_lists_uncovered_quantities_drift_and_ignored_passages() {
    assert_cmd_snapshot!(factcheck().args(["audit", "tests/fixtures/articles/team-partial.toml"]));
}

#[test]
fn audit_as_json() {
    let out = factcheck()
        .args([
            "audit",
            "tests/fixtures/articles/team-partial.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["quantities"], 9);
    assert_eq!(f["covered"], 5);
    assert_eq!(f["uncovered"].as_array().unwrap().len(), 4);
    assert_eq!(f["uncovered"][0]["line"], 4);
    assert_eq!(f["uncovered"][0]["statement"], "only 3");
    assert_eq!(f["drifted"][0]["claim"], "drifted");
    assert_eq!(f["ignored"].as_array().unwrap().len(), 1);
    assert_eq!(out.status.code(), Some(1), "drift exits 1");
}

/// The shipped claim files cover every quantity of their articles (or
/// ignore it with a reason): `audit --strict` passes.
#[test]
fn shipped_articles_are_fully_covered() {
    let mut cmd = factcheck();
    cmd.args(["audit", "--strict"]);
    if std::path::Path::new(SEED_ARTICLE).exists() {
        cmd.args(["--article", SEED_ARTICLE]);
    } else {
        cmd.arg("claims/rust-one-year-2016.toml");
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("0 uncovered quantities, 0 drifted quotes"),
        "{stdout}"
    );
}

#[test]
fn strict_audit_fails_without_article_text() {
    let out = factcheck()
        .args(["audit", "--strict", "tests/fixtures/toy/claims/toy.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = factcheck()
        .args(["audit", "tests/fixtures/toy/claims/toy.toml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "not strict: reported, not failed"
    );
}

#[test]
fn strict_audit_passes_a_text_withheld_with_its_reason() {
    // The seed's claim file says why its text is not shipped: without the
    // text, strict audit reports it and passes; a claim file that gives no
    // reason still fails (above).
    let out = factcheck()
        .args(["audit", "--strict", "claims/llama-exodus-es.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("not audited: the text is withheld (the reprint's licence"),
        "{stdout}"
    );
    assert!(stdout.contains("1 with the text withheld"), "{stdout}");
    let json = factcheck()
        .args(["audit", "--format", "json", "claims/llama-exodus-es.toml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v["files"][0]["text_withheld"]
        .as_str()
        .unwrap()
        .starts_with("the reprint's licence"));
}

#[test]
fn a_withheld_text_needs_a_reason() {
    let dir = scratch("withheld");
    let file = dir.join("w.toml");
    std::fs::write(
        &file,
        "[article]\nid = \"w\"\ntitle = \"t\"\nurl = \"https://example.org/w\"\nlanguage = \"en\"\npublished = \"2025-01-01\"\ntext_withheld = \" \"\n",
    )
    .unwrap();
    let out = factcheck()
        .args(["audit", "--strict"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("claim/missing-reason"), "{stderr}");
    assert!(
        stderr.contains("a withheld text needs a reason"),
        "{stderr}"
    );
}

#[test]
fn new_writes_a_skeleton_that_checks_and_audits() {
    let dir = scratch("new");
    let out_file = dir.join("team.toml");
    let article = std::fs::canonicalize(TEAM).unwrap();
    let run = |extra: &[&str]| {
        factcheck()
            .args([
                "new",
                article.to_str().unwrap(),
                "-o",
                out_file.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[
        "--lang",
        "en",
        "--published",
        "2025-01-15",
        "--url",
        "https://example.org/team",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&out_file).unwrap();
    // The text path is relative to the claim file; keep the snapshot stable.
    let rel = factcheck::skeleton::relative_to(&article, &out_file);
    insta::assert_snapshot!(written.replace(&rel, "<article>"));
    // The skeleton is a valid claim file.
    let check = factcheck()
        .args([
            "check",
            "--evidence",
            "tests/fixtures/toy/evidence",
            out_file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Every quantity is still uncovered: the claims are commented out.
    let audit = factcheck()
        .args(["audit", "--format", "json", out_file.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["covered"], 0);
    assert_eq!(
        f["uncovered"].as_array().unwrap().len() as u64,
        f["quantities"].as_u64().unwrap()
    );
    assert_eq!(
        written.matches("# [[claim]]").count() as u64,
        f["quantities"].as_u64().unwrap()
    );
    // A second run does not overwrite it.
    std::fs::write(&out_file, "kept").unwrap();
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("io/exists"));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "kept");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Without `--url` no address is made up: the skeleton leaves `url` out
/// (commented), and it checks and audits as it is.
#[test]
fn new_without_url_writes_a_file_that_checks_and_audits() {
    let dir = scratch("new-no-url");
    let out_file = dir.join("team.toml");
    let article = std::fs::canonicalize(TEAM).unwrap();
    let out = factcheck()
        .args([
            "new",
            article.to_str().unwrap(),
            "-o",
            out_file.to_str().unwrap(),
        ])
        .args(["--lang", "en", "--published", "2025-01-15"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(!written.lines().any(|l| l.starts_with("url")), "{written}");
    assert!(
        written.lines().any(|l| l.starts_with("# url = ")),
        "{written}"
    );
    for args in [
        vec!["check", "--evidence", "tests/fixtures/toy/evidence"],
        vec!["audit"],
    ] {
        let run = factcheck()
            .args(&args)
            .arg(out_file.to_str().unwrap())
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

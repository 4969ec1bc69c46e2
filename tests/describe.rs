//! `factcheck describe FILE`: a table description written from a data
//! file, snapshot-tested on a real published file and on fixtures written
//! the ways statistics offices publish (Windows-1252, `;`, decimal commas,
//! title lines, missing-value tokens, gzip, month-first dates).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::factcheck;
use insta_cmd::assert_cmd_snapshot;

fn describe(path: &str) -> std::process::Command {
    let mut cmd = factcheck();
    cmd.args(["describe", path]);
    cmd
}

/// NOAA's daily Seattle weather as vega-datasets publishes it.
#[test]
fn describe_seattle_weather() {
    assert_cmd_snapshot!(describe(
        "evidence/seattle-december-2015/seattle-weather.csv"
    ));
}

/// A real CSV of the seed evidence.
#[test]
fn describe_employment() {
    assert_cmd_snapshot!(describe("evidence/employment.csv"));
}

#[test]
fn describe_a_european_file() {
    assert_cmd_snapshot!(describe("tests/fixtures/published/evidence/paro.csv"));
}

#[test]
fn describe_a_gzip_file() {
    assert_cmd_snapshot!(describe("tests/fixtures/published/evidence/stints.csv.gz"));
}

/// What describe writes is a table file factcheck reads: with a source
/// declared, the described table loads without an error.
#[test]
fn a_description_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = describe("tests/fixtures/published/evidence/paro.csv")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.replace("# sources = [\"<id>\"]", "sources = [\"s\"]");
    std::fs::write(dir.path().join("paro.toml"), text).unwrap();
    std::fs::copy(
        "tests/fixtures/published/evidence/paro.csv",
        dir.path().join("paro.csv"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        "[[source]]\nid = \"s\"\ntitle = \"t\"\npublisher = \"p\"\nurl = \"https://example.org/\"\ndate = \"2025\"\n",
    )
    .unwrap();
    let cdir = tempfile::tempdir().unwrap();
    let claims = cdir.path().join("c.toml");
    std::fs::write(
        &claims,
        "[article]\nid = \"a\"\ntitle = \"t\"\nurl = \"https://example.org/a\"\nlanguage = \"en\"\npublished = \"2025-01-01\"\n\n[[claim]]\nid = \"c\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = \"sum(paro where parados is known, parados)\"\nstates = \"4802\"\n",
    )
    .unwrap();
    let out = factcheck()
        .args(["verify", "--evidence"])
        .arg(dir.path())
        .arg(&claims)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("SUPPORTED"), "{stdout}");
}

/// A file that is not text is a located error, exit 2.
#[test]
fn a_binary_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, b"a,b\n1,\x00\n").unwrap();
    let out = factcheck().arg("describe").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("describe/unreadable"));
}

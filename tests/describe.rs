//! `factcheck describe FILE`: a table description written from a data
//! file, snapshot-tested on a real published file and on fixtures written
//! the ways statistics offices publish (Windows-1252, `;`, decimal commas,
//! title lines, missing-value tokens, gzip, month-first dates).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{description_verifies, factcheck, Described};
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
    let described = Described {
        data: "tests/fixtures/published/evidence/paro.csv",
        table: "paro.toml",
        copies: &[],
        sources: Some("[[source]]\nid = \"s\"\ntitle = \"t\"\npublisher = \"p\"\nurl = \"https://example.org/\"\ndate = \"2025\"\n"),
        measure: "sum(paro where parados is known, parados)",
        states: "4802",
    };
    description_verifies(&described, |text| {
        text.replace("# sources = [\"<id>\"]", "sources = [\"s\"]")
    });
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

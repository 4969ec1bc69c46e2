//! Data files read as published, beyond plain CSV: undeclared columns
//! skipped, derived columns, zstd compression and JSON Lines; and the
//! dataset a verdict's records come from, cited in every report format.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::factcheck;
use insta_cmd::assert_cmd_snapshot;

const DIR: &str = "tests/fixtures/formats";

fn verify(format: &str) -> std::process::Command {
    let mut cmd = factcheck();
    cmd.args([
        "verify",
        "--format",
        format,
        "--evidence",
        &format!("{DIR}/evidence"),
        &format!("{DIR}/claims/formats.toml"),
    ]);
    cmd
}

/// Every table of the fixture loads and every claim about it holds: the
/// undeclared CSV columns are skipped, the derived columns computed.
#[test]
fn files_in_every_format_verify() {
    assert_cmd_snapshot!(verify("human"));
}

/// The JSON report cites each dataset once per verdict, with its hash.
#[test]
fn verdicts_cite_their_dataset_in_json() {
    let out = verify("json").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let claims = v["claims"].as_array().unwrap();
    assert!(!claims.is_empty());
    let want = factcheck::evidence::sha256_hex(
        &std::fs::read(format!("{DIR}/evidence/readings.csv")).unwrap(),
    );
    for c in claims {
        let tables: Vec<&str> = c["witness_counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["table"].as_str().unwrap())
            .collect();
        let datasets = c["datasets"].as_array().unwrap();
        assert_eq!(datasets.len(), tables.len(), "{c}");
        for d in datasets {
            if d["table"] == "readings" {
                assert_eq!(d["sha256"], want.as_str());
                assert_eq!(d["version"], "1.0");
                assert_eq!(d["retrieved"], "2025-01-15");
            }
        }
    }
}

/// The seattle article's table cites vega-datasets 3.2.1 and the file's
/// hash in every report format (one refuted claim, which every format
/// reports, to keep the snapshots short).
#[test]
fn the_seattle_dataset_is_cited_in_every_format() {
    for format in [
        "human",
        "json",
        "markdown",
        "junit",
        "sarif",
        "github",
        "claimreview",
        "html",
    ] {
        let mut cmd = factcheck();
        cmd.args([
            "verify",
            "--format",
            format,
            "--claim",
            "rain-every-day-of-december",
            "claims/seattle-december-2015.toml",
        ]);
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: refuted");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be"),
            "{format}: no hash"
        );
        assert!(text.contains("3.2.1"), "{format}: no version");
        insta::assert_snapshot!(format!("seattle_dataset_{format}"), text);
    }
}

/// The zstd file with a byte of its last frame's checksum changed (a copy
/// in a temporary directory) is an error, with nothing loaded.
#[test]
fn a_zstd_checksum_mismatch_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(format!("{DIR}/evidence")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
    }
    let mut z = std::fs::read(format!("{DIR}/evidence/sales.csv.zst")).unwrap();
    let n = z.len();
    // The checksum is the frame's last four bytes.
    z[n - 1] ^= 0xff;
    let path = dir.path().join("sales.csv.zst");
    std::fs::write(&path, &z).unwrap();
    let table = dir.path().join("sales.toml");
    // The pin follows the changed file: the stream itself is the problem.
    let t = std::fs::read_to_string(&table).unwrap();
    let old = factcheck::evidence::sha256_hex(
        &std::fs::read(format!("{DIR}/evidence/sales.csv.zst")).unwrap(),
    );
    let new = factcheck::evidence::sha256_hex(&z);
    std::fs::write(&table, t.replace(&old, &new)).unwrap();
    let out = factcheck()
        .args(["check", "--evidence"])
        .arg(dir.path())
        .arg(format!("{DIR}/claims/formats.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("io/bad-zstd"), "{stderr}");
    assert!(stderr.contains("checksum"), "{stderr}");
}

/// A JSON Lines line longer than the limit is an error naming its line,
/// and the lines after it are still read (generated: a 1 MiB fixture is
/// not worth shipping).
#[test]
fn a_jsonl_line_longer_than_the_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let case = "tests/fixtures/cases/evidence_jsonl_not_object";
    for f in ["sources.toml", "t.toml"] {
        std::fs::copy(format!("{case}/evidence/{f}"), dir.path().join(f)).unwrap();
    }
    let long = "x".repeat(2 << 20);
    let text = format!(
        "{{\"a\": 1, \"b\": \"x\"}}\n{{\"a\": 2, \"b\": \"{long}\"}}\n{{\"a\": \"three\", \"b\": \"z\"}}\n"
    );
    std::fs::write(dir.path().join("t.jsonl"), text).unwrap();
    let out = factcheck()
        .args(["check", "--evidence"])
        .arg(dir.path())
        .arg(format!("{case}/claims.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("evidence/jsonl-line-too-long"), "{stderr}");
    assert!(stderr.contains("line 2 is 2097"), "{stderr}");
    // The line after it is read: its bad value is reported too.
    assert!(stderr.contains("`three` is not an integer"), "{stderr}");
    // The long line is not quoted whole.
    assert!(stderr.len() < 10_000, "{}", stderr.len());
}

/// `describe` reads JSON Lines and zstd files.
#[test]
fn describe_jsonl_and_zstd() {
    for f in ["events.jsonl", "sales.csv.zst"] {
        let out = factcheck()
            .args(["describe", &format!("{DIR}/evidence/{f}")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{f}");
        insta::assert_snapshot!(
            format!("describe_{}", f.replace('.', "_")),
            String::from_utf8(out.stdout).unwrap()
        );
    }
}

/// Columns of the file that no column declares are skipped, not stored:
/// the table holds the declared columns only, and reads without a
/// diagnostic.
#[test]
fn undeclared_csv_columns_are_not_stored() {
    let mut files = factcheck::diag::Files::default();
    let mut diags = Vec::new();
    let ev = factcheck::evidence::load_dir(
        std::path::Path::new(&format!("{DIR}/evidence")),
        &mut files,
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let t = &ev.tables[ev.table("readings").unwrap()];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "station",
            "day",
            "temp_max",
            "temp_min",
            "installed",
            "range",
            "age_days",
            "mid"
        ]
    );
    assert_eq!(t.len(), 4);
    let csv = std::fs::read_to_string(format!("{DIR}/evidence/readings.csv")).unwrap();
    assert!(csv.starts_with("station,day,temp_max,temp_min,qc_flag,observer,"));
}

/// `explain` cites the dataset under the sources.
#[test]
fn explain_cites_the_dataset() {
    let out = factcheck()
        .args([
            "explain",
            "rain-every-day-of-december",
            "claims/seattle-december-2015.toml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let cited = text
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("dataset of seattle_weather (27 records)")
        })
        .unwrap_or_else(|| panic!("no dataset line:\n{text}"));
    insta::assert_snapshot!(cited);
}

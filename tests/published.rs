//! Files read as their publishers wrote them: a Windows-1252 file with
//! title lines, a comment, `;` between fields, decimal commas, thousands
//! points, missing-value tokens, day-first dates, quarters and Spanish
//! headers; and a gzip file with month-first dates, open and inclusive
//! end dates. Both are read unmodified, and the claims about them hold.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::factcheck;
use insta_cmd::assert_cmd_snapshot;

const DIR: &str = "tests/fixtures/published";

#[test]
fn files_as_published_verify() {
    let mut cmd = factcheck();
    cmd.args([
        "verify",
        "--evidence",
        &format!("{DIR}/evidence"),
        &format!("{DIR}/claims/published.toml"),
    ]);
    assert_cmd_snapshot!(cmd);
}

/// The published file is the one pinned: it is not rewritten to be read.
#[test]
fn the_published_file_is_read_unmodified() {
    let bytes = std::fs::read(format!("{DIR}/evidence/paro.csv")).unwrap();
    // Windows-1252: `í` is one byte, and the curly quote 0x93 is there.
    assert!(bytes.contains(&0xED));
    assert!(bytes.contains(&0x93));
    assert!(std::str::from_utf8(&bytes).is_err());
    let gz = std::fs::read(format!("{DIR}/evidence/stints.csv.gz")).unwrap();
    assert_eq!(gz.get(..2), Some(&[0x1f, 0x8b][..]));
}

/// The same gzip file read with a corrupted byte in its compressed data
/// (a copy in a temporary directory) is an error, with nothing loaded.
#[test]
fn a_corrupt_gzip_stream_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["sources.toml", "stints.toml", "paro.toml", "paro.csv"] {
        std::fs::copy(format!("{DIR}/evidence/{f}"), dir.path().join(f)).unwrap();
    }
    let mut gz = std::fs::read(format!("{DIR}/evidence/stints.csv.gz")).unwrap();
    let n = gz.len();
    // The CRC-32 at the end no longer matches.
    if let Some(b) = gz.get_mut(n - 6) {
        *b ^= 0xff;
    }
    std::fs::write(dir.path().join("stints.csv.gz"), gz).unwrap();
    let out = factcheck()
        .args(["check", "--evidence"])
        .arg(dir.path())
        .arg(format!("{DIR}/claims/published.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("io/bad-gzip"), "{stderr}");
}

//! What the tests share: the binary, run without colour, the seed
//! article's text, and the toy evidence.

use std::process::Command;

use insta_cmd::get_cargo_bin;

/// The seed article's text, beside the repository (the project ships no
/// copy of the article; tests that need it say so).
#[allow(dead_code)] // not every test binary anchors quotes
pub const SEED_ARTICLE: &str = "../shared/seeds/000_97c7157fc1298784.txt";

/// The seed article's text when it is beside the repository. A clone
/// without it skips the test that needs it and says so (CI, which has the
/// text, runs them all).
#[allow(dead_code)] // not every test binary anchors quotes
pub fn seed_article(test: &str) -> Option<&'static str> {
    if std::path::Path::new(SEED_ARTICLE).is_file() {
        Some(SEED_ARTICLE)
    } else {
        // Written past the test harness's output capture, so it shows.
        use std::io::Write;
        let note = format!(
            "note: skipped {test}: the seed article's text ({SEED_ARTICLE}) is not beside the repository\n"
        );
        match std::fs::OpenOptions::new().append(true).open("/dev/stderr") {
            Ok(mut stderr) => drop(stderr.write_all(note.as_bytes())),
            Err(_) => std::io::stderr().write_all(note.as_bytes()).unwrap_or(()),
        }
        None
    }
}

/// The `factcheck` binary with colour off, as CI sees it.
#[allow(dead_code)] // the evaluation tests use the library only
pub fn factcheck() -> Command {
    let mut cmd = Command::new(get_cargo_bin("factcheck"));
    cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

/// The toy evidence of tests/fixtures/toy (four staff records), loaded
/// from disk; panics if it has a diagnostic.
#[allow(dead_code)] // only the evaluation tests use it
pub fn toy_evidence() -> factcheck::evidence::Evidence {
    let mut files = factcheck::diag::Files::default();
    let mut diags = Vec::new();
    let ev = factcheck::evidence::load_dir(
        std::path::Path::new("tests/fixtures/toy/evidence"),
        &mut files,
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    ev
}

/// Each claim's id, verdict and computed value (its display, `-` when it
/// has none), in report order, from a JSON report.
#[allow(dead_code, clippy::indexing_slicing, clippy::panic)] // only the tests that compare whole reports use it
pub fn verdict_rows(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let Some(claims) = report["claims"].as_array() else {
        panic!("not a JSON report: {report}");
    };
    claims
        .iter()
        .map(|c| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
            (
                text(&c["id"]),
                text(&c["verdict"]),
                text(&c["computed"]["display"]),
            )
        })
        .collect()
}

/// `want` as owned rows, to compare with [`verdict_rows`].
#[allow(dead_code)] // only the tests that compare whole reports use it
pub fn rows(want: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    want.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

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

/// A data file as `describe` describes it, for [`description_verifies`].
#[allow(dead_code)] // only the describe and Parquet tests use it
pub struct Described<'a> {
    /// The data file described, copied beside its description.
    pub data: &'a str,
    /// The file name the description is written to.
    pub table: &'a str,
    /// Other files copied beside it (such as a `sources.toml`).
    pub copies: &'a [&'a str],
    /// A `sources.toml` to write beside it, unless one is copied.
    pub sources: Option<&'a str>,
    /// One claim's measure over the described table, and what it states.
    pub measure: &'a str,
    pub states: &'a str,
}

/// What `describe` writes is a table file that loads: with `edit` applied
/// to it (to cite a source, to rename the table), written beside its data
/// file, a claim measured on it is supported (exit 0).
#[allow(dead_code, clippy::unwrap_used)] // only the describe and Parquet tests use it
pub fn description_verifies(d: &Described<'_>, edit: impl Fn(String) -> String) {
    let out = factcheck().args(["describe", d.data]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = edit(String::from_utf8(out.stdout).unwrap());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(d.table), text).unwrap();
    for path in d.copies.iter().chain([&d.data]) {
        let name = std::path::Path::new(path).file_name().unwrap();
        std::fs::copy(path, dir.path().join(name)).unwrap();
    }
    if let Some(sources) = d.sources {
        std::fs::write(dir.path().join("sources.toml"), sources).unwrap();
    }
    let claims = tempfile::tempdir().unwrap();
    let claim_file = claims.path().join("c.toml");
    std::fs::write(
        &claim_file,
        format!(
            "[article]\nid = \"a\"\ntitle = \"t\"\nurl = \"https://example.org/a\"\nlanguage = \"en\"\npublished = \"2025-01-01\"\n\n\
             [[claim]]\nid = \"c\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = '{}'\nstates = \"{}\"\n",
            d.measure, d.states
        ),
    )
    .unwrap();
    let out = factcheck()
        .args(["verify", "--evidence"])
        .arg(dir.path())
        .arg(&claim_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("SUPPORTED"), "{stdout}");
}

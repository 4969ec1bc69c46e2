//! The TOML files of a repository are read on several threads when there
//! are enough of them (the claim files while the evidence loads, the
//! evidence's files shared out): the results and the diagnostics must be
//! those of a reading on one thread, in the same order.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use factcheck::engine::{check, verify, NoProgress, Options, Selection, Workspace};
use factcheck::render::{render_to, Format, RenderOptions};

fn workspace(claims: &Path, evidence: &Path, threads: usize) -> Workspace {
    Workspace::from_dirs(Options {
        paths: vec![claims.to_path_buf()],
        evidence: evidence.to_path_buf(),
        root: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Options::default()
    })
    .with_threads(threads)
}

/// The JSON report of the shipped seed article, verified on `threads`.
fn seed_report(threads: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = workspace(
        &root.join("claims/llama-exodus-es.toml"),
        &root.join("evidence"),
        threads,
    );
    let v = verify(&ws, &Selection::default(), &mut NoProgress).expect("the seed verifies");
    let mut out = Vec::new();
    render_to(&v.report, Format::Json, &RenderOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_seed_reads_the_same_on_one_thread_and_on_several() {
    let one = seed_report(1);
    assert!(one.contains("\"verdict\""));
    assert_eq!(one, seed_report(2));
    assert_eq!(one, seed_report(4));
}

/// A copy of the seed's evidence and claim file (large enough to be read
/// on several threads) with problems in several TOML files.
fn broken_copy() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("read-ahead");
    let evidence = dir.join("evidence");
    drop(std::fs::remove_dir_all(&dir));
    std::fs::create_dir_all(&evidence).unwrap();
    for entry in std::fs::read_dir(root.join("evidence")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, evidence.join(path.file_name().unwrap())).unwrap();
        }
    }
    let edit = |name: &str, from: &str, to: &str| {
        let path = evidence.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // A syntax error, an unknown key, a wrong type, a duplicate source.
    edit("events.toml", "[table]", "[table\n");
    edit("leadership.toml", "[table]", "[table]\ncolour = \"red\"");
    edit("meta_models.toml", "[table]", "[table]\nsources = 3");
    let sources = std::fs::read_to_string(evidence.join("sources.toml")).unwrap();
    // The first source again, as written.
    let again = sources
        .split("[[source]]")
        .nth(1)
        .map(|s| format!("[[source]]{s}"))
        .unwrap();
    std::fs::write(evidence.join("sources.toml"), format!("{sources}\n{again}")).unwrap();
    let claims = dir.join("claims.toml");
    let text = std::fs::read_to_string(root.join("claims/llama-exodus-es.toml")).unwrap();
    let text = text.replacen("[[claim]]", "[[claim]]\nweight = 2", 1);
    std::fs::write(&claims, text).unwrap();
    (claims, evidence)
}

#[test]
fn problems_are_the_same_on_one_thread_and_on_several() {
    let (claims, evidence) = broken_copy();
    let diagnostics = |threads| {
        let checked = check(
            &workspace(&claims, &evidence, threads),
            &Selection::default(),
            &mut NoProgress,
        );
        format!("{:?}", checked.diagnostics)
    };
    let one = diagnostics(1);
    for code in [
        "toml/syntax",
        "toml/unknown-key",
        "toml/wrong-type",
        "evidence/duplicate-source",
    ] {
        assert!(one.contains(code), "no {code} in {one}");
    }
    assert_eq!(one, diagnostics(2));
    assert_eq!(one, diagnostics(3));
}

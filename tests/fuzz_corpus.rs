#![allow(clippy::expect_used, clippy::unwrap_used)]
//! Replays the fuzz seed corpora (fuzz/corpus/<target>/) and the minimized
//! crash inputs (fuzz/regressions/<target>/) through the fuzz targets'
//! entry points, on stable, so every fixed crash stays fixed. Inputs that
//! still fail wait in fuzz/regressions-pending/ (see fuzz/FINDINGS.md).

mod harness;

use std::path::Path;

fn replay_dir(dir: &str) -> usize {
    let toy = harness::toy_evidence();
    let shipped = harness::shipped_evidence();
    let files = harness::corpus_files(Path::new(dir));
    for (target, path) in &files {
        let bytes = std::fs::read(path).expect("read corpus file");
        let run = || {
            harness::replay(target, &bytes, &toy);
            if target != "evidence_loader" {
                harness::replay(target, &bytes, &shipped);
            }
        };
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).is_ok();
        assert!(ok, "{} fails (the panic is printed above)", path.display());
    }
    files.len()
}

#[test]
fn seed_corpora_replay() {
    assert!(replay_dir("fuzz/corpus") > 0, "no seed corpus found");
}

#[test]
fn regressions_replay() {
    replay_dir("fuzz/regressions");
}

/// The pending reproducers still fail: when one passes, its bug is fixed,
/// so move it to fuzz/regressions/ and drop its entry from
/// harness::KNOWN_OFF_BOUNDARY. Run with `cargo test --test fuzz_corpus -- --ignored`.
#[test]
#[ignore = "reproducers of open findings; see fuzz/FINDINGS.md"]
fn pending_regressions_still_fail() {
    harness::STRICT_SPANS.set(true);
    let toy = harness::toy_evidence();
    for (target, path) in harness::corpus_files(Path::new("fuzz/regressions-pending")) {
        let bytes = std::fs::read(&path).expect("read reproducer");
        let failed = std::panic::catch_unwind(|| harness::replay(&target, &bytes, &toy)).is_err();
        assert!(
            failed,
            "{} passes now: move it to fuzz/regressions/",
            path.display()
        );
    }
}

//! Replays the fuzz seed corpora (fuzz/corpus/<target>/) and the minimized
//! reproducers of fixed findings (fuzz/regressions/<target>/, see
//! fuzz/FINDINGS.md) through the fuzz targets' entry points, on stable, so
//! every fixed bug stays fixed.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

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

//! Bytes → claim file, through the library's stages in an in-memory
//! workspace (load, compile, execute, judge, and `check`) against the toy
//! and the shipped evidence; when the file reads, it also goes through
//! `verify` from disk (against the toy evidence).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fn datasets() -> &'static [harness::Dataset; 2] {
    static EV: OnceLock<[harness::Dataset; 2]> = OnceLock::new();
    EV.get_or_init(|| [harness::toy_evidence(), harness::shipped_evidence()])
}

fn scratch() -> &'static harness::Scratch {
    static DIR: OnceLock<harness::Scratch> = OnceLock::new();
    DIR.get_or_init(|| harness::Scratch::new("fuzz"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let [toy, shipped] = datasets();
    if harness::claim_file(&text, toy).is_some() {
        harness::claim_file(&text, shipped);
        scratch().verify_claims(data);
    }
});

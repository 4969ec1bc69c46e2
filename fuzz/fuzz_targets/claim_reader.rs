//! Bytes → claim file reader; when the file reads, its definitions and
//! measures are resolved against the toy and the shipped evidence,
//! evaluated and decided, and the file also goes through the whole
//! `verify` pipeline from disk (against the toy evidence).
#![no_main]

use std::sync::OnceLock;

use factcheck::evidence::Evidence;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fn datasets() -> &'static [Evidence; 2] {
    static EV: OnceLock<[Evidence; 2]> = OnceLock::new();
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

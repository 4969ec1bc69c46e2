//! Bytes → expression parser → resolver → evaluation at three as-of dates,
//! against the toy evidence and against the shipped evidence.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fn datasets() -> &'static [harness::Dataset; 2] {
    static EV: OnceLock<[harness::Dataset; 2]> = OnceLock::new();
    EV.get_or_init(|| [harness::toy_evidence(), harness::shipped_evidence()])
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    for ev in datasets() {
        harness::expression(&src, ev);
    }
});

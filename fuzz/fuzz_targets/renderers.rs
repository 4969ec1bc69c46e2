//! Arbitrary strings → a report (every field of every claim, article,
//! witness and source) and diagnostics (messages, labels, help, paths and
//! the source text under the carets) → every renderer, each output parsed
//! with a real parser and compared with the same report made of
//! placeholders (`tests/harness/output.rs`). Strings are separated by byte
//! 0xFF.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::output::renderers(data);
});

//! Bytes split at 0xFF into sources.toml, a table file and the CSV it
//! names → evidence loader; then the toy claims go through the library's
//! stages against it, and generic measures over every loaded table are
//! resolved and evaluated.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let [sources, table, csv] = harness::split_evidence(data);
    harness::evidence(&sources, &table, &csv);
});

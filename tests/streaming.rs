//! A CSV file in the evidence directory is read in pieces, never held
//! whole, unless it has a problem to quote (then it is read again whole).
//! Whatever the file, the result must be the one of reading it whole: the
//! same records, values, sources and line numbers, and the same
//! diagnostics, quoting the same text.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use factcheck::diag::{render_human, Diagnostic, Files};
use factcheck::evidence::{load_dir_in, load_from, Evidence};
use factcheck::fsread::{Fs, DEFAULT_MAX_FILE_SIZE};
use proptest::prelude::*;

const TABLE: &str = "[table]\nname = \"staff\"\ndescription = \"Test fixture.\"\nkey = \"name\"\ncsv = \"staff.csv\"\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n\n[[column]]\nname = \"team\"\ntype = \"text\"\n\n[[column]]\nname = \"start\"\ntype = \"date\"\n\n[[column]]\nname = \"score\"\ntype = \"decimal\"\n";
const SOURCES: &str = "[[source]]\nid = \"roster\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/a\"\ndate = \"2025-05\"\n";

/// Everything loading says about a dataset, as text to compare.
fn describe(ev: &Evidence, files: &Files, diags: &[Diagnostic]) -> String {
    let mut out = render_human(files, diags, false);
    for t in &ev.tables {
        out.push_str(&format!("table {} ({} records)\n", t.name, t.len()));
        for row in 0..t.len() as u32 {
            let cells: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("{:?}", c.get(row)))
                .collect();
            out.push_str(&format!(
                "{row} line {:?} sources {:?} note {:?} key {}: {}\n",
                t.line_of(row),
                t.sources_of(row),
                t.note_of(row),
                t.key_of(row),
                cells.join(" | ")
            ));
        }
    }
    out
}

/// Load `csv` from a directory on disk (read in pieces) and from memory
/// (read whole); both descriptions, paths made equal.
fn both(csv: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ev_dir = dir.path().join("evidence");
    std::fs::create_dir_all(&ev_dir).expect("mkdir");
    std::fs::write(ev_dir.join("sources.toml"), SOURCES).expect("write");
    std::fs::write(ev_dir.join("staff.toml"), TABLE).expect("write");
    std::fs::write(ev_dir.join("staff.csv"), csv).expect("write");

    let mut fs = Fs::new(Some(dir.path()), DEFAULT_MAX_FILE_SIZE).expect("fs");
    let mut files = Files::default();
    let mut diags = Vec::new();
    let ev = load_dir_in(&mut fs, &ev_dir, &mut files, &mut diags);
    let on_disk = describe(&ev, &files, &diags);

    let whole = match fs.read(
        &ev_dir.join("staff.csv"),
        factcheck::fsread::Origin::Found { dir: &ev_dir },
        &mut Vec::new(),
    ) {
        // Read whole, as every file was before CSVs were read in pieces.
        Some(text) => {
            let shown = |name: &str| shown_path(&ev_dir.join(name));
            let mut files = Files::default();
            let mut diags = Vec::new();
            let ev = load_from(
                vec![
                    (shown("sources.toml"), SOURCES.to_string()),
                    (shown("staff.toml"), TABLE.to_string()),
                    (shown("staff.csv"), text.text),
                ],
                &mut files,
                &mut diags,
            );
            describe(&ev, &files, &diags)
        }
        // Not text: the one diagnostic reading it whole gives.
        None => {
            let mut diags = Vec::new();
            let mut fs = Fs::new(Some(dir.path()), DEFAULT_MAX_FILE_SIZE).expect("fs");
            let _ = fs.read(
                &ev_dir.join("staff.csv"),
                factcheck::fsread::Origin::Found { dir: &ev_dir },
                &mut diags,
            );
            let mut files = Files::default();
            files.add("unused", "");
            format!(
                "{}table staff (0 records)\n",
                render_human(&files, &diags, false)
            )
        }
    };
    (on_disk, whole)
}

fn shown_path(p: &Path) -> String {
    factcheck::fsread::shown(p)
}

/// A cell's text: plain, quoted with a comma or a line break, accented
/// and wide characters (split across pieces), unknown, or wrong.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}",
        Just("\"a, b\"".to_string()),
        Just("\"two\nlines\"".to_string()),
        Just("élan".to_string()),
        Just("漢字テキスト".to_string()),
        Just("unknown".to_string()),
        Just(String::new()),
        Just("2019-05-01".to_string()),
        Just("2020-13-40".to_string()),
        Just("4.5".to_string()),
        Just("four".to_string()),
    ]
}

fn row(i: usize) -> impl Strategy<Value = String> {
    (
        cell(),
        cell(),
        cell(),
        prop_oneof![Just("roster"), Just("roster"), Just("nobody"), Just("")],
        0..20u8,
    )
        .prop_map(move |(team, start, score, src, shape)| match shape {
            // A row too short, an empty line, a key seen before.
            0 => format!("r{i},{team}\n"),
            1 => "\n".to_string(),
            2 => format!("r0,{team},{start},{score},{src}\r\n"),
            _ => format!("r{i},{team},{start},{score},{src}\n"),
        })
}

/// Filler rows that are right, so the rows drawn above sit past the first
/// pieces of the file (and past the bytes kept for the current record).
fn filler(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "f{i},équipe ünïcödé {i},2019-05-01,{}.5,roster\n",
            i % 9
        ));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn reading_in_pieces_is_reading_whole(
        before in 0usize..40_000,
        rows in (1usize..12).prop_flat_map(|n| (0..n).map(row).collect::<Vec<_>>()),
        bad in prop_oneof![Just(None), Just(Some(&b"\xc3\x28"[..])), Just(Some(&b"\0"[..])), Just(Some(&b"\xe6\xbc"[..]))],
        at_end in any::<bool>(),
    ) {
        let mut csv = b"name,team,start,score,sources\n".to_vec();
        csv.extend_from_slice(filler(before).as_bytes());
        for r in &rows {
            csv.extend_from_slice(r.as_bytes());
        }
        if let Some(b) = bad {
            if at_end {
                csv.extend_from_slice(b);
            } else {
                let at = csv.len() / 2;
                csv.splice(at..at, b.iter().copied());
            }
        }
        let (on_disk, whole) = both(&csv);
        prop_assert_eq!(on_disk, whole);
    }
}

#[test]
fn a_duplicate_key_far_into_a_large_file_is_quoted() {
    // Past the bytes kept while reading (1 MiB), the record is gone from
    // memory; the file is read again to quote it.
    let mut csv = String::from("name,team,start,score,sources\n");
    csv.push_str(&filler(60_000));
    csv.push_str("f12,again,2019-05-01,1.5,roster\n");
    let (on_disk, whole) = both(csv.as_bytes());
    assert!(on_disk.contains("f12,again"), "{on_disk}");
    assert_eq!(on_disk, whole);
}

#[test]
fn a_clean_large_file_loads_as_when_read_whole() {
    let mut csv = String::from("name,team,start,score,sources\n");
    csv.push_str(&filler(50_000));
    let (on_disk, whole) = both(csv.as_bytes());
    assert!(on_disk.contains("table staff (50000 records)"));
    assert_eq!(on_disk, whole);
}

/// Each record is placed on its own line, on disk and in memory: the first
/// after the header on line 2, one after blank lines on its line, not on
/// the first blank line (a witness's `staff.csv:N` and a diagnostic's
/// line name the record's line).
#[test]
fn records_are_on_their_own_lines() {
    let csv = "name,team,start,score,sources\n\
               a,x,2020-01-01,1,roster\n\
               b,x,2020-01-01,2,roster\n\
               \n\
               \r\n\
               c,x,2020-01-01,3,roster\n\
               \n\
               d,x,2020-01-01,oops,roster\n";
    let (on_disk, whole) = both(csv.as_bytes());
    assert_eq!(on_disk, whole);
    for (row, line) in [(0, 2), (1, 3), (2, 6)] {
        let want = format!("{row} line Some({line}) ");
        assert!(on_disk.contains(&want), "no `{want}` in {on_disk}");
    }
    assert!(on_disk.contains("staff.csv:8"), "{on_disk}");
}

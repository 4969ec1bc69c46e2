//! Property tests: any input, as a claim file, an evidence file or an
//! expression, yields a result or diagnostics, never a panic; a stage that
//! gives no result reports an error; every diagnostic points inside its
//! file on character boundaries. The invariants live in `harness`, shared
//! with the cargo-fuzz targets in `fuzz/`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod harness;

use std::sync::OnceLock;

use factcheck::diag::Files;
use factcheck::evidence::{load_dir, Evidence};
use proptest::prelude::*;
use proptest::sample::select;

use harness::{
    Dataset, Scratch, BAD_CLAIMS, RECORD_TABLE, TOY_CLAIMS, TOY_CSV, TOY_SOURCES, TOY_TABLE,
    TOY_UNCERTAIN,
};

const SEED_CLAIMS: &str = include_str!("../claims/llama-exodus-es.toml");

fn toy() -> &'static Dataset {
    static EV: OnceLock<Dataset> = OnceLock::new();
    EV.get_or_init(harness::toy_evidence)
}

/// The shipped evidence, for mutations of the shipped claim file.
fn shipped() -> &'static Dataset {
    static EV: OnceLock<Dataset> = OnceLock::new();
    EV.get_or_init(harness::shipped_evidence)
}

// ---- input generators -------------------------------------------------

/// Pieces of claim files, table files and CSV that make the parsers go past
/// the first line: keys, headers, quoting styles, escapes, odd characters.
const FRAGMENTS: &[&str] = &[
    "[article]\n",
    "[define]\n",
    "[[claim]]\n",
    "[table]\n",
    "[[column]]\n",
    "[[record]]\n",
    "[[source]]\n",
    "id = \"a\"\n",
    "id = \"b\"\n",
    "title = \"T\"\n",
    "url = \"https://example.org/x\"\n",
    "url = \"ftp://x\"\n",
    "language = \"en\"\n",
    "published = \"2022-01-01\"\n",
    "published = \"2022..\"\n",
    "published = \"2022-02-30\"\n",
    "quote = \"q\"\n",
    "quote = \"\"\n",
    "claim = \"c\"\n",
    "measure = 'count(staff)'\n",
    "measure = \"share(staff where team == \\\"x\\\", staff)\"\n",
    "measure = '''\nmin(staff, start)'''\n",
    "measure = \"\"\"\ncount(staff \\\n at as_of)\"\"\"\n",
    "measure = 'years_between(staff[\"Ana\"].start, as_of)'\n",
    "states = \"at least 3\"\n",
    "states = \"about 7 years\"\n",
    "states = \"78%\"\n",
    "states = \"last month\"\n",
    "states = \"false\"\n",
    "as_of = \"2023-06\"\n",
    "as_of = \"2025-13\"\n",
    "as_of_reason = \"r\"\n",
    "tolerance = \"0.5\"\n",
    "tolerance = \"-1\"\n",
    "checkable = false\n",
    "reason = \"opinion\"\n",
    "rating = \"misleading\"\n",
    "rating_reason = \"why\"\n",
    "text = \"article.txt\"\n",
    "x = 'staff where score > 3'\n",
    "loop = 'loop'\n",
    "name = \"staff\"\n",
    "name = \"start\"\n",
    "key = \"name\"\n",
    "csv = \"staff.csv\"\n",
    "temporal = { from = \"start\", to = \"end\" }\n",
    "type = \"text\"\n",
    "type = \"date\"\n",
    "type = \"quantity\"\n",
    "unit = \"years\"\n",
    "type = \"list\"\n",
    "type = \"boolean\"\n",
    "type = \"decimal\"\n",
    "type = \"integer\"\n",
    "sources = [\"roster\"]\n",
    "date = \"2025-01\"\n",
    "publisher = \"P\"\n",
    "name,team,start,end,sources\n",
    "Ana,x,2016,2023-06,roster\n",
    ",",
    ";",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\\",
    "\\u00e9",
    "\\n",
    "=",
    "\n",
    "\r\n",
    " ",
    "..",
    "unknown",
    "about ",
    "é",
    "ß",
    "日本",
    "😀",
    "\u{301}",
    "\u{feff}",
    "\0",
];

/// The fragments that are whole `key = value` lines.
fn key_lines() -> Vec<&'static str> {
    FRAGMENTS
        .iter()
        .copied()
        .filter(|f| f.contains(" = ") && f.ends_with('\n'))
        .collect()
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(FRAGMENTS).prop_map(String::from),
        1 => "[ -~]{0,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Text stitched together from fragments.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..48).prop_map(|v| v.concat())
}

/// The `[article]` table of the toy claims.
fn article_header() -> &'static str {
    TOY_CLAIMS.split("[define]").next().unwrap_or("")
}

/// Fragments after a valid `[article]` table, half of the time.
fn claim_soup() -> impl Strategy<Value = String> {
    (any::<bool>(), soup()).prop_map(|(head, s)| {
        if head {
            format!("{}{s}", article_header())
        } else {
            s
        }
    })
}

/// Raw bytes, often invalid UTF-8.
fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..max)
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize, usize),
    Line(usize, String),
    DeleteLine(usize),
    Value(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        1 => (any::<usize>(), fragment()).prop_map(|(at, s)| Edit::Insert(at, s)),
        1 => (any::<usize>(), 1usize..80, any::<usize>())
            .prop_map(|(from, n, to)| Edit::Duplicate(from, n, to)),
        3 => (any::<usize>(), select(key_lines())).prop_map(|(at, s)| Edit::Line(at, s.into())),
        2 => any::<usize>().prop_map(Edit::DeleteLine),
        4 => (any::<usize>(), value()).prop_map(|(at, v)| Edit::Value(at, v)),
    ]
}

fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut s = seed.to_string();
    for e in edits {
        let at = |s: &str, i: usize| floor_boundary(s, i % (s.len() + 1));
        match e {
            Edit::Delete(i, n) => {
                let a = at(&s, *i);
                let b = floor_boundary(&s, a + n);
                s.replace_range(a..b, "");
            }
            Edit::Insert(i, frag) => {
                let a = at(&s, *i);
                s.insert_str(a, frag);
            }
            Edit::Duplicate(i, n, to) => {
                let a = at(&s, *i);
                let b = floor_boundary(&s, a + n);
                let piece = s[a..b].to_string();
                let t = at(&s, *to);
                s.insert_str(t, &piece);
            }
            Edit::Line(i, frag) => {
                // At the start of a line, so a whole `key = value` line
                // often keeps the file valid TOML.
                let a = at(&s, *i);
                let a = s[..a].rfind('\n').map_or(0, |n| n + 1);
                s.insert_str(a, frag);
            }
            Edit::DeleteLine(i) => {
                let a = at(&s, *i);
                let start = s[..a].rfind('\n').map_or(0, |n| n + 1);
                let end = s[a..].find('\n').map_or(s.len(), |n| a + n + 1);
                s.replace_range(start..end, "");
            }
            Edit::Value(i, v) => {
                let a = at(&s, *i);
                if let Some(r) = string_value_at(&s, a) {
                    let quote = s[r.start - 1..r.start].to_string();
                    let v = if quote == "'" {
                        v.replace(['\'', '\n'], "")
                    } else {
                        v.replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('\n', "\\n")
                    };
                    s.replace_range(r, &v);
                }
            }
        }
    }
    s
}

/// The inside of the first one-line string value (`key = "..."` or
/// `key = '...'`) on the line holding byte `at`.
fn string_value_at(s: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let start = s[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = s[at..].find('\n').map_or(s.len(), |n| at + n);
    let line = &s[start..end];
    let eq = line.find('=')?;
    let rest = &line[eq..];
    let open = rest.find(['"', '\''])?;
    let q = rest[open..].chars().next()?;
    let inner = &rest[open + 1..];
    if inner.starts_with(q) {
        // An empty string or the start of a multi-line one: leave it.
        return None;
    }
    let close = inner.find(q)?;
    let from = start + eq + open + 1;
    Some(from..from + close)
}

/// Replacement values for string values: dates, statements, expressions.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        select(STATEMENTS).prop_map(String::from),
        select(LEAVES).prop_map(String::from),
        select(VALUES).prop_map(String::from),
        grammar_expr(),
        "[ -~]{0,12}",
        any::<String>(),
    ]
}

const VALUES: &[&str] = &[
    "2022-02-30",
    "2025..2024",
    "..",
    "2019-05..",
    "..2018-11",
    "2022-13",
    "0000",
    "9999-12-31",
    "-5",
    "unknown",
    "",
    " ",
    "é",
    "日本",
    "roster;roster",
    "staff.csv",
    "staff",
    "name",
    "start",
    "end",
    "quantity",
    "years",
    "percent",
    "https://",
    "misleading",
    "0.5",
];

/// A seed text with a few edits: mostly valid, wrong in one place.
fn mutated(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    (select(seeds), prop::collection::vec(edit(), 1..4)).prop_map(|(s, e)| apply(s, &e))
}

const CLAIM_SEEDS: &[&str] = &[TOY_CLAIMS, TOY_UNCERTAIN, BAD_CLAIMS];

const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "in", "where", "at",
    "matches",
];
const FUNCS1: &[&str] = &["count", "names", "keys", "date", "all", "any", "min", "max"];
const FUNCS2: &[&str] = &[
    "sum",
    "mean",
    "min",
    "max",
    "share",
    "years_between",
    "months_between",
    "days_between",
    "refine",
    "subset",
    "includes_all",
    "all",
    "any",
];
const FIELDS: &[&str] = &[
    "name", "team", "start", "end", "tenure", "score", "tags", "nope",
];
const LEAVES: &[&str] = &[
    "staff",
    "as_of",
    "published",
    "name",
    "team",
    "start",
    "end",
    "tenure",
    "score",
    "tags",
    "\"Ana\"",
    "\"x\"",
    "\"^A.*\"",
    "\"(\"",
    "3",
    "2.5",
    "0",
    "50%",
    "7 years",
    "3 months",
    "10 days",
    "unknown",
    "true",
    "false",
    "date(\"2020-01\")",
    "date(\"2019..\")",
    "date(\"..2018-11\")",
    "[\"Ana\", \"Cai\"]",
    "[]",
    "staff[\"Ana\"]",
    "staff[\"Zed\"]",
    "nosuch",
    "99999999999999999999999999999999999999",
    "0.000000000000000000000000000000000001",
];

/// Expressions built from the grammar's pieces over the toy evidence.
fn grammar_expr() -> impl Strategy<Value = String> {
    let leaf = select(LEAVES).prop_map(String::from);
    leaf.prop_recursive(4, 32, 3, |inner| {
        prop_oneof![
            (inner.clone(), select(BINOPS), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (select(FUNCS1), inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (select(FUNCS2), inner.clone(), inner.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("not {a}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), select(FIELDS)).prop_map(|(a, f)| format!("{a}.{f}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            inner.clone().prop_map(|a| format!("{a} is unknown")),
            inner.clone().prop_map(|a| format!("{a} is known")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
        ]
    })
}

/// A toy claim file whose first measure is replaced by `expr`.
fn claim_with_measure(expr: &str, states: &str) -> String {
    let escaped = expr.replace('\\', "\\\\").replace('"', "\\\"");
    TOY_CLAIMS
        .replacen("\"count(staff)\"", &format!("\"{escaped}\""), 1)
        .replacen("states = \"4\"", &format!("states = \"{states}\""), 1)
}

const STATEMENTS: &[&str] = &[
    "4",
    "at least 3",
    "more than 5 years",
    "about 7 years",
    "nearly 50%",
    "only 3",
    "most",
    "none",
    "78%",
    "3.70",
    "last month",
    "early 2025",
    "before 2020",
    "since 2019-05",
    "true",
    "false",
    "",
];

// ---- properties --------------------------------------------------------

/// `cases` cases, unless PROPTEST_CASES asks for another number (for a
/// longer run: `PROPTEST_CASES=10000 cargo test --release --test properties`).
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn claim_reader_takes_any_bytes(b in bytes(600)) {
        harness::claim_file(&String::from_utf8_lossy(&b), toy());
    }

    #[test]
    fn claim_reader_takes_any_fragments(s in claim_soup()) {
        harness::claim_file(&s, toy());
    }

    #[test]
    fn claim_reader_takes_mutated_claim_files(s in mutated(CLAIM_SEEDS)) {
        harness::claim_file(&s, toy());
    }

    #[test]
    fn expression_parser_takes_any_bytes(b in bytes(200)) {
        harness::expression(&String::from_utf8_lossy(&b), toy());
    }

    #[test]
    fn expression_parser_takes_any_grammar_soup(
        toks in prop::collection::vec(
            prop_oneof![
                select(LEAVES),
                select(BINOPS),
                select(FUNCS2),
                select(&["(", ")", "[", "]", ",", ".", "%", "\"", "-", "é", "not", "is"][..]),
            ],
            0..24,
        )
    ) {
        harness::expression(&toks.join(" "), toy());
    }

    #[test]
    fn expressions_resolve_and_evaluate(e in grammar_expr()) {
        harness::expression(&e, toy());
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn shipped_claim_file_mutated(s in mutated(&[SEED_CLAIMS])) {
        harness::claim_file(&s, shipped());
    }

    #[test]
    fn measures_inside_claim_files(e in grammar_expr(), st in select(STATEMENTS)) {
        harness::claim_file(&claim_with_measure(&e, st), toy());
    }

    #[test]
    fn evidence_loader_takes_any_bytes(s in bytes(300), t in bytes(300), c in bytes(300)) {
        harness::evidence(
            &String::from_utf8_lossy(&s),
            &String::from_utf8_lossy(&t),
            &String::from_utf8_lossy(&c),
        );
    }

    #[test]
    fn evidence_loader_takes_fragments(s in soup(), t in soup(), c in soup()) {
        harness::evidence(&s, &t, &c);
    }

    #[test]
    fn evidence_loader_takes_mutated_files(
        s in mutated(&[TOY_SOURCES]),
        t in mutated(&[TOY_TABLE]),
        c in mutated(&[TOY_CSV]),
        which in 0u8..7,
    ) {
        // Mutate one, two or all three files; keep the others valid.
        let pick = |bit: u8, m: &str, orig: &'static str| {
            if which & bit != 0 { m.to_string() } else { orig.to_string() }
        };
        harness::evidence(
            &pick(1, &s, TOY_SOURCES),
            &pick(2, &t, TOY_TABLE),
            &pick(4, &c, TOY_CSV),
        );
    }

    #[test]
    fn evidence_loader_takes_mutated_toml_records(t in mutated(&[RECORD_TABLE])) {
        harness::evidence(TOY_SOURCES, &t, "");
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// The whole pipeline from disk, bytes as written (invalid UTF-8
    /// included).
    #[test]
    fn verify_takes_any_claim_file_bytes(b in bytes(400)) {
        Scratch::new("prop").verify_claims(&b);
    }

    #[test]
    fn verify_takes_mutated_claim_files(s in mutated(CLAIM_SEEDS)) {
        Scratch::new("prop").verify_claims(s.as_bytes());
    }

    #[test]
    fn verify_takes_any_evidence_bytes(
        s in bytes(200),
        t in bytes(200),
        c in bytes(200),
        which in 0u8..8,
    ) {
        let pick = |bit: u8, m: &[u8], orig: &'static str| {
            if which & bit != 0 { m.to_vec() } else { orig.as_bytes().to_vec() }
        };
        Scratch::new("prop").verify_evidence(
            &pick(1, &s, TOY_SOURCES),
            &pick(2, &t, TOY_TABLE),
            &pick(4, &c, TOY_CSV),
        );
    }

    #[test]
    fn verify_takes_mutated_evidence(t in mutated(&[TOY_TABLE]), c in mutated(&[TOY_CSV])) {
        Scratch::new("prop").verify_evidence(TOY_SOURCES.as_bytes(), t.as_bytes(), c.as_bytes());
    }
}

// ---- fixed cases -------------------------------------------------------

#[test]
fn invalid_utf8_on_disk_is_a_diagnostic() {
    let scratch = Scratch::new("utf8");
    // A claim file that is valid but for one byte.
    let mut claims = TOY_CLAIMS.as_bytes().to_vec();
    claims.insert(40, 0xff);
    scratch.verify_claims(&claims);
    // Every evidence file in turn.
    for which in 0..3 {
        let mut files = [
            TOY_SOURCES.as_bytes().to_vec(),
            TOY_TABLE.as_bytes().to_vec(),
            TOY_CSV.as_bytes().to_vec(),
        ];
        files[which].extend_from_slice(b"\xc3\x28\n");
        scratch.verify_evidence(&files[0], &files[1], &files[2]);
    }

    let ws = factcheck::engine::Workspace::from_dirs(factcheck::engine::Options {
        paths: vec![scratch.dir.join("claims/fuzz.toml")],
        evidence: "tests/fixtures/toy/evidence".into(),
        article_text: None,
        ..Default::default()
    });
    let run =
        factcheck::engine::verify(&ws, &Default::default(), &mut factcheck::engine::NoProgress);
    // No report.
    let out = run.expect_err("invalid UTF-8");
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["io/not-utf8"]);
}

#[test]
fn the_embedded_evidence_is_the_shipped_evidence() {
    let mut files = Files::default();
    let mut diags = Vec::new();
    let on_disk = load_dir(std::path::Path::new("evidence"), &mut files, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let names = |ev: &Evidence| {
        let mut n = ev.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        n.sort();
        n
    };
    assert_eq!(
        names(&on_disk),
        names(&shipped().evidence),
        "update harness::SHIPPED_EVIDENCE to the files in evidence/"
    );
    assert_eq!(on_disk.sources.len(), shipped().evidence.sources.len());
    assert_eq!(on_disk.scopes, shipped().evidence.scopes);
    let in_scopes = |ev: &Evidence| {
        let mut n = (0..ev.tables.len())
            .map(|t| (ev.table_scope(t), ev.tables[t].name.clone()))
            .collect::<Vec<_>>();
        n.sort();
        n
    };
    assert_eq!(in_scopes(&on_disk), in_scopes(&shipped().evidence));
}

#[test]
fn the_seeds_pass_the_harness() {
    for s in CLAIM_SEEDS {
        harness::claim_file(s, toy());
    }
    assert!(harness::claim_file(SEED_CLAIMS, shipped()).is_some());
    let ev = harness::evidence(TOY_SOURCES, TOY_TABLE, TOY_CSV);
    assert_eq!(ev.tables.len(), 1);
    let mut files = Files::default();
    let mut diags = Vec::new();
    let inputs = vec![
        ("sources.toml".to_string(), TOY_SOURCES.to_string()),
        ("people.toml".to_string(), RECORD_TABLE.to_string()),
    ];
    let ev = factcheck::evidence::load_from(inputs, &mut files, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(ev.tables.first().map(|t| t.len()), Some(3));
    assert_eq!(
        harness::split_evidence(&harness::join_evidence(TOY_SOURCES, TOY_TABLE, TOY_CSV)),
        [TOY_SOURCES, TOY_TABLE, TOY_CSV]
    );
}

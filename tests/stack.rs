//! Hostile shapes of expressions and definitions, run through the whole
//! pipeline (check, verify, explain, every render format) on a thread with
//! a 1 MiB stack, the Windows default: an input too deep is a located error,
//! never a stack overflow (which aborts the process, exit 134), and an input
//! just under the bound still evaluates.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use std::path::{Path, PathBuf};

use factcheck::diag::{render_human, to_json, Diagnostic, Files};
use factcheck::engine::{check, explain, verify, NoProgress, Options, Selection, Workspace};
use factcheck::render::explain::{explain_human, explain_json};
use factcheck::render::{render, render_invalid, Format, RenderOptions};

const STACK: usize = 1 << 20;
const TOY_EVIDENCE: &str = "tests/fixtures/toy/evidence";

const FORMATS: [Format; 8] = [
    Format::Human,
    Format::Json,
    Format::Markdown,
    Format::Junit,
    Format::Sarif,
    Format::Github,
    Format::Claimreview,
    Format::Html,
];

/// A claim file with one claim `c1` measuring `measure`, with `defines`
/// as its `[define]` table.
fn claim_file(measure: &str, defines: &str) -> String {
    format!(
        "[article]\nid = \"case\"\ntitle = \"A test article\"\n\
         url = \"https://example.org/article\"\nlanguage = \"en\"\n\
         published = \"2025-01-15\"\n\n[define]\n{defines}\n\
         [[claim]]\nid = \"c1\"\nquote = \"q\"\nclaim = \"c\"\n\
         measure = '{measure}'\nstates = \"4\"\n"
    )
}

/// A fresh directory under the target directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("stack-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(claims: PathBuf, evidence: PathBuf) -> Options {
    Options {
        paths: vec![claims],
        evidence,
        ..Options::default()
    }
}

/// Run `f` on a thread with a 1 MiB stack (an overflow aborts the test
/// binary, so a regression cannot pass unnoticed).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// Every stage and every rendering, as the binary would run them; the
/// codes of the errors found (empty when the claim evaluated).
fn pipeline(opts: Options) -> Vec<String> {
    on_small_stack(move || {
        let ws = Workspace::from_dirs(opts);
        let selection = Selection {
            claim_ids: vec!["c1".to_string()],
            as_of: None,
        };
        let out = check(&ws, &selection, &mut NoProgress);
        let checked = rendered(&out.files, &out.diagnostics);
        let verified = match verify(&ws, &selection, &mut NoProgress) {
            Ok(out) => {
                for f in FORMATS {
                    assert!(!render(&out.report, f, &RenderOptions::default()).is_empty());
                }
                rendered(&out.files, &out.diagnostics)
            }
            Err(out) => rendered(&out.files, &out.diagnostics),
        };
        assert_eq!(verified, checked, "verify and check disagree");
        let explained = match explain(&ws, "c1", None, &mut NoProgress) {
            Ok(out) => {
                let e = &out.explanation;
                assert!(!explain_human(e, false).is_empty());
                assert!(!explain_json(e).is_empty());
                rendered(&out.files, &out.diagnostics)
            }
            Err(out) => {
                assert!(!checked.is_empty(), "no explanation, and no error");
                rendered(&out.files, &out.diagnostics)
            }
        };
        assert_eq!(explained, checked, "explain and check disagree");
        checked
    })
}

/// Render diagnostics every way; the codes of the errors.
fn rendered(files: &Files, diagnostics: &[Diagnostic]) -> Vec<String> {
    let human = render_human(files, diagnostics, false);
    let json = to_json(files, diagnostics);
    for f in FORMATS {
        let _ = render_invalid(&json, f);
    }
    let mut codes = Vec::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        // Located: the rendering names the file.
        assert!(human.contains(".toml:"), "{human}");
        codes.push(d.code.to_string());
    }
    codes
}

/// The pipeline on a claim file against the toy evidence.
fn run(name: &str, measure: &str, defines: &str) -> Vec<String> {
    let dir = temp_dir(name);
    let path = dir.join("claims.toml");
    std::fs::write(&path, claim_file(measure, defines)).unwrap();
    pipeline(options(path, PathBuf::from(TOY_EVIDENCE)))
}

fn chain(item: &str, op: &str, n: usize) -> String {
    vec![item; n].join(&format!(" {op} "))
}

/// `d0 = "count(staff)"`, then `d{i} = "d{i-1} + 1"` up to `d{n-1}`;
/// reversed, each is written before the one it uses.
fn definition_chain(n: usize, reversed: bool) -> String {
    let mut lines: Vec<String> = (0..n)
        .map(|i| match i {
            0 => "d0 = \"count(staff)\"".to_string(),
            i => format!("d{i} = \"d{} + 1\"", i - 1),
        })
        .collect();
    if reversed {
        lines.reverse();
    }
    lines.join("\n") + "\n"
}

fn error(codes: &[String], code: &str) {
    assert_eq!(codes, [code.to_string()], "expected one `{code}` error");
}

fn ok(codes: &[String]) {
    assert!(codes.is_empty(), "expected no error, found {codes:?}");
}

// `count(staff)` is 2 levels; a chain of N of them is N + 1.
#[test]
fn long_sum_is_an_error() {
    error(
        &run("sum", &chain("count(staff)", "+", 2_000), ""),
        "claim/syntax",
    );
    error(
        &run("sum64", &chain("count(staff)", "+", 64), ""),
        "claim/syntax",
    );
    ok(&run("sum63", &chain("count(staff)", "+", 63), ""));
}

// `count(staff where c and c ...)`: 3 levels above a chain of N conditions
// (each `team == "x"` is 2), so N + 3.
#[test]
fn long_and_or_chains_are_an_error() {
    for op in ["and", "or"] {
        let m = |n| format!("count(staff where {})", chain("team == \"x\"", op, n));
        error(&run(op, &m(2_000), ""), "claim/syntax");
        error(&run(op, &m(62), ""), "claim/syntax");
        ok(&run(op, &m(61), ""));
    }
}

// `count(staff where p where p ...)`: N filters are N + 3 levels.
#[test]
fn long_where_chain_is_an_error() {
    let m = |n| format!("count(staff{})", " where team == \"x\"".repeat(n));
    error(&run("where", &m(2_000), ""), "claim/syntax");
    error(&run("where62", &m(62), ""), "claim/syntax");
    ok(&run("where61", &m(61), ""));
}

#[test]
fn deep_parentheses_and_unary_operators_are_an_error() {
    let parens = format!("{}count(staff){}", "(".repeat(5_000), ")".repeat(5_000));
    error(&run("parens", &parens, ""), "claim/syntax");
    let negs = format!("{}count(staff)", "-".repeat(5_000));
    error(&run("negs", &negs, ""), "claim/syntax");
    let nots = format!("count(staff where {}true)", "not ".repeat(5_000));
    error(&run("nots", &nots, ""), "claim/syntax");
    let nots = format!("count(staff where {}true)", "not ".repeat(60));
    ok(&run("nots60", &nots, ""));
}

// `d{i}` is 2 i + 2 levels tall and the measure naming it one more, so
// `d30` is the deepest a measure may name; `d31` is 64 tall itself.
#[test]
fn long_definition_chains_are_an_error() {
    for reversed in [false, true] {
        let codes = run("defs", "d2999", &definition_chain(3_000, reversed));
        error(&codes, "claim/too-deep");
        let codes = run("defs31", "d31", &definition_chain(32, reversed));
        error(&codes, "claim/too-deep");
        ok(&run("defs30", "d30", &definition_chain(31, reversed)));
    }
    // Definitions used in a filter, per record.
    let m = "count(staff where d0 > 0 and team == \"x\")";
    let defs = "d0 = 'count(staff where team == \"x\")'\n";
    ok(&run("defs-in-filter", m, defs));
}

#[test]
fn measure_deepened_by_its_definitions_is_an_error() {
    // Each definition is short, but the measure over them is too deep.
    let defs = definition_chain(31, false);
    ok(&run("measure-over-defs", "d30 + 1", &defs));
    let codes = run("measure-over-defs", "d30 + 1 + 1", &defs);
    error(&codes, "claim/too-deep");
}

/// Deep TOML: the `toml` crate stops at 80 levels with an error.
#[test]
fn deep_toml_is_an_error() {
    let dir = temp_dir("toml");
    let claims = dir.join("claims.toml");
    let base = claim_file("count(staff)", "");
    for (i, extra) in [
        format!("x = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        format!("x = {}1{}\n", "{ a = ".repeat(10_000), "}".repeat(10_000)),
        format!("[{}]\nb = 1\n", vec!["a"; 10_000].join(".")),
        format!("x = {}{}\n", "[".repeat(79), "]".repeat(79)),
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(&claims, format!("{base}{extra}")).unwrap();
        let codes = pipeline(options(claims.clone(), PathBuf::from(TOY_EVIDENCE)));
        assert!(!codes.is_empty(), "shape {i}");
    }
    // The same in a table file.
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    for f in ["sources.toml", "staff.csv", "staff.toml"] {
        std::fs::copy(Path::new(TOY_EVIDENCE).join(f), evidence.join(f)).unwrap();
    }
    std::fs::write(&claims, &base).unwrap();
    ok(&pipeline(options(claims.clone(), evidence.clone())));
    let table = std::fs::read_to_string(evidence.join("staff.toml")).unwrap();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let hostile = table.replace(
        "description = \"",
        &format!("extra = {deep}\ndescription = \""),
    );
    std::fs::write(evidence.join("staff.toml"), hostile).unwrap();
    let codes = pipeline(options(claims, evidence));
    assert!(!codes.is_empty());
}

// Each call nests two levels (the call and its argument), so 31 calls of
// `sum(staff where false, X)` around `score` are the most the parser
// takes. Resolution and explanation recurse through calls, evaluation
// through per-record aggregates.
#[test]
fn nested_aggregates_at_the_bound() {
    let nest = |n| {
        let mut m = "score".to_string();
        for _ in 0..n {
            m = format!("sum(staff where false, {m})");
        }
        m
    };
    ok(&run("agg31", &nest(31), ""));
    error(&run("agg32", &nest(32), ""), "claim/syntax");
    error(&run("agg2000", &nest(2_000), ""), "claim/syntax");
}

// Unary minus and `not` nest one level each: 63 minus signs before a
// number are 64 levels; `count(staff where ...)` takes 3 levels before
// its condition.
#[test]
fn unary_operators_at_the_bound() {
    let negs = |n| format!("{}4", "-".repeat(n));
    ok(&run("neg63", &negs(63), ""));
    error(&run("neg64", &negs(64), ""), "claim/syntax");
    let nots = |n| format!("count(staff where {}true)", "not ".repeat(n));
    ok(&run("not61", &nots(61), ""));
    error(&run("not62", &nots(62), ""), "claim/syntax");
}

/// The binary, on the shapes that aborted it (exit 134): a located error
/// and exit 2.
#[test]
fn cli_exits_2_on_long_chains() {
    let dir = temp_dir("cli");
    for (name, measure, defines) in [
        ("sum", chain("count(staff)", "+", 2_000), String::new()),
        ("defs", "d2999".to_string(), definition_chain(3_000, false)),
        (
            "defs-reversed",
            "d2999".to_string(),
            definition_chain(3_000, true),
        ),
    ] {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, claim_file(&measure, &defines)).unwrap();
        for args in [
            &["check"][..],
            &["verify"],
            &["verify", "--format", "json"],
            &["explain", "c1"],
        ] {
            let out = common::factcheck()
                .args(args)
                .args(["--evidence", TOY_EVIDENCE])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&format!("{name}.toml:")), "{stderr}");
            let code = if name == "sum" {
                "claim/syntax"
            } else {
                "claim/too-deep"
            };
            assert!(
                stderr.contains(code) || String::from_utf8_lossy(&out.stdout).contains(code),
                "{name} {args:?}: {stderr}"
            );
        }
    }
}

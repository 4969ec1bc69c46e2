//! Entry points shared by the property tests, the corpus replay test and the
//! cargo-fuzz targets (which include this file by path). Each takes
//! arbitrary input, runs it through the library's own stages
//! (`factcheck::engine`: an in-memory workspace, load → compile → execute
//! → judge, and the `check` and `verify` commands) and panics only when an
//! invariant is broken:
//!
//! - no stage panics;
//! - a stage that returns no value has pushed at least one error;
//! - `check` reports exactly the errors of the stages;
//! - every diagnostic's labels point into the text of a registered file,
//!   on character boundaries;
//! - diagnostics and reports render.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

pub mod output;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use factcheck::claims::ClaimFile;
use factcheck::date::{parse_date_value, DateRange};
use factcheck::diag::{render_human, to_json, Diagnostic, Files};
use factcheck::engine::{
    check, compile, evaluate, execute, judge, verify, Executed, LoadedEvidence, NoProgress,
    Options, Selection, Workspace,
};
use factcheck::evidence::Evidence;
use factcheck::expr::parser::parse;
use factcheck::render::json::diagnostics_json;
use factcheck::render::{render, render_invalid, Format, RenderOptions};
use factcheck::resolve::{Origin, Resolver};
use factcheck::verdict::describe_value;

/// The toy evidence of tests/fixtures/toy, embedded so fuzz targets need no
/// files.
pub const TOY_SOURCES: &str = include_str!("../fixtures/toy/evidence/sources.toml");
/// The toy table header.
pub const TOY_TABLE: &str = include_str!("../fixtures/toy/evidence/staff.toml");
/// The toy table's rows.
pub const TOY_CSV: &str = include_str!("../fixtures/toy/evidence/staff.csv");
/// Valid claims over the toy evidence.
pub const TOY_CLAIMS: &str = include_str!("../fixtures/toy/claims/toy.toml");
/// Claims the toy evidence cannot settle.
pub const TOY_UNCERTAIN: &str = include_str!("../fixtures/toy/claims/uncertain.toml");
/// A claim file full of mistakes.
pub const BAD_CLAIMS: &str = include_str!("../fixtures/invalid/bad.toml");

/// A table with its records in TOML, one column of every type, cells in
/// every kind of TOML string (the toy table reads its rows from CSV).
pub const RECORD_TABLE: &str = r#"[table]
name = "people"
description = "Records written in TOML (test seed)."
key = "id"
temporal = { from = "start", to = "end" }

[[column]]
name = "id"
type = "text"

[[column]]
name = "start"
type = "date"

[[column]]
name = "end"
type = "date"

[[column]]
name = "tenure"
type = "quantity"
unit = "years"

[[column]]
name = "papers"
type = "integer"

[[column]]
name = "score"
type = "decimal"

[[column]]
name = "lead"
type = "boolean"

[[column]]
name = "tags"
type = "list"

[[record]]
id = "p1"
start = "2016"
end = '2023-06'
tenure = "about 7 years"
papers = 12
score = "4.25"
lead = true
tags = ["founder", "lead"]
sources = ["roster"]

[[record]]
id = 'p2'
start = """2018-01..2019-06"""
end = "unknown"
tenure = '''at least 5 years'''
papers = "unknown"
score = "3.5"
lead = false
tags = ["x"]
sources = "roster"
note = "multi-line and literal strings"

[[record]]
id = "p\u00e9"
start = "..2019-05-01"
end = "2025.."
tenure = "unknown"
papers = "unknown"
score = "unknown"
lead = "unknown"
tags = []
sources = ["roster"]
"#;

/// The shipped dataset of evidence/, embedded.
pub const SHIPPED_EVIDENCE: &[(&str, &str)] = &[
    (
        "evidence/sources.toml",
        include_str!("../../evidence/sources.toml"),
    ),
    (
        "evidence/authors.toml",
        include_str!("../../evidence/authors.toml"),
    ),
    (
        "evidence/employment.toml",
        include_str!("../../evidence/employment.toml"),
    ),
    (
        "evidence/employment.csv",
        include_str!("../../evidence/employment.csv"),
    ),
    (
        "evidence/events.toml",
        include_str!("../../evidence/events.toml"),
    ),
    (
        "evidence/leadership.toml",
        include_str!("../../evidence/leadership.toml"),
    ),
    (
        "evidence/llama1_models.toml",
        include_str!("../../evidence/llama1_models.toml"),
    ),
    (
        "evidence/llama1_release.toml",
        include_str!("../../evidence/llama1_release.toml"),
    ),
    (
        "evidence/meta_models.toml",
        include_str!("../../evidence/meta_models.toml"),
    ),
    (
        "evidence/organizations.toml",
        include_str!("../../evidence/organizations.toml"),
    ),
];

/// The evidence scopes of the shipped dataset (subdirectories of
/// evidence/), embedded.
pub const SHIPPED_SCOPES: &[(&str, &[(&str, &str)])] = &[
    (
        "rust-one-year-2016",
        &[
            (
                "evidence/rust-one-year-2016/sources.toml",
                include_str!("../../evidence/rust-one-year-2016/sources.toml"),
            ),
            (
                "evidence/rust-one-year-2016/firefox_mp4parse.toml",
                include_str!("../../evidence/rust-one-year-2016/firefox_mp4parse.toml"),
            ),
            (
                "evidence/rust-one-year-2016/rust_conferences.toml",
                include_str!("../../evidence/rust-one-year-2016/rust_conferences.toml"),
            ),
            (
                "evidence/rust-one-year-2016/rust_features.toml",
                include_str!("../../evidence/rust-one-year-2016/rust_features.toml"),
            ),
            (
                "evidence/rust-one-year-2016/rust_releases.toml",
                include_str!("../../evidence/rust-one-year-2016/rust_releases.toml"),
            ),
            (
                "evidence/rust-one-year-2016/so_most_loved.toml",
                include_str!("../../evidence/rust-one-year-2016/so_most_loved.toml"),
            ),
        ],
    ),
    (
        "seattle-december-2015",
        &[
            (
                "evidence/seattle-december-2015/sources.toml",
                include_str!("../../evidence/seattle-december-2015/sources.toml"),
            ),
            (
                "evidence/seattle-december-2015/seattle_weather.toml",
                include_str!("../../evidence/seattle-december-2015/seattle_weather.toml"),
            ),
            (
                "evidence/seattle-december-2015/seattle-weather.csv",
                include_str!("../../evidence/seattle-december-2015/seattle-weather.csv"),
            ),
        ],
    ),
    (
        "transformer-2023",
        &[
            (
                "evidence/transformer-2023/sources.toml",
                include_str!("../../evidence/transformer-2023/sources.toml"),
            ),
            (
                "evidence/transformer-2023/authors.toml",
                include_str!("../../evidence/transformer-2023/authors.toml"),
            ),
            (
                "evidence/transformer-2023/companies.toml",
                include_str!("../../evidence/transformer-2023/companies.toml"),
            ),
            (
                "evidence/transformer-2023/employment.toml",
                include_str!("../../evidence/transformer-2023/employment.toml"),
            ),
            (
                "evidence/transformer-2023/paper.toml",
                include_str!("../../evidence/transformer-2023/paper.toml"),
            ),
        ],
    ),
];

/// Byte that separates the sources, table and CSV parts of an evidence
/// input (never valid UTF-8, so it never occurs inside a part's text).
pub const SEP: u8 = 0xff;

/// The article text given to claim files that name none.
pub const ARTICLE: &str = "The team has had four members. Ana and Cai founded it.\n";

/// An evidence dataset, loaded once by the library and shared by every
/// workspace built on it.
pub struct Dataset {
    /// What loading it gave.
    pub loaded: Arc<LoadedEvidence>,
    /// The evidence.
    pub evidence: Arc<Evidence>,
    /// How many diagnostics loading it gave (a workspace built on it
    /// reports them first).
    pub diagnostics: usize,
}

impl Dataset {
    /// Load `inputs`, checking the invariants of the loader.
    pub fn load(inputs: Vec<(String, String)>) -> Dataset {
        Dataset::load_scoped(inputs, Vec::new())
    }

    /// Load `inputs` and evidence scopes, checking the invariants of the
    /// loader.
    pub fn load_scoped(
        inputs: Vec<(String, String)>,
        scopes: Vec<(String, Vec<(String, String)>)>,
    ) -> Dataset {
        let loaded = LoadedEvidence::load_scoped(inputs, scopes);
        if loaded.evidence.tables.is_empty() {
            assert!(
                has_error(&loaded.diagnostics),
                "table file dropped silently"
            );
        }
        check_diags(&loaded.files, &loaded.diagnostics);
        Dataset {
            evidence: Arc::clone(&loaded.evidence),
            diagnostics: loaded.diagnostics.len(),
            loaded: Arc::new(loaded),
        }
    }

    /// A workspace in memory with this evidence.
    pub fn workspace(&self) -> Workspace {
        Workspace::in_memory().with_loaded_evidence(Arc::clone(&self.loaded))
    }
}

/// The toy evidence, loaded; panics if it has diagnostics.
pub fn toy_evidence() -> Dataset {
    let data = Dataset::load(toy_inputs(TOY_SOURCES, TOY_TABLE, TOY_CSV));
    assert_eq!(data.diagnostics, 0);
    data
}

/// The shipped evidence, loaded; panics if it has diagnostics.
pub fn shipped_evidence() -> Dataset {
    let inputs = SHIPPED_EVIDENCE
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let scopes = SHIPPED_SCOPES
        .iter()
        .map(|(name, files)| {
            let files = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            (name.to_string(), files)
        })
        .collect();
    let data = Dataset::load_scoped(inputs, scopes);
    assert_eq!(data.diagnostics, 0);
    data
}

fn toy_inputs(sources: &str, table: &str, csv: &str) -> Vec<(String, String)> {
    vec![
        ("evidence/sources.toml".into(), sources.into()),
        ("evidence/staff.toml".into(), table.into()),
        (format!("evidence/{}", csv_name(table)), csv.into()),
    ]
}

/// The CSV file a table text names with `csv = "..."`, or `staff.csv`.
pub fn csv_name(table: &str) -> String {
    for line in table.lines() {
        let Some(rest) = line.trim_start().strip_prefix("csv") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = &rest[q.len_utf8()..];
        if let Some(end) = body.find(q) {
            let name = &body[..end];
            if name.ends_with(".csv") && !name.contains(['/', '\\']) && name.len() > 4 {
                return name.to_string();
            }
        }
    }
    "staff.csv".to_string()
}

/// Check the invariants of a list of diagnostics, then render it.
pub fn check_diags(files: &Files, diags: &[Diagnostic]) {
    for d in diags {
        let labels = d.primary.iter().chain(d.secondary.iter());
        for l in labels {
            let file = files
                .get(l.file)
                .unwrap_or_else(|| panic!("[{}] label names an unknown file: {d:?}", d.code));
            let text = &file.text;
            let span = &l.span;
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "[{}] span {span:?} is outside {} ({} bytes): {d:?}",
                d.code,
                file.path,
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "[{}] span {span:?} is not on char boundaries in {}: {d:?}",
                d.code,
                file.path
            );
        }
    }
    let _ = render_human(files, diags, false);
    let _ = render_human(files, diags, true);
    let _ = diagnostics_json(&to_json(files, diags));
    for format in [Format::Json, Format::Junit, Format::Sarif, Format::Github] {
        let _ = render_invalid(&to_json(files, diags), format);
    }
}

fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

fn day(s: &str) -> DateRange {
    parse_date_value(s).expect("valid date")
}

/// Dates measures are evaluated at: a day, a month, an open range.
fn eval_dates() -> [DateRange; 3] {
    [day("2022-01-01"), day("2023-06"), day("2019..")]
}

/// Parse and resolve one expression against `data`, then evaluate it
/// with the library's evaluation (`engine::evaluate`) at three dates.
pub fn expression(src: &str, data: &Dataset) {
    let ev = &data.evidence;
    let expr = match parse(src) {
        Ok(e) => e,
        Err(e) => {
            let s = &e.span;
            assert!(
                s.start <= s.end && s.end <= src.len(),
                "parse error span {s:?} outside {} bytes: {e:?}",
                src.len()
            );
            assert!(
                src.is_char_boundary(s.start) && src.is_char_boundary(s.end),
                "parse error span {s:?} not on char boundaries: {e:?}"
            );
            return;
        }
    };
    // As in a claim file, one byte (the closing quote) follows the text.
    let mut files = Files::default();
    let file = files.add("measure", format!("{src}'"));
    let origin = Origin {
        file,
        base: 0,
        exact: true,
        whole: 0..src.len() + 1,
    };
    let mut resolver = Resolver::new(ev, Vec::new());
    let compiled = resolver.compile(&expr, &origin);
    let mut diags = std::mem::take(&mut resolver.diags);
    let program = resolver.program;
    match compiled {
        None => assert!(has_error(&diags), "compile failed silently: {src:?}"),
        Some((node, _)) => {
            for as_of in eval_dates() {
                match evaluate(ev, &program, &node, as_of, day("2022-01-01")) {
                    Ok(e) => {
                        let _ = describe_value(&e.value);
                    }
                    Err(e) => {
                        let mut d = Diagnostic::error(e.code, e.message);
                        if let Some(loc) = e.loc {
                            d = d.at(loc.file, loc.span, "while evaluating this");
                        }
                        diags.push(d);
                    }
                }
            }
        }
    }
    check_diags(&files, &diags);
}

/// Run a claim file against `data` through the library's stages, in a
/// workspace in memory: load,
/// compile, execute and judge every claim (judged even when another claim
/// has an error, so every statement is decided); then `check` on the same
/// workspace must report exactly the errors of the stages. The claim file,
/// when it reads.
pub fn claim_file(text: &str, data: &Dataset) -> Option<ClaimFile> {
    // No article text: quotes are anchored in the run from disk
    // (`Scratch`), which costs a search for the closest passage per quote.
    let ws = data.workspace().with_claim_file("claims/fuzz.toml", text);
    let loaded = ws.load(&mut NoProgress);
    // The evidence's diagnostics come first; then those of the claim file.
    let of_claims = loaded.diagnostics.get(data.diagnostics..).unwrap_or(&[]);
    let Some(cf) = loaded.claim_files.first().cloned() else {
        assert!(has_error(of_claims), "claim file rejected silently");
        check_diags(&loaded.files, &loaded.diagnostics);
        return None;
    };
    let compiled = compile(&loaded, &Selection::default(), &mut NoProgress);
    for c in &compiled.claims {
        let Some(m) = &c.claim.measure else { continue };
        if !c.claim.checkable {
            continue;
        }
        if m.expr.is_none() {
            assert!(has_error(of_claims), "measure dropped silently");
        } else if c.node.is_none() {
            // The error may be in a definition the measure uses, reported
            // when the file was read, or in a table file that did not load
            // (reported by the loader; names of such tables are not
            // reported again).
            assert!(
                has_error(&compiled.diagnostics)
                    || has_error(of_claims)
                    || !data.evidence.broken.is_empty(),
                "measure failed to compile silently: {:?}",
                m.text
            );
        } else if c.expected.is_none() {
            assert!(
                has_error(&compiled.diagnostics),
                "statement rejected silently: {:?}",
                c.claim.states
            );
        }
    }
    let execution = execute(&compiled, &mut NoProgress);
    let judged = judge(&compiled, &execution, &mut NoProgress);
    let mut diags = compiled.all_diagnostics();
    // `check` evaluates only input without errors so far.
    let mut errors: Vec<&str> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    diags.extend(execution.diagnostics().cloned());
    if !compiled.has_errors() {
        errors.extend(execution.diagnostics().map(|d| d.code));
        // Every compiled claim was judged, or failed with an error.
        assert!(
            judged.diagnostics.is_empty(),
            "internal error: {:?}",
            judged.diagnostics
        );
        let failed = execution
            .claims
            .iter()
            .filter(|e| matches!(e, Executed::Failed(_)))
            .count();
        // Every compiled claim has its verdict; those whose evaluation
        // failed are `error`, with their problem.
        assert_eq!(
            judged.report.claims.len(),
            compiled.claims.len(),
            "a claim left out of the report"
        );
        let unjudged = judged
            .report
            .claims
            .iter()
            .filter(|v| v.verdict == factcheck::verdict::Verdict::Error)
            .inspect(|v| assert!(v.problem.is_some(), "an error verdict without its problem"))
            .count();
        assert_eq!(unjudged, failed, "a failed claim not judged `error`");
    }
    check_diags(&loaded.files, &diags);
    let checked = check(&ws, &Selection::default(), &mut NoProgress);
    check_diags(&checked.files, &checked.diagnostics);
    let mut check_errors: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    errors.sort_unstable();
    check_errors.sort_unstable();
    assert_eq!(check_errors, errors, "check and the stages disagree");
    Some(cf)
}

/// Split an evidence input into sources, table and CSV parts at [`SEP`].
pub fn split_evidence(bytes: &[u8]) -> [String; 3] {
    let mut parts = bytes.splitn(3, |b| *b == SEP);
    let mut next = || String::from_utf8_lossy(parts.next().unwrap_or(b"")).into_owned();
    [next(), next(), next()]
}

/// Join evidence parts into one input for [`split_evidence`].
pub fn join_evidence(sources: &str, table: &str, csv: &str) -> Vec<u8> {
    let mut out = sources.as_bytes().to_vec();
    out.push(SEP);
    out.extend_from_slice(table.as_bytes());
    out.push(SEP);
    out.extend_from_slice(csv.as_bytes());
    out
}

/// Load a dataset of a source registry, one table file and the CSV it
/// names; then run the toy claims and a few generic measures over it.
pub fn evidence(sources: &str, table: &str, csv: &str) -> Arc<Evidence> {
    let data = Dataset::load(toy_inputs(sources, table, csv));
    claim_file(TOY_CLAIMS, &data);
    claim_file(TOY_UNCERTAIN, &data);
    let mut measures = Vec::new();
    for t in &data.evidence.tables {
        let n = &t.name;
        measures.push(format!("count({n})"));
        measures.push(format!("names({n})"));
        measures.push(format!("count({n} at as_of)"));
        for c in &t.columns {
            let c = &c.name;
            measures.push(format!("min({n}, {c})"));
            measures.push(format!("max({n}, {c})"));
            measures.push(format!("sum({n}, {c})"));
            measures.push(format!("mean({n}, {c})"));
            measures.push(format!("share({n} where {c} is unknown, {n})"));
            measures.push(format!("count({n} where {c} == {c})"));
        }
    }
    for m in measures.iter().take(200) {
        expression(m, &data);
    }
    data.evidence
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory under the system temp dir, removed on drop.
pub struct Scratch {
    /// Its path.
    pub dir: PathBuf,
}

impl Scratch {
    /// A fresh, empty directory.
    pub fn new(tag: &str) -> Scratch {
        let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("factcheck-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("evidence")).expect("create scratch dir");
        std::fs::create_dir_all(dir.join("claims")).expect("create scratch dir");
        std::fs::write(dir.join("article.txt"), ARTICLE).expect("write article");
        Scratch { dir }
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.join(rel);
        std::fs::write(&p, bytes).expect("write scratch file");
        p
    }

    /// Run `factcheck verify` on one claim file (raw bytes) against the
    /// toy evidence.
    pub fn verify_claims(&self, claims: &[u8]) {
        self.write("evidence/sources.toml", TOY_SOURCES.as_bytes());
        self.write("evidence/staff.toml", TOY_TABLE.as_bytes());
        self.write("evidence/staff.csv", TOY_CSV.as_bytes());
        let path = self.write("claims/fuzz.toml", claims);
        self.run(vec![path]);
    }

    /// Run `factcheck verify` on the toy claims against evidence files
    /// given as raw bytes.
    pub fn verify_evidence(&self, sources: &[u8], table: &[u8], csv: &[u8]) {
        let _ = std::fs::remove_dir_all(self.dir.join("evidence"));
        std::fs::create_dir_all(self.dir.join("evidence")).expect("create evidence dir");
        self.write("evidence/sources.toml", sources);
        self.write("evidence/staff.toml", table);
        let name = csv_name(&String::from_utf8_lossy(table));
        self.write(&format!("evidence/{name}"), csv);
        let claims = self.write("claims/toy.toml", TOY_CLAIMS.as_bytes());
        self.run(vec![claims]);
    }

    fn run(&self, paths: Vec<PathBuf>) {
        let ws = Workspace::from_dirs(Options {
            paths,
            evidence: self.dir.join("evidence"),
            // For claim files that name no `[article] text`.
            article_text: Some(self.dir.join("article.txt")),
            // A path a fuzzed claim file names is read only inside the
            // scratch directory.
            root: Some(self.dir.clone()),
            ..Options::default()
        });
        match verify(&ws, &Selection::default(), &mut NoProgress) {
            Err(out) => {
                assert!(has_error(&out.diagnostics), "no report and no error");
                check_diags(&out.files, &out.diagnostics);
            }
            Ok(out) => {
                assert!(!has_error(&out.diagnostics), "a report despite errors");
                check_diags(&out.files, &out.diagnostics);
                let report = &out.report;
                for color in [false, true] {
                    for format in [
                        Format::Human,
                        Format::Json,
                        Format::Markdown,
                        Format::Junit,
                        Format::Sarif,
                        Format::Github,
                        Format::Claimreview,
                        Format::Html,
                    ] {
                        let opts = RenderOptions {
                            color,
                            ..RenderOptions::default()
                        };
                        let _ = render(report, format, &opts);
                    }
                }
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replay one corpus file through the entry point its directory names
/// (`claim_reader`, `expr_parser`, `evidence_loader` or `renderers`).
pub fn replay(target: &str, bytes: &[u8], ev: &Dataset) {
    match target {
        "claim_reader" => {
            claim_file(&String::from_utf8_lossy(bytes), ev);
        }
        "expr_parser" => expression(&String::from_utf8_lossy(bytes), ev),
        "evidence_loader" => {
            let [s, t, c] = split_evidence(bytes);
            evidence(&s, &t, &c);
        }
        "renderers" => output::renderers(bytes),
        other => panic!("unknown fuzz target directory `{other}`"),
    }
}

/// Every file under `dir/<target>/`, as (target, path).
pub fn corpus_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(targets) = std::fs::read_dir(dir) else {
        return out;
    };
    for t in targets.flatten() {
        if !t.path().is_dir() {
            continue;
        }
        let target = t.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(t.path())
            .expect("read corpus dir")
            .flatten()
        {
            if f.path().is_file() && f.file_name() != ".gitkeep" {
                out.push((target.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

//! The whole pipeline behind `factcheck verify`: load the evidence, read the
//! claim files, resolve every measure, evaluate each claim at its as-of date
//! and build the [`Report`]. Problems in the input come back as
//! diagnostics; when there is any error no verdict is reported, so nothing
//! is ever reported that was not computed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::anchor::{anchor_quotes, QuoteAnchor};
use crate::audit::{audit_file, Audit};
use crate::claims::{read_claim_file, string_origin, Claim, ClaimFile};
use crate::date::{parse_date_value, DateRange};
use crate::diag::{suggest, Diagnostic, Files};
use crate::eval::{Ctx, EvalError, Value};
use crate::evidence::{load_dir_in, Evidence};
use crate::explain::Explanation;
use crate::expr::Unit;
use crate::fsread::{collect_paths, Fs, Origin, Text, DEFAULT_MAX_FILE_SIZE};
use crate::lint::{empty_filters, Usage};
use crate::resolve::{Node, Program, Resolver, Ty};
use crate::statement::{
    self, parse_date_statement, parse_number_statement, Allowed, Stated, StatementError,
};
use crate::verdict::{
    decide_date, decide_number, decide_truth, describe_value, ArticleRef, ClaimVerdict, Decision,
    Rating, Report, SourceRef, Summary, Verdict, Witness, WitnessCount,
};

/// Most witness records listed per table in a verdict; the rest are counted.
pub const MAX_LISTED_WITNESSES: usize = 50;

/// What to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// Claim files or directories.
    pub paths: Vec<PathBuf>,
    /// Evidence directory.
    pub evidence: PathBuf,
    /// Only these claim ids (all when empty).
    pub claim_ids: Vec<String>,
    /// Override of every article's publication date as the default as-of date.
    pub as_of: Option<String>,
    /// Article text for claim files that do not name one in `[article] text`.
    pub article_text: Option<PathBuf>,
    /// Root of the tree being checked (the current directory when `None`):
    /// files named inside claim and table files, and files found in the
    /// directories given, are read only inside it (see [`crate::fsread`]).
    pub root: Option<PathBuf>,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
}

impl Default for Options {
    /// `claims/` against `evidence/`, rooted at the current directory.
    fn default() -> Self {
        Options {
            paths: vec![PathBuf::from("claims")],
            evidence: PathBuf::from("evidence"),
            claim_ids: Vec::new(),
            as_of: None,
            article_text: None,
            root: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Result of a run.
#[derive(Debug)]
pub struct Outcome {
    /// Every file read.
    pub files: Files,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Verdicts, when the input was valid.
    pub report: Option<Report>,
    /// The trace of one claim (`factcheck explain`).
    pub explanation: Option<Box<Explanation>>,
    /// Real paths of every file read (or opened for reading): a report
    /// must not overwrite one of them.
    pub inputs: Vec<PathBuf>,
}

impl Outcome {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

enum Check {
    Number {
        allowed: Box<Allowed>,
        stated: Stated,
        unit: Unit,
    },
    Date {
        stated: Stated,
        text: String,
    },
    Truth(bool),
}

struct Prepared<'a> {
    claim: &'a Claim,
    file: usize,
    node: Option<Node>,
    check: Option<Check>,
    as_of: DateRange,
}

/// What a run produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Verdicts and the trace of the one claim selected.
    Explain,
    /// Verdicts.
    Verify,
    /// Diagnostics only, with usage warnings.
    Check,
}

/// Run the pipeline and judge every claim.
pub fn verify(opts: &Options) -> Outcome {
    sorted(run(opts, Mode::Verify))
}

/// Validate claim files and evidence without producing verdicts: every
/// error `verify` would report (measures are still evaluated, so an empty
/// denominator is found), plus warnings for evidence, sources and
/// definitions nothing uses and filters that match no record.
pub fn check(opts: &Options) -> Outcome {
    sorted(run(opts, Mode::Check))
}

/// The evaluation trace of one claim (`opts.claim_ids` names it), beside
/// its verdict.
pub fn explain(opts: &Options) -> Outcome {
    sorted(run(opts, Mode::Explain))
}

/// Audit the coverage of each claim file's article (`factcheck audit`):
/// read the claim files, anchor their quotes and `[[ignore]]` passages in
/// the article text, and list the quantities nothing covers. The evidence
/// is not read. Quotes that are not found are reported both as diagnostics
/// (with the closest passage) and as drift in the audit.
pub fn audit(opts: &Options, lang: Option<crate::extract::Lang>) -> (Outcome, Audit) {
    let mut files = Files::default();
    let mut diags = Vec::new();
    let mut result = Audit::default();
    let mut fs = match Fs::new(opts.root.as_deref(), opts.max_file_size) {
        Ok(fs) => fs,
        Err(d) => {
            let out = Outcome {
                files,
                diagnostics: vec![*d],
                report: None,
                explanation: None,
                inputs: Vec::new(),
            };
            return (out, result);
        }
    };
    let claim_files = read_claim_files(&mut fs, &opts.paths, &mut files, &mut diags);
    for (cf, real) in &claim_files {
        let anchored = article_text(&mut fs, cf, real, opts, &mut diags).map(|t| {
            let article = files.add(t.shown, t.text);
            anchor_quotes(cf, &mut files, article, &mut diags)
        });
        result
            .files
            .push(audit_file(cf, &files, anchored.as_ref(), lang));
    }
    let out = sorted(Outcome {
        files,
        diagnostics: diags,
        report: None,
        explanation: None,
        inputs: fs.inputs().to_vec(),
    });
    (out, result)
}

fn sorted(mut out: Outcome) -> Outcome {
    // Report problems in reading order: by file, then by place in it.
    out.diagnostics.sort_by_key(|d| {
        d.primary
            .as_ref()
            .map(|l| (1, l.file, l.span.start))
            .unwrap_or((0, crate::diag::FileId(0), 0))
    });
    out
}

fn run(opts: &Options, mode: Mode) -> Outcome {
    let mut fs = match Fs::new(opts.root.as_deref(), opts.max_file_size) {
        Ok(fs) => fs,
        Err(d) => {
            return Outcome {
                files: Files::default(),
                diagnostics: vec![*d],
                report: None,
                explanation: None,
                inputs: Vec::new(),
            }
        }
    };
    let mut out = run_in(&mut fs, opts, mode);
    out.inputs = fs.inputs().to_vec();
    out
}

fn run_in(fs: &mut Fs, opts: &Options, mode: Mode) -> Outcome {
    let mut files = Files::default();
    let mut diags = Vec::new();
    let ev = load_dir_in(fs, &opts.evidence, &mut files, &mut diags);
    let cli_as_of = opts.as_of.as_ref().and_then(|s| match parse_date_value(s) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error("cli/bad-date", format!("--as-of: {}", e.message))
                    .help("e.g. --as-of 2025-05-26"),
            );
            None
        }
    });
    let claim_files = read_claim_files(fs, &opts.paths, &mut files, &mut diags);
    let (claim_files, reals): (Vec<ClaimFile>, Vec<PathBuf>) = claim_files.into_iter().unzip();
    check_unique_ids(&claim_files, &mut diags);
    check_article_sources(&claim_files, &ev, &mut diags);
    let all_ids: Vec<&str> = claim_files
        .iter()
        .flat_map(|f| f.claims.iter().map(|c| c.id.as_str()))
        .collect();
    for id in &opts.claim_ids {
        if !all_ids.contains(&id.as_str()) {
            let mut d =
                Diagnostic::error("cli/unknown-claim", format!("no claim has the id `{id}`"));
            if let Some(s) = suggest(id, all_ids.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
    }
    // Anchor quotes where the article text is available.
    let mut anchors: BTreeMap<String, QuoteAnchor> = BTreeMap::new();
    for (cf, real) in claim_files.iter().zip(&reals) {
        if let Some(t) = article_text(fs, cf, real, opts, &mut diags) {
            let article = files.add(t.shown, t.text);
            anchors.extend(anchor_quotes(cf, &mut files, article, &mut diags).quotes);
        }
    }
    // Without an evidence directory every name would be unknown: report
    // the directory, not one error per table reference.
    let evidence_shown = crate::fsread::shown(&opts.evidence);
    if diags.iter().any(|d| {
        d.code == "io/evidence-dir"
            || (d.code == "io/outside-root"
                && d.primary.is_none()
                && d.path.as_deref() == Some(evidence_shown.as_str()))
    }) {
        return Outcome {
            files,
            diagnostics: diags,
            report: None,
            explanation: None,
            inputs: Vec::new(),
        };
    }
    // Resolve.
    let mut programs: Vec<Program> = Vec::new();
    let mut prepared: Vec<Prepared<'_>> = Vec::new();
    for (fi, cf) in claim_files.iter().enumerate() {
        let mut resolver = Resolver::new(&ev, cf.defs.clone());
        resolver.compile_defs();
        for claim in &cf.claims {
            if !opts.claim_ids.is_empty() && !opts.claim_ids.contains(&claim.id) {
                continue;
            }
            let as_of = claim
                .as_of
                .as_ref()
                .map(|(d, _)| *d)
                .or(cli_as_of)
                .unwrap_or(cf.article.published);
            let mut p = Prepared {
                claim,
                file: fi,
                node: None,
                check: None,
                as_of,
            };
            if claim.checkable {
                if let Some(m) = &claim.measure {
                    if let Some(expr) = &m.expr {
                        if let Some((node, ty)) = resolver.compile(expr, &m.origin) {
                            p.check =
                                prepare_check(claim, ty, &as_of, &files, &ev, &mut resolver.diags);
                            p.node = Some(node);
                        }
                    }
                }
            }
            prepared.push(p);
        }
        diags.append(&mut resolver.diags);
        programs.push(resolver.program);
    }
    if mode == Mode::Check {
        let measures = prepared
            .iter()
            .filter_map(|p| p.node.as_ref().map(|n| (p.file, n)));
        // Usage is only meaningful on input without errors: a measure that
        // did not resolve uses nothing, and every table would look unused.
        if !diags.iter().any(Diagnostic::is_error) {
            let mut usage = Usage::of(&ev, &programs, measures);
            for cf in &claim_files {
                usage.cite(&ev, cf.article.sources.iter().map(|(id, _)| id.as_str()));
            }
            diags.extend(usage.warnings(&ev, &claim_files));
            let mut hits = BTreeMap::new();
            for p in &prepared {
                let (Some(node), Some(cf), Some(program)) =
                    (&p.node, claim_files.get(p.file), programs.get(p.file))
                else {
                    continue;
                };
                let mut ctx = Ctx::new(&ev, program, p.as_of, cf.article.published);
                if let Err(e) = ctx.eval(node, None) {
                    diags.push(*eval_diag(p.claim, e));
                }
                // A claim that states "none" expects its filters to be empty.
                let expects_empty = matches!(&p.check, Some(Check::Number { allowed, .. })
                    if allowed.interval.as_point() == Some(crate::num::Rational::ZERO));
                for (k, hit) in ctx.filter_hits {
                    *hits.entry(k).or_insert(false) |= hit || expects_empty;
                }
            }
            diags.extend(empty_filters(&hits));
        }
        return Outcome {
            files,
            diagnostics: diags,
            report: None,
            explanation: None,
            inputs: Vec::new(),
        };
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Outcome {
            files,
            diagnostics: diags,
            report: None,
            explanation: None,
            inputs: Vec::new(),
        };
    }
    // Evaluate.
    // Sized once: a doubling vector of a million verdicts would briefly
    // hold one and a half million.
    let mut verdicts = Vec::with_capacity(prepared.len());
    let mut shared = Shared::new(&ev);
    for p in &mut prepared {
        let (Some(cf), Some(program)) = (claim_files.get(p.file), programs.get(p.file)) else {
            continue;
        };
        let anchor = anchors.get(&p.claim.id);
        match judge(p, cf, program, &ev, &files, anchor, &mut shared) {
            Ok(v) => verdicts.push(v),
            Err(d) => diags.push(*d),
        }
        // A judged claim's expression is not needed again: its memory
        // goes to the next verdicts.
        p.node = None;
        p.check = None;
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Outcome {
            files,
            diagnostics: diags,
            report: None,
            explanation: None,
            inputs: Vec::new(),
        };
    }
    let articles = claim_files
        .iter()
        .filter(|cf| verdicts.iter().any(|v| v.article == cf.article.id))
        .map(|cf| ArticleRef {
            id: cf.article.id.clone(),
            title: cf.article.title.clone(),
            url: cf.article.url.clone(),
            language: cf.article.language.clone(),
            published: cf.article.published.to_string(),
            claim_file: cf.path.clone(),
        })
        .collect();
    let explanation = if mode == Mode::Explain {
        prepared.iter().zip(&verdicts).next().and_then(|(p, v)| {
            let cf = claim_files.get(p.file)?;
            Some(Box::new(crate::explain::explain(
                &ev,
                &files,
                cf,
                p.claim,
                p.as_of,
                v.clone(),
            )))
        })
    } else {
        None
    };
    let summary = Summary::of(&verdicts);
    Outcome {
        files,
        diagnostics: diags,
        report: Some(Report {
            articles,
            claims: verdicts,
            summary,
        }),
        explanation,
        inputs: Vec::new(),
    }
}

/// Read every claim file under `paths`, each with its real path.
fn read_claim_files(
    fs: &mut Fs,
    paths: &[PathBuf],
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(ClaimFile, PathBuf)> {
    let mut out = Vec::new();
    for (path, dir) in collect_paths(fs, paths, diags) {
        let origin = match &dir {
            Some(dir) => Origin::Found { dir },
            None => Origin::Cli,
        };
        let Some(t) = fs.read(&path, origin, diags) else {
            continue;
        };
        let fid = files.add(t.shown, t.text);
        if let Some(cf) = read_claim_file(fid, files, diags) {
            out.push((cf, t.real));
        }
    }
    out
}

/// The article text of a claim file (`real` is its real path): the one it
/// names in `[article] text`, confined to the root, else the one given
/// with `--article`.
fn article_text(
    fs: &mut Fs,
    cf: &ClaimFile,
    real: &Path,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> Option<Text> {
    match (&cf.article.text, &opts.article_text) {
        (Some((t, loc)), _) => fs.read(
            Path::new(t),
            Origin::Named {
                by: real,
                by_shown: &cf.path,
                at: (loc.file, &loc.span),
            },
            diags,
        ),
        (None, Some(p)) => fs.read(p, Origin::Cli, diags),
        (None, None) => None,
    }
}

fn check_unique_ids(files: &[ClaimFile], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Claim> = BTreeMap::new();
    for cf in files {
        let mut local = BTreeSet::new();
        for c in &cf.claims {
            if !local.insert(c.id.as_str()) {
                continue; // reported by the reader
            }
            if let Some(prev) = seen.get(c.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        "claim/duplicate-id",
                        format!("claim id `{}` is used in two claim files", c.id),
                    )
                    .at(c.id_loc.file, c.id_loc.span.clone(), "used again here")
                    .also(
                        prev.id_loc.file,
                        prev.id_loc.span.clone(),
                        "first used here",
                    )
                    .help("claim ids must be unique across all claim files"),
                );
            } else {
                seen.insert(c.id.as_str(), c);
            }
        }
    }
}

/// Every source an `[article]` cites must be in `sources.toml`.
fn check_article_sources(files: &[ClaimFile], ev: &Evidence, diags: &mut Vec<Diagnostic>) {
    for cf in files {
        for (id, loc) in &cf.article.sources {
            if ev.sources.iter().any(|s| &s.id == id) {
                continue;
            }
            let mut d = Diagnostic::error("claim/unknown-source", format!("unknown source `{id}`"))
                .at(loc.file, loc.span.clone(), "not in sources.toml");
            d = d.help(
                match suggest(id, ev.sources.iter().map(|s| s.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it as a [[source]] in the evidence's sources.toml".into(),
                },
            );
            diags.push(d);
        }
    }
}

fn statement_diag(claim: &Claim, files: &Files, e: StatementError) -> Diagnostic {
    let (loc, file) = match &claim.states {
        Some((_, loc)) => (loc.clone(), loc.file),
        None => (claim.id_loc.clone(), claim.id_loc.file),
    };
    let text = files.get(file).map(|f| f.text.as_str()).unwrap_or("");
    let origin = string_origin(file, text, loc.span.clone());
    let mut d =
        Diagnostic::error("claim/bad-statement", e.message).at(file, origin.map(&e.span), "here");
    if let Some(h) = e.help {
        d = d.help(h);
    }
    d
}

fn prepare_check(
    claim: &Claim,
    ty: Ty,
    as_of: &DateRange,
    files: &Files,
    ev: &Evidence,
    diags: &mut Vec<Diagnostic>,
) -> Option<Check> {
    let states = claim.states.as_ref().map(|(s, _)| s.as_str());
    let here = |msg: String, help: &str| {
        let (file, span) = match &claim.states {
            Some((_, l)) => (l.file, l.span.clone()),
            None => (claim.id_loc.file, claim.id_loc.span.clone()),
        };
        Diagnostic::error("claim/bad-statement", msg)
            .at(file, span, "here")
            .help(help.to_string())
    };
    match ty {
        Ty::Num(unit, integral) => {
            let Some(text) = states else {
                diags.push(here(
                    format!(
                        "claim `{}` measures a number but does not say what the article states",
                        claim.id
                    ),
                    "add states = \"78%\" (or \"more than 5 years\", \"only 3\" ...)",
                ));
                return None;
            };
            let stated = match parse_number_statement(text) {
                Ok(s) => s,
                Err(e) => {
                    diags.push(statement_diag(claim, files, e));
                    return None;
                }
            };
            let allowed = match &stated {
                Stated::Number {
                    qualifier,
                    value,
                    dp,
                    unit: written,
                } => {
                    if *written != unit {
                        diags.push(here(
                            format!("the statement is in {} but the measure is in {}", written.name(), unit.name()),
                            "write the figure in the measure's unit, e.g. \"78%\" for share(...), \"5 years\" for years_between(...)",
                        ));
                        return None;
                    }
                    statement::allowed(*qualifier, *value, *dp, unit, integral, claim.tolerance)
                }
                Stated::Quantifier(q) => statement::quantifier(*q, unit),
                _ => return None,
            };
            match allowed {
                Ok(allowed) => Some(Check::Number {
                    allowed: Box::new(allowed),
                    stated,
                    unit,
                }),
                Err(e) => {
                    diags.push(here(e.to_string(), "see the qualifier table in README.md"));
                    None
                }
            }
        }
        Ty::Date => {
            let Some(text) = states else {
                diags.push(here(
                    format!(
                        "claim `{}` measures a date but does not say what the article states",
                        claim.id
                    ),
                    "add states = \"last month\" (or \"January 2023\", \"early 2025\" ...)",
                ));
                return None;
            };
            match parse_date_statement(text, as_of) {
                Ok(stated) => Some(Check::Date {
                    stated,
                    text: text.to_string(),
                }),
                Err(e) => {
                    diags.push(statement_diag(claim, files, e));
                    None
                }
            }
        }
        Ty::Bool => match states.map(str::trim) {
            None | Some("true") => Some(Check::Truth(true)),
            Some("false") => Some(Check::Truth(false)),
            Some(other) => {
                diags.push(here(
                    format!("a condition can only be stated true or false, found `{other}`"),
                    "drop `states` (the measure is the assertion) or write states = \"false\"",
                ));
                None
            }
        },
        other => {
            let (file, span) = claim
                .measure
                .as_ref()
                .map_or((claim.id_loc.file, claim.id_loc.span.clone()), |m| {
                    (m.origin.file, m.origin.whole.clone())
                });
            diags.push(
                Diagnostic::error("claim/measure-type", format!("a measure must be a number, a date or a condition, but this one is {}", other.describe(ev)))
                    .at(file, span, "this measure")
                    .help("compare it, e.g. names(set) == [\"a\", \"b\"], or aggregate it with count(...)"),
            );
            None
        }
    }
}

fn eval_diag(claim: &Claim, e: EvalError) -> Box<Diagnostic> {
    let mut d = Diagnostic::error(e.code, format!("claim `{}`: {}", claim.id, e.message));
    let help = e.help();
    if let Some(loc) = e.loc {
        d = d.at(loc.file, loc.span, "while evaluating this");
    }
    if let Some(help) = help {
        d = d.help(help);
    }
    Box::new(d)
}

/// The texts of the evidence that verdicts cite, built once and shared by
/// every verdict (verdicts hold pointers, not copies: with many claims
/// citing the same records, the report would otherwise hold one copy of
/// each witness and source per claim).
struct Shared {
    /// Per source: id, title, publisher, url, date.
    sources: Vec<[Arc<str>; 5]>,
    /// Witness records already described, by (table, row).
    witnesses: HashMap<(usize, u32), Arc<Witness>>,
}

impl Shared {
    fn new(ev: &Evidence) -> Self {
        Shared {
            sources: ev
                .sources
                .iter()
                .map(|s| {
                    [
                        Arc::from(s.id.as_str()),
                        Arc::from(s.title.as_str()),
                        Arc::from(s.publisher.as_str()),
                        Arc::from(s.url.as_str()),
                        Arc::from(s.date.to_string()),
                    ]
                })
                .collect(),
            witnesses: HashMap::new(),
        }
    }

    /// The witness for row `r` of table `t`, described once.
    fn witness(&mut self, ev: &Evidence, files: &Files, t: usize, r: u32) -> Option<Arc<Witness>> {
        if let Some(w) = self.witnesses.get(&(t, r)) {
            return Some(Arc::clone(w));
        }
        let table = ev.tables.get(t)?;
        let sources: Vec<String> = table
            .sources_of(r)
            .iter()
            .filter_map(|i| ev.sources.get(*i).map(|s| s.id.clone()))
            .collect();
        let location = table
            .loc_of(r)
            .map(|l| {
                format!(
                    "{}:{}",
                    files.path(l.file),
                    files.line_col(l.file, l.span.start).0
                )
            })
            .unwrap_or_default();
        let w = Arc::new(Witness {
            table: table.name.clone(),
            key: table.key_of(r).to_string(),
            sources,
            location,
        });
        self.witnesses.insert((t, r), Arc::clone(&w));
        Some(w)
    }
}

fn judge(
    p: &Prepared<'_>,
    cf: &ClaimFile,
    program: &Program,
    ev: &Evidence,
    files: &Files,
    anchor: Option<&QuoteAnchor>,
    shared: &mut Shared,
) -> Result<ClaimVerdict, Box<Diagnostic>> {
    let claim = p.claim;
    let location = format!("{}:{}", cf.path, claim.line);
    let mut out = ClaimVerdict {
        id: claim.id.clone(),
        article: cf.article.id.clone(),
        location,
        file: cf.path.clone(),
        line: claim.line,
        quote: claim.quote.as_ref().map(|(q, _)| q.clone()),
        quote_at: anchor.cloned(),
        claim: claim.restatement.clone(),
        verdict: Verdict::NotCheckable,
        explanation: String::new(),
        measure: claim.measure.as_ref().map(|m| m.text.trim().to_string()),
        states: claim.states.as_ref().map(|(s, _)| s.clone()),
        as_of: p.as_of.to_string(),
        as_of_reason: claim.as_of.as_ref().and_then(|(_, r)| r.clone()),
        computed: None,
        allowed: None,
        rating: claim.rating.as_ref().map(|(r, why)| Rating {
            rating: r.clone(),
            reason: why.clone(),
        }),
        note: claim.note.clone(),
        witnesses: Vec::new(),
        witness_counts: Vec::new(),
        sources: Vec::new(),
    };
    if !claim.checkable {
        out.explanation = format!(
            "not checkable: {}",
            claim.reason.clone().unwrap_or_default()
        );
        return Ok(out);
    }
    let (Some(node), Some(check)) = (&p.node, &p.check) else {
        return Err(Box::new(Diagnostic::error(
            "eval/internal",
            format!("claim `{}` was not prepared", claim.id),
        )));
    };
    let mut ctx = Ctx::new(ev, program, p.as_of, cf.article.published);
    let value = ctx.eval(node, None).map_err(|e| eval_diag(claim, e))?;
    let decision: Decision = match (check, &value) {
        (
            Check::Number {
                allowed,
                stated,
                unit,
            },
            Value::Num(iv, _),
        ) => decide_number(iv, *unit, allowed, stated, ctx.detail.as_deref()),
        (
            Check::Date {
                stated: Stated::Period { relation, period },
                text,
            },
            Value::Date(d),
        ) => decide_date(d, *relation, period, text),
        (Check::Truth(expected), Value::Bool(t)) => decide_truth(*t, *expected),
        _ => {
            return Err(Box::new(Diagnostic::error(
                "eval/internal",
                format!("claim `{}`: value and statement disagree in type", claim.id),
            )))
        }
    };
    out.verdict = decision.verdict;
    out.explanation = decision.explanation;
    if !ctx.notes.is_empty() {
        out.explanation = format!("{}: {}", out.explanation, ctx.notes.join("; "));
    }
    out.allowed = Some(decision.allowed);
    out.computed = Some(describe_value(&value));
    // Every witness's sources are cited and every witness is counted; the
    // records themselves are listed up to a bound per table (a claim over a million rows names a sample
    // and the count, not a million keys).
    let mut cited = vec![0usize; ev.sources.len()];
    let mut listed: BTreeMap<usize, usize> = BTreeMap::new();
    for (t, r) in ctx.witnesses.iter() {
        let Some(table) = ev.tables.get(t) else {
            continue;
        };
        for i in table.sources_of(r) {
            if let Some(c) = cited.get_mut(*i) {
                *c += 1;
            }
        }
        let n = listed.entry(t).or_insert(0);
        *n += 1;
        if *n > MAX_LISTED_WITNESSES {
            continue;
        }
        if let Some(w) = shared.witness(ev, files, t, r) {
            out.witnesses.push(w);
        }
    }
    out.witness_counts = listed
        .into_iter()
        .filter_map(|(t, records)| {
            ev.tables.get(t).map(|table| WitnessCount {
                table: table.name.clone(),
                records,
            })
        })
        .collect();
    // Most-cited sources first: the ones the verdict rests on most.
    let mut sources: Vec<SourceRef> = cited
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(i, n)| shared.sources.get(i).map(|s| (s, *n)))
        .map(|([id, title, publisher, url, date], n)| SourceRef {
            id: Arc::clone(id),
            title: Arc::clone(title),
            publisher: Arc::clone(publisher),
            url: Arc::clone(url),
            date: Arc::clone(date),
            cited_by: n,
        })
        .collect();
    sources.sort_by(|a, b| b.cited_by.cmp(&a.cited_by).then_with(|| a.id.cmp(&b.id)));
    sources.shrink_to_fit();
    out.sources = sources;
    Ok(out)
}

//! The pipeline, as stages with their own types, and the commands as short
//! compositions of them:
//!
//! | stage | function | gives |
//! |---|---|---|
//! | load | [`Workspace::load`] | [`Loaded`]: files, evidence, claim files, quote anchors |
//! | compile | [`compile`] | [`Compiled`]: each selected claim's measure resolved, its statement parsed |
//! | execute | [`execute`] | [`Execution`]: each measure's value (or why there is none) |
//! | judge | [`judge`] | [`Judged`]: the [`Report`] of verdicts |
//!
//! [`verify`], [`check`], [`explain`] and [`audit`] each give their own
//! result, or [`Failed`] when the input has errors (a file that cannot be
//! read, an unknown name, a type error): no verdict is ever reported that
//! was not computed. A problem met while evaluating one claim (evidence
//! that conflicts, an empty denominator, an overflow) is that claim's:
//! its verdict is [`Verdict::Error`](crate::verdict::Verdict::Error) with
//! the problem located, and every other claim is judged. Problems come back as diagnostics, in
//! reading order; the library never prints. Progress goes to a
//! [`Progress`] callback ([`NoProgress`] to ignore it).
//!
//! ```
//! use factcheck::engine::{verify, NoProgress, Selection, Workspace};
//!
//! let ws = Workspace::in_memory()
//!     .with_evidence("evidence/sources.toml", r#"
//! [[source]]
//! id = "roster"
//! title = "Team roster"
//! publisher = "Example"
//! url = "https://example.org/roster"
//! date = "2022-01-01"
//! "#)
//!     .with_evidence("evidence/staff.toml", r#"
//! [table]
//! name = "staff"
//! description = "Members."
//! key = "name"
//!
//! [[column]]
//! name = "name"
//! type = "text"
//!
//! [[record]]
//! name = "Ana"
//! sources = ["roster"]
//!
//! [[record]]
//! name = "Cai"
//! sources = ["roster"]
//! "#)
//!     .with_claim_file("claims/team.toml", r#"
//! [article]
//! id = "team"
//! title = "The team"
//! url = "https://example.org/team"
//! language = "en"
//! published = "2022-01-01"
//!
//! [[claim]]
//! id = "two-members"
//! claim = "The team has two members."
//! measure = "count(staff)"
//! states = "2"
//! "#);
//! let verified = verify(&ws, &Selection::default(), &mut NoProgress)
//!     .map_err(|f| f.diagnostics)
//!     .unwrap();
//! let verdict = &verified.report.claims[0];
//! assert_eq!(verdict.verdict, factcheck::verdict::Verdict::Supported);
//! ```

mod progress;
pub mod remote;
#[cfg(feature = "spark")]
pub mod spark;
mod stages;
mod timeline;
mod workspace;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub use crate::judge::timeline::{ClaimTimeline, Period};
pub use progress::{NoProgress, Progress, Stage};
pub use stages::{
    compile, evaluate, execute, execute_traced, execute_with_trace, judge, Compiled, CompiledClaim,
    Evaluation, Executed, Execution, Expected, Failure, Judged, Selection, WitnessTally,
    MAX_LISTED_WITNESSES,
};
pub use timeline::{attach_timelines, timeline, Timelines};
pub use workspace::{Loaded, LoadedClaims, LoadedEvidence, Options, Workspace};

use crate::audit::{audit_file, Audit};
use crate::date::DateRange;
use crate::diag::{Diagnostic, FileId, Files};
use crate::eval::{FilterAt, FilterCount, Level};
use crate::explain::Explanation;
use crate::extract::Lang;
use crate::lint::{empty_filters, matches_at_some_date, Usage};
use crate::verdict::Report;

/// A run whose input has errors: nothing was judged.
#[derive(Debug)]
pub struct Failed {
    /// Every file read.
    pub files: Files,
    /// Every problem found, errors and warnings, in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// Real paths of every file read (or opened for reading).
    pub inputs: Vec<PathBuf>,
}

/// What [`verify`] gives.
#[derive(Debug)]
pub struct Verified {
    /// Every file read.
    pub files: Files,
    /// Warnings, and the problems of the claims that could not be judged
    /// (each also in its verdict), in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// The verdicts.
    pub report: Report,
    /// Real paths of every file read (or opened for reading): a report
    /// must not overwrite one of them.
    pub inputs: Vec<PathBuf>,
}

/// What [`check`] gives.
#[derive(Debug)]
pub struct Checked {
    /// Every file read.
    pub files: Files,
    /// Every problem found, with usage warnings, in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// Real paths of every file read (or opened for reading).
    pub inputs: Vec<PathBuf>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// What [`explain`] gives.
#[derive(Debug)]
pub struct Explained {
    /// Every file read.
    pub files: Files,
    /// Warnings, and the claim's problem when it could not be judged (also
    /// in its verdict), in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// The claim's verdict (the report holds it alone).
    pub report: Report,
    /// The trace of its evaluation.
    pub explanation: Box<Explanation>,
    /// Real paths of every file read (or opened for reading).
    pub inputs: Vec<PathBuf>,
}

/// What [`audit`] gives.
#[derive(Debug)]
pub struct Audited {
    /// Every file read.
    pub files: Files,
    /// Every problem found, in reading order; a quote not found in its
    /// article is an error here and drift in the audit.
    pub diagnostics: Vec<Diagnostic>,
    /// The coverage of each claim file's article.
    pub audit: Audit,
    /// Real paths of every file read (or opened for reading).
    pub inputs: Vec<PathBuf>,
}

fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Report problems in reading order: by file, then by place in it
/// (diagnostics without a place first, in the order found).
fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| {
        d.primary
            .as_ref()
            .map(|l| (1, l.file, l.span.start))
            .unwrap_or((0, FileId(0), 0))
    });
    diags
}

fn failed(loaded: Loaded, diagnostics: Vec<Diagnostic>) -> Failed {
    Failed {
        files: loaded.files,
        diagnostics: sorted(diagnostics),
        inputs: loaded.inputs,
    }
}

/// Judge every selected claim: load → compile → execute → judge, stopping
/// when loading or compiling finds an error. A claim whose evaluation
/// fails is judged `error` (with its problem); the others are judged.
pub fn verify(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<Verified, Failed> {
    verify_with(ws, selection, progress, false)
}

/// [`verify`], and for each claim judged, the first day after its
/// evaluation date on which the evidence gives another verdict
/// ([`crate::verdict::ClaimVerdict::changes`]), found as `timeline` finds
/// its runs (one evaluation per change point after that date).
pub fn verify_changes(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<Verified, Failed> {
    verify_with(ws, selection, progress, true)
}

fn verify_with(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
    changes: bool,
) -> Result<Verified, Failed> {
    let loaded = ws.load_for_claims(progress);
    match judged(&loaded, selection, progress, changes) {
        Ok((judged, diagnostics)) => Ok(Verified {
            files: loaded.files,
            diagnostics: sorted(diagnostics),
            report: judged.report,
            inputs: loaded.inputs,
        }),
        Err(diagnostics) => Err(failed(loaded, diagnostics)),
    }
}

/// The stages after loading, with every diagnostic so far; the
/// diagnostics alone when any is an error.
fn judged(
    loaded: &Loaded,
    selection: &Selection,
    progress: &mut dyn Progress,
    changes: bool,
) -> Result<(Judged, Vec<Diagnostic>), Vec<Diagnostic>> {
    let compiled = compile(loaded, selection, progress);
    let mut diags = compiled.all_diagnostics();
    if !has_error(&diags) {
        diags.extend(compiled.catalog_only());
    }
    if has_error(&diags) {
        return Err(diags);
    }
    let execution = execute(&compiled, progress);
    let mut judged = judge(&compiled, &execution, progress);
    // A claim whose evaluation failed has its verdict (`error`, with the
    // problem): its diagnostic is reported beside the report, and stops
    // nothing. Only a claim that could not be judged at all does.
    diags.append(&mut judged.diagnostics);
    if has_error(&diags) {
        return Err(diags);
    }
    diags.extend(execution.diagnostics().cloned());
    if changes {
        later_changes(loaded, &compiled, &mut judged, progress);
    }
    Ok((judged, diags))
}

/// Fill every judged claim's later change of verdict.
fn later_changes(
    loaded: &Loaded,
    compiled: &Compiled<'_>,
    judged: &mut Judged,
    progress: &mut dyn Progress,
) {
    let shared = crate::eval::Shared::default();
    let cache = stages::WorldCache::default();
    let mut described = stages::Shared::new(&loaded.evidence);
    progress.start(Stage::Execute, compiled.claims.len() as u64);
    for c in &compiled.claims {
        progress.advance(1);
        let Some(program) = compiled.programs.get(c.file) else {
            continue;
        };
        // The report lists the judged claims by id (ids are unique).
        let Some(v) = judged
            .report
            .claims
            .iter_mut()
            .find(|v| v.id == c.claim.id && v.verdict != crate::verdict::Verdict::Error)
        else {
            continue;
        };
        v.changes = timeline::later_change(
            loaded,
            c,
            program,
            v.verdict,
            (&shared, &cache),
            &mut described,
        );
    }
    progress.finish();
}

/// Validate claim files and evidence without producing verdicts: every
/// error [`verify`] would report (measures are still evaluated, so an
/// empty denominator is found), plus warnings for evidence, sources and
/// definitions nothing uses and filters that match no record. Only the
/// claims selected are compiled and evaluated (all when none is named).
pub fn check(ws: &Workspace, selection: &Selection, progress: &mut dyn Progress) -> Checked {
    let loaded = ws.load(progress);
    let diagnostics = {
        let compiled = compile(&loaded, selection, progress);
        let mut diags = compiled.all_diagnostics();
        if !has_error(&diags) {
            diags.extend(compiled.catalog_only());
        }
        // Usage is only meaningful on input without errors: a measure that
        // did not resolve uses nothing, and every table would look unused.
        if !has_error(&diags) {
            let ev = &loaded.evidence;
            let measures = compiled
                .claims
                .iter()
                .filter_map(|c| c.node.as_ref().map(|n| (c.file, n)));
            let mut usage = Usage::of(ev, &compiled.programs, measures);
            for cf in &loaded.claim_files {
                usage.cite(
                    ev,
                    cf.scope,
                    cf.article.sources.iter().map(|(id, _)| id.as_str()),
                );
            }
            // Evidence nothing uses is told only when the claim files are a
            // whole collection: checking one article of several, the
            // others' tables are not unused. The tables and sources of an
            // evidence scope are its articles' own: they are told when the
            // files checked read that scope. Definitions nothing uses are
            // the checked files' own.
            let whole = ws.whole_collection();
            let scopes: BTreeSet<_> = loaded
                .claim_files
                .iter()
                .filter_map(|cf| cf.scope)
                .collect();
            let told = |d: &Diagnostic| {
                whole
                    || !d.code.starts_with("evidence/")
                    || d.primary
                        .as_ref()
                        .and_then(|l| ev.scope_of_file(l.file))
                        .is_some_and(|s| scopes.contains(&s))
            };
            diags.extend(
                usage
                    .warnings(ev, &loaded.claim_files)
                    .into_iter()
                    .filter(told),
            );
            // What each filter did, from the events of every claim's
            // evaluation, summed over the claims that use it.
            let (execution, traces) = execute_with_trace(&compiled, Level::Filters, progress);
            let mut filters: BTreeMap<FilterAt, FilterCount> = BTreeMap::new();
            let mut excused: BTreeSet<FilterAt> = BTreeSet::new();
            for ((c, run), trace) in compiled.claims.iter().zip(&execution.claims).zip(&traces) {
                if let Executed::Failed(f) = run {
                    diags.push(f.diagnostic.clone());
                }
                let Some(trace) = trace else {
                    continue;
                };
                // A claim that states "none" or "no records" expects its
                // filters to be empty.
                let expects_empty = matches!(&c.expected, Some(Expected::Number { allowed, .. })
                    if allowed.interval.as_point() == Some(crate::num::Rational::ZERO))
                    || matches!(&c.expected, Some(Expected::NoRecords));
                for (at, n) in trace.filters() {
                    filters.entry(*at).or_default().add(n);
                    if expects_empty {
                        excused.insert(*at);
                    }
                }
            }
            // A filter that kept nothing only because of the date its set
            // is taken at is not suspicious: "all have left" is a claim.
            // Each filter is tried once, with the first claim that uses it.
            let mut tried = BTreeSet::new();
            for c in &compiled.claims {
                let (Some(node), Some(program), Some(cf)) = (
                    &c.node,
                    compiled.programs.get(c.file),
                    loaded.claim_files.get(c.file),
                ) else {
                    continue;
                };
                let dates = (c.as_of, cf.article.published);
                for_each_filter(program, node, |f, at| {
                    let empty = filters.get(&at).is_some_and(|n| !n.kept_any());
                    if empty
                        && !excused.contains(&at)
                        && tried.insert(at)
                        && matches_at_some_date(&loaded.evidence, program, f, dates)
                    {
                        excused.insert(at);
                    }
                });
            }
            diags.extend(empty_filters(&filters, &excused));
        }
        diags
    };
    Checked {
        files: loaded.files,
        diagnostics: sorted(diagnostics),
        inputs: loaded.inputs,
    }
}

/// Call `f` on every filter (`where`) of a measure and the definitions it
/// uses, with where it is written.
fn for_each_filter(
    program: &crate::resolve::Program,
    node: &crate::resolve::Node,
    mut f: impl FnMut(&crate::resolve::Node, FilterAt),
) {
    use crate::resolve::Node;
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.walk(|m| match m {
            Node::Where(_, _, loc) => f(m, (loc.file, loc.span.start, loc.span.end)),
            Node::Def(i) if seen.insert(*i) => {
                if let Some(Some(body)) = program.defs.get(*i) {
                    todo.push(body);
                }
            }
            _ => {}
        });
    }
}

/// The evaluation trace of one claim, beside its verdict: load → compile
/// → execute with the events of the evaluation recorded
/// ([`execute_traced`]) → judge, and the trace built from those
/// events, so the verdict and the trace come from the same evaluation.
pub fn explain(
    ws: &Workspace,
    claim_id: &str,
    as_of: Option<DateRange>,
    progress: &mut dyn Progress,
) -> Result<Explained, Failed> {
    let loaded = ws.load_for_claims(progress);
    let selection = Selection {
        claim_ids: vec![claim_id.to_string()],
        as_of,
    };
    let traced = explain_loaded(&loaded, &selection, progress);
    match traced {
        Ok((report, diagnostics, explanation)) => Ok(Explained {
            files: loaded.files,
            diagnostics: sorted(diagnostics),
            report,
            explanation,
            inputs: loaded.inputs,
        }),
        Err(diagnostics) => Err(failed(loaded, diagnostics)),
    }
}

/// The stages of [`explain`] after loading.
fn explain_loaded(
    loaded: &Loaded,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<(Report, Vec<Diagnostic>, Box<Explanation>), Vec<Diagnostic>> {
    let compiled = compile(loaded, selection, progress);
    let mut diags = compiled.all_diagnostics();
    if has_error(&diags) {
        return Err(diags);
    }
    let (execution, traces) = execute_traced(&compiled, progress);
    let mut judged = judge(&compiled, &execution, progress);
    diags.append(&mut judged.diagnostics);
    if has_error(&diags) {
        return Err(diags);
    }
    diags.extend(execution.diagnostics().cloned());
    let claim_id = selection.claim_ids.first().map_or("", String::as_str);
    let position = compiled.claims.iter().position(|c| c.claim.id == claim_id);
    let found = position.and_then(|i| {
        let c = compiled.claims.get(i)?;
        Some((
            c,
            loaded.claim_files.get(c.file)?,
            compiled.programs.get(c.file)?,
            traces.get(i).and_then(Option::as_ref),
        ))
    });
    let (Some(v), Some((c, cf, program, trace))) = (judged.report.claims.first(), found) else {
        diags.push(Diagnostic::error(
            "eval/internal",
            format!("claim `{claim_id}` was not judged"),
        ));
        return Err(diags);
    };
    let evaluated = crate::explain::Evaluated {
        program,
        node: c.node.as_ref(),
        trace,
    };
    let e = crate::explain::explain(
        &loaded.evidence,
        &loaded.files,
        cf,
        c.claim,
        evaluated,
        v.clone(),
    );
    Ok((judged.report, diags, Box::new(e)))
}

/// Audit the coverage of each claim file's article (`factcheck audit`):
/// read the claim files, anchor their quotes and `[[ignore]]` passages in
/// the article text, and list the quantities nothing covers (in `lang`,
/// else each article's language). The evidence is not read. Quotes that
/// are not found are reported both as diagnostics (with the closest
/// passage) and as drift in the audit.
pub fn audit(ws: &Workspace, lang: Option<Lang>, progress: &mut dyn Progress) -> Audited {
    let loaded = ws.load_claims(progress);
    let mut audit = Audit::default();
    for (cf, anchored) in loaded.claim_files.iter().zip(&loaded.anchored) {
        audit
            .files
            .push(audit_file(cf, &loaded.files, anchored.as_ref(), lang));
    }
    Audited {
        files: loaded.files,
        diagnostics: sorted(loaded.diagnostics),
        audit,
        inputs: loaded.inputs,
    }
}

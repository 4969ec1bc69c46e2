//! The stages after loading: compile (resolve every claim's measure and
//! statement), execute (evaluate every compiled measure) and judge
//! (decide every claim's verdict from its value and statement).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::claims::{string_origin, Claim, ClaimFile};
use crate::date::{DateRange, Hemisphere};
use crate::diag::{suggest, Diagnostic, Files};
use crate::eval::{
    Ctx, EvalError, Event, Level, ShareParts, Shared as SharedResults, Trace, Value,
};
use crate::evidence::alternatives::{World, MAX_WORLDS};
use crate::evidence::order::Orders;
use crate::evidence::Evidence;
use crate::expr::Unit;
use crate::lang::Lang;
use crate::resolve::{Node, Program, Resolver, Ty};
use crate::statement::fmt_interval;
use crate::statement::{
    self, parse_date_statement_in, parse_number_statement_in, Allowed, Stated, StatementError,
};
use crate::verdict::{
    decide_date, decide_no_records, decide_number, decide_possibly_without_records, decide_share,
    decide_truth, decide_without_records, describe_value, event_text, rests_on_text, share_text,
    ArticleRef, ClaimVerdict, DatasetRef, Decision, Figures, InferenceRef, Problem, Rating,
    Reading, Report, SourceRef, Summary, Verdict, Witness, WitnessCount, NO_RECORDS,
};

use super::progress::{Progress, Stage};
use super::workspace::{LoadState, Loaded};

/// Most witness records listed per table in a verdict; the rest are counted.
pub const MAX_LISTED_WITNESSES: usize = 50;

/// Where an evaluation puts its events, and how much it records: the
/// trace of a claim is asked for with a level and comes back in the slot
/// (also when the evaluation fails: what it did until then).
type TraceSlot<'t> = Option<(Level, &'t mut Option<Trace>)>;

/// Which claims to judge, and when.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these claim ids (all when empty); an id no claim has is an
    /// error (`cli/unknown-claim`).
    pub claim_ids: Vec<String>,
    /// Judge claims as of this date instead of their article's publication
    /// date (claims with their own `as_of` keep it).
    pub as_of: Option<DateRange>,
}

/// What a claim's statement expects of its measure's value.
#[derive(Debug, Clone)]
pub enum Expected {
    /// A number, within what the figure as written allows.
    Number {
        /// The values the statement allows.
        allowed: Box<Allowed>,
        /// The statement, parsed.
        stated: Stated,
        /// The measure's unit.
        unit: Unit,
    },
    /// A date, in the period stated.
    Date {
        /// The statement, parsed (a [`Stated::Period`]).
        stated: Stated,
        /// The statement as written.
        text: String,
    },
    /// A condition, true or false.
    Truth(bool),
    /// No value: the measure aggregates a set with no records
    /// (`states = "no records"`).
    NoRecords,
}

/// A claim after the compile stage.
#[derive(Debug)]
pub struct CompiledClaim<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// Index of its file in [`Loaded::claim_files`].
    pub file: usize,
    /// Its measure, resolved (`None`: not checkable, or it did not resolve).
    pub node: Option<Node>,
    /// What its statement expects (`None`: not checkable, or invalid).
    pub expected: Option<Expected>,
    /// The date it is judged as of.
    pub as_of: DateRange,
    /// The day its relative words count from: the claim's `said_on`, else
    /// the publication date (never the as-of date).
    pub said_on: DateRange,
}

/// What the compile stage gives: the claims selected, each resolved, and
/// per claim file the program of its definitions.
#[derive(Debug)]
pub struct Compiled<'a> {
    /// What was loaded.
    pub loaded: &'a Loaded,
    /// Per claim file (as [`Loaded::claim_files`]), its definitions.
    pub programs: Vec<Program>,
    /// The claims selected, in file order.
    pub claims: Vec<CompiledClaim<'a>>,
    /// Problems found while resolving.
    pub diagnostics: Vec<Diagnostic>,
    /// Claim ids selected that no claim has.
    pub(super) selection: Vec<Diagnostic>,
}

impl Compiled<'_> {
    /// Whether this stage or loading found an error.
    pub fn has_errors(&self) -> bool {
        self.loaded.has_errors()
            || self
                .diagnostics
                .iter()
                .chain(&self.selection)
                .any(Diagnostic::is_error)
    }

    /// The diagnostics of loading and compiling, in the order found.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.loaded.diagnostics.clone();
        let at = self.loaded.selection_at.min(out.len());
        out.splice(at..at, self.selection.iter().cloned());
        out.extend(self.diagnostics.iter().cloned());
        out
    }

    /// For the in-process engine: an error for each selected claim whose
    /// measure reads a table that lives only in a Spark catalog
    /// (`[table] spark = "db.table"` with no CSV file and no records),
    /// at the measure, pointing at the catalog name.
    pub fn catalog_only(&self) -> Vec<Diagnostic> {
        let ev = &self.loaded.evidence;
        let only: Vec<usize> = ev
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.spark.is_some() && t.records.file.is_none_or(|f| f == t.file) && t.is_empty()
            })
            .map(|(i, _)| i)
            .collect();
        if only.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in &self.claims {
            let (Some(node), Some(program)) = (&c.node, self.programs.get(c.file)) else {
                continue;
            };
            let read = tables_read(node, program);
            for &i in only.iter().filter(|i| read.contains(i)) {
                let Some(t) = ev.tables.get(i) else { continue };
                let Some((name, span)) = &t.spark else {
                    continue;
                };
                let mut d = Diagnostic::error(
                    "eval/catalog-table",
                    format!(
                        "claim `{}`: table `{}` lives in the Spark catalog (`{name}`): the in-process engine has no records of it",
                        c.claim.id, t.name
                    ),
                );
                if let Some(m) = &c.claim.measure {
                    d = d.at(m.origin.file, m.origin.whole.clone(), "reads the table");
                    d = d.also(t.file, span.clone(), "a Spark catalog table");
                } else {
                    d = d.at(t.file, span.clone(), "a Spark catalog table");
                }
                out.push(d.help(
                    "evaluate with the Spark engine, or give the table a local copy with csv = \"<file>.csv\"",
                ));
            }
        }
        out
    }
}

/// The compile stage: check the claim ids selected, then resolve every
/// selected claim's measure against the evidence and parse its statement.
pub fn compile<'a>(
    loaded: &'a Loaded,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Compiled<'a> {
    let mut out = Compiled {
        loaded,
        programs: Vec::new(),
        claims: Vec::new(),
        diagnostics: Vec::new(),
        selection: Vec::new(),
    };
    if loaded.state == LoadState::NoRoot {
        return out;
    }
    let all_ids: Vec<&str> = loaded.claims().map(|(_, c)| c.id.as_str()).collect();
    for id in &selection.claim_ids {
        if !all_ids.contains(&id.as_str()) {
            let mut d =
                Diagnostic::error("cli/unknown-claim", format!("no claim has the id `{id}`"));
            if let Some(s) = suggest(id, all_ids.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            out.selection.push(d);
        }
    }
    if loaded.state == LoadState::NoEvidence {
        return out;
    }
    progress.start(Stage::Compile, all_ids.len() as u64);
    let ev = &loaded.evidence;
    for (fi, cf) in loaded.claim_files.iter().enumerate() {
        let mut resolver = Resolver::new(ev, cf.defs.clone()).in_scope(cf.scope);
        resolver.compile_defs();
        for claim in &cf.claims {
            progress.advance(1);
            if !selection.claim_ids.is_empty() && !selection.claim_ids.contains(&claim.id) {
                continue;
            }
            let as_of = as_of(claim, cf, selection.as_of);
            let said_on = said_on(claim, cf);
            // Figures in words are read in the article's language and in
            // English (the language of measures and restatements).
            let langs: Vec<Lang> = match Lang::from_code(&cf.article.language) {
                Some(l) if l != Lang::En => vec![l, Lang::En],
                _ => vec![Lang::En],
            };
            let mut c = CompiledClaim {
                claim,
                file: fi,
                node: None,
                expected: None,
                as_of,
                said_on,
            };
            if claim.checkable {
                if let Some(m) = &claim.measure {
                    if let Some(expr) = &m.expr {
                        if let Some((node, ty)) = resolver.compile(expr, &m.origin) {
                            c.expected = expect(
                                claim,
                                (ty, node.whole_kind(&resolver.program)),
                                (&said_on, cf.article.hemisphere, &langs),
                                &loaded.files,
                                ev,
                                &mut resolver.diags,
                            );
                            c.node = Some(node);
                        }
                    }
                }
            }
            out.claims.push(c);
        }
        out.diagnostics.append(&mut resolver.diags);
        out.programs.push(resolver.program);
    }
    progress.finish();
    out
}

/// The date a claim is judged as of, the state of the world it is
/// checked in: the override (`Selection::as_of`) for every claim, else
/// the claim's own `as_of`, else its article's publication date.
pub(super) fn as_of(claim: &Claim, cf: &ClaimFile, overridden: Option<DateRange>) -> DateRange {
    overridden
        .or(claim.as_of.as_ref().map(|(d, _)| *d))
        .unwrap_or(cf.article.published)
}

/// The day a claim's relative words ("last month", "this year") count
/// from: the claim's `said_on` (a statement reported from before the
/// article), else the article's publication date. Never the as-of date:
/// judging an article later does not move what its words meant.
pub(super) fn said_on(claim: &Claim, cf: &ClaimFile) -> DateRange {
    claim.said_on.unwrap_or(cf.article.published)
}

/// How much of a claim's value rests on each record and source: what a
/// verdict lists and cites.
#[derive(Debug, Clone, Default)]
pub struct WitnessTally {
    /// Records listed, as (table, row): at most [`MAX_LISTED_WITNESSES`]
    /// per table, in table and row order.
    pub listed: Vec<(usize, u32)>,
    /// Per table, how many of its records fed the value.
    pub counts: Vec<(usize, usize)>,
    /// Per source, how many of those records cite it (sources cited by
    /// none left out).
    pub cited: Vec<(usize, usize)>,
    /// What a SQL engine could not tell of them, by table (the report
    /// says so).
    pub gaps: Vec<(usize, WitnessGap)>,
}

/// What an engine could not tell of a table's witness records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WitnessGap {
    /// Which records they are (counted, not listed): the SQL engine does
    /// not number a catalog table's rows as any loaded here.
    NotListed,
    /// How many of them cite each source: they cite more lists of
    /// sources than a query counts.
    SourcesNotCounted,
    /// Neither: they were not counted.
    NotCounted,
}

/// A gap in a verdict's witnesses, in words.
fn gap_text(table: &str, gap: WitnessGap) -> String {
    match gap {
        WitnessGap::NotListed => format!(
            "records of `{table}` not listed: the SQL engine counted them but cannot tell which records loaded here they are"
        ),
        WitnessGap::SourcesNotCounted => format!(
            "sources of the records of `{table}` not counted: they cite more lists of sources than the SQL engine counts"
        ),
        WitnessGap::NotCounted => {
            format!("records of `{table}` not listed or counted by the SQL engine")
        }
    }
}

/// The value of one claim's measure, with what its evaluation found.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The value.
    pub value: Value,
    /// How the last share was computed ("11 of 14").
    pub detail: Option<ShareParts>,
    /// Facts that explain a boolean result.
    pub notes: Vec<Event>,
    /// The records and sources the value rests on.
    pub witnesses: WitnessTally,
    /// When the measure reads cells that sources disagree on or that the
    /// evidence infers: its value in each variant of the evidence (the
    /// first is the one above). Empty otherwise.
    pub worlds: Vec<WorldValue>,
    /// The inferences (indices into the evidence's) the measure reads.
    pub inferences: Vec<usize>,
}

/// A measure's value in one variant of the evidence.
#[derive(Debug, Clone)]
pub struct WorldValue {
    /// The variant.
    pub world: World,
    /// The value in it.
    pub value: Value,
    /// How its last share was computed.
    pub detail: Option<ShareParts>,
}

/// The tables a measure reads, its definitions' included.
pub fn tables_read(node: &Node, program: &Program) -> BTreeSet<usize> {
    let mut tables = BTreeSet::new();
    let mut defs_seen = BTreeSet::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.walk(|x| match x {
            Node::TableAll(t) => {
                tables.insert(*t);
            }
            Node::Def(i) if defs_seen.insert(*i) => {
                if let Some(Some(d)) = program.defs.get(*i) {
                    todo.push(d);
                }
            }
            _ => {}
        });
    }
    tables
}

/// Evaluate a measure in every variant of the evidence it depends on
/// (`worlds`, first the one the verdict is read in), building each variant
/// once per run (`cache`). The first world's evaluation, with every
/// world's value.
fn evaluate_worlds(
    ev: &Evidence,
    (program, node): (&Program, &Node),
    (as_of, published): (DateRange, DateRange),
    worlds: Vec<World>,
    (shared, cache): (&SharedResults, &WorldCache),
    mut trace: TraceSlot<'_>,
) -> Result<Evaluation, EvalError> {
    let mut first: Option<Evaluation> = None;
    let mut values = Vec::with_capacity(worlds.len());
    for w in worlds {
        // The records' values with inferences used is the evidence as
        // loaded: no copy, and the shared condition results apply.
        let as_loaded = is_as_loaded(&w);
        // Only the first world's evaluation, the one the verdict is read
        // in, is traced.
        let t = if first.is_none() { trace.take() } else { None };
        let e = if as_loaded {
            evaluate_in(ev, program, node, (as_of, published), Some(shared), t)?
        } else {
            let built = cache.get(ev, &w);
            match &*built {
                Ok(variant) => evaluate_in(variant, program, node, (as_of, published), None, t)?,
                Err(d) => return Err(inconsistent_reading(d)),
            }
        };
        values.push(WorldValue {
            world: w,
            value: e.value.clone(),
            detail: e.detail.clone(),
        });
        if first.is_none() {
            first = Some(e);
        }
    }
    let Some(mut out) = first else {
        return evaluate_in(ev, program, node, (as_of, published), Some(shared), trace);
    };
    out.worlds = values;
    Ok(out)
}

/// A variant of the evidence that could not be built (a reading the
/// orderings contradict) as the error of a claim evaluated in it.
pub(super) fn inconsistent_reading(d: &Diagnostic) -> EvalError {
    EvalError {
        code: "eval/inconsistent-reading",
        message: format!("a reading of the evidence contradicts it: {}", d.message),
        loc: None,
    }
}

/// Whether `w` is the evidence as loaded (inferred values used, every
/// disputed cell's first reading): the engine evaluates it without a copy.
pub(super) fn is_as_loaded(w: &World) -> bool {
    w.inferences && w.choices.iter().all(|(_, r)| *r == 0)
}

/// Most variants of the evidence a run keeps built (each is a copy of the
/// evidence, so memory stays within this many copies whatever a dataset
/// disputes).
pub const MAX_KEPT_WORLDS: usize = 16;

/// A variant of the evidence, or why it could not be built.
pub(super) type Built = Arc<Result<Evidence, Box<Diagnostic>>>;

/// Variants of the evidence built during a run, each once.
#[derive(Default)]
pub(super) struct WorldCache {
    built: Mutex<HashMap<World, Built>>,
}

impl WorldCache {
    /// The variant `w` of `ev`, built once.
    pub(super) fn get(&self, ev: &Evidence, w: &World) -> Built {
        if let Ok(map) = self.built.lock() {
            if let Some(b) = map.get(w) {
                return Arc::clone(b);
            }
        }
        let b = Arc::new(ev.world(w));
        if let Ok(mut map) = self.built.lock() {
            // Each variant is a copy of the evidence: a run keeps a few,
            // and builds the others each time they are needed.
            if map.len() < MAX_KEPT_WORLDS {
                map.insert(w.clone(), Arc::clone(&b));
            }
        }
        b
    }
}

/// What executing one claim gave.
#[derive(Debug, Clone)]
pub enum Executed {
    /// Nothing to evaluate: the claim is not checkable, or its measure did
    /// not resolve.
    Skipped,
    /// Its value.
    Value(Box<Evaluation>),
    /// The evaluation failed.
    Failed(Box<Failure>),
}

/// A failed evaluation.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Why it failed.
    pub diagnostic: Diagnostic,
}

/// What the execute stage gives: per compiled claim (as
/// [`Compiled::claims`]), its value or why there is none.
#[derive(Debug, Clone, Default)]
pub struct Execution {
    /// Per compiled claim, in order.
    pub claims: Vec<Executed>,
}

impl Execution {
    /// The errors of the evaluations that failed, in claim order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.claims.iter().filter_map(|e| match e {
            Executed::Failed(f) => Some(&f.diagnostic),
            _ => None,
        })
    }
}

/// Evaluate one resolved measure (`node`, of `program`) at `as_of`, for an
/// article published on `published`. On failure, the error and the filters
/// evaluated until then.
pub fn evaluate(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    as_of: DateRange,
    published: DateRange,
) -> Result<Evaluation, EvalError> {
    evaluate_sharing(ev, program, node, as_of, published, None)
}

/// [`evaluate`], sharing the results of simple conditions with every other
/// evaluation given the same [`SharedResults`] (the execute stage gives one to
/// all the claims of a run).
pub fn evaluate_sharing(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    as_of: DateRange,
    published: DateRange,
    shared: Option<&SharedResults>,
) -> Result<Evaluation, EvalError> {
    evaluate_in(ev, program, node, (as_of, published), shared, None)
}

/// [`evaluate_sharing`]; with `trace`, the events of the evaluation are
/// put there (also when it fails).
fn evaluate_in(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    (as_of, published): (DateRange, DateRange),
    shared: Option<&SharedResults>,
    trace: TraceSlot<'_>,
) -> Result<Evaluation, EvalError> {
    let mut ctx = Ctx::new(ev, program, as_of, published);
    if let Some(s) = shared {
        ctx.share(s);
    }
    if let Some((level, _)) = &trace {
        ctx.trace(*level);
    }
    let result = ctx.eval_measure(node);
    if let Some((_, t)) = trace {
        *t = ctx.take_trace();
    }
    let value = result?;
    // Every witness's sources are cited and every witness is counted; the
    // records themselves are listed up to a bound per table (a claim over
    // a million rows names a sample and the count, not a million keys).
    let tally = ctx.witnesses.tally(ev, MAX_LISTED_WITNESSES);
    Ok(Evaluation {
        value,
        detail: ctx.detail,
        notes: ctx.notes,
        witnesses: WitnessTally {
            listed: tally
                .tables
                .iter()
                .flat_map(|(t, _, rows)| rows.iter().map(move |r| (*t, *r)))
                .collect(),
            counts: tally.tables.iter().map(|(t, n, _)| (*t, *n)).collect(),
            cited: tally
                .cited
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .collect(),
            gaps: Vec::new(),
        },
        worlds: Vec::new(),
        inferences: Vec::new(),
    })
}

/// The execute stage: evaluate every compiled measure at its claim's
/// as-of date. Claims are evaluated on the workspace's threads (one per
/// core unless [`super::Workspace::with_threads`] says otherwise),
/// sharing the results of simple conditions; the results come back in
/// claim order, the same whatever the number of threads.
pub fn execute(compiled: &Compiled<'_>, progress: &mut dyn Progress) -> Execution {
    execute_in(compiled, None, progress).0
}

/// The execute stage for `explain`: [`execute`], each claim with every
/// event of its evaluation recorded ([`Trace`] at [`Level::Full`], per
/// claim as [`Compiled::claims`]; `None` for a claim not evaluated).
pub fn execute_traced(
    compiled: &Compiled<'_>,
    progress: &mut dyn Progress,
) -> (Execution, Vec<Option<Trace>>) {
    execute_in(compiled, Some(Level::Full), progress)
}

/// [`execute`], each claim with the events `level` asks for recorded
/// (per claim as [`Compiled::claims`]; `None` for a claim not evaluated).
/// `check`'s lint reads [`Level::Filters`]: what each filter did.
pub fn execute_with_trace(
    compiled: &Compiled<'_>,
    level: Level,
    progress: &mut dyn Progress,
) -> (Execution, Vec<Option<Trace>>) {
    execute_in(compiled, Some(level), progress)
}

/// Below this many records in all, claims are evaluated on one thread.
const PARALLEL_RECORDS: usize = 20_000;

fn execute_in(
    compiled: &Compiled<'_>,
    level: Option<Level>,
    progress: &mut dyn Progress,
) -> (Execution, Vec<Option<Trace>>) {
    let total = compiled.claims.iter().filter(|c| c.node.is_some()).count();
    progress.start(Stage::Execute, total as u64);
    let shared = SharedResults::default();
    let cache = WorldCache::default();
    let one = |c: &CompiledClaim<'_>| -> Option<(Executed, Option<Trace>)> {
        let loaded = compiled.loaded;
        let (Some(node), Some(cf), Some(program)) = (
            &c.node,
            loaded.claim_files.get(c.file),
            compiled.programs.get(c.file),
        ) else {
            return None;
        };
        let mut trace = None;
        let run = evaluate_claim_traced(
            loaded,
            (c, cf),
            (program, node),
            c.as_of,
            (&shared, &cache),
            level.map(|l| (l, &mut trace)),
        );
        let executed = match run {
            Ok(e) => Executed::Value(Box::new(e)),
            Err(e) => Executed::Failed(Box::new(Failure {
                diagnostic: eval_diag(c.claim, e),
            })),
        };
        Some((executed, trace))
    };
    // Threads pay for themselves on large tables only: the claims of an
    // article over a few hundred records are judged faster on this thread
    // than threads take to start.
    let records: usize = compiled
        .loaded
        .evidence
        .tables
        .iter()
        .map(|t| t.len())
        .sum();
    let threads = if records < PARALLEL_RECORDS {
        1
    } else {
        crate::base::threads(compiled.loaded.threads).min(total)
    };
    let mut done: Vec<Option<(Executed, Option<Trace>)>> =
        Vec::with_capacity(compiled.claims.len());
    if threads <= 1 {
        for c in &compiled.claims {
            let e = one(c);
            if e.is_some() {
                progress.advance(1);
            }
            done.push(e);
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        done.resize_with(compiled.claims.len(), || None);
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, one) = (&next, &one);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(c) = compiled.claims.get(i) else {
                        break;
                    };
                    if tx.send((i, one(c))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (i, e) in rx {
                if e.is_some() {
                    progress.advance(1);
                }
                if let Some(slot) = done.get_mut(i) {
                    *slot = e;
                }
            }
        });
    }
    progress.finish();
    let (claims, traces) = done
        .into_iter()
        .map(|e| e.unwrap_or((Executed::Skipped, None)))
        .unzip();
    (Execution { claims }, traces)
}

/// Evaluate one claim's measure as of `as_of`: in every variant of the
/// evidence it depends on when it reads cells that sources disagree on or
/// that the evidence infers (as `verify` judges it; [`judge_one`] weighs
/// the variants), else once. The execute stage and `timeline` both use it.
pub(super) fn evaluate_claim(
    loaded: &Loaded,
    (c, cf): (&CompiledClaim<'_>, &ClaimFile),
    (program, node): (&Program, &Node),
    as_of: DateRange,
    (shared, cache): (&SharedResults, &WorldCache),
) -> Result<Evaluation, EvalError> {
    evaluate_claim_traced(
        loaded,
        (c, cf),
        (program, node),
        as_of,
        (shared, cache),
        None,
    )
}

/// [`evaluate_claim`]; with `trace`, the events of the evaluation the
/// verdict is read in are put there.
fn evaluate_claim_traced(
    loaded: &Loaded,
    (c, cf): (&CompiledClaim<'_>, &ClaimFile),
    (program, node): (&Program, &Node),
    as_of: DateRange,
    (shared, cache): (&SharedResults, &WorldCache),
    trace: TraceSlot<'_>,
) -> Result<Evaluation, EvalError> {
    let published = cf.article.published;
    let ev = &*loaded.evidence;
    // Alternatives and inferences are rare: a claim pays for them only
    // when its measure reads a table that has some.
    let (disputed, inferred) = if ev.variants.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        ev.variants.touching(ev, &tables_read(node, program))
    };
    if disputed.is_empty() && inferred.is_empty() {
        return evaluate_in(ev, program, node, (as_of, published), Some(shared), trace);
    }
    match ev
        .variants
        .worlds(&disputed, !inferred.is_empty(), !loaded.sourced_only)
    {
        Some(worlds) => evaluate_worlds(
            ev,
            (program, node),
            (as_of, published),
            worlds,
            (shared, cache),
            trace,
        )
        .map(|mut e| {
            e.inferences = inferred;
            e
        }),
        None => Err(EvalError {
            code: "eval/too-many-alternatives",
            message: format!(
                "the measure reads {} cells that sources disagree on: judging every combination of their readings would take more than {MAX_WORLDS} evaluations",
                disputed.len()
            ),
            loc: c.claim.measure.as_ref().map(|m| crate::diag::Loc {
                file: m.origin.file,
                span: m.origin.whole.clone(),
            }),
        }),
    }
}

/// What the judge stage gives.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The verdicts.
    pub report: Report,
    /// Claims that could not be judged (an internal error: a claim judged
    /// without a value or a statement).
    pub diagnostics: Vec<Diagnostic>,
}

/// The judge stage: decide each compiled claim from its value and its
/// statement, and cite the records and sources it rests on. A claim whose
/// evaluation failed gets the verdict [`Verdict::Error`] with its problem
/// (the error is also the execute stage's diagnostic); the others are
/// judged as usual.
pub fn judge(
    compiled: &Compiled<'_>,
    execution: &Execution,
    progress: &mut dyn Progress,
) -> Judged {
    let loaded = compiled.loaded;
    let ev = &loaded.evidence;
    progress.start(Stage::Judge, compiled.claims.len() as u64);
    // Sized once: a doubling vector of a million verdicts would briefly
    // hold one and a half million.
    let mut verdicts = Vec::with_capacity(compiled.claims.len());
    let mut diagnostics = Vec::new();
    let mut shared = Shared::new(ev);
    for (c, run) in compiled.claims.iter().zip(&execution.claims) {
        progress.advance(1);
        let Some(cf) = loaded.claim_files.get(c.file) else {
            continue;
        };
        let anchor = loaded.anchors.get(&c.claim.id);
        let evaluation = match run {
            Executed::Value(e) => Some(&**e),
            Executed::Skipped => None,
            Executed::Failed(f) => {
                verdicts.push(unjudged(c, cf, anchor, &f.diagnostic, &loaded.files));
                continue;
            }
        };
        match judge_claim(c, cf, evaluation, &loaded.files, ev, anchor, &mut shared) {
            Ok(v) => verdicts.push(v),
            Err(d) => diagnostics.push(*d),
        }
    }
    let articles = loaded
        .claim_files
        .iter()
        .zip(
            loaded
                .article_texts
                .iter()
                .copied()
                .chain(std::iter::repeat(None)),
        )
        .filter(|(cf, _)| verdicts.iter().any(|v| v.article == cf.article.id))
        .map(|(cf, text)| ArticleRef {
            id: cf.article.id.clone(),
            title: cf.article.title.clone(),
            url: cf.article.url.clone(),
            language: cf.article.language.clone(),
            published: cf.article.published.to_string(),
            claim_file: cf.path.clone(),
            // A text the claim file withholds (its licence allows no
            // copy) stays out of the report even when `--article` gave a
            // private copy: the HTML report would republish it.
            text: text
                .filter(|_| cf.article.text_withheld.is_none())
                .and_then(|id| loaded.files.get(id))
                .map(|f| Arc::from(f.text.as_str())),
        })
        .collect();
    let summary = Summary::of(&verdicts);
    progress.finish();
    Judged {
        report: Report {
            articles,
            claims: verdicts,
            summary,
        },
        diagnostics,
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

/// What `claim`'s statement expects of a measure of type `ty`; relative
/// period words count from `said_on`.
fn expect(
    claim: &Claim,
    (ty, whole_kind): (Ty, &str),
    (said_on, hemisphere, langs): (&DateRange, Hemisphere, &[Lang]),
    files: &Files,
    ev: &Evidence,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expected> {
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
    let says_no_records = states.is_some_and(|s| s.trim().eq_ignore_ascii_case(NO_RECORDS));
    if says_no_records && matches!(ty, Ty::Num(..) | Ty::Date) {
        return Some(Expected::NoRecords);
    }
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
            let stated = match parse_number_statement_in(text, langs) {
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
                    statement::allowed_of(
                        *qualifier,
                        *value,
                        *dp,
                        unit,
                        integral.then_some(whole_kind),
                        claim.tolerance,
                    )
                }
                Stated::Quantifier(q) => statement::quantifier(*q, unit),
                _ => return None,
            };
            match allowed {
                Ok(allowed) => Some(Expected::Number {
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
            match parse_date_statement_in(text, said_on, hemisphere) {
                Ok(stated) => Some(Expected::Date {
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
            None | Some("true") => Some(Expected::Truth(true)),
            Some("false") => Some(Expected::Truth(false)),
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

pub(super) fn eval_diag(claim: &Claim, e: EvalError) -> Diagnostic {
    let mut d = Diagnostic::error(e.code, format!("claim `{}`: {}", claim.id, e.message));
    let help = e.help();
    if let Some(loc) = e.loc {
        d = d.at(loc.file, loc.span, "while evaluating this");
    }
    if let Some(help) = help {
        d = d.help(help);
    }
    d
}

/// The texts of the evidence that verdicts cite, built once and shared by
/// every verdict (verdicts hold pointers, not copies: with many claims
/// citing the same records, the report would otherwise hold one copy of
/// each witness and source per claim).
pub(super) struct Shared {
    /// Per source: id, title, publisher, url, date.
    sources: Vec<[Arc<str>; 5]>,
    /// Per source: its kind.
    kinds: Vec<Option<crate::evidence::SourceKind>>,
    /// Witness records already described, by (table, row).
    witnesses: HashMap<(usize, u32), Arc<Witness>>,
}

impl Shared {
    pub(super) fn new(ev: &Evidence) -> Self {
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
            kinds: ev.sources.iter().map(|s| s.kind).collect(),
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
            .line_in(r, files)
            .map(|(file, line)| format!("{}:{line}", files.path(file)))
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

/// The verdict of one claim, from its value (`None` when it is not
/// checkable).
/// Judge one claim from its evaluation, on its own (no quote anchor),
/// describing witnesses and sources through `shared`.
pub(super) fn judge_one(
    c: &CompiledClaim<'_>,
    cf: &ClaimFile,
    e: &Evaluation,
    (files, ev): (&Files, &Evidence),
    shared: &mut Shared,
) -> Result<ClaimVerdict, Box<Diagnostic>> {
    judge_claim(c, cf, Some(e), files, ev, None, shared)
}

/// The verdict of a claim whose evaluation met `problem`: `error`, with
/// the problem located; nothing computed, nothing cited.
pub(super) fn unjudged(
    c: &CompiledClaim<'_>,
    cf: &ClaimFile,
    anchor: Option<&crate::anchor::QuoteAnchor>,
    problem: &Diagnostic,
    files: &Files,
) -> ClaimVerdict {
    let mut out = unjudged_verdict(c, cf, anchor);
    let problem = claim_problem(c.claim, problem, files);
    out.verdict = Verdict::Error;
    out.explanation = format!("could not be judged: {}", problem.text());
    out.problem = Some(problem);
    out
}

/// The problem of a claim's diagnostic, without the claim's name (the
/// verdict or timeline it goes in names the claim).
pub(super) fn claim_problem(claim: &Claim, d: &Diagnostic, files: &Files) -> Problem {
    let mut p = Problem::of(d, files);
    if let Some(rest) = p.message.strip_prefix(&format!("claim `{}`: ", claim.id)) {
        p.message = rest.to_string();
    }
    p
}

/// A claim's verdict before it is judged: what the claim file says of it.
fn unjudged_verdict(
    c: &CompiledClaim<'_>,
    cf: &ClaimFile,
    anchor: Option<&crate::anchor::QuoteAnchor>,
) -> ClaimVerdict {
    let claim = c.claim;
    let location = format!("{}:{}", cf.path, claim.line);
    ClaimVerdict {
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
        as_of: c.as_of.to_string(),
        as_of_reason: claim.as_of.as_ref().and_then(|(_, r)| r.clone()),
        // A date statement's relative words count from this day, which
        // the report names when it is not the as-of date.
        said_on: matches!(c.expected, Some(Expected::Date { .. }))
            .then(|| c.said_on.to_string())
            .filter(|d| *d != c.as_of.to_string()),
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
        datasets: Vec::new(),
        problem: None,
        changes: None,
        figures: Figures::default(),
        readings: Vec::new(),
        rests_on: Vec::new(),
        without_inferences: None,
    }
}

/// Decide what a claim's statement says of its measure's value; `None`
/// when they disagree in type (an internal error).
fn decide(expected: &Expected, value: &Value, parts: Option<&ShareParts>) -> Option<Decision> {
    let text = parts.map(share_text);
    let detail = text.as_deref();
    Some(match (expected, value) {
        (Expected::NoRecords, v) => decide_no_records(v),
        // A value stated of an aggregate of no records.
        (Expected::Number { allowed, unit, .. }, Value::NoRecords(None, _)) => {
            decide_without_records(fmt_interval(&allowed.interval, *unit, 3))
        }
        (Expected::Date { stated, text }, Value::NoRecords(None, _)) => {
            let Stated::Period { relation, period } = stated else {
                return None;
            };
            let allowed = decide_date(&DateRange::unknown(), *relation, period, text).allowed;
            decide_without_records(allowed)
        }
        (_, Value::NoRecords(Some(v), _)) => {
            decide_possibly_without_records(decide(expected, v, parts)?)
        }
        (
            Expected::Number {
                allowed,
                stated,
                unit,
            },
            Value::Num(iv, _),
        ) => match parts.and_then(|p| p.achievable.as_ref()) {
            Some(counts) => decide_share(counts, iv, *unit, allowed, stated, detail),
            None => decide_number(iv, *unit, allowed, stated, detail),
        },
        (
            Expected::Date {
                stated: Stated::Period { relation, period },
                text,
            },
            Value::Date(d),
        ) => decide_date(d, *relation, period, text),
        (Expected::Truth(expected), Value::Bool(t)) => decide_truth(*t, *expected),
        _ => return None,
    })
}

fn judge_claim(
    c: &CompiledClaim<'_>,
    cf: &ClaimFile,
    evaluation: Option<&Evaluation>,
    files: &Files,
    ev: &Evidence,
    anchor: Option<&crate::anchor::QuoteAnchor>,
    shared: &mut Shared,
) -> Result<ClaimVerdict, Box<Diagnostic>> {
    let claim = c.claim;
    let mut out = unjudged_verdict(c, cf, anchor);
    if !claim.checkable {
        out.explanation = format!(
            "not checkable: {}",
            claim.reason.clone().unwrap_or_default()
        );
        return Ok(out);
    }
    let (Some(e), Some(expected)) = (evaluation, &c.expected) else {
        return Err(Box::new(Diagnostic::error(
            "eval/internal",
            format!("claim `{}` was not prepared", claim.id),
        )));
    };
    let Some(decision) = decide(expected, &e.value, e.detail.as_ref()) else {
        return Err(Box::new(Diagnostic::error(
            "eval/internal",
            format!("claim `{}`: value and statement disagree in type", claim.id),
        )));
    };
    out.verdict = decision.verdict;
    out.explanation = decision.explanation;
    if !e.notes.is_empty() {
        let notes: Vec<String> = e.notes.iter().map(event_text).collect();
        out.explanation = format!("{}: {}", out.explanation, notes.join("; "));
    }
    out.allowed = Some(decision.allowed);
    if let Expected::Number { allowed, .. } = expected {
        out.figures = Figures {
            allowed: Some(allowed.interval),
            lenient: allowed.lenient,
            timeline: Vec::new(),
        };
    }
    out.computed = Some(describe_value(&e.value));
    if !e.witnesses.gaps.is_empty() {
        let gaps: Vec<String> = e
            .witnesses
            .gaps
            .iter()
            .filter_map(|(t, g)| ev.tables.get(*t).map(|t| gap_text(&t.name, *g)))
            .collect();
        out.explanation = format!("{} ({})", out.explanation, gaps.join("; "));
    }
    for (t, r) in &e.witnesses.listed {
        if let Some(w) = shared.witness(ev, files, *t, *r) {
            out.witnesses.push(w);
        }
    }
    out.witness_counts = e
        .witnesses
        .counts
        .iter()
        .filter_map(|(t, records)| {
            ev.tables.get(*t).map(|table| WitnessCount {
                table: table.name.clone(),
                records: *records,
            })
        })
        .collect();
    // The published datasets those records come from, cited with their
    // pinned hash.
    out.datasets = e
        .witnesses
        .counts
        .iter()
        .filter_map(|(t, records)| {
            let table = ev.tables.get(*t)?;
            let file = table.records.file.map_or("", |f| files.path(f));
            DatasetRef::of(table, file, *records)
        })
        .collect();
    let mut cited = e.witnesses.cited.clone();
    if !e.worlds.is_empty() {
        weigh_worlds(&mut out, expected, e, ev, &mut cited)?;
    }
    // Most-cited sources first: the ones the verdict rests on most.
    let mut sources: Vec<SourceRef> = cited
        .iter()
        .filter_map(|(i, n)| shared.sources.get(*i).map(|s| (s, *n, *i)))
        .map(|([id, title, publisher, url, date], n, i)| SourceRef {
            id: Arc::clone(id),
            title: Arc::clone(title),
            publisher: Arc::clone(publisher),
            url: Arc::clone(url),
            date: Arc::clone(date),
            kind: shared.kinds.get(i).copied().flatten(),
            cited_by: n,
        })
        .collect();
    sources.sort_by(|a, b| b.cited_by.cmp(&a.cited_by).then_with(|| a.id.cmp(&b.id)));
    sources.shrink_to_fit();
    out.sources = sources;
    Ok(out)
}

/// The verdict of a claim whose measure reads cells that sources disagree
/// on or that the evidence infers, from its value in each variant of the
/// evidence: the verdict stands when every reading of the disputed cells
/// gives it (with a note), else it is `undetermined` and says which
/// reading gives what; when the verdict differs without inferred values,
/// it says what it rests on. The alternatives' sources are cited
/// (added to `cited`).
fn weigh_worlds(
    out: &mut ClaimVerdict,
    expected: &Expected,
    e: &Evaluation,
    ev: &Evidence,
    cited: &mut Vec<(usize, usize)>,
) -> Result<(), Box<Diagnostic>> {
    let Some(first) = e.worlds.first() else {
        return Ok(());
    };
    let primary_inferences = first.world.inferences;
    let mut primary: Vec<(&WorldValue, Verdict)> = Vec::new();
    let mut without: Vec<Verdict> = Vec::new();
    for w in &e.worlds {
        let Some(d) = decide(expected, &w.value, w.detail.as_ref()) else {
            return Err(Box::new(Diagnostic::error(
                "eval/internal",
                format!("claim `{}`: value and statement disagree in type", out.id),
            )));
        };
        if w.world.inferences == primary_inferences {
            primary.push((w, d.verdict));
        } else {
            without.push(d.verdict);
        }
    }
    let vars = &ev.variants;
    let agreed = primary
        .iter()
        .all(|(_, v)| Some(v) == primary.first().map(|p| &p.1));
    // When every reading gives the same verdict, a disputed cell is worth
    // a note only if its record fed the value.
    let witnessed = |d: &usize| {
        vars.disputed.get(*d).is_some_and(|dis| {
            let (t, r) = (dis.cell.table, dis.cell.row);
            let listed = e.witnesses.listed.iter().filter(|(lt, _)| *lt == t).count();
            let counted = e
                .witnesses
                .counts
                .iter()
                .find(|(ct, _)| *ct == t)
                .map_or(0, |(_, n)| *n);
            e.witnesses.listed.contains(&(t, r)) || counted > listed
        })
    };
    let disputed: Vec<usize> = first
        .world
        .choices
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| !agreed || witnessed(d))
        .collect();
    if !disputed.is_empty() {
        for d in &disputed {
            for r in vars.disputed.get(*d).map_or(&[][..], |d| &d.readings) {
                for s in &r.sources {
                    if !cited.iter().any(|(i, _)| i == s) {
                        cited.push((*s, 1));
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        out.readings = primary
            .iter()
            .filter_map(|(w, v)| {
                let values: Vec<String> = w
                    .world
                    .choices
                    .iter()
                    .filter(|(d, _)| disputed.contains(d))
                    .map(|(d, r)| vars.reading_text(ev, *d, *r))
                    .collect();
                seen.insert(values.clone()).then(|| Reading {
                    values,
                    verdict: *v,
                    computed: Some(describe_value(&w.value).display),
                })
            })
            .collect();
        let cells: Vec<String> = disputed
            .iter()
            .filter_map(|d| vars.disputed.get(*d))
            .map(|d| Orders::cell_name(ev, d.cell))
            .collect();
        if agreed {
            out.explanation = format!(
                "{}; sources disagree on {}; the verdict holds either way",
                out.explanation,
                cells.join(", ")
            );
        } else {
            out.verdict = Verdict::Undetermined;
            let each: Vec<String> = out
                .readings
                .iter()
                .map(|r| format!("{} \u{2192} {}", r.values.join(" and "), r.verdict.label()))
                .collect();
            out.explanation = format!("depends on which source is right: {}", each.join("; "));
        }
    }
    if !without.is_empty() {
        let off = if without.iter().all(|v| Some(v) == without.first()) {
            without.first().copied().unwrap_or(Verdict::Undetermined)
        } else {
            Verdict::Undetermined
        };
        if off != out.verdict {
            out.without_inferences = Some(off);
            out.rests_on = e
                .inferences
                .iter()
                .filter_map(|i| vars.inferences.get(*i))
                .map(|i| InferenceRef {
                    cell: Orders::cell_name(ev, i.cell),
                    value: i.value.to_string(),
                    sourced: i.sourced.to_string(),
                    rule: i.rule.clone(),
                })
                .collect();
            if let Some(t) = rests_on_text(out) {
                out.explanation = format!("{}; {t}", out.explanation);
            }
        }
    }
    Ok(())
}

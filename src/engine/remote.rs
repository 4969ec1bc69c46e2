//! The execute stage on a SQL engine (Spark): the claims' aggregates as
//! queries (`eval::sql`), sent in rounds through a [`SqlRunner`], their
//! results turned back into the values the in-process engine gives; then
//! the same judge stage.
//!
//! A round compiles every claim with the values known so far and sends
//! the aggregates whose inputs are all known, grouped by table (one query
//! of many filtered aggregates a table, at most
//! [`sql::MAX_SLOTS_PER_QUERY`] each). A claim whose measure needs the
//! result of another aggregate (the keys of the people named N, for the
//! employer of N on D) waits for the next round.
//!
//! Nothing is guessed: a construct the SQL compiler does not handle, a
//! query error, a cell the SQL does not read exactly stops the run with a
//! diagnostic naming the claim or the table; no report is made.

use std::collections::{BTreeSet, HashMap};

use crate::date::DateRange;
use crate::diag::{Diagnostic, Files, Loc};
use crate::eval::sql::{self, Compiled as SqlCompiled, SlotValue, Source, Sources};
use crate::eval::ShareParts;
use crate::eval::{Ctx, EvalError};
use crate::evidence::alternatives::{World, MAX_WORLDS};
use crate::evidence::column::{days_of, Cell};
use crate::evidence::order::CellRef;
use crate::evidence::{ColType, Evidence, TableId};

use super::stages::{
    compile, eval_diag, inconsistent_reading, is_as_loaded, judge, tables_read, Built,
    CompiledClaim, Evaluation, Executed, Execution, Failure, WitnessGap, WitnessTally, WorldCache,
    WorldValue, MAX_LISTED_WITNESSES,
};
use super::{failed, has_error, sorted, Compiled, Failed, Loaded, Progress, Selection, Verified};
use super::{timeline, ClaimTimeline, Period, Stage, Timelines, Workspace};
use crate::verdict::Verdict;

/// Most rounds of queries a run makes (a claim's aggregates nest at most
/// this deep).
pub const MAX_ROUNDS: usize = 8;

/// A SQL engine: runs statements and one-row, one-text-column queries.
pub trait SqlRunner {
    /// Run a statement (making a view); its result is not read.
    fn execute(&mut self, sql: &str) -> Result<(), String>;
    /// Run a query that returns one row of one text column; that text.
    fn query_text(&mut self, sql: &str) -> Result<String, String>;
    /// [`SqlRunner::query_text`] of each query, in order; a runner may
    /// run them at the same time (they only read).
    fn query_texts(&mut self, sqls: &[String]) -> Vec<Result<String, String>> {
        sqls.iter().map(|q| self.query_text(q)).collect()
    }
}

/// How each table is read by the SQL engine: its CSV file (its path made
/// absolute), or the catalog table the table file names. A table whose
/// records are written in its table file (or that has none) is sent as
/// inline rows.
pub fn sources(loaded: &Loaded) -> Sources {
    let ev = &loaded.evidence;
    let mut out = Sources::new();
    for (i, t) in ev.tables.iter().enumerate() {
        if let Some((name, _)) = &t.spark {
            out.insert(i, Source::Catalog(name.clone()));
            continue;
        }
        let Some(file) = t.records.file.filter(|f| *f != t.file) else {
            out.insert(i, Source::Inline);
            continue;
        };
        let path = loaded.files.path(file);
        let abs = std::path::absolute(path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| path.to_string());
        if t.format.parquet {
            out.insert(
                i,
                Source::Parquet {
                    path: abs,
                    missing: t.format.missing.clone(),
                },
            );
            continue;
        }
        let parts = partitions(std::fs::metadata(&abs).map_or(0, |m| m.len()));
        out.insert(
            i,
            Source::Csv {
                path: abs,
                delimiter: t.format.delimiter,
                quote: t.format.quote,
                missing: t.format.missing.clone(),
                partitions: parts,
            },
        );
    }
    out
}

/// Bytes of a CSV file for each partition of its typed table.
pub const BYTES_PER_PARTITION: u64 = 16 << 20;

/// The partitions of the typed table of a CSV file of `bytes` bytes: one
/// per [`BYTES_PER_PARTITION`], at least 2 (one CSV file is read by a
/// single task; two let a small machine's cores share the queries), at
/// most 100,000.
pub fn partitions(bytes: u64) -> u32 {
    let n = bytes.div_ceil(BYTES_PER_PARTITION).clamp(2, 100_000);
    u32::try_from(n).unwrap_or(100_000)
}

fn measure_loc(c: &CompiledClaim<'_>) -> Option<Loc> {
    c.claim.measure.as_ref().map(|m| Loc {
        file: m.origin.file,
        span: m.origin.whole.clone(),
    })
}

fn unsupported_diag(c: &CompiledClaim<'_>, what: &str) -> Diagnostic {
    eval_diag(
        c.claim,
        EvalError {
            code: "sql/unsupported",
            message: format!("the SQL engine cannot evaluate {what}"),
            loc: measure_loc(c),
        },
    )
    .help("evaluate this claim with the in-process engine (`--engine local`, the default)")
}

/// A claim's compilation with the values known so far, in each variant
/// of the evidence it is judged in (as the in-process engine judges it:
/// the variants its measure reads, the verdict's first).
enum ClaimSql {
    /// Slots still to compute (of every variant), and the conditions
    /// selecting the witnesses of the verdict's variant so far.
    Waiting(Vec<sql::Slot>, sql::Witnessed),
    /// A slot's value (in a variant) is an evaluation error.
    Failed(EvalError),
    /// Every slot is known: each variant's tree and share parts (one with
    /// no variant when the measure reads no disputed or inferred cell),
    /// the inferences the measure reads, and the conditions selecting the
    /// witnesses of the verdict's variant (the first).
    Done(Vec<Variant>, Vec<usize>, sql::Witnessed, BTreeSet<usize>),
}

/// A variant's tree and share parts, with its world when there are several
/// and the evidence it is evaluated in when that is not the evidence as
/// loaded (a variant of evidence with orderings, built as the engine
/// builds it).
type Variant = (
    Option<World>,
    Option<Built>,
    crate::plan::Node,
    Option<ShareParts>,
);

/// Whether a table's records have a text key: cells replaced in the SQL
/// are found by it.
fn text_keyed(t: &crate::evidence::Table) -> bool {
    t.key
        .and_then(|k| t.columns.get(k))
        .is_some_and(|c| c.ty == ColType::Text)
}

/// The date cells `world` gives other values than the tables' data: every
/// inferred cell (its inferred or its sourced value) and every disputed
/// cell chosen (its reading), by the record's key. `Err` for a table
/// without a text key (its records could not be found in SQL).
fn overrides_of(ev: &Evidence, world: &World) -> Result<sql::Overrides, sql::Unsupported> {
    let mut out = sql::Overrides::new();
    let mut put = |cell: CellRef, value: &DateRange| -> Result<(), sql::Unsupported> {
        let Some(t) = ev.tables.get(cell.table) else {
            return Err(sql::Unsupported("an unknown table".into()));
        };
        if !text_keyed(t) {
            return Err(sql::Unsupported(format!(
                "table `{}`, whose disputed or inferred cells are in records without a text key",
                t.name
            )));
        }
        out.entry(cell.table)
            .or_default()
            .entry(cell.column)
            .or_default()
            .insert(t.key_of(cell.row), days_of(value));
        Ok(())
    };
    let v = &ev.variants;
    for i in &v.inferences {
        put(
            i.cell,
            if world.inferences {
                &i.value
            } else {
                &i.sourced
            },
        )?;
    }
    for (d, r) in &world.choices {
        if let Some(dis) = v.disputed.get(*d) {
            if let Some(reading) = dis.readings.get(*r) {
                put(dis.cell, &reading.value)?;
            }
        }
    }
    Ok(out)
}

/// The date cells orderings link (and may have narrowed), with their
/// values as loaded, by the record's key.
fn narrowed_cells(ev: &Evidence) -> Result<sql::Overrides, sql::Unsupported> {
    let mut out = sql::Overrides::new();
    for o in &ev.orders.orders {
        for cell in [o.earlier, o.later] {
            put_cell(&mut out, ev, cell, "cells linked by orderings")?;
        }
    }
    Ok(out)
}

/// Put `cell` as `ev` has it into `out`, by its record's key. `Err` for a
/// table without a text key (`what` says which cells it has).
fn put_cell(
    out: &mut sql::Overrides,
    ev: &Evidence,
    cell: CellRef,
    what: &str,
) -> Result<(), sql::Unsupported> {
    let Some(t) = ev.tables.get(cell.table) else {
        return Ok(());
    };
    if !text_keyed(t) {
        return Err(sql::Unsupported(format!(
            "table `{}`, whose {what} are in records without a text key",
            t.name
        )));
    }
    let value = match t.columns.get(cell.column).and_then(|c| c.get(cell.row)) {
        Some(Cell::Date(d)) => days_of(&d),
        _ => days_of(&DateRange::unknown()),
    };
    out.entry(cell.table)
        .or_default()
        .entry(cell.column)
        .or_default()
        .insert(t.key_of(cell.row), value);
    Ok(())
}

/// The date cells of a variant of evidence with orderings, as the variant
/// `built` has them (its cells written, then the orderings resolved again
/// and the cells they link narrowed): every inferred cell, every disputed
/// cell `world` chooses a reading of, and every cell an ordering links.
fn world_cells(
    ev: &Evidence,
    built: &Evidence,
    world: &World,
) -> Result<sql::Overrides, sql::Unsupported> {
    let mut out = sql::Overrides::new();
    let what = "disputed or inferred cells";
    let v = &ev.variants;
    for i in &v.inferences {
        put_cell(&mut out, built, i.cell, what)?;
    }
    for (d, _) in &world.choices {
        if let Some(dis) = v.disputed.get(*d) {
            put_cell(&mut out, built, dis.cell, what)?;
        }
    }
    for o in &built.orders.orders {
        for cell in [o.earlier, o.later] {
            put_cell(&mut out, built, cell, "cells linked by orderings")?;
        }
    }
    Ok(out)
}

/// One claim's compilation with the values known so far; a table the SQL
/// engine cannot read is the claim's error. A variant of evidence with
/// orderings is built once (`cache`), as the engine builds it.
fn compile_one(
    compiled: &Compiled<'_>,
    c: &CompiledClaim<'_>,
    known: &HashMap<String, SlotValue>,
    (sources, cache): (&Sources, &WorldCache),
) -> Option<Result<ClaimSql, sql::Unsupported>> {
    let node = c.node.as_ref()?;
    let program = compiled.programs.get(c.file)?;
    let cf = compiled.loaded.claim_files.get(c.file)?;
    let ev = &*compiled.loaded.evidence;
    let (disputed, inferred) = if ev.variants.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        ev.variants.touching(ev, &tables_read(node, program))
    };
    // The cells orderings narrowed, as loaded (a CSV file has them as
    // written): every variant reads them so.
    let narrowed = match narrowed_cells(ev) {
        Ok(o) => o,
        Err(u) => return Some(Err(u)),
    };
    let worlds: Vec<Option<World>> = if disputed.is_empty() && inferred.is_empty() {
        vec![None]
    } else {
        match ev.variants.worlds(
            &disputed,
            !inferred.is_empty(),
            !compiled.loaded.sourced_only,
        ) {
            Some(w) => w.into_iter().map(Some).collect(),
            None => {
                return Some(Ok(ClaimSql::Failed(EvalError {
                    code: "eval/too-many-alternatives",
                    message: format!(
                        "the measure reads {} cells that sources disagree on: judging every combination of their readings would take more than {MAX_WORLDS} evaluations",
                        disputed.len()
                    ),
                    loc: measure_loc(c),
                })))
            }
        }
    };
    let mut waiting = Vec::new();
    let mut done = Vec::new();
    let mut failed = None;
    let mut witnessed: Option<sql::Witnessed> = None;
    let mut order_sources: Option<BTreeSet<usize>> = None;
    for world in worlds {
        // A variant of evidence with orderings is not the evidence as
        // loaded with a few cells replaced: the orderings are resolved again
        // in it (other cells narrowed, other bounds), so it is built as the
        // engine builds it, compiled over it with its cells, and evaluated
        // in it.
        let built = match &world {
            Some(w) if !ev.orders.orders.is_empty() && !is_as_loaded(w) => Some(cache.get(ev, w)),
            _ => None,
        };
        let here: &Evidence = match built.as_deref() {
            None => ev,
            Some(Ok(b)) => b,
            Some(Err(d)) => {
                // As the engine: the variant's evaluation is this error.
                if failed.is_none() && waiting.is_empty() {
                    failed = Some(inconsistent_reading(d));
                }
                continue;
            }
        };
        let overrides = match &world {
            Some(w) if !ev.orders.orders.is_empty() => world_cells(ev, here, w),
            Some(w) => overrides_of(ev, w),
            None => Ok(narrowed.clone()),
        };
        let overrides = match overrides {
            Ok(o) => o,
            Err(u) => return Some(Err(u)),
        };
        let out = sql::compile_witnessed(
            here,
            program,
            node,
            (c.as_of, cf.article.published),
            known,
            &overrides,
        )
        .map(|(out, w, cited)| {
            witnessed.get_or_insert(w);
            order_sources.get_or_insert(cited);
            out
        });
        match out {
            Err(u) => return Some(Err(u)),
            Ok(SqlCompiled::Waiting(slots)) => {
                if let Some(s) = slots.iter().find(|s| !sources.contains_key(&s.table)) {
                    return Some(Err(sql::Unsupported(format!(
                        "table `{}`, which has no source the SQL engine reads",
                        table_name(compiled, s.table)
                    ))));
                }
                waiting.extend(slots);
            }
            Ok(SqlCompiled::Failed(e)) => {
                if failed.is_none() && waiting.is_empty() {
                    failed = Some(e);
                }
            }
            Ok(SqlCompiled::Done(d)) => {
                let (tree, detail) = *d;
                done.push((world, built, tree, detail));
            }
        }
    }
    // As the engine: the variants in order, the first error stops.
    Some(Ok(match failed {
        Some(e) => ClaimSql::Failed(e),
        None if !waiting.is_empty() => ClaimSql::Waiting(waiting, witnessed.unwrap_or_default()),
        None => ClaimSql::Done(
            done,
            inferred,
            witnessed.unwrap_or_default(),
            order_sources.unwrap_or_default(),
        ),
    }))
}

/// A run's first round: the tables' view statements and one query per
/// table, and for each claim its id and whether it needs a later round.
pub type FirstRound = (Vec<String>, Vec<(String, bool)>);

/// The queries of a run's first round, for `factcheck plan` (of the claim
/// `only`, or of all). `Err` when a claim uses what SQL cannot evaluate.
pub fn first_round(
    compiled: &Compiled<'_>,
    sources: &Sources,
    only: Option<usize>,
) -> Result<FirstRound, Vec<Diagnostic>> {
    let known = HashMap::new();
    let cache = WorldCache::default();
    let mut slots = Vec::new();
    let mut claims = Vec::new();
    let mut diags = Vec::new();
    let mut witness = Vec::new();
    let ev = &compiled.loaded.evidence;
    for (i, c) in compiled.claims.iter().enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        match compile_one(compiled, c, &known, (sources, &cache)) {
            None => {}
            Some(Err(u)) => diags.push(unsupported_diag(c, &u.0)),
            Some(Ok(ClaimSql::Waiting(s, witnessed))) => {
                let later = s.iter().any(|s| !s.ready);
                claims.push((c.claim.id.clone(), later));
                witness.extend(witness_slots(ev, sources, &s, &witnessed, true));
                slots.extend(s);
            }
            Some(Ok(_)) => claims.push((c.claim.id.clone(), false)),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut out = Vec::new();
    let mut groups = sql::batch(&slots);
    join_witnesses(&mut groups, &witness);
    for (table, group) in groups {
        let Some(source) = sources.get(&table) else {
            continue;
        };
        out.extend(sql::view_setup_sql(ev, table, source));
        if let Some(v) = sql::view_sql(ev, table, source) {
            out.push(v);
        }
        if let Some(from) = sql::read_from(source) {
            out.push(sql::catalog_schema_sql(ev, table, &from));
        }
        let (cache, check) = sql::typed_sql(ev, table, source);
        out.push(cache);
        out.push(check);
        out.push(sql::query_sql(ev, table, &group));
    }
    Ok((out, claims))
}

fn table_name(compiled: &Compiled<'_>, table: TableId) -> String {
    compiled
        .loaded
        .evidence
        .tables
        .get(table)
        .map_or_else(|| "?".into(), |t| t.name.clone())
}

/// The execute stage on a SQL engine. `Err`: the diagnostics that stop the
/// run (nothing is judged).
pub fn execute_sql(
    compiled: &Compiled<'_>,
    sources: &Sources,
    runner: &mut dyn SqlRunner,
    progress: &mut dyn Progress,
) -> Result<Execution, Vec<Diagnostic>> {
    let mut session = Session::open(runner)?;
    execute_claims(
        compiled,
        (&compiled.claims, true),
        (sources, &mut session),
        runner,
        progress,
    )
}

/// What one run's executions share: the tables already read (their views
/// made and cached), whether the server keeps the least values of an
/// aggregate, and the variants of the evidence built.
struct Session {
    views: BTreeSet<TableId>,
    top_k: bool,
    cache: WorldCache,
}

impl Session {
    /// Ask the server what a run needs to know of it.
    fn open(runner: &mut dyn SqlRunner) -> Result<Session, Vec<Diagnostic>> {
        // Texts are sent as literals with `\uXXXX` escapes: a server that
        // reads them as they are (`spark.sql.parser.escapedStringLiterals`)
        // would compare other texts, so it is refused.
        let probe = runner
            .query_text("SELECT CAST(('\\u0041' = 'A') AS STRING) AS r")
            .map_err(|e| {
                vec![Diagnostic::error(
                    "sql/query",
                    format!("the SQL engine does not answer: {e}"),
                )]
            })?;
        if probe != "true" {
            return Err(vec![Diagnostic::error(
                "sql/escapes",
                "the SQL engine does not read `\\uXXXX` escapes in string literals (spark.sql.parser.escapedStringLiterals is on): texts would be compared wrongly",
            )]);
        }
        // A server that keeps the least values of an aggregate lists the
        // first witnesses without collecting them all.
        let top_k = runner
            .query_text(sql::TOP_K_PROBE)
            .is_ok_and(|r| r.trim() == "2");
        Ok(Session {
            views: BTreeSet::new(),
            top_k,
            cache: WorldCache::default(),
        })
    }
}

/// [`execute_sql`] of `claims` (claims of `compiled`, or the same claims
/// as of other dates), in one run's `session`; with `witnesses` false, no
/// witness is counted or listed (the verdicts and values are the same).
fn execute_claims(
    compiled: &Compiled<'_>,
    (claims, witnesses): (&[CompiledClaim<'_>], bool),
    (sources, session): (&Sources, &mut Session),
    runner: &mut dyn SqlRunner,
    progress: &mut dyn Progress,
) -> Result<Execution, Vec<Diagnostic>> {
    let ev = &compiled.loaded.evidence;
    let mut known: HashMap<String, SlotValue> = HashMap::new();
    let Session {
        views,
        top_k,
        cache,
    } = session;
    let top_k = *top_k;
    progress.start(Stage::Execute, claims.len() as u64);
    for _round in 0..MAX_ROUNDS {
        let mut slots = Vec::new();
        let mut owners: HashMap<String, Vec<String>> = HashMap::new();
        let mut diags = Vec::new();
        // Witness aggregates, each with a slot of its claim over the same
        // table (its query is the one that witness aggregate joins).
        let mut witness: Vec<(Option<String>, sql::Slot)> = Vec::new();
        for c in claims {
            match compile_one(compiled, c, &known, (sources, &*cache)) {
                Some(Err(u)) => diags.push(unsupported_diag(c, &u.0)),
                Some(Ok(ClaimSql::Waiting(s, witnessed))) => {
                    let witnessed = if witnesses {
                        witness_slots(ev, sources, &s, &witnessed, top_k)
                    } else {
                        Vec::new()
                    };
                    for (anchor, w) in witnessed {
                        if known.contains_key(&w.key()) {
                            continue;
                        }
                        owners.entry(w.key()).or_default().push(c.claim.id.clone());
                        witness.push((anchor, w));
                    }
                    for s in s.into_iter().filter(|s| s.ready) {
                        owners.entry(s.key()).or_default().push(c.claim.id.clone());
                        slots.push(s);
                    }
                }
                _ => {}
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        if slots.is_empty() {
            break;
        }
        let mut groups = sql::batch(&slots);
        join_witnesses(&mut groups, &witness);
        run_queries(
            compiled, sources, runner, views, groups, &owners, &mut known,
        )?;
    }
    let mut results = Vec::with_capacity(claims.len());
    let mut diags = Vec::new();
    for c in claims {
        match compile_one(compiled, c, &known, (sources, &*cache)) {
            Some(Err(u)) => diags.push(unsupported_diag(c, &u.0)),
            other => results.push(other),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    // Witness aggregates no round sent (a claim whose last aggregates over
    // a table were another claim's): in queries of their own.
    let mut owners: HashMap<String, Vec<String>> = HashMap::new();
    let mut missing: Vec<(Option<String>, sql::Slot)> = Vec::new();
    for (c, r) in claims.iter().zip(&results) {
        if let (true, Some(Ok(ClaimSql::Done(_, _, witnessed, _)))) = (witnesses, r) {
            for (table, conds) in witnessed {
                let Some(source) = sources.get(table) else {
                    continue;
                };
                let w = sql::witness_slot(ev, *table, source, conds, (MAX_LISTED_WITNESSES, top_k));
                if !known.contains_key(&w.key()) {
                    owners.entry(w.key()).or_default().push(c.claim.id.clone());
                    missing.push((None, w));
                }
            }
        }
    }
    if !missing.is_empty() {
        let mut groups = Vec::new();
        join_witnesses(&mut groups, &missing);
        run_queries(
            compiled, sources, runner, views, groups, &owners, &mut known,
        )?;
    }
    let mut out = Vec::with_capacity(claims.len());
    for (c, r) in claims.iter().zip(results) {
        let done = match r {
            None | Some(Err(_)) => Executed::Skipped,
            Some(Ok(ClaimSql::Waiting(..))) => {
                diags.push(unsupported_diag(
                    c,
                    &format!("aggregates nested more than {MAX_ROUNDS} deep"),
                ));
                continue;
            }
            Some(Ok(ClaimSql::Failed(e))) => Executed::Failed(Box::new(Failure {
                diagnostic: eval_diag(c.claim, e),
            })),
            Some(Ok(ClaimSql::Done(variants, inferred, witnessed, cited))) => {
                // The verdict's variant, when it is built: its records may
                // cite other orderings' sources than as loaded.
                let first = variants
                    .first()
                    .and_then(|v| v.1.as_deref())
                    .and_then(|b| b.as_ref().ok());
                let tally = if witnesses {
                    witness_tally(ev, first, sources, &witnessed, &known, top_k)
                } else {
                    Ok(WitnessTally::default())
                };
                match tally {
                    Ok(tally) => evaluate_local(compiled, c, variants, inferred, (tally, &cited)),
                    Err(what) => {
                        diags.push(unsupported_diag(c, &what));
                        continue;
                    }
                }
            }
        };
        progress.advance(1);
        out.push(done);
    }
    progress.finish();
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Execution { claims: out })
}

/// The witness aggregates of a claim whose slots are `slots` (of this
/// round): one per table its witnesses are in, once the claim's
/// conditions over that table are all known (none of its slots over it
/// waits), with the key of a slot of the claim over the same table (the
/// query it joins).
fn witness_slots(
    ev: &Evidence,
    sources: &Sources,
    slots: &[sql::Slot],
    witnessed: &sql::Witnessed,
    top_k: bool,
) -> Vec<(Option<String>, sql::Slot)> {
    let mut out = Vec::new();
    for (table, conds) in witnessed {
        if slots.iter().any(|s| s.table == *table && !s.ready) {
            continue;
        }
        let Some(source) = sources.get(table) else {
            continue;
        };
        let w = sql::witness_slot(ev, *table, source, conds, (MAX_LISTED_WITNESSES, top_k));
        let anchor = slots.iter().find(|s| s.table == *table).map(sql::Slot::key);
        out.push((anchor, w));
    }
    out
}

/// Put each witness aggregate into the query of the slot it is sent with
/// (its `anchor`), else into a query of its table, else into a query of
/// its own; each once.
fn join_witnesses<'s>(
    groups: &mut Vec<(TableId, Vec<&'s sql::Slot>)>,
    witness: &'s [(Option<String>, sql::Slot)],
) {
    let mut placed = BTreeSet::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for (i, (_, g)) in groups.iter().enumerate() {
        for s in g {
            group_of.entry(s.key()).or_insert(i);
        }
    }
    for (anchor, w) in witness {
        if !placed.insert(w.key()) {
            continue;
        }
        let by_anchor = anchor.as_ref().and_then(|a| group_of.get(a).copied());
        let at = by_anchor.or_else(|| groups.iter().rposition(|(t, _)| *t == w.table));
        match at.and_then(|i| groups.get_mut(i)) {
            Some((_, g)) => g.push(w),
            None => groups.push((w.table, vec![w])),
        }
    }
}

/// Send one query per group of slots (reading each table first when it
/// is not yet read) and put each slot's value into `known`.
fn run_queries(
    compiled: &Compiled<'_>,
    sources: &Sources,
    runner: &mut dyn SqlRunner,
    views: &mut BTreeSet<TableId>,
    groups: Vec<(TableId, Vec<&sql::Slot>)>,
    owners: &HashMap<String, Vec<String>>,
    known: &mut HashMap<String, SlotValue>,
) -> Result<(), Vec<Diagnostic>> {
    let ev = &compiled.loaded.evidence;
    let mut queries = Vec::new();
    let mut pending = Vec::new();
    for (table, group) in groups {
        let Some(source) = sources.get(&table) else {
            continue;
        };
        let tname = table_name(compiled, table);
        let mut claims: Vec<&str> = group
            .iter()
            .filter_map(|s| owners.get(&s.key()))
            .flatten()
            .map(String::as_str)
            .collect();
        claims.sort_unstable();
        claims.dedup();
        let named = name_claims(&claims);
        if views.insert(table) {
            let failed = |e: String| {
                vec![Diagnostic::error(
                    "sql/query",
                    format!("reading table `{tname}` (for {named}) failed: {e}"),
                )]
            };
            for first in sql::view_setup_sql(ev, table, source) {
                runner.execute(&first).map_err(failed)?;
            }
            if let Some(v) = sql::view_sql(ev, table, source) {
                runner.execute(&v).map_err(failed)?;
            }
            if sql::read_from(source).is_some() {
                check_typed_source(ev, table, source, runner, &named)?;
            }
            let (cache, check) = sql::typed_sql(ev, table, source);
            runner.execute(&cache).map_err(failed)?;
            let row = runner.query_text(&check).map_err(failed)?;
            sql::read_result(ev, table, &[], &row).map_err(|e| {
                vec![Diagnostic::error(
                    "sql/unreadable",
                    format!("{e} (needed by {named})"),
                )]
            })?;
        }
        queries.push(sql::query_sql(ev, table, &group));
        pending.push((table, tname, named, group));
    }
    // The round's queries together (the tables are read): answered in
    // order, the first failure stops the run.
    let rows = runner.query_texts(&queries);
    for ((table, tname, named, group), row) in pending.into_iter().zip(rows) {
        let row = row.map_err(|e| {
            vec![Diagnostic::error(
                "sql/query",
                format!("the query over table `{tname}` (for {named}) failed: {e}"),
            )]
        })?;
        let values = sql::read_result(ev, table, &group, &row).map_err(|e| {
            vec![Diagnostic::error(
                "sql/unreadable",
                format!("{e} (needed by {named})"),
            )]
        })?;
        for (s, v) in group.iter().zip(values) {
            known.insert(s.key(), v);
        }
    }
    Ok(())
}

/// A claim's witnesses from its witness aggregates' results: per table,
/// how many records, the first [`MAX_LISTED_WITNESSES`] of them where the
/// SQL engine numbered them as loaded here, and how many cite each
/// source; what could not be told is a [`WitnessGap`].
fn witness_tally(
    ev: &Evidence,
    variant: Option<&Evidence>,
    sources: &Sources,
    witnessed: &sql::Witnessed,
    known: &HashMap<String, SlotValue>,
    top_k: bool,
) -> Result<WitnessTally, String> {
    let mut out = WitnessTally::default();
    let mut cited = vec![0usize; ev.sources.len()];
    for (t, conds) in witnessed {
        let (Some(table), Some(source)) = (ev.tables.get(*t), sources.get(t)) else {
            continue;
        };
        let key = sql::witness_slot(ev, *t, source, conds, (MAX_LISTED_WITNESSES, top_k)).key();
        let Some(w) = known.get(&key).and_then(sql::read_witness) else {
            out.gaps.push((*t, WitnessGap::NotCounted));
            continue;
        };
        let n = usize::try_from(w.count).unwrap_or(usize::MAX);
        if n == 0 {
            continue;
        }
        out.counts.push((*t, n));
        let len = table.len() as u64;
        let rows: Option<Vec<u32>> = w.rows.as_ref().and_then(|r| {
            (r.len() == n.min(MAX_LISTED_WITNESSES) && r.iter().all(|x| *x < len))
                .then(|| r.iter().filter_map(|x| u32::try_from(*x).ok()).collect())
        });
        match &rows {
            Some(r) => out.listed.extend(r.iter().map(|r| (*t, *r))),
            None => out.gaps.push((*t, WitnessGap::NotListed)),
        }
        // In a built variant (orderings resolved again), records whose
        // cells narrowed cite the orderings' sources: when its records'
        // sources are not those the query counted by, each witness is
        // counted here, and they must all be listed.
        let recs = &table.records;
        if let Some(vt) = variant.and_then(|v| v.tables.get(*t)).filter(|vt| {
            vt.records.source_list != recs.source_list
                || vt.records.source_lists != recs.source_lists
        }) {
            let Some(r) = rows.as_ref().filter(|r| r.len() == n) else {
                return Err(format!(
                    "the sources of more than {MAX_LISTED_WITNESSES} witnesses in table `{}` in a variant of the evidence whose orderings narrow other cells than as loaded",
                    table.name
                ));
            };
            for row in r {
                let list = vt.records.source_list.get(*row as usize);
                let list = list.and_then(|l| vt.records.source_lists.get(*l as usize));
                for i in list.map_or(&[][..], Vec::as_slice) {
                    if let Some(c) = cited.get_mut(*i) {
                        *c += 1;
                    }
                }
            }
            continue;
        }
        let lists = &table.records.source_lists;
        let mut per_list = vec![0usize; lists.len()];
        let counted = if lists.is_empty() {
            // No record loaded here: they cite the table's own sources.
            for i in &table.sources {
                if let Some(c) = cited.get_mut(*i) {
                    *c += n;
                }
            }
            true
        } else if let [only] = per_list.as_mut_slice() {
            *only = n;
            true
        } else if let Some(l) = w
            .lists
            .as_ref()
            .filter(|l| l.len() == lists.len() && l.iter().sum::<u64>() == w.count)
        {
            for (p, x) in per_list.iter_mut().zip(l) {
                *p = usize::try_from(*x).unwrap_or(usize::MAX);
            }
            true
        } else if let Some(r) = rows.as_ref().filter(|r| r.len() == n) {
            for row in r {
                let l = table.records.source_list.get(*row as usize);
                if let Some(p) = l.and_then(|l| per_list.get_mut(*l as usize)) {
                    *p += 1;
                }
            }
            true
        } else {
            false
        };
        if !counted {
            out.gaps.push((*t, WitnessGap::SourcesNotCounted));
        }
        for (list, n) in lists.iter().zip(&per_list) {
            for i in list {
                if let Some(c) = cited.get_mut(*i) {
                    *c += n;
                }
            }
        }
    }
    out.cited = cited
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(out)
}

/// A table read with its own column types (a catalog table, a Parquet
/// file) as described: it exists, has every column read, each of a type
/// that holds the declared one. `Err`: `sql/catalog`, naming the table,
/// what it is read from and the claims.
fn check_typed_source(
    ev: &crate::evidence::Evidence,
    table: TableId,
    source: &Source,
    runner: &mut dyn SqlRunner,
    named: &str,
) -> Result<(), Vec<Diagnostic>> {
    let Some(from) = sql::read_from(source) else {
        return Ok(());
    };
    let tname = ev.tables.get(table).map_or("?", |t| t.name.as_str());
    let what = sql::described(source);
    let catalog = matches!(source, Source::Catalog(_));
    let error = |m: String| {
        let mut d = Diagnostic::error("sql/catalog", format!("{m} (needed by {named})")).help(
            if catalog {
                "make the catalog table match the table description, or correct the description"
            } else {
                "correct the table description, or make the data file a catalog table with `spark = \"db.table\"`"
            },
        );
        if let Some(t) = ev.tables.get(table) {
            d = match &t.spark {
                Some((_, span)) => d.at(t.file, span.clone(), "the catalog table"),
                None => d.at(t.file, t.name_span.clone(), "this table"),
            };
        }
        vec![d]
    };
    let row = match runner.query_text(&sql::catalog_schema_sql(ev, table, &from)) {
        Ok(row) => row,
        Err(e) => {
            if e.contains("TABLE_OR_VIEW_NOT_FOUND") || e.contains("PATH_NOT_FOUND") {
                return Err(error(match source {
                    Source::Catalog(name) => {
                        format!("table `{tname}`: the Spark catalog has no table `{name}`")
                    }
                    _ => format!("table `{tname}`: Spark cannot find {what}"),
                }));
            }
            // Which column is missing: each read alone.
            for (column, q) in sql::catalog_column_sql(ev, table, &from) {
                if let Err(e2) = runner.execute(&q) {
                    if e2.contains("UNRESOLVED_COLUMN") {
                        return Err(error(format!(
                            "table `{tname}`: {what} has no column `{column}`"
                        )));
                    }
                }
            }
            return Err(error(format!(
                "table `{tname}`: reading {what} failed: {e}"
            )));
        }
    };
    sql::check_catalog_types(ev, table, source, &row).map_err(error)
}

fn name_claims(claims: &[&str]) -> String {
    match claims {
        [] => "no claim".into(),
        [one] => format!("claim `{one}`"),
        [first, rest @ ..] => format!("claim `{first}` and {} more", rest.len()),
    }
}

/// The measure with its aggregates replaced by their values, evaluated in
/// process.
fn evaluate_local(
    compiled: &Compiled<'_>,
    c: &CompiledClaim<'_>,
    variants: Vec<Variant>,
    inferences: Vec<usize>,
    (mut witnesses, order_sources): (WitnessTally, &BTreeSet<usize>),
) -> Executed {
    let loaded = compiled.loaded;
    let (Some(program), Some(cf)) = (
        compiled.programs.get(c.file),
        loaded.claim_files.get(c.file),
    ) else {
        return Executed::Skipped;
    };
    let mut first: Option<Evaluation> = None;
    let mut worlds = Vec::new();
    for (world, built, tree, detail) in variants {
        let here: &Evidence = match built.as_deref() {
            None => &loaded.evidence,
            Some(Ok(b)) => b,
            Some(Err(d)) => {
                return Executed::Failed(Box::new(Failure {
                    diagnostic: eval_diag(c.claim, inconsistent_reading(d)),
                }))
            }
        };
        let mut ctx = Ctx::new(here, program, c.as_of, cf.article.published);
        match ctx.eval_measure(&tree) {
            Ok(value) => {
                if let Some(w) = world {
                    worlds.push(WorldValue {
                        world: w,
                        value: value.clone(),
                        detail: detail.clone(),
                    });
                }
                if first.is_none() {
                    // Sources the evaluation here cites (orderings), and
                    // those of the orderings the compiler followed judging
                    // linked records: each counts once, and not again when
                    // a witness record cites it already.
                    for i in order_sources {
                        ctx.witnesses.cite(*i);
                    }
                    let tally = ctx.witnesses.tally(here, 0);
                    for (i, n) in tally.cited.into_iter().enumerate() {
                        if n > 0 && !witnesses.cited.iter().any(|(c, _)| *c == i) {
                            witnesses.cited.push((i, n));
                        }
                    }
                    witnesses.cited.sort_unstable();
                    first = Some(Evaluation {
                        value,
                        detail,
                        notes: ctx.notes,
                        witnesses: std::mem::take(&mut witnesses),
                        worlds: Vec::new(),
                        inferences: Vec::new(),
                    });
                }
            }
            Err(e) => {
                return Executed::Failed(Box::new(Failure {
                    diagnostic: eval_diag(c.claim, e),
                }))
            }
        }
    }
    match first {
        Some(mut e) => {
            e.worlds = worlds;
            e.inferences = inferences;
            Executed::Value(Box::new(e))
        }
        None => Executed::Skipped,
    }
}

/// [`super::verify`] with the execute stage on a SQL engine. A problem of
/// the SQL engine (an unsupported construct, a query error) fails the run.
pub fn verify_sql(
    ws: &Workspace,
    selection: &Selection,
    runner: &mut dyn SqlRunner,
    progress: &mut dyn Progress,
) -> Result<Verified, Failed> {
    verify_sql_following(ws, selection, runner, Following::default(), progress)
}

/// What a run on a SQL engine follows over time besides the verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Following {
    /// Each judged claim's later change of verdict, as
    /// [`super::verify_changes`] finds it.
    pub changes: bool,
    /// Each claim's timeline, put in its verdict's figures as
    /// [`super::attach_timelines`] puts it.
    pub timelines: bool,
}

/// [`verify_sql`], and what `following` asks for, with every day's
/// evaluation done by the SQL engine: the days are the engine's change
/// points (read from the tables' records as loaded here), and every
/// (claim, day) pair is one more claim of the run, so the aggregates of
/// all days over a table share queries.
pub fn verify_sql_following(
    ws: &Workspace,
    selection: &Selection,
    runner: &mut dyn SqlRunner,
    following: Following,
    progress: &mut dyn Progress,
) -> Result<Verified, Failed> {
    let loaded = ws.load_for_claims(progress);
    let (compiled, mut diags) = match compiled_cleanly(&loaded, selection, progress) {
        Ok(c) => c,
        Err(diags) => return Err(failed(loaded, diags)),
    };
    let sources = sources(&loaded);
    let run = Session::open(runner).and_then(|mut session| {
        let execution = execute_claims(
            &compiled,
            (&compiled.claims, true),
            (&sources, &mut session),
            runner,
            progress,
        )?;
        Ok((execution, session))
    });
    let (execution, mut session) = match run {
        Ok(e) => e,
        Err(mut d) => {
            diags.append(&mut d);
            drop(compiled);
            return Err(failed(loaded, diags));
        }
    };
    let mut judged = judge(&compiled, &execution, progress);
    diags.append(&mut judged.diagnostics);
    if has_error(&diags) {
        drop(compiled);
        return Err(failed(loaded, diags));
    }
    diags.extend(execution.diagnostics().cloned());
    if following.changes || following.timelines {
        let run = follow_verified(
            &compiled,
            (&sources, &mut session),
            runner,
            following,
            (&mut judged.report, progress),
        );
        if let Err(mut d) = run {
            diags.append(&mut d);
            drop(compiled);
            return Err(failed(loaded, diags));
        }
    }
    drop(compiled);
    Ok(Verified {
        files: loaded.files,
        diagnostics: sorted(diags),
        report: judged.report,
        inputs: loaded.inputs,
    })
}

/// Fill the later changes and attach the timelines `following` asks for
/// to `report`, the verdicts of `compiled`'s claims.
fn follow_verified(
    compiled: &Compiled<'_>,
    (sources, session): (&Sources, &mut Session),
    runner: &mut dyn SqlRunner,
    following: Following,
    (report, progress): (&mut crate::verdict::Report, &mut dyn Progress),
) -> Result<(), Vec<Diagnostic>> {
    let mut requests: Vec<(usize, Option<i32>)> = Vec::new();
    // Per later change: its request, the day after the evaluation date
    // and the verdict it differs from.
    let mut changes = Vec::new();
    if following.changes {
        for (i, c) in compiled.claims.iter().enumerate() {
            // The report lists the judged claims by id (ids are unique).
            let Some(v) = report
                .claims
                .iter()
                .find(|v| v.id == c.claim.id && v.verdict != Verdict::Error)
            else {
                continue;
            };
            let Some(after) = timeline::day_after(c) else {
                continue;
            };
            changes.push((requests.len(), i, after, v.verdict));
            requests.push((i, Some(after)));
        }
    }
    let first_timeline = requests.len();
    if following.timelines {
        requests.extend((0..compiled.claims.len()).map(|i| (i, None)));
    }
    let mut runs = follow_sql(compiled, &requests, (sources, session), runner, progress)?;
    for (r, i, after, verdict) in changes {
        let (Some(Some(Ok(periods))), Some(c)) = (runs.get(r), compiled.claims.get(i)) else {
            continue;
        };
        if let Some(v) = report
            .claims
            .iter_mut()
            .find(|v| v.id == c.claim.id && v.verdict != Verdict::Error)
        {
            v.changes = timeline::change_in(periods, after, verdict);
        }
    }
    if following.timelines {
        let files = &compiled.loaded.files;
        let list: Vec<ClaimTimeline> = requests
            .iter()
            .skip(first_timeline)
            .zip(runs.drain(..).skip(first_timeline))
            .filter_map(|((i, _), run)| {
                let c = compiled.claims.get(*i)?;
                Some(match run? {
                    Ok(periods) => timeline::claim_timeline(c, periods),
                    Err(d) => timeline::costly_timeline(c, &d, files),
                })
            })
            .collect();
        timeline::attach(report, &list);
    }
    Ok(())
}

/// [`super::timeline`] with every day's evaluation done by a SQL engine,
/// as [`verify_sql_following`] does it.
pub fn timeline_sql(
    ws: &Workspace,
    selection: &Selection,
    runner: &mut dyn SqlRunner,
    progress: &mut dyn Progress,
) -> Result<Timelines, Failed> {
    let loaded = ws.load_for_claims(progress);
    let (compiled, mut diags) = match compiled_cleanly(&loaded, selection, progress) {
        Ok(c) => c,
        Err(diags) => return Err(failed(loaded, diags)),
    };
    let sources = sources(&loaded);
    let requests: Vec<(usize, Option<i32>)> =
        (0..compiled.claims.len()).map(|i| (i, None)).collect();
    let run = Session::open(runner).and_then(|mut session| {
        follow_sql(
            &compiled,
            &requests,
            (&sources, &mut session),
            runner,
            progress,
        )
    });
    let runs = match run {
        Ok(r) => r,
        Err(mut d) => {
            diags.append(&mut d);
            drop(compiled);
            return Err(failed(loaded, diags));
        }
    };
    let mut claims = Vec::new();
    let mut unjudged = Vec::new();
    for ((i, _), run) in requests.iter().zip(runs) {
        let (Some(c), Some(run)) = (compiled.claims.get(*i), run) else {
            continue;
        };
        match run {
            Ok(periods) => claims.push(timeline::claim_timeline(c, periods)),
            Err(d) => {
                // The claim's problem, not the run's: every other claim
                // gets its timeline.
                claims.push(timeline::costly_timeline(c, &d, &loaded.files));
                unjudged.push(*d);
            }
        }
    }
    drop(compiled);
    diags.extend(unjudged);
    Ok(Timelines {
        files: loaded.files,
        diagnostics: sorted(diags),
        claims,
    })
}

/// Most (claim, day) pairs one execution evaluates together: enough for
/// the days of many claims to share queries, few enough that their trees
/// are not all held at once.
const DAYS_PER_EXECUTION: usize = 4096;

/// What following one claim gives: `None` when it has nothing to follow
/// (not checkable), else its runs of equal verdicts, each with its first
/// day (a day number), or its own problem when it depends on too many
/// days.
type Followed = Option<Result<Vec<(i32, Period)>, Box<Diagnostic>>>;

/// Follow each requested claim (its index in `compiled.claims`, and the
/// day from which on, or every day) over its days, as the in-process
/// engine does, with every day's evaluation done by the SQL engine:
/// one per change point, runs of equal verdicts merged. The days' change
/// points are read from the records loaded here: a claim reading a table
/// of the Spark catalog is refused. `Err`: the diagnostics that stop the
/// run.
fn follow_sql(
    compiled: &Compiled<'_>,
    requests: &[(usize, Option<i32>)],
    (sources, session): (&Sources, &mut Session),
    runner: &mut dyn SqlRunner,
    progress: &mut dyn Progress,
) -> Result<Vec<Followed>, Vec<Diagnostic>> {
    let loaded = compiled.loaded;
    let ev = &*loaded.evidence;
    let mut out: Vec<Followed> = Vec::with_capacity(requests.len());
    // Every (request, day) to evaluate, in order.
    let mut days: Vec<(usize, i32)> = Vec::new();
    let mut refused = Vec::new();
    for (r, (i, from)) in requests.iter().enumerate() {
        let Some(c) = compiled.claims.get(*i) else {
            out.push(None);
            continue;
        };
        let (Some(node), Some(program), Some(_)) = (
            &c.node,
            compiled.programs.get(c.file),
            loaded.claim_files.get(c.file),
        ) else {
            out.push(None);
            continue;
        };
        let catalog = tables_read(node, program)
            .into_iter()
            .find(|t| matches!(sources.get(t), Some(Source::Catalog(_))));
        if let Some(t) = catalog {
            refused.push(unsupported_diag(
                c,
                &format!(
                    "the days on which its verdict may change: table `{}` is read from the Spark catalog, and its dates are not loaded here",
                    table_name(compiled, t)
                ),
            ));
            out.push(None);
            continue;
        }
        match timeline::days_to_follow(loaded, c, (program, node), *from, &session.cache) {
            Ok(d) => {
                days.extend(d.into_iter().map(|d| (r, d)));
                out.push(Some(Ok(Vec::new())));
            }
            Err(d) => out.push(Some(Err(d))),
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let mut described = super::stages::Shared::new(ev);
    progress.start(Stage::Execute, days.len() as u64);
    for chunk in days.chunks(DAYS_PER_EXECUTION) {
        let mut at = Vec::with_capacity(chunk.len());
        let mut of = Vec::with_capacity(chunk.len());
        for &(r, day) in chunk {
            let Some(c) = requests.get(r).and_then(|(i, _)| compiled.claims.get(*i)) else {
                continue;
            };
            if let Some(claim) = timeline::on_day(c, c.node.clone(), day) {
                at.push(claim);
                of.push((r, day));
            }
        }
        let execution = execute_claims(
            compiled,
            (&at, false),
            (sources, &mut *session),
            runner,
            &mut super::NoProgress,
        )?;
        for ((claim, (r, day)), run) in at.iter().zip(of).zip(&execution.claims) {
            let Some(cf) = loaded.claim_files.get(claim.file) else {
                continue;
            };
            let run = match run {
                Executed::Value(e) => Ok(&**e),
                Executed::Failed(f) => Err(&f.diagnostic),
                Executed::Skipped => {
                    return Err(vec![Diagnostic::error(
                        "eval/internal",
                        format!(
                            "claim `{}` was not evaluated on one of the days it is followed on",
                            claim.claim.id
                        ),
                    )])
                }
            };
            let period = timeline::period_of(loaded, claim, cf, run, &mut described)
                .map_err(|d| vec![*d])?;
            if let Some(Some(Ok(periods))) = out.get_mut(r) {
                timeline::merge_day(periods, day, period);
            }
        }
        progress.advance(chunk.len() as u64);
    }
    progress.finish();
    Ok(out)
}

/// The compile stage of a run on a SQL engine: the selected claims
/// compiled, with the diagnostics so far, or only those diagnostics when
/// one is an error. (A catalog table without a file is no error here:
/// the SQL engine reads it.)
fn compiled_cleanly<'a>(
    loaded: &'a Loaded,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<(Compiled<'a>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let compiled = compile(loaded, selection, progress);
    let diags = compiled.all_diagnostics();
    if has_error(&diags) {
        return Err(diags);
    }
    Ok((compiled, diags))
}

/// [`first_round`] for the claims of a workspace: `Err` when loading or
/// compiling fails or a claim uses what SQL cannot evaluate.
pub fn plan_sql(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<FirstRound, Failed> {
    let loaded = ws.load_for_claims(progress);
    let (compiled, mut diags) = match compiled_cleanly(&loaded, selection, progress) {
        Ok(c) => c,
        Err(diags) => return Err(failed(loaded, diags)),
    };
    let run = first_round(&compiled, &sources(&loaded), None);
    drop(compiled);
    match run {
        Ok(r) => Ok(r),
        Err(mut d) => {
            diags.append(&mut d);
            Err(failed(loaded, diags))
        }
    }
}

/// `factcheck plan`: for each selected claim, its measure, its tree and
/// the SQL its first round sends (the tables' views, one query a table),
/// as text. `Err` when loading or compiling fails or a claim uses what
/// SQL cannot evaluate.
pub fn plan_text(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<(String, Files), Failed> {
    let loaded = ws.load_for_claims(progress);
    let (compiled, mut diags) = match compiled_cleanly(&loaded, selection, progress) {
        Ok(c) => c,
        Err(diags) => return Err(failed(loaded, diags)),
    };
    let mut out = String::new();
    let mut problems = Vec::new();
    let sources = sources(&loaded);
    let ev = &loaded.evidence;
    for (i, c) in compiled.claims.iter().enumerate() {
        let (Some(node), Some(program)) = (&c.node, compiled.programs.get(c.file)) else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("claim {}\n", c.claim.id));
        if let Some(m) = &c.claim.measure {
            out.push_str(&format!("measure: {}\n", m.text));
        }
        out.push_str("plan:\n");
        for line in sql::outline(ev, program, node).lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        match first_round(&compiled, &sources, Some(i)) {
            Ok((queries, claims)) => {
                out.push_str("sql:\n");
                for q in &queries {
                    out.push_str("  ");
                    out.push_str(q);
                    out.push_str(";\n");
                }
                if queries.is_empty() {
                    out.push_str("  (none: the measure reads no table)\n");
                }
                if claims.iter().any(|(_, later)| *later) {
                    out.push_str(
                        "  (then a query that uses these results, sent once they are known)\n",
                    );
                }
            }
            Err(mut d) => problems.append(&mut d),
        }
    }
    drop(compiled);
    if !problems.is_empty() {
        diags.append(&mut problems);
        return Err(failed(loaded, diags));
    }
    Ok((out, loaded.files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_files_partitions() {
        assert_eq!(partitions(0), 2);
        assert_eq!(partitions(BYTES_PER_PARTITION * 2), 2);
        assert_eq!(partitions(BYTES_PER_PARTITION * 2 + 1), 3);
        assert_eq!(partitions(78_000_000_000), 4_650);
        assert_eq!(partitions(u64::MAX), 100_000);
    }
}

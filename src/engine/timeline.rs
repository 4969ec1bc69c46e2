//! `factcheck timeline`: on which days each claim's verdict is what.
//!
//! A claim's value depends on the evaluation date only through comparisons
//! of that date with dates: the dates of the evidence's records (a spell in
//! force, a departure) and the dates written in the measure. Those
//! comparisons change truth only at the first or last day of a date, or the
//! day after. So the days on which anything can change (the change points)
//! are those days, for every date column of every table the measure reads
//! and every date it writes; between two change points the verdict cannot
//! change. The claim is evaluated once per change point (and once before
//! the first), and runs of equal verdicts are merged: the result is exact,
//! not sampled. The article's relative words ("last month") stay fixed to
//! its own date while the evaluation date moves.
//!
//! Dates that orderings of the evidence (`[[order]]`) link are narrowed in
//! their columns at load, so the bounds read here are the narrowed ones;
//! a comparison of two linked dates does not involve the evaluation date
//! and adds no change point.
//!
//! A claim whose measure reads cells that sources disagree on
//! (`[[alternative]]`) or that the evidence infers (`[[inference]]`) is
//! judged on each day as `verify` judges it: in every variant of the
//! evidence (each reading, with and without inferred values), the
//! variants weighed into one verdict. The change points are then those of
//! every variant: a reading's dates, and the dates orderings narrow in it.

use std::collections::{BTreeSet, HashSet};

use crate::date::DateRange;
use crate::evidence::column::{date_of, range_of, ColumnData, NO_HI, NO_LO};
use crate::evidence::Evidence;
use crate::judge::timeline::{ClaimTimeline, Period};
use crate::plan::{Node, Program, Value};

use super::stages::{
    claim_problem, eval_diag, evaluate_claim, judge_one, tables_read, CompiledClaim, Evaluation,
    WorldCache,
};
use super::{compile, failed, has_error, sorted, Failed, Progress, Selection, Stage, Workspace};
use crate::diag::{Diagnostic, Files};
use crate::verdict::Verdict;

/// What `timeline` gives.
#[derive(Debug)]
pub struct Timelines {
    /// Every file read.
    pub files: Files,
    /// Warnings, and the problems of the claims that have no timeline
    /// (each also in its [`ClaimTimeline::problem`]).
    pub diagnostics: Vec<Diagnostic>,
    /// One per claim selected that can be checked.
    pub claims: Vec<ClaimTimeline>,
}

/// Most days a timeline evaluates one claim on: each is a whole
/// evaluation, so a measure over a table of many distinct dates is judged
/// on chosen days instead (`verify --as-of`).
pub const MAX_CHANGE_POINTS: usize = 20_000;

/// The days on which the evaluation may change the value of `node`: the
/// first and last days of every date in the date columns of the tables it
/// reads, and of every date it writes, and the day after each.
fn change_points(ev: &Evidence, program: &Program, node: &Node) -> Vec<i32> {
    let mut tables = BTreeSet::new();
    let mut points = BTreeSet::new();
    let mut seen_defs = HashSet::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.walk(|m| match m {
            Node::TableAll(t) => {
                tables.insert(*t);
            }
            Node::Const(Value::Date(d)) => {
                for p in [d.lo, d.hi].into_iter().flatten() {
                    let day = crate::evidence::column::day_number(p);
                    points.insert(day);
                    points.insert(day.saturating_add(1));
                }
            }
            Node::Def(i) if seen_defs.insert(*i) => {
                if let Some(Some(body)) = program.defs.get(*i) {
                    todo.push(body);
                }
            }
            _ => {}
        });
    }
    for t in tables {
        let Some(table) = ev.tables.get(t) else {
            continue;
        };
        for c in &table.columns {
            if let ColumnData::Date(dc) = &c.data {
                for &d in dc.lo.iter().chain(&dc.hi) {
                    if d != NO_LO && d != NO_HI {
                        points.insert(d);
                        points.insert(d.saturating_add(1));
                    }
                }
            }
        }
    }
    points
        .into_iter()
        .filter(|d| date_of(*d).is_some())
        .collect()
}

/// [`change_points`] in every variant of the evidence the claim is judged
/// in (each reading of the cells sources disagree on, with and without
/// inferred values): a reading's dates, and the dates orderings narrow in
/// it, are change points too.
fn all_change_points(
    loaded: &super::Loaded,
    (program, node): (&Program, &Node),
    cache: &WorldCache,
) -> Vec<i32> {
    let ev = &*loaded.evidence;
    let points = change_points(ev, program, node);
    if ev.variants.is_empty() {
        return points;
    }
    let (disputed, inferred) = ev.variants.touching(ev, &tables_read(node, program));
    if disputed.is_empty() && inferred.is_empty() {
        return points;
    }
    let Some(worlds) = ev
        .variants
        .worlds(&disputed, !inferred.is_empty(), !loaded.sourced_only)
    else {
        // Too many readings: every day's evaluation says so.
        return points;
    };
    let mut all: BTreeSet<i32> = points.into_iter().collect();
    for w in worlds {
        // The evidence as loaded is the variant with inferred values and
        // every record's own reading.
        if w.inferences && w.choices.iter().all(|(_, r)| *r == 0) {
            continue;
        }
        if let Ok(variant) = &*cache.get(ev, &w) {
            all.extend(change_points(variant, program, node));
        }
    }
    all.into_iter().collect()
}

/// What following one claim over every day gives.
enum Runs {
    /// The runs of equal verdicts, each with its first day (a day number).
    Days(Vec<(i32, Period)>),
    /// Too many days to follow: the claim's own problem.
    TooCostly(Box<Diagnostic>),
}

/// The days one claim is evaluated on to follow it over every day (from
/// day `from` on, when given): each change point, and one day before the
/// first (or `from`), which stands for the days up to the next change
/// point. `Err`: more change points than [`MAX_CHANGE_POINTS`], the
/// claim's own problem.
pub(super) fn days_to_follow(
    loaded: &super::Loaded,
    c: &CompiledClaim<'_>,
    (program, node): (&Program, &Node),
    from: Option<i32>,
    cache: &WorldCache,
) -> Result<Vec<i32>, Box<Diagnostic>> {
    let points = all_change_points(loaded, (program, node), cache);
    if points.len() > MAX_CHANGE_POINTS {
        let loc = &c.claim.id_loc;
        return Err(Box::new(
            Diagnostic::error(
                "eval/too-costly",
                format!(
                    "claim `{}` depends on {} different days, more than the {MAX_CHANGE_POINTS} a timeline evaluates",
                    c.claim.id,
                    points.len()
                ),
            )
            .at(loc.file, loc.span.clone(), "this claim")
            .help("judge it as of chosen dates instead"),
        ));
    }
    // One day before the first change point stands for every earlier day;
    // from a given day on, that day stands for the days up to the next
    // change point, and earlier ones are not evaluated.
    let mut days: Vec<i32> = Vec::with_capacity(points.len() + 1);
    match from {
        Some(day) => {
            days.push(day);
            days.extend(points.iter().copied().filter(|p| *p > day));
        }
        None => {
            days.push(points.first().map_or(0, |first| first.saturating_sub(1)));
            days.extend(points.iter().copied());
        }
    }
    days.retain(|d| date_of(*d).is_some());
    Ok(days)
}

/// `c` as judged on `day` (only its as-of date moves; its measure is
/// `node`). `None`: a day number with no date.
pub(super) fn on_day<'a>(
    c: &CompiledClaim<'a>,
    node: Option<Node>,
    day: i32,
) -> Option<CompiledClaim<'a>> {
    let date = date_of(day)?;
    Some(CompiledClaim {
        claim: c.claim,
        file: c.file,
        node,
        expected: c.expected.clone(),
        as_of: DateRange::day(date),
        said_on: c.said_on,
    })
}

/// The run of one day: the verdict `at` (the claim on that day) gets from
/// its evaluation, or `error` with the problem the evaluation met (`Err`
/// of `run`: its diagnostic). `Err`: an internal error (a claim judged
/// without a value).
pub(super) fn period_of(
    loaded: &super::Loaded,
    at: &CompiledClaim<'_>,
    cf: &crate::claims::ClaimFile,
    run: Result<&Evaluation, &Diagnostic>,
    described: &mut super::stages::Shared,
) -> Result<Period, Box<Diagnostic>> {
    Ok(match run {
        Ok(e) => {
            let v = judge_one(at, cf, e, (&loaded.files, &loaded.evidence), described)?;
            Period {
                from: None,
                to: None,
                verdict: v.verdict,
                computed: v.computed.map(|c| c.display),
                problem: None,
            }
        }
        Err(d) => Period {
            from: None,
            to: None,
            verdict: Verdict::Error,
            computed: None,
            problem: Some(claim_problem(at.claim, d, &loaded.files)),
        },
    })
}

/// Add the run of `day` (days in order) to `periods`: days with the same
/// verdict form one run; the value is shown only when it is the same on
/// every day of the run.
pub(super) fn merge_day(periods: &mut Vec<(i32, Period)>, day: i32, period: Period) {
    match periods.last_mut() {
        Some((_, last)) if last.verdict == period.verdict && last.problem == period.problem => {
            if last.computed != period.computed {
                last.computed = None;
            }
        }
        _ => periods.push((day, period)),
    }
}

/// Follow one claim over every day (from day `from` on, when given): one
/// evaluation per change point (and one before the first, or on `from`),
/// runs of equal verdicts merged. `Err`: an internal error (a claim judged
/// without a value).
fn runs(
    loaded: &super::Loaded,
    c: &CompiledClaim<'_>,
    (program, node): (&Program, &Node),
    from: Option<i32>,
    (shared, cache): (&crate::eval::Shared, &WorldCache),
    described: &mut super::stages::Shared,
) -> Result<Runs, Box<Diagnostic>> {
    let Some(cf) = loaded.claim_files.get(c.file) else {
        return Ok(Runs::Days(Vec::new()));
    };
    let days = match days_to_follow(loaded, c, (program, node), from, cache) {
        Ok(days) => days,
        Err(d) => return Ok(Runs::TooCostly(d)),
    };
    let mut periods: Vec<(i32, Period)> = Vec::new();
    for &day in &days {
        let Some(at) = on_day(c, None, day) else {
            continue;
        };
        // As verify judges it: in every reading of the cells sources
        // disagree on, and with and without inferred values.
        let run = evaluate_claim(
            loaded,
            (&at, cf),
            (program, node),
            at.as_of,
            (shared, cache),
        )
        .map_err(|e| eval_diag(c.claim, e));
        let period = period_of(loaded, &at, cf, run.as_ref(), described)?;
        merge_day(&mut periods, day, period);
    }
    Ok(Runs::Days(periods))
}

/// The day after `c`'s evaluation date (its last day, for a range): the
/// first day a later change can be on.
pub(super) fn day_after(c: &CompiledClaim<'_>) -> Option<i32> {
    c.as_of
        .hi
        .map(crate::evidence::column::day_number)
        .map(|d| d.saturating_add(1))
}

/// The first run of `periods` (followed from day `after` on) with another
/// verdict than `verdict`: from which day, with its verdict and value.
pub(super) fn change_in(
    periods: &[(i32, Period)],
    after: i32,
    verdict: Verdict,
) -> Option<crate::verdict::LaterChange> {
    // Each run lasts until the next begins; the first run after `after`
    // (or holding it) with another verdict.
    let starts: Vec<i32> = periods.iter().map(|(d, _)| *d).collect();
    periods.iter().enumerate().find_map(|(i, (start, p))| {
        let end = starts.get(i + 1).map_or(i32::MAX, |n| n.saturating_sub(1));
        if end < after || p.verdict == verdict {
            return None;
        }
        let from = (*start).max(after);
        Some(crate::verdict::LaterChange {
            from: range_of(from, from).to_string(),
            verdict: p.verdict,
            computed: p.computed.clone(),
        })
    })
}

/// The first day after `c`'s evaluation date on which its verdict is not
/// `verdict`, with the verdict and value from that day.
pub(super) fn later_change(
    loaded: &super::Loaded,
    c: &CompiledClaim<'_>,
    program: &Program,
    verdict: Verdict,
    (shared, cache): (&crate::eval::Shared, &WorldCache),
    described: &mut super::stages::Shared,
) -> Option<crate::verdict::LaterChange> {
    let node = c.node.as_ref()?;
    let after = day_after(c)?;
    let Ok(Runs::Days(periods)) = runs(
        loaded,
        c,
        (program, node),
        Some(after),
        (shared, cache),
        described,
    ) else {
        return None;
    };
    change_in(&periods, after, verdict)
}

/// The timeline of `c` from its runs (each with its first day, in order):
/// each run lasts until the day before the next begins.
pub(super) fn claim_timeline(c: &CompiledClaim<'_>, periods: Vec<(i32, Period)>) -> ClaimTimeline {
    let starts: Vec<i32> = periods.iter().map(|(d, _)| *d).collect();
    let mut list = Vec::with_capacity(periods.len());
    for (i, (day, mut p)) in periods.into_iter().enumerate() {
        if i > 0 {
            p.from = Some(range_of(day, day).to_string());
        }
        if let Some(next) = starts.get(i + 1) {
            let last = next.saturating_sub(1);
            p.to = Some(range_of(last, last).to_string());
        }
        list.push(p);
    }
    ClaimTimeline {
        id: c.claim.id.clone(),
        states: c.claim.states.as_ref().map(|(s, _)| s.clone()),
        said_on: c.said_on.to_string(),
        periods: list,
        problem: None,
    }
}

/// The timeline of a claim too costly to follow: no runs, its problem.
pub(super) fn costly_timeline(
    c: &CompiledClaim<'_>,
    d: &Diagnostic,
    files: &crate::diag::Files,
) -> ClaimTimeline {
    ClaimTimeline {
        id: c.claim.id.clone(),
        states: c.claim.states.as_ref().map(|(s, _)| s.clone()),
        said_on: c.said_on.to_string(),
        periods: Vec::new(),
        problem: Some(claim_problem(c.claim, d, files)),
    }
}

/// The verdict of every selected claim on every day, as runs of days.
pub fn timeline(
    ws: &Workspace,
    selection: &Selection,
    progress: &mut dyn Progress,
) -> Result<Timelines, Failed> {
    let loaded = ws.load_for_claims(progress);
    let compiled = compile(&loaded, selection, progress);
    let mut diags = compiled.all_diagnostics();
    if !has_error(&diags) {
        diags.extend(compiled.catalog_only());
    }
    if has_error(&diags) {
        return Err(failed(loaded, diags));
    }
    let ev = &loaded.evidence;
    let shared = crate::eval::Shared::default();
    let cache = WorldCache::default();
    // Witnesses and sources described once for every day and claim.
    let mut described = super::stages::Shared::new(ev);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut unjudged = Vec::new();
    progress.start(Stage::Execute, compiled.claims.len() as u64);
    for c in &compiled.claims {
        progress.advance(1);
        let (Some(node), Some(_), Some(program)) = (
            &c.node,
            loaded.claim_files.get(c.file),
            compiled.programs.get(c.file),
        ) else {
            continue;
        };
        let periods = match runs(
            &loaded,
            c,
            (program, node),
            None,
            (&shared, &cache),
            &mut described,
        ) {
            Ok(Runs::Days(p)) => p,
            Ok(Runs::TooCostly(d)) => {
                // The claim's problem, not the run's: every other claim
                // gets its timeline.
                out.push(costly_timeline(c, &d, &loaded.files));
                unjudged.push(*d);
                continue;
            }
            Err(d) => {
                problems.push(*d);
                continue;
            }
        };
        out.push(claim_timeline(c, periods));
    }
    progress.finish();
    let mut diagnostics = diags;
    // An internal error (a claim judged without a value) stops the run; a
    // claim too costly to follow has its problem in its timeline.
    if has_error(&problems) {
        diagnostics.extend(problems);
        return Err(failed(loaded, diagnostics));
    }
    diagnostics.extend(unjudged);
    Ok(Timelines {
        files: loaded.files,
        diagnostics: sorted(diagnostics),
        claims: out,
    })
}

/// Put each claim's timeline in its verdict's figures, by claim id: the
/// runs of days and their verdicts, which the HTML report draws as a strip
/// (`verify --timelines`). Claims without a timeline keep none.
pub fn attach_timelines(report: &mut crate::verdict::Report, timelines: &Timelines) {
    attach(report, &timelines.claims);
}

/// [`attach_timelines`] of a list of timelines.
pub(super) fn attach(report: &mut crate::verdict::Report, timelines: &[ClaimTimeline]) {
    let by_id: std::collections::HashMap<&str, &ClaimTimeline> =
        timelines.iter().map(|t| (t.id.as_str(), t)).collect();
    for c in &mut report.claims {
        if let Some(t) = by_id.get(c.id.as_str()) {
            c.figures.timeline = t
                .periods
                .iter()
                .map(|p| crate::verdict::TimelineSpan {
                    from: p.from.clone(),
                    to: p.to.clone(),
                    verdict: p.verdict,
                })
                .collect();
        }
    }
}

//! The work a claim can make the evaluator do (factcheck issue 9): nested
//! aggregates whose inner set does not depend on the record in scope are
//! evaluated once per claim, so they cost rows × nesting, not
//! rows ^ nesting; a measure whose sets do depend on the record in scope at
//! several levels meets the step budget, a located `eval/too-costly` error.
//!
//! Work is counted in steps ([`Ctx::steps`]) over the toy evidence (four
//! staff records), never timed.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::toy_evidence as evidence;
use factcheck::diag::Files;
use factcheck::eval::{Ctx, EvalError, Value, DEFAULT_STEP_BUDGET};
use factcheck::expr::parser::parse;
use factcheck::resolve::{Origin, Resolver};
use factcheck::statement::fmt_interval;

/// What one evaluation left behind.
struct Run {
    value: Result<Value, EvalError>,
    steps: u64,
    notes: Vec<String>,
    detail: Option<String>,
}

/// Evaluate `src` over the toy evidence with at most `budget` steps.
fn run(src: &str, budget: u64) -> Run {
    let ev = evidence();
    let expr = parse(src).expect("parses");
    let mut files = Files::default();
    let file = files.add("expr", src);
    let origin = Origin {
        file,
        base: 0,
        exact: true,
        whole: 0..src.len(),
    };
    let mut resolver = Resolver::new(&ev, Vec::new());
    let (node, _) = resolver
        .compile(&expr, &origin)
        .unwrap_or_else(|| panic!("{:?}", resolver.diags));
    let program = resolver.program;
    let day = factcheck::date::parse_date_value("2022-01-01").expect("date");
    let mut ctx = Ctx::new(&ev, &program, day, day);
    ctx.set_step_budget(budget);
    let value = ctx.eval(&node, None);
    Run {
        value,
        steps: ctx.steps(),
        notes: ctx
            .notes
            .iter()
            .map(factcheck::verdict::event_text)
            .collect(),
        detail: ctx.detail.as_ref().map(factcheck::verdict::share_text),
    }
}

/// A value the way reports print it.
fn show(v: Value) -> String {
    match v {
        Value::Num(iv, unit) => fmt_interval(&iv, unit, 3),
        other => format!("{other:?}"),
    }
}

/// `outer` applied `depth` times around `inner`: `outer` holds one `{}`.
fn nest(outer: &str, inner: &str, depth: usize) -> String {
    (0..depth).fold(inner.to_string(), |e, _| outer.replace("{}", &e))
}

/// Every nested shape whose cost grew as 4^depth on the four-row table
/// before record-independent aggregates were memoised.
/// Every nested shape whose cost grew as 4^depth on the four-row table
/// before record-independent aggregates were memoised, with the deepest
/// nesting the parser takes for it (at most 12).
const SHAPES: &[(&str, &str, usize)] = &[
    ("sum(staff, {})", "1", 12),
    ("mean(staff, {})", "score", 12),
    ("min(staff, {})", "score", 12),
    ("max(staff, {})", "score", 12),
    ("all(staff, {})", "score > 0", 12),
    ("any(staff, {})", "score > 0", 12),
    ("all(staff, count(staff where {}) > 0)", "score > 0", 12),
    ("count(staff where {} > 0)", "score", 12),
    (
        "sum(staff, {} + count(staff where sum(staff, 1) > 0))",
        "1",
        12,
    ),
    (
        "count(staff where share(staff where {} > 0, staff) > 10%)",
        "score",
        9,
    ),
    ("count(staff where {} > count(names(staff)))", "score", 12),
];

#[test]
fn twelve_deep_nested_aggregates_do_linear_work() {
    // 4^12 = 16.7 million inner evaluations before the fix: with a budget
    // of 100 000 steps it was an `eval/too-costly` error.
    for (outer, inner, deepest) in SHAPES {
        let steps: Vec<u64> = (deepest - 2..=*deepest)
            .map(|depth| {
                let src = nest(outer, inner, depth);
                let r = run(&src, 100_000);
                assert!(r.value.is_ok(), "{src}: {:?}", r.value);
                r.steps
            })
            .collect();
        // Each level adds the same work: linear in the nesting.
        let (a, b, c) = (steps[0], steps[1], steps[2]);
        assert_eq!(b - a, c - b, "{outer}: {steps:?}");
        // A level costs a loop over four records and a few nodes per record.
        assert!(c - b <= 60, "{outer}: {steps:?}");
        assert!(c <= 12 * 60, "{outer}: {steps:?}");
        // Before the fix: 4^12 = 16.7 million inner evaluations.
    }
}

#[test]
fn memoised_aggregates_keep_their_values() {
    // sum(staff, 1) nested three deep: 4 × 4 × 4.
    let r = run(&nest("sum(staff, {})", "1", 3), DEFAULT_STEP_BUDGET);
    assert_eq!(show(r.value.unwrap()), "64");
    // Ben's end date is unknown; `all` nested keeps three-valued logic.
    let r = run(
        "all(staff, any(staff, end > date(\"2020-01-01\")))",
        DEFAULT_STEP_BUDGET,
    );
    assert_eq!(show(r.value.unwrap()), "Bool(True)");
    let r = run(
        "count(staff where score > mean(staff, score))",
        DEFAULT_STEP_BUDGET,
    );
    // The mean is 3.6875: Ana (5), Ben (3.5), Cai (4) against Dee (2.25).
    assert_eq!(show(r.value.unwrap()), "2");
}

#[test]
fn an_aggregate_inside_a_record_scope_records_no_notes() {
    // At the top level, `all` names the records it fails for...
    let top = run("all(staff, score > 3)", DEFAULT_STEP_BUDGET);
    assert_eq!(top.notes, vec!["it fails for `Dee`".to_string()]);
    // ...inside a filter it is a per-record condition, memoised or not,
    // and says nothing of its own.
    let inner = run(
        "count(staff where all(staff, score > 3)) == 0",
        DEFAULT_STEP_BUDGET,
    );
    assert!(inner.notes.is_empty(), "{:?}", inner.notes);
}

#[test]
fn a_memoised_share_leaves_its_detail() {
    // Ana computes share B ("2 of 4"), Ben share A ("3 of 4"); Cai and Dee
    // reuse B, which evaluated for every record left B's detail last: the
    // reuse replays it.
    let r = run(
        "count(staff where name != \"Ben\" and share(staff where team == \"x\", staff) > 0% \
         or share(staff where score > 3, staff) > 0%)",
        DEFAULT_STEP_BUDGET,
    );
    assert_eq!(show(r.value.unwrap()), "4");
    assert_eq!(r.detail.as_deref(), Some("2 of 4"));
    let last_a = run(
        "count(staff where name == \"Dee\" and share(staff where score > 3, staff) > 0% \
         or share(staff where team == \"x\", staff) > 0%)",
        DEFAULT_STEP_BUDGET,
    );
    assert_eq!(last_a.detail.as_deref(), Some("3 of 4"));
}

#[test]
fn correlated_nesting_meets_the_budget() {
    // `staff at start` depends on the record in scope, so each level really
    // is a loop per record of the level above: the work grows as a power of
    // the records, and the budget stops it with a located error.
    let src = format!("sum(staff, {})", nest("sum(staff at start, {})", "1", 20));
    let r = run(&src, 10_000);
    let e = r.value.unwrap_err();
    assert_eq!(e.code, "eval/too-costly");
    assert!(e.loc.is_some(), "{e:?}");
    assert!(e.help().is_some());
    assert!(r.steps > 10_000 && r.steps < 20_000, "{}", r.steps);
    // Shallow correlated nesting is within the default budget.
    let src = format!("sum(staff, {})", nest("sum(staff at start, {})", "1", 3));
    assert!(run(&src, DEFAULT_STEP_BUDGET).value.is_ok());
}

#[test]
fn a_simple_claim_is_far_below_the_default_budget() {
    // Steps grow with the records: a few per record for a filter.
    let r = run(
        "share(staff where team == \"x\" and score > 3, staff)",
        DEFAULT_STEP_BUDGET,
    );
    assert!(r.value.is_ok());
    assert!(r.steps <= 60, "{}", r.steps);
    // So a million records with a dozen such filters take some 10^8 steps
    // at most... far below the default.
    assert!(r.steps / 4 * 1_000_000 * 12 < DEFAULT_STEP_BUDGET);
}

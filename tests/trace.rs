//! The events an evaluation records when traced (`eval::Trace`): what
//! `explain` is built from. Without a trace, nothing is recorded.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use factcheck::engine::{compile, execute_with_trace, NoProgress, Selection, Workspace};
use factcheck::eval::{Ctx, FilterCount, Level, Outcome, Value, MAX_TRACED_RECORDS};
use factcheck::resolve::Node;

const TOY: &str = "tests/fixtures/toy";

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(TOY).join(rel)).expect("toy file")
}

/// The toy workspace, with `rows` more staff records (all in team "z").
fn toy(rows: usize) -> Workspace {
    let mut csv = read("evidence/staff.csv");
    for i in 0..rows {
        csv.push_str(&format!("P{i},z,2020,2021,1 years,1,,roster,\n"));
    }
    with_toy_evidence(
        Workspace::in_memory()
            .with_claim_file(format!("{TOY}/claims/toy.toml"), read("claims/toy.toml")),
        csv,
    )
}

/// `ws` with the toy's evidence, its staff records being `csv`.
fn with_toy_evidence(ws: Workspace, csv: String) -> Workspace {
    ws.with_evidence(
        format!("{TOY}/evidence/sources.toml"),
        read("evidence/sources.toml"),
    )
    .with_evidence(
        format!("{TOY}/evidence/staff.toml"),
        read("evidence/staff.toml"),
    )
    .with_evidence(format!("{TOY}/evidence/staff.csv"), csv)
}

/// Every `where` node of a measure and the definitions it uses.
fn filters<'n>(node: &'n Node, defs: &'n [Option<Node>]) -> Vec<&'n Node> {
    let mut out = Vec::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.walk(|m| match m {
            Node::Where(..) => out.push(m),
            Node::Def(i) => {
                if let Some(Some(body)) = defs.get(*i) {
                    todo.push(body);
                }
            }
            _ => {}
        });
    }
    out
}

#[test]
fn a_traced_evaluation_records_what_each_filter_and_share_did() {
    let loaded = toy(0).load(&mut NoProgress);
    let selection = Selection {
        claim_ids: vec!["half-in-team-x".into()],
        as_of: None,
    };
    let compiled = compile(&loaded, &selection, &mut NoProgress);
    let c = compiled.claims.first().expect("one claim");
    let node = c.node.as_ref().expect("compiled");
    let program = compiled.programs.get(c.file).expect("program");
    let ev = &loaded.evidence;

    // Not asked for: nothing recorded.
    let mut plain = Ctx::new(ev, program, c.as_of, c.as_of);
    let untraced = plain.eval_measure(node).expect("value");
    assert!(plain.take_trace().is_none());

    let mut ctx = Ctx::new(ev, program, c.as_of, c.as_of);
    ctx.trace(Level::Full);
    let value = ctx.eval_measure(node).expect("value");
    assert_eq!(value, untraced, "tracing does not change the value");
    let trace = ctx.take_trace().expect("traced");
    assert_eq!(trace.value(node), Some(&value));

    let wheres = filters(node, &program.defs);
    assert_eq!(wheres.len(), 1);
    let filter = trace.records(wheres[0]).expect("the filter's event");
    assert!(filter.filter);
    assert_eq!((filter.kept, filter.possible, filter.dropped), (2, 0, 2));
    let outcomes: Vec<&Outcome> = filter.rows.iter().map(|r| &r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            &Outcome::Kept,
            &Outcome::Kept,
            &Outcome::Dropped,
            &Outcome::Dropped
        ]
    );
    // The cell that decided each record: its team.
    let team = |r: usize| match filter.rows[r].because.as_slice() {
        [(_, Value::Text(Some(t)))] => t.to_string(),
        other => panic!("unexpected cells {other:?}"),
    };
    assert_eq!((team(0), team(2)), ("x".to_string(), "y".to_string()));

    let share = trace.share(node).expect("the share's parts");
    assert_eq!(share.part.to_string(), "2");
    assert_eq!(share.whole.to_string(), "4");
}

#[test]
fn a_filter_lists_a_bounded_number_of_records_and_counts_them_all() {
    let extra = MAX_TRACED_RECORDS + 15;
    let loaded = toy(extra).load(&mut NoProgress);
    let selection = Selection {
        claim_ids: vec!["half-in-team-x".into()],
        as_of: None,
    };
    let compiled = compile(&loaded, &selection, &mut NoProgress);
    let c = compiled.claims.first().expect("one claim");
    let node = c.node.as_ref().expect("compiled");
    let program = compiled.programs.get(c.file).expect("program");
    let mut ctx = Ctx::new(&loaded.evidence, program, c.as_of, c.as_of);
    ctx.trace(Level::Full);
    let _ = ctx.eval_measure(node);
    let trace = ctx.take_trace().expect("traced");
    let wheres = filters(node, &program.defs);
    let filter = trace.records(wheres[0]).expect("the filter's event");
    assert_eq!(filter.rows.len(), MAX_TRACED_RECORDS);
    assert_eq!(filter.kept + filter.possible + filter.dropped, 4 + extra);
    assert_eq!(filter.dropped, 2 + extra);
}

/// A column named like a built-in (`published`) inside a filter is the
/// record's cell: the trace shows no value for it (it has one per record),
/// not the article's publication date, and the filter's cells are the
/// column's.
#[test]
fn explain_shows_a_filter_column_named_like_a_built_in_as_the_column() {
    let dir = Path::new("tests/fixtures/published");
    let ws = Workspace::from_dirs(factcheck::engine::Options {
        paths: vec![dir.join("claims/published.toml")],
        evidence: dir.join("evidence"),
        ..factcheck::engine::Options::default()
    });
    let explained = factcheck::engine::explain(&ws, "published-july", None, &mut NoProgress)
        .expect("explained");
    let steps = &explained.explanation.steps;
    assert!(
        steps
            .iter()
            .all(|s| s.expr != "published" && s.expr != "published == date(\"2023-07-15\")"),
        "{steps:#?}"
    );
    let filter = steps
        .iter()
        .find_map(|s| s.records.as_ref())
        .expect("the filter's records");
    assert_eq!((filter.kept, filter.dropped), (2, 2));
    assert!(filter
        .rows
        .iter()
        .all(|r| r.because.iter().all(|b| b.starts_with("published = 2023-"))));
}

/// The trace is the one evaluation the verdict comes from: a part that
/// evaluation never reached (it failed first) has no value, while the
/// parts it did reach keep theirs.
#[test]
fn explain_gives_no_value_to_a_part_a_failed_evaluation_never_reached() {
    let ws = Workspace::from_dirs(factcheck::engine::Options {
        paths: vec![Path::new("tests/fixtures/unjudged/claims.toml").to_path_buf()],
        evidence: Path::new(TOY).join("evidence"),
        ..factcheck::engine::Options::default()
    });
    let value_of = |id: &str, expr: &str| {
        let explained =
            factcheck::engine::explain(&ws, id, None, &mut NoProgress).expect("explained");
        let step = explained
            .explanation
            .steps
            .iter()
            .find(|s| s.expr == expr)
            .cloned()
            .expect("the step");
        step.value
    };
    // `a * b` overflows before `count(staff)` is evaluated.
    assert_eq!(value_of("too-large", "count(staff)"), None);
    // The whole is evaluated before the share fails on it.
    assert_eq!(
        value_of("share-of-nobody", "staff where team == \"z\"").as_deref(),
        Some("0 staff records")
    );
}

/// The toy workspace with `measures` as claims `m0`, `m1`, … (no
/// statement: only their values matter here).
fn toy_measures(measures: &[&str]) -> Workspace {
    let mut claims = String::from(
        "[article]\nid = \"t\"\ntitle = \"t\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n",
    );
    for (i, m) in measures.iter().enumerate() {
        claims.push_str(&format!(
            "\n[[claim]]\nid = \"m{i}\"\nquote = \"q{i}\"\nclaim = \"c{i}\"\nmeasure = '{m}'\nstates = \"at least 0\"\n"
        ));
    }
    with_toy_evidence(
        Workspace::in_memory().with_claim_file(format!("{TOY}/claims/m.toml"), claims),
        read("evidence/staff.csv"),
    )
}

/// The filter counts of each claim's evaluation, traced at `level`.
fn filter_counts(ws: &Workspace, level: Level) -> Vec<Vec<FilterCount>> {
    let loaded = ws.load(&mut NoProgress);
    let compiled = compile(&loaded, &Selection::default(), &mut NoProgress);
    assert!(
        compiled.all_diagnostics().is_empty(),
        "{:?}",
        compiled.all_diagnostics()
    );
    let (_, traces) = execute_with_trace(&compiled, level, &mut NoProgress);
    traces
        .into_iter()
        .map(|t| t.expect("traced").filters().values().copied().collect())
        .collect()
}

#[test]
fn a_filters_trace_counts_what_each_filter_did_and_records_nothing_else() {
    // Ana ended 2023-06 (kept), Ben's end is unknown (possibly kept), Cai
    // and Dee ended later (dropped).
    let ws = toy_measures(&["count(staff where end < date(\"2024-01-01\"))"]);
    let counts = filter_counts(&ws, Level::Filters);
    let want = FilterCount {
        kept: 1,
        possible: 1,
        dropped: 2,
    };
    assert_eq!(counts, [vec![want]]);
    // A full trace counts the same.
    assert_eq!(filter_counts(&ws, Level::Full), [vec![want]]);

    // And records no node event.
    let loaded = ws.load(&mut NoProgress);
    let compiled = compile(&loaded, &Selection::default(), &mut NoProgress);
    let c = compiled.claims.first().expect("one claim");
    let node = c.node.as_ref().expect("compiled");
    let program = compiled.programs.get(c.file).expect("program");
    let mut ctx = Ctx::new(&loaded.evidence, program, c.as_of, c.as_of);
    ctx.trace(Level::Filters);
    let _ = ctx.eval_measure(node).expect("value");
    let trace = ctx.take_trace().expect("traced");
    assert_eq!(trace.value(node), None);
    let wheres = filters(node, &program.defs);
    assert!(trace.records(wheres[0]).is_none());
    assert_eq!(trace.filters().len(), 1);
}

#[test]
fn a_filter_applied_once_per_record_is_counted_over_every_application() {
    // The inner filter is applied at each record's start date; its counts
    // are those of the same filter applied at each of those dates alone.
    let nested = toy_measures(&["sum(staff, count(staff at start where team == \"x\"))"]);
    let nested = filter_counts(&nested, Level::Filters);
    let alone = toy_measures(&[
        "count(staff at date(\"2016\") where team == \"x\")",
        "count(staff at date(\"2018-01..2019-06\") where team == \"x\")",
        "count(staff at date(\"2020\") where team == \"x\")",
        "count(staff at date(\"2019-05-01\") where team == \"x\")",
    ]);
    let mut sum = FilterCount::default();
    for claim in filter_counts(&alone, Level::Filters) {
        assert_eq!(claim.len(), 1);
        sum.add(&claim[0]);
    }
    assert_eq!(nested, [vec![sum]]);
    assert!(
        sum.kept + sum.possible + sum.dropped > 4,
        "{sum:?}: more than one application"
    );
}

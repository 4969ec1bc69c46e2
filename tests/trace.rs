//! The events an evaluation records when traced (`eval::Trace`): what
//! `explain` is built from. Without a trace, nothing is recorded.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use factcheck::engine::{compile, NoProgress, Selection, Workspace};
use factcheck::eval::{Ctx, Outcome, Value, MAX_TRACED_RECORDS};
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
    Workspace::in_memory()
        .with_claim_file(format!("{TOY}/claims/toy.toml"), read("claims/toy.toml"))
        .with_evidence(
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
    ctx.trace();
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
    ctx.trace();
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

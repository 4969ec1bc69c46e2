//! Evaluation under uncertainty, expression by expression, over the toy
//! evidence in tests/fixtures/toy/evidence (four staff records, one with an
//! unknown end date, dates known to the day, month or year).

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
use factcheck::eval::{Ctx, EvalError, Value};
use factcheck::expr::parser::parse;
use factcheck::interval::Tri;
use factcheck::resolve::{Origin, Resolver};
use factcheck::statement::fmt_interval;

fn eval(src: &str) -> Result<Value, EvalError> {
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
    ctx.eval(&node, None)
}

/// The value printed the way reports print it.
fn show(src: &str) -> String {
    match eval(src).expect("evaluates") {
        Value::Num(iv, unit) => fmt_interval(&iv, unit, 3),
        Value::Bool(t) => format!("{t:?}"),
        Value::Date(d) => d.to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn counts_over_uncertain_membership_are_ranges() {
    // Ben's end date is unknown: on 2022-01-01 he may or may not be on the team.
    assert_eq!(show(r#"count(staff at date("2022-01-01"))"#), "[3, 4]");
    assert_eq!(show(r#"count(staff at date("2015-06-01"))"#), "0");
    // Ben started some day between 2018-01 and 2019-06.
    assert_eq!(
        show(r#"count(staff at date("2018-06-01") where name == "Ben")"#),
        "[0, 1]"
    );
}

#[test]
fn a_temporal_fact_ends_on_its_end_day() {
    let cases = [
        // Cai's spell ended on 2024-03-15: in force the day before, not that day.
        ("Cai", "2024-03-14", "1"),
        ("Cai", "2024-03-15", "0"),
        // Ana's ended some day of June 2023.
        ("Ana", "2023-05-31", "1"),
        ("Ana", "2023-06-15", "[0, 1]"),
        ("Ana", "2023-07-01", "0"),
    ];
    for (name, day, expected) in cases {
        let expr = format!(r#"count(staff at date("{day}") where name == "{name}")"#);
        assert_eq!(show(&expr), expected, "{name} on {day}");
    }
}

#[test]
fn sums_means_and_shares_propagate_intervals() {
    // certain: Ana 5, Cai 4, Dee 2.25; possible: Ben 3.5
    assert_eq!(
        show(r#"sum(staff at date("2022-01-01"), score)"#),
        "[11.25, 14.75]"
    );
    assert_eq!(
        show(r#"mean(staff at date("2022-01-01"), score)"#),
        "[2.25, 5]"
    );
    assert_eq!(show("mean(staff, score)"), "3.688…");
    assert_eq!(
        show(r#"share(staff at date("2022-01-01"), staff)"#),
        "[75%, 100%]"
    );
}

#[test]
fn durations_from_imprecise_dates_are_intervals() {
    // 2016 (any day) to June 2023 (any day)
    assert_eq!(
        show(r#"years_between(staff["Ana"].start, staff["Ana"].end)"#),
        "[6.415…, 7.494…] years"
    );
    // an unknown end (any day, before or after the start) leaves it unbounded
    assert_eq!(
        show(r#"years_between(staff["Ben"].start, staff["Ben"].end)"#),
        "(-∞, +∞) years"
    );
    assert_eq!(
        show(r#"days_between(date("2024-02-28"), date("2024-03-01"))"#),
        "2 days"
    );
    // refine keeps the values both bounds allow
    assert_eq!(
        show(
            r#"refine(years_between(staff["Ana"].start, staff["Ana"].end), years_between(date("2017"), date("2023-06")))"#
        ),
        "[6.415…, 6.492…] years"
    );
    let e = eval(r#"refine(years_between(staff["Dee"].start, date("2023")), staff["Dee"].tenure)"#)
        .expect_err("conflict");
    assert_eq!(e.code, "eval/conflicting-evidence");
}

#[test]
fn earliest_and_latest_dates_keep_their_precision() {
    assert_eq!(show("min(staff, start)"), "2016");
    // Ben's end is unknown, so the latest end may be any day from 2025 on (Dee's "2025..").
    assert_eq!(show("max(staff, end)"), "2025-01-01..");
}

#[test]
fn logic_is_three_valued() {
    assert_eq!(show(r#"staff["Ben"].end > date("2020-01-01")"#), "Unknown");
    assert_eq!(
        show(r#"staff["Ben"].end > date("2020-01-01") or true"#),
        "True"
    );
    assert_eq!(
        show(r#"staff["Ben"].end > date("2020-01-01") and false"#),
        "False"
    );
    assert_eq!(show(r#"staff["Ben"].end is unknown"#), "True");
    assert_eq!(show(r#"staff["Ana"].end is known"#), "True");
    assert_eq!(show(r#"all(staff, score > 2)"#), "True");
    assert_eq!(show(r#"any(staff, name matches "^D")"#), "True");
    assert!(matches!(
        eval(r#""Ben" in (staff at date("2022-01-01")).name"#),
        Ok(Value::Bool(Tri::Unknown))
    ));
}

#[test]
fn evaluation_errors_are_located_not_panics() {
    let e = eval(r#"staff["Zed"].score"#).expect_err("no such record");
    assert_eq!(e.code, "eval/no-such-record");
    assert!(e.loc.is_some());
    let e = eval(r#"refine(staff["Ana"].score, 7)"#).expect_err("conflict");
    assert_eq!(e.code, "eval/conflicting-evidence");
    let e = eval(r#"share(staff, staff where team == "nobody")"#).expect_err("empty");
    assert_eq!(e.code, "eval/empty-denominator");
    let e = eval("1 / 0").expect_err("division");
    assert_eq!(e.code, "eval/division-by-zero");
}

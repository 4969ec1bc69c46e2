//! Orderings between dates of the evidence (`[[order]]`): every decided
//! comparison holds in every admissible world, and the comparisons brute
//! force settles are settled.
//!
//! A world gives each date cell one day of its interval; it is admissible
//! when every ordering holds. Random small intervals (around a new year,
//! so `same_year` has something to decide) and random orderings are
//! loaded as a table file, and each comparison of two cells, `days_between`,
//! `same_year`, a filter and each narrowed cell is checked against the
//! enumeration of the admissible worlds.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;
use factcheck::claims::DefSource;
use factcheck::diag::{Diagnostic, Files, Loc};
use factcheck::eval::{Ctx, Value};
use factcheck::evidence::column::{date_of, day_number, days_of};
use factcheck::evidence::{load_from, Evidence};
use factcheck::expr::parser::parse;
use factcheck::interval::{Bound, Tri};
use factcheck::resolve::{Origin, Resolver};
use insta_cmd::assert_cmd_snapshot;
use proptest::prelude::*;

const SOURCES: &str = r#"
[[source]]
id = "registry"
title = "Registry of fictional events (test fixture)"
publisher = "Example"
url = "https://example.org/registry"
date = "2030-01"

[[source]]
id = "chronicle"
title = "Chronicle of fictional events (test fixture)"
publisher = "Example"
url = "https://example.org/chronicle"
date = "2030-02"
"#;

/// A relation between two days.
type Rel = fn(i32, i32) -> bool;

const NAMES: [&str; 3] = ["a", "b", "c"];

/// Gaps an ordering may state, with the whole days each allows for
/// `later − earlier`.
const GAPS: [(Option<&str>, Option<i64>, Option<i64>); 7] = [
    (None, Some(1), None),
    (Some("at least 0 days"), Some(0), None),
    (Some("at least 3 days"), Some(3), None),
    (Some("more than 1 day"), Some(2), None),
    (Some("at most 2 days"), None, Some(2)),
    (Some("less than 4 days"), None, Some(3)),
    (Some("2 days"), Some(2), Some(2)),
];

fn base() -> i32 {
    day_number("2020-12-27".parse().unwrap())
}

fn day(n: i32) -> String {
    date_of(n).unwrap().to_string()
}

fn table(cells: &[(i32, i32)], orders: &[(usize, usize, usize)]) -> String {
    let mut s = String::from(
        "[table]\nname = \"events\"\nkey = \"id\"\n\n[[column]]\nname = \"id\"\ntype = \"text\"\n\n[[column]]\nname = \"day\"\ntype = \"date\"\n",
    );
    for (name, (lo, hi)) in NAMES.iter().zip(cells) {
        let d = if lo == hi {
            day(*lo)
        } else {
            format!("{}..{}", day(*lo), day(*hi))
        };
        s.push_str(&format!(
            "\n[[record]]\nid = \"{name}\"\nday = \"{d}\"\nsources = [\"registry\"]\n"
        ));
    }
    for (e, l, g) in orders {
        s.push_str(&format!(
            "\n[[order]]\nearlier = 'events[\"{}\"].day'\nlater = 'events[\"{}\"].day'\n",
            NAMES[*e], NAMES[*l]
        ));
        if let Some(text) = GAPS[*g].0 {
            s.push_str(&format!("gap = \"{text}\"\n"));
        }
        s.push_str("sources = [\"chronicle\"]\n");
    }
    s
}

fn load(table_text: &str) -> (Evidence, Vec<Diagnostic>) {
    let mut files = Files::default();
    let mut diags = Vec::new();
    let ev = load_from(
        vec![
            ("sources.toml".into(), SOURCES.into()),
            ("events.toml".into(), table_text.into()),
        ],
        &mut files,
        &mut diags,
    );
    (ev, diags)
}

fn eval(ev: &Evidence, src: &str) -> Value {
    eval_citing(ev, src).0
}

/// The value, and the ids of the sources its evaluation cites.
fn eval_citing(ev: &Evidence, src: &str) -> (Value, Vec<String>) {
    let expr = parse(src).expect("parses");
    let mut files = Files::default();
    let file = files.add("expr", src);
    let origin = Origin {
        file,
        base: 0,
        exact: true,
        whole: 0..src.len(),
    };
    // `day_a` … `day_c`: each record's date, as a definition.
    let defs = NAMES
        .iter()
        .map(|n| {
            let body = format!("events[\"{n}\"].day");
            let file = files.add(format!("def {n}"), body.clone());
            let origin = Origin {
                file,
                base: 0,
                exact: true,
                whole: 0..body.len(),
            };
            DefSource {
                name: format!("day_{n}"),
                name_loc: Loc {
                    file,
                    span: 0..body.len(),
                },
                expr: Some(parse(&body).expect("parses")),
                origin,
            }
        })
        .collect();
    let mut resolver = Resolver::new(ev, defs);
    resolver.compile_defs();
    let (node, _) = resolver
        .compile(&expr, &origin)
        .unwrap_or_else(|| panic!("{:?}", resolver.diags));
    let program = resolver.program;
    let d = factcheck::date::parse_date_value("2030-01-01").expect("date");
    let mut ctx = Ctx::new(ev, &program, d, d);
    let v = ctx.eval(&node, None).expect("evaluates");
    let cited = ctx
        .witnesses
        .tally(ev, 10)
        .cited
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, _)| ev.sources[i].id.clone())
        .collect();
    (v, cited)
}

fn truth(ev: &Evidence, src: &str) -> Tri {
    match eval(ev, src) {
        Value::Bool(t) => t,
        v => panic!("{src}: {v:?}"),
    }
}

/// Every admissible world: one day per cell.
fn worlds(cells: &[(i32, i32)], orders: &[(usize, usize, usize)]) -> Vec<[i32; 3]> {
    let mut out = Vec::new();
    for a in cells[0].0..=cells[0].1 {
        for b in cells[1].0..=cells[1].1 {
            for c in cells[2].0..=cells[2].1 {
                let w = [a, b, c];
                let ok = orders.iter().all(|(e, l, g)| {
                    let d = i64::from(w[*l] - w[*e]);
                    GAPS[*g].1.is_none_or(|lo| d >= lo) && GAPS[*g].2.is_none_or(|hi| d <= hi)
                });
                if ok {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// The truth brute force gives: true in every world, in none, or some.
fn settled(ws: &[[i32; 3]], f: impl Fn(&[i32; 3]) -> bool) -> Tri {
    let yes = ws.iter().filter(|w| f(w)).count();
    if yes == ws.len() {
        Tri::True
    } else if yes == 0 {
        Tri::False
    } else {
        Tri::Unknown
    }
}

fn year(n: i32) -> i16 {
    date_of(n).unwrap().year()
}

fn int(b: Bound) -> Option<i64> {
    match b {
        Bound::Incl(r) => {
            assert!(r.is_integer(), "{r:?}");
            Some(i64::try_from(r.numer()).unwrap())
        }
        Bound::Excl(_) => panic!("days between are closed"),
        Bound::Unbounded => None,
    }
}

fn cells() -> impl Strategy<Value = Vec<(i32, i32)>> {
    prop::collection::vec((0..10i32, 0..6i32), 3).prop_map(|v| {
        v.into_iter()
            .map(|(lo, len)| (base() + lo, base() + lo + len))
            .collect()
    })
}

fn orders() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0..3usize, 0..3usize, 0..GAPS.len()), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn orderings_decide_what_every_admissible_world_agrees_on(
        cells in cells(),
        orders in orders(),
    ) {
        let (ev, diags) = load(&table(&cells, &orders));
        let ws = worlds(&cells, &orders);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        if ws.is_empty() {
            // Each ordering that contradicts those before it is reported.
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|c| *c == "evidence/order-contradiction"), "{:?}", errors);
            return Ok(());
        }
        prop_assert!(errors.is_empty(), "{:?}", diags);
        // Each cell narrowed to exactly the days some world gives it.
        for (i, name) in NAMES.iter().enumerate() {
            let Value::Date(d) = eval(&ev, &format!("events[\"{name}\"].day")) else {
                panic!("a date");
            };
            let lo = ws.iter().map(|w| w[i]).min().unwrap();
            let hi = ws.iter().map(|w| w[i]).max().unwrap();
            prop_assert_eq!(days_of(&d), (lo, hi), "cell {}", name);
        }
        let linked = |i: usize| orders.iter().any(|(e, l, _)| *e == i || *l == i);
        // A cell compared with itself is settled only when an ordering
        // links it (without one, the comparison reads two intervals, as
        // it always has): elsewhere, exact.
        let exact = |got: Tri, want: Tri, i: usize, j: usize| {
            got == want || (i == j && !linked(i) && got == Tri::Unknown)
        };
        for (i, x) in NAMES.iter().enumerate() {
            for (j, y) in NAMES.iter().enumerate() {
                let (a, b) = (format!("events[\"{x}\"].day"), format!("events[\"{y}\"].day"));
                let ops: [(&str, Rel); 6] = [
                    ("<", |p, q| p < q),
                    ("<=", |p, q| p <= q),
                    (">", |p, q| p > q),
                    (">=", |p, q| p >= q),
                    ("==", |p, q| p == q),
                    ("!=", |p, q| p != q),
                ];
                for (op, f) in ops {
                    let got = truth(&ev, &format!("{a} {op} {b}"));
                    let want = settled(&ws, |w| f(w[i], w[j]));
                    prop_assert!(exact(got, want, i, j), "{} {} {}: {:?}, not {:?}", x, op, y, got, want);
                    // Through definitions, and inside a filter with the
                    // record in scope on the left (the other date as a
                    // record's field, then as a definition, which the
                    // filter reads a column at a time unless it is linked).
                    let got = truth(&ev, &format!("day_{x} {op} day_{y}"));
                    prop_assert!(exact(got, want, i, j), "day_{} {} day_{}: {:?}", x, op, y, got);
                    for other in [b.clone(), format!("day_{y}")] {
                        let count = eval(&ev, &format!("count(events where id == \"{x}\" and day {op} {other})"));
                        let Value::Num(iv, _) = count else { panic!("a count") };
                        let want_count = match want {
                            Tri::True => (Some(1), Some(1)),
                            Tri::False => (Some(0), Some(0)),
                            Tri::Unknown => (Some(0), Some(1)),
                        };
                        let got_count = (int(iv.lo()), int(iv.hi()));
                        prop_assert!(
                            got_count == want_count || (i == j && !linked(i) && got_count == (Some(0), Some(1))),
                            "filter {} {} {}: {:?}", x, op, other, got_count
                        );
                    }
                }
                let Value::Num(iv, _) = eval(&ev, &format!("days_between({a}, {b})")) else {
                    panic!("a number");
                };
                let lo = ws.iter().map(|w| i64::from(w[j] - w[i])).min();
                let hi = ws.iter().map(|w| i64::from(w[j] - w[i])).max();
                let got = (int(iv.lo()), int(iv.hi()));
                if i == j && !linked(i) {
                    prop_assert!(got.0 <= lo && got.1 >= hi, "days_between({}, {}): {:?}", x, y, got);
                } else {
                    prop_assert_eq!(got, (lo, hi), "days_between({}, {})", x, y);
                }
                let got = truth(&ev, &format!("same_year({a}, {b})"));
                let want = settled(&ws, |w| year(w[i]) == year(w[j]));
                prop_assert!(exact(got, want, i, j), "same_year({}, {}): {:?}, not {:?}", x, y, got, want);
            }
        }
    }
}

#[test]
fn a_departure_known_to_the_year_is_before_a_publication_known_to_the_month() {
    // Lee left Acme some day of 2017; the report came out in December
    // 2017; the chronicle says Lee had left before it came out.
    let cells = [
        (
            day_number("2017-01-01".parse().unwrap()),
            day_number("2017-12-31".parse().unwrap()),
        ),
        (
            day_number("2017-12-01".parse().unwrap()),
            day_number("2017-12-31".parse().unwrap()),
        ),
        (base(), base()),
    ];
    let (plain, diags) = load(&table(&cells, &[]));
    assert!(diags.is_empty(), "{diags:?}");
    let claim = r#"events["a"].day < events["b"].day"#;
    assert_eq!(truth(&plain, claim), Tri::Unknown);
    let (ordered, diags) = load(&table(&cells, &[(0, 1, 0)]));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(truth(&ordered, claim), Tri::True);
    assert_eq!(
        truth(&ordered, r#"events["a"].day >= events["b"].day"#),
        Tri::False
    );
    // Lee's departure, narrowed to 2017-01-01..2017-12-30 by the
    // ordering, now cites the chronicle too (the ordering's source); the
    // report's date, which the ordering does not narrow, and the third
    // record, in no ordering, do not.
    let t = &ordered.tables[0];
    let cited = |row: u32| -> Vec<&str> {
        t.sources_of(row)
            .iter()
            .map(|s| ordered.sources[*s].id.as_str())
            .collect()
    };
    assert_eq!(cited(0), ["registry", "chronicle"]);
    assert_eq!(cited(1), ["registry"]);
    assert_eq!(
        eval_citing(&ordered, claim),
        (
            Value::Bool(Tri::True),
            vec!["registry".into(), "chronicle".into()]
        )
    );
    assert_eq!(cited(2), ["registry"]);
}

#[test]
fn without_orderings_nothing_is_linked() {
    let cells = [(base(), base() + 3), (base(), base() + 3), (base(), base())];
    let (ev, diags) = load(&table(&cells, &[]));
    assert!(diags.is_empty(), "{diags:?}");
    assert!(ev.orders.is_empty());
    assert_eq!(
        truth(&ev, r#"events["a"].day == events["a"].day"#),
        Tri::Unknown
    );
}

const FIXTURE: &str = "tests/fixtures/order";

/// The fictional Widget Works: Quill left in 2017, the report came out in
/// December 2017, and a history says Quill had left by then. "Quill left
/// before the report" is supported, citing the history, and the reason
/// says what the ordering settled; Sable's departure (November 2017 to
/// January 2018) is not ordered, so hers stays undetermined.
#[test]
fn verify_cites_the_ordering() {
    assert_cmd_snapshot!(factcheck().args([
        "verify",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
    ]));
}

/// Quill's departure, narrowed by the ordering to 2017-01-01..2017-12-30,
/// moves the day "Quill is gone" becomes supported from 2017-12-31 (the
/// year's last day) to 2017-12-30: change points come from the narrowed
/// dates.
#[test]
fn timeline_reads_the_narrowed_dates() {
    assert_cmd_snapshot!(factcheck().args([
        "timeline",
        "--evidence",
        &format!("{FIXTURE}/evidence"),
        &format!("{FIXTURE}/claims.toml"),
        "--claim",
        "quill-gone",
    ]));
}

#[test]
fn a_link_that_narrows_nothing_is_cited_when_it_settles_a_comparison() {
    // a in days 0..9, b in days 1..10, a before b: neither interval
    // narrows, yet a < b holds in every admissible world.
    let cells = [
        (base(), base() + 9),
        (base() + 1, base() + 10),
        (base(), base()),
    ];
    let (ev, diags) = load(&table(&cells, &[(0, 1, 0)]));
    assert!(diags.is_empty(), "{diags:?}");
    let t = &ev.tables[0];
    for row in 0..3 {
        assert_eq!(t.sources_of(row).len(), 1, "record {row} cites one source");
    }
    let (v, cited) = eval_citing(&ev, r#"events["a"].day < events["b"].day"#);
    assert_eq!(v, Value::Bool(Tri::True));
    assert_eq!(cited, ["registry", "chronicle"]);
    // A comparison the intervals settle alone does not cite it.
    let (v, cited) = eval_citing(&ev, r#"events["c"].day < events["b"].day"#);
    assert_eq!(v, Value::Bool(Tri::True));
    assert_eq!(cited, ["registry"]);
}

#[test]
fn a_chain_longer_than_the_bound_is_an_error() {
    // 66 undated events ordered one after the other: one group of 66
    // linked cells, more than MAX_LINKED.
    let n = factcheck::evidence::order::MAX_LINKED + 2;
    let mut s = String::from(
        "[table]\nname = \"events\"\nkey = \"id\"\n\n[[column]]\nname = \"id\"\ntype = \"text\"\n\n[[column]]\nname = \"day\"\ntype = \"date\"\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n[[record]]\nid = \"e{i}\"\nday = \"unknown\"\nsources = [\"registry\"]\n"
        ));
    }
    for i in 1..n {
        s.push_str(&format!(
            "\n[[order]]\nearlier = 'events[\"e{}\"].day'\nlater = 'events[\"e{i}\"].day'\nsources = [\"chronicle\"]\n",
            i - 1
        ));
    }
    let (ev, diags) = load(&s);
    let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["evidence/order-too-large"]);
    assert!(ev.orders.is_empty());
    // One fewer cell in the chain is within the bound.
    let cut = s.rfind("\n[[order]]").unwrap();
    let cut = s[..cut].rfind("\n[[order]]").unwrap();
    let (ev, diags) = load(&s[..cut]);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(!ev.orders.is_empty());
    assert_eq!(
        truth(&ev, r#"events["e0"].day < events["e63"].day"#),
        Tri::True
    );
    // Undated, strictly ordered: at least 63 days apart, at most anything.
    let apart = r#"days_between(events["e0"].day, events["e63"].day)"#;
    assert_eq!(truth(&ev, &format!("{apart} >= 63 days")), Tri::True);
    assert_eq!(truth(&ev, &format!("{apart} >= 64 days")), Tri::Unknown);
}

/// With orderings too, `timeline` is exact: on every day from mid-2016 to
/// mid-2019, the verdict it gives is the one `verify --as-of` gives.
#[test]
fn timeline_agrees_with_verify_on_every_day() {
    use factcheck::date::parse_date_value;
    use factcheck::engine::{timeline, verify, NoProgress, Options, Selection, Workspace};
    let ws = || {
        Workspace::from_dirs(Options {
            paths: vec![std::path::Path::new(FIXTURE).join("claims.toml")],
            evidence: std::path::Path::new(FIXTURE).join("evidence"),
            ..Options::default()
        })
    };
    let ids = vec!["quill-gone".to_string(), "two-gone".to_string()];
    let sel = Selection {
        claim_ids: ids.clone(),
        as_of: None,
    };
    let t =
        timeline(&ws(), &sel, &mut NoProgress).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    assert_eq!(t.claims.len(), 2);
    let mut day = parse_date_value("2016-06-01").unwrap().lo.unwrap();
    let ws = ws();
    for _ in 0..(3 * 365) {
        let d = day.to_string();
        let at = Selection {
            claim_ids: ids.clone(),
            as_of: Some(parse_date_value(&d).unwrap()),
        };
        let v = verify(&ws, &at, &mut NoProgress).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
        for claim in &t.claims {
            let period = claim
                .periods
                .iter()
                .find(|p| {
                    p.from.as_deref().is_none_or(|f| f <= d.as_str())
                        && p.to.as_deref().is_none_or(|t| d.as_str() <= t)
                })
                .expect("every day is covered");
            let judged = v.report.claims.iter().find(|c| c.id == claim.id).unwrap();
            assert_eq!(judged.verdict, period.verdict, "{} on {d}", claim.id);
        }
        day = day.tomorrow().unwrap();
    }
}

//! Soundness against brute force, with every kind of uncertainty at once
//! (issue 12, "Done when"): on small random tables whose records are of
//! unknown membership, whose dates are ranges, and whose dates sources
//! dispute (`[[alternative]]`), every admissible world is enumerated (each
//! unknown membership decided, each disputed date given one reading, each
//! date range one day), and `count`, `share`, `mean`, `min` and `max` of a
//! filtered set are computed in each.
//!
//! The real engine is driven through the library. For every measure:
//! - the value reported contains every world's value (under every reading
//!   of the disputed dates), and "no records" is admitted exactly when some
//!   world has none;
//! - where the README promises exactness (`count` and `share`: "computed
//!   exactly from counts"), the reported bounds are achieved by some world;
//! - the verdict is `supported` only when every world satisfies the
//!   statement and `refuted` only when none does; and for the measures
//!   computed exactly, `undetermined` only when the worlds disagree.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::engine::{verify, NoProgress, Selection, Workspace};
use factcheck::num::Rational;
use factcheck::verdict::{ClaimVerdict, Verdict};
use proptest::prelude::*;

const SOURCES: &str = r#"
[[source]]
id = "s"
title = "Synthetic register (test fixture)"
publisher = "Example"
url = "https://example.org/s"
date = "2021-01-01"

[[source]]
id = "other"
title = "A synthetic source that disagrees (test fixture)"
publisher = "Example"
url = "https://example.org/other"
date = "2021-02-01"
"#;

const TABLE: &str = r#"
[table]
name = "t"
description = "Synthetic records of uncertain membership and dates."
key = "name"
csv = "t.csv"

[[column]]
name = "name"
type = "text"

[[column]]
name = "score"
type = "integer"

[[column]]
name = "member"
type = "boolean"

[[column]]
name = "day"
type = "date"
"#;

/// The day the filter compares with: `day <= CUT`.
const CUT: &str = "2020-06-15";

/// Dates a cell (or a reading of it) may hold, as the days of June 2020
/// it allows: two single days either side of the cut, and the whole month
/// (which straddles it).
const DATES: [(&str, u32, u32); 4] = [
    ("2020-06-10", 10, 10),
    ("2020-06-20", 20, 20),
    ("2020-06", 1, 30),
    ("2020-06-15", 15, 15),
];

/// A record: its score, its membership (`None`: unknown), its date and
/// the date another source gives instead (an `[[alternative]]`).
#[derive(Debug, Clone)]
struct Rec {
    score: i32,
    member: Option<bool>,
    day: usize,
    alternative: Option<usize>,
}

fn record() -> impl Strategy<Value = Rec> {
    (
        -3i32..=3,
        prop_oneof![Just(Some(true)), Just(Some(false)), Just(None)],
        0..DATES.len(),
        proptest::option::weighted(0.4, 0..DATES.len()),
    )
        .prop_map(|(score, member, day, alternative)| Rec {
            score,
            member,
            day,
            alternative,
        })
}

/// The measures checked, each with a statement: (id, measure, statement).
fn measures(k: i32) -> Vec<(String, String, String)> {
    let set = format!("t where member and day <= date(\"{CUT}\")");
    let mut out = vec![
        (
            "count".to_string(),
            format!("count({set})"),
            format!("at least {}", k.rem_euclid(4)),
        ),
        (
            "share".to_string(),
            format!("share({set}, t)"),
            format!("at least {}%", 25 * k.rem_euclid(5)),
        ),
    ];
    for kind in ["mean", "min", "max"] {
        out.push((
            kind.to_string(),
            format!("{kind}({set}, score)"),
            format!("at least {k}"),
        ));
    }
    out
}

/// Every admissible world when record `i`'s date reads `days[i]` (an
/// index into [`DATES`]): whether each record is in the set.
fn worlds_under(recs: &[Rec], days: &[usize]) -> Vec<Vec<bool>> {
    // Per record, the memberships it can take (each day of its date, each
    // membership); records are independent (each reads its own cells).
    let cut = 15;
    let options: Vec<Vec<bool>> = recs
        .iter()
        .zip(days)
        .map(|(r, day)| {
            let mut can = Vec::new();
            let members: &[bool] = match r.member {
                Some(true) => &[true],
                Some(false) => &[false],
                None => &[true, false],
            };
            let (_, lo, hi) = DATES[*day];
            for day in lo..=hi {
                for m in members {
                    let inside = *m && day <= cut;
                    if !can.contains(&inside) {
                        can.push(inside);
                    }
                }
            }
            can
        })
        .collect();
    let mut all = vec![Vec::new()];
    for opts in &options {
        let mut next = Vec::new();
        for w in &all {
            for o in opts {
                let mut w2: Vec<bool> = w.clone();
                w2.push(*o);
                next.push(w2);
            }
        }
        all = next;
    }
    all
}

/// Every admissible world under every reading of the disputed dates.
fn worlds(recs: &[Rec]) -> Vec<Vec<bool>> {
    let mut readings: Vec<Vec<usize>> = vec![Vec::new()];
    for r in recs {
        let mut next = Vec::new();
        for days in &readings {
            for d in std::iter::once(r.day).chain(r.alternative) {
                let mut d2 = days.clone();
                d2.push(d);
                next.push(d2);
            }
        }
        readings = next;
    }
    readings
        .iter()
        .flat_map(|days| worlds_under(recs, days))
        .collect()
}

/// The dates a reading reported by the engine gives each record
/// (`t["r0"].day = 2020-06 (sources other)`); the recorded date for a
/// record it does not list.
fn reading_days(recs: &[Rec], values: &[String]) -> Vec<usize> {
    let mut days: Vec<usize> = recs.iter().map(|r| r.day).collect();
    for v in values {
        let (cell, rest) = v.split_once(" = ").unwrap();
        let i: usize = cell
            .trim_start_matches("t[\"r")
            .trim_end_matches("\"].day")
            .parse()
            .unwrap();
        let date = rest.split(" (").next().unwrap();
        days[i] = DATES.iter().position(|d| d.0 == date).unwrap();
    }
    days
}

/// Check a verdict against the values of the admissible worlds: decided
/// only when every world agrees; for the measures computed exactly,
/// undetermined only when they disagree.
fn check_verdict(
    verdict: Verdict,
    id: &str,
    statement: &str,
    values: &[Option<Rational>],
    ctx: &str,
) -> Result<(), TestCaseError> {
    let sat = values.iter().filter(|x| holds(statement, **x)).count();
    match verdict {
        Verdict::Supported => prop_assert_eq!(sat, values.len(), "{}", ctx),
        Verdict::Refuted => prop_assert_eq!(sat, 0, "{}", ctx),
        Verdict::Undetermined => {
            if exact_kind(id) {
                prop_assert!(sat > 0 && sat < values.len(), "not exact: {}", ctx);
            }
        }
        other => prop_assert!(false, "verdict {:?}: {}", other, ctx),
    }
    Ok(())
}

/// The value of measure `kind` in a world (`None`: no records).
fn value(kind: &str, recs: &[Rec], world: &[bool]) -> Option<Rational> {
    let scores: Vec<i128> = recs
        .iter()
        .zip(world)
        .filter(|(_, inside)| **inside)
        .map(|(r, _)| i128::from(r.score))
        .collect();
    let n = scores.len() as i128;
    match kind {
        "count" => Some(Rational::from_int(n)),
        "share" => Some(Rational::new(100 * n, recs.len() as i128).unwrap()),
        "min" => scores.iter().min().map(|m| Rational::from_int(*m)),
        "max" => scores.iter().max().map(|m| Rational::from_int(*m)),
        _ => (n > 0).then(|| Rational::new(scores.iter().sum(), n).unwrap()),
    }
}

/// Whether the statement holds of a world's value: "at least X" (with
/// `%` for a share); a statement of a value is false of no records.
fn holds(statement: &str, v: Option<Rational>) -> bool {
    let figure = statement
        .trim_start_matches("at least ")
        .trim_end_matches('%');
    let x = Rational::from_int(figure.parse().unwrap());
    v.is_some_and(|v| v >= x)
}

fn workspace(recs: &[Rec], k: i32) -> Workspace {
    let mut csv = String::from("name,score,member,day,sources\n");
    let mut table = String::from(TABLE);
    for (i, r) in recs.iter().enumerate() {
        let m = match r.member {
            Some(true) => "true",
            Some(false) => "false",
            None => "unknown",
        };
        csv.push_str(&format!("r{i},{},{m},{},s\n", r.score, DATES[r.day].0));
        if let Some(a) = r.alternative {
            table.push_str(&format!(
                "\n[[alternative]]\ncell = 't[\"r{i}\"].day'\nvalue = \"{}\"\nsources = [\"other\"]\n",
                DATES[a].0
            ));
        }
    }
    let mut claims = String::from(
        "[article]\nid = \"a\"\ntitle = \"a\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n",
    );
    for (id, measure, states) in measures(k) {
        claims.push_str(&format!(
            "\n[[claim]]\nid = \"{id}\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = '{measure}'\nstates = \"{states}\"\n"
        ));
    }
    Workspace::in_memory()
        .with_evidence("ev/sources.toml", SOURCES)
        .with_evidence("ev/t.toml", table)
        .with_evidence("ev/t.csv", csv)
        .with_claim_file("claims/a.toml", claims)
}

/// Whether the README promises the exact achievable values of a measure
/// of uncertain membership: counts, shares, and the least and greatest
/// of whole numbers (with 0 certainly in the set and 1 possibly, the
/// minimum is 0 in every world, not [0, 1]). `mean` is only "bounded by
/// the values it averages".
fn exact_kind(id: &str) -> bool {
    matches!(id, "count" | "share" | "min" | "max")
}

/// An exact end of a JSON interval (`"550/7"`, `"-3"`).
fn exact(s: &str) -> Rational {
    match s.split_once('/') {
        Some((n, d)) => Rational::new(n.parse().unwrap(), d.parse().unwrap()).unwrap(),
        None => Rational::from_int(s.parse().unwrap()),
    }
}

/// The reported interval: (lo, lo inclusive, hi, hi inclusive), and
/// whether "no records" is admitted; `None` for the interval when the
/// value is only "no records".
type Reported = (Option<(Rational, bool, Rational, bool)>, bool);

fn reported(v: &ClaimVerdict) -> Reported {
    let computed = v.computed.as_ref().expect("a computed value");
    let json = serde_json::to_value(computed).unwrap();
    let no_records = computed.kind == "none" || computed.display.contains("no records");
    let interval = json.get("interval").filter(|i| !i.is_null()).map(|i| {
        (
            exact(i["lo_exact"].as_str().unwrap()),
            i["lo_inclusive"].as_bool().unwrap(),
            exact(i["hi_exact"].as_str().unwrap()),
            i["hi_inclusive"].as_bool().unwrap(),
        )
    });
    (interval, no_records)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_world_is_admitted_and_verdicts_need_every_world(
        recs in proptest::collection::vec(record(), 1..=4),
        k in -3i32..=4,
    ) {
        let ws = workspace(&recs, k);
        let verified = verify(&ws, &Selection::default(), &mut NoProgress)
            .map_err(|f| f.diagnostics)
            .expect("valid input");
        let all = worlds(&recs);
        let recorded: Vec<usize> = recs.iter().map(|r| r.day).collect();
        let under_recorded = worlds_under(&recs, &recorded);
        prop_assert_eq!(verified.report.claims.len(), 5);
        for (v, (_, _, states)) in verified.report.claims.iter().zip(measures(k)) {
            let values_in = |ws: &[Vec<bool>]| -> Vec<Option<Rational>> {
                ws.iter().map(|w| value(&v.id, &recs, w)).collect()
            };
            let ctx = format!("{}: {:?} k={} → {:?} {:?}", v.id, recs, k, v.computed, v.verdict);
            // The verdict, over every world of every reading.
            check_verdict(v.verdict, &v.id, &states, &values_in(&all), &ctx)?;
            // Each reading's verdict, over the worlds of that reading.
            // (None is listed when the disputed cells do not matter to it:
            // a record certainly out of the set is never read.)
            for r in &v.readings {
                let days = reading_days(&recs, &r.values);
                let ctx = format!("{ctx} under {:?}", r.values);
                check_verdict(r.verdict, &v.id, &states, &values_in(&worlds_under(&recs, &days)), &ctx)?;
            }
            // The value reported is the one under the recorded reading.
            let values = values_in(&under_recorded);
            let (interval, no_records) = reported(v);
            let some_empty = values.iter().any(Option::is_none);
            prop_assert_eq!(no_records, some_empty, "{}", ctx);
            let present: Vec<Rational> = values.iter().flatten().copied().collect();
            let Some((lo, lo_in, hi, hi_in)) = interval else {
                prop_assert!(present.is_empty(), "{}", ctx);
                continue;
            };
            for x in &present {
                let above = if lo_in { *x >= lo } else { *x > lo };
                let below = if hi_in { *x <= hi } else { *x < hi };
                prop_assert!(above && below, "{} outside: {}", x, ctx);
            }
            if exact_kind(&v.id) {
                let least = present.iter().min().unwrap();
                let most = present.iter().max().unwrap();
                prop_assert!(lo_in && hi_in && *least == lo && *most == hi, "not tight: {}", ctx);
            }
        }
    }
}

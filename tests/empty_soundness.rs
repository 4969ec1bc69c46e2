//! Soundness of mean, min and max over sets of uncertain membership,
//! against brute force: on small random tables whose records belong to the
//! set certainly, not at all, or unknown, every admissible world (each
//! unknown membership decided either way) is enumerated and the aggregate
//! computed in it. The reported value must contain every world's value,
//! and admit "no records" exactly when some world has none (certainly no
//! records exactly when every world has none).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::engine::{verify, NoProgress, Selection, Workspace};
use factcheck::num::Rational;
use proptest::prelude::*;

const SOURCES: &str = r#"
[[source]]
id = "s"
title = "Synthetic"
publisher = "Test"
url = "https://example.org/s"
date = "2020-01-01"
"#;

const TABLE: &str = r#"
[table]
name = "t"
description = "Synthetic records of uncertain membership."
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

/// A record: its score and whether it is in the set (`None`: unknown).
type Rec = (i32, Option<bool>);

fn record() -> impl Strategy<Value = Rec> {
    (
        -6i32..=6,
        prop_oneof![Just(Some(true)), Just(Some(false)), Just(None)],
    )
}

/// The aggregate in one world (the members' scores), `None` with none.
fn brute(kind: &str, scores: &[i32]) -> Option<Rational> {
    let ints = scores.iter().map(|s| i128::from(*s));
    match kind {
        "min" => ints.min().map(Rational::from_int),
        "max" => ints.max().map(Rational::from_int),
        _ => {
            if scores.is_empty() {
                return None;
            }
            let sum: i128 = ints.sum();
            Some(Rational::new(sum, scores.len() as i128).unwrap())
        }
    }
}

/// Every world's value of `kind` over the records.
fn worlds(kind: &str, recs: &[Rec]) -> Vec<Option<Rational>> {
    let unknown: Vec<usize> = (0..recs.len()).filter(|i| recs[*i].1.is_none()).collect();
    (0..(1u32 << unknown.len()))
        .map(|bits| {
            let scores: Vec<i32> = recs
                .iter()
                .enumerate()
                .filter(|(i, (_, m))| match m {
                    Some(b) => *b,
                    None => {
                        let k = unknown.iter().position(|u| u == i).unwrap();
                        bits & (1 << k) != 0
                    }
                })
                .map(|(_, (s, _))| *s)
                .collect();
            brute(kind, &scores)
        })
        .collect()
}

/// A record's day: its score as a day of January 2020 (score −6 is the
/// 4th), so the order of days is the order of scores.
fn day_of(score: i32) -> String {
    format!("2020-01-{:02}", score + 10)
}

/// The days a date display admits (`2020-01-04`, `2020-01-04..2020-01-09`,
/// either followed by ` or no records`), as days of January 2020.
fn days_shown(display: &str) -> (i32, i32) {
    let d = display.trim_end_matches(" or no records");
    let day = |s: &str| {
        s.trim()
            .strip_prefix("2020-01-")
            .unwrap()
            .parse::<i32>()
            .unwrap()
    };
    match d.split_once("..") {
        Some((a, b)) => (day(a), day(b)),
        None => (day(d), day(d)),
    }
}

fn workspace(recs: &[Rec]) -> Workspace {
    let mut csv = String::from("name,score,member,day,sources\n");
    for (i, (score, member)) in recs.iter().enumerate() {
        let m = match member {
            Some(true) => "true",
            Some(false) => "false",
            None => "unknown",
        };
        csv.push_str(&format!("r{i},{score},{m},{},s\n", day_of(*score)));
    }
    let mut claims = String::from(
        "[article]\nid = \"a\"\ntitle = \"a\"\nurl = \"https://example.org/a\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n",
    );
    for kind in ["mean", "min", "max"] {
        claims.push_str(&format!(
            "\n[[claim]]\nid = \"{kind}\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = '{kind}(t where member, score)'\nstates = \"no records\"\n"
        ));
    }
    for kind in ["min", "max"] {
        claims.push_str(&format!(
            "\n[[claim]]\nid = \"{kind}-day\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = '{kind}(t where member, day)'\nstates = \"no records\"\n"
        ));
    }
    Workspace::in_memory()
        .with_evidence("ev/sources.toml", SOURCES)
        .with_evidence("ev/t.toml", TABLE)
        .with_evidence("ev/t.csv", csv)
        .with_claim_file("claims/a.toml", claims)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mean_min_max_contain_every_world(recs in proptest::collection::vec(record(), 0..=5)) {
        let ws = workspace(&recs);
        let verified = verify(&ws, &Selection::default(), &mut NoProgress)
            .map_err(|f| f.diagnostics)
            .expect("valid input");
        for v in &verified.report.claims {
            let all = worlds(v.id.trim_end_matches("-day"), &recs);
            let computed = v.computed.as_ref().expect("a computed value");
            let some_empty = all.iter().any(Option::is_none);
            let all_empty = all.iter().all(Option::is_none);
            if all_empty {
                prop_assert_eq!(computed.kind, "none", "{}: {:?} {:?}", v.id, recs, computed);
                prop_assert_eq!(v.verdict.label(), "supported");
                continue;
            }
            prop_assert_eq!(
                computed.display.ends_with("or no records"),
                some_empty,
                "{}: {:?} {:?}", v.id, recs, computed
            );
            // "no records" is stated: right in some worlds only.
            let expected = if some_empty { "undetermined" } else { "refuted" };
            prop_assert_eq!(v.verdict.label(), expected, "{}: {:?}", v.id, recs);
            if v.id.ends_with("-day") {
                // The days shown contain every world's day (score + 10).
                let (lo, hi) = days_shown(&computed.display);
                for x in all.iter().flatten() {
                    let day = x.checked_add(Rational::from_int(10)).unwrap();
                    let (lo, hi) = (Rational::from_int(i128::from(lo)), Rational::from_int(i128::from(hi)));
                    prop_assert!(lo <= day && day <= hi, "{}: {:?} gives day {:?}, outside {}", v.id, recs, day, computed.display);
                }
                continue;
            }
            let iv = computed.interval.expect("a number");
            for x in all.iter().flatten() {
                prop_assert!(iv.contains(*x), "{}: {:?} gives {:?}, outside {:?}", v.id, recs, x, iv);
            }
        }
    }
}

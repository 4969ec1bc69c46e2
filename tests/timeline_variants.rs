//! `timeline` judges a claim as `verify` does on every day, also when its
//! measure reads cells that sources disagree on (`[[alternative]]`) or that
//! the evidence infers (`[[inference]]`): each day's verdict is the one
//! `verify --as-of` that day gives (with and without `--no-inferences`).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::path::Path;

use factcheck::date::parse_date_value;
use factcheck::engine::{timeline, verify, NoProgress, Options, Selection, Workspace};
use factcheck::verdict::Verdict;

const FIXTURE: &str = "tests/fixtures/timeline-variants";

fn workspace(sourced_only: bool) -> Workspace {
    Workspace::from_dirs(Options {
        paths: vec![Path::new(FIXTURE).join("claims.toml")],
        evidence: Path::new(FIXTURE).join("evidence"),
        ..Options::default()
    })
    .with_sourced_only(sourced_only)
}

#[test]
fn timeline_agrees_with_verify_on_every_day_with_alternatives_and_inferences() {
    for sourced_only in [false, true] {
        let ws = workspace(sourced_only);
        let t = timeline(&ws, &Selection::default(), &mut NoProgress)
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
        assert_eq!(t.claims.len(), 4);
        let mut seen = std::collections::BTreeSet::new();
        // Every day from before the first spell to after the last end.
        let mut day = parse_date_value("2015-01-01").unwrap().lo.unwrap();
        let last = parse_date_value("2024-03-01").unwrap().lo.unwrap();
        while day <= last {
            let d = day.to_string();
            let at = Selection {
                claim_ids: Vec::new(),
                as_of: Some(parse_date_value(&d).unwrap()),
            };
            let v =
                verify(&ws, &at, &mut NoProgress).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
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
                assert_eq!(
                    judged.verdict, period.verdict,
                    "{} on {d} (sourced only: {sourced_only})",
                    claim.id
                );
                seen.insert((claim.id.clone(), judged.verdict));
            }
            // Every day is checked around the changes; far from them a
            // week at a time (the verdict cannot change between them).
            let near = [
                "2015-0", "2016-0", "2017-01", "2020-05", "2021-1", "2022-0", "2023-1",
            ]
            .iter()
            .any(|p| d.starts_with(p));
            for _ in 0..(if near { 1 } else { 7 }) {
                day = day.tomorrow().unwrap();
            }
        }
        // The readings and the inference decide something: the fixture
        // is not trivially agreed on. (Without the inference, Bram's
        // spell may have ended before it began: never certainly there.)
        if sourced_only {
            assert!(!seen.contains(&("bram-there".to_string(), Verdict::Supported)));
            continue;
        }
        for id in ["ada-there", "bram-there", "all-gone"] {
            assert!(
                seen.contains(&(id.to_string(), Verdict::Undetermined)),
                "{id} never undetermined"
            );
            assert!(seen.contains(&(id.to_string(), Verdict::Supported)), "{id}");
        }
    }
}

#[test]
fn a_disputed_end_splits_the_timeline_where_the_readings_disagree() {
    let t = timeline(&workspace(false), &Selection::default(), &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let ada = t.claims.iter().find(|c| c.id == "ada-there").unwrap();
    let runs: Vec<(Option<&str>, Option<&str>, Verdict)> = ada
        .periods
        .iter()
        .map(|p| (p.from.as_deref(), p.to.as_deref(), p.verdict))
        .collect();
    // The roster ends her spell in November 2021, the gazette in March
    // 2022: from the first day either reading leaves her possibly gone
    // to the last day the gazette's does.
    assert_eq!(
        runs,
        [
            (None, Some("2015-02-28"), Verdict::Refuted),
            (Some("2015-03-01"), Some("2021-10-31"), Verdict::Supported),
            (
                Some("2021-11-01"),
                Some("2022-03-30"),
                Verdict::Undetermined
            ),
            (Some("2022-03-31"), None, Verdict::Refuted),
        ]
    );
}

//! The library pipeline on the seed article and on hostile input.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use factcheck::date::parse_date_value;
use factcheck::engine::{verify, Failed, NoProgress, Options, Selection, Verified, Workspace};
use factcheck::verdict::Verdict;

fn seed() -> Options {
    Options {
        paths: vec![PathBuf::from("claims")],
        evidence: PathBuf::from("evidence"),
        // Quotes are anchored when the seed text is beside the repository;
        // the verdicts do not depend on it.
        article_text: Some(PathBuf::from("../shared/seeds/000_97c7157fc1298784.txt"))
            .filter(|p| p.is_file()),
        ..Options::default()
    }
}

/// Verify the files of `opts`, all claims.
fn run(opts: &Options) -> Result<Verified, Failed> {
    run_selected(opts, &Selection::default())
}

fn run_selected(opts: &Options, selection: &Selection) -> Result<Verified, Failed> {
    verify(
        &Workspace::from_dirs(opts.clone()),
        selection,
        &mut NoProgress,
    )
}

/// The verdicts of a run that must have no error.
fn verified(run: Result<Verified, Failed>) -> Verified {
    run.unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
}

#[test]
fn seed_verdicts_follow_the_research_sheet() {
    let report = verified(run(&seed())).report;
    let verdicts: BTreeMap<&str, Verdict> = report
        .claims
        .iter()
        .map(|c| (c.id.as_str(), c.verdict))
        .collect();
    let expect = [
        ("paper-has-fourteen-authors", Verdict::Supported),
        ("only-three-remain", Verdict::Supported),
        ("who-remains", Verdict::Supported),
        ("eleven-left", Verdict::Supported),
        ("share-left-78-percent", Verdict::Imprecise),
        ("headline-78-percent", Verdict::Imprecise),
        ("mistral-founded-by-lample-and-lacroix", Verdict::Supported),
        ("pineau-headed-fair-eight-years", Verdict::Refuted),
        ("pineau-led-fair-eight-years", Verdict::Undetermined),
        ("pineau-announced-last-month", Verdict::Supported),
        ("departures-began-january-2023", Verdict::Refuted),
        ("release-freely-available", Verdict::Refuted),
        ("behemoth-delay-announced-by-meta", Verdict::Refuted),
        ("leavers-average-over-five-years", Verdict::Supported),
        ("talent-war", Verdict::NotCheckable),
    ];
    for (id, v) in expect {
        assert_eq!(verdicts.get(id), Some(&v), "claim {id}");
    }
    // Every departed author's destination is checked.
    assert_eq!(
        report
            .claims
            .iter()
            .filter(|c| c.id.starts_with("destination-"))
            .count(),
        11
    );
}

#[test]
fn seed_verdicts_carry_their_reasons() {
    let report = verified(run(&seed())).report;
    let get = |id: &str| report.claims.iter().find(|c| c.id == id).expect(id);
    let share = get("share-left-78-percent");
    assert!(
        share.explanation.starts_with("11 of 14 = 78.571…%"),
        "{}",
        share.explanation
    );
    assert!(share.explanation.contains("truncation gives 78%"));
    assert!(share.explanation.contains("gives 79%"));
    assert_eq!(share.allowed.as_deref(), Some("[77.5%, 78.5%)"));
    // The omitted co-founder is surfaced from the evidence, and the
    // editorial rating sits beside the verdict.
    let mistral = get("mistral-founded-by-lample-and-lacroix");
    assert!(
        mistral.explanation.contains("Arthur Mensch"),
        "{}",
        mistral.explanation
    );
    assert_eq!(
        mistral.rating.as_ref().map(|r| r.rating.as_str()),
        Some("incomplete")
    );
    // Provenance: witnesses and their sources.
    assert!(share
        .witnesses
        .iter()
        .any(|w| w.table == "employment" && w.key == "lample-meta"));
    assert!(share.sources.iter().any(|s| &*s.id == "bi-2025-05-26"));
    // Uncertain evidence stays uncertain: the range is shown.
    let pineau = get("pineau-led-fair-eight-years");
    let computed = pineau.computed.as_ref().expect("computed");
    assert!(!computed.exact);
    assert!(computed.display.starts_with('['), "{}", computed.display);
}

#[test]
fn as_of_is_the_publication_date_not_today_and_never_moves_the_words() {
    let opts = seed();
    let mut selection = Selection {
        claim_ids: vec!["pineau-announced-last-month".into()],
        as_of: None,
    };
    let report = verified(run_selected(&opts, &selection)).report;
    assert_eq!(
        report.claims.first().map(|c| c.as_of.as_str()),
        Some("2025-05-27..2025-05-31")
    );
    assert_eq!(
        report.claims.first().map(|c| c.verdict),
        Some(Verdict::Supported)
    );
    // Judged later, the claim is checked in the world of July 2025, but
    // the article's "last month" still counts from its own date: April.
    selection.as_of = Some(parse_date_value("2025-07-02").expect("date"));
    let report = verified(run_selected(&opts, &selection)).report;
    let claim = report.claims.first().expect("claim");
    assert_eq!(claim.as_of, "2025-07-02");
    assert_eq!(claim.said_on.as_deref(), Some("2025-05-27..2025-05-31"));
    assert_eq!(claim.allowed.as_deref(), Some("2025-04"));
    assert_eq!(claim.verdict, Verdict::Supported);
}

fn temp_case(name: &str, measure: &str) -> (PathBuf, Options) {
    let dir = std::env::temp_dir().join(format!("factcheck-test-{}-{name}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let claims = dir.join("claims.toml");
    let text = format!(
        "[article]\nid = \"t\"\ntitle = \"t\"\nurl = \"https://example.org/t\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n\n[[claim]]\nid = \"deep\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = '{measure}'\nstates = \"4\"\n"
    );
    std::fs::write(&claims, text).expect("write");
    let opts = Options {
        paths: vec![claims],
        evidence: PathBuf::from("tests/fixtures/toy/evidence"),
        article_text: None,
        ..Options::default()
    };
    (dir, opts)
}

#[test]
fn nesting_within_the_limit_evaluates() {
    let measure = format!("{}count(staff){}", "(".repeat(60), ")".repeat(60));
    let (dir, opts) = temp_case("ok", &measure);
    let out = run(&opts);
    let _ = std::fs::remove_dir_all(dir);
    assert_eq!(verified(out).report.claims.len(), 1);
}

#[test]
fn nesting_thousands_deep_is_a_located_error_not_a_crash() {
    for (name, measure) in [
        (
            "parens",
            format!("{}count(staff){}", "(".repeat(5000), ")".repeat(5000)),
        ),
        (
            "nots",
            format!("count(staff where {}true)", "not ".repeat(5000)),
        ),
        ("lists", format!("count({}", "[".repeat(5000))),
    ] {
        let (dir, opts) = temp_case(name, &measure);
        let out = run(&opts);
        let _ = std::fs::remove_dir_all(dir);
        // No report, and errors.
        let out = out.expect_err(name);
        assert!(out.diagnostics.iter().any(|d| d.is_error()), "{name}");
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.code == "claim/syntax")
            .expect("syntax diagnostic");
        assert!(
            d.message.contains("nested more than"),
            "{name}: {}",
            d.message
        );
        assert!(d.primary.is_some(), "{name}: diagnostic is located");
    }
}

#[test]
fn large_witness_sets_are_counted_and_sampled() {
    let dir = std::env::temp_dir().join(format!("factcheck-test-{}-witnesses", std::process::id()));
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).expect("mkdir");
    std::fs::write(
        ev.join("sources.toml"),
        "[[source]]\nid = \"a\"\ntitle = \"t\"\npublisher = \"p\"\nurl = \"https://example.org/a\"\ndate = \"2024\"\n\n[[source]]\nid = \"b\"\ntitle = \"t\"\npublisher = \"p\"\nurl = \"https://example.org/b\"\ndate = \"2024\"\n",
    )
    .expect("write");
    std::fs::write(
        ev.join("rows.toml"),
        "[table]\nname = \"rows\"\nkey = \"id\"\ncsv = \"rows.csv\"\n[[column]]\nname = \"id\"\ntype = \"text\"\n",
    )
    .expect("write");
    let mut csv = String::from("id,sources\n");
    for i in 0..120 {
        // the last record alone cites source b
        csv.push_str(&format!("r{i},{}\n", if i == 119 { "b" } else { "a" }));
    }
    std::fs::write(ev.join("rows.csv"), csv).expect("write");
    let claims = dir.join("c.toml");
    std::fs::write(
        &claims,
        "[article]\nid = \"t\"\ntitle = \"t\"\nurl = \"https://example.org/t\"\nlanguage = \"en\"\npublished = \"2024-01-01\"\n[[claim]]\nid = \"n\"\nquote = \"q\"\nclaim = \"c\"\nmeasure = \"count(rows)\"\nstates = \"120\"\n",
    )
    .expect("write");
    let out = run(&Options {
        paths: vec![claims],
        evidence: ev,
        article_text: None,
        ..Options::default()
    });
    let _ = std::fs::remove_dir_all(&dir);
    let report = verified(out).report;
    let c = report.claims.first().expect("claim");
    assert_eq!(c.verdict, Verdict::Supported);
    assert_eq!(c.witnesses.len(), factcheck::engine::MAX_LISTED_WITNESSES);
    assert_eq!(c.witness_counts.first().map(|w| w.records), Some(120));
    // Sources of unlisted witnesses are still cited.
    let ids: Vec<&str> = c.sources.iter().map(|s| &*s.id).collect();
    assert_eq!(ids, ["a", "b"]);
}

/// Verdicts hold the evidence's texts by pointer: a record that decides
/// many claims is described once, and every verdict citing a source shares
/// its title and address (a million claims must not hold a million copies).
#[test]
fn verdicts_share_witness_records_and_source_texts() {
    use std::sync::Arc;
    let report = verified(run(&seed())).report;
    let mut witnesses = BTreeMap::new();
    let mut shared_witnesses = 0;
    let mut titles: BTreeMap<Arc<str>, Arc<str>> = BTreeMap::new();
    let mut shared_titles = 0;
    for c in &report.claims {
        for w in &c.witnesses {
            match witnesses.get(&(w.table.clone(), w.key.clone())) {
                Some(first) => {
                    assert!(Arc::ptr_eq(first, w), "{} {} copied", w.table, w.key);
                    shared_witnesses += 1;
                }
                None => {
                    witnesses.insert((w.table.clone(), w.key.clone()), Arc::clone(w));
                }
            }
        }
        for s in &c.sources {
            match titles.get(&s.id) {
                Some(first) => {
                    assert!(Arc::ptr_eq(first, &s.title), "{} copied", s.id);
                    assert_eq!(**first, *s.title);
                    shared_titles += 1;
                }
                None => {
                    titles.insert(s.id.clone(), Arc::clone(&s.title));
                }
            }
        }
    }
    // The seed claims cite some records and sources more than once.
    assert!(shared_witnesses > 0);
    assert!(shared_titles > 0);
}

/// `render_to` (what the binary streams) writes exactly what `render`
/// returns, in every format.
#[test]
fn render_to_writes_what_render_returns() {
    use factcheck::render::{render, render_to, Format, RenderOptions};
    let report = verified(run(&seed())).report;
    let opts = RenderOptions::default();
    for format in [
        Format::Human,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Sarif,
        Format::Github,
        Format::Claimreview,
        Format::Html,
    ] {
        let mut out = Vec::new();
        render_to(&report, format, &opts, &mut out).expect("written");
        let text = render(&report, format, &opts);
        assert!(!text.is_empty());
        assert_eq!(String::from_utf8(out).expect("UTF-8"), text, "{format:?}");
    }
}

//! `factcheck plan`: a claim's tree and the Spark SQL `verify --engine
//! spark` sends for it (no Spark needed), and the errors of claims the SQL
//! engine cannot evaluate. The CSV files' absolute paths are written
//! `[ROOT]` in the snapshots.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;

/// Exit code, stdout and stderr of `factcheck ARGS`, with the working
/// directory written `[ROOT]`.
fn run(args: &[&str]) -> String {
    let out = factcheck().args(args).output().expect("factcheck runs");
    let root = std::env::current_dir().unwrap();
    let root = root.to_string_lossy();
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).replace(&*root, "[ROOT]"),
        String::from_utf8_lossy(&out.stderr).replace(&*root, "[ROOT]")
    )
}

/// An evidence directory in `dir` with `files` copied from `from`.
fn evidence_from(dir: &std::path::Path, from: &str, files: &[&str]) -> std::path::PathBuf {
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).unwrap();
    for f in files {
        std::fs::copy(format!("{from}/{f}"), ev.join(f)).unwrap();
    }
    ev
}

const FIXTURE: [&str; 3] = [
    "tests/fixtures/spark/claims",
    "--evidence",
    "tests/fixtures/spark/evidence",
];

fn plan(claim: &str) -> String {
    let mut args = vec!["plan", claim];
    args.extend(FIXTURE);
    run(&args)
}

#[test]
fn plan_of_a_share_with_uncertain_members() {
    let out = plan("share-band-of-red");
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn plan_of_the_employer_join_says_a_second_query_follows() {
    let out = plan("employer-of-bo");
    assert!(
        out.contains("(then a query that uses these results"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn plan_of_a_mean_of_years_between_dates() {
    insta::assert_snapshot!(plan("mean-years"));
}

#[test]
fn plan_of_a_seed_weather_claim() {
    insta::assert_snapshot!(run(&[
        "plan",
        "december-rain-so-far",
        "claims/seattle-december-2015.toml",
    ]));
}

#[test]
fn plan_of_a_claim_over_a_table_written_in_toml_sends_its_rows() {
    let out = run(&[
        "plan",
        "paper-has-fourteen-authors",
        "claims/llama-exodus-es.toml",
    ]);
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    assert!(out.contains(" FROM VALUES ('Hugo Touvron', "), "{out}");
    assert!(!out.contains("USING csv"), "{out}");
    insta::assert_snapshot!(out);
}

/// A file as a statistics office publishes it (Windows-1252, two title
/// lines above its header): the session setting Spark needs for the
/// charset, then a view of every record with the header row's fields,
/// then the table's view of its last records.
#[test]
fn plan_of_a_published_file_sets_its_charset_and_skips_its_title_lines() {
    let out = run(&[
        "plan",
        "north-q1",
        "tests/fixtures/published/claims/published.toml",
        "--evidence",
        "tests/fixtures/published/evidence",
    ]);
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    let set = out.find("SET spark.sql.legacy.javaCharsets=true").unwrap();
    let all = out.find("VIEW `fc_0_paro_all` (`Región` STRING").unwrap();
    let view = out.find("VIEW `fc_0_paro` AS SELECT").unwrap();
    assert!(set < all && all < view, "{out}");
    insta::assert_snapshot!(out);
}

/// A byte Windows-1252 leaves undefined (0x81), which Java's decoder
/// would read on Spark as U+FFFD, stops the run when the file is loaded
/// here, located, before any SQL is written.
#[test]
fn an_undefined_windows_1252_byte_stops_the_run_before_spark() {
    let dir = tempfile::tempdir().unwrap();
    let from = "tests/fixtures/published/evidence";
    let ev = evidence_from(
        dir.path(),
        from,
        &["sources.toml", "stints.csv.gz", "stints.toml"],
    );
    let table = std::fs::read_to_string(format!("{from}/paro.toml")).unwrap();
    let table: String = table
        .lines()
        .filter(|l| !l.starts_with("sha256"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(ev.join("paro.toml"), table).unwrap();
    let mut csv = std::fs::read(format!("{from}/paro.csv")).unwrap();
    let at = csv.windows(5).position(|w| w == b"Norte").unwrap();
    csv[at] = 0x81;
    std::fs::write(ev.join("paro.csv"), csv).unwrap();
    let out = run(&[
        "plan",
        "rate-q2",
        "tests/fixtures/published/claims/published.toml",
        "--evidence",
        ev.to_str().unwrap(),
    ]);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("io/bad-encoding"), "{out}");
    assert!(out.contains("byte 0x81"), "{out}");
    assert!(!out.contains("CREATE"), "{out}");
}

/// Spark unpacks a file as its name says: a gzip file whose name does
/// not end in `.gz`, declared `compression = "gzip"`, is refused, naming
/// the table, never read by Spark as text.
#[test]
fn a_file_compressed_otherwise_than_its_name_says_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let from = "tests/fixtures/published/evidence";
    let ev = evidence_from(dir.path(), from, &["sources.toml", "paro.csv", "paro.toml"]);
    std::fs::copy(format!("{from}/stints.csv.gz"), ev.join("stints.csv")).unwrap();
    let table = std::fs::read_to_string(format!("{from}/stints.toml"))
        .unwrap()
        .replace("csv = \"stints.csv.gz\"", "csv = \"stints.csv\"")
        .replacen(
            "\n[[column]]",
            "\n[table.csv_format]\ncompression = \"gzip\"\n\n[[column]]",
            1,
        );
    std::fs::write(ev.join("stints.toml"), table).unwrap();
    let out = run(&[
        "plan",
        "ongoing",
        "tests/fixtures/published/claims/published.toml",
        "--evidence",
        ev.to_str().unwrap(),
    ]);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("sql/unsupported"), "{out}");
    assert!(
        out.contains("table `stints`: a data file compressed otherwise than its name says"),
        "{out}"
    );
    assert!(!out.contains("CREATE"), "{out}");
}

#[test]
fn plan_of_a_construct_sql_does_not_evaluate_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("c.toml");
    std::fs::write(
        &claims,
        r#"[article]
id = "groups"
title = "Groups"
url = "https://example.org/groups"
language = "en"
published = "2026-01-01"

[[claim]]
id = "teams"
quote = "three teams"
claim = "There are three teams."
measure = 'mean(groups(staff where team is known, team), count(groups(stints, org)))'
states = "3"
"#,
    )
    .unwrap();
    let out = run(&[
        "plan",
        "teams",
        claims.to_str().unwrap(),
        "--evidence",
        "tests/fixtures/spark/evidence",
        "--root",
        "/",
    ]);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("sql/unsupported"), "{out}");
    assert!(out.contains("claim `teams`"), "{out}");
    assert!(
        out.contains("an aggregate over groups inside another"),
        "{out}"
    );
}

/// Groups nest one level: groups of groups of a group are refused, named.
#[test]
fn plan_of_groups_three_deep_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("c.toml");
    std::fs::write(
        &claims,
        r#"[article]
id = "groups"
title = "Groups"
url = "https://example.org/groups"
language = "en"
published = "2026-01-01"

[[claim]]
id = "deep"
quote = "deep"
claim = "Deep groups."
measure = 'mean(groups(staff where team is known, team), mean(groups(group where band is known, band), count(groups(group, name))))'
states = "1"
"#,
    )
    .unwrap();
    let out = run(&[
        "plan",
        "deep",
        claims.to_str().unwrap(),
        "--evidence",
        "tests/fixtures/spark/evidence",
        "--root",
        "/",
    ]);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("claim `deep`"), "{out}");
    assert!(out.contains("groups of a group of a group"), "{out}");
}

#[cfg(not(feature = "spark"))]
#[test]
fn verify_on_spark_without_the_feature_is_an_error() {
    let mut args = vec!["verify", "--engine", "spark"];
    args.extend(FIXTURE);
    let out = run(&args);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("built without Spark"), "{out}");
}

/// Many claims over a table are one query a table: the fixture's claims
/// (counts, shares, sums, means over `staff`, a minimum over `stints`, the
/// employer joins' lists, lookups, `keys`, `all`/`any`, the texts
/// `matches` reads, the combinations of cells of conditions computed per
/// record) are two aggregate queries in the first round; the joins' own
/// aggregates wait for the lists, `matches` for the texts, conditions
/// computed per record for their combinations of cells.
#[test]
fn the_claims_of_a_table_are_one_query() {
    use factcheck::engine::{remote::plan_sql, NoProgress, Options, Selection, Workspace};
    let ws = Workspace::from_dirs(Options {
        paths: vec!["tests/fixtures/spark/claims".into()],
        evidence: "tests/fixtures/spark/evidence".into(),
        ..Options::default()
    });
    let (statements, claims) = plan_sql(&ws, &Selection::default(), &mut NoProgress).unwrap();
    let count = |p: &str| statements.iter().filter(|s| s.starts_with(p)).count();
    let queries: Vec<&String> = statements
        .iter()
        .filter(|s| s.starts_with("SELECT to_json(named_struct('s0'"))
        .collect();
    // Per table: its view, its typed columns cached, the check of its
    // cells, one query of every aggregate.
    assert_eq!(
        (
            count("CREATE"),
            count("CACHE"),
            count("SELECT"),
            queries.len()
        ),
        (2, 2, 4, 2),
        "{statements:#?}"
    );
    assert_eq!(claims.len(), 58);
    let later: Vec<&str> = claims
        .iter()
        .filter(|(_, later)| *later)
        .map(|(id, _)| id.as_str())
        .collect();
    // The joins wait for their lists, `matches` for the column's texts,
    // conditions computed per record for the combinations of cells they
    // read.
    assert_eq!(
        later,
        [
            "employer-of-bo",
            "employer-of-ed",
            "employer-of-ha",
            "names-a-to-c",
            "count-stayed-over-a-year",
            "share-double-score-over-band",
            "all-red-left-after-joining",
            "sum-score-joined-same-year-as-left"
        ]
    );
    // `count(staff where team == "red")` is asked by two claims: once.
    let red = "(c2 IS NOT NULL AND c2 = 'red') AS";
    assert_eq!(queries[0].matches(red).count(), 1, "{}", queries[0]);
}

/// A JSON Lines data file is never handed to Spark as if it were a CSV:
/// it is read by Spark's JSON reader, every key as text; one with a
/// decimal separator (which the engine applies to its strings only) is
/// refused, naming the table and the way to a catalog table.
#[test]
fn a_json_lines_table_is_read_as_json_not_as_csv() {
    let out = run(&[
        "plan",
        "attendance-known",
        "tests/fixtures/formats/claims",
        "--evidence",
        "tests/fixtures/formats/evidence",
    ]);
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    assert!(
        out.contains("(`id` STRING, `day` STRING, `attendance` STRING, `fee` STRING, `tags` ARRAY<STRING>, `outdoor` STRING) USING json"),
        "{out}"
    );
    assert!(out.contains("SELECT /*+ COALESCE(1) */ "), "{out}");
    assert!(!out.contains("USING csv"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let ev = evidence_from(
        dir.path(),
        "tests/fixtures/formats/evidence",
        &["events.jsonl", "sources.toml"],
    );
    let table = std::fs::read_to_string("tests/fixtures/formats/evidence/events.toml").unwrap();
    let table = table.replacen(
        "\n[[column]]",
        "\n[table.csv_format]\ndecimal = \",\"\n\n[[column]]",
        1,
    );
    std::fs::write(ev.join("events.toml"), table).unwrap();
    let out = run(&[
        "plan",
        "attendance-known",
        "tests/fixtures/formats/claims",
        "--evidence",
        ev.to_str().unwrap(),
    ]);
    assert!(out.starts_with("exit: Some(2)"), "{out}");
    assert!(out.contains("sql/unsupported"), "{out}");
    assert!(
        out.contains("a JSON Lines data file with a decimal or thousands separator"),
        "{out}"
    );
    assert!(!out.contains("USING"), "{out}");
}

/// A claim reading a disputed cell in evidence with orderings is planned
/// (once refused): one aggregate per variant, each reading Ada's
/// departure as that variant has it (the roster's November 2021, days
/// 18932..18961, and the Gazette's March 2022 from day 19052, with the
/// orderings resolved again in that variant).
#[test]
fn a_disputed_cell_in_evidence_with_orderings_is_planned() {
    let out = run(&[
        "plan",
        "ada-left-before-2023",
        "tests/fixtures/variants/claims.toml",
        "--evidence",
        "tests/fixtures/variants/evidence",
    ]);
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    assert!(!out.contains("sql/unsupported"), "{out}");
    assert!(out.contains("WHEN c0 = 'Ada' THEN 18932"), "{out}");
    assert!(out.contains("WHEN c0 = 'Ada' THEN 19052"), "{out}");
}

/// Groups of a group (`groups(group, c)` in an aggregate over groups) are
/// planned: one grouped subquery by both columns, each row certain in its
/// inner group (`fc_gcert2`) as in its outer group (`fc_gcert`).
#[test]
fn groups_of_a_group_are_planned_as_one_grouped_subquery() {
    let out = plan("bands-per-team");
    assert!(out.starts_with("exit: Some(0)"), "{out}");
    assert!(out.contains("GROUP BY fc_g, fc_g2"), "{out}");
    assert!(out.contains("fc_gcert2"), "{out}");
    assert!(out.contains("(PARTITION BY fc_g)"), "{out}");
}

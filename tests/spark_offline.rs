//! What the Spark engine's inputs mean without a Spark server: a table in
//! a Spark catalog (`[table] spark = "db.table"`) given to the in-process
//! engine, a catalog name that is not one, and (with the `spark` feature)
//! a server that does not answer. These run in every `cargo test`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;
mod spark_fixture;

use common::factcheck;
use spark_fixture::fixture;

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = factcheck().current_dir(dir).args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// The in-process engine has no records of a table that lives in a Spark
/// catalog: a located error naming the claim, the table and the catalog
/// table, exit 2; never an empty table.
#[test]
fn the_in_process_engine_refuses_a_catalog_table_naming_the_claim() {
    let dir = fixture("spark = \"hr.staff\"");
    let (code, text) = run(dir.path(), &["verify", "claims", "--claim", "count-red"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("eval/catalog-table"), "{text}");
    assert!(
        text.contains("claim `count-red`: table `staff` lives in the Spark catalog (`hr.staff`)"),
        "{text}"
    );
    // Located at the measure, pointing at the catalog name.
    assert!(text.contains("staff.toml"), "{text}");
    assert!(
        text.contains("count(staff where team == \"red\")"),
        "{text}"
    );
    // A claim that does not read the table is judged.
    let (code, text) = run(
        dir.path(),
        &[
            "verify",
            "claims",
            "--claim",
            "min-start",
            "--format",
            "json",
        ],
    );
    assert!(!text.contains("catalog"), "{text}");
    assert_ne!(code, Some(2), "{text}");
}

/// A catalog name is `table`, `db.table` or `catalog.db.table` of plain
/// parts: anything else is a located error at it.
#[test]
fn a_catalog_name_that_is_not_one_is_an_error() {
    for bad in ["hr.staff; DROP TABLE x", "a.b.c.d", "hr..staff", ""] {
        let dir = fixture(&format!("spark = \"{bad}\""));
        let (code, text) = run(dir.path(), &["check", "claims"]);
        assert_eq!(code, Some(2), "{bad}: {text}");
        assert!(text.contains("evidence/bad-spark-table"), "{bad}: {text}");
    }
}

/// A CSV file beside the catalog name: the in-process engine reads the
/// file (the Spark engine reads the catalog table).
#[test]
fn a_catalog_table_with_a_local_file_is_read_from_the_file() {
    let dir = fixture("csv = \"staff.csv\"\nspark = \"hr.staff\"");
    let (code, with_spark) = run(
        dir.path(),
        &[
            "verify",
            "claims",
            "--claim",
            "count-red",
            "--format",
            "json",
        ],
    );
    assert_ne!(code, Some(2), "{with_spark}");
    let plain = fixture("csv = \"staff.csv\"");
    let (_, without) = run(
        plain.path(),
        &[
            "verify",
            "claims",
            "--claim",
            "count-red",
            "--format",
            "json",
        ],
    );
    assert_eq!(with_spark, without);
}

/// `--engine spark` with no server at the address: exit 2, the message
/// names the address, no report.
#[cfg(feature = "spark")]
#[test]
fn an_unreachable_server_is_exit_2_naming_it() {
    // A port nothing listens on: bound, then closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let remote = format!("sc://127.0.0.1:{port}");
    let dir = fixture("csv = \"staff.csv\"");
    let out = factcheck()
        .current_dir(dir.path())
        .args([
            "verify",
            "claims",
            "--engine",
            "spark",
            "--spark-remote",
            &remote,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no report: {:?}", out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cli/spark"), "{err}");
    assert!(err.contains(&remote), "{err}");
}

/// A SQL engine that answers the engine's first question (whether text
/// escapes are read) and then fails every statement after `answers` more
/// with `error`: a server gone mid-run, or a query it refuses.
struct Failing {
    answers: usize,
    error: &'static str,
    seen: Vec<String>,
}

impl factcheck::engine::remote::SqlRunner for Failing {
    fn execute(&mut self, sql: &str) -> Result<(), String> {
        self.query_text(sql).map(|_| ())
    }

    fn query_text(&mut self, sql: &str) -> Result<String, String> {
        // Whether the server keeps the least values of an aggregate (for
        // the witnesses): a question before the tables, not counted.
        if sql == factcheck::eval::sql::TOP_K_PROBE {
            return Ok("2".into());
        }
        self.seen.push(sql.to_string());
        if self.seen.len() == 1 {
            return Ok("true".into());
        }
        if self.seen.len() <= 1 + self.answers {
            // A check of the table's cells that finds none unreadable.
            return Ok("{}".into());
        }
        Err(self.error.into())
    }
}

fn fixture_workspace(dir: &std::path::Path) -> factcheck::engine::Workspace {
    factcheck::engine::Workspace::from_dirs(factcheck::engine::Options {
        paths: vec![dir.join("claims")],
        evidence: dir.join("evidence"),
        root: Some(std::path::PathBuf::from("/")),
        ..factcheck::engine::Options::default()
    })
}

/// A server that goes away or refuses a query in the middle of a run:
/// the run fails with `sql/query` naming the table and the claim and the
/// server's words; nothing is judged.
#[test]
fn a_failed_query_mid_run_fails_the_run_naming_table_and_claim() {
    let dir = fixture("csv = \"staff.csv\"");
    let ws = fixture_workspace(dir.path());
    let sel = factcheck::engine::Selection {
        claim_ids: vec!["count-red".into()],
        as_of: None,
    };
    let gone = "transport error: connection reset (Unavailable from sc://127.0.0.1:1)";
    let refused =
        "[UNRESOLVED_COLUMN] A column cannot be resolved (InvalidArgument from sc://127.0.0.1:1)";
    // The view, the cached table, its check, the query: after 0 or 1
    // answers the table's reading fails; after 3, the query.
    for (answers, error, reading) in [(0, gone, true), (1, refused, true), (3, gone, false)] {
        let mut runner = Failing {
            answers,
            error,
            seen: Vec::new(),
        };
        let f = match factcheck::engine::remote::verify_sql(
            &ws,
            &sel,
            &mut runner,
            &mut factcheck::engine::NoProgress,
        ) {
            Ok(_) => panic!("judged though the server failed"),
            Err(f) => f,
        };
        let d = &f.diagnostics[0];
        assert_eq!(d.code, "sql/query", "{d:?}");
        assert!(d.message.contains("table `staff`"), "{}", d.message);
        assert!(d.message.contains("claim `count-red`"), "{}", d.message);
        assert!(d.message.contains(error), "{}", d.message);
        assert_eq!(
            d.message.starts_with("reading table"),
            reading,
            "{}",
            d.message
        );
        // Nothing was sent after the failure.
        assert_eq!(runner.seen.len(), answers + 2);
    }
}

/// A server that accepts connections and never answers: with
/// `--spark-timeout 2` the run stops with exit 2 naming the address, and
/// writes no report.
#[cfg(feature = "spark")]
#[test]
fn a_server_that_never_answers_times_out_with_exit_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept and hold connections, reading nothing, until the test ends.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let remote = format!("sc://127.0.0.1:{port}");
    let dir = fixture("csv = \"staff.csv\"");
    let out = factcheck()
        .current_dir(dir.path())
        .args([
            "verify",
            "claims",
            "--claim",
            "count-red",
            "--engine",
            "spark",
            "--spark-remote",
            &remote,
            "--spark-timeout",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The JSON answer of a failed run: its diagnostics, no claim judged.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["claims"], serde_json::json!([]), "{json}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "sql/query", "{json}");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains(&remote), "{message}");
    assert!(message.contains("within 2 s"), "{message}");
}

/// `verify --changes`, `verify --timelines` and `timeline` with
/// `--engine spark` are no longer refused: they go to the server (here
/// one nothing listens on, or a build without Spark), exit 2 with
/// `cli/spark`, never `cli/engine`.
#[test]
fn changes_and_timelines_on_spark_go_to_the_server() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let remote = format!("sc://127.0.0.1:{port}");
    let dir = fixture("csv = \"staff.csv\"");
    let spark = ["--engine", "spark", "--spark-remote", remote.as_str()];
    for args in [
        &["verify", "claims", "--changes"][..],
        &["verify", "claims", "--timelines", "--format", "html"][..],
        &["timeline", "claims"][..],
    ] {
        let all: Vec<&str> = args.iter().chain(&spark).copied().collect();
        let (code, text) = run(dir.path(), &all);
        assert_eq!(code, Some(2), "{all:?}: {text}");
        assert!(text.contains("cli/spark"), "{all:?}: {text}");
        assert!(!text.contains("cli/engine"), "{all:?}: {text}");
        assert!(
            !text.contains("need the in-process engine"),
            "{all:?}: {text}"
        );
    }
}

//! Every report format on the seed article: a snapshot of each, and checks
//! of their structure (JUnit parsed back, SARIF's required fields, the JSON
//! report against its published schema), `--fail-on` and `--output`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::{factcheck, seed_article, SEED_ARTICLE};

use std::process::{Command, Output};

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

const SEED_CLAIMS: &str = "claims/llama-exodus-es.toml";

/// `verify` on the seed claim file, with the article text when it is there.
fn seed(format: &str) -> Command {
    let mut cmd = factcheck();
    cmd.args(["verify", SEED_CLAIMS, "--format", format]);
    if std::path::Path::new(SEED_ARTICLE).exists() {
        cmd.args(["--article", SEED_ARTICLE]);
    }
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("factcheck runs")
}

fn seed_json() -> Value {
    let out = run(&mut seed("json"));
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn count(report: &Value, verdict: &str) -> usize {
    report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == verdict)
        .count()
}

#[test]
fn markdown_snapshot() {
    assert_cmd_snapshot!(seed("markdown"));
}

#[test]
fn junit_snapshot() {
    assert_cmd_snapshot!(seed("junit"));
}

#[test]
fn sarif_snapshot() {
    // The results are located at the quotes only with the article text.
    if seed_article("sarif_snapshot").is_none() {
        return;
    }
    assert_cmd_snapshot!(seed("sarif"));
}

#[test]
fn github_snapshot() {
    assert_cmd_snapshot!(seed("github"));
}

#[test]
fn claimreview_snapshot() {
    assert_cmd_snapshot!(seed("claimreview"));
}

#[test]
fn html_snapshot() {
    assert_cmd_snapshot!(seed("html"));
}

#[test]
fn junit_parses_back_with_one_case_per_claim() {
    let report = seed_json();
    let out = run(&mut seed("junit"));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1, "one suite per claim file");
    assert_eq!(suites[0].attribute("name"), Some(SEED_CLAIMS));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(cases.len(), claims.len());
    for (case, claim) in cases.iter().zip(claims) {
        assert_eq!(case.attribute("name"), claim["id"].as_str());
        assert_eq!(case.attribute("file"), Some(SEED_CLAIMS));
        assert_eq!(
            case.attribute("line").map(str::parse::<u64>),
            Some(Ok(claim["line"].as_u64().unwrap()))
        );
        let failure = case.children().find(|n| n.has_tag_name("failure"));
        let skipped = case.children().find(|n| n.has_tag_name("skipped"));
        match claim["verdict"].as_str().unwrap() {
            "refuted" => {
                let f = failure.expect("refuted is a failure");
                let explanation = claim["explanation"].as_str().unwrap();
                assert!(f.attribute("message").unwrap().contains(explanation));
            }
            "not-checkable" => assert!(skipped.is_some() && failure.is_none()),
            _ => assert!(failure.is_none() && skipped.is_none()),
        }
    }
    let failures: usize = root.attribute("failures").unwrap().parse().unwrap();
    assert_eq!(failures, count(&report, "refuted"));
    let skipped: usize = root.attribute("skipped").unwrap().parse().unwrap();
    assert_eq!(skipped, count(&report, "not-checkable"));
}

#[test]
fn junit_reports_invalid_input_as_errors() {
    let out = run(factcheck().args([
        "verify",
        "tests/fixtures/invalid/bad.toml",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "--format",
        "junit",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let errors = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .count();
    assert!(errors >= 5, "{text}");
    let declared: usize = doc
        .root_element()
        .attribute("errors")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(declared, errors);
}

#[test]
fn sarif_has_the_required_fields_and_both_locations() {
    let report = seed_json();
    let out = run(&mut seed("sarif"));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "factcheck");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report["claims"].as_array().unwrap().len());
    let with_article = std::path::Path::new(SEED_ARTICLE).exists();
    for (r, c) in results.iter().zip(report["claims"].as_array().unwrap()) {
        let rule = r["ruleId"].as_str().unwrap();
        assert_eq!(rule, c["verdict"].as_str().unwrap());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule);
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let level = r["level"].as_str().unwrap();
        assert!(["none", "note", "warning", "error"].contains(&level));
        assert_eq!(level == "error", rule == "refuted");
        let locations = r["locations"].as_array().unwrap();
        let claim_loc = &locations[0]["physicalLocation"];
        assert_eq!(claim_loc["artifactLocation"]["uri"], SEED_CLAIMS);
        assert_eq!(claim_loc["region"]["startLine"], c["line"]);
        if with_article {
            let quote = &locations[1]["physicalLocation"];
            assert_eq!(quote["artifactLocation"]["uri"], SEED_ARTICLE);
            assert!(quote["region"]["startColumn"].as_u64().unwrap() >= 1);
            assert!(quote["region"]["endLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn github_annotations_match_the_verdicts() {
    let report = seed_json();
    let out = run(&mut seed("github"));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        assert!(line.matches("::").count() >= 2, "{line}");
    }
    let errors = text.lines().filter(|l| l.starts_with("::error ")).count();
    assert_eq!(errors, count(&report, "refuted"));
    let warnings = text.lines().filter(|l| l.starts_with("::warning ")).count();
    assert_eq!(
        warnings,
        count(&report, "imprecise") + count(&report, "undetermined")
    );
}

#[test]
fn claimreview_rates_every_checked_claim_on_the_declared_scale() {
    let report = seed_json();
    let out = run(&mut seed("claimreview"));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().unwrap();
    let checked = report["claims"].as_array().unwrap().len() - count(&report, "not-checkable");
    assert_eq!(graph.len(), checked);
    for review in graph {
        assert_eq!(review["@type"], "ClaimReview");
        let rating = &review["reviewRating"];
        let value = rating["ratingValue"].as_u64().unwrap();
        assert!((1..=5).contains(&value));
        assert_eq!(rating["bestRating"], 5);
        assert_eq!(rating["worstRating"], 1);
        let expected = match rating["alternateName"].as_str().unwrap() {
            "Supported" => 5,
            "Imprecise" => 4,
            "Undetermined" => 3,
            "Refuted" => 1,
            other => panic!("unexpected rating {other}"),
        };
        assert_eq!(value, expected);
        assert_eq!(
            review["itemReviewed"]["appearance"]["url"],
            report["articles"][0]["url"]
        );
        assert!(!rating["ratingExplanation"].as_str().unwrap().is_empty());
    }
}

#[test]
fn html_is_self_contained() {
    let out = run(&mut seed("html"));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(!page.contains("<script"), "no JavaScript");
    assert!(!page.contains("<link"), "no external stylesheet");
    assert!(!page.contains("src="), "no external asset");
    let report = seed_json();
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(
        page.matches("<details class=\"claim ").count(),
        claims.len()
    );
    for v in [
        "supported",
        "imprecise",
        "refuted",
        "undetermined",
        "not-checkable",
    ] {
        assert!(page.contains(&format!("id=\"show-{v}\"")), "filter {v}");
    }
}

#[test]
fn json_report_validates_against_the_published_schema() {
    let out = run(factcheck().arg("schema"));
    assert_eq!(out.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let report = seed_json();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The output for invalid input validates too.
    let out = run(factcheck().args([
        "verify",
        "tests/fixtures/invalid/bad.toml",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "--format",
        "json",
    ]));
    let invalid: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(validator.is_valid(&invalid));
    // And the schema does reject what is not a report.
    let mut broken = report.clone();
    broken["claims"][0]["verdict"] = Value::String("true-ish".into());
    assert!(!validator.is_valid(&broken));
}

#[test]
fn fail_on_chooses_the_verdicts_that_exit_1() {
    let code = |fail_on: Option<&str>| {
        let mut cmd = seed("json");
        if let Some(f) = fail_on {
            cmd.args(["--fail-on", f]);
        }
        run(&mut cmd).status.code()
    };
    assert_eq!(code(None), Some(1), "refuted claims fail by default");
    assert_eq!(code(Some("none")), Some(0));
    assert_eq!(code(Some("undetermined")), Some(1));
    assert_eq!(code(Some("refuted,imprecise,undetermined")), Some(1));
    let toy = |fail_on: &str| {
        run(factcheck().args([
            "verify",
            "tests/fixtures/toy/claims/toy.toml",
            "--evidence",
            "tests/fixtures/toy/evidence",
            "--fail-on",
            fail_on,
        ]))
        .status
        .code()
    };
    assert_eq!(toy("refuted,imprecise,undetermined"), Some(0));
    assert_eq!(toy("supported"), Some(1));
    // Invalid input stays 2 whatever --fail-on says.
    let out = run(factcheck().args([
        "verify",
        "tests/fixtures/invalid/bad.toml",
        "--evidence",
        "tests/fixtures/toy/evidence",
        "--fail-on",
        "none",
    ]));
    assert_eq!(out.status.code(), Some(2));
    // An unknown verdict is a usage error.
    let out = run(seed("json").args(["--fail-on", "refutd"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_writes_the_file_and_nothing_to_stdout() {
    let dir = std::env::temp_dir().join(format!("factcheck-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.md");
    let out = run(seed("markdown").args(["--output", path.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        String::from_utf8(run(&mut seed("markdown")).stdout).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    let missing = dir.join("no-such-dir").join("report.md");
    let out = run(seed("markdown").args(["--output", missing.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("io/write"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The JSON report is streamed to its destination: `--output` gets exactly
/// what standard output gets, and a reader that goes away mid-stream is not
/// an error.
#[test]
fn streamed_json_is_the_same_in_a_file_and_quiet_on_a_closed_pipe() {
    let dir = std::env::temp_dir().join(format!("factcheck-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.json");
    let out = run(seed("json").args(["--output", path.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stdout = run(&mut seed("json")).stdout;
    assert!(stdout.ends_with(b"}\n"));
    assert_eq!(std::fs::read(&path).unwrap(), stdout);
    std::fs::remove_dir_all(&dir).unwrap();

    let mut child = seed("json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("io/write"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

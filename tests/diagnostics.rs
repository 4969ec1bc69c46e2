//! Every kind of bad input, one fixture each under `tests/fixtures/cases/`,
//! run through `factcheck check` with the rendered diagnostics kept as an
//! insta snapshot. A case directory holds `claims.toml` (or a `claims/`
//! directory) and, for evidence problems, its own `evidence/`; otherwise
//! the toy evidence is used.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;

use std::path::Path;
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

const CASES: &str = "tests/fixtures/cases";
const TOY_EVIDENCE: &str = "tests/fixtures/toy/evidence";

/// `factcheck check` on one case, with its own evidence when it has some.
fn check(case: &str) -> Command {
    let dir = format!("{CASES}/{case}");
    let evidence = if Path::new(&dir).join("evidence").is_dir() {
        format!("{dir}/evidence")
    } else {
        TOY_EVIDENCE.to_string()
    };
    let claims = if Path::new(&dir).join("claims").is_dir() {
        format!("{dir}/claims")
    } else {
        format!("{dir}/claims.toml")
    };
    let mut cmd = factcheck();
    cmd.args(["check", "--evidence", &evidence, &claims]);
    cmd
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            assert_cmd_snapshot!(check(stringify!($name)));
        }
    )*};
}

cases!(
    toml_syntax,
    unknown_key,
    missing_key,
    wrong_type,
    duplicate_id,
    duplicate_id_across_files,
    unknown_table,
    unknown_column,
    unknown_definition,
    unknown_function,
    expression_syntax,
    type_date_vs_percent,
    type_sum_over_text,
    invalid_date,
    said_on_invalid,
    bad_hemisphere,
    unknown_scope,
    bad_scope,
    date_range_reversed,
    unknown_qualifier,
    unknown_period,
    empty_claim_file,
    claim_file_not_utf8,
    no_claim_files,
    definition_cycle,
    quote_not_in_article,
    quote_ambiguous,
    empty_denominator,
    number_too_large,
    deeply_nested,
    long_chain,
    definitions_too_deep,
    evidence_invalid_date,
    evidence_unknown_source,
    evidence_order_invalid,
    evidence_order_contradiction,
    evidence_no_source,
    evidence_unknown_column,
    evidence_csv_wrong_fields,
    evidence_csv_wrong_type,
    evidence_empty_table_file,
    evidence_not_utf8,
    evidence_hash_mismatch,
    evidence_bad_pin,
    evidence_unused,
    article_text_outside_root,
    article_text_not_regular,
    evidence_duplicate_csv_column,
    evidence_csv_utf16,
    evidence_csv_utf16_no_bom,
    evidence_csv_bad_date_format,
    evidence_csv_wrong_delimiter,
    evidence_csv_truncated_gzip,
    evidence_csv_bad_encoding,
    evidence_csv_bad_format_options,
    evidence_csv_misspelt_column,
    evidence_derive_unknown_column,
    evidence_derive_cycle,
    evidence_derive_type,
    evidence_derive_division_by_zero,
    evidence_dataset_bad,
    evidence_csv_truncated_zstd,
    evidence_jsonl_not_object,
    evidence_jsonl_deep_nesting,
    evidence_jsonl_duplicate_key,
    evidence_jsonl_bad_utf8,
    evidence_jsonl_wrong_type,
    evidence_jsonl_missing_key,
);

/// A file larger than `--max-file-size`.
#[test]
fn file_too_large() {
    let mut cmd = check("file_too_large");
    cmd.args(["--max-file-size", "1K"]);
    assert_cmd_snapshot!(cmd);
}

/// Every case directory has a test above (a new fixture without a test
/// would silently check nothing).
#[test]
fn every_case_directory_has_a_test() {
    let src = std::fs::read_to_string("tests/diagnostics.rs").unwrap();
    for entry in std::fs::read_dir(CASES).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            src.contains(&format!("    {name},")) || src.contains(&format!("fn {name}()")),
            "fixture {CASES}/{name} has no test in tests/diagnostics.rs"
        );
    }
}

#[test]
fn missing_path() {
    let mut cmd = factcheck();
    cmd.args([
        "check",
        "--evidence",
        TOY_EVIDENCE,
        "tests/fixtures/cases/no-such-file.toml",
    ]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn missing_evidence_directory() {
    let mut cmd = factcheck();
    cmd.args([
        "check",
        "--evidence",
        "tests/fixtures/no-such-evidence",
        "tests/fixtures/toy/claims/toy.toml",
    ]);
    assert_cmd_snapshot!(cmd);
}

/// Warnings alone exit 0; `--deny-warnings` turns them into exit 2.
#[test]
fn warnings_fail_only_when_denied() {
    let code = |deny: bool| {
        let mut cmd = check("evidence_unused");
        if deny {
            cmd.arg("--deny-warnings");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(code(false), Some(0));
    assert_eq!(code(true), Some(2));
}

/// The clean seed and toy data check without a single diagnostic.
#[test]
fn clean_input_checks_clean() {
    for args in [
        vec!["check", "--deny-warnings"],
        vec![
            "check",
            "--deny-warnings",
            "--evidence",
            TOY_EVIDENCE,
            "tests/fixtures/toy/claims",
        ],
    ] {
        let out = factcheck().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr.trim(), "check: 0 errors, 0 warnings", "{args:?}");
    }
}

/// The same diagnostics as data: code, severity, file, line, column,
/// labels and help.
#[test]
fn diagnostics_as_json() {
    let mut cmd = check("unknown_column");
    cmd.args(["--format", "json"]);
    assert_cmd_snapshot!(cmd);
}

/// One run reports every problem in every file, not just the first.
#[test]
fn every_problem_in_every_file_is_reported() {
    let out = factcheck()
        .args([
            "check",
            "--evidence",
            "tests/fixtures/cases/evidence_unknown_source/evidence",
            "tests/fixtures/cases/unknown_function/claims.toml",
            "tests/fixtures/cases/unknown_table/claims.toml",
            "tests/fixtures/cases/duplicate_id/claims.toml",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    for code in [
        "error[evidence/unknown-source]",
        "error[claim/unknown-function]",
        "error[claim/unknown-name]",
        "error[claim/duplicate-id]",
    ] {
        assert!(stderr.contains(code), "missing {code} in:\n{stderr}");
    }
    assert_eq!(out.status.code(), Some(2));
}

/// Checking one claim file of a collection, evidence it does not use may
/// be another article's: it is not reported unused; the file's own unused
/// definitions still are.
#[test]
fn one_claim_file_is_not_told_of_other_articles_evidence() {
    let dir = format!("{CASES}/evidence_unused");
    let out = factcheck()
        .args([
            "check",
            "--format",
            "json",
            "--evidence",
            &format!("{dir}/evidence"),
            &format!("{dir}/claims/article.toml"),
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("evidence/unused"), "{text}");
    assert!(text.contains("claim/unused-definition"), "{text}");
    // The whole collection is told of them (the snapshot above).
    let whole = factcheck()
        .args([
            "check",
            "--format",
            "json",
            "--evidence",
            &format!("{dir}/evidence"),
            &format!("{dir}/claims"),
        ])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&whole.stdout).contains("evidence/unused-table"));
}

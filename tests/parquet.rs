//! Parquet data files (feature `parquet`): the declared columns only are
//! read, values exactly, and a file with a missing column, a value of the
//! wrong type, or damaged bytes is a located error (exit 2, no panic).
//! Without the feature, a Parquet table is a located error saying how to
//! build with it. The fixtures are made by tests/fixtures/parquet/make.py.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::factcheck;

const DIR: &str = "tests/fixtures/parquet";

/// The fixture's table file, its data file named `data`, with `edit`
/// applied to its text.
fn table_with(data: &str, edit: impl Fn(String) -> String) -> String {
    let text = std::fs::read_to_string(format!("{DIR}/evidence/items.toml")).unwrap();
    edit(text.replace("csv = \"small.parquet\"", &format!("csv = \"{data}\"")))
}

/// An evidence directory holding the fixture's sources, `table` as its
/// table file and the Parquet file `data` (from the fixture directory).
fn evidence_with(table: &str, data: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{DIR}/evidence/sources.toml"),
        dir.path().join("sources.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("items.toml"), table).unwrap();
    let from = if data == "small.parquet" {
        format!("{DIR}/evidence/{data}")
    } else {
        format!("{DIR}/{data}")
    };
    std::fs::copy(from, dir.path().join(data)).unwrap();
    dir
}

/// `factcheck check` on an evidence directory holding the fixture's
/// sources, `table` as its table file and the Parquet file `data` (from
/// the fixture directory); its exit code and standard error.
fn check_with(table: &str, data: &str) -> (Option<i32>, String) {
    let dir = evidence_with(table, data);
    let out = factcheck()
        .args(["check", "--evidence"])
        .arg(dir.path())
        .arg(format!("{DIR}/claims/items.toml"))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Without the feature, a Parquet table is a located error naming the
/// feature.
#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_a_parquet_table_says_how_to_build() {
    let (code, stderr) = check_with(&table_with("small.parquet", |t| t), "small.parquet");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("evidence/parquet"), "{stderr}");
    assert!(stderr.contains("--features parquet"), "{stderr}");
    assert!(stderr.contains("items.toml"), "{stderr}");
}

/// Without the feature, `describe` of a Parquet file says how to build.
#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_describe_says_how_to_build() {
    let out = factcheck()
        .args(["describe", &format!("{DIR}/evidence/small.parquet")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("describe/unreadable"), "{stderr}");
    assert!(stderr.contains("--features parquet"), "{stderr}");
}

#[cfg(feature = "parquet")]
mod with_feature {
    use super::*;
    use crate::common::{description_verifies, Described};
    use insta_cmd::assert_cmd_snapshot;

    /// Every value type is read exactly (the DOUBLE 0.1 as 1/10: 1.5 + 0.1
    /// is 1.6), NULL is unknown, and the undeclared `blob` and `stamp`
    /// columns (types no column reads) are never decoded.
    #[test]
    fn a_parquet_table_verifies() {
        let mut cmd = factcheck();
        cmd.args([
            "verify",
            "--evidence",
            &format!("{DIR}/evidence"),
            &format!("{DIR}/claims/items.toml"),
        ]);
        assert_cmd_snapshot!(cmd);
    }

    /// `describe` types the plain columns from their values, lists the
    /// others (binary, timestamps) in a comment, and hashes the file.
    #[test]
    fn describe_a_parquet_file() {
        let mut cmd = factcheck();
        cmd.args(["describe", &format!("{DIR}/evidence/small.parquet")]);
        assert_cmd_snapshot!(cmd);
    }

    /// What `describe` writes for a Parquet file is a table file that
    /// loads: with a source declared, `check` finds no error.
    #[test]
    fn a_parquet_description_loads() {
        let data = format!("{DIR}/evidence/small.parquet");
        let sources = format!("{DIR}/evidence/sources.toml");
        let described = Described {
            data: &data,
            table: "items.toml",
            copies: &[&sources],
            sources: None,
            measure:
                "sum(items where amount is known, amount) + sum(items where ratio is known, ratio)",
            states: "14.15",
        };
        description_verifies(&described, |text| {
            text.replace("# sources = [\"<id>\"]", "sources = [\"items-test\"]")
                .replace("name = \"small\"", "name = \"items\"")
        });
    }

    /// Two rows with one key, and a row whose key is NULL: located at the
    /// table file's `csv = "…"`, naming the rows.
    #[test]
    fn key_problems_name_their_rows() {
        let table = "[table]\nname = \"items\"\ndescription = \"d\"\ncsv = \"dupkey.parquet\"\nkey = \"id\"\nsources = [\"items-test\"]\n\n[[column]]\nname = \"id\"\ntype = \"text\"\n\n[[column]]\nname = \"n\"\ntype = \"integer\"\n";
        let (code, stderr) = check_with(table, "dupkey.parquet");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains("key `a` appears twice (rows 1 and 3 of the Parquet file)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("a record's key cannot be unknown (row 4 of the Parquet file)"),
            "{stderr}"
        );
        assert_eq!(
            stderr.matches("csv = \"dupkey.parquet\"").count(),
            2,
            "{stderr}"
        );
    }

    /// A damaged Parquet file cannot be described: exit 2, no panic.
    #[test]
    fn a_damaged_parquet_file_is_not_described() {
        for data in ["truncated.parquet", "corrupt.parquet"] {
            let out = factcheck()
                .args(["describe", &format!("{DIR}/{data}")])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("describe/unreadable"), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }

    /// A declared column the file lacks is located at `csv = "…"`, with
    /// the near miss suggested.
    #[test]
    fn a_missing_column_is_located_with_a_suggestion() {
        let table = table_with("small.parquet", |t| {
            t.replace("header = \"label\"", "header = \"labels\"")
        });
        let (code, stderr) = check_with(&table, "small.parquet");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("evidence/missing-column"), "{stderr}");
        assert!(stderr.contains("has no column `labels`"), "{stderr}");
        assert!(stderr.contains("did you mean it"), "{stderr}");
        assert!(stderr.contains("`label`"), "{stderr}");
        assert!(stderr.contains("csv = \"small.parquet\""), "{stderr}");
    }

    /// A string where the column is an integer names its row and column.
    #[test]
    fn a_value_of_the_wrong_type_names_its_row_and_column() {
        let table = "[table]\nname = \"items\"\ndescription = \"d\"\ncsv = \"text_n.parquet\"\nsources = [\"items-test\"]\n\n[[column]]\nname = \"id\"\ntype = \"text\"\n\n[[column]]\nname = \"n\"\ntype = \"integer\"\n";
        let (code, stderr) = check_with(table, "text_n.parquet");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("evidence/bad-value"), "{stderr}");
        assert!(stderr.contains("not an integer"), "{stderr}");
        assert!(stderr.contains("row 1"), "{stderr}");
        assert!(stderr.contains("column `n`"), "{stderr}");
    }

    /// A Parquet type no column reads (a BLOB, a date column holding a
    /// TIMESTAMP) is an error when declared.
    #[test]
    fn a_parquet_type_no_column_reads_is_an_error() {
        let table = table_with("small.parquet", |t| {
            t + "\n[[column]]\nname = \"blob\"\ntype = \"text\"\n\n[[column]]\nname = \"stamp\"\ntype = \"date\"\n"
        });
        let (code, stderr) = check_with(&table, "small.parquet");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("binary"), "{stderr}");
        assert!(stderr.contains("a timestamp"), "{stderr}");
        assert!(stderr.contains("column `stamp`"), "{stderr}");
    }

    /// A cut or overwritten file is an `evidence/parquet` error, never a
    /// panic, and its bytes are not quoted.
    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        for data in ["truncated.parquet", "corrupt.parquet"] {
            let (code, stderr) = check_with(&table_with(data, |t| t), data);
            assert_eq!(code, Some(2), "{data}: {stderr}");
            assert!(stderr.contains("evidence/parquet"), "{data}: {stderr}");
            assert!(!stderr.contains("panicked"), "{data}: {stderr}");
            assert!(
                stderr.contains(&format!("csv = \"{data}\"")),
                "{data}: {stderr}"
            );
        }
    }

    /// The same table written with each compression writers use (snappy,
    /// zstd, gzip, none) reads the same values and gives the same report.
    #[test]
    fn every_compression_reads_the_same() {
        let report = |data: &str| {
            let dir = evidence_with(&table_with(data, |t| t), data);
            let out = factcheck()
                .args(["verify", "--format", "json", "--evidence"])
                .arg(dir.path())
                .arg(format!("{DIR}/claims/items.toml"))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), Some(0), "{data}: {stderr}");
            // Only the directory and the data file's name may differ.
            String::from_utf8_lossy(&out.stdout)
                .replace(&dir.path().display().to_string(), "DIR")
                .replace(data, "DATA")
        };
        let snappy = report("small.parquet");
        assert!(snappy.contains("\"supported\""), "{snappy}");
        for data in ["zstd.parquet", "gzip.parquet", "uncompressed.parquet"] {
            assert_eq!(report(data), snappy, "{data}");
        }
    }
}

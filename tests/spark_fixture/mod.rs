//! The Spark tests' fixture (tests/fixtures/spark), copied for a test that
//! changes how its `staff` table is read: shared by tests/spark.rs and
//! tests/spark_offline.rs.

use std::path::{Path, PathBuf};

/// Where the fixture is.
#[allow(dead_code)] // tests/spark_offline.rs copies it whole
pub const FIXTURE: &str = "tests/fixtures/spark";

/// The fixture copied into `dir`: `dir/claims`, and `dir/evidence` with
/// `staff.toml`'s `csv = "staff.csv"` line replaced by `staff_line`;
/// `staff.csv` is copied, as `edit_csv` makes it, when `staff_line` still
/// names it. The evidence directory.
pub fn fixture_in(dir: &Path, staff_line: &str, edit_csv: impl Fn(String) -> String) -> PathBuf {
    let ev = dir.join("evidence");
    let claims = dir.join("claims");
    std::fs::create_dir_all(&ev).unwrap();
    std::fs::create_dir_all(&claims).unwrap();
    for f in ["sources.toml", "stints.toml", "stints.csv"] {
        std::fs::copy(format!("{FIXTURE}/evidence/{f}"), ev.join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(format!("{FIXTURE}/evidence/staff.toml")).unwrap();
    assert!(toml.contains("csv = \"staff.csv\""));
    std::fs::write(
        ev.join("staff.toml"),
        toml.replace("csv = \"staff.csv\"", staff_line),
    )
    .unwrap();
    if staff_line.contains("csv = \"staff.csv\"") {
        let csv = std::fs::read_to_string(format!("{FIXTURE}/evidence/staff.csv")).unwrap();
        std::fs::write(ev.join("staff.csv"), edit_csv(csv)).unwrap();
    }
    for f in std::fs::read_dir(format!("{FIXTURE}/claims")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), claims.join(f.file_name())).unwrap();
    }
    ev
}

/// [`fixture_in`] a new temporary directory, `staff.csv` as it is.
#[allow(dead_code)] // tests/spark.rs copies into directories of its own
pub fn fixture(staff_line: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fixture_in(dir.path(), staff_line, |csv| csv);
    dir
}

//! Hostile sizes: `factcheck new` and `factcheck audit` on a text with no
//! sentence break quote a bounded context around each figure, and those
//! quotes (cut with ellipses) still anchor and cover their figures. Time
//! and memory are measured by hand (see the report of issue 9), not here.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;

use factcheck::extract::QUOTE_CONTEXT;

#[test]
fn a_skeleton_of_a_text_without_sentence_breaks_checks_and_covers_it() {
    let dir = std::env::temp_dir().join(format!("factcheck-resources-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let article = dir.join("ones.txt");
    // 4 KB, 2,048 figures, no sentence break: each quote is cut.
    std::fs::write(&article, "1 ".repeat(2_048)).unwrap();
    let claims = dir.join("ones.toml");
    let out = factcheck()
        .args(["new", "--lang", "en", "--published", "2025-01-01"])
        .args(["--url", "https://example.org/ones", "-o"])
        .args([&claims, &article])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let skeleton = std::fs::read_to_string(&claims).unwrap();
    assert!(skeleton.len() <= 2_048 * 1_024, "{} bytes", skeleton.len());
    let quotes: Vec<&str> = skeleton
        .lines()
        .filter(|l| l.starts_with("# quote = "))
        .collect();
    assert_eq!(quotes.len(), 2_048);
    assert!(quotes.iter().all(|q| q.len() <= 2 * QUOTE_CONTEXT + 32));
    assert!(quotes
        .iter()
        .any(|q| q.contains("\"… 1 1") && q.contains("1 1 …\"")));
    // Uncomment every claim, as not checkable: the file checks, and the
    // audit finds every figure covered by its cut quote.
    let mut filled = String::new();
    for line in skeleton.lines() {
        let claim_line = ["[[claim]]", "id = ", "quote = ", "claim = ", "states = "]
            .iter()
            .any(|k| line.starts_with(&format!("# {k}")));
        if line == "# measure = \"TODO\"" {
            filled.push_str("checkable = false\nreason = \"test\"\n");
        } else if claim_line {
            filled.push_str(&line[2..]);
            filled.push('\n');
        } else {
            filled.push_str(line);
            filled.push('\n');
        }
    }
    std::fs::write(&claims, &filled).unwrap();
    let check = factcheck()
        .args([
            "check",
            "--evidence",
            "tests/fixtures/toy/evidence",
            "--root",
        ])
        .args([&dir, &claims])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let audit = factcheck()
        .args(["audit", "--format", "json", "--root"])
        .arg(&dir)
        .arg(&claims)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["quantities"], 2_048);
    assert_eq!(
        f["covered"],
        2_048,
        "{}",
        String::from_utf8_lossy(&audit.stderr)
    );
    assert_eq!(f["drifted"].as_array().unwrap().len(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

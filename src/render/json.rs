//! JSON report: the serde form of [`Report`], keys in a stable order, no
//! timestamps and no absolute paths.

use crate::diag::DiagnosticJson;
use crate::verdict::Report;

/// Serialise a report as pretty JSON.
pub fn json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Serialise diagnostics as a JSON report with no claims.
pub fn diagnostics_json(diags: &[DiagnosticJson]) -> String {
    let value = serde_json::json!({
        "claims": [],
        "diagnostics": diags,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// What `factcheck verify --format json` prints: the report, or, when the
/// input is invalid, no claims and the diagnostics.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum JsonOutput {
    /// Verdicts.
    Report(Report),
    /// Invalid input.
    Invalid(InvalidInput),
}

/// The JSON output for invalid input.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // only its schema is used
struct InvalidInput {
    /// Always empty: no verdict is reported for invalid input.
    #[schemars(length(max = 0))]
    claims: Vec<crate::verdict::ClaimVerdict>,
    /// Every problem found.
    diagnostics: Vec<DiagnosticJson>,
}

/// The JSON Schema (draft 2020-12) of the JSON output, generated from the
/// report types.
pub fn schema() -> String {
    let mut schema = schemars::schema_for!(JsonOutput);
    schema.insert(
        "title".into(),
        serde_json::Value::String("factcheck JSON report".into()),
    );
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

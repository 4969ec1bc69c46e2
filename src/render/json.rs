//! JSON report: the serde form of [`Report`], keys in a stable order, no
//! timestamps and no absolute paths.

use crate::diag::{to_json, Diagnostic, Files};
use crate::verdict::Report;

/// Serialise a report as pretty JSON.
pub fn json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Serialise diagnostics as a JSON report with no claims.
pub fn diagnostics_json(files: &Files, diags: &[Diagnostic]) -> String {
    let value = serde_json::json!({
        "claims": [],
        "diagnostics": to_json(files, diags),
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

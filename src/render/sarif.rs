//! SARIF 2.1.0: one result per claim, located at the claim in its TOML
//! file and, when the article text was given, also at the quote in the
//! article. One rule per verdict. Verdicts chosen by `--fail-on` are
//! `error`s; other disagreements (`imprecise`, `undetermined`) are
//! `warning`s; `supported` claims are results of kind `pass` and
//! `not-checkable` ones of kind `notApplicable`. A claim that could not be
//! judged is an `error` (rule `error`, listed only when some claim has
//! it), located first where its problem was met. Invalid input becomes one
//! result per diagnostic, with the diagnostic code as the rule.
//!
//! File paths become `artifactLocation.uri` as percent-encoded relative URI
//! references ([`uri_path`]); text stays as written (it is JSON data).

use serde_json::{json, Value};

use super::text::uri_path;
use crate::diag::{DiagnosticJson, Severity};
use crate::verdict::{ClaimVerdict, Report, Verdict};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn driver(rules: Vec<Value>) -> Value {
    json!({
        "name": "factcheck",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    })
}

fn level_and_kind(v: Verdict, fail_on: &[Verdict]) -> (&'static str, &'static str) {
    if fail_on.contains(&v) {
        return ("error", "fail");
    }
    match v {
        Verdict::Supported => ("none", "pass"),
        Verdict::NotCheckable => ("none", "notApplicable"),
        Verdict::Undetermined => ("warning", "review"),
        Verdict::Imprecise | Verdict::Refuted => ("warning", "fail"),
        Verdict::Error => ("error", "fail"),
    }
}

fn location(uri: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri_path(uri) },
            "region": region,
        }
    })
}

fn result(c: &ClaimVerdict, fail_on: &[Verdict], rules: &[Verdict]) -> Value {
    let (level, kind) = level_and_kind(c.verdict, fail_on);
    let rule_index = rules.iter().position(|v| *v == c.verdict).unwrap_or(0);
    let mut locations = Vec::new();
    // A problem is placed first where it was met, then at the claim.
    if let Some(p) = &c.problem {
        if let (Some(f), Some(l)) = (&p.file, p.line) {
            let region = match p.column {
                Some(col) => json!({ "startLine": l, "startColumn": col }),
                None => json!({ "startLine": l }),
            };
            locations.push(location(f, region));
        }
    }
    locations.push(location(&c.file, json!({ "startLine": c.line })));
    if let Some(a) = &c.quote_at {
        locations.push(location(
            &a.file,
            json!({
                "startLine": a.line,
                "startColumn": a.column,
                "endLine": a.end_line,
                "endColumn": a.end_column,
            }),
        ));
    }
    let mut text = format!("{} `{}`: {}", c.verdict.label(), c.id, c.explanation);
    if let Some(q) = &c.quote {
        text = format!("{text} (quote: “{q}”)");
    }
    let mut v = json!({
        "ruleId": c.verdict.label(),
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": text },
        "locations": locations,
        "partialFingerprints": { "claimId/v1": format!("{}/{}", c.article, c.id) },
        "properties": {
            "claim": c.claim,
            "verdict": c.verdict.label(),
            "computed": c.computed.as_ref().map(|v| v.display.clone()),
            "allowed": c.allowed,
            "asOf": c.as_of,
            "sources": c.sources.iter().map(|s| s.url.clone()).collect::<Vec<_>>(),
        },
    });
    if !c.datasets.is_empty() {
        if let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert("datasets".into(), json!(c.datasets));
        }
    }
    if let Some(p) = &c.problem {
        if let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert("problem".into(), json!(p));
        }
    }
    v
}

/// Render a report as SARIF 2.1.0.
pub fn sarif(report: &Report, fail_on: &[Verdict]) -> String {
    let listed = report.summary.listed();
    let rules: Vec<Value> = listed
        .iter()
        .map(|v| {
            json!({
                "id": v.label(),
                "shortDescription": { "text": format!("claim {}", v.label()) },
                "fullDescription": { "text": v.meaning() },
                "defaultConfiguration": { "level": level_and_kind(*v, fail_on).0 },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .claims
        .iter()
        .map(|c| result(c, fail_on, &listed))
        .collect();
    document(rules, results)
}

/// Invalid input as SARIF: a result per diagnostic.
pub fn sarif_invalid(diags: &[DiagnosticJson]) -> String {
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| json!({ "id": c, "shortDescription": { "text": c } }))
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text = format!("{text} (help: {h})");
            }
            let locations: Vec<Value> = match (&d.file, d.line, d.column) {
                (Some(f), Some(l), Some(c)) => {
                    vec![location(f, json!({ "startLine": l, "startColumn": c }))]
                }
                (Some(f), _, _) => vec![json!({
                    "physicalLocation": { "artifactLocation": { "uri": uri_path(f) } }
                })],
                _ => Vec::new(),
            };
            json!({
                "ruleId": d.code,
                "ruleIndex": codes.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level,
                "message": { "text": text },
                "locations": locations,
            })
        })
        .collect();
    document(rules, results)
}

/// A SARIF log with one run of factcheck.
fn document(rules: Vec<Value>, results: Vec<Value>) -> String {
    let v = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver(rules) },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

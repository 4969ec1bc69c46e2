//! JUnit XML: one test suite per claim file, one test case per claim.
//! Verdicts chosen by `--fail-on` (default `refuted`) are failures,
//! `not-checkable` claims are skipped, claims that could not be judged are
//! errors (typed by their problem's code), the others pass. Diagnostics
//! (invalid input, `check`) are a test case each: errors as errors,
//! warnings as passing cases with their text (none is dropped). The explanation is the failure message.
//!
//! Written by hand (a few elements) rather than through an XML library.
//! Every field from the user's files is made visible with [`term`] (CI
//! systems print these messages in their logs) and escaped for XML with
//! [`xml_text`] or [`xml_attr`], so the document is well-formed XML 1.0
//! whatever the input, and parses back to the text shown.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::{term, xml_attr, xml_text};
use crate::diag::{DiagnosticJson, Severity};
use crate::verdict::{ClaimVerdict, Report, Verdict};

/// A user field as an attribute value.
fn attr(s: &str) -> String {
    xml_attr(&term(s))
}

/// The text of a test case: one line per field, each made visible.
fn body(c: &ClaimVerdict) -> String {
    let mut s = String::new();
    if let Some(q) = &c.quote {
        let _ = writeln!(s, "quote: {}", term(q));
    }
    let _ = writeln!(s, "claim: {}", term(&c.claim));
    if let Some(m) = &c.measure {
        let _ = writeln!(
            s,
            "measure: {}",
            term(&m.split_whitespace().collect::<Vec<_>>().join(" "))
        );
    }
    if let Some(v) = &c.computed {
        let _ = writeln!(s, "computed: {}", term(&v.display));
    }
    if let (Some(st), Some(a)) = (&c.states, &c.allowed) {
        let _ = writeln!(s, "states: \"{}\" allows {}", term(st), term(a));
    }
    let _ = writeln!(s, "as of: {}", term(&c.as_of));
    if let Some(p) = &c.problem {
        let _ = writeln!(
            s,
            "problem: {} at {}: {}",
            p.code,
            term(&p.place()),
            term(&p.message)
        );
        if let Some(h) = &p.help {
            let _ = writeln!(s, "help: {}", term(h));
        }
    }
    let _ = writeln!(
        s,
        "verdict: {}: {}",
        c.verdict.label(),
        term(&c.explanation)
    );
    for d in &c.datasets {
        let _ = writeln!(s, "dataset [{}]: {}", term(&d.table), term(&d.citation()));
    }
    for src in &c.sources {
        let _ = writeln!(
            s,
            "source [{}]: {} ({})",
            term(&src.id),
            term(&src.title),
            term(&src.url)
        );
    }
    s
}

/// Render a report as JUnit XML.
pub fn junit(report: &Report, fail_on: &[Verdict]) -> String {
    let mut suites: BTreeMap<&str, Vec<&ClaimVerdict>> = BTreeMap::new();
    for c in &report.claims {
        suites.entry(c.file.as_str()).or_default().push(c);
    }
    let errored = |c: &&ClaimVerdict| c.verdict == Verdict::Error;
    let failed = |c: &&ClaimVerdict| fail_on.contains(&c.verdict) && !errored(c);
    let skipped = |c: &&ClaimVerdict| c.verdict == Verdict::NotCheckable && !failed(c);
    let total_failures = report.claims.iter().filter(|c| failed(c)).count();
    let total_errors = report.claims.iter().filter(|c| errored(c)).count();
    let total_skipped = report.claims.iter().filter(|c| skipped(c)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"factcheck\" tests=\"{}\" failures=\"{total_failures}\" errors=\"{total_errors}\" skipped=\"{total_skipped}\">",
        report.claims.len()
    );
    for (file, claims) in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            attr(file),
            claims.len(),
            claims.iter().filter(|c| failed(c)).count(),
            claims.iter().filter(|c| errored(c)).count(),
            claims.iter().filter(|c| skipped(c)).count()
        );
        for c in claims {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
                attr(&c.id),
                attr(&c.article),
                attr(&c.file),
                c.line
            );
            if let (true, Some(p)) = (errored(&c), &c.problem) {
                let _ = write!(
                    out,
                    "\n      <error type=\"{}\" message=\"{}\">{}</error>\n    ",
                    xml_attr(&p.code),
                    attr(&c.explanation),
                    xml_text(&body(c))
                );
            } else if failed(&c) {
                let _ = write!(
                    out,
                    "\n      <failure type=\"{}\" message=\"{}: {}\">{}</failure>\n    ",
                    c.verdict.label(),
                    c.verdict.label(),
                    attr(&c.explanation),
                    xml_text(&body(c))
                );
            } else if skipped(&c) {
                let _ = write!(
                    out,
                    "\n      <skipped message=\"{}\"/>\n    ",
                    attr(&c.explanation)
                );
            } else {
                let _ = write!(
                    out,
                    "\n      <system-out>{}</system-out>\n    ",
                    xml_text(&body(c))
                );
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Diagnostics as JUnit (invalid input, or `check`): one suite, one
/// erroring test case per error, then one passing test case per warning
/// (its text in `system-out`), so no problem is dropped.
pub fn junit_invalid(diags: &[DiagnosticJson]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"factcheck\" tests=\"{}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">",
        diags.len(),
        n = errors
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"input\" tests=\"{}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">",
        diags.len(),
        n = errors
    );
    for d in diags {
        let place = match (&d.file, d.line, d.column) {
            (Some(f), Some(l), Some(c)) => format!("{}:{l}:{c}", term(f)),
            (Some(f), _, _) => term(f),
            _ => "(no file)".into(),
        };
        let mut text = format!("{place}: {}", term(&d.message));
        if let Some(h) = &d.help {
            let _ = write!(text, "\nhelp: {}", term(h));
        }
        let inner = match d.severity {
            Severity::Error => format!(
                "<error type=\"{}\" message=\"{}\">{}</error>",
                xml_attr(d.code),
                attr(&d.message),
                xml_text(&text)
            ),
            Severity::Warning => {
                format!(
                    "<system-out>{}</system-out>",
                    xml_text(&format!("warning: {text}"))
                )
            }
        };
        let _ =
            writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"input\"{}{}>\n      {inner}\n    </testcase>",
            xml_attr(&format!("{} at {place}", d.code)),
            d.file.as_ref().map(|f| format!(" file=\"{}\"", attr(f))).unwrap_or_default(),
            d.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default(),
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

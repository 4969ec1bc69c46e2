//! GitHub Actions workflow commands: an annotation per claim that needs a
//! reader's attention, placed on the claim's line in its claim file.
//! Verdicts chosen by `--fail-on` are `::error`s, other disagreements
//! (`imprecise`, `undetermined`, and `refuted` when not failing) are
//! `::warning`s; supported and not-checkable claims get no annotation. A
//! `::notice` with the tally closes the output.

use std::fmt::Write;

use crate::diag::{DiagnosticJson, Severity};
use crate::verdict::{Report, Verdict};

/// Escape the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`) of a workflow command.
fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Render a report as workflow commands.
pub fn github(report: &Report, fail_on: &[Verdict]) -> String {
    let mut out = String::new();
    for c in &report.claims {
        let command = if fail_on.contains(&c.verdict) {
            "error"
        } else if matches!(
            c.verdict,
            Verdict::Imprecise | Verdict::Undetermined | Verdict::Refuted
        ) {
            "warning"
        } else {
            continue;
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},title={}::{}",
            prop(&c.file.replace('\\', "/")),
            c.line,
            prop(&format!("{} {}", c.verdict.label(), c.id)),
            data(&c.explanation)
        );
    }
    let s = &report.summary;
    let tally: Vec<String> = Verdict::ALL
        .iter()
        .filter(|v| s.count(**v) > 0)
        .map(|v| format!("{} {}", s.count(*v), v.label()))
        .collect();
    let _ = writeln!(
        out,
        "::notice title=factcheck::{}",
        data(&format!("{} claims: {}", s.total, tally.join(", ")))
    );
    out
}

/// Invalid input as workflow commands, one per diagnostic.
pub fn github_invalid(diags: &[DiagnosticJson]) -> String {
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!("file={}", prop(&f.replace('\\', "/"))));
        }
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = d.column {
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", prop(d.code)));
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            let _ = write!(msg, "\nhelp: {h}");
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&msg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(prop("a:b,c"), "a%3Ab%2Cc");
    }
}

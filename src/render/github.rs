//! GitHub Actions workflow commands: an annotation per claim that needs a
//! reader's attention, placed on the claim's line in its claim file.
//! Verdicts chosen by `--fail-on` are `::error`s, other disagreements
//! (`imprecise`, `undetermined`, and `refuted` when not failing) are
//! `::warning`s; supported and not-checkable claims get no annotation. A
//! claim that could not be judged is an `::error` placed where its problem
//! was met, whatever `--fail-on` says. A `::notice` with the tally closes
//! the output.
//!
//! Every line is a command the renderer writes: user text is made visible
//! with [`term`] (no line break, no control character) and escaped by
//! GitHub's rules ([`gh_data`](crate::render::text::gh_data),
//! [`gh_prop`](crate::render::text::gh_prop)), so none can start a line of
//! its own (`::add-mask::`, `::stop-commands::`, `##[group]`).

use std::fmt::Write;

use super::text::{gh_data as data, gh_prop as prop, term};
use crate::diag::{DiagnosticJson, Severity};
use crate::verdict::{Report, Verdict};

/// A verdict's message followed by the datasets its records come from
/// (`; data: …`), every part made safe for one annotation line.
fn with_datasets(mut msg: String, c: &crate::verdict::ClaimVerdict) -> String {
    for d in &c.datasets {
        let _ = write!(msg, "; data: {}", term(&d.citation()));
    }
    msg
}

/// Render a report as workflow commands.
pub fn github(report: &Report, fail_on: &[Verdict]) -> String {
    let mut out = String::new();
    for c in &report.claims {
        if let Some(p) = &c.problem {
            // Placed where the problem was met, when known.
            let mut props = vec![format!(
                "file={}",
                prop(&p.file.as_ref().unwrap_or(&c.file).replace('\\', "/"))
            )];
            props.push(format!("line={}", p.line.unwrap_or(c.line)));
            if let Some(col) = p.column {
                props.push(format!("col={col}"));
            }
            props.push(format!(
                "title={}",
                prop(&format!("{} {} ({})", c.verdict.label(), c.id, p.code))
            ));
            let mut msg = term(&c.explanation);
            if let Some(h) = &p.help {
                let _ = write!(msg, "; help: {}", term(h));
            }
            let _ = writeln!(out, "::error {}::{}", props.join(","), data(&msg));
            continue;
        }
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
            data(&with_datasets(term(&c.explanation), c))
        );
    }
    let s = &report.summary;
    let tally: Vec<String> = s
        .listed()
        .iter()
        .filter(|v| s.count(**v) > 0)
        .map(|v| format!("{} {}", s.count(*v), super::tally_word(*v)))
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
        let mut msg = term(&d.message);
        if let Some(h) = &d.help {
            let _ = write!(msg, "\nhelp: {}", term(h));
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&msg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::DiagnosticJson;

    #[test]
    fn user_text_never_starts_a_command() {
        let d = DiagnosticJson {
            severity: Severity::Error,
            code: "claim/x",
            message: "bad `a\n::add-mask::secret\r\n##[group]x`".into(),
            file: Some("claims/a,b:c\n::error::x.toml".into()),
            line: Some(1),
            column: Some(2),
            label: None,
            related: Vec::new(),
            help: Some("h\n::stop-commands::t".into()),
        };
        let out = github_invalid(&[d]);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert_eq!(
            out,
            "::error file=claims/a%2Cb%3Ac\\n%3A%3Aerror%3A%3Ax.toml,line=1,col=2,title=claim/x::\
             bad `a\\n::add-mask::secret\\r\\n##[group]x`%0Ahelp: h\\n::stop-commands::t\n"
        );
    }
}

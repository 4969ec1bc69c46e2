//! `factcheck explain`: the trace of one claim, for an editor to read
//! before publishing.

use std::fmt::Write;

use anstyle::Style;

use super::human::{paint, style};
use super::text::{sentence, term};
use crate::explain::Explanation;

/// Render a trace for people.
pub fn explain_human(e: &Explanation, color: bool) -> String {
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    let c = &e.verdict;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        paint(&format!("claim {}", term(&c.id)), bold, color),
        paint(&term(&c.location), dim, color)
    );
    if let Some(q) = &c.quote {
        let _ = write!(out, "  “{}”", term(q));
        if let Some(a) = &c.quote_at {
            let at = format!("  ({}:{}:{})", term(&a.file), a.line, a.column);
            let _ = write!(out, "{}", paint(&at, dim, color));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "  {}", term(&c.claim));
    let _ = writeln!(
        out,
        "  judged as of {}{}",
        term(&c.as_of),
        c.as_of_reason
            .as_ref()
            .map(|r| format!(" ({})", term(r)))
            .unwrap_or_default()
    );
    if let Some(d) = &c.said_on {
        let _ = writeln!(out, "  the article's words count from {}", term(d));
    }
    out.push('\n');
    if !e.steps.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint("1. The measure, part by part", bold, color)
        );
    }
    for s in &e.steps {
        let indent = "  ".repeat(s.depth + 1);
        match &s.value {
            Some(v) => {
                let _ = writeln!(out, "{indent}{}  =  {}", term(&s.expr), term(v));
            }
            None => {
                let _ = writeln!(out, "{indent}{}", paint(&term(&s.expr), dim, color));
            }
        }
        if let Some(r) = &s.records {
            let what = if r.kind == "filter" {
                format!(
                    "filter `{}` on {}: {} kept, {} possible, {} dropped",
                    r.expr, r.table, r.kept, r.possible, r.dropped
                )
            } else {
                format!("`{}` for each record of {}", r.expr, r.table)
            };
            let _ = writeln!(out, "{indent}  {}", paint(&term(&what), dim, color));
            for row in &r.rows {
                let mark = match row.outcome.as_str() {
                    "kept" | "true" => "✔",
                    "dropped" | "false" => "✘",
                    "possible" | "unknown" => "?",
                    _ => "·",
                };
                let because = if row.because.is_empty() {
                    String::new()
                } else {
                    format!("  {}", term(&row.because.join(", ")))
                };
                let _ = writeln!(
                    out,
                    "{indent}    {mark} {:<22} {}{}",
                    term(&row.key),
                    term(&row.outcome),
                    paint(&because, dim, color)
                );
            }
            let listed = r.rows.len();
            let total = r.kept + r.possible + r.dropped;
            if total > listed {
                let _ = writeln!(out, "{indent}    … and {} more records", total - listed);
            }
        }
    }
    if !e.steps.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", paint("2. What the article states", bold, color));
    match (&c.states, &c.allowed) {
        (Some(s), Some(a)) => {
            let _ = writeln!(out, "  \"{}\" allows {}", term(s), term(a));
        }
        (Some(s), None) => {
            let _ = writeln!(out, "  \"{}\"", term(s));
        }
        (None, _) if c.measure.is_some() => {
            let _ = writeln!(out, "  the measure is itself the assertion (a condition)");
        }
        (None, _) => {
            let _ = writeln!(out, "  nothing that data can settle");
        }
    }
    if let Some(q) = &e.qualifier {
        let _ = writeln!(
            out,
            "  qualifier ({}): {}",
            term(&q.words),
            term(&q.meaning)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint("3. Verdict", bold, color));
    let _ = writeln!(
        out,
        "  {}: {}",
        paint(&c.verdict.label().to_uppercase(), style(c.verdict), color),
        term(&sentence(&c.explanation))
    );
    if let Some(v) = &c.computed {
        let _ = writeln!(out, "  computed {}", term(&v.display));
    }
    readings(&mut out, c);
    if let Some(p) = &c.problem {
        let _ = writeln!(out, "  problem {} at {}", term(&p.code), term(&p.place()));
        if let Some(h) = &p.help {
            let _ = writeln!(out, "  help: {}", term(h));
        }
    }
    if let Some(r) = &c.rating {
        let _ = writeln!(out, "  rated {}: {}", term(&r.rating), term(&r.reason));
    }
    if let Some(n) = &c.note {
        let _ = writeln!(out, "  note: {}", term(n));
    }
    if !c.sources.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint("4. Sources", bold, color));
        for s in &c.sources {
            let _ = writeln!(
                out,
                "  [{}] {}, {}, {} — {} (cited by {} record{})",
                term(&s.id),
                term(&s.title),
                term(&s.publisher),
                term(&s.date),
                term(&s.url),
                s.cited_by,
                if s.cited_by == 1 { "" } else { "s" }
            );
        }
    }
    // The published datasets the records come from, with their pinned hash.
    for d in &c.datasets {
        let _ = writeln!(
            out,
            "  dataset of {} ({} record{}): {}",
            term(&d.table),
            d.records,
            if d.records == 1 { "" } else { "s" },
            term(&d.citation())
        );
    }
    out
}

/// Render a trace as JSON.
pub fn explain_json(e: &Explanation) -> String {
    let mut s = serde_json::to_string_pretty(e).unwrap_or_default();
    s.push('\n');
    s
}

/// The readings of disputed cells and the inferences a verdict rests on,
/// each with its verdict (`explain`'s verdict section).
fn readings(out: &mut String, c: &crate::verdict::ClaimVerdict) {
    if !c.readings.is_empty() {
        let _ = writeln!(out, "  sources disagree; the verdict under each reading:");
        for r in &c.readings {
            let _ = writeln!(
                out,
                "    {} \u{2192} {}{}",
                term(&r.values.join(" and ")),
                r.verdict.label(),
                r.computed
                    .as_ref()
                    .map(|v| format!(" (computed {})", term(v)))
                    .unwrap_or_default()
            );
        }
    }
    if let Some(without) = c.without_inferences {
        let _ = writeln!(
            out,
            "  with inferred values: {}; with sourced values only: {}",
            c.verdict.label(),
            without.label()
        );
        for i in &c.rests_on {
            let _ = writeln!(
                out,
                "    inferred {} = {} (sources state {}) by the rule \u{201c}{}\u{201d}",
                term(&i.cell),
                term(&i.value),
                term(&i.sourced),
                term(&i.rule)
            );
        }
    }
}

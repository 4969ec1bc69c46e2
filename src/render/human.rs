//! Human report: one block per claim and a summary line. Styled with ANSI
//! codes when `color` is set; the binary strips them for pipes and
//! `NO_COLOR`. Every field taken from the user's files goes through
//! [`term`], so none can start a line or emit a control sequence.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::text::term;
use crate::verdict::{ClaimVerdict, Report, Verdict};

/// Sources shown with title and address in a claim block.
const SOURCES_IN_FULL: usize = 6;

/// The colour of a verdict.
pub fn style(v: Verdict) -> Style {
    let c = match v {
        Verdict::Supported => AnsiColor::Green,
        Verdict::Imprecise => AnsiColor::Yellow,
        Verdict::Refuted => AnsiColor::Red,
        Verdict::Undetermined => AnsiColor::Magenta,
        Verdict::NotCheckable => AnsiColor::BrightBlack,
        Verdict::Error => AnsiColor::BrightRed,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "✔",
        Verdict::Imprecise => "≈",
        Verdict::Refuted => "✘",
        Verdict::Undetermined => "?",
        Verdict::NotCheckable => "–",
        Verdict::Error => "!",
    }
}

/// `text` in style `s` when `color` is set.
pub fn paint(text: &str, s: Style, color: bool) -> String {
    if color {
        format!("{s}{text}{s:#}")
    } else {
        text.to_string()
    }
}

/// Render a report for people.
pub fn human(report: &Report, color: bool) -> String {
    let mut out = String::new();
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    for a in &report.articles {
        let _ = writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "{} ({}, published {})",
                    term(&a.title),
                    term(&a.language),
                    term(&a.published)
                ),
                bold,
                color
            )
        );
        let _ = writeln!(
            out,
            "{}",
            paint(
                &if a.url.is_empty() {
                    term(&a.claim_file)
                } else {
                    format!("{}  ·  {}", term(&a.url), term(&a.claim_file))
                },
                dim,
                color
            )
        );
        out.push('\n');
    }
    for c in &report.claims {
        claim_block(&mut out, c, color);
    }
    let s = &report.summary;
    let mut parts = Vec::new();
    for v in s.listed() {
        let n = s.count(v);
        if n > 0 {
            parts.push(paint(
                &format!("{n} {}", super::tally_word(v)),
                style(v),
                color,
            ));
        }
    }
    let _ = writeln!(
        out,
        "{} claim{}: {}",
        s.total,
        if s.total == 1 { "" } else { "s" },
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    );
    out
}

fn claim_block(out: &mut String, c: &ClaimVerdict, color: bool) {
    let dim = Style::new().dimmed();
    let head = format!("{} {}", mark(c.verdict), c.verdict.label().to_uppercase());
    let _ = writeln!(
        out,
        "{}  {}  {}",
        paint(&head, style(c.verdict), color),
        paint(&term(&c.id), Style::new().bold(), color),
        paint(&term(&c.location), dim, color)
    );
    if let Some(q) = &c.quote {
        let _ = write!(out, "  “{}”", term(q));
        if let Some(a) = &c.quote_at {
            let at = format!("  ({}:{}:{})", term(&a.file), a.line, a.column);
            let _ = write!(out, "{}", paint(&at, Style::new().dimmed(), color));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "  {}", paint(&term(&c.claim), dim, color));
    // `value` is made of user text: shown through `term`.
    let field = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(
            out,
            "  {}{}",
            paint(&format!("{name:<10}"), dim, color),
            term(value)
        );
    };
    if let Some(m) = &c.measure {
        field(
            out,
            "measure",
            &m.split_whitespace().collect::<Vec<_>>().join(" "),
        );
    }
    if let Some(v) = &c.computed {
        field(out, "computed", &v.display);
    }
    if let Some(s) = &c.states {
        let allowed = c
            .allowed
            .as_deref()
            .map(|a| format!(" → allows {a}"))
            .unwrap_or_default();
        field(out, "states", &format!("\"{s}\"{allowed}"));
    }
    field(
        out,
        "as of",
        &format!(
            "{}{}",
            match &c.as_of_reason {
                Some(r) => format!("{} ({r})", c.as_of),
                None => c.as_of.clone(),
            },
            c.said_on
                .as_ref()
                .map(|d| format!("; the article's words count from {d}"))
                .unwrap_or_default()
        ),
    );
    if let Some(ch) = &c.changes {
        field(
            out,
            "changes",
            &format!(
                "{} from {}{}",
                ch.verdict.label(),
                ch.from,
                ch.computed
                    .as_ref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default()
            ),
        );
    }
    match &c.problem {
        Some(p) => {
            field(out, "problem", &format!("{} ({})", p.message, p.code));
            let place = p.place();
            if !place.is_empty() {
                field(out, "at", &place);
            }
            if let Some(h) = &p.help {
                field(out, "help", h);
            }
        }
        None => field(out, "because", &c.explanation),
    }
    if let Some(r) = &c.rating {
        field(out, "rating", &format!("{}: {}", r.rating, r.reason));
    }
    if let Some(n) = &c.note {
        field(out, "note", n);
    }
    for (i, wc) in c.witness_counts.iter().enumerate() {
        let keys: Vec<&str> = c
            .witnesses
            .iter()
            .filter(|w| w.table == wc.table)
            .map(|w| w.key.as_str())
            .collect();
        let shown = if wc.records > 8 {
            format!(
                "{}, … ({} records)",
                keys.iter().take(8).copied().collect::<Vec<_>>().join(", "),
                wc.records
            )
        } else {
            keys.join(", ")
        };
        field(
            out,
            if i == 0 { "evidence" } else { "" },
            &format!("{}: {shown}", wc.table),
        );
    }
    // The published datasets the records come from, with their pinned hash.
    for (i, d) in c.datasets.iter().enumerate() {
        field(
            out,
            if i == 0 { "dataset" } else { "" },
            &format!("{}: {}", d.table, d.citation()),
        );
    }
    // The most-cited sources with their addresses; the rest by id (the JSON
    // report has every source in full).
    for (i, s) in c.sources.iter().take(SOURCES_IN_FULL).enumerate() {
        field(
            out,
            if i == 0 { "sources" } else { "" },
            &format!("[{}] {} — {}", s.id, s.publisher, s.url),
        );
    }
    if c.sources.len() > SOURCES_IN_FULL {
        let rest: Vec<&str> = c
            .sources
            .iter()
            .skip(SOURCES_IN_FULL)
            .map(|s| &*s.id)
            .collect();
        field(
            out,
            "",
            &format!("and {} more: {}", rest.len(), rest.join(", ")),
        );
    }
    out.push('\n');
}

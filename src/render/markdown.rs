//! Markdown: a publishable fact-check of each article. A headline tally,
//! then per claim the quote, a verdict badge, the explanation in plain
//! words and the sources as links.
//!
//! Every field from the user's files is escaped
//! ([`md_text`](crate::render::text::md_text),
//! [`md_code`]): it renders as the text it
//! is, never as markup, HTML, a heading or a list. Only source addresses
//! that pass [`safe_url`] become links.

use std::fmt::Write;

use super::text::{md_code, md_text as esc, md_url, safe_url, sentence};
use super::verdict_title;
use crate::verdict::{ClaimVerdict, Report, Summary, Verdict};

fn badge(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "✅",
        Verdict::Imprecise => "🟡",
        Verdict::Refuted => "❌",
        Verdict::Undetermined => "❔",
        Verdict::NotCheckable => "➖",
        Verdict::Error => "⚠️",
    }
}

/// An explanation as text: its backquoted parts (the statement as
/// written, a figure) in quotation marks, “75%”, as the rest of the page
/// quotes the article (a backslash-escaped backquote would show as is in
/// the Markdown). A text whose backquotes do not pair keeps them.
fn explained(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return esc(s);
    }
    let quoted: String = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("“{p}”")
            } else {
                (*p).to_string()
            }
        })
        .collect();
    esc(&quoted)
}

fn link(text: &str, url: &str) -> String {
    match safe_url(url) {
        Some(u) => format!("[{}]({})", esc(text), md_url(&u)),
        // Not a safe link: the text, then the address as text.
        None if url.is_empty() => esc(text),
        None => format!("{} ({})", esc(text), esc(url)),
    }
}

/// A dataset's citation: its title as a link to its address, the rest as
/// text, the hash as code.
fn dataset(d: &crate::verdict::DatasetRef) -> String {
    let title = d.title.as_deref().unwrap_or(d.file.as_str());
    let mut parts = vec![link(title, d.url.as_deref().unwrap_or(""))];
    if let Some(p) = &d.publisher {
        parts.push(esc(p));
    }
    if let Some(v) = &d.version {
        parts.push(format!("version {}", esc(v)));
    }
    if let Some(r) = &d.retrieved {
        parts.push(format!("retrieved {}", esc(r)));
    }
    if let Some(h) = &d.sha256 {
        parts.push(format!("SHA-256 {}", esc(h)));
    }
    format!(
        "{} (table {}, {} records)",
        parts.join(", "),
        esc(&d.table),
        d.records
    )
}

fn tally(s: &Summary) -> String {
    let parts: Vec<String> = s
        .listed()
        .iter()
        .filter(|v| s.count(**v) > 0)
        .map(|v| {
            format!(
                "{} {} {}",
                badge(*v),
                s.count(*v),
                verdict_title(*v).to_lowercase()
            )
        })
        .collect();
    format!(
        "**{} claim{} checked:** {}",
        s.total,
        if s.total == 1 { "" } else { "s" },
        parts.join(" · ")
    )
}

/// Render a report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    for a in &report.articles {
        let claims: Vec<&ClaimVerdict> =
            report.claims.iter().filter(|c| c.article == a.id).collect();
        let owned: Vec<ClaimVerdict> = claims.iter().map(|c| (*c).clone()).collect();
        let _ = writeln!(out, "# Fact-check: {}\n", esc(&a.title));
        let _ = writeln!(
            out,
            "{} · language {} · published {} · claims in {}\n",
            link("The article", &a.url),
            md_code(&a.language),
            esc(&a.published),
            md_code(&a.claim_file)
        );
        let _ = writeln!(out, "{}\n", tally(&Summary::of(&owned)));
        for (i, c) in claims.iter().enumerate() {
            claim(&mut out, i + 1, c);
        }
    }
    let _ = writeln!(out, "---\n");
    let _ = writeln!(
        out,
        "Verdicts: {}",
        report
            .summary
            .listed()
            .iter()
            .map(|v| format!("{} **{}**: {}", badge(*v), verdict_title(*v), v.meaning()))
            .collect::<Vec<_>>()
            .join("; ")
    );
    out
}

fn claim(out: &mut String, n: usize, c: &ClaimVerdict) {
    let _ = writeln!(out, "## {n}. {}\n", esc(&c.claim));
    if let Some(q) = &c.quote {
        let _ = writeln!(out, "> “{}”\n", esc(q));
    }
    let mut head = format!("{} **{}**", badge(c.verdict), verdict_title(c.verdict));
    if let Some(r) = &c.rating {
        let _ = write!(head, " · rated *{}*: {}", esc(&r.rating), esc(&r.reason));
    }
    let _ = writeln!(out, "{head}\n");
    let _ = writeln!(out, "{}\n", explained(&sentence(&c.explanation)));
    let mut facts = Vec::new();
    if let Some(v) = &c.computed {
        facts.push(format!("Found in the evidence: {}", esc(&v.display)));
    }
    if let (Some(s), Some(a)) = (&c.states, &c.allowed) {
        facts.push(format!(
            "The article says “{}”, which allows {}",
            esc(s),
            esc(a)
        ));
    }
    if c.verdict != Verdict::NotCheckable {
        facts.push(match &c.as_of_reason {
            Some(r) => format!("Judged as of {} ({})", esc(&c.as_of), esc(r)),
            None => format!("Judged as of {}", esc(&c.as_of)),
        });
        if let Some(d) = &c.said_on {
            facts.push(format!("The article's words count from {}", esc(d)));
        }
        if let Some(ch) = &c.changes {
            facts.push(format!(
                "From {} the evidence gives {}",
                esc(&ch.from),
                esc(ch.verdict.label())
            ));
        }
    }
    if let Some(help) = c.problem.as_ref().and_then(|p| p.help.as_ref()) {
        facts.push(format!("To fix: {}", esc(help)));
    }
    if let Some(note) = &c.note {
        facts.push(format!("Note: {}", esc(note)));
    }
    for f in facts {
        let _ = writeln!(out, "- {f}");
    }
    if !c.datasets.is_empty() {
        let _ = writeln!(out, "\nDatasets:\n");
        for d in &c.datasets {
            let _ = writeln!(out, "- {}", dataset(d));
        }
    }
    if !c.sources.is_empty() {
        let _ = writeln!(out, "\nSources:\n");
        for s in &c.sources {
            let _ = writeln!(
                out,
                "- {}, {}, {}{}",
                link(&s.title, &s.url),
                esc(&s.publisher),
                esc(&s.date),
                super::source_kind_words(s)
            );
        }
    }
    out.push('\n');
}

//! `factcheck audit`: what each article says that no claim covers. Every
//! field from the user's files (paths, quotes, sentences, reasons) goes
//! through [`term`].

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::human::paint;
use super::text::term;
use crate::audit::Audit;

/// Render an audit for people.
pub fn audit_human(a: &Audit, color: bool) -> String {
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    let warn = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
    let good = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
    let mut out = String::new();
    for f in &a.files {
        let Some(article) = &f.article else {
            if let Some(reason) = &f.text_withheld {
                let _ = writeln!(
                    out,
                    "{}  {}\n",
                    paint(&term(&f.claim_file), bold, color),
                    paint(
                        &format!(
                            "not audited: the text is withheld ({}); pass --article to audit it",
                            term(reason)
                        ),
                        warn,
                        color
                    )
                );
                continue;
            }
            let _ = writeln!(
                out,
                "{}  {}\n",
                paint(&term(&f.claim_file), bold, color),
                paint(
                    "no article text: set [article] text or pass --article; nothing audited",
                    warn,
                    color
                )
            );
            continue;
        };
        let article = term(article);
        let claim_file = term(&f.claim_file);
        let _ = writeln!(
            out,
            "{}  {}",
            paint(&claim_file, bold, color),
            paint(
                &format!("article {article} (read as {})", f.language),
                dim,
                color
            )
        );
        let status = format!(
            "{} quantities, {} covered by claims or [[ignore]], {} uncovered, {} drifted quote{}",
            f.quantities,
            f.covered,
            f.uncovered.len(),
            f.drifted.len(),
            if f.drifted.len() == 1 { "" } else { "s" }
        );
        let clean = f.uncovered.is_empty() && f.drifted.is_empty();
        let _ = writeln!(
            out,
            "  {}",
            paint(&status, if clean { good } else { warn }, color)
        );
        if !f.uncovered.is_empty() {
            let _ = writeln!(out, "  uncovered:");
            for u in &f.uncovered {
                let _ = writeln!(
                    out,
                    "    {article}:{}:{}  {} ({}: {})",
                    u.line,
                    u.column,
                    term(&u.text),
                    u.kind,
                    term(&u.statement)
                );
                let _ = writeln!(
                    out,
                    "      {}",
                    paint(&format!("in “{}”", term(&u.sentence)), dim, color)
                );
            }
        }
        if !f.drifted.is_empty() {
            let _ = writeln!(
                out,
                "  drifted (quote no longer in the article; see the errors above):"
            );
            for d in &f.drifted {
                let who = d
                    .claim
                    .as_deref()
                    .map_or("an [[ignore]] passage".to_string(), |c| {
                        format!("claim `{}`", term(c))
                    });
                let _ = writeln!(out, "    {claim_file}:{}  {who}", d.line);
            }
        }
        if !f.ignored.is_empty() {
            let _ = writeln!(out, "  ignored on purpose:");
            for i in &f.ignored {
                let _ = writeln!(
                    out,
                    "    {claim_file}:{}  “{}” — {}",
                    i.line,
                    term(&i.quote),
                    term(&i.reason)
                );
            }
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "audit: {} claim file{}, {} uncovered quantit{}, {} drifted quote{}{}{}",
        a.files.len(),
        if a.files.len() == 1 { "" } else { "s" },
        a.uncovered(),
        if a.uncovered() == 1 { "y" } else { "ies" },
        a.drifted(),
        if a.drifted() == 1 { "" } else { "s" },
        match a.without_text() {
            0 => String::new(),
            n => format!(", {n} without article text"),
        },
        match a.withheld() {
            0 => String::new(),
            n => format!(", {n} with the text withheld"),
        }
    );
    out
}

/// Render an audit as JSON.
pub fn audit_json(a: &Audit) -> String {
    let mut s = serde_json::to_string_pretty(a).unwrap_or_default();
    s.push('\n');
    s
}

//! One self-contained HTML page: no external assets and no JavaScript. The
//! tally, filters by verdict (radio buttons and CSS), and each claim as a
//! `<details>` element that expands to its explanation, figures and
//! sources.
//!
//! Every field from the user's files, in text and in attribute values, goes
//! through [`esc`] (`text::html`): no element or attribute comes from the
//! input. Only source addresses that pass [`safe_url`] become `href`s.

use std::fmt::Write;

use super::text::{html as esc, safe_url, sentence};
use super::verdict_title;
use crate::verdict::{ClaimVerdict, Report, Verdict};

const STYLE: &str = r#"
:root { --fg: #1d1d1f; --dim: #5f6368; --line: #dadce0; --bg: #ffffff;
  --supported: #137333; --imprecise: #a36a00; --refuted: #c5221f;
  --undetermined: #7b1fa2; --not-checkable: #5f6368; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.meta { color: var(--dim); margin: 0 0 1rem; }
.tally { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.badge { display: inline-block; border-radius: 999px; padding: .05rem .6rem; color: #fff;
  font-size: .85rem; font-weight: 600; white-space: nowrap; }
.v-supported .badge, .badge.v-supported { background: var(--supported); }
.v-imprecise .badge, .badge.v-imprecise { background: var(--imprecise); }
.v-refuted .badge, .badge.v-refuted { background: var(--refuted); }
.v-undetermined .badge, .badge.v-undetermined { background: var(--undetermined); }
.v-not-checkable .badge, .badge.v-not-checkable { background: var(--not-checkable); }
.filters { margin: 0 0 1rem; }
.filters input { position: absolute; opacity: 0; }
.filters label { display: inline-block; border: 1px solid var(--line); border-radius: 999px;
  padding: .2rem .8rem; margin: 0 .3rem .4rem 0; cursor: pointer; }
.filters input:checked + label { background: var(--fg); color: var(--bg); border-color: var(--fg); }
.filters input:focus-visible + label { outline: 2px solid #1a73e8; outline-offset: 2px; }
details.claim { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
  margin: 0 0 .6rem; padding: .5rem .8rem; }
details.claim.v-supported { border-left-color: var(--supported); }
details.claim.v-imprecise { border-left-color: var(--imprecise); }
details.claim.v-refuted { border-left-color: var(--refuted); }
details.claim.v-undetermined { border-left-color: var(--undetermined); }
details.claim.v-not-checkable { border-left-color: var(--not-checkable); }
summary { cursor: pointer; }
summary q { font-style: italic; }
.restatement { color: var(--dim); margin: .4rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dt { color: var(--dim); }
dd { margin: 0; }
code { font-size: .9em; word-break: break-word; }
footer { color: var(--dim); font-size: .9rem; margin-top: 2rem; }
"#;

/// The style of the `error` verdict, added only to a report that has one.
const ERROR_STYLE: &str = ".v-error .badge, .badge.v-error { background: #b3261e; }
details.claim.v-error { border-left-color: #b3261e; border-left-style: double; }
";

fn filter_css(listed: &[Verdict]) -> String {
    let mut css = String::new();
    if listed.contains(&Verdict::Error) {
        css.push_str(ERROR_STYLE);
    }
    for v in listed {
        let _ = writeln!(
            css,
            "#show-{l}:checked ~ main .claim:not(.v-{l}) {{ display: none; }}",
            l = v.label()
        );
    }
    css
}

fn link(text: &str, url: &str) -> String {
    match safe_url(url) {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(&u), esc(text)),
        None if url.is_empty() => esc(text),
        None => format!("{} (<code>{}</code>)", esc(text), esc(url)),
    }
}

/// Render a report as one HTML page.
pub fn html(report: &Report) -> String {
    let title = match report.articles.as_slice() {
        [a] => format!("Fact-check: {}", a.title),
        _ => "Fact-check".to_string(),
    };
    let lang = match report.articles.as_slice() {
        [a] if !a.language.is_empty() => a.language.clone(),
        _ => "en".into(),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        esc(&title),
        filter_css(&report.summary.listed()),
        esc(&title)
    );
    for a in &report.articles {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} · published {} · claims in <code>{}</code></p>",
            link(&a.title, &a.url),
            esc(&a.published),
            esc(&a.claim_file)
        );
    }
    let s = &report.summary;
    let _ = writeln!(out, "<ul class=\"tally\" aria-label=\"verdicts\">");
    for v in s.listed() {
        let _ = writeln!(
            out,
            "<li><span class=\"badge v-{}\">{} {}</span></li>",
            v.label(),
            s.count(v),
            verdict_title(v)
        );
    }
    let _ = writeln!(out, "</ul>\n</header>");
    // Filters: radio buttons that are siblings of <main>, so CSS sibling
    // selectors can hide the claims of other verdicts.
    let _ = writeln!(
        out,
        "<div class=\"filters\" role=\"group\" aria-label=\"Show\">"
    );
    let _ = writeln!(
        out,
        "<input type=\"radio\" name=\"show\" id=\"show-all\" checked><label for=\"show-all\">All ({})</label>",
        s.total
    );
    for v in s.listed() {
        let _ = writeln!(
            out,
            "<input type=\"radio\" name=\"show\" id=\"show-{l}\"><label for=\"show-{l}\">{} ({})</label>",
            verdict_title(v),
            s.count(v),
            l = v.label()
        );
    }
    out.push_str("<main>\n");
    for c in &report.claims {
        claim(&mut out, c, &lang);
    }
    out.push_str("</main>\n</div>\n");
    let _ = writeln!(
        out,
        "<footer>{}</footer>\n</body>\n</html>",
        s.listed()
            .iter()
            .map(|v| format!("<b>{}</b>: {}", verdict_title(*v), esc(v.meaning())))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    out
}

fn claim(out: &mut String, c: &ClaimVerdict, lang: &str) {
    let _ = writeln!(
        out,
        "<details class=\"claim v-{}\" id=\"claim-{}\">",
        c.verdict.label(),
        esc(&c.id)
    );
    let shown = c.quote.as_deref().unwrap_or(&c.claim);
    let _ = writeln!(
        out,
        "<summary><span class=\"badge\">{}</span> <q lang=\"{}\">{}</q></summary>",
        verdict_title(c.verdict),
        esc(lang),
        esc(shown)
    );
    let _ = writeln!(out, "<p class=\"restatement\">{}</p>", esc(&c.claim));
    let _ = writeln!(out, "<p>{}</p>", esc(&sentence(&c.explanation)));
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(v) = &c.computed {
        rows.push(("Found", esc(&v.display)));
    }
    if let (Some(st), Some(a)) = (&c.states, &c.allowed) {
        rows.push((
            "Article says",
            format!("“{}”, which allows {}", esc(st), esc(a)),
        ));
    }
    if c.verdict != Verdict::NotCheckable {
        rows.push((
            "As of",
            match &c.as_of_reason {
                Some(r) => format!("{} ({})", esc(&c.as_of), esc(r)),
                None => esc(&c.as_of),
            },
        ));
        if let Some(d) = &c.said_on {
            rows.push(("Words count from", esc(d)));
        }
    }
    if let Some(m) = &c.measure {
        rows.push((
            "Measure",
            format!(
                "<code>{}</code>",
                esc(&m.split_whitespace().collect::<Vec<_>>().join(" "))
            ),
        ));
    }
    if let Some(p) = &c.problem {
        rows.push((
            "Problem",
            format!(
                "<code>{}</code> at <code>{}</code>{}",
                esc(&p.code),
                esc(&p.place()),
                p.help
                    .as_ref()
                    .map(|h| format!("; {}", esc(h)))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(r) = &c.rating {
        rows.push(("Rating", format!("{}: {}", esc(&r.rating), esc(&r.reason))));
    }
    if let Some(n) = &c.note {
        rows.push(("Note", esc(n)));
    }
    if !c.witness_counts.is_empty() {
        let records: Vec<String> = c
            .witness_counts
            .iter()
            .map(|w| {
                format!(
                    "{} {} record{}",
                    w.records,
                    esc(&w.table),
                    if w.records == 1 { "" } else { "s" }
                )
            })
            .collect();
        rows.push(("Evidence", records.join(", ")));
    }
    rows.push(("Claim", format!("<code>{}</code>", esc(&c.location))));
    out.push_str("<dl>\n");
    for (k, v) in rows {
        let _ = writeln!(out, "<dt>{k}</dt><dd>{v}</dd>");
    }
    out.push_str("</dl>\n");
    if !c.sources.is_empty() {
        out.push_str("<ol class=\"sources\">\n");
        for s in &c.sources {
            let _ = writeln!(
                out,
                "<li>{}, {}, {}{}</li>",
                link(&s.title, &s.url),
                esc(&s.publisher),
                esc(&s.date),
                super::source_kind_words(s)
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</details>\n");
}

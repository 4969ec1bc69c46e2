//! One self-contained HTML page: no external assets, no network and no
//! JavaScript. The tally, filters by verdict (radio buttons and CSS), then
//! one section per article with its own tally:
//!
//! - when the article's text is in the report ([`ArticleRef::text`]), the
//!   whole article, every anchored quote highlighted in place: coloured by
//!   verdict, with an icon and an underline style of its own (not colour
//!   alone). Each highlight is a link to its claim's card (`#card-N`);
//!   following it opens the card's `<details>` (browsers reveal a closed
//!   `<details>` holding the target of a fragment) and `:target` outlines
//!   it. Where quotes overlap (several claims on one passage), the passage
//!   is split at every quote's ends: each piece links to the shortest
//!   quote covering it, and every claim whose quote starts there gets a
//!   numbered pin of its own, so each claim keeps one focusable link;
//! - each claim as a `<details>` card whose collapsed line is its verdict
//!   and restatement, and which opens to its quote, the rule in words, a
//!   number line of the value found against the interval the wording
//!   allows ([`super::svg`]), the as-of date, the records and the sources.
//!   Claims whose quote is not in the text, and the claims of an article
//!   without text, are listed as cards only.
//!
//! The interface words follow the article's language ([`super::words`]).
//! Every field from the user's files, the article text included, goes
//! through [`esc`] (`text::html`), in text and in attribute values: no
//! element or attribute comes from the input. Only source addresses that
//! pass [`safe_url`] become `href`s. A claim's verdict over time is drawn
//! as a strip when the report carries it (`verify --timelines` computes
//! it: one evaluation per day on which the evidence changes, so only on
//! request; see [`crate::engine::attach_timelines`]).

use std::fmt::Write;

use super::svg::{number_line, timeline_strip};
use super::text::{html as esc, safe_url, sentence};
use super::words::{words, Words, EN};
use crate::verdict::{ArticleRef, ClaimVerdict, Report, Summary, Verdict};

const STYLE: &str = r#"
:root { --fg: #1d1d1f; --dim: #5f6368; --line: #dadce0; --bg: #ffffff;
  --supported: #137333; --imprecise: #a36a00; --refuted: #c5221f;
  --undetermined: #7b1fa2; --not-checkable: #5f6368; --error: #b3261e; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 1.5rem 0 .25rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .5rem; color: var(--dim); }
.meta { color: var(--dim); margin: 0 0 1rem; }
.tally { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.badge { display: inline-block; border-radius: 999px; padding: .05rem .6rem; color: #fff;
  font-size: .85rem; font-weight: 600; white-space: nowrap; }
.v-supported .badge, .badge.v-supported { background: var(--supported); }
.v-imprecise .badge, .badge.v-imprecise { background: var(--imprecise); }
.v-refuted .badge, .badge.v-refuted { background: var(--refuted); }
.v-undetermined .badge, .badge.v-undetermined { background: var(--undetermined); }
.v-not-checkable .badge, .badge.v-not-checkable { background: var(--not-checkable); }
.v-error .badge, .badge.v-error { background: var(--error); }
.filters { margin: 0 0 1rem; }
.filters input { position: absolute; opacity: 0; }
.filters label { display: inline-block; border: 1px solid var(--line); border-radius: 999px;
  padding: .2rem .8rem; margin: 0 .3rem .4rem 0; cursor: pointer; }
.filters input:checked + label { background: var(--fg); color: var(--bg); border-color: var(--fg); }
.filters input:focus-visible + label { outline: 2px solid #1a73e8; outline-offset: 2px; }
.text { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem; margin: 0 0 1rem;
  max-height: 70vh; overflow-y: auto; }
.text p { white-space: pre-line; overflow-wrap: anywhere; }
a.hl { color: inherit; text-decoration-line: underline; text-decoration-thickness: 2px;
  text-underline-offset: 3px; border-radius: 2px; padding: 0 1px; }
a.hl:hover, a.hl:focus-visible, a.pin:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
a.hl.depth2 { text-decoration-thickness: 4px; }
.hl.v-supported { background: #e6f4ea; text-decoration-color: var(--supported); text-decoration-style: solid; }
.hl.v-imprecise { background: #fef7e0; text-decoration-color: var(--imprecise); text-decoration-style: dotted; }
.hl.v-refuted { background: #fce8e6; text-decoration-color: var(--refuted); text-decoration-style: wavy; }
.hl.v-undetermined { background: #f3e8fd; text-decoration-color: var(--undetermined); text-decoration-style: dashed; }
.hl.v-not-checkable { background: #f1f3f4; text-decoration-color: var(--not-checkable); text-decoration-style: double; }
.hl.v-error { background: #fce8e6; text-decoration-color: var(--error); text-decoration-style: double; }
a.pin { display: inline-block; font-size: .75rem; font-weight: 700; line-height: 1.2; color: #fff;
  border-radius: 999px; padding: 0 .35rem; margin: 0 .15rem; text-decoration: none; vertical-align: .15em; }
a.pin.v-supported { background: var(--supported); }
a.pin.v-imprecise { background: var(--imprecise); }
a.pin.v-refuted { background: var(--refuted); }
a.pin.v-undetermined { background: var(--undetermined); }
a.pin.v-not-checkable { background: var(--not-checkable); }
a.pin.v-error { background: var(--error); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
details.claim { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
  margin: 0 0 .6rem; padding: .5rem .8rem; scroll-margin-top: 1rem; }
details.claim.v-supported { border-left-color: var(--supported); }
details.claim.v-imprecise { border-left-color: var(--imprecise); }
details.claim.v-refuted { border-left-color: var(--refuted); }
details.claim.v-undetermined { border-left-color: var(--undetermined); }
details.claim.v-not-checkable { border-left-color: var(--not-checkable); }
details.claim.v-error { border-left-color: var(--error); border-left-style: double; }
details.claim:has(.card:target) { outline: 3px solid #1a73e8; outline-offset: 2px; }
.card { scroll-margin-top: 4rem; }
summary { cursor: pointer; }
.num { display: inline-block; min-width: 1.6em; color: var(--dim); font-weight: 700; }
blockquote { margin: .5rem 0; padding: 0 .8rem; border-left: 3px solid var(--line); font-style: italic; }
svg.numberline { display: block; max-width: 100%; height: auto; margin: .4rem 0; }
svg .axis { stroke: var(--dim); stroke-width: 1; }
svg .allowed { fill: #137333; fill-opacity: .25; }
svg .lenient { fill: #a36a00; fill-opacity: .18; }
svg .closed { stroke: #137333; stroke-width: 2; }
svg .open { stroke: #137333; stroke-width: 2; stroke-dasharray: 3 2; }
svg .value { fill: var(--fg); }
svg text { font: 11px system-ui, sans-serif; fill: var(--dim); }
svg .value-label { fill: var(--fg); font-weight: 700; }
svg.timeline { display: block; max-width: 100%; height: auto; margin: .4rem 0; }
svg .t-supported rect { fill: var(--supported); }
svg .t-imprecise rect { fill: var(--imprecise); }
svg .t-refuted rect { fill: var(--refuted); }
svg .t-undetermined rect { fill: var(--undetermined); }
svg .t-not-checkable rect { fill: var(--not-checkable); }
svg .t-error rect { fill: var(--error); }
svg g rect { stroke: #fff; stroke-width: 1; }
svg .t-icon { fill: #fff; font-weight: 700; }
svg .t-mark { stroke: var(--fg); stroke-width: 2; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dt { color: var(--dim); }
dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: .9em; word-break: break-word; }
footer { color: var(--dim); font-size: .9rem; margin-top: 2rem; }
@media (max-width: 40rem) {
  body { padding: .8rem; }
  dl { grid-template-columns: 1fr; }
  dt { margin-top: .3rem; }
  .text { max-height: none; padding: .1rem .6rem; }
}
"#;

fn filter_css(listed: &[Verdict]) -> String {
    let mut css = String::new();
    for v in listed {
        let _ = writeln!(
            css,
            "#show-{l}:checked ~ main .claim:not(.v-{l}) {{ display: none; }}",
            l = v.label()
        );
    }
    css
}

/// The icon of a verdict: a shape of its own beside its colour.
fn icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "✓",
        Verdict::Imprecise => "≈",
        Verdict::Refuted => "✗",
        Verdict::Undetermined => "?",
        Verdict::NotCheckable => "–",
        Verdict::Error => "!",
    }
}

fn link(text: &str, url: &str) -> String {
    match safe_url(url) {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(&u), esc(text)),
        None if url.is_empty() => esc(text),
        None => format!("{} (<code>{}</code>)", esc(text), esc(url)),
    }
}

/// The words of the page around the articles: their language when they
/// all have the same, English otherwise.
fn page_words(articles: &[ArticleRef]) -> &'static Words {
    let mut langs = articles.iter().map(|a| words(&a.language).lang);
    match langs.next() {
        Some(first) if langs.all(|l| l == first) => words(first),
        _ => &EN,
    }
}

fn tally(out: &mut String, s: &Summary, w: &Words) {
    let _ = writeln!(
        out,
        "<ul class=\"tally\" aria-label=\"{}\">",
        esc(w.verdicts)
    );
    for v in s.listed() {
        let _ = writeln!(
            out,
            "<li><span class=\"badge v-{}\"><span aria-hidden=\"true\">{}</span> {} {}</span></li>",
            v.label(),
            icon(v),
            s.count(v),
            esc(w.title(v))
        );
    }
    out.push_str("</ul>\n");
}

/// Render a report as one HTML page.
pub fn html(report: &Report) -> String {
    let pw = page_words(&report.articles);
    let title = match report.articles.as_slice() {
        [a] => format!("{}: {}", pw.fact_check, a.title),
        _ => pw.fact_check.to_string(),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        pw.lang,
        esc(&title),
        filter_css(&report.summary.listed()),
        esc(&title)
    );
    let s = &report.summary;
    tally(&mut out, s, pw);
    let _ = writeln!(out, "</header>");
    // Filters: radio buttons that are siblings of <main>, so CSS sibling
    // selectors can hide the claims of other verdicts.
    let _ = writeln!(
        out,
        "<div class=\"filters\" role=\"group\" aria-label=\"{}\">",
        esc(pw.show)
    );
    let _ = writeln!(
        out,
        "<input type=\"radio\" name=\"show\" id=\"show-all\" checked><label for=\"show-all\">{} ({})</label>",
        esc(pw.all),
        s.total
    );
    for v in s.listed() {
        let _ = writeln!(
            out,
            "<input type=\"radio\" name=\"show\" id=\"show-{l}\"><label for=\"show-{l}\">{} ({})</label>",
            esc(pw.title(v)),
            s.count(v),
            l = v.label()
        );
    }
    out.push_str("<main>\n");
    // Each claim in the section of its claim file's article (or, failing
    // that, of its article id); the rest at the end.
    let home = |c: &ClaimVerdict| {
        report
            .articles
            .iter()
            .position(|a| a.claim_file == c.file)
            .or_else(|| report.articles.iter().position(|a| a.id == c.article))
    };
    let mut by_article: Vec<Vec<usize>> = vec![Vec::new(); report.articles.len()];
    let mut others = Vec::new();
    for (k, c) in report.claims.iter().enumerate() {
        match home(c).and_then(|i| by_article.get_mut(i)) {
            Some(list) => list.push(k),
            None => others.push(k),
        }
    }
    for (i, (a, ks)) in report.articles.iter().zip(&by_article).enumerate() {
        article_section(&mut out, report, i, a, ks);
    }
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"article\">\n<h2>{}</h2>",
            esc(pw.other_claims)
        );
        for (n, k) in others.iter().enumerate() {
            if let Some(c) = report.claims.get(*k) {
                card(&mut out, c, *k, n + 1, ("en", ""), pw, false);
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</div>\n");
    let _ = writeln!(
        out,
        "<footer>{}</footer>\n</body>\n</html>",
        s.listed()
            .iter()
            .map(|v| format!(
                "<b><span aria-hidden=\"true\">{}</span> {}</b>: {}",
                icon(*v),
                esc(pw.title(*v)),
                esc(pw.meaning(*v))
            ))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    out
}

/// A claim's quote as a byte range of its article's text.
#[derive(Debug, Clone)]
struct Mark {
    start: usize,
    end: usize,
    /// Index of the claim in the report (its card is `card-{k+1}`).
    k: usize,
    /// Its number in its article's section (quotes in the order of the
    /// text, then the claims not marked).
    n: usize,
    verdict: Verdict,
}

/// The byte offset of a line and column (both 1-based, columns counting
/// characters) given the byte offsets where lines start; `None` when the
/// text has no such place.
fn byte_at(text: &str, line_starts: &[usize], line: usize, col: usize) -> Option<usize> {
    let start = *line_starts.get(line.checked_sub(1)?)?;
    let rest = text.get(start..)?;
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let k = col.checked_sub(1)?;
    let off = rest
        .char_indices()
        .map(|(i, _)| i)
        .take_while(|i| *i < line_len)
        .chain(std::iter::once(line_len))
        .nth(k)?;
    Some(start + off)
}

/// Paragraphs of a text, as byte ranges: blocks separated by blank lines,
/// or every line when the text has no blank line.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        let body = l.strip_suffix('\n').unwrap_or(l);
        lines.push((at, at + body.len(), body.trim().is_empty()));
        at += l.len();
    }
    let blank_lines = lines.iter().any(|l| l.2);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (s, e, blank) in lines {
        if blank {
            out.extend(current.take());
        } else if !blank_lines {
            out.push((s, e));
        } else {
            current = Some(current.map_or((s, e), |(cs, _)| (cs, e)));
        }
    }
    out.extend(current);
    out
}

/// Whether a line starts an item of a list (`- `, `* `, `• `, `1. `,
/// `2) `): the line break before it is kept, where other line breaks in a
/// paragraph (a text wrapped at a fixed width) become spaces.
fn starts_item(line: &str) -> bool {
    let l = line.trim_start_matches([' ', '\t']);
    let digits = l.len() - l.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    ["- ", "* ", "• ", "– "].iter().any(|m| l.starts_with(m))
        || (digits > 0
            && l.get(digits..)
                .is_some_and(|r| r.starts_with(". ") || r.starts_with(") ")))
}

/// The bytes `a..b` of the article for a `white-space: pre-line`
/// paragraph: each line escaped (a line break itself would be escaped),
/// joined by a line break before a list item, by a space otherwise.
fn text_html(text: &str, a: usize, b: usize) -> String {
    let piece = text.get(a..b).unwrap_or_default();
    let mut out = String::with_capacity(piece.len());
    let mut at = a;
    for (i, line) in piece.split('\n').enumerate() {
        if i > 0 {
            let next = text.get(at..).unwrap_or_default();
            out.push(if starts_item(next) { '\n' } else { ' ' });
        }
        out.push_str(&esc(line.strip_suffix('\r').unwrap_or(line)));
        at += line.len() + 1;
    }
    out
}

fn article_section(out: &mut String, report: &Report, i: usize, a: &ArticleRef, ks: &[usize]) {
    let w = words(&a.language);
    let _ = writeln!(
        out,
        "<section class=\"article\" id=\"article-{}\" lang=\"{}\">",
        i + 1,
        w.lang
    );
    let _ = writeln!(out, "<h2>{}</h2>", link(&a.title, &a.url));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} {} · {} <code>{}</code></p>",
        esc(w.published),
        esc(&a.published),
        esc(w.claims_in),
        esc(&a.claim_file)
    );
    let claims: Vec<ClaimVerdict> = ks
        .iter()
        .filter_map(|k| report.claims.get(*k).cloned())
        .collect();
    tally(out, &Summary::of(&claims), w);
    // The quotes found in the text, as byte ranges.
    let mut marks: Vec<Mark> = Vec::new();
    if let Some(text) = &a.text {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for k in ks {
            let Some(c) = report.claims.get(*k) else {
                continue;
            };
            let Some(q) = &c.quote_at else { continue };
            let place = (
                byte_at(text, &line_starts, q.line, q.column),
                byte_at(text, &line_starts, q.end_line, q.end_column),
            );
            if let (Some(start), Some(end)) = place {
                if start < end {
                    marks.push(Mark {
                        start,
                        end,
                        k: *k,
                        n: 0,
                        verdict: c.verdict,
                    });
                }
            }
        }
        // Numbered in the order the text shows them.
        marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end), m.k));
        for (n, m) in marks.iter_mut().enumerate() {
            m.n = n + 1;
        }
        if !marks.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", esc(w.the_article));
            let _ = writeln!(out, "<div class=\"text\" lang=\"{}\">", esc(&a.language));
            annotated(out, text, &marks, &report.claims, w);
            out.push_str("</div>\n");
        }
    }
    let marked = |k: usize| marks.iter().any(|m| m.k == k);
    if !marks.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", esc(w.claims));
        for m in &marks {
            if let Some(c) = report.claims.get(m.k) {
                card(out, c, m.k, m.n, (&a.language, &a.published), w, true);
            }
        }
    }
    let rest: Vec<(usize, usize)> = ks
        .iter()
        .filter(|k| !marked(**k))
        .enumerate()
        .map(|(n, k)| (marks.len() + n + 1, *k))
        .collect();
    if !rest.is_empty() {
        let heading = if marks.is_empty() {
            w.claims
        } else {
            w.not_in_text
        };
        let _ = writeln!(out, "<h3>{}</h3>", esc(heading));
        for (n, k) in rest {
            if let Some(c) = report.claims.get(k) {
                card(out, c, k, n, (&a.language, &a.published), w, false);
            }
        }
    }
    out.push_str("</section>\n");
}

/// The article's paragraphs with the quotes marked.
fn annotated(out: &mut String, text: &str, marks: &[Mark], claims: &[ClaimVerdict], w: &Words) {
    let mut opened = vec![false; marks.len()];
    for (ps, pe) in paragraphs(text) {
        let mut cuts = vec![ps, pe];
        for m in marks {
            for x in [m.start, m.end] {
                if ps < x && x < pe {
                    cuts.push(x);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        out.push_str("<p>");
        for pair in cuts.windows(2) {
            let [a, b] = pair else { continue };
            let piece = text_html(text, *a, *b);
            // The quotes covering this piece, the one starting first (and
            // longest) first.
            let mut covering: Vec<usize> = (0..marks.len())
                .filter(|i| marks.get(*i).is_some_and(|m| m.start <= *a && *b <= m.end))
                .collect();
            covering.sort_by_key(|i| marks.get(*i).map(|m| (m.start, std::cmp::Reverse(m.end))));
            if covering.is_empty() {
                out.push_str(&piece);
                continue;
            }
            let Some(inner) = covering
                .iter()
                .copied()
                .min_by_key(|i| marks.get(*i).map(|m| m.end - m.start))
                .and_then(|i| marks.get(i))
            else {
                continue;
            };
            let fresh: Vec<usize> = covering
                .iter()
                .copied()
                .filter(|i| !opened.get(*i).copied().unwrap_or(true))
                .collect();
            // One claim alone on a piece where it starts: the highlight is
            // its link. Otherwise every claim starting here gets a pin.
            let own = match (covering.as_slice(), fresh.as_slice()) {
                ([one], [fresh_one]) if one == fresh_one => marks.get(*one),
                _ => None,
            };
            if own.is_none() {
                for i in &fresh {
                    if let Some(m) = marks.get(*i) {
                        let c = claims.get(m.k);
                        let _ = write!(
                            out,
                            "<a class=\"pin v-{}\" id=\"mark-{}\" href=\"#card-{}\" title=\"{}\">\
                             <span aria-hidden=\"true\">{}</span>{}<span class=\"sr\"> {}: {}</span></a>",
                            m.verdict.label(),
                            m.k + 1,
                            m.k + 1,
                            esc(&format!(
                                "{} {}: {}",
                                w.title(m.verdict),
                                m.n,
                                c.map(|c| c.claim.as_str()).unwrap_or_default()
                            )),
                            icon(m.verdict),
                            m.n,
                            esc(w.title(m.verdict)),
                            esc(c.map(|c| c.claim.as_str()).unwrap_or_default())
                        );
                    }
                }
            }
            for i in &fresh {
                if let Some(o) = opened.get_mut(*i) {
                    *o = true;
                }
            }
            let depth = if covering.len() > 1 { " depth2" } else { "" };
            match own {
                Some(m) => {
                    let c = claims.get(m.k);
                    let _ = write!(
                        out,
                        "<a class=\"hl v-{}{depth}\" id=\"mark-{}\" href=\"#card-{}\" title=\"{}\">\
                         <span aria-hidden=\"true\">{}</span><span class=\"sr\">{} {}: </span>{}</a>",
                        m.verdict.label(),
                        m.k + 1,
                        m.k + 1,
                        esc(&format!(
                            "{} {}: {}",
                            w.title(m.verdict),
                            m.n,
                            c.map(|c| c.claim.as_str()).unwrap_or_default()
                        )),
                        icon(m.verdict),
                        esc(w.title(m.verdict)),
                        m.n,
                        piece
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<a class=\"hl v-{}{depth}\" href=\"#card-{}\" tabindex=\"-1\">{}</a>",
                        inner.verdict.label(),
                        inner.k + 1,
                        piece
                    );
                }
            }
        }
        out.push_str("</p>\n");
    }
}

/// One claim's card: `k` is its index in the report, `n` its number in
/// its article's section, `marked` whether its quote is highlighted.
fn card(
    out: &mut String,
    c: &ClaimVerdict,
    k: usize,
    n: usize,
    (lang, published): (&str, &str),
    w: &Words,
    marked: bool,
) {
    let _ = writeln!(
        out,
        "<details class=\"claim v-{}\" id=\"claim-{}\">",
        c.verdict.label(),
        esc(&c.id)
    );
    let _ = writeln!(
        out,
        "<summary><span class=\"num\">{n}</span> <span class=\"badge\"><span aria-hidden=\"true\">{}</span> {}</span> {}</summary>",
        icon(c.verdict),
        esc(w.title(c.verdict)),
        esc(&c.claim)
    );
    let _ = writeln!(out, "<div class=\"card\" id=\"card-{}\">", k + 1);
    if let Some(q) = &c.quote {
        let _ = writeln!(
            out,
            "<blockquote lang=\"{}\"><q>{}</q></blockquote>",
            esc(lang),
            esc(q)
        );
    }
    let _ = writeln!(out, "<p>{}</p>", esc(&sentence(&c.explanation)));
    if let Some(svg) = number_line(c, w) {
        out.push_str(&svg);
        out.push('\n');
    }
    if let Some(svg) = timeline_strip(c, published, w, icon) {
        out.push_str(&svg);
        out.push('\n');
    }
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(v) = &c.computed {
        rows.push((w.found, esc(&v.display)));
    }
    if let (Some(st), Some(a)) = (&c.states, &c.allowed) {
        rows.push((
            w.article_says,
            format!("“{}”, {} {}", esc(st), esc(w.which_allows), esc(a)),
        ));
    }
    if c.verdict != Verdict::NotCheckable {
        rows.push((
            w.as_of,
            match &c.as_of_reason {
                Some(r) => format!("{} ({})", esc(&c.as_of), esc(r)),
                None => esc(&c.as_of),
            },
        ));
        if let Some(d) = &c.said_on {
            rows.push((w.words_count_from, esc(d)));
        }
    }
    if let Some(m) = &c.measure {
        rows.push((
            w.measure,
            format!(
                "<code>{}</code>",
                esc(&m.split_whitespace().collect::<Vec<_>>().join(" "))
            ),
        ));
    }
    if let Some(p) = &c.problem {
        rows.push((
            w.problem,
            format!(
                "<code>{}</code> {} <code>{}</code>{}",
                esc(&p.code),
                esc(w.at),
                esc(&p.place()),
                p.help
                    .as_ref()
                    .map(|h| format!("; {}", esc(h)))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(r) = &c.rating {
        rows.push((w.rating, format!("{}: {}", esc(&r.rating), esc(&r.reason))));
    }
    if let Some(note) = &c.note {
        rows.push((w.note, esc(note)));
    }
    if !c.witness_counts.is_empty() {
        let records: Vec<String> = c
            .witness_counts
            .iter()
            .map(|wc| {
                let keys: Vec<String> = c
                    .witnesses
                    .iter()
                    .filter(|x| x.table == wc.table)
                    .map(|x| {
                        format!(
                            "<span title=\"{}\">{}</span>",
                            esc(&x.location),
                            esc(&x.key)
                        )
                    })
                    .collect();
                let listed = if keys.is_empty() {
                    String::new()
                } else if keys.len() < wc.records {
                    format!(" ({}, …)", keys.join(", "))
                } else {
                    format!(" ({})", keys.join(", "))
                };
                format!(
                    "{} {} {}{listed}",
                    wc.records,
                    esc(&wc.table),
                    esc(w.records(wc.records))
                )
            })
            .collect();
        rows.push((w.evidence, records.join("; ")));
    }
    rows.push((w.claim, format!("<code>{}</code>", esc(&c.location))));
    out.push_str("<dl>\n");
    for (key, v) in rows {
        let _ = writeln!(out, "<dt>{}</dt><dd>{v}</dd>", esc(key));
    }
    out.push_str("</dl>\n");
    if !c.datasets.is_empty() {
        let _ = writeln!(
            out,
            "<ul class=\"datasets\" aria-label=\"{}\">",
            esc(w.datasets)
        );
        for d in &c.datasets {
            let title = d.title.as_deref().unwrap_or(d.file.as_str());
            let mut parts = vec![link(title, d.url.as_deref().unwrap_or(""))];
            for (label, v) in [
                ("", &d.publisher),
                (w.version, &d.version),
                (w.retrieved, &d.retrieved),
            ] {
                if let Some(v) = v {
                    parts.push(if label.is_empty() {
                        esc(v)
                    } else {
                        format!("{} {}", esc(label), esc(v))
                    });
                }
            }
            if let Some(h) = &d.sha256 {
                parts.push(format!("SHA-256 <code>{}</code>", esc(h)));
            }
            let _ = writeln!(out, "<li>{}</li>", parts.join(", "));
        }
        out.push_str("</ul>\n");
    }
    if !c.sources.is_empty() {
        let _ = writeln!(
            out,
            "<ol class=\"sources\" aria-label=\"{}\">",
            esc(w.sources)
        );
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
    if marked {
        let _ = writeln!(
            out,
            "<p><a href=\"#mark-{}\">{}</a></p>",
            k + 1,
            esc(w.show_in_article)
        );
    }
    out.push_str("</div>\n</details>\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_to_bytes() {
        let t = "ab\ncañón x\n";
        let starts = [0, 3, t.len()];
        assert_eq!(byte_at(t, &starts, 1, 1), Some(0));
        assert_eq!(byte_at(t, &starts, 2, 1), Some(3));
        // Column 6 is the space after "cañón" (5 characters, 7 bytes).
        assert_eq!(byte_at(t, &starts, 2, 6), Some(3 + "cañón".len()));
        // Just past the last character of a line.
        assert_eq!(byte_at(t, &starts, 2, 8), Some(3 + "cañón x".len()));
        assert_eq!(byte_at(t, &starts, 2, 9), None);
        assert_eq!(byte_at(t, &starts, 0, 1), None);
        assert_eq!(byte_at(t, &starts, 9, 1), None);
    }

    #[test]
    fn wrapped_lines_join_but_list_items_stay_apart() {
        let t = "Rust is\nfast:\n- safe;\n  * quick\n12. done\n3x\r\nend <b>";
        assert_eq!(
            text_html(t, 0, t.len()),
            "Rust is fast:\n- safe;\n  * quick\n12. done 3x end &lt;b&gt;"
        );
        // A piece that ends at a line break looks past its end.
        assert_eq!(text_html(t, 0, 14), "Rust is fast:\n");
        assert_eq!(text_html(t, 0, 8), "Rust is ");
    }

    #[test]
    fn paragraphs_split_at_blank_lines_or_every_line() {
        let t = "a\nb\n\n \nc\n";
        let ps = paragraphs(t);
        let texts: Vec<&str> = ps.iter().map(|(s, e)| &t[*s..*e]).collect();
        assert_eq!(texts, ["a\nb", "c"]);
        let t = "a\nb\r\nc";
        let texts: Vec<String> = paragraphs(t)
            .iter()
            .map(|(s, e)| t[*s..*e].to_string())
            .collect();
        assert_eq!(texts, ["a", "b\r", "c"]);
    }
}

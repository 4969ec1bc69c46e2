//! The HTML report shows the article with its claims marked in place
//! (issue 15): every anchored quote a link to its card, overlapping quotes
//! each with a link of their own, claims without a place in the text
//! listed, number lines for numeric claims, interface words in the
//! article's language. Synthetic fixtures over the toy evidence.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use factcheck::engine::{verify, NoProgress, Selection, Workspace};
use factcheck::render::svg::number_line;
use factcheck::render::words::{words, EN, ES};
use factcheck::render::{render, Format, RenderOptions};
use factcheck::verdict::{Report, Verdict};

const SOURCES: &str = include_str!("fixtures/toy/evidence/sources.toml");
const TABLE: &str = include_str!("fixtures/toy/evidence/staff.toml");
const CSV: &str = include_str!("fixtures/toy/evidence/staff.csv");

/// A synthetic article about the toy roster (not about real people).
const ARTICLE: &str = "A test article\n\
\n\
The team has had four members. Half of them were in team X.\n\
\n\
The first member joined in 2016. Ana stayed about seven years.\n";

/// Claims on it: one quote inside another (`four-members` in
/// `staff-count`), one across two (`crossing`, which starts where
/// `four-members` does), and one without a quote.
fn claims(language: &str, with_text: bool) -> String {
    format!(
        r#"[article]
id = "toy"
title = "A test article"
url = "https://example.org/article"
language = "{language}"
published = "2022-01-01"
{text}
[define]
team_x = 'staff where team == "x"'

[[claim]]
id = "staff-count"
quote = "The team has had four members."
claim = "Four people are in the roster."
measure = "count(staff)"
states = "4"

[[claim]]
id = "four-members"
quote = "four members"
claim = "Five people are in the roster."
measure = "count(staff)"
states = "5"

[[claim]]
id = "crossing"
quote = "four members. Half of them"
claim = "Half of the four are in team x."
measure = "share(team_x, staff)"
states = "50%"

[[claim]]
id = "half-in-team-x"
quote = "Half of them were in team X."
claim = "50% of the roster is in team x."
measure = "share(team_x, staff)"
states = "about 60%"

[[claim]]
id = "same-start"
quote = "The first member joined in 2016."
claim = "The earliest start was in 2016."
measure = "min(staff, start)"
states = "2016"

[[claim]]
id = "ana-about-seven-years"
quote = "Ana stayed about seven years."
claim = "Ana's tenure was about seven years."
measure = 'refine(years_between(staff["Ana"].start, staff["Ana"].end), staff["Ana"].tenure)'
states = "about 7 years"

[[claim]]
id = "no-quote"
claim = "At least three people are in the roster."
measure = "count(staff)"
states = "at least 3"
"#,
        text = if with_text {
            "text = \"article.txt\"\n"
        } else {
            ""
        }
    )
}

fn report(language: &str, with_text: bool) -> Report {
    let mut ws = Workspace::in_memory()
        .with_claim_file("claims/toy.toml", claims(language, with_text))
        .with_evidence("evidence/sources.toml", SOURCES)
        .with_evidence("evidence/staff.toml", TABLE)
        .with_evidence("evidence/staff.csv", CSV);
    if with_text {
        ws = ws.with_article("claims/article.txt", ARTICLE);
    }
    verify(&ws, &Selection::default(), &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
        .report
}

fn html(r: &Report) -> String {
    render(r, Format::Html, &RenderOptions::default())
}

/// The values of an attribute, in the order they appear.
fn attrs<'a>(page: &'a str, name: &str) -> Vec<&'a str> {
    let pat = format!(" {name}=\"");
    page.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &page[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The part of the page after the stylesheet.
fn body(page: &str) -> &str {
    &page[page.find("<body>").unwrap()..]
}

#[test]
fn the_report_carries_the_article_text() {
    let r = report("en", true);
    assert_eq!(r.articles[0].text.as_deref(), Some(ARTICLE));
    // The JSON report cites the article, it does not republish it.
    let json = render(&r, Format::Json, &RenderOptions::default());
    assert!(!json.contains("Half of them were in team X.\\n"), "{json}");
    assert!(report("en", false).articles[0].text.is_none());
}

#[test]
fn every_claim_with_a_quote_is_marked_and_has_one_focusable_link() {
    let r = report("en", true);
    let page = html(&r);
    let quoted = r.claims.iter().filter(|c| c.quote_at.is_some()).count();
    assert_eq!(quoted, 6);
    // One `mark-N` per quoted claim, each a link to its card.
    let marks = attrs(&page, "id")
        .into_iter()
        .filter(|i| i.starts_with("mark-"))
        .count();
    assert_eq!(marks, quoted, "{page}");
    // Every link within the page goes to an element of the page.
    let ids = attrs(&page, "id");
    for h in attrs(&page, "href") {
        if let Some(target) = h.strip_prefix('#') {
            assert!(ids.contains(&target), "no element {target}");
        }
    }
    // Every card is reached from the text or listed as not marked.
    for (k, c) in r.claims.iter().enumerate() {
        let card = format!("card-{}", k + 1);
        assert!(ids.contains(&card.as_str()), "{card}");
        let linked = page.contains(&format!("href=\"#{card}\""));
        assert_eq!(linked, c.quote_at.is_some(), "{}", c.id);
    }
    // Focusable links from the text: the quoted claims' own; the pieces
    // of overlapping quotes are not in the tab order twice.
    let text = &page[page.find("<div class=\"text\"").unwrap()..];
    let text = &text[..text.find("</div>").unwrap()];
    let focusable = text.matches("<a ").count() - text.matches("tabindex=\"-1\"").count();
    assert_eq!(focusable, quoted, "{text}");
    assert!(text.contains("class=\"pin "), "overlaps get pins: {text}");
    // The claim without a quote is listed after the marked ones.
    let not_marked = page.find("Claims not marked in the text").unwrap();
    assert!(page[not_marked..].contains("id=\"claim-no-quote\""));
    insta::assert_snapshot!("annotated_en", body(&page));
}

#[test]
fn without_article_text_the_claims_are_listed() {
    let r = report("en", false);
    let page = html(&r);
    assert!(!page.contains("class=\"text\""), "{page}");
    assert!(!page.contains("href=\"#card-"), "{page}");
    assert_eq!(page.matches("<details class=\"claim ").count(), 7);
    assert!(!page.contains("Claims not marked"), "{page}");
}

#[test]
fn interface_words_follow_the_article_language() {
    let page = html(&report("es", true));
    assert!(page.contains("<html lang=\"es\">"), "{page}");
    for w in [
        ES.the_article,
        ES.not_in_text,
        ES.title(Verdict::Refuted),
        ES.title(Verdict::Supported),
        ES.found,
    ] {
        assert!(page.contains(w), "{w}");
    }
    for w in [EN.the_article, EN.title(Verdict::Refuted), EN.not_in_text] {
        assert!(!page.contains(w), "{w}");
    }
    // Languages without words of their own read in English.
    let page = html(&report("fr", true));
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains(EN.the_article));
    assert_eq!(words("es-ES").lang, "es");
}

#[test]
fn number_lines_of_numeric_claims() {
    let r = report("en", true);
    let mut lines = Vec::new();
    for c in &r.claims {
        match number_line(c, &EN) {
            Some(svg) => {
                assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
                lines.push(format!("{} ({}):\n{svg}", c.id, c.verdict.label()));
            }
            None => assert!(
                c.computed.as_ref().and_then(|v| v.interval).is_none()
                    || c.allowed.is_none()
                    || c.verdict == Verdict::NotCheckable,
                "{} has a number but no line",
                c.id
            ),
        }
    }
    // Every numeric claim but none other.
    assert_eq!(lines.len(), 6, "{lines:#?}");
    insta::assert_snapshot!("number_lines", lines.join("\n\n"));
}

#[test]
fn timeline_strips_mark_the_article_and_evaluation_dates() {
    let claims = r#"[article]
id = "toy-time"
title = "A test article"
url = "https://example.org/article"
language = "en"
published = "2021-06-01"

[[claim]]
id = "three-on-the-day"
claim = "At least three were on the team on the day."
measure = "count(staff at as_of)"
states = "at least 3"
"#;
    let ws = Workspace::in_memory()
        .with_claim_file("claims/time.toml", claims)
        .with_evidence("evidence/sources.toml", SOURCES)
        .with_evidence("evidence/staff.toml", TABLE)
        .with_evidence("evidence/staff.csv", CSV);
    let selection = Selection::default();
    let mut r = verify(&ws, &selection, &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
        .report;
    // Without timelines computed, no strip.
    assert!(!html(&r).contains("class=\"timeline\""));
    let t = factcheck::engine::timeline(&ws, &selection, &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    factcheck::engine::attach_timelines(&mut r, &t);
    let c = &r.claims[0];
    assert_eq!(c.figures.timeline.len(), t.claims[0].periods.len());
    assert!(c.figures.timeline.len() > 1, "{:?}", c.figures.timeline);
    let svg = factcheck::render::svg::timeline_strip(c, "2021-06-01", &EN, |v| match v {
        Verdict::Supported => "+",
        _ => "-",
    })
    .expect("a strip");
    // One band per run of days, and both dates marked.
    assert_eq!(svg.matches("<rect ").count(), c.figures.timeline.len());
    assert!(svg.contains(">published 2021-06-01<"), "{svg}");
    assert!(svg.contains(">As of 2021-06-01<"), "{svg}");
    assert!(html(&r).contains("class=\"timeline\""));
    insta::assert_snapshot!("timeline_strip", svg.replace("><", ">\n<"));
}

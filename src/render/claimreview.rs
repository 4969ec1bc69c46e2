//! schema.org ClaimReview JSON-LD, one review per checked claim.
//!
//! Each verdict maps to `reviewRating.alternateName` and a `ratingValue` on
//! a declared 1–5 scale (`worstRating` 1, `bestRating` 5):
//!
//! | verdict | ratingValue | alternateName |
//! |---|---|---|
//! | supported | 5 | Supported |
//! | imprecise | 4 | Imprecise |
//! | undetermined | 3 | Undetermined |
//! | refuted | 1 | Refuted |
//!
//! 2 is not used: no verdict is "mostly wrong". Not-checkable claims are
//! not reviewed, so they get no ClaimReview; nor do claims that could not
//! be judged (`error`): they are listed, with their problem, under a
//! top-level `notJudged` (not a schema.org term, so JSON-LD processors
//! ignore it), present only when some claim could not be judged. The article is
//! `itemReviewed.appearance`; the explanation and the evidence sources are
//! in `reviewRating.ratingExplanation`. The fields only a publisher knows
//! (the review's own `url`, `author`, `datePublished`) are left for the
//! publisher to add; nothing here is made up.
//!
//! The output can be pasted as is into `<script type="application/ld+json">`:
//! `<`, `>`, `&`, U+2028 and U+2029 inside strings are written as `\u`
//! escapes ([`script_json`]), so no field can close the script element.

use serde_json::{json, Map, Value};

use super::text::script_json;
use super::verdict_title;
use crate::verdict::{ArticleRef, ClaimVerdict, Report, Verdict};

/// The rating of a verdict on the 1–5 scale, if it is reviewed at all.
pub fn rating_value(v: Verdict) -> Option<u8> {
    match v {
        Verdict::Supported => Some(5),
        Verdict::Imprecise => Some(4),
        Verdict::Undetermined => Some(3),
        Verdict::Refuted => Some(1),
        Verdict::NotCheckable | Verdict::Error => None,
    }
}

fn appearance(a: &ArticleRef) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!("CreativeWork"));
    // A URL that is not a plain http(s) address is left out rather than
    // published as a link.
    if let Some(url) = super::text::safe_url(&a.url) {
        m.insert("url".into(), json!(url));
    }
    m.insert("headline".into(), json!(a.title));
    m.insert("inLanguage".into(), json!(a.language));
    // Only a publication date known to the day is a schema.org Date.
    if a.published.len() == 10 && !a.published.contains("..") {
        m.insert("datePublished".into(), json!(a.published));
    }
    Value::Object(m)
}

fn review(c: &ClaimVerdict, article: Option<&ArticleRef>, value: u8) -> Value {
    // One sentence, closed, then the sources.
    let mut explanation = super::text::sentence(&c.explanation);
    if !explanation.ends_with(['.', '!', '?']) {
        explanation.push('.');
    }
    if !c.sources.is_empty() {
        let sources: Vec<String> = c
            .sources
            .iter()
            .map(|s| format!("{}, {} ({}) {}", s.title, s.publisher, s.date, s.url))
            .collect();
        explanation = format!("{explanation} Sources: {}.", sources.join("; "));
    }
    if !c.datasets.is_empty() {
        let datasets: Vec<String> = c.datasets.iter().map(|d| d.citation()).collect();
        explanation = format!("{explanation} Data: {}.", datasets.join("; "));
    }
    let mut claim = Map::new();
    claim.insert("@type".into(), json!("Claim"));
    if let Some(q) = &c.quote {
        claim.insert("text".into(), json!(q));
    }
    if let Some(a) = article {
        claim.insert("appearance".into(), appearance(a));
    }
    json!({
        "@type": "ClaimReview",
        "identifier": format!("{}/{}", c.article, c.id),
        "claimReviewed": c.claim,
        "itemReviewed": Value::Object(claim),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": verdict_title(c.verdict),
            "ratingExplanation": explanation,
        },
    })
}

/// Render a report as ClaimReview JSON-LD.
pub fn claimreview(report: &Report) -> String {
    let graph: Vec<Value> = report
        .claims
        .iter()
        .filter_map(|c| {
            let value = rating_value(c.verdict)?;
            let article = report.articles.iter().find(|a| a.id == c.article);
            Some(review(c, article, value))
        })
        .collect();
    // Claims that could not be judged get no review (there is no rating to
    // publish); they are named, with their problem, outside the schema.org
    // vocabulary (JSON-LD processors drop the undefined term).
    let not_judged: Vec<Value> = report
        .claims
        .iter()
        .filter_map(|c| {
            let p = c.problem.as_ref()?;
            Some(json!({
                "identifier": format!("{}/{}", c.article, c.id),
                "claimReviewed": c.claim,
                "problem": p.text(),
            }))
        })
        .collect();
    let mut doc = json!({
        "@context": "https://schema.org",
        "@graph": graph,
    });
    if let (false, Some(m)) = (not_judged.is_empty(), doc.as_object_mut()) {
        m.insert("notJudged".into(), Value::Array(not_judged));
    }
    let mut s = script_json(&serde_json::to_string_pretty(&doc).unwrap_or_default());
    s.push('\n');
    s
}

//! Claim files: an `[article]` table, named `[define]`s and `[[claim]]`s,
//! read with the byte span of every value so later stages can point at the
//! exact place of a mistake, including inside an expression string.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::{parse_date_value, DateRange, Hemisphere};
use crate::diag::{date_error, string_content, suggest, Diagnostic, FileId, Files, Loc, Origin};
use crate::evidence::parse_toml;
use crate::expr::parser::parse;
use crate::expr::Expr;
use crate::num::Rational;

/// A definition as written.
#[derive(Debug, Clone)]
pub struct DefSource {
    /// Its name.
    pub name: String,
    /// Where the name is written.
    pub name_loc: Loc,
    /// Parsed body (None if it did not parse).
    pub expr: Option<Expr>,
    /// Where the body is.
    pub origin: Origin,
}

/// Editorial ratings a claim may carry beside its computed verdict.
pub const RATINGS: &[&str] = &[
    "misleading",
    "incomplete",
    "exaggerated",
    "out-of-context",
    "wrong-attribution",
    "conflated",
];

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ClaimFile")]
pub(crate) struct RawFile {
    article: RawArticle,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    define: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawClaim>")]
    claim: Vec<Spanned<RawClaim>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawIgnore>")]
    ignore: Vec<Spanned<RawIgnore>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Ignore")]
struct RawIgnore {
    #[schemars(with = "String")]
    quote: Spanned<String>,
    #[schemars(with = "String")]
    reason: Spanned<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Article")]
struct RawArticle {
    id: String,
    title: String,
    #[serde(default)]
    #[schemars(with = "String")]
    url: Option<Spanned<String>>,
    language: String,
    #[schemars(with = "String")]
    published: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "String")]
    text: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "String")]
    text_withheld: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    sources: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "String")]
    hemisphere: Option<Spanned<String>>,
    /// The evidence scope its claims read: a subdirectory of the evidence
    /// directory, whose tables and sources come before the top-level ones.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    evidence: Option<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Claim")]
struct RawClaim {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "String")]
    quote: Option<Spanned<String>>,
    claim: String,
    #[serde(default)]
    #[schemars(with = "String")]
    measure: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "String")]
    states: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "String")]
    as_of: Option<Spanned<String>>,
    #[serde(default)]
    as_of_reason: Option<String>,
    #[serde(default)]
    #[schemars(with = "String")]
    said_on: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "String")]
    tolerance: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "bool")]
    checkable: Option<Spanned<bool>>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    #[schemars(with = "String")]
    rating: Option<Spanned<String>>,
    #[serde(default)]
    rating_reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// The article a claim file checks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Article {
    /// Stable id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Where it was published: its public http(s) address, empty when it
    /// has none (a draft, an internal memo).
    pub url: String,
    /// Language code of the quotes.
    pub language: String,
    /// Publication date (the default as-of date of every claim).
    pub published: DateRange,
    /// Remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Path of the article's text, relative to the claim file.
    #[serde(skip)]
    pub text: Option<(String, Loc)>,
    /// Why the article's text is not beside the claim file (e.g. its licence
    /// allows no copy): `audit` then says so instead of failing `--strict`.
    #[serde(skip)]
    pub text_withheld: Option<String>,
    /// Sources about the article itself (its own page, its licence), by id
    /// in the evidence's `sources.toml`.
    #[serde(skip)]
    pub sources: Vec<(String, Loc)>,
    /// Whose seasons its words mean (`summer`): the northern hemisphere's
    /// unless it says `hemisphere = "south"`.
    #[serde(skip)]
    pub hemisphere: Hemisphere,
    /// The evidence scope it names (`evidence = "…"`), where it is named.
    #[serde(skip)]
    pub evidence: Option<(String, Loc)>,
}

/// A claim's measure: source text and parsed expression.
#[derive(Debug, Clone)]
pub struct Measure {
    /// As written.
    pub text: String,
    /// Parsed (None when it failed to parse).
    pub expr: Option<Expr>,
    /// Where it is.
    pub origin: Origin,
}

/// One claim as written.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Stable id.
    pub id: String,
    /// Where the id is written.
    pub id_loc: Loc,
    /// The exact quote in the article's language, and where it is written.
    pub quote: Option<(String, Loc)>,
    /// English restatement.
    pub restatement: String,
    /// The measure.
    pub measure: Option<Measure>,
    /// What the article states, and where.
    pub states: Option<(String, Loc)>,
    /// As-of override and its reason.
    pub as_of: Option<(DateRange, Option<String>)>,
    /// The day the words were said, when the claim quotes a statement made
    /// before the article: its relative words ("last month") count from
    /// it instead of the publication date.
    pub said_on: Option<DateRange>,
    /// Tolerance override for `about` / `nearly`.
    pub tolerance: Option<Rational>,
    /// False for opinion, prediction and the like.
    pub checkable: bool,
    /// Why not checkable.
    pub reason: Option<String>,
    /// Editorial rating and its reason.
    pub rating: Option<(String, String)>,
    /// Remark.
    pub note: Option<String>,
    /// One-based line of the claim.
    pub line: usize,
}

/// A claim file, read and checked for shape.
#[derive(Debug, Clone)]
pub struct ClaimFile {
    /// Path as given.
    pub path: String,
    /// File id.
    pub file: FileId,
    /// The article.
    pub article: Article,
    /// Named definitions.
    pub defs: Vec<DefSource>,
    /// Claims in file order.
    pub claims: Vec<Claim>,
    /// Passages of the article with quantities deliberately not claimed.
    pub ignores: Vec<Ignore>,
    /// The evidence scope its names resolve in first (`[article]
    /// evidence`), once the evidence is loaded; `None`: the top level only.
    pub scope: Option<crate::evidence::ScopeId>,
}

/// A passage of the article whose quantities are deliberately not checked
/// (`[[ignore]]`), with the reason; `factcheck audit` counts it as covered.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The passage, quoted exactly.
    pub quote: String,
    /// Where the quote is written.
    pub quote_loc: Loc,
    /// Why it is not checked.
    pub reason: String,
}

/// Where the text of a TOML string value starts, and whether offsets in the
/// value map one-to-one onto the file.
pub fn string_origin(file: FileId, text: &str, span: Range<usize>) -> Origin {
    let (base, exact) = string_content(text, &span);
    Origin {
        file,
        base,
        exact,
        whole: span,
    }
}

fn loc(file: FileId, span: Range<usize>) -> Loc {
    Loc { file, span }
}

/// Read and check one claim file already registered in `files`.
pub fn read_claim_file(
    fid: FileId,
    files: &Files,
    diags: &mut Vec<Diagnostic>,
) -> Option<ClaimFile> {
    let f = files.get(fid)?;
    // Borrowed, not copied: a claim file may be large.
    let (path, text) = (f.path.clone(), f.text.as_str());
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("claim/empty-file", "claim file is empty")
                .in_path(path)
                .help("a claim file needs an [article] table and [[claim]] entries; see README.md"),
        );
        return None;
    }
    let raw: RawFile = parse_toml(text, fid, "claim file", diags)?;
    let published = match parse_date_value(raw.article.published.get_ref()) {
        Ok(d) => d,
        Err(e) => {
            diags.push(date_error(
                "claim/bad-date",
                fid,
                text,
                raw.article.published.span(),
                &e,
            ));
            DateRange::unknown()
        }
    };
    if published.lo.is_none() || published.hi.is_none() {
        diags.push(
            Diagnostic::error("claim/open-publication-date", "the publication date must be bounded on both sides")
                .at(fid, raw.article.published.span(), "open-ended")
                .help("relative periods such as `last month` resolve against it; give a day, month or range like 2025-05-26..2025-05-31"),
        );
    }
    // An article may have no public address (leave `url` out); one that is
    // given must be an address ("TODO" or "unknown" is not).
    let url = match &raw.article.url {
        Some(u) => {
            let url = u.get_ref();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                diags.push(
                    Diagnostic::error(
                        "claim/bad-url",
                        "the article URL must be an http(s) address",
                    )
                    .at(fid, u.span(), "not a URL")
                    .help("give the article's public address, or leave `url` out when it has none (a draft, an internal memo)"),
                );
            }
            url.clone()
        }
        None => String::new(),
    };
    if let Some(w) = &raw.article.text_withheld {
        if w.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error("claim/missing-reason", "a withheld text needs a reason")
                    .at(fid, w.span(), "empty reason")
                    .help("say why the text is not shipped, e.g. \"the publisher's licence allows no copy\""),
            );
        }
    }
    let hemisphere = match raw
        .article
        .hemisphere
        .as_ref()
        .map(|h| (h.get_ref().as_str(), h.span()))
    {
        None | Some(("north", _)) => Hemisphere::North,
        Some(("south", _)) => Hemisphere::South,
        Some((_, span)) => {
            diags.push(
                Diagnostic::error(
                    "claim/bad-hemisphere",
                    "the hemisphere is `north` or `south`",
                )
                .at(fid, span, "not a hemisphere")
                .help(
                    "write hemisphere = \"south\" for an article whose summer is December–February",
                ),
            );
            Hemisphere::North
        }
    };
    let evidence = match &raw.article.evidence {
        Some(e) if !crate::evidence::valid_scope_name(e.get_ref()) => {
            diags.push(
                Diagnostic::error(
                    "claim/bad-scope",
                    format!("`{}` cannot name an evidence scope", e.get_ref()),
                )
                .at(fid, e.span(), "not a scope name")
                .help("name a subdirectory of the evidence directory by its name alone (ASCII letters, digits, `-`, `_`, `.`): no path, no `..`"),
            );
            None
        }
        Some(e) => Some((e.get_ref().clone(), loc(fid, e.span()))),
        None => None,
    };
    let article = Article {
        evidence,
        hemisphere,
        id: raw.article.id,
        title: raw.article.title,
        url,
        language: raw.article.language,
        published,
        note: raw.article.note,
        text: raw
            .article
            .text
            .map(|t| (t.get_ref().clone(), loc(fid, t.span()))),
        text_withheld: raw.article.text_withheld.map(Spanned::into_inner),
        sources: raw
            .article
            .sources
            .iter()
            .map(|s| (s.get_ref().clone(), loc(fid, s.span())))
            .collect(),
    };
    let mut defs = Vec::new();
    for (name, body) in raw.define {
        let origin = string_origin(fid, text, body.span());
        if !is_ident(name.get_ref()) {
            diags.push(
                Diagnostic::error(
                    "claim/bad-name",
                    format!("`{}` is not a valid definition name", name.get_ref()),
                )
                .at(fid, name.span(), "here")
                .help("use letters, digits and underscores, starting with a letter"),
            );
        }
        let expr = parse_expr(body.get_ref(), &origin, diags);
        defs.push(DefSource {
            name: name.get_ref().clone(),
            name_loc: loc(fid, name.span()),
            expr,
            origin,
        });
    }
    let mut claims = Vec::new();
    let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for rc in raw.claim {
        let claim_span = rc.span();
        let rc = rc.into_inner();
        let id = rc.id.get_ref().clone();
        if let Some(prev) = seen.get(&id) {
            diags.push(
                Diagnostic::error(
                    "claim/duplicate-id",
                    format!("claim id `{id}` is used twice"),
                )
                .at(fid, rc.id.span(), "used again here")
                .also(fid, prev.clone(), "first used here")
                .help("claim ids must be unique: they name the claim in reports and when claims are selected"),
            );
        } else {
            seen.insert(id.clone(), rc.id.span());
        }
        match &rc.quote {
            Some(q) if q.get_ref().trim().is_empty() => diags.push(
                Diagnostic::error("claim/empty-quote", "the quote is empty")
                    .at(fid, q.span(), "here")
                    .help("copy the sentence exactly as the article has it"),
            ),
            Some(_) => {}
            None => diags.push(
                Diagnostic::warning(
                    "claim/no-quote",
                    format!("claim `{id}` does not quote the article"),
                )
                .at(fid, rc.id.span(), "this claim has no `quote`")
                .help("add quote = \"...\" with the article's exact words, so a reader (and `factcheck audit`) can find the claim in the text"),
            ),
        }
        let checkable = rc.checkable.as_ref().is_none_or(|c| *c.get_ref());
        let measure = rc.measure.as_ref().map(|m| {
            let origin = string_origin(fid, text, m.span());
            Measure {
                text: m.get_ref().clone(),
                expr: parse_expr(m.get_ref(), &origin, diags),
                origin,
            }
        });
        if checkable && measure.is_none() {
            diags.push(
                Diagnostic::error("claim/missing-measure", format!("claim `{id}` has no measure"))
                    .at(fid, rc.id.span(), "this claim")
                    .help("add measure = '...' (an expression over the evidence), or checkable = false with a reason"),
            );
        }
        if !checkable && rc.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            let span = rc.checkable.as_ref().map_or(rc.id.span(), |c| c.span());
            diags.push(
                Diagnostic::error(
                    "claim/missing-reason",
                    format!("claim `{id}` is not checkable but gives no reason"),
                )
                .at(fid, span, "checkable = false")
                .help("add reason = \"opinion\" (or prediction, attribution without data, ...)"),
            );
        }
        let as_of = rc
            .as_of
            .as_ref()
            .map(|a| match parse_date_value(a.get_ref()) {
                Ok(d) => (d, rc.as_of_reason.clone()),
                Err(e) => {
                    diags.push(date_error("claim/bad-date", fid, text, a.span(), &e));
                    (DateRange::unknown(), None)
                }
            });
        let said_on = rc
            .said_on
            .as_ref()
            .and_then(|a| match parse_date_value(a.get_ref()) {
                Ok(d) => Some(d),
                Err(e) => {
                    // Reported once: the statement is then read against
                    // the publication date rather than failing again.
                    diags.push(date_error("claim/bad-date", fid, text, a.span(), &e));
                    None
                }
            });
        let tolerance =
            rc.tolerance
                .as_ref()
                .and_then(|t| match Rational::parse_decimal(t.get_ref()) {
                    Ok((r, _)) if !r.is_negative() => Some(r),
                    _ => {
                        diags.push(
                            Diagnostic::error(
                                "claim/bad-tolerance",
                                "tolerance must be a non-negative decimal in the measure's unit",
                            )
                            .at(fid, t.span(), "here")
                            .help("e.g. tolerance = \"0.5\""),
                        );
                        None
                    }
                });
        let rating = match (&rc.rating, &rc.rating_reason) {
            (None, None) => None,
            (Some(r), reason) => {
                if !RATINGS.contains(&r.get_ref().as_str()) {
                    let mut d = Diagnostic::error(
                        "claim/unknown-rating",
                        format!("unknown rating `{}`", r.get_ref()),
                    )
                    .at(fid, r.span(), "not a rating");
                    d = d.help(match suggest(r.get_ref(), RATINGS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? ratings: {}", RATINGS.join(", ")),
                        None => format!("ratings: {}", RATINGS.join(", ")),
                    });
                    diags.push(d);
                }
                match reason {
                    Some(reason) if !reason.trim().is_empty() => {
                        Some((r.get_ref().clone(), reason.clone()))
                    }
                    _ => {
                        diags.push(
                            Diagnostic::error(
                                "claim/missing-rating-reason",
                                "an editorial rating needs a reason",
                            )
                            .at(fid, r.span(), "rating given here")
                            .help("add rating_reason = \"...\" saying why"),
                        );
                        None
                    }
                }
            }
            (None, Some(_)) => {
                diags.push(
                    Diagnostic::error(
                        "claim/missing-rating",
                        "rating_reason given without a rating",
                    )
                    .at(fid, claim_span.clone(), "this claim")
                    .help(format!("add rating = one of: {}", RATINGS.join(", "))),
                );
                None
            }
        };
        let line = files.line_col(fid, claim_span.start).0;
        claims.push(Claim {
            id,
            id_loc: loc(fid, rc.id.span()),
            quote: rc
                .quote
                .as_ref()
                .map(|q| (q.get_ref().clone(), loc(fid, q.span()))),
            restatement: rc.claim,
            measure,
            states: rc.states.map(|s| (s.get_ref().clone(), loc(fid, s.span()))),
            as_of,
            said_on,
            tolerance,
            checkable,
            reason: rc.reason,
            rating,
            note: rc.note,
            line,
        });
    }
    let mut ignores = Vec::new();
    for ig in raw.ignore {
        let ig = ig.into_inner();
        if ig.quote.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error("claim/empty-quote", "the quote is empty")
                    .at(fid, ig.quote.span(), "here")
                    .help("copy the passage exactly as the article has it"),
            );
        }
        if ig.reason.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error("claim/missing-reason", "an ignored passage needs a reason")
                    .at(fid, ig.reason.span(), "empty reason")
                    .help("say why its quantities are not checked, e.g. \"a product name, not a quantity\""),
            );
        }
        ignores.push(Ignore {
            quote: ig.quote.get_ref().clone(),
            quote_loc: loc(fid, ig.quote.span()),
            reason: ig.reason.into_inner(),
        });
    }
    Some(ClaimFile {
        path,
        file: fid,
        article,
        defs,
        claims,
        ignores,
        scope: None,
    })
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn parse_expr(text: &str, origin: &Origin, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    match parse(text) {
        Ok(e) => Some(e),
        Err(e) => {
            let mut d = Diagnostic::error(
                "claim/syntax",
                format!("expression syntax: {}", e.message),
            )
            .at(origin.file, origin.map(&e.span), "here");
            if let Some(h) = e.help {
                d = d.help(h);
            }
            diags.push(d);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_skip_quotes() {
        let text = "m = 'count(x)'\nn = \"a\\\"b\"\n";
        let o = string_origin(FileId(0), text, 4..14);
        assert_eq!((o.base, o.exact), (5, true));
        let o = string_origin(FileId(0), text, 19..26);
        assert!(!o.exact);
    }
}

//! Coverage audit (`factcheck audit`): nothing in an article is silently
//! skipped. For each claim file with its article text, every checkable
//! quantity the extractor finds in the text must lie inside some claim's
//! quote or an `[[ignore]]` passage (which carries its reason); quotes that
//! no longer match the text (drift) are listed with the closest passage.

use std::ops::Range;

use serde::Serialize;

use crate::anchor::Anchored;
use crate::claims::ClaimFile;
use crate::diag::Files;
use crate::extract::{extract, quote_of, Lang, LineCol};

/// The audit of every claim file given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    /// One entry per claim file, in the order read.
    pub files: Vec<FileAudit>,
}

impl Audit {
    /// Quantities no claim or ignored passage covers, over all files.
    pub fn uncovered(&self) -> usize {
        self.files.iter().map(|f| f.uncovered.len()).sum()
    }

    /// Quotes that are no longer in their article, over all files.
    pub fn drifted(&self) -> usize {
        self.files.iter().map(|f| f.drifted.len()).sum()
    }

    /// Claim files that could not be audited for want of an article text
    /// (not counting those that say why the text is withheld).
    pub fn without_text(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.article.is_none() && f.text_withheld.is_none())
            .count()
    }

    /// Claim files not audited because their text is withheld, with a reason.
    pub fn withheld(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.article.is_none() && f.text_withheld.is_some())
            .count()
    }
}

/// The audit of one claim file.
#[derive(Debug, Clone, Serialize)]
pub struct FileAudit {
    /// The claim file.
    pub claim_file: String,
    /// The article text audited (`None`: no text, nothing could be checked).
    pub article: Option<String>,
    /// Why there is no text to audit, as the claim file says
    /// (`[article] text_withheld`), when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_withheld: Option<String>,
    /// Language the quantities were read in.
    pub language: &'static str,
    /// Quantities found in the text.
    pub quantities: usize,
    /// Of which covered by a claim's quote or an ignored passage.
    pub covered: usize,
    /// Those covered by nothing.
    pub uncovered: Vec<Uncovered>,
    /// Quotes not found in the text.
    pub drifted: Vec<Drift>,
    /// Passages deliberately not checked, with their reasons.
    pub ignored: Vec<Ignored>,
}

/// A quantity of the article no claim covers.
#[derive(Debug, Clone, Serialize)]
pub struct Uncovered {
    /// Line in the article (1-based).
    pub line: usize,
    /// Column in the article (1-based, characters).
    pub column: usize,
    /// The words as written.
    pub text: String,
    /// What kind of quantity it is.
    pub kind: &'static str,
    /// The figure as a claim would state it (`true` for a relation between
    /// two dates, which a condition checks).
    pub statement: String,
    /// What kind of measure checks it, when it is not a figure or a date
    /// (a relation between two dates: a condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<&'static str>,
    /// The sentence around it, to quote in a claim (at most
    /// [`crate::extract::QUOTE_CONTEXT`] bytes each side of the figure, cuts
    /// marked with `…`).
    pub sentence: String,
}

/// A claim (or ignored passage) whose quote is not in the article any more.
#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    /// The claim's id (`None` for an `[[ignore]]` passage).
    pub claim: Option<String>,
    /// Line of the quote in the claim file.
    pub line: usize,
}

/// An `[[ignore]]` passage.
#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    /// The passage.
    pub quote: String,
    /// Why it is not checked.
    pub reason: String,
    /// Line in the claim file.
    pub line: usize,
}

/// Audit one claim file against its article text (`article` in `files`,
/// anchored into `anchored`), or record that it has no text.
pub fn audit_file(
    cf: &ClaimFile,
    files: &Files,
    anchored: Option<&Anchored>,
    lang_hint: Option<Lang>,
) -> FileAudit {
    let ignored = cf
        .ignores
        .iter()
        .map(|i| Ignored {
            quote: i.quote.clone(),
            reason: i.reason.clone(),
            line: files.line_col(i.quote_loc.file, i.quote_loc.span.start).0,
        })
        .collect();
    let mut out = FileAudit {
        claim_file: cf.path.clone(),
        article: None,
        text_withheld: None,
        language: "",
        quantities: 0,
        covered: 0,
        uncovered: Vec::new(),
        drifted: Vec::new(),
        ignored,
    };
    let Some((anchored, article)) = anchored.and_then(|a| a.article.map(|f| (a, f))) else {
        out.text_withheld.clone_from(&cf.article.text_withheld);
        return out;
    };
    let Some(src) = files.get(article) else {
        return out;
    };
    out.article = Some(src.path.clone());
    let lang = lang_hint
        .or_else(|| Lang::from_code(&cf.article.language))
        .unwrap_or_else(|| Lang::detect(&src.text));
    out.language = lang.code();
    out.drifted = anchored
        .missing
        .iter()
        .map(|(id, loc)| Drift {
            claim: id.clone(),
            line: files.line_col(loc.file, loc.span.start).0,
        })
        .collect();
    let findings = extract(&src.text, lang);
    out.quantities = findings.len();
    let covered = Coverage::new(&anchored.covered);
    let mut positions = LineCol::new(&src.text);
    for f in findings {
        if covered.covers(&f.span) {
            out.covered += 1;
            continue;
        }
        out.uncovered.push(uncovered(&mut positions, &src.text, &f));
    }
    out
}

/// Quoted spans, sorted by start, with the furthest end reached by any span
/// starting at or before each one: whether a finding lies inside one span
/// is then a binary search, not a scan of every span.
struct Coverage {
    starts: Vec<usize>,
    reach: Vec<usize>,
}

impl Coverage {
    fn new(spans: &[Range<usize>]) -> Self {
        let mut sorted: Vec<&Range<usize>> = spans.iter().collect();
        sorted.sort_by_key(|r| (r.start, r.end));
        let mut reach = Vec::with_capacity(sorted.len());
        let mut furthest = 0;
        for r in &sorted {
            furthest = furthest.max(r.end);
            reach.push(furthest);
        }
        Coverage {
            starts: sorted.iter().map(|r| r.start).collect(),
            reach,
        }
    }

    /// Whether some span holds all of `span`.
    fn covers(&self, span: &Range<usize>) -> bool {
        // Spans starting at or before the finding: the last of them reaches
        // furthest among all of them.
        let n = self.starts.partition_point(|s| *s <= span.start);
        n.checked_sub(1)
            .and_then(|i| self.reach.get(i))
            .is_some_and(|end| span.end <= *end)
    }
}

#[cfg(test)]
fn is_covered(covered: &[Range<usize>], span: &Range<usize>) -> bool {
    Coverage::new(covered).covers(span)
}

fn uncovered(positions: &mut LineCol<'_>, text: &str, f: &crate::extract::Finding) -> Uncovered {
    let (line, column) = positions.at(f.span.start);
    let sentence = quote_of(text, &f.span);
    Uncovered {
        line,
        column,
        text: f.text.clone(),
        kind: f.kind.name(),
        statement: f.statement(),
        measure: f.kind.measure_hint(),
        sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::is_covered;

    #[test]
    fn a_finding_is_covered_only_inside_one_quoted_span() {
        let covered = [0..10, 20..30];
        assert!(is_covered(&covered, &(2..5)));
        assert!(is_covered(&covered, &(20..30)));
        assert!(!is_covered(&covered, &(8..12)), "straddling a quote's end");
        assert!(!is_covered(&covered, &(12..15)));
        assert!(!is_covered(&[], &(0..1)));
    }

    proptest::proptest! {
        #[test]
        fn coverage_agrees_with_a_scan_of_every_span(
            spans in proptest::collection::vec((0usize..40, 0usize..10), 0..12),
            at in 0usize..45,
            len in 0usize..6,
        ) {
            let covered: Vec<std::ops::Range<usize>> =
                spans.iter().map(|(s, l)| *s..s + l).collect();
            let span = at..at + len;
            let scan = covered.iter().any(|r| r.start <= span.start && span.end <= r.end);
            proptest::prop_assert_eq!(is_covered(&covered, &span), scan);
        }
    }
}

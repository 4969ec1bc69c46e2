//! Find the checkable quantities in an article's text.
//!
//! [`extract`] scans an English or Spanish text and returns every figure a
//! claim could be written about: numbers in digits or words, percentages,
//! "N of M" ratios, fractions ("a third", "la mitad"), durations ("more than
//! five years", "media década"), dates ("27 de mayo de 2025", "January 2023",
//! "2023"), periods ("early 2025", "el mes pasado", "this summer", "el verano
//! pasado") and quantifiers ("most", "en su mayoría"), each with the
//! qualifier word that precedes it ("only", "casi", "al menos", "desde", …),
//! and the words that relate two dated facts ("a year later" is a duration;
//! "the same year", "the first to leave", "before the paper was published",
//! "since then", "until", "el mismo año", "antes de que se publicara" are
//! [relations](Kind::Relation), which a condition checks).
//!
//! Every word comes from the language's table in [`crate::base::lang`],
//! shared with the statement and period parsers.
//!
//! Every [`Finding`] carries its byte span in the text and a normalised
//! `value` written in the syntax of a claim's `states` field, so that
//! [`Finding::statement`] (qualifier + value, translated to the English words
//! of [`crate::statement::QUALIFIERS`] and [`crate::date::period_table`]) is
//! accepted by [`crate::statement::parse_number_statement`] or, for dates and
//! periods, [`crate::statement::parse_date_statement`]; a relation states
//! `true`, the truth of the condition that checks it
//! ([`Kind::measure_hint`]):
//!
//! ```
//! use factcheck::extract::{extract, Kind, Lang};
//!
//! let text = "Los once autores promediaron más de cinco años en la empresa.";
//! let found = extract(text, Lang::Es);
//! let values: Vec<(Kind, String)> =
//!     found.iter().map(|f| (f.kind, f.statement())).collect();
//! assert_eq!(
//!     values,
//!     [
//!         (Kind::Number, "11".to_string()),
//!         (Kind::Duration, "more than 5 years".to_string()),
//!     ]
//! );
//! let span = found.get(1).map(|f| f.span.clone()).unwrap_or_default();
//! assert_eq!(text.get(span), Some("más de cinco años"));
//! ```
//!
//! The scan is a pure function of the text: findings are sorted by position
//! and never overlap (at each position the longest reading wins). Version
//! numbers of named things ("Llama 3", "GPT-4"), numbers glued to letters
//! ("7B", "H100"), list markers ("1." at the start of a line), footnote marks
//! ("\[2\]") and times ("10:30") are skipped.
//!
//! [`sentence_of`] gives the sentence around a finding, for quoting it, and
//! [`quote_of`] the quote itself, at most [`QUOTE_CONTEXT`] bytes on each
//! side of the figure.

use std::ops::Range;

mod scan;
mod value;

#[cfg(test)]
mod tests;

pub use crate::base::lang::Lang;

impl Lang {
    /// Guess the language of `text` from its commonest function words;
    /// English when there is no evidence either way.
    pub fn detect(text: &str) -> Lang {
        scan::detect(text)
    }
}

/// What kind of quantity a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A plain number: "14", "catorce", "1.200", "3 millones".
    Number,
    /// A percentage: "78%", "78 por ciento", "ten percent".
    Percent,
    /// A fraction written in words, as a percentage: "half" → `50%`,
    /// "un tercio" → `33.3%`.
    Fraction,
    /// A part of a whole: "11 of 14", "once de los catorce"; the value is
    /// written `"11 of 14"` and [`Finding::statement`] states the part.
    Ratio,
    /// A length of time: "five years", "18 meses", "a decade" → `10 years`;
    /// weeks become days.
    Duration,
    /// A calendar date, month or year: `2025-05-27`, `January 2023`, `2023`.
    Date,
    /// A part of a year or a period relative to the publication date:
    /// `early 2025`, `the first half of 2024`, `last month`, `this year`.
    Period,
    /// A share without a figure: "most of", "la mayoría" → `most`.
    Quantifier,
    /// Words relating two dated facts: "a year later" → `1 year later`,
    /// "the same year", "the first to leave", "before the paper was
    /// published", "since then", "until", "el mismo año", "antes de que se
    /// publicara". There is no figure to state: a condition over the two
    /// dates checks it, so [`Finding::statement`] is `true`.
    Relation,
}

impl Kind {
    /// Whether the statement is a date statement (read by
    /// [`crate::statement::parse_date_statement`]) rather than a number
    /// statement (read by [`crate::statement::parse_number_statement`]).
    pub fn is_date(self) -> bool {
        matches!(self, Kind::Date | Kind::Period)
    }

    /// Whether a condition (a boolean measure, stated `true`) checks it
    /// rather than a figure or a date: a [`Kind::Relation`].
    pub fn is_condition(self) -> bool {
        self == Kind::Relation
    }

    /// What kind of measure checks a finding of this kind, when it is not
    /// a figure or a date: for a [`Kind::Relation`], a condition over the
    /// two dates it relates.
    pub fn measure_hint(self) -> Option<&'static str> {
        self.is_condition().then_some(
            "a condition relating two dates, e.g. `a.left < b.published`, `same_year(a, b)` or `abs(years_between(a, b)) <= 1 years`, stated `true`",
        )
    }

    /// The kind's name as used in reports: `number`, `percent`, `fraction`,
    /// `ratio`, `duration`, `date`, `period`, `quantifier`, `relation`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Percent => "percent",
            Kind::Fraction => "fraction",
            Kind::Ratio => "ratio",
            Kind::Duration => "duration",
            Kind::Date => "date",
            Kind::Period => "period",
            Kind::Quantifier => "quantifier",
            Kind::Relation => "relation",
        }
    }
}

/// One checkable quantity found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Byte span in the text, on char boundaries, from the qualifier (if
    /// any) to the end of the quantity.
    pub span: Range<usize>,
    /// The text of the span, as written.
    pub text: String,
    /// What kind of quantity it is.
    pub kind: Kind,
    /// The quantity, normalised in the syntax of a claim's `states` field:
    /// `"78%"`, `"3"`, `"3.5"`, `"11 of 14"`, `"5 years"`, `"2025-05-27"`,
    /// `"January 2023"`, `"early 2025"`, `"last month"`, `"most"`; for a
    /// relation, the relation in English words (`"1 year later"`, `"the
    /// same year"`, `"the first to"`, `"before"`, `"since"`, `"until"`).
    pub value: String,
    /// The qualifier written before it, as the English word the claim
    /// language uses: `"more than"`, `"only"`, `"nearly"`, `"about"`, … for
    /// figures; `"since"`, `"before"`, `"after"`, `"by"` for dates.
    pub qualifier: Option<&'static str>,
    /// The value is rounder than its digits say: a round idiom or fraction
    /// ("a decade", "media década", "la mitad", "a dozen") or a figure
    /// scaled by a word or unit ("2,5 millones" → `2500000`, "3 weeks" →
    /// `21 days`). [`Finding::statement`] then reads it with `about` unless
    /// a qualifier is written.
    pub approximate: bool,
}

impl Finding {
    /// What the article states, ready for a claim's `states` field: the
    /// qualifier (or `about` for an [approximate](Finding::approximate)
    /// value), then the value; for a ratio, the part ("only 3 of 14" states
    /// `only 3`); for a relation, `true` (the condition that checks it holds).
    pub fn statement(&self) -> String {
        if self.kind.is_condition() {
            return "true".to_string();
        }
        let value = match self.kind {
            Kind::Ratio => self.value.split(" of ").next().unwrap_or(&self.value),
            _ => self.value.as_str(),
        };
        let implied = (self.approximate && !self.kind.is_date()).then_some("about");
        match self.qualifier.or(implied) {
            Some(q) => format!("{q} {value}"),
            None => value.to_string(),
        }
    }
}

/// Every checkable quantity in `text`, read as language `lang`, sorted by
/// position and non-overlapping.
pub fn extract(text: &str, lang: Lang) -> Vec<Finding> {
    scan::extract(text, lang)
}

/// How far, in bytes, the context quoted around a figure reaches on each
/// side of it: a sentence longer than that (or a text with no sentence
/// breaks) is cut at a word boundary and the cut marked with an ellipsis.
/// It keeps `factcheck new` and `factcheck audit` linear in the text.
pub const QUOTE_CONTEXT: usize = 240;

/// The byte range of the sentence that contains `span`, without surrounding
/// whitespace: from just after the previous sentence end (`.`, `!`, `?` or
/// `…` followed by whitespace, or a line break) to the next one, including
/// its punctuation and closing quotes. The sentence reaches at most
/// [`QUOTE_CONTEXT`] bytes before and after the span: beyond that it is cut
/// at a word boundary (see [`quote_of`], which marks the cuts). A span
/// reaching past the text is clamped to it (one starting past its end gives
/// the empty range at the end).
pub fn sentence_of(text: &str, span: &Range<usize>) -> Range<usize> {
    sentence_range(text, span).range
}

/// The sentence around `span` as a claim would quote it: whitespace runs
/// collapsed to one space and, where the sentence was cut at
/// [`QUOTE_CONTEXT`], an ellipsis (`…`), which quote anchoring reads as an
/// elision, so the quote still matches the text.
pub fn quote_of(text: &str, span: &Range<usize>) -> String {
    let s = sentence_range(text, span);
    let mut out = String::new();
    if s.cut_start {
        out.push_str("… ");
    }
    let body = text.get(s.range).unwrap_or_default();
    for (i, w) in body.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    if s.cut_end {
        out.push_str(" …");
    }
    out
}

/// Line and column (1-based, columns in characters) of increasing byte
/// offsets of a text, counted incrementally: over offsets sorted by
/// position the total work is linear in the text.
pub(crate) struct LineCol<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    col: usize,
}

impl<'a> LineCol<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCol {
            text,
            pos: 0,
            line: 1,
            col: 1,
        }
    }

    /// Line and column of byte `offset` (clamped to the text, moved back to
    /// a char boundary). An offset before the previous one restarts the
    /// count from the top.
    pub(crate) fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(self.text, offset);
        if offset < self.pos {
            *self = LineCol::new(self.text);
        }
        for c in self.text.get(self.pos..offset).unwrap_or_default().chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
        self.pos = offset;
        (self.line, self.col)
    }
}

/// `i` clamped to the text and moved back to a char boundary.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `i` clamped to the text and moved on to a char boundary.
fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether the line break at byte `at` only wraps a sentence: the line does
/// not end a sentence and the next one goes on in lower case. A text with
/// one paragraph per line breaks at every line; a hard-wrapped one does not.
/// Only [`QUOTE_CONTEXT`] bytes on each side are looked at: a longer run of
/// blanks around the break ends the sentence.
fn soft_wrap(text: &str, at: usize) -> bool {
    let before = text
        .get(floor_boundary(text, at.saturating_sub(QUOTE_CONTEXT))..at)
        .unwrap_or("")
        .trim_end_matches([' ', '\t', '\r']);
    let after = text
        .get(at + 1..ceil_boundary(text, at + 1 + QUOTE_CONTEXT))
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    let ends_sentence = before
        .chars()
        .last()
        .is_none_or(|c| is_terminator(c) || c == ':' || c == '\n');
    let continues = after.chars().next().is_some_and(char::is_lowercase);
    !ends_sentence && continues
}

/// A sentence (or the part of it within [`QUOTE_CONTEXT`]) and whether it
/// was cut at either end.
struct Sentence {
    range: Range<usize>,
    cut_start: bool,
    cut_end: bool,
}

fn sentence_range(text: &str, span: &Range<usize>) -> Sentence {
    let from = floor_boundary(text, span.start);
    let to = floor_boundary(text, span.end.max(span.start));

    // Look back at most QUOTE_CONTEXT bytes for the previous sentence end.
    let lo = floor_boundary(text, from.saturating_sub(QUOTE_CONTEXT));
    let mut start = None;
    let before = text.get(lo..from).unwrap_or("");
    for (i, c) in before.char_indices().rev() {
        let at = lo + i;
        if c == '\n' && !soft_wrap(text, at) {
            start = Some(at + 1);
            break;
        }
        if is_terminator(c) {
            if let Some(after) = sentence_break(text, at + c.len_utf8()) {
                if after <= from {
                    start = Some(after);
                    break;
                }
            }
        }
    }
    let cut_start = start.is_none() && lo > 0;
    let start = start.unwrap_or_else(|| {
        if lo == 0 {
            0
        } else {
            // Cut at the first word boundary inside the window.
            before.find(char::is_whitespace).map_or(lo, |i| lo + i)
        }
    });

    // Look ahead at most QUOTE_CONTEXT bytes for the sentence's end.
    let hi = ceil_boundary(text, to + QUOTE_CONTEXT);
    let mut end = None;
    let rest = text.get(to..hi).unwrap_or("");
    for (i, c) in rest.char_indices() {
        let at = to + i;
        if c == '\n' && !soft_wrap(text, at) {
            end = Some(at);
            break;
        }
        if is_terminator(c) {
            if let Some(after) = sentence_break(text, at + c.len_utf8()) {
                end = Some(after);
                break;
            }
        }
    }
    let cut_end = end.is_none() && hi < text.len();
    let end = end.unwrap_or_else(|| {
        if hi == text.len() {
            hi
        } else {
            // Cut at the last word boundary inside the window.
            rest.rfind(char::is_whitespace).map_or(hi, |i| to + i)
        }
    });

    let sentence = text.get(start..end).unwrap_or("");
    let lead = sentence.len() - sentence.trim_start().len();
    let trail = sentence.len() - sentence.trim_end().len();
    let s = start + lead;
    let e = (end - trail).max(s);
    Sentence {
        range: s..e,
        cut_start,
        cut_end,
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// If the text at `at` (just after a terminator) ends a sentence — optional
/// closing quotes or brackets, then whitespace or the end — the position
/// after the closers.
fn sentence_break(text: &str, at: usize) -> Option<usize> {
    // Closers are looked for within QUOTE_CONTEXT bytes: a longer run of
    // them ends no sentence (unless it ends the text).
    let window = ceil_boundary(text, at + QUOTE_CONTEXT);
    let rest = text.get(at..window)?;
    let closers = rest
        .char_indices()
        .find(|(_, c)| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']'))
        .map_or(rest.len(), |(i, _)| i);
    let after = text.get(at + closers..)?;
    if after.is_empty() || after.starts_with(char::is_whitespace) {
        Some(at + closers)
    } else {
        None
    }
}

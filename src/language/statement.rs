//! What the article states, and what its wording allows.
//!
//! A claim's `states` field is written the way the article wrote the figure:
//! `"78%"`, `"only 3"`, `"more than 5 years"`, `"last month"`, `"most"`.
//! This module holds the one declared table of qualifier words and turns a
//! statement into the set of values it allows:
//!
//! * the digits carry the precision: `78%` allows [77.5%, 78.5%), `78.6%`
//!   allows [78.55%, 78.65%); a whole number stated for a count is exact;
//! * a qualifier moves the bounds (`more than 5` allows (5, +∞));
//! * a figure may be written in words of any language of
//!   [`crate::base::lang`]: a number word is the whole number it spells, at
//!   whole-number precision like its digits (`eight` is `8`, `veintiuno`
//!   `21`); a fraction is that share exactly, with no rounding margin (`half`
//!   and `la mitad` allow exactly 50%, `two-thirds` exactly 200/3 %), unless a
//!   qualifier says otherwise (`more than half`, `menos de la mitad`); `all 8`
//!   (`all eight`, `todos los ocho`) states the figure 8; another language's
//!   qualifiers mean their English words (`más de` is `more than`, `casi el
//!   80%` is `nearly 80%`);
//! * a period resolves against the article's date (its publication date,
//!   or a claim's `said_on`), never today and never the as-of date.
//!
//! The same reading is used for `quantity` cells in the evidence, so a
//! source's "about five years" means the same thing as an article's.

use crate::base::lang::{en, fold, Join, Lang, NumberReader, TimeUnit};
use crate::date::{parse_period_in, DateRange, Hemisphere};
use crate::expr::Unit;
use crate::interval::{Bound, Interval};
use crate::num::{NumError, Rational};

/// A qualifier word's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// No qualifier, `exactly`, `only`: the figure is right at its written precision.
    Exactly,
    /// `about`, `around`, `roughly`, `approximately`: within the declared tolerance.
    About,
    /// `more than`, `over`, `above`: strictly greater.
    MoreThan,
    /// `at least`, `no fewer than`: greater or equal.
    AtLeast,
    /// `fewer than`, `less than`, `under`, `below`: strictly less.
    FewerThan,
    /// `at most`, `no more than`, `up to`: less or equal.
    AtMost,
    /// `nearly`, `almost`: a little below, up to the figure itself.
    Nearly,
    /// `most`, `the majority`: more than half.
    Most,
    /// `all`, `every`: the whole.
    All,
    /// `none`, `no`: zero.
    None,
    /// A fraction written in words with no qualifier (`half`, `two-thirds`,
    /// `la mitad`): exactly that share, with no rounding margin.
    Exact,
}

/// One row of the declared qualifier table.
#[derive(Debug, Clone, Copy)]
pub struct QualifierDef {
    /// Words that mean it, lower case.
    pub words: &'static [&'static str],
    /// The meaning.
    pub qualifier: Qualifier,
    /// The rule in plain words (used in docs and verdict explanations).
    pub meaning: &'static str,
    /// Whether a number must follow.
    pub takes_number: bool,
}

/// Relative tolerance of `about` and `nearly`, in percent of the figure.
pub const DEFAULT_TOLERANCE_PERCENT: i128 = 10;

/// The declared table of qualifier words. Order matters only for display.
pub const QUALIFIERS: &[QualifierDef] = &[
    QualifierDef {
        words: en::EXACTLY,
        qualifier: Qualifier::Exactly,
        meaning: "the figure is right at the precision of its digits (also when no qualifier is written): `78%` allows [77.5%, 78.5%), a whole number stated for a count is exact",
        takes_number: true,
    },
    QualifierDef {
        words: en::ABOUT,
        qualifier: Qualifier::About,
        meaning: "within 10% of the figure either way (or the claim's `tolerance`), and never stricter than the bare figure: it allows what the digits allow, and a value the bare figure would call imprecise is imprecise",
        takes_number: true,
    },
    QualifierDef {
        words: en::MORE_THAN,
        qualifier: Qualifier::MoreThan,
        meaning: "strictly greater than the figure",
        takes_number: true,
    },
    QualifierDef {
        words: en::AT_LEAST,
        qualifier: Qualifier::AtLeast,
        meaning: "greater than or equal to the figure",
        takes_number: true,
    },
    QualifierDef {
        words: en::FEWER_THAN,
        qualifier: Qualifier::FewerThan,
        meaning: "strictly less than the figure",
        takes_number: true,
    },
    QualifierDef {
        words: en::AT_MOST,
        qualifier: Qualifier::AtMost,
        meaning: "less than or equal to the figure",
        takes_number: true,
    },
    QualifierDef {
        words: en::NEARLY,
        qualifier: Qualifier::Nearly,
        meaning: "at most the figure and no more than 10% below it (or the claim's `tolerance`), and never stricter than the bare figure: it allows what the digits allow, and a value the bare figure would call imprecise is imprecise",
        takes_number: true,
    },
    QualifierDef {
        words: en::MOST,
        qualifier: Qualifier::Most,
        meaning: "a share above 50% (the measure must be a percentage)",
        takes_number: false,
    },
    QualifierDef {
        words: en::ALL,
        qualifier: Qualifier::All,
        meaning: "a share of exactly 100%",
        takes_number: false,
    },
    QualifierDef {
        words: en::NONE,
        qualifier: Qualifier::None,
        meaning: "zero (a count of 0 or a share of 0%)",
        takes_number: false,
    },
];

/// Words that place a date measure relative to a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateRelation {
    /// `in P`, `during P`, or just `P`: within the period.
    In,
    /// `before P`: before the period starts.
    Before,
    /// `after P`: after the period ends.
    After,
    /// `by P`: no later than the period's end.
    By,
    /// `since P`: on or after the period's start.
    Since,
}

/// What a claim states, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Stated {
    /// A figure: `78%`, `more than 5 years`.
    Number {
        /// Qualifier.
        qualifier: Qualifier,
        /// The figure.
        value: Rational,
        /// Digits after the decimal point, as written.
        dp: u32,
        /// Unit written with it.
        unit: Unit,
    },
    /// A qualifier without a figure: `most`, `all`, `none`.
    Quantifier(Qualifier),
    /// A period for a date measure.
    Period {
        /// How the date relates to the period.
        relation: DateRelation,
        /// The period's days.
        period: DateRange,
    },
    /// A truth value for a boolean measure.
    Truth(bool),
}

/// A problem in a `states` text or a quantity cell.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementError {
    /// What is wrong.
    pub message: String,
    /// Byte span inside the text.
    pub span: std::ops::Range<usize>,
    /// How to fix it.
    pub help: Option<String>,
}

fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let lower = text.get(..word.len())?.to_ascii_lowercase();
    if lower != word {
        return None;
    }
    let rest = text.get(word.len()..)?;
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        Some(rest.trim_start())
    } else {
        None
    }
}

/// `text` after the folded words of `phrase` (separated by whitespace in
/// `text`; a `de` of the phrase also matches `del`), with the whitespace
/// after them.
fn strip_phrase<'a>(text: &'a str, phrase: &[&str]) -> Option<&'a str> {
    let mut rest = text;
    for w in phrase {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = fold(rest.get(..end)?);
        if word != *w && !(*w == "de" && word == "del") {
            return None;
        }
        rest = rest.get(end..)?.trim_start();
    }
    Some(rest)
}

/// Split a leading qualifier off `text`, longest words first: a word of
/// [`QUALIFIERS`], or a phrase of another language's table that means one
/// ("más de" → `more than`).
fn take_qualifier<'a>(text: &'a str) -> (Option<&'static QualifierDef>, &'a str) {
    let mut best: Option<(&'static QualifierDef, &str)> = None;
    let mut offer = |def: &'static QualifierDef, rest: &'a str| {
        if best.is_none_or(|(_, r)| rest.len() < r.len()) {
            best = Some((def, rest));
        }
    };
    for def in QUALIFIERS {
        for w in def.words {
            if let Some(rest) = strip_word(text, w) {
                offer(def, rest);
            }
        }
    }
    for lang in Lang::ALL {
        for (phrase, english) in lang.words().qualifiers {
            let def = QUALIFIERS.iter().find(|d| d.words.contains(english));
            if let (Some(def), Some(rest)) = (def, strip_phrase(text, phrase)) {
                offer(def, rest);
            }
        }
    }
    match best {
        Some((def, rest)) => (Some(def), rest),
        None => (None, text),
    }
}

/// A figure written in words: a whole number or a fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordFigure {
    /// "eight", "twenty-one", "catorce", "veintiuno".
    Whole(i128),
    /// "half", "two-thirds", "la mitad", "dos tercios": numerator and
    /// denominator.
    Fraction(i128, i128),
}

/// A word of a statement: its byte span, folded text, and whether a hyphen
/// joins it to the word before ("twenty-one").
struct StatementWord {
    start: usize,
    text: String,
    hyphen: bool,
}

fn statement_words(s: &str) -> Vec<StatementWord> {
    let mut out = Vec::new();
    let mut pos = 0;
    for chunk in s.split_whitespace() {
        let at = s
            .get(pos..)
            .and_then(|r| r.find(chunk))
            .map_or(pos, |i| pos + i);
        pos = at + chunk.len();
        let mut offset = at;
        for (k, part) in chunk.split('-').enumerate() {
            if !part.is_empty() {
                out.push(StatementWord {
                    start: offset,
                    text: fold(part),
                    hyphen: k > 0,
                });
            }
            offset += part.len() + 1;
        }
    }
    out
}

/// A whole number in `lang`'s words at the start of `words`: its value and
/// how many words it took.
fn read_number_words(words: &[StatementWord], lang: Lang) -> Option<(i128, usize)> {
    let table = lang.words();
    let number = |k: usize| words.get(k).and_then(|w| table.number(&w.text));
    let mut reader = NumberReader::new(lang);
    let mut i = 0;
    let article = words
        .first()
        .is_some_and(|w| lang == Lang::En && matches!(w.text.as_str(), "a" | "an"));
    if article {
        use crate::base::lang::NumberWord as N;
        if !matches!(number(1), Some(N::Hundred | N::Scale(_) | N::Dozen)) {
            return None;
        }
        reader = NumberReader::with_article(lang);
        i = 1;
    }
    let mut best = None;
    loop {
        let (k, join) = match words.get(i) {
            _ if reader.is_empty() => (i, Join::First),
            Some(w) if w.hyphen => (i, Join::Hyphen),
            Some(w) if w.text == table.and => (i + 1, Join::And),
            Some(_) => (i, Join::Space),
            None => break,
        };
        if join == Join::And && words.get(k).is_none_or(|w| w.hyphen) {
            break;
        }
        let Some(n) = number(k) else {
            break;
        };
        if !reader.accepts(n, join) {
            break;
        }
        let more = reader.push(n)?;
        i = k + 1;
        if let Some(v) = reader.value() {
            best = Some((v, i));
        }
        if !more {
            break;
        }
    }
    best
}

/// A fraction in `lang`'s words at the start of `words` ("half", "a third",
/// "two-thirds", "la mitad", "un tercio", "dos terceras partes").
fn read_fraction_words(words: &[StatementWord], lang: Lang) -> Option<((i128, i128), usize)> {
    let table = lang.words();
    let text = |k: usize| words.get(k).map(|w| w.text.as_str());
    for half in table.half {
        let same =
            half.len() <= words.len() && half.iter().enumerate().all(|(k, w)| text(k) == Some(w));
        if same {
            return Some(((1, 2), half.len()));
        }
    }
    let (num, at) = match text(0) {
        Some("a" | "an") if lang == Lang::En => (1, 1),
        Some("un" | "una") if lang == Lang::Es => (1, 1),
        _ => read_number_words(words, lang)?,
    };
    let w = text(at)?;
    let (den, end) = if let Some(den) = table.denominator(w) {
        (den, at + 1)
    } else {
        let den = table
            .part_ordinals
            .iter()
            .find(|(o, _)| *o == w)
            .map(|(_, v)| *v)?;
        if !matches!(text(at + 1), Some("parte" | "partes")) {
            return None;
        }
        (den, at + 2)
    };
    (1..den).contains(&num).then_some(((num, den), end))
}

/// The unit written after a figure in words: `%`, `percent`, `por ciento`,
/// or a unit of time of any language (with how many of the unit one is:
/// "decades" are 10 years, "semanas" 7 days).
fn unit_words(text: &str) -> Option<(Unit, i128)> {
    let t = text.trim();
    if t.is_empty() {
        return Some((Unit::None, 1));
    }
    if t == "%" {
        return Some((Unit::Percent, 1));
    }
    for lang in Lang::ALL {
        let table = lang.words();
        if table
            .percent
            .iter()
            .any(|p| strip_phrase(t, p).is_some_and(str::is_empty))
        {
            return Some((Unit::Percent, 1));
        }
        if let Some((u, n)) = table.time_unit(&fold(t)) {
            let unit = match u {
                TimeUnit::Years => Unit::Years,
                TimeUnit::Months => Unit::Months,
                TimeUnit::Days => Unit::Days,
            };
            return Some((unit, n));
        }
    }
    None
}

/// A figure written in words after the qualifier (`rest`, at byte
/// `offset` of the statement): `None` when `rest` does not start with one.
fn word_statement(
    rest: &str,
    offset: usize,
    qualifier: Qualifier,
    langs: &[Lang],
) -> Result<Option<Stated>, StatementError> {
    let words = statement_words(rest);
    let mut best: Option<(WordFigure, usize)> = None;
    for lang in langs.iter().copied() {
        let readings = [
            read_number_words(&words, lang).map(|(v, n)| (WordFigure::Whole(v), n)),
            read_fraction_words(&words, lang).map(|((a, b), n)| (WordFigure::Fraction(a, b), n)),
        ];
        for r in readings.into_iter().flatten() {
            if best.is_none_or(|(_, n)| r.1 > n) {
                best = Some(r);
            }
        }
    }
    let Some((figure, used)) = best else {
        return Ok(None);
    };
    let unit_at = words.get(used).map_or(rest.len(), |w| w.start);
    let unit_text = rest.get(unit_at..).unwrap_or("");
    let bad = |message: String, help: &str| StatementError {
        message,
        span: offset + unit_at..offset + rest.len().max(unit_at + 1),
        help: Some(help.to_string()),
    };
    let Some((unit, factor)) = unit_words(unit_text) else {
        return Err(bad(
            format!("unknown unit `{}`", unit_text.trim()),
            "units: %, years, months, days (or the article's words for them)",
        ));
    };
    let overflow = |e: NumError| StatementError {
        message: e.to_string(),
        span: offset..offset + rest.len(),
        help: None,
    };
    Ok(Some(match figure {
        WordFigure::Whole(v) => Stated::Number {
            qualifier,
            value: Rational::from_int(
                v.checked_mul(factor)
                    .ok_or_else(|| overflow(NumError::Invalid("the figure is too large".into())))?,
            ),
            dp: 0,
            unit,
        },
        WordFigure::Fraction(num, den) => {
            if !matches!(unit, Unit::None | Unit::Percent) {
                return Err(bad(
                    format!("a fraction is a share, not {}", unit.name()),
                    "write the share alone (`half`, `two-thirds`) for a share(...) measure",
                ));
            }
            let value = Rational::new(num, den)
                .and_then(|r| r.checked_mul(Rational::from_int(100)))
                .map_err(overflow)?;
            Stated::Number {
                qualifier: if qualifier == Qualifier::Exactly {
                    Qualifier::Exact
                } else {
                    qualifier
                },
                value,
                dp: 0,
                unit: Unit::Percent,
            }
        }
    }))
}

/// Whether `text` starts with a figure: digits, or number or fraction words
/// of some language.
fn figure_starts(text: &str) -> bool {
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let words = statement_words(text);
    Lang::ALL.iter().any(|l| {
        read_number_words(&words, *l).is_some() || read_fraction_words(&words, *l).is_some()
    })
}

fn qualifier_help() -> String {
    let words: Vec<&str> = QUALIFIERS
        .iter()
        .flat_map(|d| d.words.iter().copied())
        .collect();
    format!(
        "write an optional qualifier ({}) then a number, e.g. `more than 5 years` or `78%`",
        words.join(", ")
    )
}

/// Parse `[qualifier] number [% | unit]`, or a bare quantifier like `most`,
/// reading figures in words of every language.
pub fn parse_number_statement(text: &str) -> Result<Stated, StatementError> {
    parse_number_statement_in(text, &Lang::ALL)
}

/// [`parse_number_statement`], reading figures in words only in `langs`
/// (a claim file's: its article's language and English), so that a word of
/// one language is not read as a number of another (`once` is 11 only in
/// Spanish).
pub fn parse_number_statement_in(text: &str, langs: &[Lang]) -> Result<Stated, StatementError> {
    let trimmed_start = text.len() - text.trim_start().len();
    let body = text.trim();
    // "all 8", "all eight", "todos los ocho": the whole of a group of that
    // many, stated as the figure.
    let whole_group = Lang::ALL.iter().find_map(|l| {
        l.words()
            .all
            .iter()
            .filter_map(|p| strip_phrase(body, p))
            .filter(|r| r.starts_with(|c: char| c.is_alphanumeric()))
            .min_by_key(|r| r.len())
    });
    // "the vast majority", "la mayoría", "en su mayoría": `most`.
    let majority = Lang::ALL
        .iter()
        .flat_map(|l| l.words().majority.iter())
        .any(|p| strip_phrase(body, p).is_some_and(str::is_empty));
    if majority {
        return Ok(Stated::Quantifier(Qualifier::Most));
    }
    let (def, rest) = match whole_group {
        Some(rest) if figure_starts(rest) => (None, rest),
        _ => take_qualifier(body),
    };
    // An article between a qualifier and its figure: "casi el 80%", "menos
    // de la mitad" (but "la mitad" is itself a figure).
    let rest = Lang::ALL
        .iter()
        .flat_map(|l| l.words().articles.iter())
        .filter_map(|a| strip_phrase(rest, &[a]))
        .find(|r| !r.is_empty() && figure_starts(r))
        .unwrap_or(rest);
    let rest_offset = trimmed_start + (body.len() - rest.len());
    if let Some(def) = def {
        if !def.takes_number {
            if rest.is_empty() {
                return Ok(Stated::Quantifier(def.qualifier));
            }
            return Err(StatementError {
                message: format!(
                    "`{}` takes no number",
                    def.words.first().copied().unwrap_or("")
                ),
                span: rest_offset..rest_offset + rest.len(),
                help: Some("write `most` alone, or a figure such as `more than 50%`".into()),
            });
        }
    }
    let qualifier = def.map_or(Qualifier::Exactly, |d| d.qualifier);
    if !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '-') {
        if let Some(stated) = word_statement(rest, rest_offset, qualifier, langs)? {
            return Ok(stated);
        }
    }
    let digits_end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let number = rest.get(..digits_end).unwrap_or("");
    if number.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = rest.get(..word_end).unwrap_or(rest).to_ascii_lowercase();
        let near = crate::diag::suggest(
            &word,
            QUALIFIERS.iter().flat_map(|d| d.words.iter().copied()),
        );
        return Err(StatementError {
            message: if rest.is_empty() {
                "expected a figure".to_string()
            } else {
                format!(
                    "unknown qualifier or figure `{}`",
                    rest.get(..word_end).unwrap_or(rest)
                )
            },
            span: rest_offset..rest_offset + word_end.max(1),
            help: Some(match near {
                Some(n) => format!("did you mean `{n}`? {}", qualifier_help()),
                None => qualifier_help(),
            }),
        });
    }
    let (value, dp) = Rational::parse_decimal(number).map_err(|e| StatementError {
        message: e.to_string(),
        span: rest_offset..rest_offset + digits_end,
        help: None,
    })?;
    let unit_text = rest.get(digits_end..).unwrap_or("").trim();
    let unit = if unit_text.is_empty() {
        Unit::None
    } else if let Some((u, 1)) = unit_words(unit_text) {
        u
    } else {
        let start = rest_offset
            + digits_end
            + (rest.get(digits_end..).unwrap_or("").len()
                - rest.get(digits_end..).unwrap_or("").trim_start().len());
        return Err(StatementError {
            message: format!("unknown unit `{unit_text}`"),
            span: start..start + unit_text.len(),
            help: Some("units: %, years, months, days".into()),
        });
    };
    Ok(Stated::Number {
        qualifier,
        value,
        dp,
        unit,
    })
}

/// Parse a date statement: `[in|during|before|after|by|since] PERIOD`.
pub fn parse_date_statement(text: &str, as_of: &DateRange) -> Result<Stated, StatementError> {
    parse_date_statement_in(text, as_of, Hemisphere::North)
}

/// [`parse_date_statement`] with the seasons of hemisphere `h`.
pub fn parse_date_statement_in(
    text: &str,
    as_of: &DateRange,
    h: Hemisphere,
) -> Result<Stated, StatementError> {
    let lead = text.len() - text.trim_start().len();
    let body = text.trim();
    let mut relation = DateRelation::In;
    let mut rest = body;
    // `in`, `during`, then the relation words of every language's table
    // ("since", "desde", "antes de"), the longest that matches.
    const WITHIN: &[(&[&str], &str)] = &[(&["in"], "in"), (&["during"], "in")];
    let found = Lang::ALL
        .iter()
        .flat_map(|l| l.words().date_relations.iter())
        .chain(WITHIN)
        .filter_map(|(phrase, english)| Some((strip_phrase(body, phrase)?, *english)))
        .min_by_key(|(r, _)| r.len());
    if let Some((r, english)) = found {
        relation = match english {
            "before" => DateRelation::Before,
            "after" => DateRelation::After,
            "by" => DateRelation::By,
            "since" => DateRelation::Since,
            _ => DateRelation::In,
        };
        rest = r;
    }
    let offset = lead + (body.len() - rest.len());
    let period = parse_period_in(rest, as_of, h).map_err(|e| StatementError {
        message: e.message,
        span: offset + e.start..offset + e.end,
        help: e.hint,
    })?;
    Ok(Stated::Period { relation, period })
}

/// The interval of values a figure allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Allowed {
    /// Values for which the statement is right.
    pub interval: Interval,
    /// Values the statement would match under truncation or another
    /// rounding rule but not under correct rounding (half away from zero):
    /// a claim whose value falls here is `imprecise`.
    pub lenient: Option<Interval>,
    /// The rule in plain words.
    pub rule: String,
}

fn unit_of_precision(dp: u32) -> Result<Rational, NumError> {
    Rational::ONE.checked_div(Rational::pow10(dp)?)
}

/// Describe a precision in words: "whole-number", "one-decimal".
pub fn precision_words(dp: u32, unit: Unit) -> String {
    let base = match dp {
        0 => "whole",
        1 => "one-decimal",
        2 => "two-decimal",
        _ => "its",
    };
    match (dp, unit) {
        (0, Unit::Percent) => "whole-percent precision".to_string(),
        (0, Unit::None) => "whole-number precision".to_string(),
        (0, u) => format!("whole-{} precision", u.name().trim_end_matches('s')),
        (d, _) if d <= 2 => format!("{base} precision"),
        (d, _) => format!("{d}-decimal precision"),
    }
}

/// The values a figure allows. `integral` says the measure can only take
/// whole values (a count), so a whole figure is exact. `tolerance` overrides
/// the declared tolerance of `about` and `nearly` (in the measure's unit).
pub fn allowed(
    qualifier: Qualifier,
    value: Rational,
    dp: u32,
    unit: Unit,
    integral: bool,
    tolerance: Option<Rational>,
) -> Result<Allowed, NumError> {
    allowed_of(
        qualifier,
        value,
        dp,
        unit,
        integral.then_some("a count"),
        tolerance,
    )
}

/// [`allowed`], naming what the measure is when it can only take whole
/// values (`whole`: "a count", "a maximum of whole numbers"), so the rule
/// that a whole figure is exact says of what.
pub fn allowed_of(
    qualifier: Qualifier,
    value: Rational,
    dp: u32,
    unit: Unit,
    whole: Option<&str>,
    tolerance: Option<Rational>,
) -> Result<Allowed, NumError> {
    let integral = whole.is_some();
    let u = unit_of_precision(dp)?;
    let half = u.checked_div(Rational::from_int(2))?;
    let shown = format!("{}{}", value.to_decimal_string(dp.max(3)), unit.suffix());
    let relative = || -> Result<Rational, NumError> {
        match tolerance {
            Some(t) => Ok(t),
            None => value
                .abs()?
                .checked_mul(Rational::new(DEFAULT_TOLERANCE_PERCENT, 100)?),
        }
    };
    let mk = |lo: Bound, hi: Bound| {
        Interval::new(lo, hi).ok_or(NumError::Invalid("empty interval".into()))
    };
    Ok(match qualifier {
        Qualifier::Exactly if integral && dp == 0 && unit == Unit::None => Allowed {
            interval: Interval::point(value),
            lenient: None,
            rule: format!("`{shown}` for {} is exact", whole.unwrap_or("a count")),
        },
        Qualifier::Exact => Allowed {
            interval: Interval::point(value),
            lenient: None,
            rule: format!("`{shown}` written as a fraction is exact"),
        },
        Qualifier::Exactly => {
            let lo = value.checked_sub(half)?;
            let hi = value.checked_add(half)?;
            Allowed {
                interval: mk(Bound::Incl(lo), Bound::Excl(hi))?,
                lenient: Some(mk(
                    Bound::Excl(value.checked_sub(u)?),
                    Bound::Excl(value.checked_add(u)?),
                )?),
                rule: format!(
                    "`{shown}` at {} allows {}",
                    precision_words(dp, unit),
                    fmt_interval(&mk(Bound::Incl(lo), Bound::Excl(hi))?, unit, dp + 1)
                ),
            }
        }
        // A hedge never makes a figure stricter than the bare figure:
        // `about` and `nearly` allow every value the figure's digits allow,
        // and a value the bare figure would call imprecise (it matches
        // only under truncation or another rounding rule) is imprecise
        // under the hedge too.
        Qualifier::About | Qualifier::Nearly => {
            let t = relative()?;
            // `about` is never tighter than its digits either way.
            let t_about = if t < half { half } else { t };
            let digits = mk(
                Bound::Incl(value.checked_sub(half)?),
                Bound::Excl(value.checked_add(half)?),
            )?;
            let (word, hedged) = if qualifier == Qualifier::About {
                (
                    "about",
                    mk(
                        Bound::Incl(value.checked_sub(t_about)?),
                        Bound::Incl(value.checked_add(t_about)?),
                    )?,
                )
            } else {
                (
                    "nearly",
                    mk(Bound::Incl(value.checked_sub(t)?), Bound::Incl(value))?,
                )
            };
            let iv = hedged.hull(&digits);
            let bare_lenient = mk(
                Bound::Excl(value.checked_sub(u)?),
                Bound::Excl(value.checked_add(u)?),
            )?;
            let lenient = bare_lenient.hull(&iv);
            Allowed {
                rule: format!(
                    "`{word} {shown}` allows {}",
                    fmt_interval(&iv, unit, dp + 1)
                ),
                lenient: (lenient != iv).then_some(lenient),
                interval: iv,
            }
        }
        Qualifier::MoreThan => simple(
            mk(Bound::Excl(value), Bound::Unbounded)?,
            "more than",
            &shown,
            unit,
            dp,
        ),
        Qualifier::AtLeast => simple(
            mk(Bound::Incl(value), Bound::Unbounded)?,
            "at least",
            &shown,
            unit,
            dp,
        ),
        Qualifier::FewerThan => simple(
            mk(Bound::Unbounded, Bound::Excl(value))?,
            "fewer than",
            &shown,
            unit,
            dp,
        ),
        Qualifier::AtMost => simple(
            mk(Bound::Unbounded, Bound::Incl(value))?,
            "at most",
            &shown,
            unit,
            dp,
        ),
        Qualifier::Most | Qualifier::All | Qualifier::None => quantifier(qualifier, unit)?,
    })
}

fn simple(iv: Interval, word: &str, shown: &str, unit: Unit, dp: u32) -> Allowed {
    Allowed {
        rule: format!(
            "`{word} {shown}` allows {}",
            fmt_interval(&iv, unit, dp + 1)
        ),
        interval: iv,
        lenient: None,
    }
}

/// The values a bare quantifier allows for a measure of `unit`.
pub fn quantifier(q: Qualifier, unit: Unit) -> Result<Allowed, NumError> {
    let hundred = Rational::from_int(100);
    let half = Rational::from_int(50);
    let (iv, rule) = match q {
        Qualifier::Most => (
            Interval::new(Bound::Excl(half), Bound::Incl(hundred)),
            "`most` allows a share in (50%, 100%]",
        ),
        Qualifier::All => (Some(Interval::point(hundred)), "`all` allows exactly 100%"),
        _ => (
            Some(Interval::point(Rational::ZERO)),
            "`none` allows exactly 0",
        ),
    };
    if q != Qualifier::None && unit != Unit::Percent {
        return Err(NumError::Invalid(format!(
            "`{}` needs a percentage measure (use share(part, whole)), but the measure is a {}",
            if q == Qualifier::Most { "most" } else { "all" },
            unit.name()
        )));
    }
    Ok(Allowed {
        interval: iv.ok_or(NumError::Invalid("empty interval".into()))?,
        lenient: None,
        rule: rule.to_string(),
    })
}

/// Print an interval with a unit, ends to `dp` decimals at most.
pub fn fmt_interval(iv: &Interval, unit: Unit, dp: u32) -> String {
    // Percentages carry their sign on each end ("[77.5%, 78.5%)"); other
    // units follow the interval ("[6.4, 7.5] years").
    let per_end = if unit == Unit::Percent { "%" } else { "" };
    let after = if unit == Unit::Percent {
        ""
    } else {
        unit.suffix()
    };
    let end = |b: Bound, lo: bool| -> String {
        match b {
            Bound::Unbounded => {
                if lo {
                    "-∞".to_string()
                } else {
                    "+∞".to_string()
                }
            }
            Bound::Incl(r) | Bound::Excl(r) => {
                format!("{}{per_end}", r.to_decimal_string(dp.max(3)))
            }
        }
    };
    if let Some(p) = iv.as_point() {
        return format!("{}{}", p.to_decimal_string(dp.max(3)), unit.suffix());
    }
    let open = if matches!(iv.lo(), Bound::Incl(_)) {
        "["
    } else {
        "("
    };
    let close = if matches!(iv.hi(), Bound::Incl(_)) {
        "]"
    } else {
        ")"
    };
    format!(
        "{open}{}, {}{close}{after}",
        end(iv.lo(), true),
        end(iv.hi(), false)
    )
}

/// Whether a figure is written with the word `exactly` (`exactamente`):
/// only that word, not `only` or `just`, which say how few, not how
/// precise.
fn says_exactly(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    first == "exactly" || first == "exactamente"
}

/// Read a `quantity` evidence cell (`"about 5 years"`) as the interval its
/// wording allows, checking its unit against the column's. `exactly 2
/// years` is exactly 2 years.
pub fn quantity_interval(text: &str, unit: Unit) -> Result<Interval, StatementError> {
    let stated = parse_number_statement(text)?;
    let Stated::Number {
        qualifier,
        value,
        dp,
        unit: written,
    } = stated
    else {
        return Err(StatementError {
            message: "a quantity needs a figure".into(),
            span: 0..text.len(),
            help: Some(qualifier_help()),
        });
    };
    if written != unit && written != Unit::None {
        return Err(StatementError {
            message: format!(
                "quantity is in {} but the column is in {}",
                written.name(),
                unit.name()
            ),
            span: 0..text.len(),
            help: None,
        });
    }
    // A source's figure written `exactly 2 years` is that value, not every
    // value its digits round from (`2 years` is [1.5, 2.5) years).
    if qualifier == Qualifier::Exactly && says_exactly(text) {
        return Ok(Interval::point(value));
    }
    // A source's hedge is read as its own words say (`nearly 2 years` is
    // [1.8, 2] years): the leniency of a hedged statement towards the
    // bare figure is for judging what an article says, not for reading
    // evidence.
    if qualifier == Qualifier::Nearly {
        let t = value
            .abs()
            .and_then(|a| a.checked_mul(Rational::new(DEFAULT_TOLERANCE_PERCENT, 100)?))
            .and_then(|t| value.checked_sub(t));
        if let Some(iv) = t.ok().and_then(|lo| Interval::closed(lo, value)) {
            return Ok(iv);
        }
    }
    allowed(qualifier, value, dp, unit, false, None)
        .map(|a| a.interval)
        .map_err(|e| StatementError {
            message: e.to_string(),
            span: 0..text.len(),
            help: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rational {
        Rational::parse_decimal(s)
            .map(|(r, _)| r)
            .unwrap_or(Rational::ZERO)
    }

    fn allowed_of(text: &str, integral: bool) -> String {
        match parse_number_statement(text) {
            Ok(Stated::Number {
                qualifier,
                value,
                dp,
                unit,
            }) => allowed(qualifier, value, dp, unit, integral, None)
                .map(|a| fmt_interval(&a.interval, unit, dp + 1))
                .unwrap_or_else(|e| e.to_string()),
            Ok(Stated::Quantifier(q)) => quantifier(q, Unit::Percent)
                .map(|a| fmt_interval(&a.interval, Unit::Percent, 1))
                .unwrap_or_else(|e| e.to_string()),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn number_words_are_read_in_the_claim_files_languages() {
        // `once` is 11 in Spanish, and no number in English.
        let es = parse_number_statement_in("once", &[Lang::Es, Lang::En]);
        assert!(matches!(es, Ok(Stated::Number { .. })), "{es:?}");
        assert!(parse_number_statement_in("once", &[Lang::En]).is_err());
        assert!(matches!(
            parse_number_statement_in("eleven", &[Lang::En]),
            Ok(Stated::Number { .. })
        ));
    }

    #[test]
    fn digits_carry_precision() {
        assert_eq!(allowed_of("78%", false), "[77.5%, 78.5%)");
        assert_eq!(allowed_of("78.6%", false), "[78.55%, 78.65%)");
        assert_eq!(allowed_of("14", true), "14");
        assert_eq!(allowed_of("14", false), "[13.5, 14.5)");
        assert_eq!(allowed_of("only 3", true), "3");
    }

    #[test]
    fn qualifiers_move_bounds() {
        assert_eq!(allowed_of("more than 5 years", false), "(5, +∞) years");
        assert_eq!(allowed_of("over 5 years", false), "(5, +∞) years");
        assert_eq!(allowed_of("at least 6 years", false), "[6, +∞) years");
        assert_eq!(allowed_of("fewer than 3", true), "(-∞, 3)");
        assert_eq!(allowed_of("at most 3", true), "(-∞, 3]");
        assert_eq!(allowed_of("about 5 years", false), "[4.5, 5.5] years");
        // Never stricter than the bare figure: `3 years` allows [2.5, 3.5).
        assert_eq!(allowed_of("nearly 3 years", false), "[2.5, 3.5) years");
        assert_eq!(allowed_of("nearly 30 years", false), "[27, 30.5) years");
        assert_eq!(allowed_of("most", false), "(50%, 100%]");
        assert_eq!(allowed_of("all", false), "100%");
    }

    #[test]
    fn a_hedge_keeps_the_bare_figures_imprecise_zone() {
        // 5.6 stated "5" matches by truncation: imprecise, hedged or not.
        for text in ["5", "about 5", "nearly 5"] {
            let Ok(Stated::Number {
                qualifier,
                value,
                dp,
                unit,
            }) = parse_number_statement(text)
            else {
                panic!("{text}");
            };
            let a =
                allowed(qualifier, value, dp, unit, false, None).unwrap_or_else(|e| panic!("{e}"));
            let v = r("5.6");
            assert!(!a.interval.contains(v), "{text}");
            assert!(a.lenient.is_some_and(|l| l.contains(v)), "{text}");
            // And 6.2 is outside both.
            assert!(!a.lenient.is_some_and(|l| l.contains(r("6.2"))), "{text}");
        }
    }

    #[test]
    fn a_quantity_cell_written_exactly_is_exact() {
        let iv = quantity_interval("exactly 2 years", Unit::Years).ok();
        assert_eq!(iv, Some(Interval::point(Rational::from_int(2))));
        let iv = quantity_interval("2 years", Unit::Years).ok();
        assert_eq!(iv.and_then(|i| i.as_point()), None);
        // A source's `nearly` is read as its words say.
        let iv = quantity_interval("nearly 2 years", Unit::Years).ok();
        assert_eq!(iv, Interval::closed(r("1.8"), r("2")));
    }

    #[test]
    fn about_is_never_tighter_than_the_digits() {
        // 10% of 2 is 0.2, but "2" written as a whole number already means ±0.5
        assert_eq!(allowed_of("about 2", false), "[1.5, 2.5]");
    }

    #[test]
    fn bad_statements_are_located() {
        let e = parse_number_statement("roughtly 5").err();
        assert_eq!(e.as_ref().map(|e| e.span.clone()), Some(0..8));
        let e = parse_number_statement("5 parsecs").err();
        assert_eq!(
            e.map(|e| (e.message, e.span)),
            Some(("unknown unit `parsecs`".into(), 2..9))
        );
        assert!(parse_number_statement("most 5").is_err());
    }

    #[test]
    fn number_words_are_exact_whole_figures() {
        for (text, want) in [
            ("eight", "8"),
            ("once", "11"),
            ("catorce", "14"),
            ("twenty-one", "21"),
            ("twenty one", "21"),
            ("veintiuno", "21"),
            ("veintiún", "21"),
            ("treinta y uno", "31"),
            ("three hundred and five", "305"),
            ("ciento cinco", "105"),
            ("a dozen", "12"),
            ("dos mil", "2000"),
        ] {
            assert_eq!(
                parse_number_statement(text),
                parse_number_statement(want),
                "{text}"
            );
        }
        // a count is exact, another measure is read at whole-number precision
        assert_eq!(allowed_of("eight", true), "8");
        assert_eq!(allowed_of("eight", false), "[7.5, 8.5)");
        assert_eq!(allowed_of("only three", true), "3");
        assert_eq!(allowed_of("more than five years", false), "(5, +∞) years");
        assert_eq!(allowed_of("two decades", false), "[19.5, 20.5) years");
        // "ciento" needs a number after it; "once" is not a number in English
        // qualifiers, and a word that is no number is still an error
        assert!(parse_number_statement("ciento").is_err());
        assert!(parse_number_statement("eight parsecs").is_err());
        assert!(parse_number_statement("several").is_err());
    }

    #[test]
    fn all_n_states_the_figure() {
        for text in [
            "all 8",
            "all eight",
            "All eight",
            "todos los ocho",
            "all the 8",
        ] {
            assert_eq!(allowed_of(text, true), "8", "{text}");
        }
        assert_eq!(allowed_of("all", false), "100%");
        assert!(parse_number_statement("all of them").is_err());
    }

    #[test]
    fn fractions_are_exact_shares() {
        assert_eq!(allowed_of("half", false), "50%");
        assert_eq!(allowed_of("la mitad", false), "50%");
        assert_eq!(allowed_of("a half", false), "50%");
        let two_thirds = parse_number_statement("two-thirds");
        assert_eq!(
            two_thirds,
            Ok(Stated::Number {
                qualifier: Qualifier::Exact,
                value: Rational::new(200, 3).unwrap_or(Rational::ZERO),
                dp: 0,
                unit: Unit::Percent,
            })
        );
        assert_eq!(parse_number_statement("dos tercios"), two_thirds);
        assert_eq!(parse_number_statement("dos terceras partes"), two_thirds);
        assert_eq!(allowed_of("a third", false), "33.333…%");
        assert_eq!(allowed_of("three quarters", false), "75%");
        // a qualifier keeps its meaning around the exact share
        assert_eq!(allowed_of("more than half", false), "(50%, +∞)");
        assert_eq!(allowed_of("menos de la mitad", false), "(-∞, 50%)");
        assert_eq!(allowed_of("about half", false), "[45%, 55%]");
        // not a fraction: a denominator at or below the numerator, a unit
        assert!(parse_number_statement("three thirds").is_err());
        assert!(parse_number_statement("half years").is_err());
    }

    #[test]
    fn majority_words_of_every_language_mean_most() {
        for text in ["most", "the vast majority", "la mayoría", "en su mayoría"] {
            assert_eq!(
                parse_number_statement(text),
                Ok(Stated::Quantifier(Qualifier::Most)),
                "{text}"
            );
        }
    }

    #[test]
    fn spanish_qualifiers_as_written() {
        for (es, en) in [
            ("más de cinco años", "more than 5 years"),
            ("casi el 80%", "nearly 80%"),
            ("casi el 80 por ciento", "nearly 80%"),
            ("menos de 3", "less than 3"),
            ("más del 50%", "more than 50%"),
            ("al menos ocho", "at least 8"),
            ("solo tres", "only 3"),
            ("unos 1200", "about 1200"),
            ("aproximadamente 5 años", "approximately 5 years"),
        ] {
            assert_eq!(
                parse_number_statement(es),
                parse_number_statement(en),
                "{es}"
            );
            assert!(parse_number_statement(es).is_ok(), "{es}");
        }
    }

    #[test]
    fn date_statements_in_either_language() {
        let said = crate::date::parse_date_value("2023-09-15").unwrap_or(DateRange::unknown());
        let period = |t: &str| match parse_date_statement(t, &said) {
            Ok(Stated::Period { relation, period }) => format!("{relation:?} {period}"),
            other => format!("{other:?}"),
        };
        assert_eq!(period("el verano pasado"), period("last summer"));
        assert_eq!(period("este verano"), "In 2023-06..2023-08");
        assert_eq!(period("verano de 2023"), "In 2023-06..2023-08");
        assert_eq!(
            period("desde el verano pasado"),
            period("since last summer")
        );
        assert_eq!(period("antes de 2017"), "Before 2017");
        assert_eq!(period("después de mayo de 2025"), "After 2025-05");
    }

    #[test]
    fn quantities_read_like_statements() {
        let iv = quantity_interval("more than 8 years", Unit::Years).ok();
        assert_eq!(iv.map(|i| i.contains(r("8"))), Some(false));
        let iv = quantity_interval("7 years", Unit::Years).ok();
        assert_eq!(
            iv.map(|i| (i.contains(r("6.5")), i.contains(r("7.5")))),
            Some((true, false))
        );
        assert!(quantity_interval("5%", Unit::Years).is_err());
    }
}

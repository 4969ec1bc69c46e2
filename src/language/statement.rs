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
//! * a period resolves against the article's date (its publication date,
//!   or a claim's `said_on`), never today and never the as-of date.
//!
//! The same reading is used for `quantity` cells in the evidence, so a
//! source's "about five years" means the same thing as an article's.

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
        words: &["exactly", "only", "just"],
        qualifier: Qualifier::Exactly,
        meaning: "the figure is right at the precision of its digits (also when no qualifier is written): `78%` allows [77.5%, 78.5%), a whole number stated for a count is exact",
        takes_number: true,
    },
    QualifierDef {
        words: &["about", "around", "roughly", "approximately", "some"],
        qualifier: Qualifier::About,
        meaning: "within 10% of the figure either way (or the claim's `tolerance`), and never tighter than its digits",
        takes_number: true,
    },
    QualifierDef {
        words: &["more than", "over", "above"],
        qualifier: Qualifier::MoreThan,
        meaning: "strictly greater than the figure",
        takes_number: true,
    },
    QualifierDef {
        words: &["at least", "no fewer than", "no less than"],
        qualifier: Qualifier::AtLeast,
        meaning: "greater than or equal to the figure",
        takes_number: true,
    },
    QualifierDef {
        words: &["fewer than", "less than", "under", "below"],
        qualifier: Qualifier::FewerThan,
        meaning: "strictly less than the figure",
        takes_number: true,
    },
    QualifierDef {
        words: &["at most", "no more than", "up to"],
        qualifier: Qualifier::AtMost,
        meaning: "less than or equal to the figure",
        takes_number: true,
    },
    QualifierDef {
        words: &["nearly", "almost", "close to"],
        qualifier: Qualifier::Nearly,
        meaning: "at most the figure and no more than 10% below it (or the claim's `tolerance`)",
        takes_number: true,
    },
    QualifierDef {
        words: &["most", "the majority", "a majority", "majority"],
        qualifier: Qualifier::Most,
        meaning: "a share above 50% (the measure must be a percentage)",
        takes_number: false,
    },
    QualifierDef {
        words: &["all", "every"],
        qualifier: Qualifier::All,
        meaning: "a share of exactly 100%",
        takes_number: false,
    },
    QualifierDef {
        words: &["none", "no"],
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

/// Split a leading qualifier off `text`, longest words first.
fn take_qualifier(text: &str) -> (Option<&'static QualifierDef>, &str) {
    let mut best: Option<(&'static QualifierDef, &str, usize)> = None;
    for def in QUALIFIERS {
        for w in def.words {
            if let Some(rest) = strip_word(text, w) {
                if best.is_none_or(|(_, _, len)| w.len() > len) {
                    best = Some((def, rest, w.len()));
                }
            }
        }
    }
    match best {
        Some((def, rest, _)) => (Some(def), rest),
        None => (None, text),
    }
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

/// Parse `[qualifier] number [% | unit]`, or a bare quantifier like `most`.
pub fn parse_number_statement(text: &str) -> Result<Stated, StatementError> {
    let trimmed_start = text.len() - text.trim_start().len();
    let body = text.trim();
    let (def, rest) = take_qualifier(body);
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
    } else if let Some(u) = Unit::from_word(unit_text.to_ascii_lowercase().as_str()) {
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
        qualifier: def.map_or(Qualifier::Exactly, |d| d.qualifier),
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
    for (word, rel) in [
        ("in", DateRelation::In),
        ("during", DateRelation::In),
        ("before", DateRelation::Before),
        ("after", DateRelation::After),
        ("by", DateRelation::By),
        ("since", DateRelation::Since),
    ] {
        if let Some(r) = strip_word(body, word) {
            relation = rel;
            rest = r;
            break;
        }
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
            rule: format!("`{shown}` for a count is exact"),
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
        Qualifier::About => {
            let t = relative()?;
            let t = if t < half { half } else { t };
            let iv = mk(
                Bound::Incl(value.checked_sub(t)?),
                Bound::Incl(value.checked_add(t)?),
            )?;
            Allowed {
                rule: format!("`about {shown}` allows {}", fmt_interval(&iv, unit, dp + 1)),
                interval: iv,
                lenient: None,
            }
        }
        Qualifier::Nearly => {
            let t = relative()?;
            let iv = mk(Bound::Incl(value.checked_sub(t)?), Bound::Incl(value))?;
            Allowed {
                rule: format!(
                    "`nearly {shown}` allows {}",
                    fmt_interval(&iv, unit, dp + 1)
                ),
                interval: iv,
                lenient: None,
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

/// Read a `quantity` evidence cell (`"about 5 years"`) as the interval its
/// wording allows, checking its unit against the column's.
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
        assert_eq!(allowed_of("nearly 3 years", false), "[2.7, 3] years");
        assert_eq!(allowed_of("most", false), "(50%, 100%]");
        assert_eq!(allowed_of("all", false), "100%");
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

//! Dates as ranges of days.
//!
//! Evidence is rarely dated to the day. A statistics release covers "2023", a
//! report says "June 2023", an article was published "in mid-2025". If such a
//! value were stored as a single day (say, the 1st of the month or January 1),
//! every later comparison would silently claim a precision the source never
//! had: "the report came out before 2023-03-01" would be judged true or false
//! when the honest answer is "it depends". So every date in the engine is a
//! [`DateRange`]: the inclusive set of days the fact's date may be. A date
//! known to the year is *that year's days*, never silently a day.
//!
//! On top of that representation this module provides
//!
//! * [`parse_date_value`], the strict grammar used in evidence files and rule
//!   literals (`2023`, `2023-06`, `2023-06-07`, `2018-01..2019-06`, `..2018`,
//!   `2025-05-27..`, `unknown`), and its inverse, the canonical [`Display`]
//!   form (`parse_date_value(&r.to_string()) == Ok(r)`);
//! * [`parse_period`], the looser English period words an article or a claim
//!   writes ("early 2025", "last month"), resolved against the article's date that
//!   may itself be a range;
//! * arithmetic and comparisons that stay honest about imprecision:
//!   [`days_between_ranges`] returns the interval of possible differences, the
//!   `cmp_*` functions are three-valued (`Some(true)` = holds for every
//!   admissible pair of days, `Some(false)` = for none, `None` = it depends),
//!   and [`min_of`] / [`max_of`] return exactly the values the true
//!   earliest / latest date may take.
//!
//! Errors are [`DateError`]s carrying the byte span of the offending part of
//! the parsed text, so callers can point at it in a diagnostic.
//!
//! [`Display`]: std::fmt::Display

use std::fmt;

pub use jiff::civil::Date;

use crate::base::lang::{fold, Lang, Season};

/// An inclusive range of days: the set of days a fact's date may be.
/// `None` = unbounded on that side.
///
/// The fields are public for pattern matching; the constructors keep the
/// invariant `lo <= hi` (when both are bounded), and the operations assume it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// The earliest day the date may be; `None` = no lower bound.
    pub lo: Option<Date>,
    /// The latest day the date may be; `None` = no upper bound.
    pub hi: Option<Date>,
}

/// A date that could not be parsed or resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// Lowercase description, e.g. "invalid date `2025-02-30`: February 2025 has 28 days".
    pub message: String,
    /// Byte offset (inclusive) of the offending part inside the parsed string.
    pub start: usize,
    /// Byte offset (exclusive) of the offending part inside the parsed string.
    pub end: usize,
    /// A suggestion for fixing the text, if there is one.
    pub hint: Option<String>,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DateError {}

fn error(message: String, start: usize, end: usize, hint: Option<String>) -> DateError {
    DateError {
        message,
        start,
        end,
        hint,
    }
}

/// The larger of two lower bounds (`None` = minus infinity).
fn max_lower(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (None, x) | (x, None) => x,
    }
}

/// The smaller of two lower bounds (`None` = minus infinity).
fn min_lower(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => None,
    }
}

/// The smaller of two upper bounds (`None` = plus infinity).
fn min_upper(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (None, x) | (x, None) => x,
    }
}

/// The larger of two upper bounds (`None` = plus infinity).
fn max_upper(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    }
}

impl DateRange {
    /// Exactly one known day.
    pub fn day(d: Date) -> DateRange {
        DateRange {
            lo: Some(d),
            hi: Some(d),
        }
    }

    /// A date about which nothing is known: every day is possible.
    pub fn unknown() -> DateRange {
        DateRange { lo: None, hi: None }
    }

    /// The days from `lo` to `hi` inclusive; `None` if `lo > hi`.
    pub fn new(lo: Option<Date>, hi: Option<Date>) -> Option<DateRange> {
        match (lo, hi) {
            (Some(l), Some(h)) if l > h => None,
            _ => Some(DateRange { lo, hi }),
        }
    }

    /// The day, if the range is exactly one day.
    pub fn as_day(&self) -> Option<Date> {
        match (self.lo, self.hi) {
            (Some(l), Some(h)) if l == h => Some(l),
            _ => None,
        }
    }

    /// Whether `d` is one of the admissible days.
    pub fn contains(&self, d: Date) -> bool {
        self.lo.is_none_or(|l| l <= d) && self.hi.is_none_or(|h| d <= h)
    }

    /// Whether every admissible day of `self` is admissible in `o`.
    pub fn is_subset_of(&self, o: &DateRange) -> bool {
        let lo_ok = match (o.lo, self.lo) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(ol), Some(sl)) => ol <= sl,
        };
        let hi_ok = match (o.hi, self.hi) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(oh), Some(sh)) => sh <= oh,
        };
        lo_ok && hi_ok
    }

    /// Whether no day is admissible in both ranges.
    pub fn is_disjoint(&self, o: &DateRange) -> bool {
        self.intersect(o).is_none()
    }

    /// The days admissible in both ranges; `None` if there are none.
    pub fn intersect(&self, o: &DateRange) -> Option<DateRange> {
        DateRange::new(max_lower(self.lo, o.lo), min_upper(self.hi, o.hi))
    }

    /// The smallest range containing both ranges (and every day between them).
    pub fn hull(&self, o: &DateRange) -> DateRange {
        DateRange {
            lo: min_lower(self.lo, o.lo),
            hi: max_upper(self.hi, o.hi),
        }
    }
}

// ---------------------------------------------------------------------------
// Strict date values
// ---------------------------------------------------------------------------

pub use crate::base::lang::en::MONTH_NAMES;

/// The number of days of month `m` (1–12) of year `y`; 0 for a month or
/// year that does not exist.
pub fn days_in_month(y: i32, m: u8) -> u8 {
    let (Ok(y), Ok(m)) = (i16::try_from(y), i8::try_from(m)) else {
        return 0;
    };
    Date::new(y, m, 1)
        .ok()
        .and_then(|d| u8::try_from(d.days_in_month()).ok())
        .unwrap_or(0)
}

fn month_name(month: i8) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

const DATE_FORMS_HINT: &str =
    "accepted forms: YYYY-MM-DD, YYYY-MM, YYYY, A..B, ..B, A.., unknown (e.g. `2023-06-07`, `2023-06`, `2023`, `2018-01..2019-06`, `..2018`, `2025-05-27..`)";

/// One parsed side of a value: the first and last day it covers.
#[derive(Clone, Copy)]
struct Point {
    first: Date,
    last: Date,
}

fn jiff_error(text: &str, start: usize, end: usize, e: &jiff::Error) -> DateError {
    error(
        format!("invalid date `{text}`: {e}"),
        start,
        end,
        Some(DATE_FORMS_HINT.to_string()),
    )
}

/// Parse one of `YYYY`, `YYYY-MM`, `YYYY-MM-DD`. `text` is already trimmed and
/// starts at byte `offset` of the caller's string.
fn parse_point(text: &str, offset: usize) -> Result<Point, DateError> {
    let whole_end = offset + text.len();
    let malformed = |why: &str, start: usize, end: usize| {
        error(
            format!("malformed date `{text}`: {why}"),
            start,
            end,
            Some(DATE_FORMS_HINT.to_string()),
        )
    };
    if text.is_empty() {
        return Err(malformed("expected a date", offset, whole_end));
    }
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(malformed(
            "expected YYYY, YYYY-MM or YYYY-MM-DD",
            offset,
            whole_end,
        ));
    }
    // Every byte is ASCII, so byte positions are char boundaries.
    let mut parts: Vec<(&str, usize, usize)> = Vec::with_capacity(3);
    let mut pos = offset;
    for part in text.split('-') {
        parts.push((part, pos, pos + part.len()));
        pos += part.len() + 1;
    }
    if parts.len() > 3 {
        return Err(malformed(
            "expected YYYY, YYYY-MM or YYYY-MM-DD",
            offset,
            whole_end,
        ));
    }
    let mut fields: [i16; 3] = [0; 3];
    let names = ["year", "month", "day"];
    let widths = [4usize, 2, 2];
    for (i, &(part, start, end)) in parts.iter().enumerate() {
        let (name, width) = match (names.get(i), widths.get(i)) {
            (Some(n), Some(w)) => (*n, *w),
            _ => return Err(malformed("too many fields", start, end)),
        };
        if part.len() != width {
            let digits = if width == 4 { "4 digits" } else { "2 digits" };
            return Err(malformed(
                &format!("the {name} must have exactly {digits}"),
                start,
                end,
            ));
        }
        let value: i16 = part
            .parse()
            .map_err(|_| malformed(&format!("the {name} is not a number"), start, end))?;
        if let Some(slot) = fields.get_mut(i) {
            *slot = value;
        }
    }
    let [year, month, day] = fields;
    let (year_start, year_end) = parts.first().map_or((offset, whole_end), |p| (p.1, p.2));
    if !(1..=9999).contains(&year) {
        return Err(error(
            format!("invalid year `{text}`: years run from 0001 to 9999"),
            year_start,
            year_end,
            None,
        ));
    }
    let first_of_year =
        Date::new(year, 1, 1).map_err(|e| jiff_error(text, offset, whole_end, &e))?;
    let Some(&(_, month_start, month_end)) = parts.get(1) else {
        return Ok(Point {
            first: first_of_year,
            last: first_of_year.last_of_year(),
        });
    };
    let month = i8::try_from(month).unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(error(
            format!("invalid month in `{text}`: months run from 01 to 12"),
            month_start,
            month_end,
            None,
        ));
    }
    let first_of_month =
        Date::new(year, month, 1).map_err(|e| jiff_error(text, offset, whole_end, &e))?;
    let Some(&(_, day_start, day_end)) = parts.get(2) else {
        return Ok(Point {
            first: first_of_month,
            last: first_of_month.last_of_month(),
        });
    };
    let day = i8::try_from(day).unwrap_or(0);
    let month_len = first_of_month.days_in_month();
    if day < 1 {
        return Err(error(
            format!("invalid date `{text}`: days start at 01"),
            day_start,
            day_end,
            None,
        ));
    }
    if day > month_len {
        let hint = if month == 2 && day == 29 {
            Some(format!("{year:04} is not a leap year"))
        } else {
            None
        };
        return Err(error(
            format!(
                "invalid date `{text}`: {} {year:04} has {month_len} days",
                month_name(month)
            ),
            day_start,
            day_end,
            hint,
        ));
    }
    let d = Date::new(year, month, day).map_err(|e| jiff_error(text, offset, whole_end, &e))?;
    Ok(Point { first: d, last: d })
}

/// The byte range of `s` left after trimming surrounding whitespace.
fn trimmed_span(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len().max(start);
    (start, end)
}

/// Parse `side` (a sub-slice of a range text starting at byte `offset`),
/// trimming whitespace around it. `None` if the side is empty.
fn parse_side(side: &str, offset: usize) -> Result<Option<Point>, DateError> {
    let (start, end) = trimmed_span(side);
    match side.get(start..end) {
        None | Some("") => Ok(None),
        Some(t) => parse_point(t, offset + start).map(Some),
    }
}

/// Parse an evidence / literal date value.
///
/// Grammar:
///
/// * `YYYY-MM-DD` — that day;
/// * `YYYY-MM` — that month's days;
/// * `YYYY` — that year's days;
/// * `A..B` — from the first day of `A` to the last day of `B`, where `A` and
///   `B` are each any of the three forms above (`2018-01..2019-06`,
///   `2023-03-07..2023-06`);
/// * `..B` — on or before the last day of `B`;
/// * `A..` — on or after the first day of `A`;
/// * `unknown` (any ASCII case) — every day is possible.
///
/// Surrounding whitespace is trimmed (also around each side of `..`). Years
/// are 0001..=9999 with exactly 4 digits; months and days have exactly 2.
///
/// Errors carry the byte span (in `s`) of the offending part: malformed text
/// (with a hint listing the accepted forms), month `00`/`13`, day `00` or
/// past the month's end (naming the month's length, leap years included), a
/// range whose end precedes its start (hint: the swapped range), a bare `..`,
/// and an empty string.
pub fn parse_date_value(s: &str) -> Result<DateRange, DateError> {
    let (start, end) = trimmed_span(s);
    let text = s.get(start..end).unwrap_or("");
    if text.is_empty() {
        return Err(error(
            "empty date".to_string(),
            start,
            end,
            Some(DATE_FORMS_HINT.to_string()),
        ));
    }
    if text.eq_ignore_ascii_case("unknown") {
        return Ok(DateRange::unknown());
    }
    let Some(sep) = text.find("..") else {
        let p = parse_point(text, start)?;
        return Ok(DateRange {
            lo: Some(p.first),
            hi: Some(p.last),
        });
    };
    let left = text.get(..sep).unwrap_or("");
    let right_offset = sep + 2;
    let right = text.get(right_offset..).unwrap_or("");
    if let Some(again) = right.find("..") {
        let at = start + right_offset + again;
        return Err(error(
            format!("malformed date range `{text}`: more than one `..`"),
            at,
            at + 2,
            Some(DATE_FORMS_HINT.to_string()),
        ));
    }
    let a = parse_side(left, start)?;
    let b = parse_side(right, start + right_offset)?;
    match (a, b) {
        (None, None) => Err(error(
            "`..` needs a date on at least one side".to_string(),
            start,
            end,
            Some("write `unknown` for a date that is not known at all".to_string()),
        )),
        (Some(a), None) => Ok(DateRange {
            lo: Some(a.first),
            hi: None,
        }),
        (None, Some(b)) => Ok(DateRange {
            lo: None,
            hi: Some(b.last),
        }),
        (Some(a), Some(b)) => {
            if b.last < a.first {
                Err(error(
                    format!("date range `{text}` ends before it starts"),
                    start,
                    end,
                    Some(format!(
                        "swap the two sides: `{}..{}`",
                        right.trim(),
                        left.trim()
                    )),
                ))
            } else {
                Ok(DateRange {
                    lo: Some(a.first),
                    hi: Some(b.last),
                })
            }
        }
    }
}

/// How coarsely a bound can be written: ordered from finest to coarsest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precision {
    Day,
    Month,
    Year,
}

/// The coarsest form that writes `d` as the first day of something.
fn lower_precision(d: Date) -> Precision {
    if d == d.first_of_year() {
        Precision::Year
    } else if d == d.first_of_month() {
        Precision::Month
    } else {
        Precision::Day
    }
}

/// The coarsest form that writes `d` as the last day of something.
fn upper_precision(d: Date) -> Precision {
    if d == d.last_of_year() {
        Precision::Year
    } else if d == d.last_of_month() {
        Precision::Month
    } else {
        Precision::Day
    }
}

fn write_at(f: &mut fmt::Formatter<'_>, d: Date, p: Precision) -> fmt::Result {
    match p {
        Precision::Year => write!(f, "{:04}", d.year()),
        Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
        Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

/// Canonical text.
///
/// * a single day: `2023-06-07`;
/// * a whole calendar month: `2023-06`; a whole calendar year: `2023`;
/// * a closed range is written with one precision for both sides, the
///   coarsest that fits both: `2016..2017` (whole years), `2018-01..2019-06`
///   (whole months), otherwise days: `2023-03-07..2023-06-30`;
/// * a half-open range writes its bounded side as a day, so the bound itself is
///   explicit: `..2018-11-30`, `2025-05-27..`, `2025-05-01..` (`..2018-11`
///   parses to the same value as `..2018-11-30` and displays as the latter);
/// * fully unknown: `unknown`.
///
/// `parse_date_value(&r.to_string()) == Ok(r)` for every valid range whose
/// bounds lie in years 0001..=9999 (the years the grammar accepts).
impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.lo, self.hi) {
            (None, None) => f.write_str("unknown"),
            (Some(lo), None) => {
                write_at(f, lo, Precision::Day)?;
                f.write_str("..")
            }
            (None, Some(hi)) => {
                f.write_str("..")?;
                write_at(f, hi, Precision::Day)
            }
            (Some(lo), Some(hi)) => {
                if lo == hi {
                    return write_at(f, lo, Precision::Day);
                }
                let p = lower_precision(lo).min(upper_precision(hi));
                let single = match p {
                    Precision::Year => lo.year() == hi.year(),
                    Precision::Month => lo.year() == hi.year() && lo.month() == hi.month(),
                    Precision::Day => false,
                };
                if single {
                    return write_at(f, lo, p);
                }
                write_at(f, lo, p)?;
                f.write_str("..")?;
                write_at(f, hi, p)
            }
        }
    }
}

/// Serialized as its canonical [`Display`](fmt::Display) string.
impl serde::Serialize for DateRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// ---------------------------------------------------------------------------
// English period words
// ---------------------------------------------------------------------------

const PERIOD_TABLE: &[(&str, &str)] = &[
    ("YEAR", "January 1 – December 31 of YEAR (e.g. `2025`)"),
    ("YEAR-MM", "the whole month (e.g. `2025-05`)"),
    (
        "MONTH YEAR",
        "the whole month; MONTH is a full English month name or its 3-letter abbreviation (e.g. `May 2025`, `Sep 2025`)",
    ),
    ("early YEAR", "January 1 – April 30 of YEAR"),
    ("mid YEAR", "May 1 – August 31 of YEAR (also `mid-YEAR`)"),
    ("late YEAR", "September 1 – December 31 of YEAR"),
    ("the first half of YEAR", "January 1 – June 30 of YEAR"),
    ("the second half of YEAR", "July 1 – December 31 of YEAR"),
    (
        "SEASON YEAR",
        "a meteorological season of the northern hemisphere: `spring` March–May, `summer` June–August, `autumn` (`fall`) September–November of YEAR, `winter` December of YEAR – February of the next year (also `the summer of YEAR`); with `hemisphere = \"south\"` in `[article]`, `autumn` March–May, `winter` June–August, `spring` September–November, `summer` December – February",
    ),
    (
        "MONTH–MONTH YEAR",
        "the months from the first to the second of YEAR, both included (`June–August 2023`, also with `-` or `to`; in Spanish `junio–agosto de 2023`, `junio a agosto de 2023`)",
    ),
    ("A..B", "a range of dates written as in evidence (`2023-06..2023-08`)"),
    (
        "last MONTH",
        "the most recent MONTH before the article's date's month (said in May 2016, `last August` is August 2015)",
    ),
    (
        "the past N days",
        "the N days ending on the article's date, both included; also weeks, months, years, `the last N …`, and `the past year` / `the last month` for N = 1 (N in digits or one–twelve)",
    ),
    ("this month", "the calendar month of the article's date"),
    ("last month", "the calendar month before the article's date's month"),
    ("next month", "the calendar month after the article's date's month"),
    ("this year", "the calendar year of the article's date"),
    (
        "last year",
        "the calendar year before the article's date's year (`the last year`, with `the`, is the past 12 months)",
    ),
    ("next year", "the calendar year after the article's date's year"),
    (
        "this SEASON",
        "the SEASON the article's date falls in, else the one that starts in its year (said on 2023-09-15, `this summer` is June–August 2023)",
    ),
    (
        "last SEASON",
        "the most recent SEASON that ended before the article's date (said on 2023-07-10, `last summer` is June–August 2022)",
    ),
    ("next SEASON", "the first SEASON that starts after the article's date"),
    (
        "MONTH de YEAR",
        "the whole month, with a Spanish month name or abbreviation (`mayo de 2025`, `sept 2025`)",
    ),
    ("principios de YEAR", "`early YEAR` (also `comienzos de`, `inicios de`)"),
    ("mediados de YEAR", "`mid YEAR`"),
    ("finales de YEAR", "`late YEAR` (also `fines de`)"),
    (
        "la primera mitad de YEAR",
        "`the first half of YEAR` (also `el primer semestre de`)",
    ),
    (
        "la segunda mitad de YEAR",
        "`the second half of YEAR` (also `el segundo semestre de`)",
    ),
    (
        "SEASON de YEAR",
        "`SEASON YEAR` with a Spanish season name: `primavera`, `verano`, `otoño`, `invierno` (`verano de 2023`, `el verano de 2023`)",
    ),
    ("el mes pasado", "`last month` (also `el pasado mes`)"),
    ("este mes", "`this month`"),
    ("el próximo mes", "`next month` (also `el mes que viene`)"),
    ("el año pasado", "`last year` (also `el pasado año`)"),
    ("este año", "`this year`"),
    ("el próximo año", "`next year` (also `el año que viene`)"),
    (
        "el SEASON pasado",
        "`last SEASON` (`el verano pasado`, `la primavera pasada`)",
    ),
    ("este SEASON", "`this SEASON` (`este verano`, `esta primavera`)"),
    ("el próximo SEASON", "`next SEASON` (`el próximo verano`)"),
];

/// The declared table of period words accepted by [`parse_period`], as
/// `(word, meaning)` pairs, for documentation and `--help`.
pub fn period_table() -> &'static [(&'static str, &'static str)] {
    PERIOD_TABLE
}

fn period_hint() -> String {
    let words: Vec<&str> = PERIOD_TABLE.iter().map(|(w, _)| *w).collect();
    format!(
        "accepted periods: {} (case-insensitive; relative periods are resolved against the article's date)",
        words.join(", ")
    )
}

/// A word of the period text with its byte span in the caller's string.
struct Token<'a> {
    text: String,
    raw: &'a str,
    start: usize,
    end: usize,
}

fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    for word in s.split_whitespace() {
        // `split_whitespace` yields sub-slices of `s` in order; find this one's offset.
        let start = s
            .get(pos..)
            .and_then(|rest| rest.find(word))
            .map_or(pos, |i| pos + i);
        let end = start + word.len();
        pos = end;
        // "mid-2025" is "mid" + "2025".
        let is_mid = word
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("mid-"));
        if let (true, Some(mid), Some(rest)) = (is_mid, word.get(..3), word.get(4..)) {
            if !rest.is_empty() {
                tokens.push(Token {
                    text: fold(mid),
                    raw: mid,
                    start,
                    end: start + 3,
                });
                tokens.push(Token {
                    text: fold(rest),
                    raw: rest,
                    start: start + 4,
                    end,
                });
                continue;
            }
        }
        tokens.push(Token {
            text: fold(word),
            raw: word,
            start,
            end,
        });
    }
    tokens
}

/// The hemisphere an article's seasons are those of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Hemisphere {
    /// Summer is June–August (the default).
    #[default]
    North,
    /// Summer is December–February.
    South,
}

fn season_from_name(word: &str) -> Option<Season> {
    crate::base::lang::any_season(word)
}

/// The days of `season` starting in `year` in hemisphere `h` (the season
/// that starts in December runs into the next year).
fn season_of(season: Season, year: i16, h: Hemisphere) -> Result<DateRange, jiff::Error> {
    let first_month = match (h, season) {
        (Hemisphere::North, Season::Spring) | (Hemisphere::South, Season::Autumn) => 3,
        (Hemisphere::North, Season::Summer) | (Hemisphere::South, Season::Winter) => 6,
        (Hemisphere::North, Season::Autumn) | (Hemisphere::South, Season::Spring) => 9,
        (Hemisphere::North, Season::Winter) | (Hemisphere::South, Season::Summer) => 12,
    };
    let lo = Date::new(year, first_month, 1)?;
    let hi = lo.checked_add(jiff::Span::new().months(2))?.last_of_month();
    Ok(DateRange {
        lo: Some(lo),
        hi: Some(hi),
    })
}

/// A period relative to the article's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relative {
    /// The season the date falls in, else the one starting in its year.
    ThisSeason(Season),
    /// The most recent season that ended before the date.
    LastSeason(Season),
    /// The first season that starts after the date.
    NextSeason(Season),
    /// The most recent month of this number before the as-of date's month.
    LastNamedMonth(i8),
    /// The `n` units ending on the as-of date.
    Past(i64, PastUnit),
    LastMonth,
    ThisMonth,
    NextMonth,
    LastYear,
    ThisYear,
    NextYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PastUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A unit of time word of the language tables ("days", "weeks", …).
fn past_unit(word: &str) -> Option<PastUnit> {
    use crate::base::lang::TimeUnit;
    let unit = Lang::ALL.iter().find_map(|l| l.words().time_unit(word))?;
    match unit {
        (TimeUnit::Days, 1) => Some(PastUnit::Days),
        (TimeUnit::Days, 7) => Some(PastUnit::Weeks),
        (TimeUnit::Months, 1) => Some(PastUnit::Months),
        (TimeUnit::Years, 1) => Some(PastUnit::Years),
        _ => None,
    }
}

/// A count of the past units: digits, or a single number word of any
/// language's table ("two", "dos", "twelve").
fn small_number(word: &str) -> Option<i64> {
    use crate::base::lang::NumberWord as N;
    let word_value = Lang::ALL.iter().find_map(|l| match l.words().number(word) {
        Some(N::Unit(v) | N::Teen(v) | N::Tens(v)) => i64::try_from(v).ok(),
        _ => None,
    });
    word_value
        .or_else(|| word.parse::<i64>().ok())
        .filter(|n| (1..=100_000).contains(n))
}

/// The period `rel` denotes when said on exactly `d`, in hemisphere `h`.
fn resolve_relative(rel: Relative, d: Date, h: Hemisphere) -> Result<DateRange, jiff::Error> {
    let month = |m: Date| DateRange {
        lo: Some(m.first_of_month()),
        hi: Some(m.last_of_month()),
    };
    let year = |y: Date| DateRange {
        lo: Some(y.first_of_year()),
        hi: Some(y.last_of_year()),
    };
    let seasons = |s: Season| -> Result<Vec<DateRange>, jiff::Error> {
        (d.year() - 2..=d.year() + 1)
            .map(|y| season_of(s, y, h))
            .collect()
    };
    let pick = |found: Option<DateRange>| {
        found.ok_or_else(|| jiff::Error::from_args(format_args!("no such season")))
    };
    Ok(match rel {
        Relative::ThisSeason(s) => {
            let all = seasons(s)?;
            let within = all.iter().find(|r| r.contains(d)).copied();
            let same_year = all
                .iter()
                .find(|r| r.lo.map(|l| l.year()) == Some(d.year()))
                .copied();
            pick(within.or(same_year))?
        }
        Relative::LastSeason(s) => pick(
            seasons(s)?
                .into_iter()
                .rfind(|r| r.hi.is_some_and(|h| h < d)),
        )?,
        Relative::NextSeason(s) => pick(
            seasons(s)?
                .into_iter()
                .find(|r| r.lo.is_some_and(|l| l > d)),
        )?,
        Relative::LastNamedMonth(m) => {
            let this_year = Date::new(d.year(), m, 1)?;
            let first = if this_year < d.first_of_month() {
                this_year
            } else {
                Date::new(d.year() - 1, m, 1)?
            };
            month(first)
        }
        Relative::Past(n, unit) => {
            let span = match unit {
                PastUnit::Days => jiff::Span::new().try_days(n)?,
                PastUnit::Weeks => jiff::Span::new().try_weeks(n)?,
                PastUnit::Months => jiff::Span::new().try_months(n)?,
                PastUnit::Years => jiff::Span::new().try_years(n)?,
            };
            DateRange {
                lo: Some(d.checked_sub(span)?.tomorrow()?),
                hi: Some(d),
            }
        }
        Relative::ThisMonth => month(d),
        Relative::LastMonth => month(d.first_of_month().yesterday()?),
        Relative::NextMonth => month(d.last_of_month().tomorrow()?),
        Relative::ThisYear => year(d),
        Relative::LastYear => year(d.first_of_year().yesterday()?),
        Relative::NextYear => year(d.last_of_year().tomorrow()?),
    })
}

/// Month number for a month name or abbreviation of any language's table
/// (already folded): `may`, `sep`, `mayo`, `septiembre`.
fn month_from_name(word: &str) -> Option<i8> {
    crate::base::lang::any_month(word).and_then(|m| i8::try_from(m).ok())
}

/// The words of a period written with a phrase of any language's period
/// table, as the English words of [`period_table`]: `el verano pasado` →
/// `last summer`, `principios de 2025` → `early 2025`, `the beginning of
/// 2025` → `early 2025`. `None` when no phrase matches the whole text.
fn normalise(words: &[&str]) -> Option<Vec<String>> {
    for lang in Lang::ALL {
        for p in lang.words().periods {
            let (head, tail) = if p.before_year {
                match words.split_last() {
                    Some((y, head)) if y.bytes().all(|b| b.is_ascii_digit()) => (head, Some(*y)),
                    _ => continue,
                }
            } else {
                (words, None)
            };
            if head.len() != p.words.len() {
                continue;
            }
            let mut season = None;
            let same = p.words.iter().zip(head).all(|(w, h)| {
                if *w == "SEASON" {
                    season = crate::base::lang::any_season(h);
                    season.is_some()
                } else {
                    w == h || (*w == "de" && *h == "del")
                }
            });
            if !same {
                continue;
            }
            let means = match season {
                Some(s) => p.means.replace("SEASON", s.name()),
                None => p.means.to_string(),
            };
            let mut out: Vec<String> = means.split_whitespace().map(str::to_string).collect();
            out.extend(tail.map(str::to_string));
            return Some(out);
        }
    }
    None
}

/// The days from the first of `from_month` to the last of `to_month` of the
/// year written by `tok`.
fn months_of_year(
    tok: &Token<'_>,
    whole: &str,
    from_month: i8,
    to_month: i8,
) -> Result<DateRange, DateError> {
    let bad_year = || bad_year(tok, whole);
    let year = year_of(tok, whole)?;
    let lo = Date::new(year, from_month, 1).map_err(|_| bad_year())?;
    let hi = Date::new(year, to_month, 1)
        .map_err(|_| bad_year())?
        .last_of_month();
    Ok(DateRange {
        lo: Some(lo),
        hi: Some(hi),
    })
}

/// The error for a year that is not one (`tok` in the period `whole`).
fn bad_year(tok: &Token<'_>, whole: &str) -> DateError {
    error(
        format!(
            "invalid year `{}` in period `{whole}`: expected 4 digits, 0001 to 9999",
            tok.raw
        ),
        tok.start,
        tok.end,
        Some(period_hint()),
    )
}

/// The year written by `tok` (4 digits, 0001 to 9999).
fn year_of(tok: &Token<'_>, whole: &str) -> Result<i16, DateError> {
    let bad_year = || bad_year(tok, whole);
    if tok.text.len() != 4 || !tok.text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_year());
    }
    let year: i16 = tok.text.parse().map_err(|_| bad_year())?;
    if !(1..=9999).contains(&year) {
        return Err(bad_year());
    }
    Ok(year)
}

/// Parse a period word as an article or a claim writes it, resolved against
/// the as-of date range `as_of` (typically the article's publication date,
/// which may itself be a range).
///
/// English, case-insensitive, extra whitespace ignored. The accepted forms are
/// those of [`period_table`]: `2025`, `2025-05` (and, as with
/// [`parse_date_value`], a full day `2025-05-27`), `May 2025` / `Sep 2025`,
/// `early 2025` (January–April), `mid 2025` / `mid-2025` (May–August),
/// `late 2025` (September–December), `the first half of 2025` (January–June),
/// `the second half of 2025` (July–December; the leading `the` is optional),
/// and the relative `last month`, `this month`, `next month`, `last year`,
/// `this year`, `next year`.
///
/// Absolute periods ignore `as_of`. A relative period is resolved against
/// `as_of.lo` and `as_of.hi` separately; if both give the same period it is
/// returned. Otherwise the result is the hull of the two — a deliberate
/// widening: "last month" written some time between 2025-05-31 and 2025-06-02
/// is April *or* May, and since a [`DateRange`] cannot say "one of these two
/// months" it becomes every day of April and May (2025-04..2025-05), which
/// still contains every day the period may be. If `as_of` is unbounded on
/// either side the period cannot be resolved and an error is returned.
///
/// Any other text is a [`DateError`] spanning it, with a hint listing the
/// accepted forms.
pub fn parse_period(s: &str, as_of: &DateRange) -> Result<DateRange, DateError> {
    parse_period_in(s, as_of, Hemisphere::North)
}

/// [`parse_period`] with the seasons of hemisphere `h`.
pub fn parse_period_in(s: &str, as_of: &DateRange, h: Hemisphere) -> Result<DateRange, DateError> {
    let (start, end) = trimmed_span(s);
    let tokens = tokenize(s);
    let written: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let phrase = written.join(" ");
    let normal = normalise(&written);
    let words: Vec<&str> = match &normal {
        Some(n) => n.iter().map(String::as_str).collect(),
        None => written.clone(),
    };
    let unrecognized = || {
        error(
            if phrase.is_empty() {
                "empty period".to_string()
            } else {
                format!("unrecognized period `{phrase}`")
            },
            start,
            end,
            Some(period_hint()),
        )
    };
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return Err(unrecognized());
    };
    // A range written as in evidence: `2023-06..2023-08`.
    if phrase.contains("..") {
        return parse_date_value(s).map_err(|mut e| {
            e.hint = Some(period_hint());
            e
        });
    }
    let month_span = |a: &str, b: &str| match (month_from_name(a), month_from_name(b)) {
        (Some(x), Some(y)) if x <= y => Some((x, y)),
        _ => None,
    };
    let dashed = |w: &str| {
        let mut parts = w.split(['–', '—', '-']);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => month_span(a, b),
            _ => None,
        }
    };
    let relative = match words.as_slice() {
        [range, _] | [range, "de", _] if dashed(range).is_some() => {
            let (a, b) = dashed(range).unwrap_or((1, 12));
            return months_of_year(last, &phrase, a, b);
        }
        [a, "to" | "through" | "–" | "—" | "-" | "a", b, _]
        | [a, "to" | "through" | "–" | "—" | "-" | "a", b, "de", _]
            if month_span(a, b).is_some() =>
        {
            let (a, b) = month_span(a, b).unwrap_or((1, 12));
            return months_of_year(last, &phrase, a, b);
        }
        [season, _] | ["the", season, "of", _] | [season, "of", _]
            if season_from_name(season).is_some() =>
        {
            let season = season_from_name(season).unwrap_or(Season::Summer);
            let year = year_of(last, &phrase)?;
            return season_of(season, year, h)
                .map_err(|e| error(format!("cannot resolve `{phrase}`: {e}"), start, end, None));
        }
        ["this", season] if season_from_name(season).is_some() => {
            Relative::ThisSeason(season_from_name(season).unwrap_or(Season::Summer))
        }
        ["last", season] if season_from_name(season).is_some() => {
            Relative::LastSeason(season_from_name(season).unwrap_or(Season::Summer))
        }
        ["next", season] if season_from_name(season).is_some() => {
            Relative::NextSeason(season_from_name(season).unwrap_or(Season::Summer))
        }
        [single] => {
            if single.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                let p = parse_point(first.raw, first.start).map_err(|mut e| {
                    e.hint = Some(period_hint());
                    e
                })?;
                return Ok(DateRange {
                    lo: Some(p.first),
                    hi: Some(p.last),
                });
            }
            return Err(unrecognized());
        }
        [month, _] | [month, "de" | "of", _] if month_from_name(month).is_some() => {
            let m = month_from_name(month).unwrap_or(1);
            return months_of_year(last, &phrase, m, m);
        }
        ["early", _] => return months_of_year(last, &phrase, 1, 4),
        ["mid", _] => return months_of_year(last, &phrase, 5, 8),
        ["late", _] => return months_of_year(last, &phrase, 9, 12),
        ["the", "first", "half", "of", _] | ["first", "half", "of", _] => {
            return months_of_year(last, &phrase, 1, 6)
        }
        ["the", "second", "half", "of", _] | ["second", "half", "of", _] => {
            return months_of_year(last, &phrase, 7, 12)
        }
        ["last", m] if month_from_name(m).is_some() => {
            Relative::LastNamedMonth(month_from_name(m).unwrap_or(1))
        }
        ["the", "past" | "last", unit] if past_unit(unit).is_some() => {
            Relative::Past(1, past_unit(unit).unwrap_or(PastUnit::Years))
        }
        ["the", "past" | "last", n, unit]
            if small_number(n).is_some() && past_unit(unit).is_some() =>
        {
            Relative::Past(
                small_number(n).unwrap_or(1),
                past_unit(unit).unwrap_or(PastUnit::Days),
            )
        }
        ["past" | "last", n, unit] if small_number(n).is_some() && past_unit(unit).is_some() => {
            Relative::Past(
                small_number(n).unwrap_or(1),
                past_unit(unit).unwrap_or(PastUnit::Days),
            )
        }
        ["last", "month"] => Relative::LastMonth,
        ["this", "month"] => Relative::ThisMonth,
        ["next", "month"] => Relative::NextMonth,
        ["last", "year"] => Relative::LastYear,
        ["this", "year"] => Relative::ThisYear,
        ["next", "year"] => Relative::NextYear,
        _ => return Err(unrecognized()),
    };
    let (Some(lo), Some(hi)) = (as_of.lo, as_of.hi) else {
        return Err(error(
            format!("cannot resolve `{phrase}` against an open-ended date"),
            start,
            end,
            Some(
                "give the article's date (`published`, or the claim's `said_on`) a bound on both sides, or write an absolute period such as `May 2025`"
                    .to_string(),
            ),
        ));
    };
    let outside = |e: jiff::Error| {
        error(
            format!("cannot resolve `{phrase}` against `{as_of}`: {e}"),
            start,
            end,
            None,
        )
    };
    let from_lo = resolve_relative(relative, lo, h).map_err(outside)?;
    let from_hi = resolve_relative(relative, hi, h).map_err(outside)?;
    if from_lo == from_hi {
        Ok(from_lo)
    } else {
        Ok(from_lo.hull(&from_hi))
    }
}

// ---------------------------------------------------------------------------
// Arithmetic and comparisons
// ---------------------------------------------------------------------------

/// Days from `a` to `b` (`b - a`), exact; negative if `b < a`.
pub fn days_between(a: Date, b: Date) -> i64 {
    // A `Date - Date` span has days as its largest unit, so this is exact.
    i64::from((b - a).get_days())
}

/// The range of `b - a` in days over all admissible days `a` in `a` and `b`
/// in `b`, as `(min, max)`; each side is `None` if unbounded.
/// `min = b.lo - a.hi`, `max = b.hi - a.lo`.
pub fn days_between_ranges(a: &DateRange, b: &DateRange) -> (Option<i64>, Option<i64>) {
    let min = match (a.hi, b.lo) {
        (Some(ah), Some(bl)) => Some(days_between(ah, bl)),
        _ => None,
    };
    let max = match (a.lo, b.hi) {
        (Some(al), Some(bh)) => Some(days_between(al, bh)),
        _ => None,
    };
    (min, max)
}

/// `a < b`: `Some(true)` if it holds for every admissible pair of days,
/// `Some(false)` if for none, `None` if it depends.
pub fn cmp_lt(a: &DateRange, b: &DateRange) -> Option<bool> {
    if matches!((a.hi, b.lo), (Some(ah), Some(bl)) if ah < bl) {
        Some(true)
    } else if matches!((a.lo, b.hi), (Some(al), Some(bh)) if al >= bh) {
        Some(false)
    } else {
        None
    }
}

/// `a <= b`, three-valued as [`cmp_lt`].
pub fn cmp_le(a: &DateRange, b: &DateRange) -> Option<bool> {
    if matches!((a.hi, b.lo), (Some(ah), Some(bl)) if ah <= bl) {
        Some(true)
    } else if matches!((a.lo, b.hi), (Some(al), Some(bh)) if al > bh) {
        Some(false)
    } else {
        None
    }
}

/// `a > b`, three-valued as [`cmp_lt`].
pub fn cmp_gt(a: &DateRange, b: &DateRange) -> Option<bool> {
    cmp_lt(b, a)
}

/// `a >= b`, three-valued as [`cmp_lt`].
pub fn cmp_ge(a: &DateRange, b: &DateRange) -> Option<bool> {
    cmp_le(b, a)
}

/// `a == b` as days: `Some(true)` only when both are the same single day,
/// `Some(false)` when the ranges share no day, otherwise `None`.
pub fn cmp_eq(a: &DateRange, b: &DateRange) -> Option<bool> {
    match (a.as_day(), b.as_day()) {
        (Some(x), Some(y)) if x == y => Some(true),
        _ if a.is_disjoint(b) => Some(false),
        _ => None,
    }
}

/// The earliest of a collection of uncertain dates, as a range containing
/// exactly the values the true minimum may take; `None` for an empty slice.
///
/// The minimum is at least the smallest `lo` (unbounded if any member is
/// unbounded below) and at most the smallest `hi`: some member is surely no
/// later than its own `hi`. A member unbounded above does not constrain the
/// upper end, so the upper end is the smallest *bounded* `hi`, and unbounded
/// only if every member is unbounded above. Every day in between is
/// attainable: the member with the smallest `lo` takes that day, the others
/// take their `hi`.
pub fn min_of(ranges: &[DateRange]) -> Option<DateRange> {
    let (first, rest) = ranges.split_first()?;
    Some(rest.iter().fold(*first, |acc, r| DateRange {
        lo: min_lower(acc.lo, r.lo),
        hi: min_upper(acc.hi, r.hi),
    }))
}

/// The latest of a collection of uncertain dates, as a range containing
/// exactly the values the true maximum may take; `None` for an empty slice.
///
/// Mirror image of [`min_of`]: from the largest bounded `lo` (unbounded only
/// if every member is unbounded below) to the largest `hi` (unbounded if any
/// member is unbounded above).
pub fn max_of(ranges: &[DateRange]) -> Option<DateRange> {
    let (first, rest) = ranges.split_first()?;
    Some(rest.iter().fold(*first, |acc, r| DateRange {
        lo: max_lower(acc.lo, r.lo),
        hi: max_upper(acc.hi, r.hi),
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn d(y: i16, m: i8, day: i8) -> Date {
        date(y, m, day)
    }

    fn r(lo: Option<Date>, hi: Option<Date>) -> DateRange {
        DateRange::new(lo, hi).unwrap()
    }

    fn span(lo: Date, hi: Date) -> DateRange {
        r(Some(lo), Some(hi))
    }

    fn p(s: &str) -> DateRange {
        parse_date_value(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn perr(s: &str) -> DateError {
        match parse_date_value(s) {
            Ok(v) => panic!("{s:?} parsed as {v:?}"),
            Err(e) => e,
        }
    }

    fn assert_round_trip(x: DateRange) {
        let text = x.to_string();
        assert_eq!(parse_date_value(&text), Ok(x), "round trip of {text:?}");
    }

    // --- DateRange basics -------------------------------------------------

    #[test]
    fn constructors() {
        assert_eq!(DateRange::day(d(2023, 6, 7)).as_day(), Some(d(2023, 6, 7)));
        assert_eq!(DateRange::unknown(), DateRange { lo: None, hi: None });
        assert_eq!(
            DateRange::new(Some(d(2023, 6, 8)), Some(d(2023, 6, 7))),
            None
        );
        assert!(DateRange::new(Some(d(2023, 6, 7)), Some(d(2023, 6, 7))).is_some());
        assert!(DateRange::new(None, Some(d(2023, 6, 7))).is_some());
        assert_eq!(p("2023-06").as_day(), None);
        assert_eq!(DateRange::unknown().as_day(), None);
    }

    #[test]
    fn contains_subset_disjoint_intersect_hull() {
        let june = p("2023-06");
        let july = p("2023-07");
        assert!(june.contains(d(2023, 6, 1)));
        assert!(june.contains(d(2023, 6, 30)));
        assert!(!june.contains(d(2023, 7, 1)));
        assert!(!june.contains(d(2023, 5, 31)));
        assert!(p("..2023").contains(d(1, 1, 1)));
        assert!(!p("..2023").contains(d(2024, 1, 1)));
        assert!(DateRange::unknown().contains(d(2023, 6, 7)));

        assert!(june.is_subset_of(&p("2023")));
        assert!(june.is_subset_of(&june));
        assert!(!p("2023").is_subset_of(&june));
        assert!(june.is_subset_of(&p("2023-06-01..")));
        assert!(!june.is_subset_of(&p("2023-06-02..")));
        assert!(!p("2023..").is_subset_of(&p("2023")));
        assert!(p("2023..").is_subset_of(&DateRange::unknown()));
        assert!(!DateRange::unknown().is_subset_of(&p("..2023")));

        // Touching but not overlapping.
        assert!(june.is_disjoint(&july));
        assert!(!june.is_disjoint(&p("2023-06-30..2023-07-05")));
        assert!(!p("..2023-06-01").is_disjoint(&june));
        assert!(p("..2023-05-31").is_disjoint(&june));

        assert_eq!(june.intersect(&july), None);
        assert_eq!(
            june.intersect(&p("2023-06-30..2023-07-05")),
            Some(DateRange::day(d(2023, 6, 30)))
        );
        assert_eq!(
            p("2023..").intersect(&p("..2023-02")),
            Some(p("2023-01..2023-02"))
        );
        assert_eq!(
            DateRange::unknown().intersect(&DateRange::unknown()),
            Some(DateRange::unknown())
        );

        assert_eq!(june.hull(&p("2023-09")), p("2023-06..2023-09"));
        assert_eq!(june.hull(&p("..2020")), p("..2023-06"));
        assert_eq!(june.hull(&DateRange::unknown()), DateRange::unknown());
    }

    // --- parse_date_value ---------------------------------------------------

    #[test]
    fn parses_days_months_years() {
        assert_eq!(p("2023-06-07"), DateRange::day(d(2023, 6, 7)));
        assert_eq!(p("2023-06"), span(d(2023, 6, 1), d(2023, 6, 30)));
        assert_eq!(p("2023-12"), span(d(2023, 12, 1), d(2023, 12, 31)));
        assert_eq!(p("2023"), span(d(2023, 1, 1), d(2023, 12, 31)));
        assert_eq!(p("0001"), span(d(1, 1, 1), d(1, 12, 31)));
        assert_eq!(p("9999-12-31"), DateRange::day(d(9999, 12, 31)));
        assert_eq!(p("  2023-06 \n"), p("2023-06"));
        assert_eq!(p("unknown"), DateRange::unknown());
        assert_eq!(p(" Unknown "), DateRange::unknown());
    }

    #[test]
    fn leap_years() {
        assert_eq!(p("2024-02-29"), DateRange::day(d(2024, 2, 29)));
        assert_eq!(p("2024-02"), span(d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(p("2023-02"), span(d(2023, 2, 1), d(2023, 2, 28)));
        assert_eq!(p("2000-02-29"), DateRange::day(d(2000, 2, 29)));

        let e = perr("2023-02-29");
        assert_eq!(
            e.message,
            "invalid date `2023-02-29`: February 2023 has 28 days"
        );
        assert_eq!((e.start, e.end), (8, 10));
        assert_eq!(e.hint.as_deref(), Some("2023 is not a leap year"));

        let e = perr("2025-02-30");
        assert_eq!(
            e.message,
            "invalid date `2025-02-30`: February 2025 has 28 days"
        );
        assert_eq!((e.start, e.end), (8, 10));
        assert_eq!(e.hint, None);

        let e = perr("2024-02-30");
        assert_eq!(
            e.message,
            "invalid date `2024-02-30`: February 2024 has 29 days"
        );

        let e = perr("1900-02-29");
        assert_eq!(
            e.message,
            "invalid date `1900-02-29`: February 1900 has 28 days"
        );

        // Spans are in the original, untrimmed string.
        let e = perr("  2023-02-29");
        assert_eq!((e.start, e.end), (10, 12));
    }

    #[test]
    fn invalid_months_and_days() {
        let e = perr("2023-13");
        assert_eq!(
            e.message,
            "invalid month in `2023-13`: months run from 01 to 12"
        );
        assert_eq!((e.start, e.end), (5, 7));
        let e = perr("2023-00-10");
        assert_eq!((e.start, e.end), (5, 7));
        assert!(e.message.starts_with("invalid month"), "{}", e.message);

        let e = perr("2023-06-00");
        assert_eq!(e.message, "invalid date `2023-06-00`: days start at 01");
        assert_eq!((e.start, e.end), (8, 10));
        let e = perr("2023-04-31");
        assert_eq!(
            e.message,
            "invalid date `2023-04-31`: April 2023 has 30 days"
        );
        let e = perr("2023-06-32");
        assert_eq!(
            e.message,
            "invalid date `2023-06-32`: June 2023 has 30 days"
        );
        assert!(parse_date_value("2023-01-31").is_ok());

        let e = perr("0000");
        assert_eq!((e.start, e.end), (0, 4));
        assert!(e.message.contains("0001 to 9999"), "{}", e.message);
    }

    #[test]
    fn garbage_is_rejected_with_spans_and_hints() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("2023/06", 0, 7, "malformed date `2023/06`"),
            ("23-06", 0, 2, "the year must have exactly 4 digits"),
            ("2023-6", 5, 6, "the month must have exactly 2 digits"),
            ("2023-06-7", 8, 9, "the day must have exactly 2 digits"),
            ("20230", 0, 5, "the year must have exactly 4 digits"),
            ("June", 0, 4, "malformed date `June`"),
            ("2023-06-07-01", 0, 13, "malformed date"),
            ("2023-", 5, 5, "the month must have exactly 2 digits"),
            ("+2023", 0, 5, "malformed date"),
            ("2023-06-07T00:00", 0, 16, "malformed date"),
            ("２０２３", 0, 12, "malformed date"),
        ];
        for &(text, start, end, needle) in cases {
            let e = perr(text);
            assert!(e.message.contains(needle), "{text:?}: {}", e.message);
            assert_eq!((e.start, e.end), (start, end), "{text:?}: {e:?}");
            assert!(
                e.hint.as_deref().is_some_and(|h| h.contains("YYYY-MM-DD")),
                "{text:?}: {e:?}"
            );
        }

        let e = perr("");
        assert_eq!(e.message, "empty date");
        assert_eq!((e.start, e.end), (0, 0));
        let e = perr("   ");
        assert_eq!(e.message, "empty date");

        let e = perr("..");
        assert_eq!(e.message, "`..` needs a date on at least one side");
        assert_eq!((e.start, e.end), (0, 2));
        assert!(e.hint.unwrap().contains("unknown"));
        assert!(parse_date_value(" .. ").is_err());

        let e = perr("2018..2019..2020");
        assert_eq!((e.start, e.end), (10, 12));
        assert!(e.message.contains("more than one `..`"));

        let e = perr("2018...2019");
        assert_eq!((e.start, e.end), (6, 11));
    }

    #[test]
    fn ranges() {
        assert_eq!(p("2018-01..2019-06"), span(d(2018, 1, 1), d(2019, 6, 30)));
        assert_eq!(
            p("2023-03-07..2023-06"),
            span(d(2023, 3, 7), d(2023, 6, 30))
        );
        assert_eq!(p("2016..2017"), span(d(2016, 1, 1), d(2017, 12, 31)));
        assert_eq!(p("2016..2016-02"), span(d(2016, 1, 1), d(2016, 2, 29)));
        assert_eq!(p("2023..2023"), p("2023"));
        assert_eq!(p("2023-06..2023"), span(d(2023, 6, 1), d(2023, 12, 31)));
        assert_eq!(p("2023-06-07..2023-06-07"), DateRange::day(d(2023, 6, 7)));
        assert_eq!(p(" 2018 .. 2019 "), p("2018..2019"));
        // Errors inside a side point into that side.
        let e = perr("2018-01..2019-13");
        assert_eq!((e.start, e.end), (14, 16));
        let e = perr("2018-02-30..2019");
        assert_eq!((e.start, e.end), (8, 10));
    }

    #[test]
    fn open_ranges() {
        assert_eq!(p("..2018-11"), r(None, Some(d(2018, 11, 30))));
        assert_eq!(p("..2018"), r(None, Some(d(2018, 12, 31))));
        assert_eq!(p("..2018-11-30"), r(None, Some(d(2018, 11, 30))));
        assert_eq!(p("2025-05-27.."), r(Some(d(2025, 5, 27)), None));
        assert_eq!(p("2025-05.."), r(Some(d(2025, 5, 1)), None));
        assert_eq!(p("2025.."), r(Some(d(2025, 1, 1)), None));
        let e = perr("..2018-11-31");
        assert_eq!((e.start, e.end), (10, 12));
    }

    #[test]
    fn reversed_ranges() {
        let e = perr("2019..2018");
        assert_eq!(e.message, "date range `2019..2018` ends before it starts");
        assert_eq!((e.start, e.end), (0, 10));
        assert_eq!(e.hint.as_deref(), Some("swap the two sides: `2018..2019`"));
        let e = perr("  2023-06-07..2023-06-06");
        assert_eq!((e.start, e.end), (2, 24));
        assert_eq!(
            e.hint.as_deref(),
            Some("swap the two sides: `2023-06-06..2023-06-07`")
        );
        assert!(parse_date_value("2023-07..2023-06").is_err());
        // Overlapping precisions are not reversed: 2023 ends after June starts.
        assert!(parse_date_value("2023-06..2023").is_ok());
        assert!(parse_date_value("2023..2023-06").is_ok());
        assert!(parse_date_value("2024..2023-12").is_err());
    }

    // --- Display ---------------------------------------------------------

    #[test]
    fn canonical_display() {
        let cases: &[(&str, &str)] = &[
            ("2023-06-07", "2023-06-07"),
            ("2023-06", "2023-06"),
            ("2023-06-01..2023-06-30", "2023-06"),
            ("2024-02-01..2024-02-29", "2024-02"),
            ("2024-02-01..2024-02-28", "2024-02-01..2024-02-28"),
            ("2023", "2023"),
            ("2023-01-01..2023-12-31", "2023"),
            ("2023-01..2023-12", "2023"),
            ("2018-01..2019-06", "2018-01..2019-06"),
            ("2018..2019-06", "2018-01..2019-06"),
            ("2016..2017", "2016..2017"),
            ("2016-01-01..2017-12-31", "2016..2017"),
            ("2023-03-07..2023-06", "2023-03-07..2023-06-30"),
            ("2023-01..2023-06", "2023-01..2023-06"),
            ("2023-06-01..2023-06-29", "2023-06-01..2023-06-29"),
            ("2023-06-07..2023-06-08", "2023-06-07..2023-06-08"),
            ("..2018-11-30", "..2018-11-30"),
            ("..2018-11", "..2018-11-30"),
            ("..2018", "..2018-12-31"),
            ("2025-05-27..", "2025-05-27.."),
            ("2025-05..", "2025-05-01.."),
            ("2025..", "2025-01-01.."),
            ("unknown", "unknown"),
            ("0001-01-01", "0001-01-01"),
        ];
        for &(input, canonical) in cases {
            let v = p(input);
            assert_eq!(v.to_string(), canonical, "display of {input:?}");
            assert_eq!(p(canonical), v, "reparse of {canonical:?}");
        }
    }

    #[test]
    fn display_round_trips_exhaustively() {
        // Bounds at, next to and between month and year boundaries, 2023-2024
        // (a leap year), in every combination, plus open sides.
        let mut bounds: Vec<Date> = Vec::new();
        for y in [2023i16, 2024] {
            for m in 1..=12i8 {
                let first = d(y, m, 1);
                bounds.extend([first, d(y, m, 2), d(y, m, 15)]);
                bounds.push(first.last_of_month());
                bounds.push(first.last_of_month().yesterday().unwrap());
            }
        }
        let sides: Vec<Option<Date>> = std::iter::once(None)
            .chain(bounds.iter().copied().map(Some))
            .collect();
        let mut count = 0;
        for &lo in &sides {
            for &hi in &sides {
                if let Some(x) = DateRange::new(lo, hi) {
                    assert_round_trip(x);
                    count += 1;
                }
            }
        }
        assert!(count > 7000, "{count}");
    }

    #[test]
    fn serializes_as_display_string() {
        assert_eq!(
            serde_json::to_string(&p("2018..2019-06")).unwrap(),
            "\"2018-01..2019-06\""
        );
        assert_eq!(
            serde_json::to_string(&DateRange::unknown()).unwrap(),
            "\"unknown\""
        );
        assert_eq!(
            serde_json::to_string(&DateRange::day(d(2023, 6, 7))).unwrap(),
            "\"2023-06-07\""
        );
    }

    #[test]
    fn error_display() {
        let e = perr("2019..2018");
        assert_eq!(
            e.to_string(),
            "date range `2019..2018` ends before it starts (swap the two sides: `2018..2019`)"
        );
    }

    // --- periods -----------------------------------------------------------

    fn period(s: &str, as_of: &DateRange) -> DateRange {
        parse_period(s, as_of).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn at(s: &str) -> DateRange {
        p(s)
    }

    #[test]
    fn absolute_periods() {
        let none = DateRange::unknown();
        assert_eq!(period("2025", &none), p("2025"));
        assert_eq!(period("2025-05", &none), p("2025-05"));
        assert_eq!(period("2025-05-27", &none), p("2025-05-27"));
        assert_eq!(
            period("May 2025", &none),
            span(d(2025, 5, 1), d(2025, 5, 31))
        );
        assert_eq!(period("january 2023", &none), p("2023-01"));
        assert_eq!(period("  JANUARY \t 2023 ", &none), p("2023-01"));
        assert_eq!(period("Jan 2023", &none), p("2023-01"));
        assert_eq!(period("Sep 2025", &none), p("2025-09"));
        assert_eq!(period("September 2025", &none), p("2025-09"));
        assert_eq!(
            period("Feb 2024", &none),
            span(d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            period("December 2025", &none),
            span(d(2025, 12, 1), d(2025, 12, 31))
        );

        assert_eq!(
            period("early 2025", &none),
            span(d(2025, 1, 1), d(2025, 4, 30))
        );
        assert_eq!(
            period("mid 2025", &none),
            span(d(2025, 5, 1), d(2025, 8, 31))
        );
        assert_eq!(
            period("mid-2025", &none),
            span(d(2025, 5, 1), d(2025, 8, 31))
        );
        assert_eq!(
            period("Mid-2025", &none),
            span(d(2025, 5, 1), d(2025, 8, 31))
        );
        assert_eq!(
            period("late 2025", &none),
            span(d(2025, 9, 1), d(2025, 12, 31))
        );
        assert_eq!(
            period("the first half of 2025", &none),
            span(d(2025, 1, 1), d(2025, 6, 30))
        );
        assert_eq!(
            period("The  Second Half of 2025", &none),
            span(d(2025, 7, 1), d(2025, 12, 31))
        );
        assert_eq!(period("first half of 2025", &none), p("2025-01..2025-06"));
        // Absolute periods ignore the as-of date.
        assert_eq!(period("early 2025", &p("..2000")), p("2025-01..2025-04"));
    }

    #[test]
    fn relative_periods_against_a_day() {
        let may27 = at("2025-05-27");
        assert_eq!(
            period("last month", &may27),
            span(d(2025, 4, 1), d(2025, 4, 30))
        );
        assert_eq!(period("this month", &may27), p("2025-05"));
        assert_eq!(period("next month", &may27), p("2025-06"));
        assert_eq!(
            period("last year", &may27),
            span(d(2024, 1, 1), d(2024, 12, 31))
        );
        assert_eq!(period("this year", &may27), p("2025"));
        assert_eq!(period("next year", &may27), p("2026"));
        assert_eq!(period("  Last   MONTH ", &may27), p("2025-04"));

        // Year rollover.
        let jan15 = at("2025-01-15");
        assert_eq!(
            period("last month", &jan15),
            span(d(2024, 12, 1), d(2024, 12, 31))
        );
        assert_eq!(period("next month", &at("2025-12-31")), p("2026-01"));
        assert_eq!(period("last month", &at("2025-03-01")), p("2025-02"));
        assert_eq!(period("last month", &at("2024-03-31")), p("2024-02"));
        assert_eq!(period("last year", &at("2025-01-01")), p("2024"));
        assert_eq!(period("this year", &at("2025-12-31")), p("2025"));
    }

    #[test]
    fn last_named_month_is_the_most_recent_one_before_this_month() {
        let may = at("2016-05-16");
        assert_eq!(period("last August", &may), p("2015-08"));
        assert_eq!(period("last April", &may), p("2016-04"));
        // Said in May, "last May" is a year back, not this month.
        assert_eq!(period("last May", &may), p("2015-05"));
        assert_eq!(period("last Jan", &at("2016-01-01")), p("2015-01"));
    }

    #[test]
    fn rolling_windows_end_on_the_as_of_date() {
        let d = at("2016-05-16");
        // 2016 is a leap year: the 365 days ending 2016-05-16 start 2015-05-18.
        assert_eq!(period("the past 365 days", &d), p("2015-05-18..2016-05-16"));
        assert_eq!(period("the last year", &d), p("2015-05-17..2016-05-16"));
        assert_eq!(period("last 2 weeks", &d), p("2016-05-03..2016-05-16"));
        assert_eq!(
            period("the past three months", &d),
            p("2016-02-17..2016-05-16")
        );
        assert_eq!(period("the past day", &d), p("2016-05-16"));
        // Without "the", "last year" stays the calendar year.
        assert_eq!(period("last year", &d), p("2015"));
        // Month arithmetic clamps to the month's last day.
        assert_eq!(
            period("the past month", &at("2016-03-31")),
            p("2016-03-01..2016-03-31")
        );
        assert!(parse_period("the past 0 days", &d).is_err());
    }

    #[test]
    fn relative_periods_against_a_range() {
        // Both ends fall in the same month: same answer.
        let end_of_may = at("2025-05-26..2025-05-31");
        assert_eq!(period("last month", &end_of_may), p("2025-04"));
        // Ends in different months: deliberate widening to the hull.
        let straddle = at("2025-05-31..2025-06-02");
        assert_eq!(
            period("last month", &straddle),
            span(d(2025, 4, 1), d(2025, 5, 31))
        );
        assert_eq!(period("this month", &straddle), p("2025-05..2025-06"));
        assert_eq!(period("this year", &at("2025-05")), p("2025"));
        assert_eq!(
            period("last year", &at("2024-12..2025-01")),
            p("2023..2024")
        );
        assert_eq!(period("last month", &at("2025")), p("2024-12..2025-11"));
    }

    #[test]
    fn relative_periods_need_a_bounded_as_of() {
        for as_of in [DateRange::unknown(), p("2025-05.."), p("..2025-05")] {
            let e = parse_period(" last month", &as_of).unwrap_err();
            assert_eq!(
                e.message,
                "cannot resolve `last month` against an open-ended date"
            );
            assert_eq!((e.start, e.end), (1, 11));
            assert!(e.hint.is_some());
        }
    }

    #[test]
    fn period_garbage() {
        let as_of = at("2025-05-27");
        for text in [
            "yesterday",
            "the third half of 2025",
            "early",
            "2025 May",
            "mid-",
            "last week",
            "in May 2025",
            "el verano",
            "verano pasado de 2023",
        ] {
            let e = parse_period(text, &as_of).unwrap_err();
            assert_eq!(
                e.message,
                format!("unrecognized period `{}`", text.to_lowercase())
            );
            assert_eq!((e.start, e.end), (0, text.len()), "{text:?}");
            let hint = e.hint.unwrap();
            assert!(
                hint.contains("early YEAR") && hint.contains("last month"),
                "{hint}"
            );
        }
        let e = parse_period("   ", &as_of).unwrap_err();
        assert_eq!(e.message, "empty period");
        assert_eq!((e.start, e.end), (3, 3));

        // A recognized shape with a bad year points at the year.
        let e = parse_period("early 25", &as_of).unwrap_err();
        assert_eq!((e.start, e.end), (6, 8));
        assert!(e.message.contains("invalid year `25`"), "{}", e.message);
        let e = parse_period("mid-0000", &as_of).unwrap_err();
        assert_eq!((e.start, e.end), (4, 8));
        let e = parse_period("May 20x5", &as_of).unwrap_err();
        assert_eq!((e.start, e.end), (4, 8));
        // A numeric period uses the date grammar's checks.
        let e = parse_period(" 2025-13", &as_of).unwrap_err();
        assert_eq!((e.start, e.end), (6, 8));
        assert!(e.hint.unwrap().contains("early YEAR"));
    }

    #[test]
    fn period_table_lists_every_form() {
        let table = period_table();
        let words: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
        for w in [
            "YEAR",
            "MONTH YEAR",
            "early YEAR",
            "mid YEAR",
            "late YEAR",
            "the first half of YEAR",
            "the second half of YEAR",
            "last month",
            "this month",
            "next month",
            "last year",
            "this year",
            "next year",
        ] {
            assert!(words.contains(&w), "{w}");
        }
        let early = table.iter().find(|(w, _)| *w == "early YEAR").unwrap();
        assert_eq!(early.1, "January 1 – April 30 of YEAR");
        // Every literal (relative) entry really parses.
        let as_of = at("2025-05-27");
        for (w, _) in table {
            let w = &w
                .replace("SEASON", "summer")
                .replace("A..B", "2023-06..2023-08");
            if !w.contains("YEAR") && !w.contains("MM") {
                let example = w.replace("MONTH", "August").replace(" N ", " 30 ");
                assert!(parse_period(&example, &as_of).is_ok(), "{example}");
            } else {
                let example = w
                    .replace("MONTH", "May")
                    .replace("YEAR", "2025")
                    .replace("MM", "05");
                assert!(parse_period(&example, &as_of).is_ok(), "{example}");
            }
        }
    }

    // --- arithmetic --------------------------------------------------------

    #[test]
    fn days_between_exact() {
        assert_eq!(days_between(d(2024, 2, 28), d(2024, 3, 1)), 2);
        assert_eq!(days_between(d(2023, 2, 28), d(2023, 3, 1)), 1);
        assert_eq!(days_between(d(2024, 3, 1), d(2024, 2, 28)), -2);
        assert_eq!(days_between(d(2023, 1, 1), d(2024, 1, 1)), 365);
        assert_eq!(days_between(d(2024, 1, 1), d(2025, 1, 1)), 366);
        assert_eq!(days_between(d(2023, 6, 7), d(2023, 6, 7)), 0);
        assert_eq!(days_between(d(1, 1, 1), d(9999, 12, 31)), 3_652_058);
    }

    #[test]
    fn days_between_ranges_bounds() {
        // June -> July: from June 30 -> July 1 (1) to June 1 -> July 31 (60).
        assert_eq!(
            days_between_ranges(&p("2023-06"), &p("2023-07")),
            (Some(1), Some(60))
        );
        assert_eq!(
            days_between_ranges(&p("2023-06-07"), &p("2023-06-10")),
            (Some(3), Some(3))
        );
        assert_eq!(
            days_between_ranges(&p("2023-07"), &p("2023-06")),
            (Some(-60), Some(-1))
        );
        assert_eq!(
            days_between_ranges(&p("2023-06-07"), &p("2023-06-10..")),
            (Some(3), None)
        );
        assert_eq!(
            days_between_ranges(&p("2023-06-07.."), &p("2023-06-10")),
            (None, Some(3))
        );
        assert_eq!(
            days_between_ranges(&p("..2023-06-07"), &p("2023-06-10")),
            (Some(3), None)
        );
        assert_eq!(
            days_between_ranges(&DateRange::unknown(), &p("2023")),
            (None, None)
        );
    }

    #[test]
    fn min_and_max_of() {
        assert_eq!(min_of(&[]), None);
        assert_eq!(max_of(&[]), None);
        let a = p("2023-06");
        assert_eq!(min_of(&[a]), Some(a));
        assert_eq!(max_of(&[a]), Some(a));

        let b = p("2023-06-15..2023-08");
        assert_eq!(min_of(&[a, b]), Some(span(d(2023, 6, 1), d(2023, 6, 30))));
        assert_eq!(max_of(&[a, b]), Some(span(d(2023, 6, 15), d(2023, 8, 31))));

        // An unknown member: the minimum may be anything up to June 30.
        let u = DateRange::unknown();
        assert_eq!(min_of(&[a, u]), Some(r(None, Some(d(2023, 6, 30)))));
        assert_eq!(max_of(&[a, u]), Some(r(Some(d(2023, 6, 1)), None)));
        assert_eq!(min_of(&[u, u]), Some(u));
        assert_eq!(max_of(&[u]), Some(u));

        // Open on one side.
        let later = p("2024..");
        let earlier = p("..2020");
        assert_eq!(min_of(&[a, later]), Some(a));
        assert_eq!(max_of(&[a, later]), Some(later));
        assert_eq!(min_of(&[a, earlier]), Some(p("..2020")));
        assert_eq!(max_of(&[a, earlier]), Some(a));
        assert_eq!(min_of(&[later, p("2025..")]), Some(p("2024..")));
        assert_eq!(max_of(&[earlier, p("..2019")]), Some(p("..2020")));
        assert_eq!(min_of(&[later, earlier, a]), Some(p("..2020")));
        assert_eq!(max_of(&[later, earlier, a]), Some(p("2024..")));
    }

    // --- three-valued comparisons ------------------------------------------

    #[test]
    fn comparisons_at_touching_boundaries() {
        let june = p("2023-06");
        let july = p("2023-07");
        let jun30 = p("2023-06-30");
        let jul1 = p("2023-07-01");

        // Adjacent months: June is wholly before July.
        assert_eq!(cmp_lt(&june, &july), Some(true));
        assert_eq!(cmp_le(&june, &july), Some(true));
        assert_eq!(cmp_gt(&june, &july), Some(false));
        assert_eq!(cmp_ge(&june, &july), Some(false));
        assert_eq!(cmp_eq(&june, &july), Some(false));
        assert_eq!(cmp_gt(&july, &june), Some(true));
        assert_eq!(cmp_ge(&july, &june), Some(true));

        // A month and its last day: `<` depends, `<=` always holds.
        assert_eq!(cmp_lt(&june, &jun30), None);
        assert_eq!(cmp_le(&june, &jun30), Some(true));
        assert_eq!(cmp_gt(&june, &jun30), Some(false));
        assert_eq!(cmp_ge(&june, &jun30), None);
        assert_eq!(cmp_eq(&june, &jun30), None);
        assert_eq!(cmp_lt(&jun30, &june), Some(false));
        assert_eq!(cmp_ge(&jun30, &june), Some(true));

        // The same single day.
        assert_eq!(cmp_lt(&jun30, &jun30), Some(false));
        assert_eq!(cmp_le(&jun30, &jun30), Some(true));
        assert_eq!(cmp_gt(&jun30, &jun30), Some(false));
        assert_eq!(cmp_ge(&jun30, &jun30), Some(true));
        assert_eq!(cmp_eq(&jun30, &jun30), Some(true));

        // Consecutive days.
        assert_eq!(cmp_lt(&jun30, &jul1), Some(true));
        assert_eq!(cmp_eq(&jun30, &jul1), Some(false));

        // Ranges sharing one day.
        let a = p("2023-06-20..2023-06-30");
        let b = p("2023-06-30..2023-07-10");
        assert_eq!(cmp_lt(&a, &b), None);
        assert_eq!(cmp_le(&a, &b), Some(true));
        assert_eq!(cmp_gt(&a, &b), Some(false));
        assert_eq!(cmp_ge(&a, &b), None);
        assert_eq!(cmp_eq(&a, &b), None);

        // The same month is not "equal": the days may differ.
        assert_eq!(cmp_eq(&june, &june), None);
        assert_eq!(cmp_le(&june, &june), None);
    }

    #[test]
    fn comparisons_with_open_ranges() {
        let u = DateRange::unknown();
        let june = p("2023-06");
        for f in [cmp_lt, cmp_le, cmp_gt, cmp_ge, cmp_eq] {
            assert_eq!(f(&u, &june), None);
            assert_eq!(f(&june, &u), None);
        }
        assert_eq!(cmp_lt(&p("..2023"), &p("2024..")), Some(true));
        assert_eq!(cmp_lt(&p("..2023"), &p("2023-12-31..")), None);
        assert_eq!(cmp_le(&p("..2023"), &p("2023-12-31..")), Some(true));
        assert_eq!(cmp_lt(&p("2024.."), &p("..2023")), Some(false));
        assert_eq!(cmp_ge(&p("2023-06-30.."), &june), Some(true));
        assert_eq!(cmp_gt(&p("2023-06-30.."), &june), None);
        assert_eq!(cmp_eq(&p("2024.."), &p("..2023")), Some(false));
    }
}

#[cfg(test)]
mod season_tests {
    use super::*;

    fn day(s: &str) -> DateRange {
        parse_date_value(s).unwrap()
    }

    fn period(s: &str, said: &str) -> String {
        parse_period(s, &day(said)).unwrap().to_string()
    }

    #[test]
    fn spanish_period_words_mean_the_english_ones() {
        for (es, en) in [
            ("el verano pasado", "last summer"),
            ("El Verano Pasado", "last summer"),
            ("este verano", "this summer"),
            ("el próximo invierno", "next winter"),
            ("verano de 2023", "summer 2023"),
            ("el otoño de 2022", "autumn 2022"),
            ("primavera 2024", "spring 2024"),
            ("invierno de 2023", "winter 2023"),
            ("el mes pasado", "last month"),
            ("el año que viene", "next year"),
            ("principios de 2025", "early 2025"),
            ("mediados de 2024", "mid 2024"),
            ("finales del 2023", "late 2023"),
            ("la primera mitad de 2024", "the first half of 2024"),
            ("mayo de 2025", "May 2025"),
            ("septiembre 2025", "September 2025"),
            ("Sept 2025", "September 2025"),
            ("junio–agosto de 2023", "June–August 2023"),
            ("junio a agosto de 2023", "June–August 2023"),
            ("the beginning of 2025", "early 2025"),
        ] {
            assert_eq!(period(es, "2023-09-15"), period(en, "2023-09-15"), "{es}");
        }
        assert_eq!(period("el verano pasado", "2023-09-15"), "2023-06..2023-08");
        assert_eq!(period("el verano pasado", "2023-07-10"), "2022-06..2022-08");
    }

    #[test]
    fn seasons_are_meteorological_and_northern() {
        assert_eq!(period("summer 2023", "2025"), "2023-06..2023-08");
        assert_eq!(period("the summer of 2023", "2025"), "2023-06..2023-08");
        assert_eq!(period("Spring 2020", "2025"), "2020-03..2020-05");
        assert_eq!(period("fall 2021", "2025"), "2021-09..2021-11");
        assert_eq!(period("autumn of 2021", "2025"), "2021-09..2021-11");
        // A winter runs into the next year, February 29th included.
        assert_eq!(period("winter 2023", "2025"), "2023-12..2024-02");
    }

    #[test]
    fn relative_seasons_count_from_the_date_they_were_said() {
        // An article of 2023-09-15: "the last to go departed this summer".
        assert_eq!(period("this summer", "2023-09-15"), "2023-06..2023-08");
        assert_eq!(period("last summer", "2023-09-15"), "2023-06..2023-08");
        assert_eq!(period("next summer", "2023-09-15"), "2024-06..2024-08");
        // Said during the summer, "last summer" is the year before.
        assert_eq!(period("this summer", "2023-07-10"), "2023-06..2023-08");
        assert_eq!(period("last summer", "2023-07-10"), "2022-06..2022-08");
        // Winters: in January, "this winter" began the December before.
        assert_eq!(period("this winter", "2024-01-20"), "2023-12..2024-02");
        assert_eq!(period("last winter", "2024-01-20"), "2022-12..2023-02");
        assert_eq!(period("this winter", "2023-10-01"), "2023-12..2024-02");
        assert_eq!(period("next winter", "2024-02-10"), "2024-12..2025-02");
        // Said some time in a range straddling a season's start: both.
        assert_eq!(
            period("last summer", "2023-08-30..2023-09-02"),
            "2022-06..2023-08"
        );
    }

    #[test]
    fn southern_seasons_are_the_other_half_of_the_year() {
        let south = |s: &str, said: &str| {
            parse_period_in(s, &day(said), Hemisphere::South)
                .unwrap()
                .to_string()
        };
        assert_eq!(south("summer 2023", "2025"), "2023-12..2024-02");
        assert_eq!(south("winter 2023", "2025"), "2023-06..2023-08");
        assert_eq!(south("autumn 2023", "2025"), "2023-03..2023-05");
        assert_eq!(south("spring 2023", "2025"), "2023-09..2023-11");
        // Said in a southern January, "this summer" is the one under way.
        assert_eq!(south("this summer", "2024-01-20"), "2023-12..2024-02");
        assert_eq!(south("last winter", "2024-01-20"), "2023-06..2023-08");
        // Months and years do not depend on the hemisphere.
        assert_eq!(south("June–August 2023", "2025"), "2023-06..2023-08");
        assert_eq!(south("last month", "2024-01-20"), "2023-12");
    }

    #[test]
    fn month_ranges_and_date_ranges() {
        assert_eq!(period("June–August 2023", "2025"), "2023-06..2023-08");
        assert_eq!(period("june-august 2023", "2025"), "2023-06..2023-08");
        assert_eq!(period("June to August 2023", "2025"), "2023-06..2023-08");
        assert_eq!(period("2023-06..2023-08", "2025"), "2023-06..2023-08");
        assert_eq!(period("2023-06-15..", "2025"), "2023-06-15..");
        // Backwards month ranges and bad years are errors, located.
        assert!(parse_period("August–June 2023", &day("2025")).is_err());
        let e = parse_period("summer 23", &day("2025")).unwrap_err();
        assert_eq!((e.start, e.end), (7, 9));
        assert!(parse_period("2023-08..2023-06", &day("2025")).is_err());
    }
}

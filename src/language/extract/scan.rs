//! The scanner: tokens, then at each token the longest quantity that starts
//! there (with the qualifier before it, if any).

use std::sync::LazyLock;

use regex::Regex;

use super::value::{fraction_percent, read_groups, Dec};
use super::{Finding, Kind, Lang};
use crate::base::lang::{fold, Join, NumberReader, NumberWord, Season, TimeUnit, Words};
use crate::statement::QUALIFIERS;

/// Words (letters with their combining marks), runs of ASCII digits, and
/// single other non-space characters.
static TOKEN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[0-9]+|(?:\p{L}\p{M}*)+|[^\s\p{L}\p{M}0-9]").ok());

/// English ordinal suffixes glued to a day ("27th"), Spanish "1º".
static ORDINAL_SUFFIX: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(?:st|nd|rd|th|º|ª|o|ro)$").ok());

/// The English qualifiers of the statement parser's table that take a
/// number, split into words.
static EN_QUALIFIERS: LazyLock<Vec<(Vec<&'static str>, &'static str)>> = LazyLock::new(|| {
    QUALIFIERS
        .iter()
        .filter(|d| d.takes_number)
        .flat_map(|d| d.words.iter())
        .map(|w| (w.split_whitespace().collect(), *w))
        .collect()
});

/// Whether every regular expression of the scanner compiled.
#[cfg(test)]
pub(super) fn regexes_compile() -> bool {
    [&TOKEN, &ORDINAL_SUFFIX].iter().all(|r| r.is_some())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Digits,
    Word,
    Sym,
}

#[derive(Debug)]
struct Tok {
    start: usize,
    end: usize,
    t: T,
    /// Folded text for words, the text itself otherwise.
    fold: String,
}

fn tokenize(text: &str) -> Option<Vec<Tok>> {
    let re = TOKEN.as_ref()?;
    Some(
        re.find_iter(text)
            .map(|m| {
                let s = m.as_str();
                let t = if s.starts_with(|c: char| c.is_ascii_digit()) {
                    T::Digits
                } else if s.starts_with(char::is_alphabetic) {
                    T::Word
                } else {
                    T::Sym
                };
                Tok {
                    start: m.start(),
                    end: m.end(),
                    t,
                    fold: if t == T::Word { fold(s) } else { s.to_string() },
                }
            })
            .collect(),
    )
}

/// Guess the language from function words.
pub(super) fn detect(text: &str) -> Lang {
    let es_words = Lang::Es.words().function_words;
    let en_words = Lang::En.words().function_words;
    let mut es = 0usize;
    let mut en = 0usize;
    for tok in tokenize(text).unwrap_or_default() {
        if tok.t == T::Word {
            es += usize::from(es_words.contains(&tok.fold.as_str()));
            en += usize::from(en_words.contains(&tok.fold.as_str()));
        }
    }
    if es > en {
        Lang::Es
    } else {
        Lang::En
    }
}

/// The most digit groups read as one figure ("1.234.567.890.123" has 5):
/// keeps the reading linear on long runs such as "1.2.3.4.5…".
const MAX_GROUPS: usize = 8;

/// A figure read at some token.
#[derive(Debug, Clone, Copy)]
struct Amount {
    /// Token index after it.
    end: usize,
    value: Dec,
    /// A single word meaning one ("one", "un", "una"): a quantity only with a
    /// unit, in a ratio, or after a qualifier.
    lone_one: bool,
    /// Four plain digits: possibly a year.
    year: Option<i32>,
    /// Scaled by a word ("2,5 millones", "a dozen"): the digits of the
    /// value overstate its precision.
    approx: bool,
}

/// A reading at some token: the token index after it and what it is
/// (`None` = consumed but not a quantity, such as "Llama 3").
#[derive(Debug, Clone)]
struct Cand {
    end: usize,
    out: Option<(Kind, String, bool)>,
}

fn cand(end: usize, kind: Kind, value: String) -> Option<Cand> {
    approx_cand(end, kind, value, false)
}

/// A reading whose value may be looser than its digits (see
/// [`Finding::approximate`]).
fn approx_cand(end: usize, kind: Kind, value: String, approximate: bool) -> Option<Cand> {
    Some(Cand {
        end,
        out: Some((kind, value, approximate)),
    })
}

/// What a finding is: kind, value, qualifier, approximate.
type Reading = (Kind, String, Option<&'static str>, bool);

/// Which kinds a qualifier can precede.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Any,
    Figure,
    Date,
}

impl Want {
    fn admits(self, c: &Cand) -> bool {
        match (self, &c.out) {
            (Want::Any, _) => true,
            (_, None) => false,
            (Want::Figure, Some((k, _, _))) => matches!(
                k,
                Kind::Number | Kind::Percent | Kind::Ratio | Kind::Duration | Kind::Fraction
            ),
            (Want::Date, Some((k, _, _))) => k.is_date(),
        }
    }
}

/// What a relation phrase's placeholders matched.
#[derive(Debug, Default)]
struct Caps {
    unit: Option<(TimeUnit, i128)>,
    count: Option<Dec>,
}

/// A unit of time as a relation names it: "year", "week", "decade".
fn unit_name(unit: TimeUnit, factor: i128) -> String {
    match (unit, factor) {
        (u, 1) => u.word(true).to_string(),
        (TimeUnit::Days, 7) => "week".to_string(),
        (TimeUnit::Years, 10) => "decade".to_string(),
        (u, n) => format!("{n} {}", u.word(false)),
    }
}

fn longest(a: Option<Cand>, b: Option<Cand>) -> Option<Cand> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.end > a.end { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    crate::date::days_in_month(y, m)
}

struct Cx<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    lang: Lang,
}

impl Cx<'_> {
    // --- token access -------------------------------------------------------

    fn words(&self) -> &'static Words {
        self.lang.words()
    }

    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn raw(&self, i: usize) -> &str {
        self.tok(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.tok(i)
            .filter(|t| t.t == T::Word)
            .map(|t| t.fold.as_str())
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    fn sym(&self, i: usize) -> Option<&str> {
        self.tok(i)
            .filter(|t| t.t == T::Sym)
            .map(|t| t.fold.as_str())
    }

    fn digits(&self, i: usize) -> Option<&str> {
        self.tok(i)
            .filter(|t| t.t == T::Digits)
            .map(|t| t.fold.as_str())
    }

    /// The text between token `i - 1` and token `i`.
    fn gap(&self, i: usize) -> Option<&str> {
        let prev = self.tok(i.checked_sub(1)?)?;
        let cur = self.tok(i)?;
        self.text.get(prev.end..cur.start)
    }

    /// Token `i` directly follows the previous one.
    fn glued(&self, i: usize) -> bool {
        self.gap(i) == Some("")
    }

    /// Token `i` follows the previous one after whitespace on the same line
    /// (a finding never spans a line break: scraped articles put one
    /// paragraph on each line).
    fn spaced(&self, i: usize) -> bool {
        self.gap(i).is_some_and(|g| {
            !g.is_empty()
                && g.chars()
                    .all(|c| c.is_whitespace() && c != '\n' && c != '\r')
        })
    }

    /// Token `i` is `-` joining the previous token to the next, with no
    /// spaces ("twenty-one", "five-year", "mid-2024").
    fn hyphen(&self, i: usize) -> bool {
        self.sym(i) == Some("-") && self.glued(i) && self.glued(i + 1)
    }

    fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }

    fn char_after(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    /// The words of `phrase` from token `i` on, separated by whitespace; a
    /// `de` in the phrase also matches Spanish `del`. The token index after
    /// the phrase.
    fn phrase(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        for (k, w) in phrase.iter().enumerate() {
            let at = i + k;
            let word = self.word(at)?;
            let same = word == *w || (*w == "de" && word == "del");
            if !same || (k > 0 && !self.spaced(at)) {
                return None;
            }
        }
        Some(i + phrase.len())
    }

    /// [`Cx::phrase`] after whitespace.
    fn then(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        if self.spaced(i) {
            self.phrase(i, phrase)
        } else {
            None
        }
    }

    /// The longest phrase of `table` at `i`, with its tag.
    fn longest_phrase<V: Copy>(&self, i: usize, table: &[(&[&str], V)]) -> Option<(usize, V)> {
        let mut best: Option<(usize, V)> = None;
        for (words, v) in table {
            if let Some(end) = self.phrase(i, words) {
                if best.is_none_or(|(e, _)| end > e) {
                    best = Some((end, *v));
                }
            }
        }
        best
    }

    // --- exclusions ---------------------------------------------------------

    /// Whether the digits at `i` may start a figure: not glued to a word
    /// or to the tail of another figure ("GPT-4", "H100", "3.5.1"), not a
    /// footnote mark "[2]", a list marker "1." at the start of a line, a time
    /// "10:30" or a slash date, nor the version of a capitalised name
    /// ("Llama 3", "LLaMA 2").
    fn digits_free(&self, i: usize) -> bool {
        let Some(tok) = self.tok(i).filter(|t| t.t == T::Digits) else {
            return false;
        };
        let before = self.char_before(tok.start);
        let before2 = before.and_then(|c| self.char_before(tok.start - c.len_utf8()));
        let after = self.char_after(tok.end);
        let after2 = after.and_then(|c| self.char_after(tok.end + c.len_utf8()));
        match before {
            Some(c) if c.is_alphanumeric() || c == '_' || c == '#' => return false,
            Some('.' | ',' | ':' | '/') if before2.is_some_and(|d| d.is_ascii_digit()) => {
                return false
            }
            Some('-') if before2.is_some_and(char::is_alphabetic) => return false,
            Some('[') if after == Some(']') => return false,
            _ => {}
        }
        if matches!(after, Some(':' | '/')) && after2.is_some_and(|d| d.is_ascii_digit()) {
            return false;
        }
        // Only whitespace back to the line's start (walking back over the
        // whitespace alone, so that this stays cheap on long lines).
        let line_start = self
            .text
            .get(..tok.start)
            .and_then(|s| s.chars().rev().find(|c| !c.is_whitespace() || *c == '\n'))
            .is_none_or(|c| c == '\n');
        if line_start
            && tok.fold.len() <= 2
            && matches!(after, Some('.' | ')'))
            && after2.is_none_or(char::is_whitespace)
        {
            return false;
        }
        !self.after_name(i)
    }

    /// Token `i` follows a capitalised word that is not a common word, a
    /// month or a number: a name whose version it is.
    fn after_name(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else {
            return false;
        };
        let Some(w) = self.word(prev) else {
            return false;
        };
        let single_space = matches!(self.gap(i), Some(" " | "\u{a0}"));
        // Spanish sentences often open with a verb ("Tiene 1.200
        // empleados"): a sentence's first word is capitalised anyway, unless
        // it has capitals inside ("LLaMA 2"). English ones open with a
        // common word ("In 2023", "About 5"), so there it stays a name.
        let raw = self.raw(prev);
        let inner_capital = raw.chars().skip(1).any(char::is_uppercase);
        if self.lang == Lang::Es && self.sentence_start(prev) && !inner_capital {
            return false;
        }
        single_space
            && self.raw(prev).chars().any(char::is_uppercase)
            && !Lang::ALL.iter().any(|l| l.words().common.contains(&w))
            && self.words().month(w).is_none()
            && self.words().number(w).is_none()
    }

    /// Whether token `i` starts a sentence: first in the text or in its
    /// line, or after `.`, `!`, `?`, `:` (and opening quotes or `¿`, `¡`).
    fn sentence_start(&self, i: usize) -> bool {
        let Some(tok) = self.tok(i) else {
            return false;
        };
        let before = self.text.get(..tok.start).unwrap_or("");
        let trimmed = before.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '“' | '«' | '\'' | '‘' | '¿' | '¡' | '(')
        });
        let line_start = before
            .get(trimmed.len()..)
            .is_some_and(|g| g.contains('\n'));
        trimmed.is_empty() || line_start || trimmed.ends_with(['.', '!', '?', ':', '…'])
    }

    // --- figures ------------------------------------------------------------

    fn amount(&self, i: usize) -> Option<Amount> {
        match self.tok(i)?.t {
            T::Digits => self.digit_amount(i),
            T::Word => self.word_amount(i),
            T::Sym => None,
        }
    }

    /// Digits with thousands separators and a decimal point or comma, and an
    /// optional scale word ("3 millones").
    fn digit_amount(&self, i: usize) -> Option<Amount> {
        if !self.digits_free(i) {
            return None;
        }
        let mut groups = vec![self.digits(i)?];
        let mut seps = Vec::new();
        let mut ends = vec![i + 1];
        let mut j = i + 1;
        while groups.len() < MAX_GROUPS {
            let sep = match (self.sym(j), self.gap(j)) {
                (Some("."), _) => Some('.'),
                (Some(","), _) => Some(','),
                _ => None,
            };
            if let Some(sep) = sep {
                if let (true, true, Some(g)) =
                    (self.glued(j), self.glued(j + 1), self.digits(j + 1))
                {
                    seps.push(sep);
                    groups.push(g);
                    ends.push(j + 2);
                    j += 2;
                    continue;
                }
            }
            if let (Some(g), Some("\u{a0}" | "\u{202f}" | "\u{2009}")) =
                (self.digits(j), self.gap(j))
            {
                seps.push(' ');
                groups.push(g);
                ends.push(j + 1);
                j += 1;
                continue;
            }
            break;
        }
        let (mut value, used) = read_groups(&groups, &seps, self.lang)?;
        let mut end = *ends.get(used.checked_sub(1)?)?;
        let last = self.tok(end - 1)?;
        let after = self.char_after(last.end);
        let after2 = after.and_then(|c| self.char_after(last.end + c.len_utf8()));
        if after.is_some_and(char::is_alphabetic)
            || (matches!(after, Some(':' | '/')) && after2.is_some_and(|d| d.is_ascii_digit()))
        {
            return None;
        }
        let mut year = None;
        let mut scaled = false;
        if used == 1 && groups.first().is_some_and(|g| g.len() == 4) {
            year = groups.first().and_then(|g| g.parse::<i32>().ok());
        }
        if let Some(p) = self
            .word(end)
            .filter(|_| self.spaced(end))
            .and_then(|w| self.words().scale(w))
        {
            value = value.times_pow10(p)?;
            end += 1;
            year = None;
            scaled = true;
            // Spanish "mil millones".
            if let Some(q) = self
                .word(end)
                .filter(|_| p == 3 && self.spaced(end))
                .and_then(|w| self.words().scale(w))
                .filter(|q| *q > 3)
            {
                value = value.times_pow10(q)?;
                end += 1;
            }
        }
        Some(Amount {
            end,
            value,
            lone_one: false,
            year,
            approx: scaled,
        })
    }

    /// Number words: "three hundred and five", "twenty-one", "ciento
    /// cinco", "dos mil", "una docena".
    fn word_amount(&self, i: usize) -> Option<Amount> {
        let lang = self.lang;
        let words = self.words();
        let cat_at = |k: usize| self.word(k).and_then(|w| words.number(w));
        let mut reader = NumberReader::new(lang);
        let mut end = None;
        let mut j = i;
        if lang == Lang::En && (self.is(i, "a") || self.is(i, "an")) {
            // "a hundred", "a thousand", "a dozen"
            if !self.spaced(i + 1)
                || !matches!(
                    cat_at(i + 1),
                    Some(NumberWord::Hundred | NumberWord::Scale(_) | NumberWord::Dozen)
                )
            {
                return None;
            }
            reader = NumberReader::with_article(lang);
            j = i + 1;
        }
        loop {
            let (k, join) = if reader.is_empty() {
                (j, Join::First)
            } else if self.spaced(j) && cat_at(j).is_some() {
                (j, Join::Space)
            } else if lang == Lang::En && self.hyphen(j) {
                (j + 1, Join::Hyphen)
            } else if self.spaced(j) && self.spaced(j + 1) && self.is(j, words.and) {
                (j + 1, Join::And)
            } else {
                break;
            };
            let Some(cat) = cat_at(k) else {
                break;
            };
            if !reader.accepts(cat, join) {
                break;
            }
            if cat == NumberWord::Ciento
                && !(self.spaced(k + 1) && cat_at(k + 1).is_some_and(NumberWord::is_small))
            {
                break;
            }
            let more = reader.push(cat)?;
            j = k + 1;
            end = Some(j);
            if !more {
                break;
            }
        }
        let end = end?;
        let value = reader.value()?;
        Some(Amount {
            end,
            value: Dec::int(value),
            lone_one: reader.is_lone_one(),
            year: None,
            approx: reader.ends_with_dozen(),
        })
    }

    /// A four-digit year at `i`, after whitespace.
    fn year_at(&self, i: usize) -> Option<i32> {
        let d = self.digits(i).filter(|d| d.len() == 4)?;
        let tok = self.tok(i)?;
        let after = self.char_after(tok.end);
        let after2 = after.and_then(|c| self.char_after(tok.end + c.len_utf8()));
        if after.is_some_and(char::is_alphanumeric)
            || (matches!(after, Some('.' | ',' | '-' | ':' | '/'))
                && after2.is_some_and(|c| c.is_ascii_digit()))
        {
            return None;
        }
        d.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y))
    }

    /// A day of the month at `i` ("27", "27th", "1º"), and the token after it.
    fn day_at(&self, i: usize) -> Option<(u8, usize)> {
        let d = self.digits(i).filter(|d| d.len() <= 2)?;
        let tok = self.tok(i)?;
        if self
            .char_before(tok.start)
            .is_some_and(|c| c.is_alphanumeric())
        {
            return None;
        }
        let day: u8 = d.parse().ok().filter(|d| (1..=31).contains(d))?;
        let suffix = ORDINAL_SUFFIX.as_ref()?;
        if self.glued(i + 1) && self.word(i + 1).is_some_and(|w| suffix.is_match(w)) {
            let after = self.tok(i + 1).and_then(|t| self.char_after(t.end));
            if after.is_some_and(char::is_alphanumeric) {
                return None;
            }
            return Some((day, i + 2));
        }
        if self.char_after(tok.end).is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some((day, i + 1))
    }

    /// A month name at `i`, with an abbreviation's period, and the token
    /// after it.
    fn month_at(&self, i: usize) -> Option<(u8, usize)> {
        let w = self.word(i)?;
        let m = self.words().month(w)?;
        if self.words().is_abbreviated_month(w) && self.sym(i + 1) == Some(".") && self.glued(i + 1)
        {
            return Some((m, i + 2));
        }
        Some((m, i + 1))
    }

    // --- rules --------------------------------------------------------------

    /// "May 27, 2025", "27 May 2025", "27 de mayo de 2025" → `2025-05-27`;
    /// without a year the day is consumed but not reported.
    fn date_day(&self, i: usize) -> Option<Cand> {
        // An impossible day ("February 30, 2025") is consumed, not reported.
        let full = |y: i32, m: u8, d: u8, end: usize| Cand {
            end,
            out: (d <= days_in_month(y, m))
                .then(|| (Kind::Date, format!("{y:04}-{m:02}-{d:02}"), false)),
        };
        let skip = |end: usize| Some(Cand { end, out: None });
        match self.lang {
            Lang::En => {
                if let Some((m, j)) = self.month_at(i) {
                    // May 27[th][,] 2025
                    if !self.spaced(j) {
                        return None;
                    }
                    let (d, k) = self.day_at(j)?;
                    let at = if self.sym(k) == Some(",") && self.glued(k) {
                        k + 1
                    } else {
                        k
                    };
                    return match self.year_at(at).filter(|_| self.spaced(at)) {
                        Some(y) => Some(full(y, m, d, at + 1)),
                        None => skip(k),
                    };
                }
                // 27[th] [of] May[,] 2025
                let (d, j) = self.day_at(i)?;
                let j2 = self.then(j, &["of"]).unwrap_or(j);
                if !self.spaced(j2) {
                    return None;
                }
                let (m, k) = self.month_at(j2)?;
                let at = if self.sym(k) == Some(",") && self.glued(k) {
                    k + 1
                } else {
                    k
                };
                match self.year_at(at).filter(|_| self.spaced(at)) {
                    Some(y) => Some(full(y, m, d, at + 1)),
                    None => skip(k),
                }
            }
            Lang::Es => {
                // 27 de mayo de 2025
                let (d, j) = self.day_at(i)?;
                let j2 = self.then(j, &["de"])?;
                if !self.spaced(j2) {
                    return None;
                }
                let (m, k) = self.month_at(j2)?;
                let at = self.then(k, &["de"]).unwrap_or(k);
                match self.year_at(at).filter(|_| self.spaced(at)) {
                    Some(y) => Some(full(y, m, d, at + 1)),
                    None => skip(k),
                }
            }
        }
    }

    /// "January 2023", "enero de 2023" → `January 2023`.
    fn date_month(&self, i: usize) -> Option<Cand> {
        let (m, j) = self.month_at(i)?;
        let at = match self.lang {
            Lang::En => {
                if self.sym(j) == Some(",") && self.glued(j) {
                    j + 1
                } else {
                    self.then(j, &["of"]).unwrap_or(j)
                }
            }
            Lang::Es => self.then(j, &["de"]).unwrap_or(j),
        };
        let y = self.year_at(at).filter(|_| self.spaced(at))?;
        cand(
            at + 1,
            Kind::Date,
            format!("{} {y}", crate::base::lang::month_name(m)?),
        )
    }

    /// `2025-05-27`, `2025-05`.
    fn iso(&self, i: usize) -> Option<Cand> {
        let y: i32 = self.digits(i).filter(|d| d.len() == 4)?.parse().ok()?;
        let tok = self.tok(i)?;
        if self
            .char_before(tok.start)
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
        {
            return None;
        }
        let two = |k: usize| -> Option<u8> {
            (self.sym(k) == Some("-") && self.glued(k) && self.glued(k + 1))
                .then(|| self.digits(k + 1))
                .flatten()
                .filter(|d| d.len() == 2)
                .and_then(|d| d.parse().ok())
        };
        let m = two(i + 1)?;
        let d = two(i + 3);
        let end = if d.is_some() { i + 5 } else { i + 3 };
        let valid_day = d.is_none_or(|d| (1..=days_in_month(y, m)).contains(&d));
        if !(1..=12).contains(&m) || !valid_day {
            // An impossible date ("2025-02-30") is no figure at all.
            return Some(Cand { end, out: None });
        }
        let value = match d {
            Some(d) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("{y:04}-{m:02}"),
        };
        let last = self.tok(end - 1)?;
        let after = self.char_after(last.end);
        if after.is_some_and(|c| c.is_alphanumeric())
            || (after == Some('-') && self.digits(end + 1).is_some())
        {
            return None;
        }
        cand(end, Kind::Date, value)
    }

    /// A phrase of the language's period table: "early 2025", "mid-2024",
    /// "principios de 2025", "la primera mitad de 2024", "summer 2023",
    /// "verano de 2023", "last month", "el año pasado", "this summer", "el
    /// verano pasado" → `early 2025`, `mid 2024`, `summer 2023`, `last
    /// month`, `last summer`, …
    fn period(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        for p in self.words().periods {
            let Some((j, season)) = self.period_phrase(i, p.words) else {
                continue;
            };
            let means = match season {
                Some(s) => p.means.replace("SEASON", s.name()),
                None => p.means.to_string(),
            };
            let c = if p.before_year {
                let at = if means == "mid" && self.hyphen(j) {
                    j + 1
                } else if self.spaced(j) {
                    j
                } else {
                    continue;
                };
                let Some(y) = self.year_at(at) else {
                    continue;
                };
                cand(at + 1, Kind::Period, format!("{means} {y}"))
            } else {
                cand(j, Kind::Period, means)
            };
            best = longest(best, c);
        }
        best
    }

    /// [`Cx::phrase`] where the word `SEASON` matches a season name: the
    /// token after it and the season.
    fn period_phrase(&self, i: usize, words: &[&str]) -> Option<(usize, Option<Season>)> {
        let mut season = None;
        for (k, w) in words.iter().enumerate() {
            let at = i + k;
            let word = self.word(at)?;
            if k > 0 && !self.spaced(at) {
                return None;
            }
            if *w == "SEASON" {
                season = Some(self.words().season(word)?);
            } else if !(word == *w || (*w == "de" && word == "del")) {
                return None;
            }
        }
        Some((i + words.len(), season))
    }

    /// "78%", "78 %", "78 percent", "78 por ciento" → `78%`.
    fn percent(&self, i: usize) -> Option<Cand> {
        let a = self.amount(i)?;
        let j = a.end;
        let value = format!("{}%", a.value);
        if self.sym(j) == Some("%") && (self.glued(j) || self.spaced(j)) {
            return approx_cand(j + 1, Kind::Percent, value, a.approx);
        }
        if !self.spaced(j) {
            return None;
        }
        let end = self
            .words()
            .percent
            .iter()
            .filter_map(|p| self.phrase(j, p))
            .max()?;
        approx_cand(end, Kind::Percent, value, a.approx)
    }

    /// "11 of 14", "11 out of 14", "one in three", "once de los catorce",
    /// "3 de cada 10" → `11 of 14`.
    fn ratio(&self, i: usize) -> Option<Cand> {
        let a = self.amount(i)?;
        let part = a.value.whole()?;
        let (table, dets) = (self.words().ratio, self.words().determiners);
        if !self.spaced(a.end) {
            return None;
        }
        let (j, det_ok) = self.longest_phrase(a.end, table)?;
        let whole_at = |k: usize| -> Option<Cand> {
            if !self.spaced(k) {
                return None;
            }
            let b = self.amount(k)?;
            let whole = b.value.whole()?;
            let year_like = b.year.is_some_and(|y| (1900..=2099).contains(&y));
            let time = self
                .word(b.end)
                .filter(|_| self.spaced(b.end))
                .and_then(|w| self.words().time_unit(w));
            if b.lone_one || year_like || whole < 2 || part > whole || (!det_ok && time.is_some()) {
                return None;
            }
            approx_cand(
                b.end,
                Kind::Ratio,
                format!("{} of {}", a.value, b.value),
                a.approx || b.approx,
            )
        };
        let det = self
            .word(j)
            .filter(|w| det_ok && self.spaced(j) && dets.contains(w))
            .and_then(|_| whole_at(j + 1));
        longest(whole_at(j), det)
    }

    /// "five years", "18 meses", "two and a half years", "dos años y medio",
    /// "a decade", "media década", "over a year" (after a qualifier), "a
    /// five-year stint" → `5 years`, `18 months`, `2.5 years`, `10 years`, …
    fn duration(&self, i: usize, qualified: bool) -> Option<Cand> {
        let lang = self.lang;
        // The count before the unit, where the unit word is, and whether a
        // half was already added.
        let mut article = false;
        let mut half_of = false;
        let mut scaled = false;
        let (count, mut j) = if let Some(a) = self.amount(i) {
            scaled = a.approx;
            (a.value, a.end)
        } else if lang == Lang::En && (self.is(i, "a") || self.is(i, "an")) {
            article = true;
            (Dec::int(1), i + 1)
        } else if lang == Lang::En && self.is(i, "half") {
            let j = self
                .then(i + 1, &["a"])
                .or_else(|| self.then(i + 1, &["an"]))?;
            half_of = true;
            (Dec::int(1), j)
        } else if lang == Lang::Es && (self.is(i, "medio") || self.is(i, "media")) {
            half_of = true;
            (Dec::int(1), i + 1)
        } else {
            return None;
        };
        let mut count = count;
        let mut halved = false;
        // English puts the half before the unit: "two and a half years".
        if lang == Lang::En && !half_of {
            let tail = self.words().and_a_half;
            if let Some(k) = tail.iter().find_map(|t| self.then(j, t)) {
                count = count.plus_half()?;
                halved = true;
                j = k;
            }
        }
        let k = if self.spaced(j) {
            j
        } else if self.hyphen(j) && !half_of {
            j + 1
        } else {
            return None;
        };
        let (unit, factor) = self.words().time_unit(self.word(k)?)?;
        let mut end = k + 1;
        if !halved && !half_of {
            let tail = self.words().and_a_half;
            if let Some(e) = tail.iter().find_map(|t| self.then(end, t)) {
                count = count.plus_half()?;
                halved = true;
                end = e;
            }
        }
        // "a year later", "dos años después": the time between two dated
        // facts (not before a date: "five years after 2018" keeps its date
        // relation).
        let later = self
            .words()
            .later
            .iter()
            .filter_map(|w| self.then(end, w))
            .max()
            .filter(|e| self.date_at(*e).is_none());
        if let Some(e) = later {
            end = e;
        }
        if article && !(qualified || halved || factor == 10 || later.is_some()) {
            return None;
        }
        let value = if half_of {
            Dec::int(factor).half()
        } else if factor == 10 {
            count.times_pow10(1)?
        } else {
            count.times(factor)?
        };
        let text = if unit == TimeUnit::Years && value == Dec::int(1).half() {
            "6 months".to_string()
        } else {
            format!("{value} {}", unit.word(value.is_one()))
        };
        // "a decade", "media década", "3 weeks" → 21 days, "a year later",
        // "un año después": rounder than the normalised digits.
        let indefinite = article || (lang == Lang::Es && (self.is(i, "un") || self.is(i, "una")));
        let round = scaled || half_of || factor != 1 || (indefinite && later.is_some());
        approx_cand(end, Kind::Duration, text, round)
    }

    /// "half", "a third", "two-thirds", "la mitad", "un tercio", "dos
    /// terceras partes" → `50%`, `33.3%`, `66.7%`.
    fn fraction(&self, i: usize) -> Option<Cand> {
        let lang = self.lang;
        let half = self
            .words()
            .half
            .iter()
            .filter_map(|p| self.phrase(i, p))
            .max();
        if let Some(end) = half {
            return approx_cand(end, Kind::Fraction, "50%".to_string(), true);
        }
        // The numerator and where the denominator word is.
        let (num, j, la) = if lang == Lang::En && (self.is(i, "a") || self.is(i, "an")) {
            (1, i + 1, false)
        } else if lang == Lang::Es && self.is(i, "la") {
            (1, i + 1, true)
        } else {
            let start = if lang == Lang::Es && (self.is(i, "las") || self.is(i, "los")) {
                i + 1
            } else {
                i
            };
            if start != i && !self.spaced(start) {
                return None;
            }
            let a = self.amount(start)?;
            (a.value.whole()?, a.end, false)
        };
        let k = if self.spaced(j) {
            j
        } else if lang == Lang::En && self.hyphen(j) {
            j + 1
        } else {
            return None;
        };
        let w = self.word(k)?;
        let (den, end) = match lang {
            Lang::En => (self.words().denominator(w)?, k + 1),
            Lang::Es => {
                let parte = self
                    .words()
                    .part_ordinals
                    .iter()
                    .find(|(o, _)| *o == w)
                    .map(|(_, v)| *v);
                if let Some(den) = parte {
                    let end = self
                        .then(k + 1, &["parte"])
                        .or_else(|| self.then(k + 1, &["partes"]))?;
                    (den, end)
                } else {
                    if la {
                        return None;
                    }
                    let den = self.words().denominator(w)?;
                    // "un cuarto" is also a room, "quinto" an ordinal: only
                    // "un cuarto de …".
                    if den != 3 && self.then(k + 1, &["de"]).is_none() {
                        return None;
                    }
                    (den, k + 1)
                }
            }
        };
        if !(1..den).contains(&num) {
            return None;
        }
        // "a third of", "by a third." — not "a third party", "a quarter
        // century".
        let singular = matches!(w, "third" | "quarter" | "fifth" | "tenth");
        if lang == Lang::En
            && singular
            && self.word(end).is_some()
            && self.then(end, &["of"]).is_none()
        {
            return None;
        }
        approx_cand(end, Kind::Fraction, fraction_percent(num, den)?, true)
    }

    /// "most of", "the majority", "la mayoría", "en su mayoría" → `most`.
    fn quantifier(&self, i: usize) -> Option<Cand> {
        let majority = self
            .words()
            .majority
            .iter()
            .filter_map(|p| self.phrase(i, p))
            .max();
        if let Some(end) = majority {
            return cand(end, Kind::Quantifier, "most".to_string());
        }
        // "most of the authors", not "the most of", "at most"
        let superlative = i
            .checked_sub(1)
            .and_then(|p| self.word(p))
            .is_some_and(|w| matches!(w, "the" | "at" | "a"));
        if self.lang == Lang::En
            && self.is(i, "most")
            && self.then(i + 1, &["of"]).is_some()
            && !superlative
        {
            return cand(i + 1, Kind::Quantifier, "most".to_string());
        }
        None
    }

    /// A number on its own; four digits from 1900 to 2099 are a year.
    fn number(&self, i: usize, qualified: bool) -> Option<Cand> {
        let a = self.amount(i)?;
        if a.lone_one && !qualified {
            return None;
        }
        match a.year {
            Some(y) if (1900..=2099).contains(&y) => cand(a.end, Kind::Date, y.to_string()),
            _ => approx_cand(a.end, Kind::Number, a.value.to_string(), a.approx),
        }
    }

    /// Digits that are not a figure ("Llama 3", "GPT-4", "7B"): consume the
    /// glued run so that none of it is read as a number.
    fn suppressed(&self, i: usize) -> Option<Cand> {
        self.digits(i)?;
        if self.digit_amount(i).is_some() {
            return None;
        }
        let mut j = i + 1;
        loop {
            let alnum = |k: usize| self.tok(k).is_some_and(|t| t.t != T::Sym);
            if self.glued(j) && alnum(j) {
                j += 1;
            } else if self.glued(j)
                && matches!(self.sym(j), Some("." | "," | "-" | ":" | "/"))
                && self.glued(j + 1)
                && alnum(j + 1)
            {
                j += 2;
            } else {
                break;
            }
        }
        Some(Cand { end: j, out: None })
    }

    /// A date or period starting at token `i`, after whitespace.
    fn date_at(&self, i: usize) -> Option<Cand> {
        if !self.spaced(i) {
            return None;
        }
        [
            self.date_day(i),
            self.iso(i),
            self.date_month(i),
            self.period(i),
            self.number(i, false),
        ]
        .into_iter()
        .flatten()
        .filter(|c| c.out.as_ref().is_some_and(|(k, _, _)| k.is_date()))
        .max_by_key(|c| c.end)
    }

    /// A phrase of the language's relation table at `i`: "the same year",
    /// "the first to leave", "before the paper was published", "since then",
    /// "until", "el mismo año", "el primero en irse", "antes de que se
    /// publicara", "desde que", "hasta" before a date.
    fn relation(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        for r in self.words().relations {
            let mut caps = Caps::default();
            if let Some(end) = self.relation_words(i, r.words, true, &mut caps) {
                let means = match (caps.count, caps.unit) {
                    (Some(n), Some((u, factor))) => {
                        let value = if factor == 10 {
                            n.times_pow10(1)
                        } else {
                            n.times(factor)
                        };
                        let Some(value) = value else {
                            continue;
                        };
                        let duration = format!("{value} {}", u.word(value.is_one()));
                        r.means.replace("N UNIT", &duration)
                    }
                    (_, Some((u, factor))) => r.means.replace("UNIT", &unit_name(u, factor)),
                    _ => r.means.to_string(),
                };
                best = longest(best, cand(end, Kind::Relation, means));
            }
        }
        best
    }

    /// Match the words of a [`RelationPhrase`] from token `at`: the token
    /// after the phrase (the longest match when a `GAP` allows several).
    fn relation_words(
        &self,
        at: usize,
        words: &[&str],
        first: bool,
        caps: &mut Caps,
    ) -> Option<usize> {
        let Some((w, rest)) = words.split_first() else {
            return Some(at);
        };
        if *w == "DATE" {
            self.date_at(at)?;
            return self.relation_words(at, rest, false, caps);
        }
        if !first && !self.spaced(at) {
            return None;
        }
        if *w == "N" {
            let a = self.amount(at)?;
            caps.count = Some(a.value);
            return self.relation_words(a.end, rest, false, caps);
        }
        let word = self.word(at)?;
        let ws = self.words();
        let ok = match *w {
            "GAP" => {
                let mut best = None;
                for len in 1..=5 {
                    let last = at + len - 1;
                    if self.word(last).is_none() || (len > 1 && !self.spaced(last)) {
                        break;
                    }
                    if let Some(e) = self.relation_words(at + len, rest, false, caps) {
                        best = best.max(Some(e));
                    }
                }
                return best;
            }
            "UNIT" => match ws.time_unit(word) {
                Some((u, factor)) => {
                    caps.unit = Some((u, factor));
                    true
                }
                None => false,
            },
            "VERB" => true,
            "ING" => word.len() > 4 && word.ends_with("ing"),
            "SUBJ" => ws.subjects.contains(&word) || self.raw(at).starts_with(char::is_uppercase),
            "CHANGE" => ws.change_verbs.contains(&word),
            _ => word == *w,
        };
        if !ok {
            return None;
        }
        self.relation_words(at + 1, rest, false, caps)
    }

    /// The longest reading at `i` that `want` admits; on equal length the
    /// earlier rule wins.
    fn quantity_at(&self, i: usize, qualified: bool, want: Want) -> Option<Cand> {
        let rules = [
            self.date_day(i),
            self.iso(i),
            self.date_month(i),
            self.period(i),
            self.percent(i),
            self.ratio(i),
            self.duration(i, qualified),
            self.fraction(i),
            self.quantifier(i).filter(|_| !qualified),
            self.relation(i).filter(|_| !qualified),
            self.number(i, qualified),
            self.suppressed(i),
        ];
        let mut best: Option<Cand> = None;
        for c in rules.into_iter().flatten() {
            if want.admits(&c) && best.as_ref().is_none_or(|b| c.end > b.end) {
                best = Some(c);
            }
        }
        best
    }

    /// A qualifier phrase at `i`: the token after it, the English word, and
    /// what it may precede.
    fn qualifier_at(&self, i: usize) -> Option<(usize, &'static str, Want)> {
        let mut best: Option<(usize, &'static str, Want)> = None;
        let mut offer = |end: Option<usize>, word: &'static str, want: Want| {
            if let Some(end) = end {
                if best.is_none_or(|(e, _, _)| end > e) {
                    best = Some((end, word, want));
                }
            }
        };
        match self.lang {
            Lang::En => {
                for (words, w) in EN_QUALIFIERS.iter() {
                    offer(self.phrase(i, words), w, Want::Figure);
                }
            }
            Lang::Es => {}
        }
        for (words, w) in self.words().qualifiers {
            offer(self.phrase(i, words), w, Want::Figure);
        }
        for (words, w) in self.words().date_relations {
            offer(self.phrase(i, words), w, Want::Date);
        }
        best
    }

    /// The finding that starts at token `i`, if any: the token after it, and
    /// what it is with its qualifier.
    fn best_at(&self, i: usize) -> Option<(usize, Option<Reading>)> {
        let bare = self.quantity_at(i, false, Want::Any);
        let qualified = self.qualifier_at(i).and_then(|(j, q, want)| {
            if !self.spaced(j) {
                return None;
            }
            let direct = self.quantity_at(j, true, want);
            let article = self.lang == Lang::Es
                && self
                    .word(j)
                    .is_some_and(|w| matches!(w, "el" | "la" | "los" | "las"));
            let after_article = if article {
                self.quantity_at(j + 1, true, want)
                    .filter(|_| self.spaced(j + 1))
            } else {
                None
            };
            let c = longest(direct, after_article)?;
            // "desde enero de 2023 hasta …", "from … to": the start of a
            // range, not "since"; the date is read on its own.
            let range_end = ["hasta", "until", "till", "through", "to"]
                .iter()
                .any(|w| self.then(c.end, &[w]).is_some());
            if q == "since" && range_end {
                return None;
            }
            Some((c, q))
        });
        match (bare, qualified) {
            (bare, Some((c, q))) if bare.as_ref().is_none_or(|b| c.end > b.end) => {
                Some((c.end, c.out.map(|(k, v, a)| (k, v, Some(q), a))))
            }
            (Some(b), _) => Some((b.end, b.out.map(|(k, v, a)| (k, v, None, a)))),
            (None, _) => None,
        }
    }
}

/// Scan `text` for findings.
pub(super) fn extract(text: &str, lang: Lang) -> Vec<Finding> {
    let Some(toks) = tokenize(text) else {
        return Vec::new();
    };
    let cx = Cx { text, toks, lang };
    let mut out = Vec::new();
    let mut i = 0;
    while i < cx.toks.len() {
        match cx.best_at(i) {
            Some((end, found)) if end > i => {
                if let (Some((kind, value, qualifier, approximate)), Some(first), Some(last)) =
                    (found, cx.tok(i), cx.tok(end - 1))
                {
                    let span = first.start..last.end;
                    out.push(Finding {
                        text: text.get(span.clone()).unwrap_or("").to_string(),
                        span,
                        kind,
                        value,
                        qualifier,
                        approximate,
                    });
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

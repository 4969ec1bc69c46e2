//! Exact decimal figures as written, and how digit groups read.

use std::fmt;

use super::Lang;

/// A non-negative decimal `mant / 10^dp` that keeps the digits written after
/// the decimal point (`3.50` stays two-decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dec {
    mant: i128,
    dp: u32,
}

/// More digits than this are not a figure an article states (and would not
/// fit the arithmetic).
const MAX_DIGITS: usize = 30;

impl Dec {
    /// A whole number.
    pub(super) fn int(n: i128) -> Dec {
        Dec { mant: n, dp: 0 }
    }

    /// The number with integer digits `int` and fraction digits `frac`
    /// (ASCII digits only).
    pub(super) fn from_digits(int: &str, frac: &str) -> Option<Dec> {
        if int.is_empty()
            || int.len() + frac.len() > MAX_DIGITS
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut mant: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mant = mant
                .checked_mul(10)?
                .checked_add(i128::from(b.checked_sub(b'0')?))?;
        }
        Some(Dec {
            mant,
            dp: u32::try_from(frac.len()).ok()?,
        })
    }

    /// Whether it has no fraction digits.
    pub(super) fn is_whole(self) -> bool {
        self.dp == 0
    }

    /// The whole value, if it has no fraction digits.
    pub(super) fn whole(self) -> Option<i128> {
        self.is_whole().then_some(self.mant)
    }

    /// Whether it is exactly one.
    pub(super) fn is_one(self) -> bool {
        10i128.checked_pow(self.dp) == Some(self.mant)
    }

    /// `self × 10^k`, using up written fraction digits first ("1,5 millones"
    /// is 1500000, not 1500000.0).
    pub(super) fn times_pow10(self, k: u32) -> Option<Dec> {
        let used = k.min(self.dp);
        let more = k - used;
        Some(Dec {
            mant: self.mant.checked_mul(10i128.checked_pow(more)?)?,
            dp: self.dp - used,
        })
    }

    /// `self × n`.
    pub(super) fn times(self, n: i128) -> Option<Dec> {
        Some(Dec {
            mant: self.mant.checked_mul(n)?,
            dp: self.dp,
        })
    }

    /// `self / 2`, exactly (one more fraction digit when odd).
    pub(super) fn half(self) -> Dec {
        if self.mant % 2 == 0 {
            Dec {
                mant: self.mant / 2,
                dp: self.dp,
            }
        } else {
            Dec {
                mant: self.mant.saturating_mul(5),
                dp: self.dp.saturating_add(1),
            }
        }
    }

    /// `self + 1/2`.
    pub(super) fn plus_half(self) -> Option<Dec> {
        let dp = self.dp.max(1);
        let mant = self.mant.checked_mul(10i128.checked_pow(dp - self.dp)?)?;
        let half = 5i128.checked_mul(10i128.checked_pow(dp - 1)?)?;
        Some(Dec {
            mant: mant.checked_add(half)?,
            dp,
        })
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mant.to_string();
        let dp = usize::try_from(self.dp).unwrap_or(0);
        if dp == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = dp + 1);
        let cut = padded.len() - dp;
        let (int, frac) = (padded.get(..cut).unwrap_or("0"), padded.get(cut..));
        write!(f, "{int}.{}", frac.unwrap_or(""))
    }
}

/// Read digit groups joined by separators (`.`, `,` or a non-breaking or
/// thin space, written as `' '`): `groups.len() == seps.len() + 1`.
///
/// Returns the value and how many groups it used: the longest prefix of the
/// groups that reads as one number. The shape of the groups decides when it
/// can ("1.234.567" and "1,234.5" are unambiguous; a single separator
/// followed by other than three digits is a decimal point, "3,5" = 3.5); a
/// single `.` or `,` followed by exactly three digits reads by language:
/// thousands for `,` in English and `.` in Spanish, a decimal point
/// otherwise. A first group of `0` always starts a decimal.
pub(super) fn read_groups(groups: &[&str], seps: &[char], lang: Lang) -> Option<(Dec, usize)> {
    (1..=groups.len())
        .rev()
        .find_map(|k| read_exact(groups.get(..k)?, seps.get(..k - 1)?, lang).map(|d| (d, k)))
}

fn read_exact(groups: &[&str], seps: &[char], lang: Lang) -> Option<Dec> {
    let (first, rest) = groups.split_first()?;
    let Some((last_sep, thousand_seps)) = seps.split_last() else {
        return Dec::from_digits(first, "");
    };
    let last = rest.last()?;
    let thousands_shape = |gs: &[&str]| {
        (1..=3).contains(&first.len())
            && !first.starts_with('0')
            && gs.iter().skip(1).all(|g| g.len() == 3)
    };
    let all_same = thousand_seps.iter().all(|s| s == last_sep);
    if all_same {
        if seps.len() >= 2 || *last_sep == ' ' {
            // Several separators of one kind (or spaces): thousands only.
            if thousands_shape(groups) {
                return Dec::from_digits(&groups.concat(), "");
            }
            return None;
        }
        // One `.` or `,`.
        let decimal = last.len() != 3
            || first.starts_with('0')
            || first.len() > 3
            || match lang {
                Lang::En => *last_sep == '.',
                Lang::Es => *last_sep == ',',
            };
        return if decimal {
            Dec::from_digits(first, last)
        } else {
            Dec::from_digits(&groups.concat(), "")
        };
    }
    // Mixed: the last separator is the decimal point, the others one kind of
    // thousands separator.
    let int_groups = groups.get(..groups.len() - 1)?;
    let one_kind = thousand_seps
        .first()
        .is_some_and(|t| thousand_seps.iter().all(|s| s == t) && t != last_sep);
    if *last_sep != ' ' && one_kind && thousands_shape(int_groups) {
        return Dec::from_digits(&int_groups.concat(), last);
    }
    None
}

/// A share `num/den` as a percentage: whole if exact, else to one decimal
/// (rounded half up): 1/2 → `50%`, 1/3 → `33.3%`, 2/3 → `66.7%`.
pub(super) fn fraction_percent(num: i128, den: i128) -> Option<String> {
    let hundred = num.checked_mul(100)?;
    if den <= 0 {
        return None;
    }
    if hundred % den == 0 {
        return Some(format!("{}%", hundred / den));
    }
    let tenths = (num.checked_mul(2000)? / den + 1) / 2;
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

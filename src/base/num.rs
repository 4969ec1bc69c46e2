//! Exact rational numbers for fact-checking arithmetic.
//!
//! Claims such as "78.6% of 14 respondents" or "up 12.5 points" have to be
//! checked against figures recomputed from source data. Binary floating
//! point cannot represent most decimal fractions exactly (0.1 is already an
//! approximation), so comparisons near a rounding boundary — precisely where
//! a claim is "technically true" or "slightly off" — would depend on
//! representation error instead of the data. This module therefore works
//! with exact fractions of two `i128`s.
//!
//! Design decisions:
//!
//! * Values are always kept in canonical form (positive denominator, lowest
//!   terms), so the derived `PartialEq`, `Eq` and `Hash` are structural and
//!   still mean numeric equality.
//! * Every operation is fallible instead of panicking or wrapping: an
//!   overflowing intermediate yields [`NumError::Overflow`], which the rule
//!   engine can report as "could not check" rather than as a wrong verdict.
//!   Addition and multiplication cancel common factors before multiplying
//!   (Knuth's gcd tricks) so overflow only happens when the numbers are
//!   genuinely huge.
//! * Ordering never fails: it uses cross-multiplication when that fits and
//!   otherwise a continued-fraction comparison that needs no wider integers.
//! * Rounding is exposed in every mode a publication might have used
//!   (floor, ceiling, truncation, half away from zero, half to even), because
//!   deciding whether "78.6" is a fair rendering of 11/14 depends on it.
//! * Decimal parsing reports the number of digits written after the point,
//!   since "78.60" claims more precision than "78.6".

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Why an exact computation could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// An intermediate or final value does not fit in 128-bit integers.
    Overflow,
    /// A division (or a zero denominator) by zero.
    DivisionByZero,
    /// Text that is not a valid decimal literal. The payload is the detail
    /// printed after "invalid number ", conventionally "`input`: reason".
    Invalid(String),
}

impl fmt::Display for NumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumError::Overflow => f.write_str("number too large for exact arithmetic"),
            NumError::DivisionByZero => f.write_str("division by zero"),
            NumError::Invalid(detail) => write!(f, "invalid number {detail}"),
        }
    }
}

impl std::error::Error for NumError {}

fn invalid(input: &str, reason: &str) -> NumError {
    NumError::Invalid(format!("`{input}`: {reason}"))
}

/// An exact fraction `num / den` with `den > 0` and `gcd(|num|, den) == 1`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

/// Greatest common divisor of two magnitudes (`gcd(0, 0) == 0`).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// Reattach a sign to a magnitude, failing if it does not fit in `i128`.
fn signed(negative: bool, mag: u128) -> Result<i128, NumError> {
    if negative {
        0i128.checked_sub_unsigned(mag).ok_or(NumError::Overflow)
    } else {
        i128::try_from(mag).map_err(|_| NumError::Overflow)
    }
}

/// One step of long division: `(floor(10 * rem / den), 10 * rem mod den)`
/// for `rem < den`, computed without overflowing even when `10 * den` does
/// not fit in a `u128`.
fn next_digit(rem: u128, den: u128) -> (u8, u128) {
    if let Some(t) = rem.checked_mul(10) {
        // t / den < 10 because rem < den.
        let digit = u8::try_from(t / den).unwrap_or(9);
        return (digit, t % den);
    }
    // Add `rem` ten times modulo `den`, counting the wrap-arounds.
    let gap = den - rem; // > 0 because rem < den
    let mut acc: u128 = 0; // invariant: acc < den
    let mut digit: u8 = 0;
    for _ in 0..10 {
        if acc >= gap {
            acc -= gap;
            digit += 1;
        } else {
            acc += rem;
        }
    }
    (digit, acc)
}

/// The number of decimal places needed to write `1/den` exactly, or `None`
/// if the expansion does not terminate (den has a prime factor other than
/// 2 and 5). For a fraction in lowest terms this is exactly the number of
/// places its decimal expansion has.
fn terminating_places(den: i128) -> Option<u32> {
    let mut d = den.unsigned_abs();
    if d == 0 {
        return None;
    }
    let mut twos = 0u32;
    let mut fives = 0u32;
    while d % 2 == 0 {
        d /= 2;
        twos += 1;
    }
    while d % 5 == 0 {
        d /= 5;
        fives += 1;
    }
    if d == 1 {
        Some(twos.max(fives))
    } else {
        None
    }
}

/// Compare `a/b` with `c/d` for magnitudes with `b, d > 0`, without ever
/// overflowing: cross-multiply when possible, otherwise compare integer
/// parts and recurse on the reciprocals of the fractional parts (the
/// continued-fraction expansion).
fn cmp_magnitudes(mut a: u128, mut b: u128, mut c: u128, mut d: u128) -> Ordering {
    let mut flipped = false;
    loop {
        let ord = match (a.checked_mul(d), c.checked_mul(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => {
                let (qa, ra) = (a / b, a % b);
                let (qc, rc) = (c / d, c % d);
                if qa != qc {
                    Some(qa.cmp(&qc))
                } else {
                    match (ra == 0, rc == 0) {
                        (true, true) => Some(Ordering::Equal),
                        (true, false) => Some(Ordering::Less),
                        (false, true) => Some(Ordering::Greater),
                        (false, false) => {
                            // ra/b vs rc/d  <=>  d/rc vs b/ra
                            let (na, nb, nc, nd) = (b, ra, d, rc);
                            a = na;
                            b = nb;
                            c = nc;
                            d = nd;
                            flipped = !flipped;
                            None
                        }
                    }
                }
            }
        };
        if let Some(o) = ord {
            return if flipped { o.reverse() } else { o };
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RoundMode {
    Floor,
    Ceil,
    Trunc,
    HalfUp,
    HalfEven,
}

impl Rational {
    /// Zero, `0/1`.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One, `1/1`.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// The integer `i` as a rational.
    pub fn from_int(i: i128) -> Rational {
        Rational { num: i, den: 1 }
    }

    /// `num / den` in canonical form. Fails with `DivisionByZero` if
    /// `den == 0`, and with `Overflow` if the normalised value is not
    /// representable (e.g. `1 / i128::MIN`).
    pub fn new(num: i128, den: i128) -> Result<Rational, NumError> {
        if den == 0 {
            return Err(NumError::DivisionByZero);
        }
        if num == 0 {
            return Ok(Rational::ZERO);
        }
        let (n, d) = (num.unsigned_abs(), den.unsigned_abs());
        let g = gcd(n, d); // >= 1 since d != 0
        let negative = (num < 0) != (den < 0);
        Ok(Rational {
            num: signed(negative, n / g)?,
            den: signed(false, d / g)?,
        })
    }

    /// The numerator (carries the sign).
    pub fn numer(self) -> i128 {
        self.num
    }

    /// The denominator (always positive).
    pub fn denom(self) -> i128 {
        self.den
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether the value is strictly negative.
    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// Whether the value is a whole number.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Shared implementation of addition and subtraction (Knuth 4.5.1):
    /// with `g = gcd(b, d)`, `a/b ± c/d = (a·(d/g) ± c·(b/g)) / (b/g · d)`,
    /// and only `gcd(t, g)` can still be cancelled. Works on sign and `u128`
    /// magnitude, so intermediates get one more bit than `i128` offers
    /// (e.g. `MAX/6 + MAX/6` succeeds).
    fn add_sub(self, o: Rational, subtract: bool) -> Result<Rational, NumError> {
        let (b, d) = (self.den.unsigned_abs(), o.den.unsigned_abs());
        let g = gcd(b, d); // >= 1 since denominators are positive
        let s = b / g;
        let left = self
            .num
            .unsigned_abs()
            .checked_mul(d / g)
            .ok_or(NumError::Overflow)?;
        let right = o
            .num
            .unsigned_abs()
            .checked_mul(s)
            .ok_or(NumError::Overflow)?;
        let left_neg = self.is_negative();
        let right_neg = o.is_negative() != subtract;
        let (negative, t) = if left_neg == right_neg {
            (left_neg, left.checked_add(right).ok_or(NumError::Overflow)?)
        } else if left >= right {
            (left_neg, left - right)
        } else {
            (right_neg, right - left)
        };
        if t == 0 {
            return Ok(Rational::ZERO);
        }
        let g2 = gcd(t, g);
        let den = s.checked_mul(d / g2).ok_or(NumError::Overflow)?;
        Rational::new(signed(negative, t / g2)?, signed(false, den)?)
    }

    /// Exact sum.
    pub fn checked_add(self, o: Rational) -> Result<Rational, NumError> {
        self.add_sub(o, false)
    }

    /// Exact difference.
    pub fn checked_sub(self, o: Rational) -> Result<Rational, NumError> {
        self.add_sub(o, true)
    }

    /// `(an/ad) · (bn/bd)` on magnitudes, cancelling cross factors first so
    /// the products are already in lowest terms.
    fn mul_parts(
        negative: bool,
        an: u128,
        ad: u128,
        bn: u128,
        bd: u128,
    ) -> Result<Rational, NumError> {
        if an == 0 || bn == 0 {
            return Ok(Rational::ZERO);
        }
        let g1 = gcd(an, bd);
        let g2 = gcd(bn, ad);
        let num = (an / g1).checked_mul(bn / g2).ok_or(NumError::Overflow)?;
        let den = (ad / g2).checked_mul(bd / g1).ok_or(NumError::Overflow)?;
        Ok(Rational {
            num: signed(negative, num)?,
            den: signed(false, den)?,
        })
    }

    /// Exact product.
    pub fn checked_mul(self, o: Rational) -> Result<Rational, NumError> {
        Rational::mul_parts(
            self.is_negative() != o.is_negative(),
            self.num.unsigned_abs(),
            self.den.unsigned_abs(),
            o.num.unsigned_abs(),
            o.den.unsigned_abs(),
        )
    }

    /// Exact quotient; `DivisionByZero` if `o` is zero.
    pub fn checked_div(self, o: Rational) -> Result<Rational, NumError> {
        if o.is_zero() {
            return Err(NumError::DivisionByZero);
        }
        // Multiply by the reciprocal, working on magnitudes so that
        // `x / i128::MIN` is fine whenever the result is representable.
        Rational::mul_parts(
            self.is_negative() != o.is_negative(),
            self.num.unsigned_abs(),
            self.den.unsigned_abs(),
            o.den.unsigned_abs(),
            o.num.unsigned_abs(),
        )
    }

    /// Negation; fails only for a numerator of `i128::MIN`. (Not
    /// `std::ops::Neg`, which cannot report the overflow.)
    #[allow(clippy::should_implement_trait)]
    pub fn neg(self) -> Result<Rational, NumError> {
        Ok(Rational {
            num: self.num.checked_neg().ok_or(NumError::Overflow)?,
            den: self.den,
        })
    }

    /// Absolute value; fails only for a numerator of `i128::MIN`.
    pub fn abs(self) -> Result<Rational, NumError> {
        Ok(Rational {
            num: self.num.checked_abs().ok_or(NumError::Overflow)?,
            den: self.den,
        })
    }

    /// `10^exp`; `Overflow` for `exp > 38`.
    pub fn pow10(exp: u32) -> Result<Rational, NumError> {
        10i128
            .checked_pow(exp)
            .map(Rational::from_int)
            .ok_or(NumError::Overflow)
    }

    /// Parse a decimal literal: optional '-', digits, optional '.' digits.
    /// Underscores, exponents, a leading '+', surrounding whitespace, and a
    /// point without digits on both sides ("1." and ".5") are all rejected:
    /// claims are extracted from text and an odd form is more likely an
    /// extraction error than a number. Leading zeros are accepted.
    ///
    /// Returns the value and the number of digits written after the point
    /// (its precision): "78" -> (78, 0), "78.60" -> (393/5, 2),
    /// "-0.5" -> (-1/2, 1). Trailing zeros count towards the precision but
    /// not towards overflow, so "1.50000000000000000000000000000000000000000"
    /// parses.
    pub fn parse_decimal(s: &str) -> Result<(Rational, u32), NumError> {
        if s.is_empty() {
            return Err(invalid(s, "empty string"));
        }
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let check_digits = |part: &str| -> Result<(), NumError> {
            match part.chars().find(|c| !c.is_ascii_digit()) {
                Some(c) => Err(invalid(s, &format!("unexpected character `{c}`"))),
                None => Ok(()),
            }
        };
        check_digits(int_part)?;
        if let Some(f) = frac_part {
            check_digits(f)?;
        }
        if int_part.is_empty() {
            return Err(invalid(s, "expected digits before the decimal point"));
        }
        let frac = frac_part.unwrap_or("");
        if frac_part.is_some() && frac.is_empty() {
            return Err(invalid(s, "expected digits after the decimal point"));
        }
        let precision =
            u32::try_from(frac.len()).map_err(|_| invalid(s, "too many decimal places"))?;
        let significant_frac = frac.trim_end_matches('0');
        // A number whose integer part fits but whose fraction does not is
        // too precise, not too large (0.000…01 with 61 zeros is tiny).
        let too_precise = || {
            invalid(
                s,
                "too many significant digits after the decimal point for exact arithmetic (at most 38 digits in all)",
            )
        };
        let mut mantissa: u128 = 0;
        for (i, b) in int_part.bytes().chain(significant_frac.bytes()).enumerate() {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(b - b'0')))
                .ok_or_else(|| {
                    if i < int_part.len() {
                        NumError::Overflow
                    } else {
                        too_precise()
                    }
                })?;
        }
        let places = u32::try_from(significant_frac.len()).map_err(|_| too_precise())?;
        let scale = 10i128.checked_pow(places).ok_or_else(too_precise)?;
        let value = Rational::new(signed(negative, mantissa)?, scale)?;
        Ok((value, precision))
    }

    /// Round to a multiple of `10^-dp` in the given mode.
    fn round_dp(self, dp: u32, mode: RoundMode) -> Result<Rational, NumError> {
        // Already a multiple of 10^-dp: nothing to do (this also makes
        // rounding of exact values work for any dp, even beyond 10^38).
        if matches!(terminating_places(self.den), Some(k) if k <= dp) {
            return Ok(self);
        }
        let scale = 10i128.checked_pow(dp).ok_or(NumError::Overflow)?;
        // self = q + rem/den with 0 <= rem < den.
        let q = self
            .num
            .checked_div_euclid(self.den)
            .ok_or(NumError::Overflow)?;
        let rem = self
            .num
            .checked_rem_euclid(self.den)
            .ok_or(NumError::Overflow)?;
        let den = self.den.unsigned_abs();
        let mut rem = rem.unsigned_abs();
        // k = first dp digits of the fraction; rem/den is what is left.
        let mut k: i128 = 0;
        for _ in 0..dp {
            let (d, r) = next_digit(rem, den);
            rem = r;
            k = k
                .checked_mul(10)
                .and_then(|v| v.checked_add(i128::from(d)))
                .ok_or(NumError::Overflow)?;
        }
        // self * scale = N + rem/den where N = q*scale + k.
        let has_fraction = rem != 0;
        let half = rem.cmp(&(den - rem)); // compares rem/den with 1/2
        let non_negative = !self.is_negative();
        let n_is_odd = {
            let q_odd = q.rem_euclid(2) == 1;
            let scale_odd = scale % 2 == 1;
            (q_odd && scale_odd) != (k % 2 == 1)
        };
        let up = match mode {
            RoundMode::Floor => false,
            RoundMode::Ceil => has_fraction,
            RoundMode::Trunc => has_fraction && !non_negative,
            RoundMode::HalfUp => match half {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => non_negative,
            },
            RoundMode::HalfEven => match half {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => n_is_odd,
            },
        };
        let k = if up {
            k.checked_add(1).ok_or(NumError::Overflow)?
        } else {
            k
        };
        Rational::from_int(q).checked_add(Rational::new(k, scale)?)
    }

    /// Largest multiple of `10^-dp` that is `<= self`.
    pub fn floor_dp(self, dp: u32) -> Result<Rational, NumError> {
        self.round_dp(dp, RoundMode::Floor)
    }

    /// Smallest multiple of `10^-dp` that is `>= self`.
    pub fn ceil_dp(self, dp: u32) -> Result<Rational, NumError> {
        self.round_dp(dp, RoundMode::Ceil)
    }

    /// Round toward zero to `dp` places.
    pub fn trunc_dp(self, dp: u32) -> Result<Rational, NumError> {
        self.round_dp(dp, RoundMode::Trunc)
    }

    /// Round to nearest, halves away from zero (what journalists mean).
    pub fn round_half_up_dp(self, dp: u32) -> Result<Rational, NumError> {
        self.round_dp(dp, RoundMode::HalfUp)
    }

    /// Round to nearest, halves to the even neighbour (banker's rounding).
    pub fn round_half_even_dp(self, dp: u32) -> Result<Rational, NumError> {
        self.round_dp(dp, RoundMode::HalfEven)
    }

    /// Decimal text with exactly `dp` places, rounded half away from zero:
    /// 11/14*100 with dp=3 -> "78.571"; 5 dp=0 -> "5"; -1/3 dp=2 -> "-0.33".
    /// A negative value that rounds to zero prints without a sign
    /// ("0.00", never "-0.00"). Never fails: digits are produced by long
    /// division on magnitudes.
    pub fn to_fixed(self, dp: u32) -> String {
        let den = self.den.unsigned_abs();
        let mag = self.num.unsigned_abs();
        let mut int_part = mag / den;
        let mut rem = mag % den;
        let mut digits: Vec<u8> = Vec::new();
        for _ in 0..dp {
            let (d, r) = next_digit(rem, den);
            digits.push(d);
            rem = r;
        }
        // Remaining fraction rem/den >= 1/2: round the magnitude up.
        if rem >= den - rem {
            let mut carry = true;
            for d in digits.iter_mut().rev() {
                if *d == 9 {
                    *d = 0;
                } else {
                    *d += 1;
                    carry = false;
                    break;
                }
            }
            if carry {
                // int_part <= 2^127, so this cannot saturate.
                int_part = int_part.saturating_add(1);
            }
        }
        let is_zero = int_part == 0 && digits.iter().all(|&d| d == 0);
        let mut out = String::new();
        if self.is_negative() && !is_zero {
            out.push('-');
        }
        out.push_str(&int_part.to_string());
        if dp > 0 {
            out.push('.');
            out.extend(digits.iter().map(|&d| char::from(b'0' + d)));
        }
        out
    }

    /// The exact decimal if it terminates within `max_dp` places (with no
    /// trailing zeros: 5/2 -> "2.5", 3 -> "3"), otherwise `to_fixed(max_dp)`
    /// followed by "…" to flag the approximation: 11/14*100, max_dp 3 ->
    /// "78.571…".
    pub fn to_decimal_string(self, max_dp: u32) -> String {
        match terminating_places(self.den) {
            Some(k) if k <= max_dp => self.to_fixed(k),
            _ => format!("{}…", self.to_fixed(max_dp)),
        }
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (Some(l), Some(r)) = (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            return l.cmp(&r);
        }
        let (sa, sb) = (self.num.signum(), other.num.signum());
        if sa != sb {
            return sa.cmp(&sb);
        }
        let ord = cmp_magnitudes(
            self.num.unsigned_abs(),
            self.den.unsigned_abs(),
            other.num.unsigned_abs(),
            other.den.unsigned_abs(),
        );
        if sa < 0 {
            ord.reverse()
        } else {
            ord
        }
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Rational {
    /// Up to six decimal places; "…" marks a rounded value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.to_decimal_string(6))
    }
}

impl fmt::Debug for Rational {
    /// Always `num/den`, e.g. "11/14" or "5/1", so exact values are visible.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl serde::Serialize for Rational {
    /// Serialised as the `Display` string, e.g. "78.571429…", so reports
    /// never carry a lossy float.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for Rational {
    type Err = NumError;

    /// Same grammar as [`Rational::parse_decimal`]; the precision is dropped.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rational::parse_decimal(s).map(|(r, _)| r)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    fn int(i: i128) -> Rational {
        Rational::from_int(i)
    }

    fn parse(s: &str) -> (Rational, u32) {
        Rational::parse_decimal(s).unwrap()
    }

    const MAX: i128 = i128::MAX;
    const MIN: i128 = i128::MIN;

    #[test]
    fn normalisation() {
        let x = r(6, -4);
        assert_eq!((x.numer(), x.denom()), (-3, 2));
        let y = r(-6, -4);
        assert_eq!((y.numer(), y.denom()), (3, 2));
        assert_eq!(r(0, -7), Rational::ZERO);
        assert_eq!(Rational::ZERO.denom(), 1);
        assert_eq!(r(MIN, 2).numer(), MIN / 2);
        assert_eq!(r(MIN, MIN), Rational::ONE);
        assert_eq!(r(MAX, MAX), Rational::ONE);
        assert_eq!(Rational::new(1, 0), Err(NumError::DivisionByZero));
        assert_eq!(Rational::new(0, 0), Err(NumError::DivisionByZero));
        // -MIN is not representable.
        assert_eq!(Rational::new(MIN, -1), Err(NumError::Overflow));
        // 1 / MIN would need denominator 2^127.
        assert_eq!(Rational::new(1, MIN), Err(NumError::Overflow));
        assert_eq!(r(2, MIN), r(-1, 1i128 << 126));
    }

    #[test]
    fn predicates() {
        assert!(Rational::ZERO.is_zero());
        assert!(!Rational::ONE.is_zero());
        assert!(r(-1, 3).is_negative());
        assert!(!Rational::ZERO.is_negative());
        assert!(r(4, 2).is_integer());
        assert!(!r(1, 2).is_integer());
    }

    #[test]
    fn basic_arithmetic() {
        assert_eq!(r(1, 6).checked_add(r(1, 3)).unwrap(), r(1, 2));
        assert_eq!(r(1, 6).checked_sub(r(1, 3)).unwrap(), r(-1, 6));
        assert_eq!(r(2, 3).checked_mul(r(9, 4)).unwrap(), r(3, 2));
        assert_eq!(r(2, 3).checked_div(r(-4, 9)).unwrap(), r(-3, 2));
        assert_eq!(r(1, 2).checked_sub(r(1, 2)).unwrap(), Rational::ZERO);
        assert_eq!(
            r(1, 2).checked_div(Rational::ZERO),
            Err(NumError::DivisionByZero)
        );
        assert_eq!(r(-5, 7).neg().unwrap(), r(5, 7));
        assert_eq!(r(-5, 7).abs().unwrap(), r(5, 7));
        assert_eq!(r(5, 7).abs().unwrap(), r(5, 7));
        assert_eq!(Rational::pow10(0).unwrap(), int(1));
        assert_eq!(Rational::pow10(3).unwrap(), int(1000));
        assert_eq!(
            Rational::pow10(38).unwrap(),
            int(100_000_000_000_000_000_000_000_000_000_000_000_000)
        );
        assert_eq!(Rational::pow10(39), Err(NumError::Overflow));
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(int(MAX).checked_add(int(1)), Err(NumError::Overflow));
        assert_eq!(int(MIN).checked_sub(int(1)), Err(NumError::Overflow));
        assert_eq!(int(MAX).checked_mul(int(2)), Err(NumError::Overflow));
        assert_eq!(int(MIN).checked_mul(int(-1)), Err(NumError::Overflow));
        assert_eq!(int(MIN).checked_div(int(-1)), Err(NumError::Overflow));
        assert_eq!(int(MIN).neg(), Err(NumError::Overflow));
        assert_eq!(int(MIN).abs(), Err(NumError::Overflow));
        // Denominators whose product overflows.
        let a = r(1, MAX);
        let b = r(1, MAX - 1);
        assert_eq!(a.checked_mul(b), Err(NumError::Overflow));
        assert_eq!(a.checked_add(b), Err(NumError::Overflow));
        assert_eq!(int(MIN).checked_div(int(MIN)).unwrap(), Rational::ONE);
    }

    #[test]
    fn boundary_arithmetic_that_fits() {
        assert_eq!(int(MAX).checked_add(int(MIN)).unwrap(), int(-1));
        assert_eq!(int(MIN).checked_add(int(MAX)).unwrap(), int(-1));
        assert_eq!(int(MAX).checked_sub(int(MAX)).unwrap(), Rational::ZERO);
        assert_eq!(int(MIN).checked_mul(int(1)).unwrap(), int(MIN));
        assert_eq!(int(MIN).checked_div(int(2)).unwrap(), int(MIN / 2));
        // Cross-cancellation keeps this in range: (MAX/2) * (2/MAX) = 1.
        assert_eq!(r(MAX, 2).checked_mul(r(2, MAX)).unwrap(), Rational::ONE);
        // Same large denominator: the gcd trick avoids multiplying them.
        assert_eq!(r(1, MAX).checked_add(r(1, MAX)).unwrap(), r(2, MAX));
        assert_eq!(r(MIN + 1, MAX).checked_sub(r(1, MAX)).unwrap(), r(MIN, MAX));
        assert_eq!(
            r(MIN + 1, MAX).checked_add(r(-1, MAX)).unwrap(),
            r(MIN, MAX)
        );
        assert_eq!(r(MIN, MAX).checked_sub(r(1, MAX)), Err(NumError::Overflow));
        assert_eq!(r(MAX, 6).checked_add(r(MAX, 6)).unwrap(), r(MAX, 3));
        assert_eq!(r(MAX, 6).checked_sub(r(-MAX, 6)).unwrap(), r(MAX, 3));
        assert_eq!(r(MAX, 3).checked_add(r(MAX, 3)), Err(NumError::Overflow));
        assert_eq!(int(MIN).checked_sub(int(MIN)).unwrap(), Rational::ZERO);
        assert_eq!(int(-1).checked_sub(int(MIN)).unwrap(), int(MAX));
        assert_eq!(int(0).checked_sub(int(MIN)), Err(NumError::Overflow));
        assert_eq!(r(-1, MAX).checked_add(r(1, MAX)).unwrap(), Rational::ZERO);
        // Dividing by MIN works when the result is representable.
        assert_eq!(int(2).checked_div(int(MIN)).unwrap(), r(-1, 1i128 << 126));
        assert_eq!(int(1).checked_div(int(MIN)), Err(NumError::Overflow));
    }

    #[test]
    fn ordering_small() {
        assert!(r(1, 3) < r(1, 2));
        assert!(r(-1, 2) < r(-1, 3));
        assert!(r(-1, 2) < Rational::ZERO);
        assert_eq!(r(2, 4).cmp(&r(1, 2)), Ordering::Equal);
        let mut v = vec![r(3, 4), r(-2, 3), int(0), r(1, 7), int(-1)];
        v.sort();
        assert_eq!(v, vec![int(-1), r(-2, 3), int(0), r(1, 7), r(3, 4)]);
    }

    #[test]
    fn ordering_close_fractions_with_huge_terms() {
        // 1 - 1/MAX > 1 - 1/(MAX-1); cross products overflow.
        let a = r(MAX - 1, MAX);
        let b = r(MAX - 2, MAX - 1);
        assert!(a > b);
        assert!(b < a);
        assert_eq!(a.cmp(&a), Ordering::Equal);
        // Negated: order reverses.
        let na = a.neg().unwrap();
        let nb = b.neg().unwrap();
        assert!(na < nb);
        // Same integer part, huge numerators.
        let c = r(MAX, MAX - 1); // 1 + 1/(MAX-1)
        let d = r(MAX - 1, MAX - 2); // 1 + 1/(MAX-2)
        assert!(c < d);
        assert!(d > c);
        // Differ only deep in the continued fraction.
        let e = r(MAX, 3); // floor = (MAX-1)/3, rem 1
        let f = r(MAX - 3, 3); // smaller by one
        assert!(f < e);
        // Opposite signs with overflowing cross products.
        assert!(r(MIN, MAX) < r(1, MAX - 1));
        assert!(r(MIN + 1, MAX) < r(MIN + 2, MAX));
        // Extreme: MIN vs MIN+1 over large denominators.
        assert!(r(MIN, MAX) < r(MIN + 1, MAX));
        // Integers vs near-integers with huge denominators.
        assert!(int(1) < r(MAX, MAX - 1));
        assert!(int(1) > r(MAX - 1, MAX));
    }

    #[test]
    fn cmp_magnitudes_directly() {
        let m = u128::MAX;
        assert_eq!(cmp_magnitudes(m, m - 1, m - 1, m - 2), Ordering::Less);
        assert_eq!(cmp_magnitudes(m - 1, m, m - 2, m - 1), Ordering::Greater);
        assert_eq!(cmp_magnitudes(m, m, 1, 1), Ordering::Equal);
        assert_eq!(cmp_magnitudes(m - 1, m - 1, m - 3, m - 3), Ordering::Equal);
    }

    #[test]
    fn parse_decimal_values_and_precision() {
        assert_eq!(parse("78"), (int(78), 0));
        assert_eq!(parse("78.60"), (r(393, 5), 2));
        assert_eq!(parse("-0.5"), (r(-1, 2), 1));
        assert_eq!(parse("0"), (Rational::ZERO, 0));
        assert_eq!(parse("-0"), (Rational::ZERO, 0));
        assert_eq!(parse("-0.000"), (Rational::ZERO, 3));
        assert_eq!(parse("007.50"), (r(15, 2), 2));
        assert_eq!(parse("12.345"), (r(2469, 200), 3));
        assert_eq!(
            parse("1.5000000000000000000000000000000000000000000"),
            (r(3, 2), 43)
        );
        assert_eq!(
            parse("-170141183460469231731687303715884105728"),
            (int(MIN), 0)
        );
        assert_eq!(
            parse("170141183460469231731687303715884105727"),
            (int(MAX), 0)
        );
        assert_eq!(
            Rational::parse_decimal("170141183460469231731687303715884105728"),
            Err(NumError::Overflow)
        );
        // Too precise, not too large.
        assert!(matches!(
            Rational::parse_decimal("0.000000000000000000000000000000000000001"),
            Err(NumError::Invalid(_))
        ));
        assert_eq!("2.25".parse::<Rational>().unwrap(), r(9, 4));
    }

    #[test]
    fn parse_decimal_rejections() {
        for bad in [
            "", "-", "1.", ".5", "-.5", "1e3", "1_0", "--1", "+1", " 1", "1 ", "1.2.3", "1,5",
            "abc", "1.-2", "٣",
        ] {
            match Rational::parse_decimal(bad) {
                Err(NumError::Invalid(msg)) => {
                    assert!(msg.starts_with(&format!("`{bad}`: ")), "{msg}")
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        assert_eq!(
            Rational::parse_decimal("1e3").unwrap_err().to_string(),
            "invalid number `1e3`: unexpected character `e`"
        );
        assert_eq!(
            Rational::parse_decimal(".5").unwrap_err().to_string(),
            "invalid number `.5`: expected digits before the decimal point"
        );
        assert_eq!(
            Rational::parse_decimal("1.").unwrap_err().to_string(),
            "invalid number `1.`: expected digits after the decimal point"
        );
        assert!("x".parse::<Rational>().is_err());
    }

    #[test]
    fn tiny_or_too_precise_numbers_are_not_called_too_large() {
        let tiny = format!("0.{}1", "0".repeat(61));
        let precise = format!("1.{}", "3".repeat(40));
        for s in [tiny, precise] {
            let e = Rational::parse_decimal(&s).unwrap_err().to_string();
            assert!(e.contains("too many significant digits"), "{s}: {e}");
            assert!(!e.contains("too large"), "{s}: {e}");
        }
        assert_eq!(
            Rational::parse_decimal(&"9".repeat(40)),
            Err(NumError::Overflow)
        );
    }

    #[test]
    fn error_display() {
        assert_eq!(
            NumError::Overflow.to_string(),
            "number too large for exact arithmetic"
        );
        assert_eq!(NumError::DivisionByZero.to_string(), "division by zero");
        let e: Box<dyn std::error::Error> = Box::new(NumError::DivisionByZero);
        assert_eq!(e.to_string(), "division by zero");
    }

    #[test]
    fn rounding_exact_halves() {
        let x = r(125, 2); // 62.5
        assert_eq!(x.round_half_up_dp(0).unwrap(), int(63));
        assert_eq!(x.round_half_even_dp(0).unwrap(), int(62));
        assert_eq!(x.trunc_dp(0).unwrap(), int(62));
        assert_eq!(x.floor_dp(0).unwrap(), int(62));
        assert_eq!(x.ceil_dp(0).unwrap(), int(63));
        let y = r(-125, 2); // -62.5
        assert_eq!(y.round_half_up_dp(0).unwrap(), int(-63));
        assert_eq!(y.round_half_even_dp(0).unwrap(), int(-62));
        assert_eq!(y.trunc_dp(0).unwrap(), int(-62));
        assert_eq!(y.floor_dp(0).unwrap(), int(-63));
        assert_eq!(y.ceil_dp(0).unwrap(), int(-62));
        // 63.5 -> half-even goes up to 64; -63.5 -> -64.
        assert_eq!(r(127, 2).round_half_even_dp(0).unwrap(), int(64));
        assert_eq!(r(-127, 2).round_half_even_dp(0).unwrap(), int(-64));
        // Halves at dp > 0: 0.125 -> 0.13 / 0.12; -0.125 -> -0.13 / -0.12.
        assert_eq!(r(1, 8).round_half_up_dp(2).unwrap(), r(13, 100));
        assert_eq!(r(1, 8).round_half_even_dp(2).unwrap(), r(12, 100));
        assert_eq!(r(-1, 8).round_half_up_dp(2).unwrap(), r(-13, 100));
        assert_eq!(r(-1, 8).round_half_even_dp(2).unwrap(), r(-12, 100));
        // 0.375 -> half-even 0.38 (7 is odd).
        assert_eq!(r(3, 8).round_half_even_dp(2).unwrap(), r(38, 100));
        // Around zero.
        assert_eq!(r(-1, 2).round_half_up_dp(0).unwrap(), int(-1));
        assert_eq!(r(-1, 2).round_half_even_dp(0).unwrap(), int(0));
        assert_eq!(r(1, 2).round_half_even_dp(0).unwrap(), int(0));
        assert_eq!(r(3, 2).round_half_even_dp(0).unwrap(), int(2));
        assert_eq!(r(-3, 2).round_half_even_dp(0).unwrap(), int(-2));
    }

    #[test]
    fn rounding_non_halves() {
        let x = r(1100, 14); // 78.571428...
        assert_eq!(x.round_half_up_dp(0).unwrap(), int(79));
        assert_eq!(x.round_half_even_dp(0).unwrap(), int(79));
        assert_eq!(x.floor_dp(0).unwrap(), int(78));
        assert_eq!(x.trunc_dp(0).unwrap(), int(78));
        assert_eq!(x.ceil_dp(0).unwrap(), int(79));
        assert_eq!(x.round_half_up_dp(1).unwrap(), r(786, 10));
        assert_eq!(x.floor_dp(1).unwrap(), r(785, 10));
        assert_eq!(x.round_half_up_dp(3).unwrap(), r(78571, 1000));
        assert_eq!(x.ceil_dp(3).unwrap(), r(78572, 1000));
        let n = x.neg().unwrap();
        assert_eq!(n.round_half_up_dp(0).unwrap(), int(-79));
        assert_eq!(n.trunc_dp(0).unwrap(), int(-78));
        assert_eq!(n.floor_dp(0).unwrap(), int(-79));
        assert_eq!(n.ceil_dp(0).unwrap(), int(-78));
        assert_eq!(n.floor_dp(2).unwrap(), r(-7858, 100));
        assert_eq!(n.trunc_dp(2).unwrap(), r(-7857, 100));
        // Carry through nines: 0.996 -> 1.00.
        assert_eq!(r(996, 1000).round_half_up_dp(2).unwrap(), int(1));
        assert_eq!(r(-996, 1000).round_half_up_dp(2).unwrap(), int(-1));
        // 2/3 with several modes.
        assert_eq!(r(2, 3).round_half_even_dp(2).unwrap(), r(67, 100));
        assert_eq!(r(-2, 3).trunc_dp(2).unwrap(), r(-66, 100));
    }

    #[test]
    fn rounding_exact_values_and_limits() {
        // Already exact: unchanged for any dp, even beyond 10^38.
        assert_eq!(r(5, 2).floor_dp(1).unwrap(), r(5, 2));
        assert_eq!(r(5, 2).ceil_dp(100).unwrap(), r(5, 2));
        assert_eq!(int(MIN).round_half_up_dp(0).unwrap(), int(MIN));
        assert_eq!(int(MAX).ceil_dp(7).unwrap(), int(MAX));
        // Inexact with dp too large to represent the grid.
        assert_eq!(r(1, 3).floor_dp(39), Err(NumError::Overflow));
        // At dp = 0 the result stays within i128 even at the extremes.
        assert_eq!(r(MAX, 2).ceil_dp(0).unwrap(), int(1i128 << 126));
        assert_eq!(r(MIN + 1, 2).floor_dp(0).unwrap(), int(-(1i128 << 126)));
        assert_eq!(r(MAX, 2).floor_dp(0).unwrap(), int(MAX / 2));
        // Results whose grid denominator no longer fits next to the value.
        assert_eq!(r(MAX, 3).floor_dp(1), Err(NumError::Overflow));
        assert_eq!(r(MIN + 1, 3).round_half_up_dp(2), Err(NumError::Overflow));
        // Huge denominator: digit extraction must not overflow.
        let tiny = r(MAX - 1, MAX);
        assert_eq!(tiny.floor_dp(3).unwrap(), r(999, 1000));
        assert_eq!(tiny.round_half_up_dp(3).unwrap(), int(1));
        assert_eq!(r(1, MAX).round_half_up_dp(30).unwrap(), Rational::ZERO);
        assert_eq!(
            r(1, MAX).ceil_dp(30).unwrap(),
            r(1, 1_000_000_000_000_000_000_000_000_000_000)
        );
    }

    #[test]
    fn next_digit_without_overflow() {
        let den = u128::MAX;
        // 10 * (den - 1) / den = 9 remainder den - 10.
        assert_eq!(next_digit(den - 1, den), (9, den - 10));
        assert_eq!(next_digit(den / 2, den), (4, den - 5));
        assert_eq!(next_digit(3, 7), (4, 2));
        assert_eq!(next_digit(0, 7), (0, 0));
    }

    #[test]
    fn fixed_and_decimal_strings() {
        let x = r(1100, 14);
        assert_eq!(x.to_fixed(3), "78.571");
        assert_eq!(x.to_fixed(0), "79");
        assert_eq!(x.to_fixed(1), "78.6");
        assert_eq!(int(5).to_fixed(0), "5");
        assert_eq!(int(5).to_fixed(2), "5.00");
        assert_eq!(r(-1, 3).to_fixed(2), "-0.33");
        assert_eq!(r(-2, 3).to_fixed(0), "-1");
        assert_eq!(r(-1, 1000).to_fixed(2), "0.00");
        assert_eq!(r(-5, 1000).to_fixed(2), "-0.01");
        assert_eq!(r(125, 2).to_fixed(0), "63");
        assert_eq!(r(-125, 2).to_fixed(0), "-63");
        assert_eq!(r(9995, 1000).to_fixed(2), "10.00");
        assert_eq!(r(100, 3).to_fixed(1), "33.3");
        assert_eq!(
            int(MIN).to_fixed(1),
            "-170141183460469231731687303715884105728.0"
        );
        assert_eq!(r(MAX - 1, MAX).to_fixed(5), "1.00000");
        assert_eq!(
            r(1, MAX).to_fixed(40),
            "0.0000000000000000000000000000000000000059"
        );

        assert_eq!(x.to_decimal_string(3), "78.571…");
        assert_eq!(r(5, 2).to_decimal_string(3), "2.5");
        assert_eq!(int(3).to_decimal_string(3), "3");
        assert_eq!(r(-3, 8).to_decimal_string(3), "-0.375");
        assert_eq!(r(-3, 8).to_decimal_string(2), "-0.38…");
        assert_eq!(r(1, 3).to_decimal_string(0), "0…");
        assert_eq!(r(100, 3).to_decimal_string(1), "33.3…");
        assert_eq!(r(393, 5).to_decimal_string(6), "78.6");
    }

    #[test]
    fn display_debug_and_serialize_text() {
        assert_eq!(r(1100, 14).to_string(), "78.571429…");
        assert_eq!(r(5, 2).to_string(), "2.5");
        assert_eq!(format!("{:>5}", r(5, 2)), "  2.5");
        assert_eq!(format!("{:?}", r(11, 14)), "11/14");
        assert_eq!(format!("{:?}", int(-5)), "-5/1");
    }
}

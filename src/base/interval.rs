//! Intervals of exact rationals and Kleene three-valued logic.
//!
//! A published figure rarely denotes a single number: "78.6%" stands for
//! every value that rounds to it, i.e. the half-open interval [78.55, 78.65),
//! and "more than 70%" is (70, +∞). Checking a claim therefore means
//! computing with sets of admissible values and asking whether a relation
//! holds for all of them (the claim is *true*), for none of them (*false*),
//! or only for some (*unknown*, the honest verdict when the precision of the
//! source does not settle the question). That is what [`Interval`] and
//! [`Tri`] provide.
//!
//! Design decisions:
//!
//! * Ends are exact [`Rational`]s and are either inclusive or exclusive,
//!   because rounding intervals are half-open and the verdict at a touching
//!   end (`[1,2) < [2,3]` holds, `[1,2] < [2,3]` may not) matters.
//! * An `Interval` is never empty; constructors return `None` instead, so
//!   every operation can assume at least one admissible value.
//! * Arithmetic is sound (the result contains every `a ∘ b`) and, for these
//!   convex sets, exact: the result is precisely the set of results. Exact
//!   overflow is reported as [`NumError::Overflow`] rather than widened.
//! * Comparisons return [`Tri`] and never fail.

use std::cmp::Ordering;
use std::fmt;

use crate::num::{NumError, Rational};

/// Kleene three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    /// Holds for every admissible value.
    True,
    /// Holds for none.
    False,
    /// Holds for some admissible values and not others.
    Unknown,
}

impl Tri {
    /// `True` or `False`.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// Kleene conjunction: `False` dominates, then `Unknown`.
    pub fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: `True` dominates, then `Unknown`.
    pub fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Negation; `Unknown` stays `Unknown`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// Whether this is definitely true.
    pub fn is_true(self) -> bool {
        self == Tri::True
    }

    /// Whether this is definitely false.
    pub fn is_false(self) -> bool {
        self == Tri::False
    }
}

/// One end of an interval. As a lower end `Unbounded` means -∞, as an
/// upper end +∞.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// No bound (−∞ below, +∞ above).
    Unbounded,
    /// The end value belongs to the interval.
    Incl(Rational),
    /// The end value does not belong to the interval.
    Excl(Rational),
}

impl Bound {
    /// `(value, inclusive)` for a finite end.
    fn finite(self) -> Option<(Rational, bool)> {
        match self {
            Bound::Unbounded => None,
            Bound::Incl(v) => Some((v, true)),
            Bound::Excl(v) => Some((v, false)),
        }
    }

    fn with(v: Rational, inclusive: bool) -> Bound {
        if inclusive {
            Bound::Incl(v)
        } else {
            Bound::Excl(v)
        }
    }

    fn negate(self) -> Result<Bound, NumError> {
        Ok(match self {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Incl(v) => Bound::Incl(v.neg()?),
            Bound::Excl(v) => Bound::Excl(v.neg()?),
        })
    }

    /// The end of `1/x` corresponding to this end of `x`, for an `x` that
    /// does not contain zero: ±∞ becomes an exclusive 0 and an exclusive 0
    /// becomes ±∞.
    fn reciprocal(self) -> Result<Bound, NumError> {
        match self {
            Bound::Unbounded => Ok(Bound::Excl(Rational::ZERO)),
            Bound::Excl(v) if v.is_zero() => Ok(Bound::Unbounded),
            Bound::Incl(v) => Ok(Bound::Incl(Rational::ONE.checked_div(v)?)),
            Bound::Excl(v) => Ok(Bound::Excl(Rational::ONE.checked_div(v)?)),
        }
    }
}

/// Order lower ends by tightness: -∞ first, and at equal values an
/// inclusive end comes before (admits more than) an exclusive one.
fn cmp_lo(a: Bound, b: Bound) -> Ordering {
    match (a.finite(), b.finite()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        // `true` (inclusive) sorts after `false`, so reverse it.
        (Some((x, xi)), Some((y, yi))) => x.cmp(&y).then(yi.cmp(&xi)),
    }
}

/// Order upper ends: +∞ last, and at equal values an exclusive end comes
/// before an inclusive one.
fn cmp_hi(a: Bound, b: Bound) -> Ordering {
    match (a.finite(), b.finite()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some((x, xi)), Some((y, yi))) => x.cmp(&y).then(xi.cmp(&yi)),
    }
}

/// An extended rational, used for interval end arithmetic. The derived
/// order (variant first, then value) is the numeric order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ext {
    NegInf,
    Fin(Rational),
    PosInf,
}

/// An interval end as an extended value plus whether it is attained.
#[derive(Debug, Clone, Copy)]
struct End {
    value: Ext,
    closed: bool,
}

fn internal(what: &str) -> NumError {
    NumError::Invalid(format!("`interval`: internal inconsistency ({what})"))
}

fn lo_end(b: Bound) -> End {
    match b.finite() {
        None => End {
            value: Ext::NegInf,
            closed: false,
        },
        Some((v, closed)) => End {
            value: Ext::Fin(v),
            closed,
        },
    }
}

fn hi_end(b: Bound) -> End {
    match b.finite() {
        None => End {
            value: Ext::PosInf,
            closed: false,
        },
        Some((v, closed)) => End {
            value: Ext::Fin(v),
            closed,
        },
    }
}

fn lo_bound(e: End) -> Result<Bound, NumError> {
    match e.value {
        Ext::NegInf => Ok(Bound::Unbounded),
        Ext::Fin(v) => Ok(Bound::with(v, e.closed)),
        Ext::PosInf => Err(internal("lower end at +inf")),
    }
}

fn hi_bound(e: End) -> Result<Bound, NumError> {
    match e.value {
        Ext::PosInf => Ok(Bound::Unbounded),
        Ext::Fin(v) => Ok(Bound::with(v, e.closed)),
        Ext::NegInf => Err(internal("upper end at -inf")),
    }
}

/// Sum of two ends of the same kind (both lower or both upper), so
/// opposite infinities never meet.
fn end_add(a: End, b: End) -> Result<End, NumError> {
    let value = match (a.value, b.value) {
        (Ext::Fin(x), Ext::Fin(y)) => Ext::Fin(x.checked_add(y)?),
        (Ext::NegInf, Ext::PosInf) | (Ext::PosInf, Ext::NegInf) => {
            return Err(internal("inf - inf"))
        }
        (Ext::NegInf, _) | (_, Ext::NegInf) => Ext::NegInf,
        (Ext::PosInf, _) | (_, Ext::PosInf) => Ext::PosInf,
    };
    Ok(End {
        value,
        closed: a.closed && b.closed,
    })
}

fn ext_sign(e: Ext) -> Ordering {
    match e {
        Ext::NegInf => Ordering::Less,
        Ext::PosInf => Ordering::Greater,
        Ext::Fin(v) => v.cmp(&Rational::ZERO),
    }
}

/// Product of extended values with `0 · ±∞ = 0`. That convention is right
/// for corner products: a finite zero end is a value actually admitted (or
/// approached), and any genuinely infinite product is produced by another
/// corner.
fn ext_mul(a: Ext, b: Ext) -> Result<Ext, NumError> {
    if let (Ext::Fin(x), Ext::Fin(y)) = (a, b) {
        return Ok(Ext::Fin(x.checked_mul(y)?));
    }
    Ok(match (ext_sign(a), ext_sign(b)) {
        (Ordering::Equal, _) | (_, Ordering::Equal) => Ext::Fin(Rational::ZERO),
        (sa, sb) if sa == sb => Ext::PosInf,
        _ => Ext::NegInf,
    })
}

fn is_closed_zero(e: End) -> bool {
    e.closed && e.value == Ext::Fin(Rational::ZERO)
}

/// A non-empty interval of rationals. `lo` uses `Unbounded` for -∞, `hi`
/// for +∞.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    lo: Bound,
    hi: Bound,
}

impl Interval {
    /// The interval between `lo` and `hi`, or `None` if it would be empty
    /// (e.g. `[3,2]`, `[2,2)`, `(2,2]`).
    pub fn new(lo: Bound, hi: Bound) -> Option<Interval> {
        match (lo.finite(), hi.finite()) {
            (Some((a, ai)), Some((b, bi))) => match a.cmp(&b) {
                Ordering::Less => Some(Interval { lo, hi }),
                Ordering::Equal if ai && bi => Some(Interval { lo, hi }),
                _ => None,
            },
            _ => Some(Interval { lo, hi }),
        }
    }

    /// The single value `r`, i.e. `[r, r]`.
    pub fn point(r: Rational) -> Interval {
        Interval {
            lo: Bound::Incl(r),
            hi: Bound::Incl(r),
        }
    }

    /// `[a, b]`, or `None` if `a > b`.
    pub fn closed(a: Rational, b: Rational) -> Option<Interval> {
        Interval::new(Bound::Incl(a), Bound::Incl(b))
    }

    /// `(-∞, +∞)`.
    pub fn unbounded() -> Interval {
        Interval {
            lo: Bound::Unbounded,
            hi: Bound::Unbounded,
        }
    }

    /// The lower end.
    pub fn lo(&self) -> Bound {
        self.lo
    }

    /// The upper end.
    pub fn hi(&self) -> Bound {
        self.hi
    }

    /// The value, if this interval admits exactly one.
    pub fn as_point(&self) -> Option<Rational> {
        match (self.lo, self.hi) {
            (Bound::Incl(a), Bound::Incl(b)) if a == b => Some(a),
            _ => None,
        }
    }

    /// Whether `r` is an admissible value.
    pub fn contains(&self, r: Rational) -> bool {
        let above_lo = match self.lo {
            Bound::Unbounded => true,
            Bound::Incl(a) => a <= r,
            Bound::Excl(a) => a < r,
        };
        let below_hi = match self.hi {
            Bound::Unbounded => true,
            Bound::Incl(b) => r <= b,
            Bound::Excl(b) => r < b,
        };
        above_lo && below_hi
    }

    /// Whether every value of `self` is in `o`.
    pub fn is_subset_of(&self, o: &Interval) -> bool {
        cmp_lo(self.lo, o.lo) != Ordering::Less && cmp_hi(self.hi, o.hi) != Ordering::Greater
    }

    /// Whether no value is in both.
    pub fn is_disjoint(&self, o: &Interval) -> bool {
        self.intersect(o).is_none()
    }

    /// The common values, or `None` if there are none.
    pub fn intersect(&self, o: &Interval) -> Option<Interval> {
        let lo = match cmp_lo(self.lo, o.lo) {
            Ordering::Less => o.lo,
            _ => self.lo,
        };
        let hi = match cmp_hi(self.hi, o.hi) {
            Ordering::Greater => o.hi,
            _ => self.hi,
        };
        Interval::new(lo, hi)
    }

    /// The smallest interval containing both.
    pub fn hull(&self, o: &Interval) -> Interval {
        let lo = match cmp_lo(self.lo, o.lo) {
            Ordering::Greater => o.lo,
            _ => self.lo,
        };
        let hi = match cmp_hi(self.hi, o.hi) {
            Ordering::Less => o.hi,
            _ => self.hi,
        };
        Interval { lo, hi }
    }

    fn from_ends(lo: End, hi: End) -> Result<Interval, NumError> {
        Interval::new(lo_bound(lo)?, hi_bound(hi)?).ok_or_else(|| internal("empty result"))
    }

    /// `{a + b}`: ends add; an end is inclusive only if both are.
    pub fn add(&self, o: &Interval) -> Result<Interval, NumError> {
        Interval::from_ends(
            end_add(lo_end(self.lo), lo_end(o.lo))?,
            end_add(hi_end(self.hi), hi_end(o.hi))?,
        )
    }

    fn negate(&self) -> Result<Interval, NumError> {
        Ok(Interval {
            lo: self.hi.negate()?,
            hi: self.lo.negate()?,
        })
    }

    /// `{a - b}`, i.e. `self + (-o)`.
    pub fn sub(&self, o: &Interval) -> Result<Interval, NumError> {
        self.add(&o.negate()?)
    }

    /// `{a · b}`. The extremes of a product over a box are among the four
    /// corner products; an extreme is attained if some corner reaching it
    /// has both ends inclusive, or has an inclusive zero end (then the
    /// product is 0 whatever the other factor is, so `[0,0] · (-∞,+∞)` is
    /// `[0,0]`).
    pub fn mul(&self, o: &Interval) -> Result<Interval, NumError> {
        let xs = [lo_end(self.lo), hi_end(self.hi)];
        let ys = [lo_end(o.lo), hi_end(o.hi)];
        let mut lo: Option<End> = None;
        let mut hi: Option<End> = None;
        for x in xs {
            for y in ys {
                let corner = End {
                    value: ext_mul(x.value, y.value)?,
                    closed: (x.closed && y.closed) || is_closed_zero(x) || is_closed_zero(y),
                };
                lo = Some(match lo {
                    None => corner,
                    Some(cur) => match corner.value.cmp(&cur.value) {
                        Ordering::Less => corner,
                        Ordering::Equal => End {
                            value: cur.value,
                            closed: cur.closed || corner.closed,
                        },
                        Ordering::Greater => cur,
                    },
                });
                hi = Some(match hi {
                    None => corner,
                    Some(cur) => match corner.value.cmp(&cur.value) {
                        Ordering::Greater => corner,
                        Ordering::Equal => End {
                            value: cur.value,
                            closed: cur.closed || corner.closed,
                        },
                        Ordering::Less => cur,
                    },
                });
            }
        }
        match (lo, hi) {
            (Some(lo), Some(hi)) => Interval::from_ends(lo, hi),
            _ => Err(internal("no corners")),
        }
    }

    /// `{a / b}`; `DivisionByZero` if `o` admits 0. Computed as
    /// `self · (1/o)`, where `1/o` is exact because `o` lies on one side of
    /// zero (an exclusive 0 end maps to ±∞ and vice versa).
    pub fn div(&self, o: &Interval) -> Result<Interval, NumError> {
        if o.contains(Rational::ZERO) {
            return Err(NumError::DivisionByZero);
        }
        let recip = Interval::new(o.hi.reciprocal()?, o.lo.reciprocal()?)
            .ok_or_else(|| internal("empty reciprocal"))?;
        self.mul(&recip)
    }

    /// `{k · a}`; a negative `k` swaps the ends, `k = 0` gives `[0, 0]`.
    pub fn scale(&self, k: Rational) -> Result<Interval, NumError> {
        self.mul(&Interval::point(k))
    }

    /// Whether `a < b` for every `a` in `self` and `b` in `o`.
    fn all_lt(&self, o: &Interval) -> bool {
        match (self.hi.finite(), o.lo.finite()) {
            (Some((a, ai)), Some((b, bi))) => a < b || (a == b && !(ai && bi)),
            _ => false,
        }
    }

    /// Whether `a <= b` for every `a` in `self` and `b` in `o`.
    fn all_le(&self, o: &Interval) -> bool {
        match (self.hi.finite(), o.lo.finite()) {
            (Some((a, _)), Some((b, _))) => a <= b,
            _ => false,
        }
    }

    /// `a < b`: `True` for every pair of admissible values, `False` for
    /// none, otherwise `Unknown`.
    pub fn lt(&self, o: &Interval) -> Tri {
        if self.all_lt(o) {
            Tri::True
        } else if o.all_le(self) {
            Tri::False
        } else {
            Tri::Unknown
        }
    }

    /// `a <= b`, three-valued as for [`Interval::lt`].
    pub fn le(&self, o: &Interval) -> Tri {
        if self.all_le(o) {
            Tri::True
        } else if o.all_lt(self) {
            Tri::False
        } else {
            Tri::Unknown
        }
    }

    /// `a > b`, three-valued as for [`Interval::lt`].
    pub fn gt(&self, o: &Interval) -> Tri {
        o.lt(self)
    }

    /// `a >= b`, three-valued as for [`Interval::lt`].
    pub fn ge(&self, o: &Interval) -> Tri {
        o.le(self)
    }

    /// `a == b`: `True` only if both are the same single point, `False` if
    /// they share no value, otherwise `Unknown`.
    pub fn eq3(&self, o: &Interval) -> Tri {
        match (self.as_point(), o.as_point()) {
            (Some(a), Some(b)) if a == b => Tri::True,
            _ if self.is_disjoint(o) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    fn repr(&self) -> IntervalRepr {
        let (lo, lo_inclusive) = match self.lo.finite() {
            Some((v, i)) => (Some(v), i),
            None => (None, false),
        };
        let (hi, hi_inclusive) = match self.hi.finite() {
            Some((v, i)) => (Some(v), i),
            None => (None, false),
        };
        IntervalRepr {
            lo,
            lo_exact: lo.map(exact_text),
            lo_inclusive,
            hi,
            hi_exact: hi.map(exact_text),
            hi_inclusive,
        }
    }
}

impl fmt::Display for Interval {
    /// A point prints as its number; otherwise "[a, b)", "(-∞, b]", … with
    /// ends to at most three decimal places ("…" marks a rounded end).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.as_point() {
            return f.write_str(&p.to_decimal_string(3));
        }
        match self.lo {
            Bound::Unbounded => f.write_str("(-∞")?,
            Bound::Incl(v) => write!(f, "[{}", v.to_decimal_string(3))?,
            Bound::Excl(v) => write!(f, "({}", v.to_decimal_string(3))?,
        }
        f.write_str(", ")?;
        match self.hi {
            Bound::Unbounded => f.write_str("+∞)"),
            Bound::Incl(v) => write!(f, "{}]", v.to_decimal_string(3)),
            Bound::Excl(v) => write!(f, "{})", v.to_decimal_string(3)),
        }
    }
}

/// Wire form of an [`Interval`]: ends as decimal strings (`null` when
/// unbounded, with `*_inclusive` false).
#[derive(Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Interval")]
struct IntervalRepr {
    /// Lower end as a decimal (rounded for display), `null` when unbounded.
    #[schemars(with = "Option<String>")]
    lo: Option<Rational>,
    /// The exact end as `numerator/denominator` (or an integer), so a
    /// machine reader never has to trust a rounded decimal.
    lo_exact: Option<String>,
    /// Whether the lower end belongs to the interval.
    lo_inclusive: bool,
    /// Upper end as a decimal (rounded for display), `null` when unbounded.
    #[schemars(with = "Option<String>")]
    hi: Option<Rational>,
    /// The exact upper end.
    hi_exact: Option<String>,
    /// Whether the upper end belongs to the interval.
    hi_inclusive: bool,
}

fn exact_text(r: Rational) -> String {
    if r.is_integer() {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

impl schemars::JsonSchema for Interval {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        IntervalRepr::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        IntervalRepr::json_schema(generator)
    }
}

impl serde::Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.repr().serialize(serializer)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }
    fn n(i: i128) -> Rational {
        Rational::from_int(i)
    }
    fn iv(lo: Bound, hi: Bound) -> Interval {
        Interval::new(lo, hi).unwrap()
    }
    fn c(a: i128, b: i128) -> Interval {
        Interval::closed(n(a), n(b)).unwrap()
    }
    fn pt(a: i128) -> Interval {
        Interval::point(n(a))
    }
    use Bound::{Excl, Incl, Unbounded};

    #[test]
    fn tri_truth_tables() {
        use Tri::{False as F, True as T, Unknown as U};
        let all = [T, F, U];
        let and = [[T, F, U], [F, F, F], [U, F, U]];
        let or = [[T, T, T], [T, F, U], [T, U, U]];
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(a.and(*b), and[i][j], "{a:?} and {b:?}");
                assert_eq!(a.or(*b), or[i][j], "{a:?} or {b:?}");
            }
        }
        assert_eq!(T.not(), F);
        assert_eq!(F.not(), T);
        assert_eq!(U.not(), U);
        assert_eq!(Tri::from_bool(true), T);
        assert_eq!(Tri::from_bool(false), F);
        assert!(T.is_true() && !F.is_true() && !U.is_true());
        assert!(F.is_false() && !T.is_false() && !U.is_false());
    }

    #[test]
    fn construction_and_emptiness() {
        assert!(Interval::closed(n(3), n(2)).is_none());
        assert!(Interval::new(Incl(n(2)), Excl(n(2))).is_none());
        assert!(Interval::new(Excl(n(2)), Incl(n(2))).is_none());
        assert!(Interval::new(Excl(n(2)), Excl(n(2))).is_none());
        assert_eq!(Interval::new(Incl(n(2)), Incl(n(2))), Some(pt(2)));
        assert!(Interval::new(Excl(n(2)), Excl(n(3))).is_some());
        assert!(Interval::new(Unbounded, Excl(n(-5))).is_some());
        let u = Interval::unbounded();
        assert_eq!((u.lo(), u.hi()), (Unbounded, Unbounded));
        assert_eq!(pt(4).as_point(), Some(n(4)));
        assert_eq!(c(1, 2).as_point(), None);
        let h = iv(Incl(n(1)), Excl(n(2)));
        assert_eq!((h.lo(), h.hi()), (Incl(n(1)), Excl(n(2))));
    }

    #[test]
    fn membership_subset_intersection_hull() {
        let h = iv(Incl(q(1571, 20)), Excl(q(1573, 20))); // [78.55, 78.65)
        assert!(h.contains(q(1571, 20)));
        assert!(!h.contains(q(1573, 20)));
        assert!(h.contains(q(786, 10)));
        assert!(!h.contains(n(78)));
        let up = iv(Excl(n(0)), Unbounded);
        assert!(!up.contains(n(0)));
        assert!(up.contains(n(1_000_000)));

        assert!(iv(Excl(n(1)), Excl(n(2))).is_subset_of(&c(1, 2)));
        assert!(!c(1, 2).is_subset_of(&iv(Excl(n(1)), Excl(n(2)))));
        assert!(c(1, 2).is_subset_of(&iv(Unbounded, Incl(n(2)))));
        assert!(!Interval::unbounded().is_subset_of(&c(1, 2)));
        assert!(c(1, 2).is_subset_of(&c(1, 2)));

        assert_eq!(
            c(1, 3).intersect(&iv(Excl(n(2)), Unbounded)),
            Some(iv(Excl(n(2)), Incl(n(3))))
        );
        assert_eq!(c(1, 2).intersect(&c(2, 3)), Some(pt(2)));
        assert_eq!(iv(Incl(n(1)), Excl(n(2))).intersect(&c(2, 3)), None);
        assert!(iv(Incl(n(1)), Excl(n(2))).is_disjoint(&c(2, 3)));
        assert!(!c(1, 2).is_disjoint(&c(2, 3)));

        assert_eq!(
            iv(Excl(n(1)), Excl(n(2))).hull(&c(1, 1)),
            iv(Incl(n(1)), Excl(n(2)))
        );
        assert_eq!(
            c(5, 6).hull(&iv(Unbounded, Excl(n(0)))),
            iv(Unbounded, Incl(n(6)))
        );
        assert_eq!(
            iv(Excl(n(1)), Excl(n(2))).hull(&iv(Excl(n(1)), Incl(n(2)))),
            iv(Excl(n(1)), Incl(n(2)))
        );
    }

    #[test]
    fn add_and_sub_with_mixed_ends() {
        let a = iv(Incl(n(1)), Excl(n(2)));
        let b = iv(Excl(n(10)), Incl(n(20)));
        assert_eq!(a.add(&b).unwrap(), iv(Excl(n(11)), Excl(n(22))));
        assert_eq!(c(1, 2).add(&c(10, 20)).unwrap(), c(11, 22));
        // [1,2) - (10,20]: lo = 1 - 20 (both inclusive), hi = 2 - 10 (both exclusive).
        assert_eq!(a.sub(&b).unwrap(), iv(Incl(n(-19)), Excl(n(-8))));
        let up = iv(Incl(n(3)), Unbounded);
        assert_eq!(up.add(&c(1, 2)).unwrap(), iv(Incl(n(4)), Unbounded));
        assert_eq!(up.sub(&c(1, 2)).unwrap(), iv(Incl(n(1)), Unbounded));
        assert_eq!(c(1, 2).sub(&up).unwrap(), iv(Unbounded, Incl(n(-1))));
        assert_eq!(
            up.sub(&up).unwrap(),
            Interval::unbounded(),
            "[3,inf) - [3,inf) is everything"
        );
        assert_eq!(pt(5).sub(&pt(5)).unwrap(), pt(0));
        assert_eq!(
            pt(i128::MAX).add(&pt(1)),
            Err(NumError::Overflow),
            "overflow is reported, not widened"
        );
        assert_eq!(
            c(0, 1).sub(&pt(i128::MIN)),
            Err(NumError::Overflow),
            "negating i128::MIN"
        );
    }

    #[test]
    fn mul_sign_cases() {
        assert_eq!(c(2, 3).mul(&c(4, 5)).unwrap(), c(8, 15));
        assert_eq!(c(-3, -2).mul(&c(4, 5)).unwrap(), c(-15, -8));
        assert_eq!(c(-3, -2).mul(&c(-5, -4)).unwrap(), c(8, 15));
        assert_eq!(c(-2, 3).mul(&c(4, 5)).unwrap(), c(-10, 15));
        assert_eq!(c(-2, 3).mul(&c(-5, 4)).unwrap(), c(-15, 12));
        assert_eq!(c(-2, 3).mul(&c(-1, 7)).unwrap(), c(-14, 21));
        // Open ends: (2,3] * [4,5) = (8,15)
        let a = iv(Excl(n(2)), Incl(n(3)));
        let b = iv(Incl(n(4)), Excl(n(5)));
        assert_eq!(a.mul(&b).unwrap(), iv(Excl(n(8)), Excl(n(15))));
        // A closed zero end makes 0 attained even when the other end is open.
        assert_eq!(
            c(0, 1).mul(&iv(Excl(n(2)), Excl(n(3)))).unwrap(),
            iv(Incl(n(0)), Excl(n(3)))
        );
        // An open zero end is not attained.
        assert_eq!(
            iv(Excl(n(0)), Incl(n(1))).mul(&c(2, 3)).unwrap(),
            iv(Excl(n(0)), Incl(n(3)))
        );
        // Extreme reached at two corners, one closed: closed wins.
        assert_eq!(
            iv(Excl(n(-1)), Incl(n(1))).mul(&c(-1, 1)).unwrap(),
            c(-1, 1)
        );
        assert_eq!(
            iv(Excl(n(-1)), Excl(n(1))).mul(&c(-1, 1)).unwrap(),
            iv(Excl(n(-1)), Excl(n(1)))
        );
        assert_eq!(c(1, 2).mul(&pt(i128::MAX)), Err(NumError::Overflow));
    }

    #[test]
    fn mul_with_unbounded_ends() {
        let pos = iv(Incl(n(1)), Unbounded);
        assert_eq!(c(2, 3).mul(&pos).unwrap(), iv(Incl(n(2)), Unbounded));
        assert_eq!(c(-3, -2).mul(&pos).unwrap(), iv(Unbounded, Incl(n(-2))));
        assert_eq!(c(-3, 2).mul(&pos).unwrap(), Interval::unbounded());
        assert_eq!(pt(0).mul(&pos).unwrap(), pt(0));
        assert_eq!(pt(0).mul(&Interval::unbounded()).unwrap(), pt(0));
        assert_eq!(Interval::unbounded().mul(&pt(0)).unwrap(), pt(0));
        assert_eq!(c(0, 1).mul(&pos).unwrap(), iv(Incl(n(0)), Unbounded));
        assert_eq!(
            iv(Excl(n(0)), Incl(n(1))).mul(&pos).unwrap(),
            iv(Excl(n(0)), Unbounded)
        );
        assert_eq!(
            iv(Excl(n(0)), Incl(n(1)))
                .mul(&iv(Unbounded, Incl(n(-1))))
                .unwrap(),
            iv(Unbounded, Excl(n(0)))
        );
        assert_eq!(c(-1, 0).mul(&pos).unwrap(), iv(Unbounded, Incl(n(0))));
        assert_eq!(
            Interval::unbounded().mul(&c(1, 2)).unwrap(),
            Interval::unbounded()
        );
        assert_eq!(pos.mul(&pos).unwrap(), pos);
        assert_eq!(
            iv(Unbounded, Incl(n(-1)))
                .mul(&iv(Unbounded, Incl(n(-2))))
                .unwrap(),
            iv(Incl(n(2)), Unbounded)
        );
    }

    #[test]
    fn scale_by_rationals() {
        let a = iv(Incl(n(1)), Excl(n(2)));
        assert_eq!(a.scale(q(1, 2)).unwrap(), iv(Incl(q(1, 2)), Excl(n(1))));
        assert_eq!(a.scale(n(-2)).unwrap(), iv(Excl(n(-4)), Incl(n(-2))));
        assert_eq!(a.scale(Rational::ZERO).unwrap(), pt(0));
        assert_eq!(
            iv(Excl(n(1)), Unbounded).scale(n(-3)).unwrap(),
            iv(Unbounded, Excl(n(-3)))
        );
        assert_eq!(Interval::unbounded().scale(n(0)).unwrap(), pt(0));
    }

    #[test]
    fn div_cases() {
        assert_eq!(
            c(1, 2).div(&c(4, 8)).unwrap(),
            Interval::closed(q(1, 8), q(1, 2)).unwrap()
        );
        assert_eq!(
            c(1, 2).div(&c(-8, -4)).unwrap(),
            Interval::closed(q(-1, 2), q(-1, 8)).unwrap()
        );
        assert_eq!(
            iv(Excl(n(11)), Incl(n(12))).div(&pt(14)).unwrap(),
            iv(Excl(q(11, 14)), Incl(q(6, 7)))
        );
        // Divisor with an open zero end: unbounded quotient.
        assert_eq!(
            c(1, 2).div(&iv(Excl(n(0)), Incl(n(4)))).unwrap(),
            iv(Incl(q(1, 4)), Unbounded)
        );
        assert_eq!(
            c(1, 2).div(&iv(Incl(n(-4)), Excl(n(0)))).unwrap(),
            iv(Unbounded, Incl(q(-1, 4)))
        );
        // Unbounded divisor: the quotient approaches but never reaches 0.
        assert_eq!(
            c(1, 2).div(&iv(Incl(n(2)), Unbounded)).unwrap(),
            iv(Excl(n(0)), Incl(n(1)))
        );
        assert_eq!(pt(0).div(&iv(Incl(n(2)), Unbounded)).unwrap(), pt(0));
        // Divisors that admit zero.
        for d in [
            c(-1, 1),
            c(0, 1),
            c(-1, 0),
            pt(0),
            Interval::unbounded(),
            iv(Unbounded, Incl(n(0))),
            iv(Excl(n(-1)), Unbounded),
        ] {
            assert_eq!(c(1, 2).div(&d), Err(NumError::DivisionByZero), "{d}");
        }
    }

    #[test]
    fn comparisons_at_touching_ends() {
        let half_open = iv(Incl(n(1)), Excl(n(2)));
        assert_eq!(half_open.lt(&c(2, 3)), Tri::True);
        assert_eq!(c(1, 2).lt(&c(2, 3)), Tri::Unknown);
        assert_eq!(c(1, 2).le(&c(2, 3)), Tri::True);
        assert_eq!(c(2, 3).lt(&c(1, 2)), Tri::False);
        assert_eq!(c(2, 3).le(&c(1, 2)), Tri::Unknown);
        assert_eq!(c(2, 3).le(&half_open), Tri::False);
        assert_eq!(c(2, 3).gt(&half_open), Tri::True);
        assert_eq!(c(2, 3).ge(&c(1, 2)), Tri::True);
        assert_eq!(c(2, 3).gt(&c(1, 2)), Tri::Unknown);
        assert_eq!(c(1, 2).ge(&c(3, 4)), Tri::False);
        assert_eq!(c(1, 2).gt(&c(2, 3)), Tri::False);
        assert_eq!(
            iv(Incl(n(1)), Incl(n(2))).lt(&iv(Excl(n(2)), Incl(n(3)))),
            Tri::True
        );
    }

    #[test]
    fn comparisons_overlap_points_unbounded() {
        assert_eq!(c(1, 3).lt(&c(2, 4)), Tri::Unknown);
        assert_eq!(c(1, 3).le(&c(2, 4)), Tri::Unknown);
        assert_eq!(c(1, 3).gt(&c(2, 4)), Tri::Unknown);
        assert_eq!(c(1, 3).ge(&c(2, 4)), Tri::Unknown);
        assert_eq!(pt(2).lt(&pt(2)), Tri::False);
        assert_eq!(pt(2).le(&pt(2)), Tri::True);
        assert_eq!(pt(2).ge(&pt(2)), Tri::True);
        assert_eq!(pt(1).lt(&pt(2)), Tri::True);
        let up = iv(Excl(n(5)), Unbounded);
        assert_eq!(c(1, 5).lt(&up), Tri::True);
        assert_eq!(up.gt(&c(1, 5)), Tri::True);
        assert_eq!(up.lt(&c(1, 5)), Tri::False);
        assert_eq!(up.lt(&c(1, 6)), Tri::Unknown);
        assert_eq!(Interval::unbounded().lt(&pt(0)), Tri::Unknown);
        assert_eq!(
            Interval::unbounded().le(&Interval::unbounded()),
            Tri::Unknown
        );
    }

    #[test]
    fn eq3_cases() {
        assert_eq!(pt(2).eq3(&pt(2)), Tri::True);
        assert_eq!(pt(2).eq3(&pt(3)), Tri::False);
        assert_eq!(c(1, 2).eq3(&c(1, 2)), Tri::Unknown);
        assert_eq!(c(1, 2).eq3(&pt(2)), Tri::Unknown);
        assert_eq!(iv(Incl(n(1)), Excl(n(2))).eq3(&pt(2)), Tri::False);
        assert_eq!(c(1, 2).eq3(&c(3, 4)), Tri::False);
    }

    #[test]
    fn display() {
        let x = q(1100, 14);
        assert_eq!(Interval::point(x).to_string(), "78.571…");
        assert_eq!(pt(5).to_string(), "5");
        assert_eq!(c(1, 2).to_string(), "[1, 2]");
        assert_eq!(
            iv(Incl(q(1571, 20)), Excl(q(1573, 20))).to_string(),
            "[78.55, 78.65)"
        );
        assert_eq!(iv(Excl(q(1, 3)), Incl(n(2))).to_string(), "(0.333…, 2]");
        assert_eq!(iv(Unbounded, Incl(n(-2))).to_string(), "(-∞, -2]");
        assert_eq!(iv(Incl(q(157, 2)), Unbounded).to_string(), "[78.5, +∞)");
        assert_eq!(Interval::unbounded().to_string(), "(-∞, +∞)");
    }

    #[test]
    fn serialisation_shape() {
        assert_eq!(
            iv(Incl(q(157, 2)), Unbounded).repr(),
            IntervalRepr {
                lo: Some(q(157, 2)),
                lo_exact: Some("157/2".into()),
                lo_inclusive: true,
                hi: None,
                hi_exact: None,
                hi_inclusive: false,
            }
        );
        assert_eq!(
            iv(Unbounded, Excl(n(3))).repr(),
            IntervalRepr {
                lo: None,
                lo_exact: None,
                lo_inclusive: false,
                hi: Some(n(3)),
                hi_exact: Some("3".into()),
                hi_inclusive: false,
            }
        );
    }
}

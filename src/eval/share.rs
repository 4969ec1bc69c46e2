//! The shares a part of a whole can take when membership is uncertain,
//! exactly, from counts (never by enumerating worlds).
//!
//! Each record that may be in the part or the whole is in or out; a world
//! chooses for each. Counting records by how they may be members gives
//! every achievable pair (part, whole):
//!
//! * `p0` records are certainly in the part, `w0` certainly in the whole;
//! * `n_p` records may or may not count in the part (independently of the
//!   whole), `n_w` may or may not count in the whole;
//! * `n_l` records may be in the whole and are in the part exactly when
//!   they are (the part is the whole filtered by a condition they
//!   certainly satisfy): they count in both or in neither;
//! * `n_f` records may be in the whole and, when they are, may or may not
//!   satisfy the part's condition: each counts in neither, in the whole
//!   only, or in both.
//!
//! So part = p0 + i + t and whole = w0 + t + u, where 0 ≤ i ≤ n_p,
//! 0 ≤ t ≤ n_l + n_f (records counted in both), and 0 ≤ u ≤
//! n_w + n_f − max(0, t − n_l) (records counted in the whole only). Every
//! such pair is achievable and no other is: the achievable shares are
//! 100·part/whole over these pairs with whole > 0, and a judge asks
//! whether any or all of them lie in what a statement allows.

use crate::evidence::column::Bitmap;
use crate::interval::{Bound, Interval, Tri};
use crate::num::Rational;

/// How many (whole, part range) steps [`ShareCounts::meets`] may take
/// before answering "perhaps" (a sound, less precise answer).
const MEET_BUDGET: u64 = 4_000_000;

/// The counts that determine every achievable share (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShareCounts {
    /// Records certainly in the part.
    pub p0: u64,
    /// Records certainly in the whole.
    pub w0: u64,
    /// Records that may count in the part, whatever the whole.
    pub n_p: u64,
    /// Records that may count in the whole, whatever the part.
    pub n_w: u64,
    /// Records that count in both or in neither.
    pub n_l: u64,
    /// Records that count in neither, in the whole only, or in both.
    pub n_f: u64,
}

fn rat(n: u64) -> Rational {
    Rational::from_int(i128::from(n))
}

/// `100 · p / w` (w > 0).
fn percent(p: u64, w: u64) -> Option<Rational> {
    Rational::from_int(i128::from(p) * 100)
        .checked_div(rat(w))
        .ok()
}

fn count(b: &Bitmap) -> u64 {
    b.count() as u64
}

impl ShareCounts {
    /// The counts of a part and a whole given as certain and possible
    /// members. `cond`, when the part is known to be the whole filtered by
    /// a condition, gives that condition's truth for a record: a record
    /// that may be in the whole and certainly satisfies it counts in both
    /// or in neither. Without it, the part's and the whole's memberships
    /// are taken as independent (sound: every world is among those).
    pub fn of_sets<E>(
        part: (&Bitmap, &Bitmap),
        whole: (&Bitmap, &Bitmap),
        cond: Option<&mut dyn FnMut(u32) -> Result<Tri, E>>,
    ) -> Result<ShareCounts, E> {
        let (pc, pp) = part;
        let (wc, wp) = whole;
        let p_open = pp.and_not(pc);
        let w_open = wp.and_not(wc);
        let mut c = ShareCounts {
            p0: count(pc),
            w0: count(wc),
            ..ShareCounts::default()
        };
        match cond {
            Some(cond) => {
                // Records only possibly in the whole and possibly in the part.
                let both = p_open.and(&w_open);
                c.n_p = count(&p_open.and_not(&w_open));
                c.n_w = count(&w_open.and_not(&p_open));
                for r in both.iter() {
                    match cond(r)? {
                        Tri::True => c.n_l += 1,
                        Tri::Unknown => c.n_f += 1,
                        Tri::False => c.n_w += 1,
                    }
                }
            }
            None => {
                c.n_p = count(&p_open);
                c.n_w = count(&w_open);
            }
        }
        Ok(c)
    }

    /// Most records counted in both.
    fn t_max(&self) -> u64 {
        self.n_l.saturating_add(self.n_f)
    }

    /// Most records counted in the whole only, when `t` count in both.
    fn u_max(&self, t: u64) -> u64 {
        (self.n_w + self.n_f).saturating_sub(t.saturating_sub(self.n_l))
    }

    /// Whether some world has an empty whole.
    pub fn may_be_empty(&self) -> bool {
        self.w0 == 0
    }

    /// Whether every world has an empty whole.
    pub fn is_empty(&self) -> bool {
        self.w0 == 0 && self.t_max() == 0 && self.u_max(0) == 0
    }

    /// Fewest and most records in the part.
    pub fn part_range(&self) -> (u64, u64) {
        (self.p0, self.p0 + self.n_p + self.t_max())
    }

    /// Fewest and most records in the whole.
    pub fn whole_range(&self) -> (u64, u64) {
        (self.w0, self.w0 + self.t_max() + self.u_max(0))
    }

    /// Smallest and largest achievable share in percent over the worlds
    /// whose whole has records, as a closed interval (both ends are
    /// achieved); `None` when no world's whole has records.
    pub fn hull(&self) -> Option<Interval> {
        let mut lo: Option<Rational> = None;
        let mut hi: Option<Rational> = None;
        for t in 0..=self.t_max() {
            let w_hi = self.w0 + t + self.u_max(t);
            let w_lo = (self.w0 + t).max(1);
            if w_hi < w_lo {
                continue;
            }
            let small = percent(self.p0 + t, w_hi)?;
            let large = percent(self.p0 + t + self.n_p, w_lo)?;
            lo = Some(lo.map_or(small, |l: Rational| l.min(small)));
            hi = Some(hi.map_or(large, |h: Rational| h.max(large)));
        }
        Interval::closed(lo?, hi?)
    }

    /// Whether some achievable share lies in `iv`: `Some(true)` or
    /// `Some(false)`, or `None` when finding out would cost too much (the
    /// caller then falls back on the hull).
    pub fn meets(&self, iv: &Interval) -> Option<bool> {
        let mut steps: u64 = 0;
        for t in 0..=self.t_max() {
            let (pa, pb) = (self.p0 + t, self.p0 + t + self.n_p);
            let w_hi = self.w0 + t + self.u_max(t);
            let w_lo = (self.w0 + t).max(1);
            let mut w = w_lo;
            while w <= w_hi {
                steps += 1;
                if steps > MEET_BUDGET {
                    return None;
                }
                if part_meets(pa, pb, w, iv)? {
                    return Some(true);
                }
                w += 1;
            }
        }
        Some(false)
    }

    /// The distinct achievable shares, in increasing order, when there
    /// are at most `limit` achievable pairs; else `None`.
    pub fn values(&self, limit: u64) -> Option<Vec<Rational>> {
        let mut pairs: u64 = 0;
        let mut out = Vec::new();
        for t in 0..=self.t_max() {
            let w_hi = self.w0 + t + self.u_max(t);
            let w_lo = (self.w0 + t).max(1);
            for w in w_lo..=w_hi {
                for p in (self.p0 + t)..=(self.p0 + t + self.n_p) {
                    pairs += 1;
                    if pairs > limit {
                        return None;
                    }
                    out.push(percent(p, w)?);
                }
            }
        }
        out.sort();
        out.dedup();
        Some(out)
    }
}

/// Whether some part `p` in `pa..=pb` gives `100·p/w` inside `iv`. The
/// share grows with `p` and `iv` is convex, so the smallest `p` at or above
/// the lower end (or the next, for an exclusive end) decides.
fn part_meets(pa: u64, pb: u64, w: u64, iv: &Interval) -> Option<bool> {
    let first = match iv.lo() {
        Bound::Unbounded => pa,
        Bound::Incl(lo) | Bound::Excl(lo) => {
            // p ≥ lo·w/100
            let need = lo
                .checked_mul(rat(w))
                .and_then(|x| x.checked_div(Rational::from_int(100)))
                .and_then(|x| x.ceil_dp(0))
                .ok()?;
            if need.is_negative() {
                pa
            } else {
                let n = u64::try_from(need.numer()).ok()?;
                n.max(pa)
            }
        }
    };
    for p in [first, first.saturating_add(1)] {
        if p <= pb && iv.contains(percent(p, w)?) {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// How a record may be a member, as the bitmaps and the filter see it.
    #[derive(Debug, Clone, Copy)]
    enum Rec {
        /// Membership in the whole, and whether the part's condition holds
        /// (both three-valued: 0 false, 1 true, 2 unknown); the part is the
        /// whole filtered by the condition.
        Filtered(u8, u8),
        /// Independent memberships in the part and the whole.
        Free(u8, u8),
    }

    fn choices(t: u8) -> Vec<bool> {
        match t {
            0 => vec![false],
            1 => vec![true],
            _ => vec![false, true],
        }
    }

    /// Every world: each unknown settled either way; the shares of the
    /// worlds whose whole has records, and whether some whole is empty.
    fn brute(recs: &[Rec]) -> (BTreeSet<Rational>, bool) {
        let mut worlds: Vec<(u64, u64)> = vec![(0, 0)];
        for r in recs {
            let (a, b, filtered) = match *r {
                Rec::Filtered(a, b) => (a, b, true),
                Rec::Free(a, b) => (a, b, false),
            };
            let mut next = Vec::new();
            for (p, w) in &worlds {
                for x in choices(a) {
                    for y in choices(b) {
                        // Filtered: x = in the whole, y = condition.
                        // Free: x = in the part, y = in the whole.
                        let (in_p, in_w) = if filtered { (x && y, x) } else { (x, y) };
                        next.push((p + u64::from(in_p), w + u64::from(in_w)));
                    }
                }
            }
            next.sort();
            next.dedup();
            worlds = next;
        }
        let empty = worlds.iter().any(|(_, w)| *w == 0);
        let shares = worlds
            .iter()
            .filter(|(_, w)| *w > 0)
            .filter_map(|(p, w)| percent(*p, *w))
            .collect();
        (shares, empty)
    }

    /// The counts the evaluator derives from the bitmaps: a filtered
    /// part when every record is `Filtered` (the condition of a record
    /// uncertain in the whole is asked), independent memberships else.
    fn counts(recs: &[Rec]) -> ShareCounts {
        let filtered = recs.iter().all(|r| matches!(r, Rec::Filtered(..)));
        let n = recs.len();
        let (mut pc, mut pp, mut wc, mut wp) = (
            Bitmap::zeros(n),
            Bitmap::zeros(n),
            Bitmap::zeros(n),
            Bitmap::zeros(n),
        );
        let mut conds = Vec::new();
        for (i, r) in recs.iter().enumerate() {
            let (p, w) = match *r {
                // The part is the whole where the condition holds.
                Rec::Filtered(w, c) => {
                    conds.push(c);
                    let p = match (w, c) {
                        (0, _) | (_, 0) => 0,
                        (1, 1) => 1,
                        _ => 2,
                    };
                    (p, w)
                }
                Rec::Free(p, w) => {
                    conds.push(2);
                    (p, w)
                }
            };
            if p == 1 {
                pc.set(i);
            }
            if p > 0 {
                pp.set(i);
            }
            if w == 1 {
                wc.set(i);
            }
            if w > 0 {
                wp.set(i);
            }
        }
        let mut cond = |r: u32| -> Result<Tri, ()> {
            Ok(match conds.get(r as usize) {
                Some(0) => Tri::False,
                Some(1) => Tri::True,
                _ => Tri::Unknown,
            })
        };
        let c = if filtered {
            ShareCounts::of_sets((&pc, &pp), (&wc, &wp), Some(&mut cond))
        } else {
            ShareCounts::of_sets::<()>((&pc, &pp), (&wc, &wp), None)
        };
        c.unwrap_or_default()
    }

    fn rec() -> impl Strategy<Value = Rec> {
        prop_oneof![
            (0u8..3, 0u8..3).prop_map(|(a, b)| Rec::Filtered(a, b)),
            (0u8..3, 0u8..3).prop_map(|(a, b)| Rec::Free(a, b)),
        ]
    }

    fn pct(lo: i128, hi: i128) -> Interval {
        Interval::closed(Rational::from_int(lo), Rational::from_int(hi))
            .unwrap_or_else(Interval::unbounded)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The counts give exactly the shares of the worlds, their ends,
        /// and whether some whole may be empty; a range meets an
        /// achievable share exactly when a world's share lies in it.
        #[test]
        fn counts_give_exactly_the_shares_of_the_worlds(
            recs in proptest::collection::vec(rec(), 0..9),
            lo in 0i128..101,
            width in 0i128..40,
            open_lo in any::<bool>(),
        ) {
            let (worlds, empty) = brute(&recs);
            let c = counts(&recs);
            // Exact when the part is a filter of the whole throughout, or
            // the memberships are independent throughout; a superset of
            // the worlds' shares otherwise.
            let exact = recs.iter().all(|r| matches!(r, Rec::Filtered(..)))
                || recs.iter().all(|r| matches!(r, Rec::Free(..)));
            prop_assert_eq!(c.may_be_empty(), empty);
            prop_assert_eq!(c.is_empty(), worlds.is_empty());
            let values = c.values(1_000_000).unwrap_or_default();
            let got: BTreeSet<Rational> = values.into_iter().collect();
            prop_assert!(worlds.is_subset(&got));
            if exact {
                prop_assert_eq!(&got, &worlds);
            }
            match c.hull() {
                None => prop_assert!(worlds.is_empty()),
                Some(h) => {
                    // The ends are achieved by the model's worlds.
                    prop_assert_eq!(h.lo(), Bound::Incl(*got.iter().next().unwrap_or(&Rational::ZERO)));
                    prop_assert_eq!(h.hi(), Bound::Incl(*got.iter().next_back().unwrap_or(&Rational::ZERO)));
                    for v in &worlds {
                        prop_assert!(h.contains(*v));
                    }
                }
            }
            let lo_r = Rational::from_int(lo);
            let hi_r = Rational::from_int(lo + width);
            let lo_b = if open_lo { Bound::Excl(lo_r) } else { Bound::Incl(lo_r) };
            if let Some(iv) = Interval::new(lo_b, Bound::Incl(hi_r)) {
                let any = worlds.iter().any(|v| iv.contains(*v));
                let any_model = got.iter().any(|v| iv.contains(*v));
                prop_assert_eq!(c.meets(&iv), Some(any_model));
                if any {
                    prop_assert!(any_model);
                }
                if exact {
                    prop_assert_eq!(any_model, any);
                }
            }
        }
    }

    #[test]
    fn fifty_or_a_hundred_is_never_seventy_five() {
        // One record certainly in both, one in the whole whose condition
        // is unknown: 1 of 1 or 1 of 2.
        let c = counts(&[Rec::Filtered(1, 1), Rec::Filtered(1, 2)]);
        assert_eq!(
            c.values(10),
            Some(vec![Rational::from_int(50), Rational::from_int(100)])
        );
        assert_eq!(c.meets(&pct(74, 76)), Some(false));
        assert_eq!(c.meets(&pct(49, 51)), Some(true));
    }

    #[test]
    fn eleven_or_twelve_of_twelve_or_thirteen_moving_together() {
        // 11 certain in both, one more certain in the whole, one record
        // that may be in the whole and is in the part when it is.
        let mut recs = vec![Rec::Filtered(1, 1); 11];
        recs.push(Rec::Filtered(1, 0));
        recs.push(Rec::Filtered(2, 1));
        let c = counts(&recs);
        let (w, _) = brute(&recs);
        assert_eq!(w.len(), 2);
        let h = c.hull().unwrap_or_else(Interval::unbounded);
        // 11/12 and 12/13, not 11/13 or 12/12.
        assert_eq!(
            h.lo(),
            Bound::Incl(Rational::new(1100, 12).unwrap_or(Rational::ZERO))
        );
        assert_eq!(
            h.hi(),
            Bound::Incl(Rational::new(1200, 13).unwrap_or(Rational::ZERO))
        );
    }
}

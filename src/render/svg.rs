//! Pictures for the HTML report, written as inline SVG text: no file, no
//! script, no external reference. Every text in them goes through
//! [`esc`]; coordinates are numbers the renderer computes.
//!
//! [`number_line`]: the value found (a point, or an interval when the
//! evidence leaves it uncertain) against the interval the wording allows
//! ("78%" allows [77.5, 78.5)), with the values a looser rounding would
//! allow (`imprecise`) shaded lighter.

use std::fmt::Write;

use super::text::html as esc;
use super::words::Words;
use crate::interval::{Bound, Interval};
use crate::num::Rational;
use crate::verdict::ClaimVerdict;

const WIDTH: f64 = 320.0;
const LEFT: f64 = 16.0;
const RIGHT: f64 = 304.0;
const AXIS_Y: f64 = 30.0;

fn f(r: Rational) -> f64 {
    r.numer() as f64 / r.denom() as f64
}

/// The finite ends of an interval, as numbers with whether each is closed.
fn ends(iv: &Interval) -> (Option<(f64, bool)>, Option<(f64, bool)>) {
    let end = |b: Bound| match b {
        Bound::Unbounded => None,
        Bound::Incl(v) => Some((f(v), true)),
        Bound::Excl(v) => Some((f(v), false)),
    };
    (end(iv.lo()), end(iv.hi()))
}

/// A short form of a number for a tick label.
fn label(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The number line of a numeric claim: `None` when the claim has no
/// numeric value or no allowed interval to draw.
pub fn number_line(c: &ClaimVerdict, w: &Words) -> Option<String> {
    let computed = c.computed.as_ref()?;
    let value = computed.interval.as_ref()?;
    let allowed = c.figures.allowed.as_ref()?;
    let lenient = c.figures.lenient.as_ref();
    let mut xs: Vec<f64> = Vec::new();
    for iv in [Some(value), Some(allowed), lenient].into_iter().flatten() {
        let (lo, hi) = ends(iv);
        xs.extend(lo.map(|e| e.0));
        xs.extend(hi.map(|e| e.0));
    }
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.25
    } else {
        (lo.abs() * 0.05).max(1.0)
    };
    let (min, max) = (lo - pad, hi + pad);
    let x = |v: f64| LEFT + (v - min) / (max - min) * (RIGHT - LEFT);
    // An unbounded end runs to the edge.
    let span_of = |iv: &Interval| {
        let (a, b) = ends(iv);
        (
            a.map_or((LEFT, true), |(v, c)| (x(v), c)),
            b.map_or((RIGHT, true), |(v, c)| (x(v), c)),
        )
    };
    let described = format!(
        "{} {}; {} {}",
        w.allowed,
        c.allowed.as_deref().unwrap_or_default(),
        w.computed,
        computed.display
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"numberline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} 64\" \
         width=\"{WIDTH}\" height=\"64\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        esc(&described),
        esc(&described)
    );
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{AXIS_Y}\" x2=\"{RIGHT}\" y2=\"{AXIS_Y}\" class=\"axis\"/>"
    );
    if let Some(l) = lenient {
        let ((a, _), (b, _)) = span_of(l);
        let _ = write!(
            s,
            "<rect x=\"{a:.1}\" y=\"{}\" width=\"{:.1}\" height=\"16\" class=\"lenient\"/>",
            AXIS_Y - 8.0,
            (b - a).max(1.0)
        );
    }
    let ((a, ac), (b, bc)) = span_of(allowed);
    let _ = write!(
        s,
        "<rect x=\"{a:.1}\" y=\"{}\" width=\"{:.1}\" height=\"16\" class=\"allowed\"/>",
        AXIS_Y - 8.0,
        (b - a).max(1.0)
    );
    // Brackets: closed ends solid, open ends dashed (one for a point).
    let (finite_lo, finite_hi) = ends(allowed);
    let mut brackets = Vec::new();
    if finite_lo.is_some() {
        brackets.push((a, ac));
    }
    if finite_hi.is_some() && (b - a).abs() >= 0.5 {
        brackets.push((b, bc));
    }
    for (px, closed) in brackets {
        let _ = write!(
            s,
            "<line x1=\"{px:.1}\" y1=\"{}\" x2=\"{px:.1}\" y2=\"{}\" class=\"{}\"/>",
            AXIS_Y - 11.0,
            AXIS_Y + 11.0,
            if closed { "closed" } else { "open" }
        );
    }
    let ((va, _), (vb, _)) = span_of(value);
    if (vb - va).abs() < 0.5 {
        let _ = write!(
            s,
            "<circle cx=\"{va:.1}\" cy=\"{AXIS_Y}\" r=\"5\" class=\"value\"/>"
        );
    } else {
        let _ = write!(
            s,
            "<rect x=\"{va:.1}\" y=\"{}\" width=\"{:.1}\" height=\"6\" class=\"value\"/>",
            AXIS_Y - 3.0,
            vb - va
        );
    }
    // Tick labels: the allowed interval's ends below, the value above.
    let (al, ah) = (finite_lo, finite_hi);
    let ah = ah.filter(|h| al.is_none_or(|l| l.0 != h.0));
    for e in [al, ah].into_iter().flatten() {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"56\" text-anchor=\"middle\">{}</text>",
            x(e.0),
            esc(&label(e.0))
        );
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"12\" text-anchor=\"middle\" class=\"value-label\">{}</text>",
        ((va + vb) / 2.0).clamp(LEFT + 20.0, RIGHT - 20.0),
        esc(&computed.display)
    );
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short() {
        assert_eq!(label(77.5), "77.5");
        assert_eq!(label(78.0), "78");
        assert_eq!(label(-0.0001), "0");
        assert_eq!(label(78.571_428), "78.571");
    }
}

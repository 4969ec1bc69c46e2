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

/// A finite end of an interval: its value and whether it is included.
type End = Option<(f64, bool)>;

/// The finite ends of an interval, as numbers with whether each is closed.
fn ends(iv: &Interval) -> (End, End) {
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

/// A day `YYYY-MM-DD` (the first day of a range `a..b`) as a day number;
/// `None` for anything else.
fn day(s: &str) -> Option<i64> {
    let d = s.get(..10)?;
    let mut parts = d.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let dd: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) {
        return None;
    }
    // Days from civil (proleptic Gregorian), after H. Hinnant.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe)
}

/// The strip of a claim's verdict over time (`verify --timelines`): one
/// band per run of days, equally wide, coloured by verdict with its icon
/// when there is room, and a `<title>` naming its days and verdict; the
/// article's date and the evaluation date marked below. `None` when the
/// claim has no timeline.
pub fn timeline_strip(
    c: &ClaimVerdict,
    published: &str,
    w: &Words,
    icon: fn(crate::verdict::Verdict) -> &'static str,
) -> Option<String> {
    let spans = &c.figures.timeline;
    if spans.is_empty() {
        return None;
    }
    let n = spans.len() as f64;
    let band = (RIGHT - LEFT) / n;
    let mut s = String::new();
    let described = spans
        .iter()
        .map(|p| {
            format!(
                "{}–{}: {}",
                p.from.as_deref().unwrap_or("…"),
                p.to.as_deref().unwrap_or("…"),
                w.title(p.verdict)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let _ = write!(
        s,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} 64\" \
         width=\"{WIDTH}\" height=\"64\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        esc(&described),
        esc(&described)
    );
    for (i, p) in spans.iter().enumerate() {
        let x0 = LEFT + band * i as f64;
        let _ = write!(
            s,
            "<g class=\"t-{}\"><title>{}</title><rect x=\"{x0:.1}\" y=\"8\" width=\"{:.1}\" height=\"20\"/>",
            p.verdict.label(),
            esc(&format!(
                "{}–{}: {}",
                p.from.as_deref().unwrap_or("…"),
                p.to.as_deref().unwrap_or("…"),
                w.title(p.verdict)
            )),
            band
        );
        if band >= 14.0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"23\" text-anchor=\"middle\" class=\"t-icon\">{}</text>",
                x0 + band / 2.0,
                icon(p.verdict)
            );
        }
        s.push_str("</g>");
    }
    // Where a day falls: inside its run, by its days when both ends are
    // known, in the middle otherwise.
    let place = |d: &str| -> Option<f64> {
        let t = day(d)?;
        spans.iter().enumerate().find_map(|(i, p)| {
            let from = p.from.as_deref().and_then(day);
            let to = p.to.as_deref().and_then(day);
            let inside = from.is_none_or(|f| f <= t) && to.is_none_or(|e| t <= e);
            if !inside {
                return None;
            }
            let frac = match (from, to) {
                (Some(f), Some(e)) if e > f => (t - f) as f64 / (e - f) as f64,
                _ => 0.5,
            };
            Some(LEFT + band * (i as f64 + frac))
        })
    };
    let marks = [
        (published, w.published.trim_end_matches(" el"), "start"),
        (c.as_of.as_str(), w.as_of, "end"),
    ];
    for (d, what, anchor) in marks {
        if let Some(x) = place(d) {
            let _ = write!(
                s,
                "<line x1=\"{x:.1}\" y1=\"4\" x2=\"{x:.1}\" y2=\"34\" class=\"t-mark\"/>\
                 <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{} {}</text>",
                if anchor == "start" { 46 } else { 58 },
                esc(what),
                esc(d)
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_calendar() {
        let between = |a: &str, b: &str| day(b).zip(day(a)).map(|(b, a)| b - a);
        assert_eq!(between("1970-01-01", "1970-01-02"), Some(1));
        assert_eq!(between("2000-02-28", "2000-03-01"), Some(2));
        assert_eq!(between("2100-02-28", "2100-03-01"), Some(1));
        assert_eq!(between("2015-05-15", "2016-05-16"), Some(367));
        assert_eq!(day("2025-05-27..2025-05-31"), day("2025-05-27"));
        assert_eq!(day("2025"), None);
        assert_eq!(day("2025-13-01"), None);
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(label(77.5), "77.5");
        assert_eq!(label(78.0), "78");
        assert_eq!(label(-0.0001), "0");
        assert_eq!(label(78.571_428), "78.571");
    }
}

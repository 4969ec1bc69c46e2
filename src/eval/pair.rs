//! Comparisons of two dates that orderings of the evidence link
//! (`[[order]]`, see [`crate::evidence::order`]).
//!
//! Each date cell is narrowed at load to the days it can take; two linked
//! cells are also bound together: `b − a` lies in the exact range
//! [`Orders::between`](crate::evidence::order::Orders::between) gives. A
//! comparison of two such cells is decided over the admissible *pairs*
//! (the box of the two intervals cut by that band), not over the box
//! alone: "left before the paper was published" holds when every
//! admissible pair says so, even if both dates are known only to the year.

use crate::date::{Date, DateRange};
use crate::evidence::column::{day_number, days_of, NO_HI, NO_LO};
use crate::evidence::order::{CellRef, Orders};
use crate::interval::Tri;
use crate::plan::{CmpOp, Node, Value};

use super::{internal, Ctx, Event, TableId, R};

/// Bounds on `b − a` in days (`None` for an open end).
pub(super) type Gap = (Option<i64>, Option<i64>);

impl Ctx<'_> {
    /// A date operand with the cell it was read from, when orderings link
    /// that cell (`None` otherwise, and always when the evidence states no
    /// ordering: then this is `eval`).
    pub(super) fn date_side(
        &mut self,
        node: &Node,
        row: Option<(TableId, u32)>,
    ) -> R<(DateRange, Option<CellRef>)> {
        let (v, cell) = if self.ev.orders.is_empty() {
            (self.eval(node, row)?, None)
        } else if let Node::RecField(rec, c) = node {
            // The record once, for its value and its cell.
            self.charge(1, None)?;
            let Value::Record(t, r) = self.eval(rec, row)? else {
                return Err(internal("field of non-record"));
            };
            let cell = CellRef {
                table: t,
                row: r,
                column: *c,
            };
            let v = self.column_value(t, *c, r)?;
            if let Some(trace) = self.trace.as_mut() {
                trace.record_value(node, &v);
            }
            (v, Some(cell))
        } else {
            let v = self.eval(node, row)?;
            (v, self.cell_of(node, row)?)
        };
        let Value::Date(d) = v else {
            return Err(internal("date operand"));
        };
        Ok((d, cell))
    }

    /// The cell a date expression reads, if it is one (a column of the
    /// record in scope, a field of a record, or a definition or
    /// record-independent part that is one).
    fn cell_of(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Option<CellRef>> {
        match node {
            Node::Column(c) => Ok(row.map(|(t, r)| CellRef {
                table: t,
                row: r,
                column: *c,
            })),
            Node::RecField(rec, c) => Ok(match self.eval(rec, row)? {
                Value::Record(t, r) => Some(CellRef {
                    table: t,
                    row: r,
                    column: *c,
                }),
                _ => None,
            }),
            Node::Memo(i, inner) => {
                if let Some(c) = self.cells.get(&(false, *i)) {
                    return Ok(*c);
                }
                let c = self.cell_of(inner, row)?;
                self.cells.insert((false, *i), c);
                Ok(c)
            }
            Node::Def(i) => {
                if let Some(c) = self.cells.get(&(true, *i)) {
                    return Ok(*c);
                }
                let program = self.program;
                let c = match program.defs.get(*i).and_then(|d| d.as_ref()) {
                    Some(body) => self.cell_of(body, None)?,
                    None => None,
                };
                self.cells.insert((true, *i), c);
                Ok(c)
            }
            _ => Ok(None),
        }
    }

    /// Orderings settled what the two dates alone left open: cite their
    /// sources, and say so (at the top level) with the bound of `b − a`.
    pub(super) fn settled_by_link(
        &mut self,
        a: Option<CellRef>,
        b: Option<CellRef>,
        gap: Gap,
        row: Option<(TableId, u32)>,
    ) {
        let (Some(a), Some(b)) = (a, b) else {
            return;
        };
        let linking = self.ev.orders.sources_linking(a);
        for i in linking {
            self.witnesses.cite(*i);
        }
        if row.is_some() {
            return;
        }
        let note = Event::Ordered {
            from: Orders::cell_name(self.ev, a),
            to: Orders::cell_name(self.ev, b),
            days: gap,
            sources: linking
                .iter()
                .filter_map(|i| self.ev.sources.get(*i).map(|s| s.id.clone()))
                .collect(),
        };
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The exact bounds of `b − a` when orderings link both cells.
    pub(super) fn linked(&self, a: Option<CellRef>, b: Option<CellRef>) -> Option<Gap> {
        self.ev.orders.between(a?, b?)
    }
}

/// `a op b` over the admissible pairs, given the bounds of `b − a`.
pub(super) fn cmp_linked(op: CmpOp, gap: Gap) -> Tri {
    let (lo, hi) = gap;
    // Whether `b − a` is always / never at least `k`.
    let always_ge = |k: i64| lo.is_some_and(|l| l >= k);
    let never_ge = |k: i64| hi.is_some_and(|h| h < k);
    let decide = |yes: bool, no: bool| {
        if yes {
            Tri::True
        } else if no {
            Tri::False
        } else {
            Tri::Unknown
        }
    };
    match op {
        // a < b ⇔ b − a ≥ 1
        CmpOp::Lt => decide(always_ge(1), never_ge(1)),
        // a ≤ b ⇔ b − a ≥ 0
        CmpOp::Le => decide(always_ge(0), never_ge(0)),
        // a > b ⇔ b − a ≤ −1
        CmpOp::Gt => decide(never_ge(0), always_ge(0)),
        // a ≥ b ⇔ b − a ≤ 0
        CmpOp::Ge => decide(never_ge(1), always_ge(1)),
        CmpOp::Eq => decide(lo == Some(0) && hi == Some(0), always_ge(1) || never_ge(0)),
        CmpOp::Ne => decide(always_ge(1) || never_ge(0), lo == Some(0) && hi == Some(0)),
    }
}

/// The tighter of two sound answers (they cannot disagree when decided).
pub(super) fn either(a: Tri, b: Tri) -> Tri {
    if a == Tri::Unknown {
        b
    } else {
        a
    }
}

/// `b − a` bounded by both the intervals and the link.
pub(super) fn days_linked(box_gap: Gap, gap: Gap) -> Gap {
    let lo = match (box_gap.0, gap.0) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    let hi = match (box_gap.1, gap.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    (lo, hi)
}

/// Most calendar years [`same_year_linked`] looks through before it
/// settles for the answer of the intervals alone.
const MAX_YEARS: i64 = 400;

fn year_start(y: i64) -> Option<i64> {
    let d = Date::new(i16::try_from(y).ok()?, 1, 1).ok()?;
    Some(i64::from(day_number(d)))
}

/// Whether some `a` in `[a0, a1]` and `b` in `[b0, b1]` have `b − a` in
/// `gap` (ranges of whole days; `b − a` takes every value from `b0 − a1`
/// to `b1 − a0`).
fn meets(a: (i64, i64), b: (i64, i64), gap: Gap) -> bool {
    if a.0 > a.1 || b.0 > b.1 {
        return false;
    }
    let (lo, hi) = (b.0 - a.1, b.1 - a.0);
    gap.0.is_none_or(|g| hi >= g) && gap.1.is_none_or(|g| lo <= g)
}

/// `same_year(a, b)` over the admissible pairs; `None` when a date is
/// open-ended or spans too many years to look through.
pub(super) fn same_year_linked(a: &DateRange, b: &DateRange, gap: Gap) -> Option<Tri> {
    let (al, ah) = days_of(a);
    let (bl, bh) = days_of(b);
    if [al, bl].contains(&NO_LO) || [ah, bh].contains(&NO_HI) {
        return None;
    }
    let (ya, yb) = (a.lo?.year(), a.hi?.year());
    let (ya, yb) = (i64::from(ya), i64::from(yb));
    if yb - ya > MAX_YEARS {
        return None;
    }
    let (al, ah, bl, bh) = (i64::from(al), i64::from(ah), i64::from(bl), i64::from(bh));
    let (mut same, mut differ) = (false, false);
    for y in ya..=yb {
        let (start, next) = (year_start(y)?, year_start(y + 1)?);
        let a_in = (al.max(start), ah.min(next - 1));
        same |= meets(a_in, (bl.max(start), bh.min(next - 1)), gap);
        differ |= meets(a_in, (bl, bh.min(start - 1)), gap) || meets(a_in, (bl.max(next), bh), gap);
        if same && differ {
            break;
        }
    }
    Some(match (same, differ) {
        (true, false) => Tri::True,
        (false, true) => Tri::False,
        _ => Tri::Unknown,
    })
}

//! Filters evaluated a column at a time.
//!
//! A `where` condition made of comparisons between a column and a value
//! that does not depend on the record (`role == "analyst"`,
//! `joined < date("2010-01-01")`, `salary_band >= 9`, `left is known`,
//! `person_id in L`), joined by `and`, `or` and `not`, compiles to a
//! [`Pred`]. It is evaluated over 64 records at a time into two bitmaps:
//! the records for which it is certainly true and those for which it may
//! be true (three-valued logic as bit operations). At most one part that
//! is none of these is evaluated a record at a time, as before.
//!
//! The result is the one the record-at-a-time evaluation gives, record for
//! record: `and` and `or` evaluate their right side only for the records
//! their left side leaves open (as the record-at-a-time evaluation
//! short-circuits), and a value that does not depend on the record is
//! evaluated the first time a record needs it, with that record in scope.

use crate::evidence::column::{Bitmap, ColumnData, NumColumn, NO_CODE, NO_HI, NO_LO};
use crate::evidence::{ColType, Evidence, TableId};
use crate::interval::{Interval, Tri};
use crate::num::Rational;
use crate::resolve::{CmpOp, Node};

use super::{internal, Ctx, Value, R};

/// A compiled condition over the records of one table.
pub(super) enum Pred<'n> {
    /// A constant truth.
    Const(Tri),
    /// Both.
    And(Box<Pred<'n>>, Box<Pred<'n>>),
    /// Either.
    Or(Box<Pred<'n>>, Box<Pred<'n>>),
    /// Negation.
    Not(Box<Pred<'n>>),
    /// A text column (in)equal to a value.
    Text(usize, bool, &'n Node),
    /// A date column compared with a value (column on the left).
    Date(usize, CmpOp, &'n Node),
    /// A number column compared with a value (column on the left).
    Num(usize, CmpOp, &'n Node),
    /// Whether a column is unknown (`true` = `is known`).
    Known(usize, bool),
    /// A text column's membership in a list.
    In(usize, &'n Node),
    /// A boolean column.
    Bool(usize),
    /// Anything else, evaluated a record at a time.
    Row(&'n Node),
}

/// Whether a node's value does not depend on the record in scope.
fn fixed(n: &Node) -> bool {
    matches!(
        n,
        Node::Const(_) | Node::Memo(..) | Node::Def(_) | Node::AsOf | Node::Published
    )
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

/// Compile `node`, a condition on the records of `table`; `None` when it
/// would need more than one record-at-a-time part (the whole condition is
/// then evaluated a record at a time).
pub(super) fn compile<'n>(node: &'n Node, ev: &Evidence, table: TableId) -> Option<Pred<'n>> {
    let mut rows = 0;
    let p = compile_in(node, ev, table, &mut rows);
    (rows <= 1).then_some(p)
}

fn compile_in<'n>(node: &'n Node, ev: &Evidence, table: TableId, rows: &mut usize) -> Pred<'n> {
    let ty = |c: &usize| {
        ev.tables
            .get(table)
            .and_then(|t| t.columns.get(*c))
            .map(|c| c.ty)
    };
    let is_num = |t: Option<ColType>| {
        matches!(
            t,
            Some(ColType::Integer | ColType::Decimal | ColType::Quantity(_))
        )
    };
    match node {
        Node::Const(Value::Bool(t)) => Pred::Const(*t),
        Node::And(a, b) => Pred::And(
            Box::new(compile_in(a, ev, table, rows)),
            Box::new(compile_in(b, ev, table, rows)),
        ),
        Node::Or(a, b) => Pred::Or(
            Box::new(compile_in(a, ev, table, rows)),
            Box::new(compile_in(b, ev, table, rows)),
        ),
        Node::Not(a) => Pred::Not(Box::new(compile_in(a, ev, table, rows))),
        Node::Equal(eq, a, b) => match (&**a, &**b) {
            (Node::Column(c), v) | (v, Node::Column(c))
                if fixed(v) && ty(c) == Some(ColType::Text) =>
            {
                Pred::Text(*c, *eq, v)
            }
            _ => row(node, rows),
        },
        Node::CmpDate(op, a, b) => match (&**a, &**b) {
            // A column an ordering links, compared with what may be a
            // linked cell: a record at a time, so the link is used.
            (Node::Column(c), v) | (v, Node::Column(c))
                if matches!(v, Node::Memo(..) | Node::Def(_))
                    && ev.orders.constrains(table, *c) =>
            {
                row(node, rows)
            }
            (Node::Column(c), v) if fixed(v) && ty(c) == Some(ColType::Date) => {
                Pred::Date(*c, *op, v)
            }
            (v, Node::Column(c)) if fixed(v) && ty(c) == Some(ColType::Date) => {
                Pred::Date(*c, flip(*op), v)
            }
            _ => row(node, rows),
        },
        Node::CmpNum(op, a, b) => match (&**a, &**b) {
            (Node::Column(c), v) if fixed(v) && is_num(ty(c)) => Pred::Num(*c, *op, v),
            (v, Node::Column(c)) if fixed(v) && is_num(ty(c)) => Pred::Num(*c, flip(*op), v),
            _ => row(node, rows),
        },
        Node::IsUnknown(a, known) => match &**a {
            Node::Column(c) if ty(c).is_some() => Pred::Known(*c, *known),
            _ => row(node, rows),
        },
        Node::In(a, l) => match (&**a, &**l) {
            (Node::Column(c), l) if fixed(l) && ty(c) == Some(ColType::Text) => Pred::In(*c, l),
            _ => row(node, rows),
        },
        Node::Column(c) if ty(c) == Some(ColType::Boolean) => Pred::Bool(*c),
        _ => row(node, rows),
    }
}

fn row<'n>(node: &'n Node, rows: &mut usize) -> Pred<'n> {
    *rows += 1;
    Pred::Row(node)
}

/// Truth of a condition over some records: `certain` ⊆ `possible` ⊆ the
/// records asked about.
#[derive(Clone)]
pub(crate) struct Truth {
    /// Records for which it is certainly true.
    pub certain: Bitmap,
    /// Records for which it may be true.
    pub possible: Bitmap,
}

/// Most named texts for which `in` compares each record's code with each
/// of them (more are looked up a record at a time).
const FEW_CODES: usize = 8;

/// Most bytes of condition results kept for reuse by later claims.
const SHARED_BYTES: usize = 24 << 20;

/// A condition's truth over every record of a table, kept for reuse:
/// `certain` only when it differs from `possible` (a condition on known
/// cells is certain wherever possible).
struct Kept {
    possible: Bitmap,
    certain: Option<Bitmap>,
}

impl Kept {
    fn new(t: Truth) -> Kept {
        let certain = (t.certain != t.possible).then_some(t.certain);
        Kept {
            possible: t.possible,
            certain,
        }
    }

    fn bytes(&self) -> usize {
        8 * (self.possible.words().len() + self.certain.as_ref().map_or(0, |c| c.words().len()))
    }

    /// The truth for the records of `need` only.
    fn restrict(&self, need: &Bitmap) -> Truth {
        let possible = self.possible.and(need);
        let certain = match &self.certain {
            Some(c) => c.and(need),
            None => possible.clone(),
        };
        Truth { certain, possible }
    }
}

/// Results of simple conditions (a column compared with a value), kept
/// for every claim of a run: the same `org == "X"` in a hundred claims
/// scans the column once. A condition is kept the second time it is
/// asked for (one asked for once is not worth the memory), while the kept
/// results take at most 24 MiB.
#[derive(Default)]
pub struct Shared {
    leaves: std::sync::Mutex<SharedState>,
}

#[derive(Default)]
struct SharedState {
    kept: std::collections::HashMap<String, std::sync::Arc<Kept>>,
    /// Conditions asked for once so far.
    asked: std::collections::HashSet<String>,
    bytes: usize,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared")
    }
}

/// What the shared results say of a condition.
enum Lookup {
    /// Kept: its truth for every record.
    Kept(std::sync::Arc<Kept>),
    /// Asked for before: worth computing for every record and keeping.
    Again,
    /// Asked for the first time (or no room left): compute what is needed.
    First,
}

impl Shared {
    fn lookup(&self, key: &str) -> Lookup {
        let Ok(mut g) = self.leaves.lock() else {
            return Lookup::First;
        };
        if let Some(k) = g.kept.get(key) {
            return Lookup::Kept(k.clone());
        }
        if g.bytes >= SHARED_BYTES || g.asked.insert(key.to_string()) {
            Lookup::First
        } else {
            Lookup::Again
        }
    }

    fn put(&self, key: String, t: Truth) -> std::sync::Arc<Kept> {
        let k = std::sync::Arc::new(Kept::new(t));
        if let Ok(mut g) = self.leaves.lock() {
            if g.bytes + k.bytes() <= SHARED_BYTES {
                g.bytes += k.bytes();
                g.asked.remove(&key);
                g.kept.insert(key, k.clone());
            }
        }
        k
    }
}

/// Build a result a word (64 records) at a time: `f(word index, need
/// word)` returns the (certain, possible) bits of the records of that word
/// (only the `need` bits are kept).
fn by_word(need: &Bitmap, mut f: impl FnMut(usize, u64) -> (u64, u64)) -> Truth {
    let n = need.words().len();
    let mut c = Vec::with_capacity(n);
    let mut p = Vec::with_capacity(n);
    for (i, w) in need.words().iter().enumerate() {
        if *w == 0 {
            c.push(0);
            p.push(0);
            continue;
        }
        let (ci, pi) = f(i, *w);
        c.push(ci & pi & w);
        p.push(pi & w);
    }
    Truth {
        certain: Bitmap::from_words(need.len(), c),
        possible: Bitmap::from_words(need.len(), p),
    }
}

/// Bits of a word of records from a per-record test on a slice.
#[inline]
pub(super) fn bits<T>(xs: &[T], word: usize, f: impl Fn(&T) -> bool) -> u64 {
    let start = word * 64;
    if let Some(full) = xs.get(start..start + 64) {
        // A whole word: the tests into bytes (a loop the compiler turns
        // into vector compares), then eight bytes of 0 or 1 at a time
        // packed into eight bits by one multiplication.
        let mut flags = [0u8; 64];
        for (b, x) in flags.iter_mut().zip(full) {
            *b = u8::from(f(x));
        }
        let mut out = 0u64;
        for (i, eight) in flags.chunks_exact(8).enumerate() {
            let mut w = [0u8; 8];
            w.copy_from_slice(eight);
            let packed = u64::from_le_bytes(w).wrapping_mul(0x0102_0408_1020_4080) >> 56;
            out |= packed << (8 * i);
        }
        return out;
    }
    let end = (start + 64).min(xs.len());
    let mut out = 0u64;
    if let Some(chunk) = xs.get(start..end) {
        for (i, x) in chunk.iter().enumerate() {
            out |= u64::from(f(x)) << i;
        }
    }
    out
}

/// `n / d` rounded down and up (`d > 0`).
fn floor_ceil(r: Rational) -> (i128, i128) {
    let (n, d) = (r.numer(), r.denom());
    let f = n.div_euclid(d);
    let c = if n.rem_euclid(d) == 0 { f } else { f + 1 };
    (f, c)
}

fn tri_bits(t: Tri) -> (u64, u64) {
    match t {
        Tri::True => (u64::MAX, u64::MAX),
        Tri::Unknown => (0, u64::MAX),
        Tri::False => (0, 0),
    }
}

impl Ctx<'_> {
    /// The truth of `p` for the records of `table` in `need`.
    pub(super) fn truth_of(&mut self, p: &Pred<'_>, table: TableId, need: &Bitmap) -> R<Truth> {
        if need.is_empty() {
            return Ok(Truth {
                certain: need.clone(),
                possible: need.clone(),
            });
        }
        let n = need.count();
        self.charge(n, None)?;
        match p {
            Pred::Const(t) => {
                let (c, q) = tri_bits(*t);
                Ok(by_word(need, |_, _| (c, q)))
            }
            Pred::And(a, b) => {
                let ra = self.truth_of(a, table, need)?;
                let rb = self.truth_of(b, table, &ra.possible)?;
                Ok(Truth {
                    certain: ra.certain.and(&rb.certain),
                    possible: rb.possible,
                })
            }
            Pred::Or(a, b) => {
                let ra = self.truth_of(a, table, need)?;
                let rest = need.and_not(&ra.certain);
                let rb = self.truth_of(b, table, &rest)?;
                Ok(Truth {
                    certain: ra.certain.or(&rb.certain),
                    possible: ra.possible.or(&rb.possible),
                })
            }
            Pred::Not(a) => {
                let r = self.truth_of(a, table, need)?;
                Ok(Truth {
                    certain: need.and_not(&r.possible),
                    possible: need.and_not(&r.certain),
                })
            }
            Pred::Row(node) => {
                let mut certain = Bitmap::zeros(need.len());
                let mut possible = Bitmap::zeros(need.len());
                for r in need.iter() {
                    match self.truth(node, Some((table, r)))? {
                        Tri::True => {
                            certain.set(r as usize);
                            possible.set(r as usize);
                        }
                        Tri::Unknown => possible.set(r as usize),
                        Tri::False => {}
                    }
                }
                Ok(Truth { certain, possible })
            }
            leaf => self.leaf(leaf, table, need),
        }
    }

    /// A value that does not depend on the record, evaluated with the
    /// first record that needs it in scope.
    fn fixed_value(&mut self, v: &Node, table: TableId, need: &Bitmap) -> R<Value> {
        let first = need.first();
        self.eval(v, first.map(|r| (table, r)))
    }

    /// A leaf's truth for `need`, through the run's shared results when
    /// the leaf has a `key`: computed for what is needed the first time it
    /// is asked for, for every record the second time (then kept and
    /// reused).
    fn cached(&self, key: Option<String>, need: &Bitmap, f: impl Fn(&Bitmap) -> Truth) -> Truth {
        let (Some(shared), Some(key)) = (self.shared, key) else {
            return f(need);
        };
        match shared.lookup(&key) {
            Lookup::Kept(k) => k.restrict(need),
            Lookup::First => f(need),
            Lookup::Again => shared.put(key, f(&Bitmap::ones(need.len()))).restrict(need),
        }
    }

    fn leaf(&mut self, p: &Pred<'_>, table: TableId, need: &Bitmap) -> R<Truth> {
        let ev = self.ev;
        let col = |c: &usize| {
            ev.tables
                .get(table)
                .and_then(|t| t.columns.get(*c))
                .ok_or_else(|| internal("column"))
        };
        match p {
            Pred::Text(c, eq, v) => {
                let ColumnData::Text(tc) = &col(c)?.data else {
                    return Err(internal("text column"));
                };
                let value = self.fixed_value(v, table, need)?;
                let Value::Text(value) = value else {
                    return Err(internal("text value"));
                };
                // A text the column does not have matches no record.
                let code = value
                    .as_ref()
                    .map(|t| tc.dict.code(t).unwrap_or(NO_CODE - 1));
                let eq = *eq;
                let key = format!("{table}/{c}/text/{eq}/{value:?}");
                Ok(self.cached(Some(key), need, |need| {
                    by_word(need, |w, _| {
                        let unk = bits(&tc.codes, w, |x| *x == NO_CODE);
                        let (c, p) = match code {
                            Some(k) => {
                                let hit = bits(&tc.codes, w, |x| *x == k);
                                (hit, hit | unk)
                            }
                            None => (0, u64::MAX),
                        };
                        if eq {
                            (c, p)
                        } else {
                            (!p, !c)
                        }
                    })
                }))
            }
            Pred::Date(c, op, v) => {
                let ColumnData::Date(dc) = &col(c)?.data else {
                    return Err(internal("date column"));
                };
                let Value::Date(d) = self.fixed_value(v, table, need)? else {
                    return Err(internal("date value"));
                };
                let (ylo, yhi) = crate::evidence::column::days_of(&d);
                let op = *op;
                let (lo, hi) = (&dc.lo, &dc.hi);
                let key = format!("{table}/{c}/date/{op:?}/{ylo}/{yhi}");
                // (true for every admissible pair, false for every one)
                Ok(self.cached(Some(key), need, |need| match op {
                    CmpOp::Lt => by_word(need, |w, _| {
                        (bits(hi, w, |h| *h < ylo), !bits(lo, w, |l| *l >= yhi))
                    }),
                    CmpOp::Le => by_word(need, |w, _| {
                        (bits(hi, w, |h| *h <= ylo), !bits(lo, w, |l| *l > yhi))
                    }),
                    CmpOp::Gt => by_word(need, |w, _| {
                        (bits(lo, w, |l| yhi < *l), !bits(hi, w, |h| ylo >= *h))
                    }),
                    CmpOp::Ge => by_word(need, |w, _| {
                        (bits(lo, w, |l| yhi <= *l), !bits(hi, w, |h| ylo > *h))
                    }),
                    CmpOp::Eq | CmpOp::Ne => {
                        let day = ylo == yhi && ylo != NO_LO && yhi != NO_HI;
                        let eq = op == CmpOp::Eq;
                        by_word(need, |w, _| {
                            let same = if day {
                                bits(lo, w, |l| *l == ylo) & bits(hi, w, |h| *h == yhi)
                            } else {
                                0
                            };
                            let disjoint = bits(hi, w, |h| *h < ylo) | bits(lo, w, |l| yhi < *l);
                            if eq {
                                (same, !disjoint)
                            } else {
                                (disjoint, !same)
                            }
                        })
                    }
                }))
            }
            Pred::Num(c, op, v) => {
                let ColumnData::Num(nc) = &col(c)?.data else {
                    return Err(internal("number column"));
                };
                let Value::Num(y, _) = self.fixed_value(v, table, need)? else {
                    return Err(internal("number value"));
                };
                let op = *op;
                let key = format!("{table}/{c}/num/{op:?}/{y:?}");
                Ok(self.cached(Some(key), need, |need| num_leaf(nc, op, &y, need)))
            }
            Pred::Known(c, known) => {
                let data = &col(c)?.data;
                let known = *known;
                let unknown = |w: usize| -> u64 {
                    match data {
                        ColumnData::Text(tc) => bits(&tc.codes, w, |x| *x == NO_CODE),
                        ColumnData::Date(dc) => {
                            bits(&dc.lo, w, |x| *x == NO_LO) & bits(&dc.hi, w, |x| *x == NO_HI)
                        }
                        ColumnData::Num(nc) => {
                            let start = (w * 64) as u32;
                            let mut out = 0u64;
                            for (r, v) in nc.other.range(start..start.saturating_add(64)) {
                                let unb = match v {
                                    None => true,
                                    Some(iv) => {
                                        iv.lo() == crate::interval::Bound::Unbounded
                                            && iv.hi() == crate::interval::Bound::Unbounded
                                    }
                                };
                                out |= u64::from(unb) << (r - start);
                            }
                            out
                        }
                        ColumnData::Bool(bc) => !bc.known.words().get(w).copied().unwrap_or(0),
                        ColumnData::List(lc) => {
                            let start = (w * 64) as u32;
                            let mut out = 0u64;
                            for r in lc.unknown.range(start..start.saturating_add(64)) {
                                out |= 1u64 << (r - start);
                            }
                            out
                        }
                    }
                };
                let key = format!("{table}/{c}/known/{known}");
                Ok(self.cached(Some(key), need, |need| {
                    by_word(need, |w, _| {
                        let u = unknown(w);
                        let t = if known { !u } else { u };
                        (t, t)
                    })
                }))
            }
            Pred::In(c, l) => {
                let ColumnData::Text(tc) = &col(c)?.data else {
                    return Err(internal("text column"));
                };
                let Value::List(l) = self.fixed_value(l, table, need)? else {
                    return Err(internal("list value"));
                };
                // Membership of the texts the column has, as bitmaps over
                // its codes; any other text's is that of a text the list
                // does not name.
                let absent = if l.open { Tri::Unknown } else { Tri::False };
                let codes = tc.dict.len();
                let mut named = Bitmap::zeros(codes);
                let mut member_c = Bitmap::zeros(codes);
                let mut member_p = Bitmap::zeros(codes);
                for (t, _) in &l.items {
                    if let Some(code) = tc.dict.code(t) {
                        let i = code as usize;
                        named.set(i);
                        let (c, p) = tri_bits(l.membership(t));
                        if c != 0 {
                            member_c.set(i);
                        }
                        if p != 0 {
                            member_p.set(i);
                        }
                    }
                }
                let of_code = |k: u32| -> Tri {
                    let i = k as usize;
                    if !named.get(i) {
                        absent
                    } else if member_c.get(i) {
                        Tri::True
                    } else if member_p.get(i) {
                        Tri::Unknown
                    } else {
                        Tri::False
                    }
                };
                let unknown_cell = if l.items.is_empty() && !l.open {
                    Tri::False
                } else {
                    Tri::Unknown
                };
                let named_codes: Vec<u32> = named.iter().collect();
                if named_codes.len() <= FEW_CODES {
                    // A few texts named (the usual `id in (… where name ==
                    // …).id`): a vector compare per named code, not a
                    // lookup per record.
                    let (ab_c, ab_p) = tri_bits(absent);
                    let (uc_c, uc_p) = tri_bits(unknown_cell);
                    return Ok(by_word(need, |w, _| {
                        let unk = bits(&tc.codes, w, |x| *x == NO_CODE);
                        let (mut c, mut p, mut any) = (0u64, 0u64, unk);
                        for k in &named_codes {
                            let hit = bits(&tc.codes, w, |x| *x == *k);
                            let (ci, pi) = tri_bits(of_code(*k));
                            c |= hit & ci;
                            p |= hit & pi;
                            any |= hit;
                        }
                        let rest = !any;
                        (
                            c | (unk & uc_c) | (rest & ab_c),
                            p | (unk & uc_p) | (rest & ab_p),
                        )
                    }));
                }
                Ok(by_word(need, |w, need_w| {
                    let (mut c, mut p) = (0u64, 0u64);
                    let mut m = need_w;
                    while m != 0 {
                        let b = m.trailing_zeros();
                        m &= m - 1;
                        let code = tc.codes.get(w * 64 + b as usize).copied();
                        let t = match code {
                            Some(NO_CODE) | None => unknown_cell,
                            Some(k) => of_code(k),
                        };
                        let (ci, pi) = tri_bits(t);
                        c |= ci & (1 << b);
                        p |= pi & (1 << b);
                    }
                    (c, p)
                }))
            }
            Pred::Bool(c) => {
                let ColumnData::Bool(bc) = &col(c)?.data else {
                    return Err(internal("boolean column"));
                };
                Ok(by_word(need, |w, _| {
                    let k = bc.known.words().get(w).copied().unwrap_or(0);
                    let v = bc.value.words().get(w).copied().unwrap_or(0);
                    (k & v, !k | v)
                }))
            }
            _ => Err(internal("leaf")),
        }
    }
}

/// A number column compared with `y`.
/// The scaled points `v` (an `i64`) for which `v op y` holds, as a range
/// `a..=b` of `i64` (`None`: none), where `fl` and `ce` are `y` scaled
/// and rounded down and up (`integral`: `y` scaled is an integer). For
/// `!=` the range is that of `==` (the points outside it compare true).
fn point_range(op: CmpOp, fl: i128, ce: i128, integral: bool) -> Option<(i64, i64)> {
    let (lo, hi) = match op {
        CmpOp::Lt => (i128::MIN, ce.checked_sub(1)?),
        CmpOp::Le => (i128::MIN, fl),
        CmpOp::Gt => (fl.checked_add(1)?, i128::MAX),
        CmpOp::Ge => (ce, i128::MAX),
        CmpOp::Eq | CmpOp::Ne if integral => (fl, fl),
        CmpOp::Eq | CmpOp::Ne => return None,
    };
    let lo = lo.max(i128::from(i64::MIN));
    let hi = hi.min(i128::from(i64::MAX));
    if lo > hi {
        return None;
    }
    Some((i64::try_from(lo).ok()?, i64::try_from(hi).ok()?))
}

fn num_leaf(nc: &NumColumn, op: CmpOp, y: &Interval, need: &Bitmap) -> Truth {
    let exact = |iv: &Interval| -> Tri {
        match op {
            CmpOp::Eq => iv.eq3(y),
            CmpOp::Ne => iv.eq3(y).not(),
            CmpOp::Lt => iv.lt(y),
            CmpOp::Le => iv.le(y),
            CmpOp::Gt => iv.gt(y),
            CmpOp::Ge => iv.ge(y),
        }
    };
    // A point compared with the point `q`, on the scaled integers: the
    // thresholds q·10^exp rounded down and up.
    let threshold = y
        .as_point()
        .and_then(|q| Some((q, q.checked_mul(Rational::pow10(nc.exp).ok()?).ok()?)))
        .map(|(_, s)| (floor_ceil(s), s.is_integer()));
    by_word(need, |w, need_w| {
        let start = w * 64;
        let (mut t, mut p) = match threshold {
            Some(((fl, ce), integral)) => {
                // Points compare definitely: each is in a range of i64
                // (or, for `!=`, outside one), two compares per point.
                let t = match point_range(op, fl, ce, integral) {
                    Some((a, b)) => bits(&nc.scaled, w, |v| a <= *v && *v <= b),
                    None => 0,
                };
                let t = if op == CmpOp::Ne { !t } else { t };
                (t, t)
            }
            None => {
                let (mut c, mut p) = (0u64, 0u64);
                let mut m = need_w;
                while m != 0 {
                    let b = m.trailing_zeros();
                    m &= m - 1;
                    let point = nc
                        .scaled
                        .get(start + b as usize)
                        .and_then(|v| nc.point(*v))
                        .map(Interval::point);
                    if let Some(iv) = point {
                        let (ci, pi) = tri_bits(exact(&iv));
                        c |= ci & (1 << b);
                        p |= pi & (1 << b);
                    }
                }
                (c, p)
            }
        };
        // The records kept apart need intervals.
        let lo = start as u32;
        for (r, v) in nc.other.range(lo..lo.saturating_add(64)) {
            let b = r - lo;
            t &= !(1u64 << b);
            p &= !(1u64 << b);
            let iv = v.unwrap_or_else(Interval::unbounded);
            let (ci, pi) = tri_bits(exact(&iv));
            t |= ci & (1 << b);
            p |= pi & (1 << b);
        }
        (t, p)
    })
}

#[cfg(test)]
mod tests {
    //! The column-at-a-time evaluation against the record-at-a-time one,
    //! on random tables and random conditions: the same truth for every
    //! record, whatever records are asked about.

    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::date::{parse_date_value, DateRange};
    use crate::diag::Files;
    use crate::evidence::load_from;
    use crate::expr::Unit;
    use crate::resolve::Program;

    use super::super::ListVal;

    const TEXTS: &[&str] = &["a", "b", "c", "", "unknown"];
    const DATES: &[&str] = &[
        "2020-05-01",
        "2020-05-02",
        "2020-05",
        "2020",
        "2019-12-31..2020-05-01",
        "2020-05-01..",
        "..2020-05-01",
        "",
    ];
    const NUMS: &[&str] = &[
        "0",
        "1",
        "0.5",
        "-3.25",
        "12",
        "123456789012345678901234",
        "",
    ];
    const BOOLS: &[&str] = &["true", "false", ""];
    const LISTS: &[&str] = &["a;b", "a", "", "unknown"];

    fn evidence(rows: &[(usize, usize, usize, usize, usize)]) -> Evidence {
        let sources = "[[source]]\nid = \"s\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/\"\ndate = \"2025\"\n";
        let table = "[table]\nname = \"t\"\ndescription = \"d\"\nkey = \"id\"\ncsv = \"t.csv\"\n\
            [[column]]\nname = \"id\"\ntype = \"text\"\n\
            [[column]]\nname = \"tx\"\ntype = \"text\"\n\
            [[column]]\nname = \"d\"\ntype = \"date\"\n\
            [[column]]\nname = \"n\"\ntype = \"decimal\"\n\
            [[column]]\nname = \"b\"\ntype = \"boolean\"\n\
            [[column]]\nname = \"l\"\ntype = \"list\"\n";
        let mut csv = String::from("id,tx,d,n,b,l,sources\n");
        for (i, (t, d, n, b, l)) in rows.iter().enumerate() {
            csv.push_str(&format!(
                "r{i},{},{},{},{},{},s\n",
                TEXTS[*t], DATES[*d], NUMS[*n], BOOLS[*b], LISTS[*l]
            ));
        }
        let mut files = Files::default();
        let mut diags = Vec::new();
        let ev = load_from(
            vec![
                ("evidence/sources.toml".into(), sources.into()),
                ("evidence/t.toml".into(), table.into()),
                ("evidence/t.csv".into(), csv),
            ],
            &mut files,
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        ev
    }

    fn col(c: usize) -> Box<Node> {
        Box::new(Node::Column(c))
    }

    fn konst(v: Value) -> Box<Node> {
        Box::new(Node::Const(v))
    }

    fn ops() -> impl Strategy<Value = CmpOp> {
        prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge),
        ]
    }

    fn leaf() -> impl Strategy<Value = Node> {
        let text = prop_oneof![
            Just(None),
            Just(Some("a")),
            Just(Some("b")),
            Just(Some("zz"))
        ];
        let date = prop::sample::select(&DATES[..7]);
        let num = prop_oneof![
            (-8i128..30, 1i128..5)
                .prop_map(|(n, d)| Interval::point(Rational::new(n, d).unwrap_or(Rational::ZERO))),
            Just(Interval::unbounded()),
            (0i128..4).prop_map(|a| Interval::closed(
                Rational::from_int(a),
                Rational::from_int(a + 2)
            )
            .unwrap_or_else(Interval::unbounded)),
        ];
        prop_oneof![
            (any::<bool>(), text.clone(), any::<bool>()).prop_map(|(eq, t, flip)| {
                let v = konst(Value::Text(t.map(Arc::from)));
                if flip {
                    Node::Equal(eq, v, col(1))
                } else {
                    Node::Equal(eq, col(1), v)
                }
            }),
            (ops(), date, any::<bool>()).prop_map(|(op, d, flip)| {
                let v = konst(Value::Date(
                    parse_date_value(d).unwrap_or(DateRange::unknown()),
                ));
                if flip {
                    Node::CmpDate(op, v, col(2))
                } else {
                    Node::CmpDate(op, col(2), v)
                }
            }),
            (ops(), num, any::<bool>()).prop_map(|(op, iv, flip)| {
                let v = konst(Value::Num(iv, Unit::None));
                if flip {
                    Node::CmpNum(op, v, col(3))
                } else {
                    Node::CmpNum(op, col(3), v)
                }
            }),
            (1usize..6, any::<bool>()).prop_map(|(c, k)| Node::IsUnknown(col(c), k)),
            (
                prop::collection::vec((text, any::<bool>()), 0..3),
                any::<bool>()
            )
                .prop_map(|(items, open)| {
                    let items = items
                        .into_iter()
                        .filter_map(|(t, sure)| {
                            t.map(|t| (Arc::from(t), if sure { Tri::True } else { Tri::Unknown }))
                        })
                        .collect();
                    Node::In(
                        col(1),
                        konst(Value::List(Arc::new(ListVal::new(items, open)))),
                    )
                }),
            Just(Node::Column(4)),
            prop_oneof![Just(Tri::True), Just(Tri::False), Just(Tri::Unknown)]
                .prop_map(|t| Node::Const(Value::Bool(t))),
            // Not compiled: evaluated a record at a time.
            Just(Node::CmpDate(CmpOp::Le, col(2), col(2))),
        ]
    }

    fn pred() -> impl Strategy<Value = Node> {
        leaf().prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Node::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Node::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|a| Node::Not(Box::new(a))),
            ]
        })
    }

    proptest! {
        #[test]
        fn point_ranges_are_the_comparisons(
            v in prop_oneof![any::<i64>(), -5i64..5, Just(i64::MIN), Just(i64::MAX)],
            fl in prop_oneof![any::<i128>(), -5i128..5, Just(i128::MIN), Just(i128::MAX),
                              Just(i128::from(i64::MAX)), Just(i128::from(i64::MIN))],
            up in any::<bool>(),
        ) {
            // y scaled is fl (integral) or between fl and fl + 1.
            let (ce, integral) = match fl.checked_add(1) {
                Some(c) if up => (c, false),
                _ => (fl, true),
            };
            let x = i128::from(v);
            for op in [CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne] {
                let want = match op {
                    CmpOp::Lt => x < ce,
                    CmpOp::Le => x <= fl,
                    CmpOp::Gt => x > fl,
                    CmpOp::Ge => x >= ce,
                    CmpOp::Eq => integral && x == fl,
                    CmpOp::Ne => !(integral && x == fl),
                };
                let inside = point_range(op, fl, ce, integral).is_some_and(|(a, b)| a <= v && v <= b);
                prop_assert_eq!(if op == CmpOp::Ne { !inside } else { inside }, want, "{:?}", op);
            }
        }
    }

    proptest! {
        #[test]
        fn bits_are_the_tests_of_each_record(xs in proptest::collection::vec(0u8..4, 0..300), k in 0u8..4) {
            for w in 0..xs.len().div_ceil(64) + 1 {
                let mut want = 0u64;
                for (i, x) in xs.iter().skip(w * 64).take(64).enumerate() {
                    want |= u64::from(*x >= k) << i;
                }
                prop_assert_eq!(bits(&xs, w, |x| *x >= k), want);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn columns_agree_with_records(
            rows in prop::collection::vec((0..5usize, 0..8usize, 0..7usize, 0..3usize, 0..4usize), 0..150),
            p in pred(),
            mask in prop::collection::vec(any::<bool>(), 150),
        ) {
            let ev = evidence(&rows);
            let program = Program { defs: Vec::new(), def_names: Vec::new(), memo_slots: 0 };
            let day = DateRange::unknown();
            let mut ctx = Ctx::new(&ev, &program, day, day);
            let n = rows.len();
            let mut need = Bitmap::zeros(n);
            for (i, m) in mask.iter().take(n).enumerate() {
                if *m {
                    need.set(i);
                }
            }
            let Some(compiled) = compile(&p, &ev, 0) else {
                // More than one record-at-a-time part: not compiled.
                return Ok(());
            };
            let t = ctx.truth_of(&compiled, 0, &need).unwrap();
            // Through a cache shared by claims: filled on every record,
            // then reused for `need`.
            let shared = Shared::default();
            let mut sharing = Ctx::new(&ev, &program, day, day);
            sharing.share(&shared);
            sharing.truth_of(&compiled, 0, &Bitmap::ones(n)).unwrap();
            let again = sharing.truth_of(&compiled, 0, &need).unwrap();
            prop_assert!(again.certain == t.certain && again.possible == t.possible);
            for r in 0..n as u32 {
                let want = if need.get(r as usize) {
                    ctx.truth(&p, Some((0, r))).unwrap()
                } else {
                    Tri::False
                };
                let got = match (t.certain.get(r as usize), t.possible.get(r as usize)) {
                    (true, true) => Tri::True,
                    (false, true) => Tri::Unknown,
                    (false, false) => Tri::False,
                    (true, false) => panic!("certain but not possible"),
                };
                prop_assert_eq!(got, want, "record {} of {:?}: {:?}", r, rows.get(r as usize), p);
            }
        }
    }
}

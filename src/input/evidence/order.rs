//! Orderings between dates of the evidence: `[[order]]` entries in a table
//! file.
//!
//! A source often gives the order of two events without their dates ("by
//! the time the paper was published, she had left"). An `[[order]]` states
//! that one date cell is before another, optionally by a gap (`"at least
//! 30 days"`), and cites its own sources:
//!
//! ```toml
//! [[order]]
//! earlier = 'employment["lee-acme"].end'
//! later = 'papers["widgets"].published'
//! gap = "more than 0 days"      # optional; this is the default (strictly before)
//! sources = ["acme-history"]
//! ```
//!
//! Each ordering is a difference constraint between two day numbers
//! (`later − earlier ∈ [gap_lo, gap_hi]`); each cell's own interval bounds
//! its day. The admissible worlds are the assignments of a day to every
//! cell that satisfy both. Once, at load, for each group of cells linked by
//! orderings (a component, at most [`MAX_LINKED`] cells), the tight bound
//! of every difference `x_j − x_i` is computed (all-pairs shortest paths,
//! built one ordering at a time so that the first ordering that makes the
//! system unsatisfiable is the one reported). Then:
//!
//! - every cell is narrowed in place to the days it can take in some
//!   admissible world (so filters, aggregates and `timeline`'s change points
//!   all read the narrowed dates);
//! - a comparison of two linked cells uses the exact bound of their
//!   difference ([`Orders::between`]);
//! - every record with a linked cell also cites the sources of its
//!   component's orderings.
//!
//! Difference constraints are totally unimodular: the shortest-path bounds
//! are attained by integer worlds, so both uses are exact, not only sound.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, FileId};
use crate::expr::Unit;
use crate::interval::Bound;
use crate::num::Rational;
use crate::statement::quantity_interval;

use super::alternatives::{date_cell, CellChecks};
use super::column::{date_of, ColumnData, NO_HI, NO_LO};
use super::{Evidence, TableId};

/// Most date cells one group of linked orderings may join: the bounds of
/// a group cost the square of its size per ordering, and a group larger
/// than this is an `evidence/order-too-large` error.
pub const MAX_LINKED: usize = 64;

/// Most orderings a dataset may state: each costs up to the square of
/// [`MAX_LINKED`] steps and memory, so the bound keeps loading a hostile
/// dataset within about half a billion steps.
pub const MAX_ORDERS: usize = 100_000;

/// Largest gap, in days, an ordering may state (about 2,700 years).
pub const MAX_GAP_DAYS: i64 = 1_000_000;

/// No bound: larger than any sum of bounds a group can hold.
const INF: i64 = i64::MAX / 4;

/// An `[[order]]` as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Order")]
pub(crate) struct RawOrder {
    #[schemars(with = "String")]
    earlier: Spanned<String>,
    #[schemars(with = "String")]
    later: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "String")]
    gap: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    sources: Vec<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

/// One date cell: a column of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The table.
    pub table: TableId,
    /// The record.
    pub row: u32,
    /// The column (a date column).
    pub column: usize,
}

/// A resolved ordering: `later − earlier` lies in `gap` (in days; `None`
/// for no bound).
#[derive(Debug, Clone)]
pub struct Order {
    /// The earlier cell.
    pub earlier: CellRef,
    /// The later cell.
    pub later: CellRef,
    /// Least and greatest number of days from `earlier` to `later`.
    pub gap: (Option<i64>, Option<i64>),
    /// Sources (indices into [`Evidence::sources`]).
    pub sources: Vec<usize>,
    /// The note, if any.
    pub note: Option<String>,
    /// Where it is written.
    pub file: FileId,
    /// Its span in that file.
    pub span: Range<usize>,
}

/// A group of cells linked by orderings, with the tight bound of every
/// difference between them.
#[derive(Debug, Clone)]
struct Group {
    /// Number of cells.
    n: usize,
    /// `dist[i * n + j]`: the greatest `x_j − x_i` of any admissible world
    /// ([`INF`] for none).
    dist: Vec<i64>,
}

impl Group {
    fn d(&self, i: usize, j: usize) -> i64 {
        self.dist.get(i * self.n + j).copied().unwrap_or(INF)
    }
}

/// The orderings of a dataset, resolved.
#[derive(Debug, Clone, Default)]
pub struct Orders {
    /// As written, until every table is loaded.
    pending: Vec<(FileId, Spanned<RawOrder>)>,
    /// Every ordering that resolved and is consistent, in file order.
    pub orders: Vec<Order>,
    /// Each linked cell's group and index in it.
    slot: HashMap<CellRef, (usize, usize)>,
    groups: Vec<Group>,
    /// The sources of each group's orderings, in order, each once.
    group_sources: Vec<Vec<usize>>,
    /// Date columns with a linked cell.
    columns: BTreeSet<(TableId, usize)>,
}

impl Orders {
    /// Whether no ordering waits to be resolved.
    pub(super) fn pending_is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Whether the dataset states no ordering (then nothing costs more).
    pub fn is_empty(&self) -> bool {
        self.slot.is_empty()
    }

    /// Whether a cell of column `column` of `table` is linked by an
    /// ordering.
    pub fn constrains(&self, table: TableId, column: usize) -> bool {
        !self.columns.is_empty() && self.columns.contains(&(table, column))
    }

    /// The least and greatest `b − a`, in days, over the admissible worlds,
    /// when orderings link `a` and `b` (`None` for an open end); `None`
    /// when they are not linked.
    pub fn between(&self, a: CellRef, b: CellRef) -> Option<(Option<i64>, Option<i64>)> {
        let (ga, i) = *self.slot.get(&a)?;
        let (gb, j) = *self.slot.get(&b)?;
        if ga != gb {
            return None;
        }
        let g = self.groups.get(ga)?;
        // Index 0 of a group is the day 0 every bound is relative to.
        let (i, j) = (i + 1, j + 1);
        let hi = g.d(i, j);
        let lo = g.d(j, i);
        Some((
            (lo < INF).then(|| lo.saturating_neg()),
            (hi < INF).then_some(hi),
        ))
    }

    /// The sources of the orderings that link `cell` to other cells (its
    /// group's), in order, each once.
    pub fn sources_linking(&self, cell: CellRef) -> &[usize] {
        self.slot
            .get(&cell)
            .and_then(|(g, _)| self.group_sources.get(*g))
            .map_or(&[], |v| v.as_slice())
    }

    /// The tables of the cells linked to `cell` by orderings (its
    /// group's), `cell`'s own included; empty when it is not linked.
    pub fn linked_tables(&self, cell: CellRef) -> BTreeSet<TableId> {
        let Some((g, _)) = self.slot.get(&cell) else {
            return BTreeSet::new();
        };
        self.slot
            .iter()
            .filter(|(_, (h, _))| h == g)
            .map(|(c, _)| c.table)
            .collect()
    }

    /// A cell as written in an expression: `table["key"].column`.
    pub fn cell_name(ev: &Evidence, c: CellRef) -> String {
        let t = ev.tables.get(c.table);
        format!(
            "{}[\"{}\"].{}",
            t.map_or("?", |t| t.name.as_str()),
            t.map_or_else(|| "?".into(), |t| t.key_of(c.row).to_string()),
            t.and_then(|t| t.columns.get(c.column))
                .map_or("?", |c| c.name.as_str())
        )
    }

    /// Keep the orderings of one table file until every table is loaded.
    pub(crate) fn stash(&mut self, file: FileId, raw: Vec<Spanned<RawOrder>>) {
        self.pending.extend(raw.into_iter().map(|r| (file, r)));
    }
}

/// Resolve the orderings stashed while loading: cells, gaps and sources
/// checked, the groups' bounds computed, cells narrowed and records made to
/// cite the orderings' sources. Problems are located diagnostics.
pub(crate) fn resolve(ev: &mut Evidence, diags: &mut Vec<Diagnostic>) {
    let pending = std::mem::take(&mut ev.orders.pending);
    if pending.is_empty() {
        return;
    }
    if let Some((file, raw)) = pending.get(MAX_ORDERS) {
        diags.push(
            Diagnostic::error(
                "evidence/order-too-large",
                format!(
                    "the evidence states {} orderings; at most {MAX_ORDERS} are allowed",
                    pending.len()
                ),
            )
            .at(*file, raw.span(), "one ordering too many")
            .help("no ordering is used: state fewer"),
        );
        return;
    }
    let mut orders = Vec::new();
    for (file, raw) in pending {
        let span = raw.span();
        let raw = raw.into_inner();
        let earlier = cell(ev, file, &raw.earlier, diags);
        let later = cell(ev, file, &raw.later, diags);
        let gap = match &raw.gap {
            None => Some((Some(1), None)),
            Some(g) => gap_days(g.get_ref()).map_err(|m| {
                diags.push(
                    Diagnostic::error("evidence/order-gap", format!("invalid gap: {m}"))
                        .at(file, g.span(), "here")
                        .help("write how many days, months or years `later` is after `earlier`, e.g. \"at least 30 days\", \"more than 0 days\", \"about 1 year\""),
                );
            }).ok(),
        };
        let mut sources = Vec::new();
        if raw.sources.is_empty() {
            diags.push(
                Diagnostic::error("evidence/no-source", "ordering cites no source")
                    .at(file, span.clone(), "this ordering")
                    .help("add sources = [\"<id>\"] naming entries of sources.toml"),
            );
        }
        for s in &raw.sources {
            let scope = ev.scope_of_file(file);
            match ev.source_in(scope, s.get_ref()) {
                Some(i) => sources.push(i),
                None => diags.push(super::unknown_source(
                    s.get_ref(),
                    file,
                    s.span(),
                    ev.visible_source_ids(scope),
                )),
            }
        }
        if let (Some(earlier), Some(later), Some(gap)) = (earlier, later, gap) {
            if sources.len() == raw.sources.len() && !sources.is_empty() {
                orders.push(Order {
                    earlier,
                    later,
                    gap,
                    sources,
                    note: raw.note,
                    file,
                    span,
                });
            }
        }
    }
    link(ev, orders, diags);
}

/// A date cell `table["key"].column` (or with single quotes) that an
/// ordering names, checked against the loaded tables.
fn cell(
    ev: &Evidence,
    file: FileId,
    text: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<CellRef> {
    let checks = CellChecks {
        syntax: "evidence/order-syntax",
        unknown: "evidence/order-unknown",
        not_date: "evidence/order-not-date",
        expected: "a date cell",
        not_date_help: "orderings relate date cells".into(),
    };
    date_cell(ev, file, text, &checks, diags)
}

/// `table["key"].column` → its three parts.
pub(super) fn parse_cell(s: &str) -> Option<(&str, &str, &str)> {
    let s = s.trim();
    let open = s.find('[')?;
    let table = s.get(..open)?.trim();
    let rest = s.get(open + 1..)?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let rest = rest.get(1..)?;
    let close = rest.find(quote)?;
    let key = rest.get(..close)?;
    let rest = rest.get(close + 1..)?.trim_start();
    let rest = rest.strip_prefix(']')?.trim_start();
    let column = rest.strip_prefix('.')?.trim();
    let ident = |x: &str| {
        !x.is_empty()
            && x.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    (ident(table) && ident(column)).then_some((table, key, column))
}

/// A gap as written (`"at least 30 days"`, `"more than 1 year"`) → the
/// least and greatest whole number of days it allows.
fn gap_days(text: &str) -> Result<(Option<i64>, Option<i64>), String> {
    let mut parsed = None;
    let mut first_err = None;
    for (unit, per) in [
        (Unit::Days, Rational::from_int(1)),
        (
            Unit::Months,
            Rational::new(30_436_875, 1_000_000).map_err(|e| e.to_string())?,
        ),
        (
            Unit::Years,
            Rational::new(3_652_425, 10_000).map_err(|e| e.to_string())?,
        ),
    ] {
        match quantity_interval(text, unit) {
            Ok(iv) => {
                parsed = Some((iv, per));
                break;
            }
            Err(e) => {
                first_err.get_or_insert(e.message);
            }
        }
    }
    let Some((iv, per)) = parsed else {
        return Err(first_err.unwrap_or_default());
    };
    let scale = |r: Rational| r.checked_mul(per).map_err(|e| e.to_string());
    let floor = |r: Rational| r.numer().div_euclid(r.denom());
    let ceil = |r: Rational| -(r.numer().saturating_neg().div_euclid(r.denom()));
    let lo = match iv.lo() {
        Bound::Unbounded => None,
        Bound::Incl(r) => Some(ceil(scale(r)?)),
        Bound::Excl(r) => Some(floor(scale(r)?) + 1),
    };
    let hi = match iv.hi() {
        Bound::Unbounded => None,
        Bound::Incl(r) => Some(floor(scale(r)?)),
        Bound::Excl(r) => Some(ceil(scale(r)?) - 1),
    };
    let limit = i128::from(MAX_GAP_DAYS);
    let check = |v: Option<i128>| -> Result<Option<i64>, String> {
        match v {
            Some(d) if d.abs() > limit => Err(format!(
                "a gap of {d} days is more than the {MAX_GAP_DAYS} days an ordering may state"
            )),
            Some(d) => Ok(i64::try_from(d).ok()),
            None => Ok(None),
        }
    };
    let (lo, hi) = (check(lo)?, check(hi)?);
    if let (Some(a), Some(b)) = (lo, hi) {
        if a > b {
            return Err(format!("`{text}` allows no whole number of days"));
        }
    }
    Ok((lo, hi))
}

/// A cell's interval as day numbers (`INF`-style ends for open ones).
fn bounds(ev: &Evidence, c: CellRef) -> (i64, i64) {
    let data = ev
        .tables
        .get(c.table)
        .and_then(|t| t.columns.get(c.column))
        .map(|col| &col.data);
    let (lo, hi) = match data {
        Some(ColumnData::Date(dc)) => (
            dc.lo.get(c.row as usize).copied().unwrap_or(NO_LO),
            dc.hi.get(c.row as usize).copied().unwrap_or(NO_HI),
        ),
        _ => (NO_LO, NO_HI),
    };
    (
        if lo == NO_LO { -INF } else { i64::from(lo) },
        if hi == NO_HI { INF } else { i64::from(hi) },
    )
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = gp;
        }
        i = gp;
    }
    i
}

/// Group the orderings, compute each group's bounds, narrow the cells and
/// add the orderings' sources to their records.
fn link(ev: &mut Evidence, orders: Vec<Order>, diags: &mut Vec<Diagnostic>) {
    // Cells, numbered in order of first mention.
    let mut index: HashMap<CellRef, usize> = HashMap::new();
    let mut cells: Vec<CellRef> = Vec::new();
    let mut number = |c: CellRef, cells: &mut Vec<CellRef>| {
        *index.entry(c).or_insert_with(|| {
            cells.push(c);
            cells.len() - 1
        })
    };
    let ends: Vec<(usize, usize)> = orders
        .iter()
        .map(|o| (number(o.earlier, &mut cells), number(o.later, &mut cells)))
        .collect();
    let mut parent: Vec<usize> = (0..cells.len()).collect();
    for &(a, b) in &ends {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if let Some(p) = parent.get_mut(ra) {
            *p = rb;
        }
    }
    // Members of each group, in order of first mention; orderings by group.
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for i in 0..cells.len() {
        let r = find(&mut parent, i);
        let m = members.entry(r).or_default();
        if m.is_empty() {
            roots.push(r);
        }
        m.push(i);
    }
    let mut by_group: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, &(a, _)) in ends.iter().enumerate() {
        by_group.entry(find(&mut parent, a)).or_default().push(k);
    }
    let mut kept = Vec::new();
    let mut out = Orders::default();
    for r in roots {
        let (Some(m), Some(ks)) = (members.get(&r), by_group.get(&r)) else {
            continue;
        };
        if m.len() > MAX_LINKED {
            if let Some(o) = ks.first().and_then(|k| orders.get(*k)) {
                diags.push(
                    Diagnostic::error(
                        "evidence/order-too-large",
                        format!(
                            "orderings link {} date cells into one group; at most {MAX_LINKED} may be linked",
                            m.len()
                        ),
                    )
                    .at(o.file, o.span.clone(), "the first ordering of the group")
                    .help("state fewer orderings, or split the chain where a date is known"),
                );
            }
            continue;
        }
        // Node 0 is day 0; node i + 1 is member i.
        let n = m.len() + 1;
        let mut local: HashMap<usize, usize> = HashMap::new();
        let mut dist = vec![INF; n * n];
        let set = |dist: &mut Vec<i64>, i: usize, j: usize, v: i64| {
            if let Some(x) = dist.get_mut(i * n + j) {
                *x = v;
            }
        };
        for i in 0..n {
            set(&mut dist, i, i, 0);
        }
        for (li, &ci) in m.iter().enumerate() {
            local.insert(ci, li + 1);
            let Some(&c) = cells.get(ci) else { continue };
            let (lo, hi) = bounds(ev, c);
            set(&mut dist, 0, li + 1, hi);
            set(&mut dist, li + 1, 0, lo.saturating_neg().min(INF));
        }
        let mut g = Group { n, dist };
        // Bounds through day 0 (x_j − x_i ≤ hi_j − lo_i).
        close(&mut g, 0);
        for &k in ks {
            let (Some(o), Some(&(a, b))) = (orders.get(k), ends.get(k)) else {
                continue;
            };
            let (Some(&u), Some(&v)) = (local.get(&a), local.get(&b)) else {
                continue;
            };
            // later − earlier ≥ lo: x_u − x_v ≤ −lo; ≤ hi: x_v − x_u ≤ hi.
            let mut edges = Vec::new();
            if let Some(lo) = o.gap.0 {
                edges.push((v, u, -lo));
            }
            if let Some(hi) = o.gap.1 {
                edges.push((u, v, hi));
            }
            // A new cycle through one edge must not be negative; one
            // through both is `hi − lo ≥ 0` (the gap was checked).
            let contradicts = edges.iter().any(|&(p, q, w)| add(g.d(q, p), w) < 0);
            if contradicts {
                diags.push(contradiction(ev, o, &cells, a, b, &g, u, v));
                continue;
            }
            for (p, q, w) in edges {
                relax(&mut g, p, q, w);
            }
            kept.push(k);
        }
        let gi = out.groups.len();
        for (li, &ci) in m.iter().enumerate() {
            if let Some(&c) = cells.get(ci) {
                out.slot.insert(c, (gi, li));
                out.columns.insert((c.table, c.column));
            }
        }
        out.groups.push(g);
    }
    let narrowed = narrow(ev, &out, &cells);
    let mut kept_orders = Vec::new();
    kept.sort_unstable();
    for (k, o) in orders.into_iter().enumerate() {
        if kept.binary_search(&k).is_ok() {
            kept_orders.push(o);
        }
    }
    out.group_sources = vec![Vec::new(); out.groups.len()];
    for o in &kept_orders {
        let g = out.slot.get(&o.earlier).map(|s| s.0);
        if let Some(list) = g.and_then(|g| out.group_sources.get_mut(g)) {
            for s in &o.sources {
                if !list.contains(s) {
                    list.push(*s);
                }
            }
        }
    }
    cite(ev, &out, &narrowed);
    out.orders = kept_orders;
    ev.orders = out;
}

fn add(a: i64, b: i64) -> i64 {
    if a >= INF || b >= INF {
        INF
    } else {
        a.saturating_add(b).min(INF)
    }
}

/// Make every path through node `k` count (one Floyd–Warshall step).
fn close(g: &mut Group, k: usize) {
    let n = g.n;
    for i in 0..n {
        let ik = g.d(i, k);
        if ik >= INF {
            continue;
        }
        for j in 0..n {
            let v = add(ik, g.d(k, j));
            if let Some(x) = g.dist.get_mut(i * n + j) {
                if v < *x {
                    *x = v;
                }
            }
        }
    }
}

/// Add the constraint `x_q − x_p ≤ w` to a closed matrix, keeping it
/// closed: every path may now use the new edge once.
fn relax(g: &mut Group, p: usize, q: usize, w: i64) {
    let n = g.n;
    let from_p: Vec<i64> = (0..n).map(|i| g.d(i, p)).collect();
    let to_q: Vec<i64> = (0..n).map(|j| g.d(q, j)).collect();
    for (i, ip) in from_p.iter().enumerate() {
        if *ip >= INF {
            continue;
        }
        let via = add(*ip, w);
        for (j, qj) in to_q.iter().enumerate() {
            let v = add(via, *qj);
            if let Some(x) = g.dist.get_mut(i * n + j) {
                if v < *x {
                    *x = v;
                }
            }
        }
    }
}

/// What orderings settled, in words: "by the orderings of the evidence
/// (sources history), `b` − `a` is at least 1 day".
pub fn ordered_text(
    from: &str,
    to: &str,
    days: (Option<i64>, Option<i64>),
    sources: &[String],
) -> String {
    let cited = if sources.is_empty() {
        String::new()
    } else {
        format!(" (sources: {})", sources.join(", "))
    };
    format!(
        "by the orderings of the evidence{cited}, `{to}` − `{from}` is {}",
        days_text(days.0, days.1)
    )
}

/// A range of whole days as text.
fn days_text(lo: Option<i64>, hi: Option<i64>) -> String {
    let days = |n: i64| if n.abs() == 1 { "day" } else { "days" };
    match (lo, hi) {
        (Some(a), Some(b)) if a == b => format!("{a} {}", days(a)),
        (Some(a), Some(b)) => format!("from {a} to {b} {}", days(b)),
        (Some(a), None) => format!("at least {a} {}", days(a)),
        (None, Some(b)) => format!("at most {b} {}", days(b)),
        (None, None) => "any number of days".into(),
    }
}

fn day_text(d: i64) -> String {
    i32::try_from(d)
        .ok()
        .and_then(date_of)
        .map_or_else(|| format!("day {d}"), |x| x.to_string())
}

/// The interval a group allows node `i`, as text.
fn allowed_text(g: &Group, i: usize) -> String {
    let hi = g.d(0, i);
    let lo = g.d(i, 0);
    let lo = (lo < INF).then(|| day_text(lo.saturating_neg()));
    let hi = (hi < INF).then(|| day_text(hi));
    match (lo, hi) {
        (Some(a), Some(b)) if a == b => format!("on {a}"),
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("on or after {a}"),
        (None, Some(b)) => format!("on or before {b}"),
        (None, None) => "unknown".into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn contradiction(
    ev: &Evidence,
    o: &Order,
    cells: &[CellRef],
    a: usize,
    b: usize,
    g: &Group,
    u: usize,
    v: usize,
) -> Diagnostic {
    let name = |i: usize| {
        cells
            .get(i)
            .map(|c| Orders::cell_name(ev, *c))
            .unwrap_or_default()
    };
    let (lo, hi) = (g.d(v, u), g.d(u, v));
    let allowed = days_text(
        (lo < INF).then(|| lo.saturating_neg()),
        (hi < INF).then_some(hi),
    );
    Diagnostic::error(
        "evidence/order-contradiction",
        format!(
            "this ordering contradicts the evidence: with {} {} and {} {}, and the orderings before this one, {} − {} can only be {allowed}, but this ordering requires {}",
            name(a),
            allowed_text(g, u),
            name(b),
            allowed_text(g, v),
            name(b),
            name(a),
            days_text(o.gap.0, o.gap.1),
        ),
    )
    .at(o.file, o.span.clone(), "no day for each date satisfies this ordering too")
    .help("check the dates of both records, the gap, and the other orderings of these dates")
}

/// Write each linked cell's admissible days into its column (a bound the
/// calendar cannot show stays as it was: wider, so still sound); the cells
/// this changed.
fn narrow(ev: &mut Evidence, out: &Orders, cells: &[CellRef]) -> BTreeSet<CellRef> {
    let mut changed = BTreeSet::new();
    for c in cells {
        let Some(&(gi, li)) = out.slot.get(c) else {
            continue;
        };
        let Some(g) = out.groups.get(gi) else {
            continue;
        };
        let (hi, lo) = (g.d(0, li + 1), g.d(li + 1, 0));
        let Some(ColumnData::Date(dc)) = ev
            .tables
            .get_mut(c.table)
            .and_then(|t| t.columns.get_mut(c.column))
            .map(|col| &mut col.data)
        else {
            continue;
        };
        let fits = |d: i64| i32::try_from(d).ok().filter(|d| date_of(*d).is_some());
        if lo < INF {
            if let (Some(d), Some(slot)) =
                (fits(lo.saturating_neg()), dc.lo.get_mut(c.row as usize))
            {
                if *slot == NO_LO || d > *slot {
                    *slot = d;
                    changed.insert(*c);
                }
            }
        }
        if hi < INF {
            if let (Some(d), Some(slot)) = (fits(hi), dc.hi.get_mut(c.row as usize)) {
                if *slot == NO_HI || d < *slot {
                    *slot = d;
                    changed.insert(*c);
                }
            }
        }
    }
    changed
}

/// Every record with a cell the orderings narrowed also cites the sources
/// of that cell's group: its stored date now rests on them. (A comparison
/// that uses a link without a narrowed cell cites them when it is made.)
fn cite(ev: &mut Evidence, out: &Orders, narrowed: &BTreeSet<CellRef>) {
    let mut added: HashMap<(TableId, Vec<usize>), u32> = HashMap::new();
    let cells = narrowed
        .iter()
        .filter_map(|c| out.slot.get(c).map(|s| (c, s)));
    for (c, (gi, _)) in cells {
        let Some(extra) = out.group_sources.get(*gi) else {
            continue;
        };
        let Some(t) = ev.tables.get_mut(c.table) else {
            continue;
        };
        let recs = &mut t.records;
        let Some(list) = recs.source_list.get(c.row as usize).copied() else {
            continue;
        };
        let mut sources = recs
            .source_lists
            .get(list as usize)
            .cloned()
            .unwrap_or_default();
        let before = sources.len();
        for s in extra {
            if !sources.contains(s) {
                sources.push(*s);
            }
        }
        if sources.len() == before {
            continue;
        }
        // Lists made here are shared by the records that need the same one
        // (the table's own lists are not searched: there may be many).
        let i = match added.get(&(c.table, sources.clone())) {
            Some(i) => *i,
            None => {
                let Ok(i) = u32::try_from(recs.source_lists.len()) else {
                    continue;
                };
                recs.source_lists.push(sources.clone());
                added.insert((c.table, sources), i);
                i
            }
        };
        if let Some(slot) = recs.source_list.get_mut(c.row as usize) {
            *slot = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_as_in_expressions() {
        assert_eq!(
            parse_cell(r#"employment["lee-acme"].end"#),
            Some(("employment", "lee-acme", "end"))
        );
        assert_eq!(
            parse_cell(" papers [ 'a \"b\" c' ] . published "),
            Some(("papers", "a \"b\" c", "published"))
        );
        assert_eq!(parse_cell("employment.lee.end"), None);
        assert_eq!(parse_cell(r#"employment["lee"]"#), None);
        assert_eq!(parse_cell(r#"["lee"].end"#), None);
    }

    #[test]
    fn more_orderings_than_the_bound_are_one_error() {
        #[derive(Deserialize)]
        struct One {
            order: Vec<Spanned<RawOrder>>,
        }
        let one: One = toml::from_str(
            "[[order]]\nearlier = 'a[\"x\"].d'\nlater = 'a[\"y\"].d'\nsources = [\"s\"]\n",
        )
        .unwrap();
        let mut ev = Evidence::default();
        let raw = one.order.into_iter().next().unwrap();
        ev.orders.stash(FileId(0), vec![raw; MAX_ORDERS + 1]);
        let mut diags = Vec::new();
        resolve(&mut ev, &mut diags);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["evidence/order-too-large"]);
        // At the bound, each is resolved (and here each names an unknown
        // table and source).
        let mut ev = Evidence::default();
        let one: One = toml::from_str(
            "[[order]]\nearlier = 'a[\"x\"].d'\nlater = 'a[\"y\"].d'\nsources = [\"s\"]\n",
        )
        .unwrap();
        ev.orders.stash(FileId(0), one.order);
        let mut diags = Vec::new();
        resolve(&mut ev, &mut diags);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                "evidence/order-unknown",
                "evidence/order-unknown",
                "evidence/unknown-source"
            ]
        );
    }

    #[test]
    fn gaps_are_whole_days() {
        assert_eq!(gap_days("more than 0 days"), Ok((Some(1), None)));
        assert_eq!(gap_days("at least 0 days"), Ok((Some(0), None)));
        assert_eq!(gap_days("at least 30 days"), Ok((Some(30), None)));
        assert_eq!(gap_days("at most 2 days"), Ok((None, Some(2))));
        // 1 year = 365.2425 days: at least 365.2425 → 366.
        assert_eq!(gap_days("at least 1 year"), Ok((Some(366), None)));
        assert_eq!(gap_days("less than 1 month"), Ok((None, Some(30))));
        assert!(gap_days("soon").is_err());
        assert!(gap_days("at least 5000 years").is_err());
    }
}

//! What an evaluation did, as data: the events a [`Ctx`](super::Ctx)
//! records when it is given a trace ([`Ctx::trace`](super::Ctx::trace)),
//! for `explain`. Each event is tied to the tree node it comes from (by
//! [`NodeId`]); nothing here is words — `judge::explain` and
//! `render::explain` turn events into English.
//!
//! Without a trace an evaluation records nothing and allocates nothing for
//! it: every hook is one test of an `Option`.

use std::collections::{BTreeMap, HashMap};

use crate::diag::FileId;
use crate::evidence::TableId;
use crate::plan::{Node, RecSet, Value};

use super::ShareParts;

/// Most records a [`Records`] event lists; the rest are only counted.
pub const MAX_TRACED_RECORDS: usize = 40;

/// A node of the tree being evaluated, by identity (its address): valid
/// while that tree is alive and not moved, as during one evaluation and
/// the explanation built from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

impl NodeId {
    /// The identity of `node`.
    pub fn of(node: &Node) -> Self {
        NodeId(std::ptr::from_ref(node) as usize)
    }
}

/// What happened to one record in a filter or a per-record aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The record is certainly in the result (condition true).
    Kept,
    /// It may be (condition or membership unknown).
    Possible,
    /// It is not (condition false).
    Dropped,
    /// Per-record aggregate: the record's value.
    Value(Value),
    /// Per-record aggregate: the value could not be computed.
    Error,
}

/// One record of a [`Records`] event.
#[derive(Debug, Clone, PartialEq)]
pub struct TracedRecord {
    /// The record.
    pub row: u32,
    /// What the filter or aggregate did with it.
    pub outcome: Outcome,
    /// The values of the columns of the record the condition reads (the
    /// record's key column left out), as (column, value).
    pub because: Vec<(usize, Value)>,
}

/// What a filter (`where`) or a per-record aggregate (`sum`, `mean`,
/// `min`, `max`, `all`, `any`) did with each record of its set.
#[derive(Debug, Clone, PartialEq)]
pub struct Records {
    /// The table of the set.
    pub table: TableId,
    /// A filter (a condition per record) rather than an aggregate.
    pub filter: bool,
    /// Records kept (filter) or with a value (aggregate; for a condition,
    /// true).
    pub kept: usize,
    /// Records possibly kept (filter), or whose condition is unknown.
    pub possible: usize,
    /// Records dropped (filter), or whose condition is false.
    pub dropped: usize,
    /// The first [`MAX_TRACED_RECORDS`] records of the set, in record order.
    pub rows: Vec<TracedRecord>,
}

impl Records {
    /// An event of `table`'s records with nothing counted yet.
    pub(super) fn new(table: TableId, filter: bool) -> Self {
        Records {
            table,
            filter,
            kept: 0,
            possible: 0,
            dropped: 0,
            rows: Vec::new(),
        }
    }

    /// Counts what happened to record `row` and lists it among the first
    /// [`MAX_TRACED_RECORDS`], with the cells `because` reads (asked only
    /// for the records listed).
    pub(super) fn add(
        &mut self,
        row: u32,
        outcome: Outcome,
        because: impl FnOnce() -> Vec<(usize, Value)>,
    ) {
        match outcome {
            Outcome::Kept | Outcome::Value(_) => self.kept += 1,
            Outcome::Possible => self.possible += 1,
            Outcome::Dropped => self.dropped += 1,
            Outcome::Error => {}
        }
        if self.rows.len() < MAX_TRACED_RECORDS {
            self.rows.push(TracedRecord {
                row,
                outcome,
                because: because(),
            });
        }
    }
}

/// A filter (`where`) by where its condition is written: (file, start,
/// end). One filter of a definition is the same filter in every claim that
/// uses the definition.
pub type FilterAt = (FileId, usize, usize);

/// What one filter did, summed over every time an evaluation applied it
/// (a filter inside a per-record expression or a group is applied many
/// times): the records it certainly kept, possibly kept, and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterCount {
    /// Records certainly kept.
    pub kept: usize,
    /// Records possibly kept (not certainly).
    pub possible: usize,
    /// Records dropped.
    pub dropped: usize,
}

impl FilterCount {
    /// Whether the filter ever kept a record, certainly or possibly.
    pub fn kept_any(&self) -> bool {
        self.kept + self.possible > 0
    }

    /// Add what `other` counted.
    pub fn add(&mut self, other: &FilterCount) {
        self.kept += other.kept;
        self.possible += other.possible;
        self.dropped += other.dropped;
    }
}

/// How much a [`Trace`] records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Level {
    /// Only the [`FilterCount`] of each filter (what `check`'s lint reads:
    /// a few counts per filter, nothing per record or per node).
    Filters,
    /// Everything (what `explain` lays out): each node's value, each
    /// filter's and per-record aggregate's records, each share's parts,
    /// and the filter counts.
    #[default]
    Full,
}

/// The events of one evaluation: per node, the first value it took, what
/// it did with each record (filters and per-record aggregates) and the
/// parts of a share; per filter, what it did in all ([`FilterCount`]). The
/// witnesses and the notes that explain a boolean result are the context's
/// own ([`super::Witnesses`], [`super::Event`]): every evaluation records
/// them.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    level: Level,
    values: HashMap<NodeId, Value>,
    records: HashMap<NodeId, Records>,
    shares: HashMap<NodeId, ShareParts>,
    filters: BTreeMap<FilterAt, FilterCount>,
}

impl Trace {
    /// An empty trace that records what `level` says.
    pub fn new(level: Level) -> Self {
        Trace {
            level,
            ..Trace::default()
        }
    }

    /// What each filter the evaluation applied did, summed over every time
    /// it applied it, by where the filter is written.
    pub fn filters(&self) -> &BTreeMap<FilterAt, FilterCount> {
        &self.filters
    }

    /// Whether node events (values, records, shares) are recorded.
    pub(super) fn full(&self) -> bool {
        self.level == Level::Full
    }

    /// Count what a filter written at `at` did with the records of `given`:
    /// its result is `out`.
    pub(super) fn count_filter(&mut self, at: FilterAt, given: &RecSet, out: &RecSet) {
        let kept = out.certain_len();
        let possible = out.len().saturating_sub(kept);
        let dropped = given.len().saturating_sub(out.len());
        let c = self.filters.entry(at).or_default();
        c.kept += kept;
        c.possible += possible;
        c.dropped += dropped;
    }

    /// The first value `node` took in this evaluation (a node that does
    /// not depend on the record in scope takes only one). `None` when the
    /// evaluation never reached it (it failed before, or the result did
    /// not need it).
    pub fn value(&self, node: &Node) -> Option<&Value> {
        self.values.get(&NodeId::of(node))
    }

    /// What the filter or per-record aggregate `node` did with each record,
    /// the first time it was evaluated.
    pub fn records(&self, node: &Node) -> Option<&Records> {
        self.records.get(&NodeId::of(node))
    }

    /// The parts of the share `node`, the first time it was evaluated.
    pub fn share(&self, node: &Node) -> Option<&ShareParts> {
        self.shares.get(&NodeId::of(node))
    }

    /// Whether `node` has an event of records already.
    pub(super) fn has_records(&self, node: &Node) -> bool {
        self.records.contains_key(&NodeId::of(node))
    }

    /// Whether the records of `node` are to be recorded (a full trace
    /// that has none yet).
    pub(super) fn wants_records(&self, node: &Node) -> bool {
        self.full() && !self.has_records(node)
    }

    pub(super) fn record_value(&mut self, node: &Node, v: &Value) {
        if !self.full() {
            return;
        }
        self.values
            .entry(NodeId::of(node))
            .or_insert_with(|| v.clone());
    }

    pub(super) fn record_records(&mut self, node: &Node, r: Records) {
        self.records.entry(NodeId::of(node)).or_insert(r);
    }

    pub(super) fn record_share(&mut self, node: &Node, p: &ShareParts) {
        if !self.full() {
            return;
        }
        self.shares
            .entry(NodeId::of(node))
            .or_insert_with(|| p.clone());
    }
}

/// The columns of the record in scope that `pred` reads, in the order it
/// reads them, each once: not those of a sub-expression that has a record
/// of its own in scope (a nested filter's condition, an aggregate's
/// per-record expression) or none (a memoised part).
pub(super) fn columns_read(pred: &Node) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![pred];
    while let Some(n) = stack.pop() {
        match n {
            Node::Column(c) => {
                if !out.contains(c) {
                    out.push(*c);
                }
            }
            Node::Memo(..) => {}
            Node::Where(set, _, _) | Node::Agg(_, set, _, _) | Node::GroupAgg(_, set, _, _, _) => {
                stack.push(set);
            }
            other => {
                let mut kids = other.children();
                kids.reverse();
                stack.extend(kids);
            }
        }
    }
    out
}

//! Evaluation of resolved expressions over the evidence, soundly under
//! uncertainty.
//!
//! Every value is the set of values the truth may take: numbers are
//! [`Interval`]s, dates are [`DateRange`]s, truth is three-valued ([`Tri`]),
//! and a set of records knows which members are certain and which only
//! possible. A count over a set with possible members is a range; a mean of
//! intervals is an interval. Nothing is decided that some admissible value
//! would contradict.

use std::collections::BTreeMap;

use std::sync::Arc;

mod filter;
mod group;
mod pair;
mod share;
pub mod sql;
pub mod trace;

pub use filter::Shared;
pub use share::ShareCounts;
pub use trace::{
    FilterAt, FilterCount, Level, Outcome, Records, Trace, TracedRecord, MAX_TRACED_RECORDS,
};

use crate::date::{
    cmp_eq, cmp_ge, cmp_gt, cmp_le, cmp_lt, days_between_ranges, max_of, min_of, DateRange,
};
use crate::diag::Loc;
use crate::evidence::column::{days_of, ones, Bitmap, ColumnData, NO_LO};
use crate::evidence::{Cell, ColType, Evidence, TableId};
use crate::expr::Unit;
use crate::interval::{Bound, Interval, Tri};
use crate::num::{NumError, Rational};
use crate::plan::{AggKind, Arith, Between, CmpOp, Node, Program};
pub use crate::plan::{ListVal, RecSet, Value};

/// The records that fed a result: one bit per record of each table, so
/// marking a million witnesses costs a million bit operations, not a
/// million tree insertions.
#[derive(Debug, Clone, Default)]
pub struct Witnesses {
    bits: Vec<Vec<u64>>,
    /// Sources cited by what is not a record: the orderings a comparison
    /// of two linked dates used (each once).
    sources: Vec<usize>,
}

impl Witnesses {
    /// Mark record `row` of table `table` (which has `len` records).
    pub fn mark(&mut self, table: TableId, row: u32, len: usize) {
        if self.bits.len() <= table {
            self.bits.resize_with(table + 1, Vec::new);
        }
        if let Some(words) = self.bits.get_mut(table) {
            if words.is_empty() {
                words.resize(len.div_ceil(64), 0);
            }
            if let Some(w) = words.get_mut(row as usize / 64) {
                *w |= 1u64 << (row % 64);
            }
        }
    }

    /// Cite a source directly (an ordering's), once.
    pub fn cite(&mut self, source: usize) {
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
    }

    /// The sources cited directly (orderings'), each once.
    pub fn cited_directly(&self) -> &[usize] {
        &self.sources
    }

    /// Mark every record of a bitmap over table `table`.
    pub fn mark_all(&mut self, table: TableId, rows: &Bitmap) {
        if self.bits.len() <= table {
            self.bits.resize_with(table + 1, Vec::new);
        }
        if let Some(words) = self.bits.get_mut(table) {
            if words.len() < rows.words().len() {
                words.resize(rows.words().len(), 0);
            }
            for (w, r) in words.iter_mut().zip(rows.words()) {
                *w |= r;
            }
        }
    }

    /// The marked records counted: per table, how many and the first
    /// `max_listed` of them in record order; per source, how many marked
    /// records cite it. Whole words of records are counted at once, and a
    /// table whose records all cite the same sources needs no visit of
    /// each record.
    pub fn tally(&self, ev: &Evidence, max_listed: usize) -> Tally {
        let mut out = Tally {
            tables: Vec::new(),
            cited: vec![0; ev.sources.len()],
        };
        for (t, words) in self.bits.iter().enumerate() {
            let count: usize = words.iter().map(|w| w.count_ones() as usize).sum();
            if count == 0 {
                continue;
            }
            let Some(table) = ev.tables.get(t) else {
                continue;
            };
            let rows = || ones(words);
            let lists = &table.records.source_lists;
            let mut per_list = vec![0usize; lists.len()];
            if lists.len() == 1 {
                if let Some(n) = per_list.first_mut() {
                    *n = count;
                }
            } else {
                for r in rows() {
                    let l = table.records.source_list.get(r as usize);
                    if let Some(n) = l.and_then(|l| per_list.get_mut(*l as usize)) {
                        *n += 1;
                    }
                }
            }
            for (list, n) in lists.iter().zip(&per_list) {
                for i in list {
                    if let Some(c) = out.cited.get_mut(*i) {
                        *c += n;
                    }
                }
            }
            out.tables
                .push((t, count, rows().take(max_listed).collect()));
        }
        // An ordering's source counts once, and not again when a
        // witness record cites it already.
        for i in &self.sources {
            if let Some(c) = out.cited.get_mut(*i) {
                *c = (*c).max(1);
            }
        }
        out
    }

    /// Marked records in (table, row) order.
    pub fn iter(&self) -> impl Iterator<Item = (TableId, u32)> + '_ {
        self.bits
            .iter()
            .enumerate()
            .flat_map(|(t, words)| ones(words).map(move |r| (t, r)))
    }
}

/// The parts of a share: `part` of `whole` records, each a count or a
/// range of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareParts {
    /// Records in the part.
    pub part: Interval,
    /// Records in the whole.
    pub whole: Interval,
    /// The counts that give every achievable share exactly, when the
    /// claim's measure is this share (a judge decides on the achievable
    /// values, not on their range).
    pub achievable: Option<ShareCounts>,
}

/// A fact an evaluation found at a claim's top level that explains a
/// boolean result, as data (`verdict::event_text` words it).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Two texts compared for equality differ.
    TextsDiffer(Arc<str>, Arc<str>),
    /// A text's membership in a list.
    Membership {
        /// The text.
        item: Arc<str>,
        /// In, not in, or possibly in.
        membership: Tri,
        /// The list.
        list: Arc<ListVal>,
    },
    /// Items of the first list that the second lacks (`subset`).
    NotInList(Vec<Arc<str>>),
    /// Items of the second list that the first leaves out.
    ListAlsoHas(Vec<Arc<str>>),
    /// Lists compared for equality: items only the left one has.
    OnlyLeft(Vec<Arc<str>>),
    /// Items only the right one has.
    OnlyRight(Vec<Arc<str>>),
    /// Items whose membership is not settled.
    Unsettled(Vec<Arc<str>>),
    /// Both lists are this one.
    BothAre(Arc<ListVal>),
    /// `all`: the records for which the condition fails (key, and whether
    /// it is only unknown rather than false).
    FailsFor(Vec<(String, bool)>),
    /// `any`: the records for which the condition holds.
    HoldsFor(Vec<String>),
    /// Orderings of the evidence bound the days from one date cell to
    /// another and so settled what the two dates alone left open.
    Ordered {
        /// The first date, as `table["key"].column`.
        from: String,
        /// The second date.
        to: String,
        /// Least and greatest number of days from `from` to `to`.
        days: (Option<i64>, Option<i64>),
        /// Ids of the sources of the orderings that link them.
        sources: Vec<String>,
    },
}

/// The witnesses of a result, counted (see [`Witnesses::tally`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Per table with witnesses, in table order: the table, the number of
    /// records, and the first records (at most the number asked for).
    pub tables: Vec<(TableId, usize, Vec<u32>)>,
    /// Per source (an index into the evidence's sources): the number of
    /// witness records citing it.
    pub cited: Vec<usize>,
}

/// An evaluation failure that the user must fix (e.g. an empty denominator).
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    /// Stable code.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// Where.
    pub loc: Option<Loc>,
}

type R<T> = Result<T, EvalError>;

impl EvalError {
    /// How to fix the problem, for the errors that have a general remedy.
    pub fn help(&self) -> Option<&'static str> {
        match self.code {
            "eval/too-costly" => Some(
                "filter the inner set with `where` on its own columns instead of selecting it by \
                 the outer record (`at` a date of the record in scope), or split the claim",
            ),
            _ => None,
        }
    }

    /// Locate a budget error at the per-record loop it happened in, when
    /// nothing deeper located it.
    fn within(mut self, loc: &Loc) -> Self {
        if self.loc.is_none() && self.code == "eval/too-costly" {
            self.loc = Some(loc.clone());
        }
        self
    }
}

fn num_err(e: NumError, loc: &Loc) -> EvalError {
    EvalError {
        code: match e {
            NumError::Overflow => "eval/overflow",
            NumError::DivisionByZero => "eval/division-by-zero",
            NumError::Invalid(_) => "eval/invalid-number",
        },
        message: e.to_string(),
        loc: Some(loc.clone()),
    }
}

/// The default most steps of work one claim may take (see
/// [`Ctx::set_step_budget`]): a claim over a million records with a dozen
/// filters takes some tens of millions; only a measure whose cost grows as
/// a power of the record count comes near it.
pub const DEFAULT_STEP_BUDGET: u64 = 1_000_000_000;

#[cold]
fn too_costly(budget: u64, loc: Option<&Loc>) -> EvalError {
    EvalError {
        code: "eval/too-costly",
        message: format!(
            "evaluating this claim takes more than {budget} steps; a set whose \
             records depend on the record in scope (like `t at start` inside a \
             per-record expression), nested, multiplies the work by the records \
             of each level"
        ),
        loc: loc.cloned(),
    }
}

fn internal(msg: &str) -> EvalError {
    EvalError {
        code: "eval/internal",
        message: format!("internal type error: {msg} (please report this)"),
        loc: None,
    }
}

/// Evaluation state of one claim.
pub struct Ctx<'a> {
    ev: &'a Evidence,
    /// Results shared with the other claims of the run.
    shared: Option<&'a Shared>,
    program: &'a Program,
    /// The claim's as-of date.
    pub as_of: DateRange,
    /// The article's publication date.
    pub published: DateRange,
    defs: Vec<Option<Value>>,
    /// Values of record-independent sub-expressions, each with the share
    /// detail its evaluation left (replayed when the value is reused).
    memo: Vec<Option<(Value, Option<ShareParts>)>>,
    /// Work done so far, in steps (see [`Ctx::steps`]).
    steps: u64,
    /// Most steps allowed.
    budget: u64,
    /// Records that fed the result.
    pub witnesses: Witnesses,
    /// The parts of the last share computed (11 of 14), for explanations.
    pub detail: Option<ShareParts>,
    /// Facts found while evaluating the claim's top level (not inside
    /// filters) that explain a boolean result, e.g. which items differ.
    /// They are data; `verdict::event_text` words them.
    pub notes: Vec<Event>,
    /// The date cell each record-independent part (`false`, memo slot) or
    /// definition (`true`, index) reads, once found (orderings only).
    cells: BTreeMap<(bool, usize), Option<crate::evidence::order::CellRef>>,
    /// The records of the group in scope (`group`), inside an aggregate
    /// over groups.
    group: Option<Arc<RecSet>>,
    /// The events of this evaluation, when asked for ([`Ctx::trace`]).
    trace: Option<Box<Trace>>,
}

fn cell_value(cell: &Cell, ty: ColType, unit: Unit) -> Value {
    match (cell, ty) {
        (Cell::Text(t), _) => Value::Text(Some(t.clone())),
        (Cell::Num(iv), _) => Value::Num(*iv, unit),
        (Cell::Date(d), _) => Value::Date(*d),
        (Cell::Bool(b), _) => Value::Bool(Tri::from_bool(*b)),
        (Cell::List(items), _) => Value::List(Arc::new(ListVal::new(
            items.iter().map(|s| (s.clone(), Tri::True)).collect(),
            false,
        ))),
        (Cell::Unknown, ColType::Text) => Value::Text(None),
        (Cell::Unknown, ColType::Date) => Value::Date(DateRange::unknown()),
        (Cell::Unknown, ColType::Boolean) => Value::Bool(Tri::Unknown),
        (Cell::Unknown, ColType::List) => Value::List(Arc::new(ListVal::new(Vec::new(), true))),
        (Cell::Unknown, _) => Value::Num(Interval::unbounded(), unit),
    }
}

fn count_interval(certain: usize, possible: usize) -> Interval {
    let lo = Rational::from_int(certain as i128);
    let hi = Rational::from_int(possible as i128);
    Interval::closed(lo, hi).unwrap_or_else(|| Interval::point(lo))
}

/// Days in a mean Gregorian year, as 365.2425 = 3652425/10000.
fn year_days() -> Rational {
    Rational::new(3_652_425, 10_000).unwrap_or(Rational::ONE)
}

/// What one day is in the unit of a difference between dates.
fn between_scale(kind: Between) -> Rational {
    match kind {
        Between::Days => Rational::ONE,
        Between::Years => Rational::ONE
            .checked_div(year_days())
            .unwrap_or(Rational::ONE),
        Between::Months => Rational::from_int(12)
            .checked_div(year_days())
            .unwrap_or(Rational::ONE),
    }
}

/// The unit of a difference between dates.
fn between_unit(kind: Between) -> Unit {
    match kind {
        Between::Days => Unit::Days,
        Between::Years => Unit::Years,
        Between::Months => Unit::Months,
    }
}

impl<'a> Ctx<'a> {
    /// A fresh context for one claim.
    pub fn new(
        ev: &'a Evidence,
        program: &'a Program,
        as_of: DateRange,
        published: DateRange,
    ) -> Self {
        Ctx {
            ev,
            shared: None,
            program,
            as_of,
            published,
            defs: vec![None; program.defs.len()],
            memo: vec![None; program.memo_slots],
            steps: 0,
            budget: DEFAULT_STEP_BUDGET,
            witnesses: Witnesses::default(),
            detail: None,
            notes: Vec::new(),
            cells: BTreeMap::new(),
            group: None,
            trace: None,
        }
    }

    /// Record the events of this evaluation ([`Trace`]) that `level`
    /// asks for: with [`Level::Full`], each node's value, what each filter
    /// and per-record aggregate did with each record, the parts of each
    /// share; with either, what each filter did in all. Costs nothing when
    /// not asked for.
    pub fn trace(&mut self, level: Level) {
        self.trace = Some(Box::new(Trace::new(level)));
    }

    /// The events recorded since [`Ctx::trace`] (also after a failed
    /// evaluation: what it did until it failed).
    pub fn take_trace(&mut self) -> Option<Trace> {
        self.trace.take().map(|t| *t)
    }

    /// Share condition results with the other claims of a run (every
    /// context given the same [`Shared`] reuses what the others computed).
    pub fn share(&mut self, shared: &'a Shared) {
        self.shared = Some(shared);
    }

    /// Allow at most `steps` steps of work for this claim (the default is
    /// [`DEFAULT_STEP_BUDGET`]).
    pub fn set_step_budget(&mut self, steps: u64) {
        self.budget = steps;
    }

    /// Work done so far: one step per expression node evaluated and one
    /// per record a loop over a set visits.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Count `n` steps of work; an error once the budget is spent.
    fn charge(&mut self, n: usize, loc: Option<&Loc>) -> R<()> {
        self.steps = self.steps.saturating_add(n as u64);
        if self.steps > self.budget {
            return Err(too_costly(self.budget, loc));
        }
        Ok(())
    }

    fn witness_set(&mut self, s: &RecSet) {
        // Charged by the loop that built or visits the set.
        self.witnesses.mark_all(s.table, &s.possible);
        self.witnesses.mark_all(s.table, &s.considered);
    }

    fn column_value(&self, table: TableId, col: usize, row: u32) -> R<Value> {
        let c = self
            .ev
            .tables
            .get(table)
            .and_then(|t| t.columns.get(col))
            .ok_or_else(|| internal("column"))?;
        let cell = c.get(row).ok_or_else(|| internal("row"))?;
        Ok(cell_value(&cell, c.ty, c.unit))
    }

    /// Evaluate a node; `row` is the record in scope, if any. A value is
    /// needed here: an aggregate of a set that has, or may have, no records
    /// is an error (`eval/empty-set`); only a claim's measure itself may
    /// have no value ([`Ctx::eval_measure`]).
    pub fn eval(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        match self.eval_any(node, row)? {
            Value::NoRecords(value, loc) => Err(no_value(value.is_none(), loc)),
            v => Ok(v),
        }
    }

    /// Evaluate a claim's measure: as [`Ctx::eval`], except that a mean,
    /// minimum or maximum of a set that has, or may have, no records gives
    /// [`Value::NoRecords`] (the verdict decides what a statement about it
    /// means) rather than an error.
    pub fn eval_measure(&mut self, node: &Node) -> R<Value> {
        let v = self.eval_any(node, None)?;
        // The achievable shares describe the measure only when it is the
        // share itself (not a number computed from one).
        if !self.is_share(node) {
            if let Some(d) = self.detail.as_mut() {
                d.achievable = None;
            }
        }
        Ok(v)
    }

    /// Whether a node is a share (through definitions and memos).
    fn is_share(&self, node: &Node) -> bool {
        let mut n = node;
        loop {
            match n {
                Node::Share(..) => return true,
                Node::Memo(_, inner) => n = inner,
                Node::Def(i) => match self.program.defs.get(*i).and_then(|d| d.as_ref()) {
                    Some(body) => n = body,
                    None => return false,
                },
                _ => return false,
            }
        }
    }

    fn eval_any(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let v = self.eval_node(node, row);
        if let (Some(t), Ok(v)) = (self.trace.as_mut(), &v) {
            t.record_value(node, v);
        }
        v
    }

    fn eval_node(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        self.charge(1, None)?;
        match node {
            Node::Const(v) => Ok(v.clone()),
            Node::AsOf => Ok(Value::Date(self.as_of)),
            Node::Published => Ok(Value::Date(self.published)),
            Node::Def(..) => self.eval_def(node, row),
            Node::Memo(..) => self.eval_memo(node, row),
            Node::Column(..) => self.eval_column(node, row),
            Node::RecField(..) => self.eval_rec_field(node, row),
            Node::Project(..) => self.eval_project(node, row),
            Node::TableAll(..) => self.eval_table_all(node, row),
            Node::Lookup(..) => self.eval_lookup(node, row),
            Node::Where(..) => self.eval_where(node, row),
            Node::At(..) => self.eval_at(node, row),
            Node::Count(..) => self.eval_count(node, row),
            Node::Agg(..) => self.eval_agg(node, row),
            Node::Share(..) => self.eval_share(node, row),
            Node::GroupAgg(..) => self.eval_group_agg(node, row),
            Node::Group => match &self.group {
                Some(g) => Ok(Value::Set(g.clone())),
                None => Err(internal("group outside an aggregate over groups")),
            },
            Node::Keys(..) => self.eval_keys(node, row),
            Node::Between(..) => self.eval_between(node, row),
            Node::Refine(..) => self.eval_refine(node, row),
            Node::Not(..) => self.eval_not(node, row),
            Node::And(..) => self.eval_and(node, row),
            Node::Or(..) => self.eval_or(node, row),
            Node::CmpNum(..) => self.eval_cmp_num(node, row),
            Node::CmpDate(..) => self.eval_cmp_date(node, row),
            Node::Equal(..) => self.eval_equal(node, row),
            Node::Arith(..) => self.eval_arith(node, row),
            Node::Neg(..) => self.eval_neg(node, row),
            Node::Abs(..) => self.eval_abs(node, row),
            Node::SameYear(..) => self.eval_same_year(node, row),
            Node::In(..) => self.eval_in(node, row),
            Node::Matches(..) => self.eval_matches(node, row),
            Node::IsUnknown(..) => self.eval_is_unknown(node, row),
            Node::Subset(..) => self.eval_subset(node, row),
            Node::List(..) => self.eval_list(node, row),
        }
    }

    fn eval_def(&mut self, node: &Node, _row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Def(i) = node else {
            return Err(internal("def"));
        };
        if let Some(Some(v)) = self.defs.get(*i) {
            return Ok(v.clone());
        }
        let body = self
            .program
            .defs
            .get(*i)
            .and_then(|d| d.as_ref())
            .ok_or_else(|| internal("definition"))?;
        // A definition may have no value: its users decide (a measure that
        // is the definition may; an expression that uses it may not).
        let v = self.eval_any(body, None)?;
        if let Some(slot) = self.defs.get_mut(*i) {
            *slot = Some(v.clone());
        }
        Ok(v)
    }

    /// A record-independent sub-expression: evaluated the first time as
    /// if it were not memoised (with the record in scope, so it records no
    /// top-level notes and names the record in errors, exactly as before),
    /// then reused. Witnesses and filter hits it marks are the same on
    /// every evaluation; the share detail it sets is replayed on reuse.
    fn eval_memo(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Memo(i, inner) = node else {
            return Err(internal("memo"));
        };
        if let Some(Some((v, detail))) = self.memo.get(*i) {
            let v = v.clone();
            if let Some(d) = detail {
                self.detail = Some(d.clone());
            }
            return Ok(v);
        }
        let before = self.detail.take();
        let v = self.eval(inner, row);
        let detail = self.detail.clone();
        if detail.is_none() {
            self.detail = before;
        }
        let v = v?;
        if let Some(slot) = self.memo.get_mut(*i) {
            *slot = Some((v.clone(), detail));
        }
        Ok(v)
    }

    fn eval_column(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Column(c) = node else {
            return Err(internal("column"));
        };
        let (t, r) = row.ok_or_else(|| internal("column outside a record"))?;
        self.column_value(t, *c, r)
    }

    fn eval_rec_field(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::RecField(rec, c) = node else {
            return Err(internal("rec_field"));
        };
        match self.eval(rec, row)? {
            Value::Record(t, r) => self.column_value(t, *c, r),
            _ => Err(internal("field of non-record")),
        }
    }

    fn eval_project(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Project(set, c) = node else {
            return Err(internal("project"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("project"));
        };
        self.charge(s.len(), None)?;
        self.witness_set(&s);
        let col = self
            .ev
            .tables
            .get(s.table)
            .and_then(|t| t.columns.get(*c))
            .ok_or_else(|| internal("column"))?;
        let mut items = Vec::new();
        let mut open = false;
        for (r, m) in s.iter() {
            match col.get(r) {
                Some(Cell::Text(t)) => items.push((t, m)),
                Some(Cell::List(l)) => items.extend(l.iter().map(|t| (t.clone(), m))),
                _ => open = true,
            }
        }
        Ok(Value::List(Arc::new(ListVal::new(items, open))))
    }

    fn eval_table_all(&mut self, node: &Node, _row: Option<(TableId, u32)>) -> R<Value> {
        let Node::TableAll(t) = node else {
            return Err(internal("table_all"));
        };
        let n = self.ev.tables.get(*t).map_or(0, |t| t.len());
        Ok(Value::Set(Arc::new(RecSet::all(*t, n))))
    }

    fn eval_lookup(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Lookup(set, key, loc) = node else {
            return Err(internal("lookup"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("lookup"));
        };
        let key_text: Arc<str> = match self.eval(key, row)? {
            Value::Text(Some(t)) => t,
            Value::Num(iv, _) => Arc::from(iv.to_string().as_str()),
            _ => {
                return Err(EvalError {
                    code: "eval/unknown-key",
                    message: "the lookup key is unknown".into(),
                    loc: Some(loc.clone()),
                })
            }
        };
        let table = self
            .ev
            .tables
            .get(s.table)
            .ok_or_else(|| internal("table"))?;
        // A set holding every record of its table needs no membership
        // scan (rows are distinct), so lookups in a table stay O(1).
        let found = table
            .row_of_key(&key_text)
            .filter(|r| s.possible.get(*r as usize));
        match found {
            Some(r) => {
                let n = table.len();
                self.witnesses.mark(s.table, r, n);
                Ok(Value::Record(s.table, r))
            }
            None => {
                let mut msg = format!("no record with key `{key_text}` in `{}`", table.name);
                let keys: Vec<Arc<str>> = table.keys();
                if let Some(sug) = crate::diag::suggest(&key_text, keys.iter().map(|k| &**k)) {
                    msg.push_str(&format!(" (did you mean `{sug}`?)"));
                }
                Err(EvalError {
                    code: "eval/no-such-record",
                    message: msg,
                    loc: Some(loc.clone()),
                })
            }
        }
    }

    fn eval_where(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Where(set, pred, loc) = node else {
            return Err(internal("where"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("where"));
        };
        let out = match filter::compile(pred, self.ev, s.table) {
            Some(p) => {
                let t = self
                    .truth_of(&p, s.table, &s.possible)
                    .map_err(|e| e.within(loc))?;
                let considered = self.truth_of(&p, s.table, &s.considered)?;
                RecSet {
                    table: s.table,
                    certain: s.certain.and(&t.certain),
                    possible: t.possible,
                    considered: considered.possible,
                }
            }
            None => self.where_by_record(&s, pred, loc)?,
        };
        if let Some(t) = self.trace.as_mut() {
            t.count_filter((loc.file, loc.span.start, loc.span.end), &s, &out);
            self.trace_filter(node, &s, &out, pred);
        }
        Ok(Value::Set(Arc::new(out)))
    }

    /// The event of a filter: what it did with each record of `s` (`out`
    /// is its result), and the cells of each that its condition read.
    fn trace_filter(&mut self, node: &Node, s: &RecSet, out: &RecSet, pred: &Node) {
        if !self.trace.as_ref().is_some_and(|t| t.wants_records(node)) {
            return;
        }
        let columns = self.traced_columns(s.table, pred);
        let mut event = Records::new(s.table, true);
        for (r, _) in s.iter() {
            let outcome = if out.certain.get(r as usize) {
                Outcome::Kept
            } else if out.possible.get(r as usize) {
                Outcome::Possible
            } else {
                Outcome::Dropped
            };
            event.add(r, outcome, || self.cells_of(s.table, r, &columns));
        }
        if let Some(t) = self.trace.as_mut() {
            t.record_records(node, event);
        }
    }

    /// The columns of `table` that `expr` reads of the record in scope,
    /// the key column left out.
    fn traced_columns(&self, table: TableId, expr: &Node) -> Vec<usize> {
        let key = self.ev.tables.get(table).and_then(|t| t.key);
        trace::columns_read(expr)
            .into_iter()
            .filter(|c| Some(*c) != key)
            .collect()
    }

    fn cells_of(&self, table: TableId, row: u32, columns: &[usize]) -> Vec<(usize, Value)> {
        columns
            .iter()
            .filter_map(|c| self.column_value(table, *c, row).ok().map(|v| (*c, v)))
            .collect()
    }

    /// The event of a per-record aggregate: each record's value of `expr`
    /// (of a condition: whether it holds, with the record's membership).
    /// The aggregate may have been computed on the column vectors, so the
    /// values are computed here, once more, a record at a time; the work
    /// and the share detail this takes are not counted.
    fn trace_per_record(&mut self, node: &Node, kind: AggKind, s: &RecSet, expr: &Node) {
        if !self.trace.as_ref().is_some_and(|t| t.wants_records(node)) {
            return;
        }
        let (steps, detail) = (self.steps, self.detail.clone());
        let condition = matches!(kind, AggKind::All | AggKind::Any);
        let columns = self.traced_columns(s.table, expr);
        let mut event = Records::new(s.table, false);
        for (r, m) in s.iter() {
            let outcome = match self.eval(expr, Some((s.table, r))) {
                Ok(Value::Bool(t)) if condition => match m.and(t) {
                    Tri::True => Outcome::Kept,
                    Tri::Unknown => Outcome::Possible,
                    Tri::False => Outcome::Dropped,
                },
                Ok(v) => Outcome::Value(v),
                Err(_) => Outcome::Error,
            };
            event.add(r, outcome, || self.cells_of(s.table, r, &columns));
        }
        (self.steps, self.detail) = (steps, detail);
        if let Some(t) = self.trace.as_mut() {
            t.record_records(node, event);
        }
    }

    /// `where`, a record at a time.
    fn where_by_record(&mut self, s: &RecSet, pred: &Node, loc: &Loc) -> R<RecSet> {
        let n = s.possible.len();
        let mut out = RecSet {
            table: s.table,
            certain: Bitmap::zeros(n),
            possible: Bitmap::zeros(n),
            considered: Bitmap::zeros(n),
        };
        for (r, m) in s.iter() {
            let t = self
                .eval(pred, Some((s.table, r)))
                .map_err(|e| e.within(loc))?;
            let Value::Bool(t) = t else {
                return Err(internal("predicate"));
            };
            match m.and(t) {
                Tri::True => {
                    out.certain.set(r as usize);
                    out.possible.set(r as usize);
                }
                Tri::Unknown => out.possible.set(r as usize),
                Tri::False => {}
            }
        }
        for r in s.considered.iter() {
            if let Value::Bool(t) = self.eval(pred, Some((s.table, r)))? {
                if t != Tri::False {
                    out.considered.set(r as usize);
                }
            }
        }
        Ok(out)
    }

    fn eval_at(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::At(set, date) = node else {
            return Err(internal("at"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("at"));
        };
        let Value::Date(d) = self.eval(date, row)? else {
            return Err(internal("at date"));
        };
        let table = self
            .ev
            .tables
            .get(s.table)
            .ok_or_else(|| internal("temporal"))?;
        let (from, to) = table.temporal.ok_or_else(|| internal("temporal"))?;
        let col = |c: usize| table.columns.get(c).map(|c| &c.data);
        let (Some(ColumnData::Date(a)), Some(ColumnData::Date(b))) = (col(from), col(to)) else {
            return Err(internal("temporal dates"));
        };
        self.charge(s.len(), None)?;
        // A fact holds from its `from` day up to, not including, its `to` day
        // (the day it ended), so a departure on D means not employed on D:
        // from <= d and d < to, each three-valued, over day numbers.
        let (dlo, dhi) = days_of(&d);
        let n = s.possible.len();
        let mut certain = Vec::with_capacity(s.possible.words().len());
        let mut possible = Vec::with_capacity(s.possible.words().len());
        // Records found no longer in force: a departure decides who
        // remains, so they are witnesses. A fact that had not begun on D
        // decides nothing about D and is not.
        let mut ended = Vec::with_capacity(s.possible.words().len());
        for (w, (mc, mp)) in s.certain.words().iter().zip(s.possible.words()).enumerate() {
            if *mp == 0 {
                certain.push(0);
                possible.push(0);
                ended.push(0);
                continue;
            }
            // from <= d: certainly when from.hi <= d.lo, never when
            // from.lo > d.hi; d < to: certainly when d.hi < to.lo, never
            // when d.lo >= to.hi. Open ends are sentinels that make every
            // such comparison false, as an open end must.
            use filter::bits;
            // (An inclusive end: d <= to.)
            let (c, never) = if table.end_inclusive {
                (
                    bits(&a.hi, w, |h| *h <= dlo) & bits(&b.lo, w, |l| dhi <= *l),
                    bits(&a.lo, w, |l| *l > dhi) | bits(&b.hi, w, |h| dlo > *h),
                )
            } else {
                (
                    bits(&a.hi, w, |h| *h <= dlo) & bits(&b.lo, w, |l| dhi < *l),
                    bits(&a.lo, w, |l| *l > dhi) | bits(&b.hi, w, |h| dlo >= *h),
                )
            };
            let p = !never;
            certain.push(c & mc & p);
            possible.push(p & mp);
            ended.push(bits(&b.hi, w, |h| dlo >= *h) & mp);
        }
        let certain = Bitmap::from_words(n, certain);
        let possible = Bitmap::from_words(n, possible);
        let considered = s.considered.or(&Bitmap::from_words(n, ended));
        Ok(Value::Set(Arc::new(RecSet {
            table: s.table,
            certain,
            possible,
            considered,
        })))
    }

    fn eval_count(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Count(inner) = node else {
            return Err(internal("count"));
        };
        match self.eval(inner, row)? {
            Value::Set(s) => {
                self.charge(s.len(), None)?;
                self.witness_set(&s);
                Ok(Value::Num(
                    count_interval(s.certain_len(), s.len()),
                    Unit::None,
                ))
            }
            Value::List(l) => {
                self.charge(l.items.len(), None)?;
                let certain = l.certain().len();
                let possible = l.possible().len();
                let iv = if l.open {
                    Interval::new(
                        Bound::Incl(Rational::from_int(certain as i128)),
                        Bound::Unbounded,
                    )
                    .unwrap_or_else(Interval::unbounded)
                } else {
                    count_interval(certain, possible)
                };
                Ok(Value::Num(iv, Unit::None))
            }
            _ => Err(internal("count")),
        }
    }

    /// `share(part, whole)`: the achievable shares counted exactly from
    /// the records' memberships (see [`ShareCounts`]); the value is their
    /// range, whose ends are achieved. A whole that may have no records
    /// gives [`Value::NoRecords`] with the shares of the other worlds.
    fn eval_share(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Share(part, whole, loc) = node else {
            return Err(internal("share"));
        };
        let (Value::Set(p), Value::Set(w)) = (self.eval(part, row)?, self.eval(whole, row)?) else {
            return Err(internal("share"));
        };
        let (p_len, w_len) = (p.len(), w.len());
        self.charge(p_len.saturating_add(w_len), Some(loc))?;
        self.witness_set(&p);
        self.witness_set(&w);
        if w_len == 0 {
            return Err(EvalError {
                code: "eval/empty-denominator",
                message: "share of an empty set: the whole has no records".into(),
                loc: Some(loc.clone()),
            });
        }
        let counts = match self.filter_of(part, &w, row)? {
            Some(pred) => {
                let table = w.table;
                let mut cond = |r: u32| -> R<Tri> {
                    match self.eval(pred, Some((table, r))) {
                        Ok(Value::Bool(t)) => Ok(t),
                        Ok(_) => Err(internal("predicate")),
                        Err(e) => Err(e.within(loc)),
                    }
                };
                ShareCounts::of_sets(
                    (&p.certain, &p.possible),
                    (&w.certain, &w.possible),
                    Some(&mut cond),
                )?
            }
            None => ShareCounts::of_sets::<EvalError>(
                (&p.certain, &p.possible),
                (&w.certain, &w.possible),
                None,
            )?,
        };
        let Some(hull) = counts.hull() else {
            return Err(internal("share of no records"));
        };
        let (pa, pb) = counts.part_range();
        let (wa, wb) = counts.whole_range();
        let range = |a: u64, b: u64| {
            Interval::closed(
                Rational::from_int(i128::from(a)),
                Rational::from_int(i128::from(b)),
            )
            .unwrap_or_else(Interval::unbounded)
        };
        self.detail = Some(ShareParts {
            part: range(pa, pb),
            whole: range(wa.max(1), wb),
            achievable: Some(counts),
        });
        if let (Some(t), Some(d)) = (self.trace.as_mut(), self.detail.as_ref()) {
            t.record_share(node, d);
        }
        // A share never leaves [0, 100] (a part that is not within its
        // whole is cut at 100%).
        let hundred = Rational::from_int(100);
        let clamp = Interval::closed(Rational::ZERO, hundred).unwrap_or_else(Interval::unbounded);
        let value = Value::Num(hull.intersect(&clamp).unwrap_or(hull), Unit::Percent);
        if counts.may_be_empty() {
            return Ok(Value::NoRecords(Some(Box::new(value)), loc.clone()));
        }
        Ok(value)
    }

    /// When `part` is `whole where P` (the same set of records as `w`,
    /// filtered), the condition `P`: then a record possibly in the whole
    /// that certainly satisfies it is in the part exactly when it is in the
    /// whole.
    fn filter_of<'n>(
        &mut self,
        part: &'n Node,
        w: &RecSet,
        row: Option<(TableId, u32)>,
    ) -> R<Option<&'n Node>>
    where
        'a: 'n,
    {
        let program = self.program;
        let mut n = part;
        loop {
            match n {
                Node::Memo(_, inner) => n = inner,
                Node::Def(i) => match program.defs.get(*i).and_then(|d| d.as_ref()) {
                    Some(body) => n = body,
                    None => return Ok(None),
                },
                Node::Where(inner, pred, _) => {
                    if w.is_exact() {
                        return Ok(None);
                    }
                    let Value::Set(s) = self.eval(inner, row)? else {
                        return Ok(None);
                    };
                    let same =
                        s.table == w.table && s.certain == w.certain && s.possible == w.possible;
                    return Ok(same.then_some(&**pred));
                }
                _ => return Ok(None),
            }
        }
    }

    fn eval_keys(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Keys(set) = node else {
            return Err(internal("keys"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("keys"));
        };
        self.charge(s.len(), None)?;
        self.witness_set(&s);
        let table = self
            .ev
            .tables
            .get(s.table)
            .ok_or_else(|| internal("table"))?;
        let items = s.iter().map(|(r, m)| (table.key_of(r), m)).collect();
        Ok(Value::List(Arc::new(ListVal::new(items, false))))
    }

    fn eval_between(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Between(kind, a, b, loc) = node else {
            return Err(internal("between"));
        };
        let ((a, ca), (b, cb)) = (self.date_side(a, row)?, self.date_side(b, row)?);
        let mut gap = days_between_ranges(&a, &b);
        if let Some(link) = self.linked(ca, cb) {
            let narrowed = pair::days_linked(gap, link);
            if narrowed != gap {
                self.settled_by_link(ca, cb, link, row);
            }
            gap = narrowed;
        }
        let (lo, hi) = gap;
        let day = |d: Option<i64>| d.map(|d| Rational::from_int(i128::from(d)));
        let (lo, hi) = (day(lo), day(hi));
        let scale = between_scale(*kind);
        let conv = |r: Option<Rational>| -> Result<Bound, NumError> {
            Ok(match r {
                Some(r) => Bound::Incl(r.checked_mul(scale)?),
                None => Bound::Unbounded,
            })
        };
        let iv = Interval::new(
            conv(lo).map_err(|e| num_err(e, loc))?,
            conv(hi).map_err(|e| num_err(e, loc))?,
        )
        .unwrap_or_else(Interval::unbounded);
        Ok(Value::Num(iv, between_unit(*kind)))
    }

    fn eval_refine(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Refine(a, b, loc) = node else {
            return Err(internal("refine"));
        };
        let (Value::Num(x, u), Value::Num(y, _)) = (self.eval(a, row)?, self.eval(b, row)?) else {
            return Err(internal("refine"));
        };
        match x.intersect(&y) {
            Some(iv) => Ok(Value::Num(iv, u)),
            None => Err(EvalError {
                code: "eval/conflicting-evidence",
                message: format!(
                    "the evidence conflicts: {x} and {y} have no value in common{}",
                    self.row_hint(row)
                ),
                loc: Some(loc.clone()),
            }),
        }
    }

    fn eval_not(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Not(a) = node else {
            return Err(internal("not"));
        };
        Ok(Value::Bool(self.truth(a, row)?.not()))
    }

    fn eval_and(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::And(a, b) = node else {
            return Err(internal("and"));
        };
        let l = self.truth(a, row)?;
        if l == Tri::False {
            return Ok(Value::Bool(Tri::False));
        }
        Ok(Value::Bool(l.and(self.truth(b, row)?)))
    }

    fn eval_or(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Or(a, b) = node else {
            return Err(internal("or"));
        };
        let l = self.truth(a, row)?;
        if l == Tri::True {
            return Ok(Value::Bool(Tri::True));
        }
        Ok(Value::Bool(l.or(self.truth(b, row)?)))
    }

    fn eval_cmp_num(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::CmpNum(op, a, b) = node else {
            return Err(internal("cmp_num"));
        };
        let (Value::Num(x, _), Value::Num(y, _)) = (self.eval(a, row)?, self.eval(b, row)?) else {
            return Err(internal("cmp num"));
        };
        Ok(Value::Bool(match op {
            CmpOp::Eq => x.eq3(&y),
            CmpOp::Ne => x.eq3(&y).not(),
            CmpOp::Lt => x.lt(&y),
            CmpOp::Le => x.le(&y),
            CmpOp::Gt => x.gt(&y),
            CmpOp::Ge => x.ge(&y),
        }))
    }

    fn eval_cmp_date(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::CmpDate(op, a, b) = node else {
            return Err(internal("cmp_date"));
        };
        let ((x, cx), (y, cy)) = (self.date_side(a, row)?, self.date_side(b, row)?);
        let by_dates = match op {
            CmpOp::Eq => date_eq(&x, &y),
            CmpOp::Ne => date_eq(&x, &y).not(),
            CmpOp::Lt => tri(cmp_lt(&x, &y)),
            CmpOp::Le => tri(cmp_le(&x, &y)),
            CmpOp::Gt => tri(cmp_gt(&x, &y)),
            CmpOp::Ge => tri(cmp_ge(&x, &y)),
        };
        Ok(Value::Bool(match self.linked(cx, cy) {
            Some(gap) => {
                let t = pair::cmp_linked(*op, gap);
                if by_dates == Tri::Unknown && t != Tri::Unknown {
                    self.settled_by_link(cx, cy, gap, row);
                }
                pair::either(t, by_dates)
            }
            None => by_dates,
        }))
    }

    fn eval_equal(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Equal(eq, a, b) = node else {
            return Err(internal("equal"));
        };
        let t = match (self.eval(a, row)?, self.eval(b, row)?) {
            (Value::Text(Some(x)), Value::Text(Some(y))) => {
                if x != y && row.is_none() {
                    self.notes.push(Event::TextsDiffer(x.clone(), y.clone()));
                }
                Tri::from_bool(x == y)
            }
            (Value::Text(_), Value::Text(_)) => Tri::Unknown,
            (Value::Bool(x), Value::Bool(y)) => match (x, y) {
                (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                _ => Tri::from_bool(x == y),
            },
            (Value::List(x), Value::List(y)) => {
                self.charge(x.items.len().saturating_add(y.items.len()), None)?;
                if row.is_none() {
                    self.note_lists(&x, &y);
                }
                list_eq(&x, &y)
            }
            _ => return Err(internal("equal")),
        };
        Ok(Value::Bool(if *eq { t } else { t.not() }))
    }

    fn eval_arith(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Arith(op, a, b, loc) = node else {
            return Err(internal("arith"));
        };
        let (Value::Num(x, u), Value::Num(y, v)) = (self.eval(a, row)?, self.eval(b, row)?) else {
            return Err(internal("arith"));
        };
        let res = match op {
            Arith::Add => x.add(&y),
            Arith::Sub => x.sub(&y),
            Arith::Mul => x.mul(&y),
            Arith::Div => x.div(&y),
        }
        .map_err(|e| num_err(e, loc))?;
        let unit = match op {
            Arith::Mul => {
                if u == Unit::None {
                    v
                } else {
                    u
                }
            }
            Arith::Div if u == v => Unit::None,
            _ => u,
        };
        Ok(Value::Num(res, unit))
    }

    fn eval_neg(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Neg(a, loc) = node else {
            return Err(internal("neg"));
        };
        let Value::Num(x, u) = self.eval(a, row)? else {
            return Err(internal("neg"));
        };
        let m1 = Rational::from_int(-1);
        Ok(Value::Num(x.scale(m1).map_err(|e| num_err(e, loc))?, u))
    }

    fn eval_abs(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Abs(a, loc) = node else {
            return Err(internal("abs"));
        };
        let Value::Num(x, u) = self.eval(a, row)? else {
            return Err(internal("abs"));
        };
        Ok(Value::Num(
            abs_interval(&x).map_err(|e| num_err(e, loc))?,
            u,
        ))
    }

    fn eval_same_year(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::SameYear(a, b) = node else {
            return Err(internal("same_year"));
        };
        let ((x, cx), (y, cy)) = (self.date_side(a, row)?, self.date_side(b, row)?);
        let by_dates = same_year(&x, &y);
        let Some(gap) = self.linked(cx, cy) else {
            return Ok(Value::Bool(by_dates));
        };
        Ok(Value::Bool(match pair::same_year_linked(&x, &y, gap) {
            Some(t) => {
                if by_dates == Tri::Unknown && t != Tri::Unknown {
                    self.settled_by_link(cx, cy, gap, row);
                }
                pair::either(t, by_dates)
            }
            None => by_dates,
        }))
    }

    fn eval_in(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::In(item, list) = node else {
            return Err(internal("in"));
        };
        let x = self.eval(item, row)?;
        let Value::List(l) = self.eval(list, row)? else {
            return Err(internal("in"));
        };
        Ok(Value::Bool(match x {
            Value::Text(Some(t)) => {
                let m = l.membership(&t);
                if row.is_none() {
                    self.notes.push(Event::Membership {
                        item: t.clone(),
                        membership: m,
                        list: l.clone(),
                    });
                }
                m
            }
            Value::Text(None) => {
                if l.items.is_empty() && !l.open {
                    Tri::False
                } else {
                    Tri::Unknown
                }
            }
            _ => return Err(internal("in item")),
        }))
    }

    fn eval_matches(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Matches(a, re) = node else {
            return Err(internal("matches"));
        };
        Ok(Value::Bool(match self.eval(a, row)? {
            Value::Text(Some(t)) => Tri::from_bool(re.is_match(&t)),
            _ => Tri::Unknown,
        }))
    }

    fn eval_is_unknown(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::IsUnknown(a, known) = node else {
            return Err(internal("is_unknown"));
        };
        let unknown = match self.eval(a, row)? {
            Value::Text(t) => t.is_none(),
            Value::Bool(t) => t == Tri::Unknown,
            Value::Num(iv, _) => iv.lo() == Bound::Unbounded && iv.hi() == Bound::Unbounded,
            Value::Date(d) => d.lo.is_none() && d.hi.is_none(),
            Value::List(l) => l.open && l.items.is_empty(),
            _ => false,
        };
        Ok(Value::Bool(Tri::from_bool(unknown != *known)))
    }

    fn eval_subset(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Subset(a, b, extras) = node else {
            return Err(internal("subset"));
        };
        let (Value::List(x), Value::List(y)) = (self.eval(a, row)?, self.eval(b, row)?) else {
            return Err(internal("subset"));
        };
        self.charge(x.items.len().saturating_add(y.items.len()), None)?;
        let result = subset(&x, &y);
        if row.is_none() {
            let (xp, yp) = (x.possible(), y.possible());
            let missing = owned(xp.difference(&yp).copied());
            if !missing.is_empty() {
                self.notes.push(Event::NotInList(missing));
            }
            let extra = owned(yp.difference(&xp).copied());
            if *extras && !extra.is_empty() {
                self.notes.push(Event::ListAlsoHas(extra));
            }
        }
        Ok(Value::Bool(result))
    }

    fn eval_list(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::List(items) = node else {
            return Err(internal("list"));
        };
        let mut out = Vec::with_capacity(items.len());
        let mut open = false;
        for it in items {
            match self.eval(it, row)? {
                Value::Text(Some(t)) => out.push((t, Tri::True)),
                _ => open = true,
            }
        }
        Ok(Value::List(Arc::new(ListVal::new(out, open))))
    }

    fn row_hint(&self, row: Option<(TableId, u32)>) -> String {
        match row.and_then(|(t, r)| self.ev.tables.get(t).map(|tb| (tb, r))) {
            Some((tb, r)) => format!(" for record `{}` of `{}`", tb.key_of(r), tb.name),
            None => String::new(),
        }
    }

    /// Note how two lists compared for equality differ, for explanations.
    fn note_lists(&mut self, x: &ListVal, y: &ListVal) {
        let (xp, yp) = (x.possible(), y.possible());
        let only_x = owned(xp.difference(&yp).copied());
        let only_y = owned(yp.difference(&xp).copied());
        let settled = only_x.is_empty() && only_y.is_empty();
        if !only_x.is_empty() {
            self.notes.push(Event::OnlyLeft(only_x));
        }
        if !only_y.is_empty() {
            self.notes.push(Event::OnlyRight(only_y));
        }
        let maybe = owned(
            x.items
                .iter()
                .chain(y.items.iter())
                .filter(|(_, t)| *t == Tri::Unknown)
                .map(|(k, _)| &**k),
        );
        if !maybe.is_empty() {
            self.notes.push(Event::Unsettled(maybe));
        } else if settled && !x.open && !y.open {
            self.notes.push(Event::BothAre(Arc::new(x.clone())));
        }
    }

    fn truth(&mut self, n: &Node, row: Option<(TableId, u32)>) -> R<Tri> {
        match self.eval(n, row)? {
            Value::Bool(t) => Ok(t),
            _ => Err(internal("not a boolean")),
        }
    }

    fn eval_agg(&mut self, node: &Node, row: Option<(TableId, u32)>) -> R<Value> {
        let Node::Agg(kind, set, expr, loc) = node else {
            return Err(internal("aggregate"));
        };
        let Value::Set(s) = self.eval(set, row)? else {
            return Err(internal("aggregate"));
        };
        self.witness_set(&s);
        let v = self
            .aggregate_rows(*kind, &s, expr, loc, row)
            .map_err(|e| e.within(loc))?;
        if self.trace.is_some() {
            self.trace_per_record(node, *kind, &s, expr);
        }
        Ok(v)
    }

    /// Sum, mean, min or max of a number or date column, or of the years,
    /// months or days between two date columns, over a non-empty set of
    /// certain members whose cells are exact: computed on the column
    /// vectors, with the value the record-at-a-time loop gives (exact
    /// arithmetic makes the order of additions irrelevant). `None` when the
    /// case is not one of these.
    fn columnar_aggregate(
        &mut self,
        kind: AggKind,
        s: &RecSet,
        expr: &Node,
        loc: &Loc,
    ) -> R<Option<Value>> {
        if s.is_empty() || !s.is_exact() {
            return Ok(None);
        }
        let Some(table) = self.ev.tables.get(s.table) else {
            return Ok(None);
        };
        let data = |c: &usize| table.columns.get(*c).map(|c| (&c.data, c.unit));
        let n = s.len();
        self.charge(n, Some(loc))?;
        match expr {
            Node::Column(c) => match data(c) {
                Some((ColumnData::Num(nc), unit)) => {
                    if nc.other.keys().any(|r| s.possible.get(*r as usize)) {
                        return Ok(None);
                    }
                    let vals = s.possible.iter().filter_map(|r| nc.scaled.get(r as usize));
                    let scaled = match kind {
                        AggKind::Min => vals.min().map(|v| i128::from(*v)),
                        AggKind::Max => vals.max().map(|v| i128::from(*v)),
                        _ => Some(vals.map(|v| i128::from(*v)).sum()),
                    };
                    let Some(scaled) = scaled else {
                        return Ok(None);
                    };
                    let den = Rational::pow10(nc.exp).map_err(|e| num_err(e, loc))?;
                    let v = Rational::from_int(scaled)
                        .checked_div(den)
                        .map_err(|e| num_err(e, loc))?;
                    let iv = Interval::point(v);
                    Ok(Some(Value::Num(self.finish_mean(kind, iv, n, loc)?, unit)))
                }
                Some((ColumnData::Date(dc), _)) if matches!(kind, AggKind::Min | AggKind::Max) => {
                    let mut best: Option<i32> = None;
                    for r in s.possible.iter() {
                        let (Some(lo), Some(hi)) = (dc.lo.get(r as usize), dc.hi.get(r as usize))
                        else {
                            return Ok(None);
                        };
                        if lo != hi || *lo == NO_LO {
                            return Ok(None);
                        }
                        best = Some(match (best, kind) {
                            (None, _) => *lo,
                            (Some(b), AggKind::Min) => b.min(*lo),
                            (Some(b), _) => b.max(*lo),
                        });
                    }
                    let day = best.and_then(crate::evidence::column::date_of);
                    Ok(day.map(|d| Value::Date(DateRange::day(d))))
                }
                _ => Ok(None),
            },
            Node::Between(between, a, b, _) if matches!(kind, AggKind::Sum | AggKind::Mean) => {
                let (Node::Column(a), Node::Column(b)) = (&**a, &**b) else {
                    return Ok(None);
                };
                let (Some((ColumnData::Date(a), _)), Some((ColumnData::Date(b), _))) =
                    (data(a), data(b))
                else {
                    return Ok(None);
                };
                let mut days: i128 = 0;
                for r in s.possible.iter() {
                    let i = r as usize;
                    let (Some(al), Some(ah), Some(bl), Some(bh)) =
                        (a.lo.get(i), a.hi.get(i), b.lo.get(i), b.hi.get(i))
                    else {
                        return Ok(None);
                    };
                    if al != ah || bl != bh || *al == NO_LO || *bl == NO_LO {
                        return Ok(None);
                    }
                    days += i128::from(*bl) - i128::from(*al);
                }
                let v = Rational::from_int(days)
                    .checked_mul(between_scale(*between))
                    .map_err(|e| num_err(e, loc))?;
                let iv = self.finish_mean(kind, Interval::point(v), n, loc)?;
                Ok(Some(Value::Num(iv, between_unit(*between))))
            }
            _ => Ok(None),
        }
    }

    /// A mean from its sum (other aggregates unchanged).
    fn finish_mean(&self, kind: AggKind, sum: Interval, n: usize, loc: &Loc) -> R<Interval> {
        if kind != AggKind::Mean {
            return Ok(sum);
        }
        let n = Rational::from_int(n as i128);
        let k = Rational::ONE.checked_div(n).map_err(|e| num_err(e, loc))?;
        sum.scale(k).map_err(|e| num_err(e, loc))
    }

    fn aggregate_rows(
        &mut self,
        kind: AggKind,
        s: &RecSet,
        expr: &Node,
        loc: &Loc,
        row: Option<(TableId, u32)>,
    ) -> R<Value> {
        if kind != AggKind::All && kind != AggKind::Any {
            if let Some(v) = self.columnar_aggregate(kind, s, expr, loc)? {
                return Ok(v);
            }
        }
        match kind {
            AggKind::All | AggKind::Any => {
                let mut acc = Tri::from_bool(kind == AggKind::All);
                let mut failing = Vec::new();
                let mut holding = Vec::new();
                for (r, m) in s.iter() {
                    let t = self.truth(expr, Some((s.table, r)))?;
                    let key = self
                        .ev
                        .tables
                        .get(s.table)
                        .map(|tb| tb.key_of(r).to_string())
                        .unwrap_or_default();
                    match t {
                        Tri::True => holding.push(key),
                        Tri::False => failing.push((key, false)),
                        Tri::Unknown => failing.push((key, true)),
                    }
                    acc = if kind == AggKind::All {
                        acc.and(m.not().or(t))
                    } else {
                        acc.or(m.and(t))
                    };
                }
                if row.is_none() {
                    if kind == AggKind::All && !failing.is_empty() {
                        self.notes.push(Event::FailsFor(failing));
                    }
                    if kind == AggKind::Any && !holding.is_empty() {
                        self.notes.push(Event::HoldsFor(holding));
                    }
                }
                Ok(Value::Bool(acc))
            }
            AggKind::Min | AggKind::Max => {
                let mut values = Vec::new();
                for (r, m) in s.iter() {
                    values.push((self.eval(expr, Some((s.table, r)))?, m));
                }
                extreme(kind, &values, loc)
            }
            AggKind::Sum | AggKind::Mean => {
                let mut sum = Interval::point(Rational::ZERO);
                let mut hull: Option<Interval> = None;
                let mut unit = Unit::None;
                let mut all_certain = true;
                for (r, m) in s.iter() {
                    let Value::Num(iv, u) = self.eval(expr, Some((s.table, r)))? else {
                        return Err(internal("sum value"));
                    };
                    unit = u;
                    hull = Some(hull.map_or(iv, |h| h.hull(&iv)));
                    let contrib = if m == Tri::True {
                        iv
                    } else {
                        all_certain = false;
                        iv.hull(&Interval::point(Rational::ZERO))
                    };
                    sum = sum.add(&contrib).map_err(|e| num_err(e, loc))?;
                }
                if kind == AggKind::Sum {
                    return Ok(Value::Num(sum, unit));
                }
                if s.is_empty() {
                    return Ok(Value::NoRecords(None, loc.clone()));
                }
                if all_certain {
                    let n = Rational::from_int(s.len() as i128);
                    let k = Rational::ONE.checked_div(n).map_err(|e| num_err(e, loc))?;
                    return Ok(Value::Num(sum.scale(k).map_err(|e| num_err(e, loc))?, unit));
                }
                // With uncertain membership, a mean lies within the values
                // it averages, when there is at least one.
                let mean = Value::Num(hull.unwrap_or_else(Interval::unbounded), unit);
                if s.certain_len() == 0 {
                    return Ok(Value::NoRecords(Some(Box::new(mean)), loc.clone()));
                }
                Ok(mean)
            }
        }
    }
}

/// The minimum or maximum of the values of a set's possible members, each
/// with its membership (certain or possible), as [`Node::Agg`] gives it:
/// with a certain member, the extreme of the certain ones bounds one end
/// (members that may not belong only move a minimum down and a maximum up)
/// and the extreme of all the other; with none, any one member may be the
/// only one. Dates and numbers alike; shared with the SQL engine, which
/// computes it from the extremes a query returns.
pub(crate) fn extreme(kind: AggKind, values: &[(Value, Tri)], loc: &Loc) -> R<Value> {
    let empty_err = || EvalError {
        code: "eval/empty-set",
        message: "aggregate over an empty set".into(),
        loc: Some(loc.clone()),
    };
    let mut dates_certain = Vec::new();
    let mut dates_possible = Vec::new();
    let mut nums: Vec<(Interval, Tri)> = Vec::new();
    let mut unit = Unit::None;
    for (v, m) in values {
        match v {
            Value::Date(d) => {
                dates_possible.push(*d);
                if *m == Tri::True {
                    dates_certain.push(*d);
                }
            }
            Value::Num(iv, u) => {
                unit = *u;
                nums.push((*iv, *m));
            }
            _ => return Err(internal("min/max value")),
        }
    }
    if values.is_empty() {
        return Ok(Value::NoRecords(None, loc.clone()));
    }
    let certain_len = values.iter().filter(|(_, m)| *m == Tri::True).count();
    let maybe_none = |v: Value| {
        if certain_len == 0 {
            // Every record may be absent: so may the value.
            Value::NoRecords(Some(Box::new(v)), loc.clone())
        } else {
            v
        }
    };
    if !dates_possible.is_empty() {
        let f = if kind == AggKind::Min { min_of } else { max_of };
        let all = f(&dates_possible).ok_or_else(empty_err)?;
        let res = match f(&dates_certain) {
            Some(c) if dates_certain.len() == dates_possible.len() => c,
            Some(c) => c.hull(&all),
            None => dates_possible.iter().fold(all, |acc, d| acc.hull(d)),
        };
        return Ok(maybe_none(Value::Date(res)));
    }
    let extreme = |certain_only: bool| {
        let mut acc: Option<Interval> = None;
        for (iv, m) in &nums {
            if certain_only && *m != Tri::True {
                continue;
            }
            acc = Some(match acc {
                None => *iv,
                Some(a) if kind == AggKind::Min => min_iv(&a, iv),
                Some(a) => max_iv(&a, iv),
            });
        }
        acc
    };
    let all = extreme(false).ok_or_else(empty_err)?;
    let res = match extreme(true) {
        Some(certain) => certain.hull(&all),
        None => nums.iter().fold(all, |acc, (iv, _)| acc.hull(iv)),
    };
    Ok(maybe_none(Value::Num(res, unit)))
}

/// The error for an aggregate without a value where one is needed.
fn no_value(certainly: bool, loc: Loc) -> EvalError {
    EvalError {
        code: "eval/empty-set",
        message: if certainly {
            "aggregate over an empty set: with no records there is no value to use here".into()
        } else {
            "aggregate over a set that may have no records: then there is no value to use here"
                .into()
        },
        loc: Some(loc),
    }
}

/// `|x|` for every value `x` may take: itself when it cannot be negative,
/// its negation when it cannot be positive, else from 0 to the larger
/// magnitude of its ends.
fn abs_interval(x: &Interval) -> Result<Interval, NumError> {
    let value = |b: Bound| match b {
        Bound::Incl(r) | Bound::Excl(r) => Some(r),
        Bound::Unbounded => None,
    };
    let lo = value(x.lo());
    let hi = value(x.hi());
    if lo.is_some_and(|l| !l.is_negative()) {
        return Ok(*x);
    }
    if hi.is_some_and(|h| h.is_negative() || h.is_zero()) {
        return x.scale(Rational::from_int(-1));
    }
    // Zero is inside: the largest magnitude is the farther end.
    let upper = match (x.lo(), x.hi()) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => Bound::Unbounded,
        (l, h) => {
            let (Some(lv), Some(hv)) = (value(l), value(h)) else {
                return Ok(Interval::unbounded());
            };
            let down = lv.neg()?;
            if down > hv {
                if matches!(l, Bound::Incl(_)) {
                    Bound::Incl(down)
                } else {
                    Bound::Excl(down)
                }
            } else if hv > down {
                h
            } else if matches!(l, Bound::Incl(_)) || matches!(h, Bound::Incl(_)) {
                Bound::Incl(hv)
            } else {
                Bound::Excl(hv)
            }
        }
    };
    Ok(Interval::new(Bound::Incl(Rational::ZERO), upper).unwrap_or_else(Interval::unbounded))
}

/// Whether two dates fall in the same calendar year: true when both lie
/// wholly in one and the same year, false when no year can hold both.
fn same_year(a: &DateRange, b: &DateRange) -> Tri {
    let years = |d: &DateRange| (d.lo.map(|x| x.year()), d.hi.map(|x| x.year()));
    let ((alo, ahi), (blo, bhi)) = (years(a), years(b));
    let one = |lo: Option<i16>, hi: Option<i16>| lo.zip(hi).filter(|(l, h)| l == h).map(|(l, _)| l);
    if let (Some(x), Some(y)) = (one(alo, ahi), one(blo, bhi)) {
        return Tri::from_bool(x == y);
    }
    let before = |hi: Option<i16>, lo: Option<i16>| hi.zip(lo).is_some_and(|(h, l)| h < l);
    if before(ahi, blo) || before(bhi, alo) {
        Tri::False
    } else {
        Tri::Unknown
    }
}

/// Owned copies of borrowed texts, in order.
fn owned<'a>(it: impl Iterator<Item = &'a str>) -> Vec<Arc<str>> {
    it.map(Arc::from).collect()
}

fn tri(o: Option<bool>) -> Tri {
    match o {
        Some(b) => Tri::from_bool(b),
        None => Tri::Unknown,
    }
}

fn date_eq(a: &DateRange, b: &DateRange) -> Tri {
    tri(cmp_eq(a, b))
}

/// Order lower ends: an unbounded end is lowest; at equal values an
/// inclusive end reaches lower than an exclusive one.
fn lower_le(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (Bound::Unbounded, _) => true,
        (_, Bound::Unbounded) => false,
        (Bound::Incl(x), Bound::Incl(y))
        | (Bound::Excl(x), Bound::Excl(y))
        | (Bound::Incl(x), Bound::Excl(y)) => x <= y,
        (Bound::Excl(x), Bound::Incl(y)) => x < y,
    }
}

/// Order upper ends: an unbounded end is highest; at equal values an
/// exclusive end stops lower than an inclusive one.
fn upper_le(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (_, Bound::Unbounded) => true,
        (Bound::Unbounded, _) => false,
        (Bound::Incl(x), Bound::Incl(y))
        | (Bound::Excl(x), Bound::Excl(y))
        | (Bound::Excl(x), Bound::Incl(y)) => x <= y,
        (Bound::Incl(x), Bound::Excl(y)) => x < y,
    }
}

/// Interval of min(a, b) for a in x, b in y.
fn min_iv(x: &Interval, y: &Interval) -> Interval {
    let lo = if lower_le(x.lo(), y.lo()) {
        x.lo()
    } else {
        y.lo()
    };
    let hi = if upper_le(x.hi(), y.hi()) {
        x.hi()
    } else {
        y.hi()
    };
    Interval::new(lo, hi).unwrap_or_else(|| x.hull(y))
}

/// Interval of max(a, b) for a in x, b in y.
fn max_iv(x: &Interval, y: &Interval) -> Interval {
    let lo = if lower_le(x.lo(), y.lo()) {
        y.lo()
    } else {
        x.lo()
    };
    let hi = if upper_le(x.hi(), y.hi()) {
        y.hi()
    } else {
        x.hi()
    };
    Interval::new(lo, hi).unwrap_or_else(|| x.hull(y))
}

fn list_eq(x: &ListVal, y: &ListVal) -> Tri {
    let (xc, xp, yc, yp) = (x.certain(), x.possible(), y.certain(), y.possible());
    // False if some certain member of one cannot be in the other.
    if (!y.open && !xc.is_subset(&yp)) || (!x.open && !yc.is_subset(&xp)) {
        return Tri::False;
    }
    if !x.open && !y.open && xc == xp && yc == yp && xc == yc {
        return Tri::True;
    }
    Tri::Unknown
}

fn subset(x: &ListVal, y: &ListVal) -> Tri {
    let (xc, xp, yc, yp) = (x.certain(), x.possible(), y.certain(), y.possible());
    if !y.open && !xc.is_subset(&yp) {
        return Tri::False;
    }
    if !x.open && xp.is_subset(&yc) {
        return Tri::True;
    }
    Tri::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(items: &[(&str, Tri)], open: bool) -> ListVal {
        ListVal::new(
            items.iter().map(|(s, t)| (Arc::from(*s), *t)).collect(),
            open,
        )
    }

    #[test]
    fn set_equality_is_three_valued() {
        let a = l(&[("x", Tri::True), ("y", Tri::True)], false);
        let b = l(&[("y", Tri::True), ("x", Tri::True)], false);
        assert_eq!(list_eq(&a, &b), Tri::True);
        let maybe = l(&[("x", Tri::True), ("y", Tri::Unknown)], false);
        assert_eq!(list_eq(&maybe, &b), Tri::Unknown);
        let other = l(&[("x", Tri::True), ("z", Tri::True)], false);
        assert_eq!(list_eq(&other, &b), Tri::False);
        assert_eq!(subset(&l(&[("x", Tri::True)], false), &b), Tri::True);
        assert_eq!(subset(&other, &b), Tri::False);
        assert_eq!(subset(&maybe, &l(&[("x", Tri::True)], false)), Tri::Unknown);
    }

    #[test]
    fn membership_uses_the_index_for_long_lists() {
        let items: Vec<(String, Tri)> = (0..100)
            .map(|i| {
                (
                    format!("k{i}"),
                    if i % 2 == 0 { Tri::True } else { Tri::Unknown },
                )
            })
            .collect();
        let list = ListVal::new(
            items
                .iter()
                .map(|(s, t)| (Arc::from(s.as_str()), *t))
                .collect(),
            false,
        );
        assert_eq!(list.membership("k4"), Tri::True);
        assert_eq!(list.membership("k5"), Tri::Unknown);
        assert_eq!(list.membership("k100"), Tri::False);
    }

    #[test]
    fn witnesses_are_a_bitset_in_row_order() {
        let mut w = Witnesses::default();
        w.mark(1, 130, 200);
        w.mark(1, 3, 200);
        w.mark(0, 63, 64);
        w.mark(1, 3, 200);
        assert_eq!(
            w.iter().collect::<Vec<_>>(),
            vec![(0, 63), (1, 3), (1, 130)]
        );
        let in_table = |t: TableId| w.iter().filter(|(x, _)| *x == t).count();
        assert_eq!((in_table(0), in_table(1), in_table(7)), (1, 2, 0));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// `at` a date, a word of records at a time, against its definition
        /// record by record: in force when `from <= d` and `d < to`, each
        /// three-valued; the records found no longer in force (ended) are
        /// considered, those not yet begun are not.
        #[test]
        fn at_agrees_with_its_definition(
            rows in proptest::collection::vec((0..9usize, 0..9usize), 0..150),
            day in 0..7usize,
        ) {
            use crate::date::parse_date_value;
            use crate::diag::Files;
            const DATES: &[&str] = &[
                "2020-05-01", "2020-05-02", "2020-05", "2020", "2019-12-31..2020-05-01",
                "2020-05-01..", "..2020-05-01", "", "2021-01-01",
            ];
            let table = "[table]\nname = \"t\"\ndescription = \"d\"\nkey = \"id\"\n\
                temporal = { from = \"from\", to = \"to\" }\ncsv = \"t.csv\"\n\
                [[column]]\nname = \"id\"\ntype = \"text\"\n\
                [[column]]\nname = \"from\"\ntype = \"date\"\n\
                [[column]]\nname = \"to\"\ntype = \"date\"\n";
            let mut csv = String::from("id,from,to,sources\n");
            for (i, (f, t)) in rows.iter().enumerate() {
                csv.push_str(&format!("r{i},{},{},s\n", DATES[*f], DATES[*t]));
            }
            let sources = "[[source]]\nid = \"s\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/\"\ndate = \"2025\"\n";
            let mut files = Files::default();
            let mut diags = Vec::new();
            let ev = crate::evidence::load_from(
                vec![
                    ("e/sources.toml".into(), sources.into()),
                    ("e/t.toml".into(), table.into()),
                    ("e/t.csv".into(), csv),
                ],
                &mut files,
                &mut diags,
            );
            proptest::prop_assert!(diags.is_empty(), "{:?}", diags);
            let d = parse_date_value(DATES[day]).unwrap_or(DateRange::unknown());
            let program = Program::default();
            let mut ctx = Ctx::new(&ev, &program, d, d);
            let node = Node::At(
                Box::new(Node::TableAll(0)),
                Box::new(Node::Const(Value::Date(d))),
            );
            let Ok(Value::Set(set)) = ctx.eval(&node, None) else {
                panic!("not a set");
            };
            let date = |r: u32, c: usize| match ev.tables[0].columns[c].get(r) {
                Some(Cell::Date(x)) => x,
                _ => DateRange::unknown(),
            };
            for r in 0..rows.len() as u32 {
                let want = tri(cmp_le(&date(r, 1), &d)).and(tri(cmp_lt(&d, &date(r, 2))));
                let got = match (set.certain.get(r as usize), set.possible.get(r as usize)) {
                    (true, true) => Tri::True,
                    (false, true) => Tri::Unknown,
                    (false, false) => Tri::False,
                    (true, false) => panic!("certain but not possible"),
                };
                proptest::prop_assert_eq!(got, want, "record {}", r);
                let ended = tri(cmp_lt(&d, &date(r, 2))) == Tri::False;
                proptest::prop_assert_eq!(set.considered.get(r as usize), ended, "record {}", r);
            }
        }
    }

    #[test]
    fn abs_of_intervals() {
        let r = |n: i128| Rational::from_int(n);
        let iv = |lo: Bound, hi: Bound| Interval::new(lo, hi).unwrap();
        let (i, e, u) = (Bound::Incl, Bound::Excl, Bound::Unbounded);
        let cases = [
            (iv(i(r(-3)), i(r(2))), iv(i(r(0)), i(r(3)))),
            (iv(e(r(-3)), i(r(2))), iv(i(r(0)), e(r(3)))),
            (iv(i(r(-2)), e(r(3))), iv(i(r(0)), e(r(3)))),
            (iv(i(r(-3)), e(r(3))), iv(i(r(0)), i(r(3)))),
            (iv(e(r(-3)), e(r(3))), iv(i(r(0)), e(r(3)))),
            (iv(i(r(2)), i(r(5))), iv(i(r(2)), i(r(5)))),
            (iv(e(r(0)), i(r(5))), iv(e(r(0)), i(r(5)))),
            (iv(i(r(-5)), e(r(-2))), iv(e(r(2)), i(r(5)))),
            (iv(i(r(-5)), i(r(0))), iv(i(r(0)), i(r(5)))),
            (iv(u, i(r(1))), iv(i(r(0)), u)),
            (iv(i(r(1)), u), iv(i(r(1)), u)),
            (iv(u, i(r(-1))), iv(i(r(1)), u)),
            (Interval::point(r(-4)), Interval::point(r(4))),
        ];
        for (x, want) in cases {
            assert_eq!(abs_interval(&x).unwrap(), want, "{x}");
        }
    }

    #[test]
    fn same_year_is_three_valued() {
        let d = |s: &str| crate::date::parse_date_value(s).unwrap();
        assert_eq!(same_year(&d("2023-05"), &d("2023")), Tri::True);
        assert_eq!(same_year(&d("2023"), &d("2024-01")), Tri::False);
        assert_eq!(
            same_year(&d("2023-12-31..2024-01-01"), &d("2024")),
            Tri::Unknown
        );
        assert_eq!(same_year(&d("..2022"), &d("2023")), Tri::False);
        assert_eq!(same_year(&d("2023-03"), &d("unknown")), Tri::Unknown);
        assert_eq!(same_year(&d("2021..2022"), &d("2023..2024")), Tri::False);
    }

    #[test]
    fn tally_counts_as_a_visit_of_every_record_would() {
        use crate::diag::Files;
        let sources: String = (1..=3)
            .map(|i| {
                format!("[[source]]\nid = \"s{i}\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/{i}\"\ndate = \"2025\"\n")
            })
            .collect();
        let table = |name: &str| {
            format!("[table]\nname = \"{name}\"\ndescription = \"d\"\nkey = \"id\"\ncsv = \"{name}.csv\"\n[[column]]\nname = \"id\"\ntype = \"text\"\n")
        };
        let cites = ["s1", "s1;s2", "s3", "s2;s3;s1"];
        let mixed: String = (0..300)
            .map(|i| format!("r{i},{}\n", cites[(i * 7 + i / 5) % 4]))
            .collect();
        let uniform: String = (0..100).map(|i| format!("u{i},s2\n")).collect();
        let mut files = Files::default();
        let mut diags = Vec::new();
        let ev = crate::evidence::load_from(
            vec![
                ("e/sources.toml".into(), sources),
                ("e/a.toml".into(), table("a")),
                ("e/a.csv".into(), format!("id,sources\n{mixed}")),
                ("e/b.toml".into(), table("b")),
                ("e/b.csv".into(), format!("id,sources\n{uniform}")),
            ],
            &mut files,
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        for step in [1usize, 2, 3, 7, 64, 299] {
            let mut w = Witnesses::default();
            for t in 0..2 {
                let n = ev.tables[t].len();
                for r in (t..n).step_by(step) {
                    w.mark(t, r as u32, n);
                }
            }
            // The visit of every record the engine used to make.
            let mut cited = vec![0; ev.sources.len()];
            let mut tables: Vec<(TableId, usize, Vec<u32>)> = Vec::new();
            for (t, r) in w.iter() {
                for i in ev.tables[t].sources_of(r) {
                    cited[*i] += 1;
                }
                match tables.last_mut() {
                    Some(last) if last.0 == t => {
                        last.1 += 1;
                        if last.2.len() < 5 {
                            last.2.push(r);
                        }
                    }
                    _ => tables.push((t, 1, vec![r])),
                }
            }
            assert_eq!(w.tally(&ev, 5), Tally { tables, cited }, "step {step}");
        }
    }

    #[test]
    fn min_and_max_of_intervals() {
        let r = |a: i128, b: i128| {
            Interval::closed(Rational::from_int(a), Rational::from_int(b))
                .unwrap_or_else(Interval::unbounded)
        };
        assert_eq!(min_iv(&r(1, 5), &r(3, 4)), r(1, 4));
        assert_eq!(max_iv(&r(1, 5), &r(3, 4)), r(3, 5));
        let open = Interval::new(Bound::Incl(Rational::from_int(2)), Bound::Unbounded)
            .unwrap_or_else(Interval::unbounded);
        assert_eq!(max_iv(&r(1, 5), &open), open);
        assert_eq!(min_iv(&r(1, 5), &open), r(1, 5));
    }
}

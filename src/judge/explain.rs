//! The evaluation trace of one claim, for `factcheck explain`: every
//! sub-expression of its measure with its value, the definitions it uses
//! (expanded), for each filter the records kept and dropped and the values
//! that decided it, for each per-record aggregate the value of each record,
//! then the qualifier rule, the precision interval and the verdict with its
//! sources (from the same [`ClaimVerdict`] every report renders).
//!
//! Nothing is evaluated here. The claim is evaluated once, by the execute
//! stage, with a trace ([`crate::eval::Trace`]): the events of that one
//! evaluation — each node's value, what each filter and per-record
//! aggregate did with each record — are what the verdict is read from and
//! what this module lays out, sub-expression by sub-expression of the
//! measure as written (each sub-expression paired with the node it
//! compiled to). A part the evaluation never reached (it failed before,
//! or the result did not need it) has no value. Nothing here decides
//! anything; this module and `render::explain` only word the events.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::claims::{Claim, ClaimFile};
use crate::diag::Files;
use crate::eval::{Outcome, RecSet, Records, Trace, Value};
use crate::evidence::Evidence;
use crate::expr::{BinOp, Expr, ExprKind};
use crate::resolve::{Node, Origin, Program};
use crate::statement::{parse_number_statement, Stated, QUALIFIERS};
use crate::verdict::{describe_value, ClaimVerdict};

/// Most records listed per filter or aggregate; the rest are counted.
pub use crate::eval::MAX_TRACED_RECORDS;

/// The one evaluation of a claim an explanation is built from.
#[derive(Debug, Clone, Copy)]
pub struct Evaluated<'a> {
    /// The program of the claim's file (its definitions).
    pub program: &'a Program,
    /// The measure as compiled (`None`: it did not compile).
    pub node: Option<&'a Node>,
    /// The events of its evaluation (`None`: it was not evaluated).
    pub trace: Option<&'a Trace>,
}

/// The whole trace of one claim.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The verdict with its reasons, as every report has it.
    pub verdict: ClaimVerdict,
    /// The measure, sub-expression by sub-expression (pre-order).
    pub steps: Vec<Step>,
    /// The qualifier of the statement and its declared meaning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<QualifierUse>,
}

/// A qualifier as the statement uses it.
#[derive(Debug, Clone, Serialize)]
pub struct QualifierUse {
    /// The words written.
    pub words: String,
    /// What they are declared to mean.
    pub meaning: String,
}

/// One sub-expression.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Nesting depth (0 is the whole measure).
    pub depth: usize,
    /// The sub-expression as written, or `name = body` for a definition.
    pub expr: String,
    /// Its value, when it has one on its own (not inside a filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Records examined by a filter or a per-record aggregate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<RecordTrace>,
}

/// What a filter or aggregate did with each record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordTrace {
    /// The table.
    pub table: String,
    /// `filter` (condition per record) or `per-record` (a value per record).
    pub kind: &'static str,
    /// The condition or per-record expression.
    pub expr: String,
    /// Records kept (filter: condition true).
    pub kept: usize,
    /// Records that may or may not match (condition unknown).
    pub possible: usize,
    /// Records dropped (condition false).
    pub dropped: usize,
    /// The records, at most [`MAX_TRACED_RECORDS`].
    pub rows: Vec<RowTrace>,
}

/// One record in a [`RecordTrace`].
#[derive(Debug, Clone, Serialize)]
pub struct RowTrace {
    /// Key of the record.
    pub key: String,
    /// `kept`, `possible`, `dropped`, or the per-record value.
    pub outcome: String,
    /// The values of the columns the expression reads.
    pub because: Vec<String>,
}

const PER_RECORD: &[&str] = &["sum", "mean", "min", "max", "all", "any"];

/// The node a sub-expression compiled to, as far as it is known.
#[derive(Debug, Clone, Copy)]
enum Link<'n> {
    /// Not known (the sub-expression has no node of its own).
    None,
    /// This node.
    Node(&'n Node),
    /// `groups(set, column)`, the first argument of an aggregate over
    /// groups: no node of its own; its set is this node.
    Groups(&'n Node),
}

impl<'n> Link<'n> {
    /// The node, memoisation wrappers taken off.
    fn node(self) -> Option<&'n Node> {
        let Link::Node(mut n) = self else {
            return None;
        };
        while let Node::Memo(_, inner) = n {
            n = inner;
        }
        Some(n)
    }
}

struct Tracer<'a> {
    ev: &'a Evidence,
    defs: &'a [crate::resolve::DefSource],
    program: &'a Program,
    trace: Option<&'a Trace>,
    files: &'a Files,
    steps: Vec<Step>,
    expanded: BTreeSet<String>,
}

/// Lay out the trace of a claim's measure from the events of its one
/// evaluation (`evaluated`); `verdict` is the claim's verdict from that
/// same evaluation.
pub fn explain(
    ev: &Evidence,
    files: &Files,
    cf: &ClaimFile,
    claim: &Claim,
    evaluated: Evaluated<'_>,
    verdict: ClaimVerdict,
) -> Explanation {
    let mut t = Tracer {
        ev,
        defs: &cf.defs,
        program: evaluated.program,
        trace: evaluated.trace,
        files,
        steps: Vec::new(),
        expanded: BTreeSet::new(),
    };
    if let Some(m) = &claim.measure {
        if let Some(expr) = &m.expr {
            let link = evaluated.node.map_or(Link::None, Link::Node);
            t.walk(expr, &m.origin, link, 0);
        }
    }
    let qualifier = claim
        .states
        .as_ref()
        .and_then(|(s, _)| parse_number_statement(s).ok())
        .and_then(|st| match st {
            Stated::Number { qualifier, .. } | Stated::Quantifier(qualifier) => Some(qualifier),
            _ => None,
        })
        .and_then(|q| QUALIFIERS.iter().find(|d| d.qualifier == q))
        .map(|d| QualifierUse {
            words: d.words.join(" / "),
            meaning: d.meaning.to_string(),
        });
    Explanation {
        verdict,
        steps: t.steps,
        qualifier,
    }
}

/// The nodes of the sub-expressions of `e` (in the order [`walk`] visits
/// them), given the node `e` compiled to: the compiler's shapes, read
/// backwards.
///
/// [`walk`]: Tracer::walk
fn children<'n>(e: &Expr, link: Link<'n>) -> Vec<Link<'n>> {
    let n = |b: &'n Node| Link::Node(b);
    let count = match &e.kind {
        ExprKind::Call(_, args) | ExprKind::List(args) => args.len(),
        ExprKind::Field(..) | ExprKind::Not(_) | ExprKind::Neg(_) | ExprKind::IsUnknown(..) => 1,
        ExprKind::Index(..) | ExprKind::Binary(..) | ExprKind::At(..) | ExprKind::Where(..) => 2,
        ExprKind::Name(_) | ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => 0,
    };
    let mut out: Vec<Link<'n>> = match (&e.kind, link) {
        (ExprKind::Call(f, _), Link::Groups(set)) if f.name == "groups" => vec![n(set)],
        (_, link) => match (&e.kind, link.node()) {
            (_, None) => Vec::new(),
            (ExprKind::Binary(BinOp::Matches, ..), Some(Node::Matches(a, _))) => vec![n(a)],
            (ExprKind::Call(..), Some(node)) => match node {
                Node::Count(a) | Node::Keys(a) | Node::Abs(a, _) | Node::Project(a, _) => {
                    vec![n(a)]
                }
                Node::Agg(_, a, b, _)
                | Node::Share(a, b, _)
                | Node::Between(_, a, b, _)
                | Node::SameYear(a, b)
                | Node::Refine(a, b, _)
                | Node::Subset(a, b, false) => vec![n(a), n(b)],
                Node::Subset(a, b, true) => vec![n(b), n(a)],
                Node::GroupAgg(_, set, _, each, _) => vec![Link::Groups(set), n(each)],
                _ => Vec::new(),
            },
            (ExprKind::List(_), Some(Node::List(items))) => items.iter().map(n).collect(),
            (
                ExprKind::Field(..) | ExprKind::Not(_) | ExprKind::Neg(_) | ExprKind::IsUnknown(..),
                Some(
                    Node::RecField(a, _)
                    | Node::Project(a, _)
                    | Node::Not(a)
                    | Node::Neg(a, _)
                    | Node::IsUnknown(a, _),
                ),
            ) => vec![n(a)],
            (
                ExprKind::Index(..) | ExprKind::Binary(..) | ExprKind::At(..) | ExprKind::Where(..),
                Some(
                    Node::Lookup(a, b, _)
                    | Node::And(a, b)
                    | Node::Or(a, b)
                    | Node::CmpNum(_, a, b)
                    | Node::CmpDate(_, a, b)
                    | Node::Equal(_, a, b)
                    | Node::In(a, b)
                    | Node::Arith(_, a, b, _)
                    | Node::At(a, b)
                    | Node::Where(a, b, _),
                ),
            ) => vec![n(a), n(b)],
            _ => Vec::new(),
        },
    };
    out.resize(count, Link::None);
    out
}

/// Whether a node's value depends on the record (or group) in scope: it
/// reads a column of it, or the group, other than through a part with a
/// scope of its own.
fn depends_on_record(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n {
            Node::Column(_) | Node::Group => return true,
            Node::Memo(..) | Node::Def(_) => {}
            Node::Where(set, _, _) | Node::Agg(_, set, _, _) | Node::GroupAgg(_, set, _, _, _) => {
                stack.push(set);
            }
            other => stack.extend(other.children()),
        }
    }
    false
}

impl Tracer<'_> {
    fn text(&self, origin: &Origin, e: &Expr) -> String {
        let span = origin.map(&e.span);
        let s = self
            .files
            .get(origin.file)
            .and_then(|f| f.text.get(span))
            .unwrap_or("");
        balance(&s.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    fn value(&self, link: Link<'_>) -> Option<&Value> {
        let Link::Node(n) = link else {
            return None;
        };
        self.trace?.value(n)
    }

    fn show(&self, v: &Value) -> String {
        match v {
            Value::Set(s) => self.show_set(s),
            Value::Record(t, r) => {
                let table = self.ev.tables.get(*t);
                format!(
                    "record {}[\"{}\"]",
                    table.map_or("?", |t| t.name.as_str()),
                    table.map_or_else(|| Arc::from("?"), |t| t.key_of(*r))
                )
            }
            Value::Text(Some(t)) => format!("\"{t}\""),
            Value::Text(None) => "unknown".into(),
            other => describe_value(other).display,
        }
    }

    fn show_set(&self, s: &RecSet) -> String {
        let Some(table) = self.ev.tables.get(s.table) else {
            return String::new();
        };
        let certain: Vec<String> = s
            .certain
            .iter()
            .map(|r| table.key_of(r).to_string())
            .collect();
        let possible = s.len() - certain.len();
        let mut shown: Vec<String> = certain.iter().take(12).cloned().collect();
        if certain.len() > 12 {
            shown.push(format!("… {} more", certain.len() - 12));
        }
        let mut out = format!(
            "{} {} record{}",
            certain.len(),
            table.name,
            if certain.len() == 1 { "" } else { "s" }
        );
        if possible > 0 {
            out.push_str(&format!(" (+{possible} possible)"));
        }
        if !shown.is_empty() {
            out.push_str(&format!(": {}", shown.join(", ")));
        }
        out
    }

    fn walk(&mut self, e: &Expr, origin: &Origin, link: Link<'_>, depth: usize) {
        let literal = matches!(
            e.kind,
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_)
        );
        if literal {
            return;
        }
        if let ExprKind::List(items) = &e.kind {
            if items.iter().all(|i| {
                matches!(
                    i.kind,
                    ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_)
                )
            }) {
                return;
            }
        }
        let value = self.value(link).map(|v| self.show(v));
        let at = self.steps.len();
        self.steps.push(Step {
            depth,
            expr: self.text(origin, e),
            value,
            records: None,
        });
        let kids = children(e, link);
        let kid = |i: usize| kids.get(i).copied().unwrap_or(Link::None);
        match &e.kind {
            ExprKind::Name(id) => self.definition(&id.name, depth + 1),
            ExprKind::Where(set, pred) => {
                self.walk(set, origin, kid(0), depth + 1);
                let records = self.records(link, pred, origin);
                if let Some(step) = self.steps.get_mut(at) {
                    step.records = records;
                }
                self.independent_parts(pred, origin, kid(1), depth + 1);
            }
            ExprKind::Call(f, args) if PER_RECORD.contains(&f.name.as_str()) => {
                if let (Some(set), Some(each)) = (args.first(), args.get(1)) {
                    self.walk(set, origin, kid(0), depth + 1);
                    let records = self.records(link, each, origin);
                    if let Some(step) = self.steps.get_mut(at) {
                        step.records = records;
                    }
                    self.independent_parts(each, origin, kid(1), depth + 1);
                }
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                for (i, a) in args.iter().enumerate() {
                    self.walk(a, origin, kid(i), depth + 1);
                }
            }
            ExprKind::Field(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::IsUnknown(inner, _) => self.walk(inner, origin, kid(0), depth + 1),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::At(a, b) => {
                self.walk(a, origin, kid(0), depth + 1);
                self.walk(b, origin, kid(1), depth + 1);
            }
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
        }
    }

    /// Inside a per-record expression, trace the largest parts that do not
    /// depend on the record (they have one value for all records).
    fn independent_parts(&mut self, e: &Expr, origin: &Origin, link: Link<'_>, depth: usize) {
        if link.node().is_some_and(|n| !depends_on_record(n)) {
            self.walk(e, origin, link, depth);
            return;
        }
        let kids = children(e, link);
        let kid = |i: usize| kids.get(i).copied().unwrap_or(Link::None);
        match &e.kind {
            ExprKind::Field(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::IsUnknown(inner, _) => self.independent_parts(inner, origin, kid(0), depth),
            ExprKind::Index(a, b)
            | ExprKind::Binary(_, a, b)
            | ExprKind::At(a, b)
            | ExprKind::Where(a, b) => {
                self.independent_parts(a, origin, kid(0), depth);
                self.independent_parts(b, origin, kid(1), depth);
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                for (i, a) in args.iter().enumerate() {
                    self.independent_parts(a, origin, kid(i), depth);
                }
            }
            ExprKind::Name(_) | ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
        }
    }

    /// Expand a definition the first time it is met.
    fn definition(&mut self, name: &str, depth: usize) {
        if !self.expanded.insert(name.to_string()) {
            return;
        }
        let Some(i) = self.defs.iter().position(|d| d.name == name) else {
            return;
        };
        let Some(d) = self.defs.get(i) else {
            return;
        };
        let Some(expr) = &d.expr else {
            return;
        };
        let origin = d.origin.clone();
        let body = self.text(&origin, expr);
        self.steps.push(Step {
            depth,
            expr: format!("definition {name} = {body}"),
            value: None,
            records: None,
        });
        let program = self.program;
        let link = match program.defs.get(i).and_then(Option::as_ref) {
            Some(n) => Link::Node(n),
            None => Link::None,
        };
        self.walk(expr, &origin, link, depth + 1);
    }

    /// What the filter or per-record aggregate `link` did with every
    /// record, from its event; `each` is its condition or per-record
    /// expression.
    fn records(&self, link: Link<'_>, each: &Expr, origin: &Origin) -> Option<RecordTrace> {
        let node = link.node()?;
        let r: &Records = self.trace?.records(node)?;
        let table = self.ev.tables.get(r.table)?;
        let rows = r
            .rows
            .iter()
            .map(|row| RowTrace {
                key: table.key_of(row.row).to_string(),
                outcome: match (&row.outcome, r.filter) {
                    (Outcome::Kept, true) => "kept".into(),
                    (Outcome::Possible, true) => "possible".into(),
                    (Outcome::Dropped, true) => "dropped".into(),
                    (Outcome::Kept, false) => "true".into(),
                    (Outcome::Possible, false) => "unknown".into(),
                    (Outcome::Dropped, false) => "false".into(),
                    (Outcome::Value(v), _) => self.show(v),
                    (Outcome::Error, _) => "error".into(),
                },
                because: row
                    .because
                    .iter()
                    .map(|(c, v)| {
                        let name = table.columns.get(*c).map_or("?", |c| c.name.as_str());
                        format!("{name} = {}", self.show(v))
                    })
                    .collect(),
            })
            .collect();
        Some(RecordTrace {
            table: table.name.clone(),
            kind: if r.filter { "filter" } else { "per-record" },
            expr: self.text(origin, each),
            kept: r.kept,
            possible: r.possible,
            dropped: r.dropped,
            rows,
        })
    }
}

/// A span of source text with the parentheses its parent owns restored, so
/// `(a where b).c` is not shown as `a where b).c`. Parentheses inside
/// string literals do not count.
fn balance(s: &str) -> String {
    let (mut depth, mut missing_open, mut in_str) = (0usize, 0usize, None);
    for c in s.chars() {
        match (c, in_str) {
            ('"' | '\'', None) => in_str = Some(c),
            (c, Some(q)) if c == q => in_str = None,
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) => {
                if depth == 0 {
                    missing_open += 1;
                } else {
                    depth -= 1;
                }
            }
            _ => {}
        }
    }
    format!("{}{s}{}", "(".repeat(missing_open), ")".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::balance;

    #[test]
    fn snippets_get_their_parentheses_back() {
        assert_eq!(balance("a where b).c"), "(a where b).c");
        assert_eq!(balance("not (x in (y).z"), "not (x in (y).z)");
        assert_eq!(balance("name == \")\""), "name == \")\"");
    }
}

//! The typed tree a measure compiles to: what `resolve` produces and
//! `eval` executes. It lives below both, so neither imports the other.

use std::sync::Arc;

use regex::Regex;

use crate::diag::Loc;
use crate::evidence::{Evidence, TableId};
use crate::expr::Unit;

use super::Value;

/// Static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Three-valued truth.
    Bool,
    /// A number in a unit; `integral` when it can only be whole (a count).
    Num(Unit, bool),
    /// Text.
    Text,
    /// A date range.
    Date,
    /// A list (set) of texts.
    List,
    /// A set of records of a table.
    Set(TableId),
    /// One record of a table.
    Record(TableId),
}

impl Ty {
    /// Name for messages.
    pub fn describe(self, ev: &Evidence) -> String {
        let tname = |t: TableId| {
            ev.tables
                .get(t)
                .map_or("?", |t| t.name.as_str())
                .to_string()
        };
        match self {
            Ty::Bool => "a boolean".into(),
            Ty::Num(Unit::None, true) => "a count".into(),
            Ty::Num(Unit::None, false) => "a number".into(),
            Ty::Num(u, _) => format!("a number in {}", u.name()),
            Ty::Text => "text".into(),
            Ty::Date => "a date".into(),
            Ty::List => "a list of texts".into(),
            Ty::Set(t) => format!("a set of `{}` records", tname(t)),
            Ty::Record(t) => format!("a `{}` record", tname(t)),
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Aggregates over a set with a per-record expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// Sum.
    Sum,
    /// Arithmetic mean.
    Mean,
    /// Smallest.
    Min,
    /// Largest.
    Max,
    /// Every record satisfies.
    All,
    /// Some record satisfies.
    Any,
}

/// Date differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Between {
    /// Years (days / 365.2425).
    Years,
    /// Months (days / 30.436875).
    Months,
    /// Days.
    Days,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A typed, resolved expression.
#[derive(Debug, Clone)]
pub enum Node {
    /// A literal value.
    Const(Value),
    /// The claim's as-of date.
    AsOf,
    /// The article's publication date.
    Published,
    /// A named definition.
    Def(usize),
    /// A column of the record in scope.
    Column(usize),
    /// A field of a record value.
    RecField(Box<Node>, usize),
    /// The values of a column over a set (a list).
    Project(Box<Node>, usize),
    /// Every record of a table.
    TableAll(TableId),
    /// A record looked up by key in a set.
    Lookup(Box<Node>, Box<Node>, Loc),
    /// Records of a set satisfying a predicate.
    Where(Box<Node>, Box<Node>, Loc),
    /// Records of a temporal table in force at a date.
    At(Box<Node>, Box<Node>),
    /// Number of records (or list items).
    Count(Box<Node>),
    /// An aggregate of an expression over a set.
    Agg(AggKind, Box<Node>, Box<Node>, Loc),
    /// An aggregate over the groups of a set (records with the same value
    /// in a column) of an expression over each group (`group`).
    GroupAgg(AggKind, Box<Node>, usize, Box<Node>, Loc),
    /// The records of the group in scope (inside a [`Node::GroupAgg`]).
    Group,
    /// Part of a whole, in percent.
    Share(Box<Node>, Box<Node>, Loc),
    /// Key values of a set.
    Keys(Box<Node>),
    /// Difference between two dates.
    Between(Between, Box<Node>, Box<Node>, Loc),
    /// Both intervals constrain the same quantity: their intersection.
    Refine(Box<Node>, Box<Node>, Loc),
    /// `not`
    Not(Box<Node>),
    /// `and`
    And(Box<Node>, Box<Node>),
    /// `or`
    Or(Box<Node>, Box<Node>),
    /// Compare two numbers.
    CmpNum(CmpOp, Box<Node>, Box<Node>),
    /// Compare two dates.
    CmpDate(CmpOp, Box<Node>, Box<Node>),
    /// Compare two texts, booleans or lists for (in)equality.
    Equal(bool, Box<Node>, Box<Node>),
    /// Arithmetic on numbers.
    Arith(Arith, Box<Node>, Box<Node>, Loc),
    /// Negation.
    Neg(Box<Node>, Loc),
    /// Absolute value.
    Abs(Box<Node>, Loc),
    /// Whether two dates fall in the same calendar year.
    SameYear(Box<Node>, Box<Node>),
    /// Membership of a text in a list.
    In(Box<Node>, Box<Node>),
    /// Regex match.
    Matches(Box<Node>, Arc<Regex>),
    /// Unknown test (`true` = `is known`).
    IsUnknown(Box<Node>, bool),
    /// Every item of the first list is in the second; the flag asks the
    /// explanation to name items of the second that the first leaves out
    /// (`includes_all`, where an omission is the interesting part).
    Subset(Box<Node>, Box<Node>, bool),
    /// A list literal.
    List(Vec<Node>),
    /// A sub-expression that does not depend on the record in scope:
    /// evaluated once per claim.
    Memo(usize, Box<Node>),
}

impl Node {
    /// The direct sub-expressions of this node (definitions are referred
    /// to by index, not entered).
    pub fn children(&self) -> Vec<&Node> {
        match self {
            Node::Const(_)
            | Node::AsOf
            | Node::Published
            | Node::Def(_)
            | Node::Column(_)
            | Node::Group
            | Node::TableAll(_) => Vec::new(),
            Node::RecField(a, _)
            | Node::Project(a, _)
            | Node::Count(a)
            | Node::Keys(a)
            | Node::Not(a)
            | Node::Neg(a, _)
            | Node::Abs(a, _)
            | Node::Matches(a, _)
            | Node::IsUnknown(a, _)
            | Node::Memo(_, a) => vec![a],
            Node::Lookup(a, b, _)
            | Node::Where(a, b, _)
            | Node::At(a, b)
            | Node::Agg(_, a, b, _)
            | Node::GroupAgg(_, a, _, b, _)
            | Node::Share(a, b, _)
            | Node::Between(_, a, b, _)
            | Node::Refine(a, b, _)
            | Node::And(a, b)
            | Node::Or(a, b)
            | Node::CmpNum(_, a, b)
            | Node::CmpDate(_, a, b)
            | Node::Equal(_, a, b)
            | Node::Arith(_, a, b, _)
            | Node::In(a, b)
            | Node::Subset(a, b, _)
            | Node::SameYear(a, b) => vec![a, b],
            Node::List(items) => items.iter().collect(),
        }
    }

    /// Call `f` on this node and every node below it, depth first, without
    /// recursion (a deeply nested measure cannot overflow the stack here).
    pub fn walk<'n>(&'n self, mut f: impl FnMut(&'n Node)) {
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            f(n);
            stack.extend(n.children());
        }
    }
}

/// The compiled program: definitions shared by all claims.
#[derive(Debug, Default, Clone)]
pub struct Program {
    /// Compiled definition bodies (None when they failed).
    pub defs: Vec<Option<Node>>,
    /// Definition names.
    pub def_names: Vec<String>,
    /// Number of memo slots used.
    pub memo_slots: usize,
}

impl Node {
    /// What a measure that can only take whole values is, in words, for a
    /// rule saying a whole figure stated of it is exact ("a count", "a
    /// maximum of whole numbers"): through definitions and memos.
    pub fn whole_kind(&self, program: &Program) -> &'static str {
        let mut n = self;
        // Definitions cannot refer to themselves; the bound only keeps a
        // malformed program from looping.
        for _ in 0..64 {
            match n {
                Node::Memo(_, inner) => n = inner,
                Node::Def(i) => match program.defs.get(*i).and_then(|d| d.as_ref()) {
                    Some(body) => n = body,
                    None => break,
                },
                Node::Count(_) => return "a count",
                Node::GroupAgg(AggKind::Sum, _, _, e, _) if matches!(**e, Node::Const(_)) => {
                    return "a count of groups"
                }
                Node::GroupAgg(AggKind::Sum, ..) => return "a sum over groups of whole numbers",
                Node::GroupAgg(AggKind::Min, ..) => {
                    return "a minimum over groups of whole numbers"
                }
                Node::GroupAgg(AggKind::Max, ..) => {
                    return "a maximum over groups of whole numbers"
                }
                Node::Agg(AggKind::Sum, ..) => return "a sum of whole numbers",
                Node::Agg(AggKind::Min, ..) => return "a minimum of whole numbers",
                Node::Agg(AggKind::Max, ..) => return "a maximum of whole numbers",
                Node::Const(_) => return "a whole number",
                Node::Column(_) | Node::RecField(..) => return "a value of an integer column",
                Node::Arith(..) | Node::Neg(..) | Node::Abs(..) => {
                    return "a difference or sum of whole numbers"
                }
                _ => break,
            }
        }
        "a measure that takes only whole values"
    }
}

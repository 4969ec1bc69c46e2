//! The expression language of claim measures and definitions.
//!
//! A measure reads like the sentence it checks:
//! `share(leavers, authors)`, `count(authors where name in meta_now.person)`,
//! `mean(employment where org == "Meta", years_between(start, end))`.
//! This module holds the syntax only: [`lexer`] turns text into tokens with
//! byte spans, [`parser`] builds the [`Expr`] tree. Names are resolved and
//! types checked later, in [`crate::resolve`].

pub mod lexer;
pub mod parser;

use std::ops::Range;

use crate::num::Rational;

/// Byte span inside the expression text.
pub type Span = Range<usize>;

/// Unit of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A plain number or count.
    None,
    /// Percentage points (`78%` is 78 in this unit).
    Percent,
    /// Years.
    Years,
    /// Months.
    Months,
    /// Days.
    Days,
}

impl Unit {
    /// Suffix used when printing a value of this unit.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::None => "",
            Unit::Percent => "%",
            Unit::Years => " years",
            Unit::Months => " months",
            Unit::Days => " days",
        }
    }

    /// Name of the unit in messages.
    pub fn name(self) -> &'static str {
        match self {
            Unit::None => "number",
            Unit::Percent => "percent",
            Unit::Years => "years",
            Unit::Months => "months",
            Unit::Days => "days",
        }
    }

    /// Parse a unit word (singular or plural).
    pub fn from_word(w: &str) -> Option<Unit> {
        match w {
            "year" | "years" => Some(Unit::Years),
            "month" | "months" => Some(Unit::Months),
            "day" | "days" => Some(Unit::Days),
            "percent" | "%" => Some(Unit::Percent),
            _ => None,
        }
    }
}

/// A name with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `and`
    And,
    /// `or`
    Or,
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
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `in`
    In,
    /// `matches`
    Matches,
}

impl BinOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::In => "in",
            BinOp::Matches => "matches",
        }
    }
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is in the expression text.
    pub span: Span,
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number literal, possibly with a unit (`14`, `78%`, `5 years`).
    Number(Rational, Unit),
    /// A string literal.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// A list literal `[a, b]`.
    List(Vec<Expr>),
    /// A bare name: table, definition, column or built-in value.
    Name(Ident),
    /// `e.field`
    Field(Box<Expr>, Ident),
    /// `table[key]`
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Ident, Vec<Expr>),
    /// `not e`
    Not(Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `a op b`
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `set where predicate`
    Where(Box<Expr>, Box<Expr>),
    /// `temporal_table at date`
    At(Box<Expr>, Box<Expr>),
    /// `e is unknown` (negated: `e is known`)
    IsUnknown(Box<Expr>, bool),
}

impl Expr {
    /// The direct sub-expressions, left to right.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {
                Vec::new()
            }
            ExprKind::List(items) | ExprKind::Call(_, items) => items.iter().collect(),
            ExprKind::Field(a, _)
            | ExprKind::Not(a)
            | ExprKind::Neg(a)
            | ExprKind::IsUnknown(a, _) => vec![a],
            ExprKind::Index(a, b)
            | ExprKind::Binary(_, a, b)
            | ExprKind::Where(a, b)
            | ExprKind::At(a, b) => vec![a, b],
        }
    }
}

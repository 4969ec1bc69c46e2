//! Derived columns: a column computed from other columns of the same
//! record (`derive = "temp_max - temp_min"` on a `[[column]]`), written in
//! the claim expression language ([`crate::expr`]) and restricted to what
//! is exact: `+ - * /` and unary `-` on integer and decimal columns and
//! plain numbers, and the difference of two date columns in days. The
//! values are computed once the table is read, into an ordinary column; a
//! cell is unknown when a cell it is computed from is.
//!
//! Checked when the table file is read, each error located in the
//! expression: a name that is no column (with a suggestion), a cycle of
//! derived columns, an operation the types do not allow, a result that is
//! not the declared type (a fraction in an integer column).

use std::ops::Range;

use crate::date::DateRange;
use crate::diag::{suggest, Diagnostic, FileId};
use crate::expr::parser::parse;
use crate::expr::{BinOp, Expr, ExprKind, Unit};
use crate::interval::Interval;
use crate::num::Rational;

use super::column::{Cell, ColumnData};
use super::{ColType, Table};

/// The deepest derived expression accepted (nesting), so a hostile one
/// cannot exhaust the stack when checked or computed.
const MAX_DEPTH: usize = 64;

/// A derived column's expression, resolved against its table's columns.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The column it fills.
    pub column: usize,
    /// What it computes.
    node: Node,
    /// Where `derive` is written in the table file.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
enum Node {
    Col(usize),
    Num(Rational),
    Neg(Box<Node>),
    Arith(BinOp, Box<Node>, Box<Node>),
    /// `a - b` on two dates: the days from `b` to `a`.
    Days(Box<Node>, Box<Node>),
}

/// The type of a derived expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Int,
    Dec,
    Date,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Int => "an integer",
            Ty::Dec => "a decimal",
            Ty::Date => "a date",
        }
    }
}

/// A column as the checker sees it: its name, its type, and its `derive`
/// text with where the text is written (`None` for a column read from
/// the file).
pub(super) struct Decl<'a> {
    pub name: &'a str,
    pub ty: ColType,
    pub derive: Option<(&'a str, Range<usize>)>,
}

/// Check every derived column of a table and resolve it, in an order
/// where each comes after the derived columns it reads. `text` is the
/// table file's text (to place errors inside the expression).
pub(super) fn resolve(
    decls: &[Decl<'_>],
    fid: FileId,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Derived> {
    let mut out = Vec::new();
    // 0: not visited, 1: being resolved, 2: done (or failed).
    let mut state = vec![0u8; decls.len()];
    let mut failed = vec![false; decls.len()];
    for i in 0..decls.len() {
        visit(
            i,
            decls,
            fid,
            text,
            &mut state,
            &mut failed,
            &mut out,
            diags,
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn visit(
    i: usize,
    decls: &[Decl<'_>],
    fid: FileId,
    text: &str,
    state: &mut Vec<u8>,
    failed: &mut Vec<bool>,
    out: &mut Vec<Derived>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Some(d) = decls.get(i) else {
        return false;
    };
    let Some((src, span)) = &d.derive else {
        return true;
    };
    match state.get(i).copied() {
        Some(2) => return !failed.get(i).copied().unwrap_or(true),
        Some(1) => return false,
        _ => {}
    }
    if let Some(s) = state.get_mut(i) {
        *s = 1;
    }
    let place = Place::new(text, span.clone(), src);
    let ok = match check_one(
        d, src, &place, decls, fid, i, text, state, failed, out, diags,
    ) {
        Some(node) => {
            out.push(Derived {
                column: i,
                node,
                span: span.clone(),
            });
            true
        }
        None => false,
    };
    if let Some(s) = state.get_mut(i) {
        *s = 2;
    }
    if let Some(f) = failed.get_mut(i) {
        *f = !ok;
    }
    ok
}

/// Where the expression's text is in the table file: its spans map into
/// the file when the TOML string holds it verbatim (no escapes), else
/// every error points at the whole string.
struct Place {
    whole: Range<usize>,
    offset: Option<usize>,
}

impl Place {
    fn new(text: &str, whole: Range<usize>, src: &str) -> Place {
        let written = text.get(whole.clone()).unwrap_or("");
        let offset = ["\"", "'"]
            .iter()
            .find(|q| written.strip_prefix(**q).and_then(|r| r.strip_suffix(**q)) == Some(src))
            .map(|_| whole.start + 1);
        Place { whole, offset }
    }

    fn of(&self, r: &Range<usize>) -> Range<usize> {
        match self.offset {
            Some(o) => o + r.start..o + r.end,
            None => self.whole.clone(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_one(
    d: &Decl<'_>,
    src: &str,
    place: &Place,
    decls: &[Decl<'_>],
    fid: FileId,
    me: usize,
    text: &str,
    state: &mut Vec<u8>,
    failed: &mut Vec<bool>,
    out: &mut Vec<Derived>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let want = match d.ty {
        ColType::Integer => Ty::Int,
        ColType::Decimal => Ty::Dec,
        other => {
            diags.push(
                Diagnostic::error(
                    "evidence/derive-type",
                    format!(
                        "a derived column is an integer or a decimal, and `{}` is declared {}",
                        d.name,
                        other.name()
                    ),
                )
                .at(fid, place.whole.clone(), "derived here")
                .help("declare type = \"decimal\" (or \"integer\")"),
            );
            return None;
        }
    };
    let expr = match parse(src) {
        Ok(e) => e,
        Err(e) => {
            let mut diag = Diagnostic::error(
                "evidence/derive-syntax",
                format!("invalid derived column `{}`: {}", d.name, e.message),
            )
            .at(fid, place.of(&e.span), "here");
            if let Some(h) = e.help {
                diag = diag.help(h);
            }
            diags.push(diag);
            return None;
        }
    };
    let mut cx = Cx {
        decls,
        fid,
        me,
        text,
        place,
        state,
        failed,
        out,
        diags,
    };
    let (node, ty) = cx.node(&expr, 0)?;
    match (want, ty) {
        (Ty::Int, Ty::Int) | (Ty::Dec, Ty::Int | Ty::Dec) => Some(node),
        _ => {
            cx.diags.push(
                Diagnostic::error(
                    "evidence/derive-type",
                    format!(
                        "derived column `{}` is declared {}, and its expression gives {}",
                        d.name,
                        d.ty.name(),
                        ty.name()
                    ),
                )
                .at(fid, place.of(&expr.span), "this expression")
                .help(if ty == Ty::Dec {
                    "a division or a decimal column can give a fraction: declare the column type = \"decimal\""
                } else {
                    "subtract two dates to get the days between them"
                }),
            );
            None
        }
    }
}

struct Cx<'a, 'b> {
    decls: &'a [Decl<'a>],
    fid: FileId,
    me: usize,
    text: &'a str,
    place: &'a Place,
    state: &'b mut Vec<u8>,
    failed: &'b mut Vec<bool>,
    out: &'b mut Vec<Derived>,
    diags: &'b mut Vec<Diagnostic>,
}

impl Cx<'_, '_> {
    fn err(&mut self, code: &'static str, msg: String, at: &Range<usize>, help: &str) {
        let mut d = Diagnostic::error(code, msg).at(self.fid, self.place.of(at), "here");
        if !help.is_empty() {
            d = d.help(help.to_string());
        }
        self.diags.push(d);
    }

    fn node(&mut self, e: &Expr, depth: usize) -> Option<(Node, Ty)> {
        if depth > MAX_DEPTH {
            self.err(
                "evidence/derive-syntax",
                format!("a derived column nests more than {MAX_DEPTH} deep"),
                &e.span,
                "",
            );
            return None;
        }
        match &e.kind {
            ExprKind::Number(r, Unit::None) => {
                let ty = if r.is_integer() { Ty::Int } else { Ty::Dec };
                Some((Node::Num(*r), ty))
            }
            ExprKind::Name(id) => {
                let Some(i) = self.decls.iter().position(|d| d.name == id.name) else {
                    let mut help = String::new();
                    if let Some(s) = suggest(&id.name, self.decls.iter().map(|d| d.name)) {
                        help = format!("did you mean `{s}`?");
                    }
                    self.err(
                        "evidence/unknown-column",
                        format!("`{}` is not a column of this table", id.name),
                        &id.span,
                        &help,
                    );
                    return None;
                };
                let d = self.decls.get(i)?;
                let ty = match d.ty {
                    ColType::Integer => Ty::Int,
                    ColType::Decimal => Ty::Dec,
                    ColType::Date => Ty::Date,
                    other => {
                        self.err(
                            "evidence/derive-type",
                            format!(
                                "column `{}` is {}: a derived column computes with integers, decimals and dates",
                                id.name,
                                other.name()
                            ),
                            &id.span,
                            "",
                        );
                        return None;
                    }
                };
                if d.derive.is_some() {
                    if i == self.me || self.state.get(i) == Some(&1) {
                        self.err(
                            "evidence/derive-cycle",
                            format!(
                                "derived column `{}` depends on itself through `{}`",
                                self.decls.get(self.me).map_or("?", |d| d.name),
                                id.name
                            ),
                            &id.span,
                            "a derived column may read derived columns that do not read it",
                        );
                        return None;
                    }
                    let (decls, fid, text) = (self.decls, self.fid, self.text);
                    if !visit(
                        i,
                        decls,
                        fid,
                        text,
                        self.state,
                        self.failed,
                        self.out,
                        self.diags,
                    ) {
                        // Its own error is reported.
                        return None;
                    }
                }
                Some((Node::Col(i), ty))
            }
            ExprKind::Neg(a) => {
                let (n, ty) = self.node(a, depth + 1)?;
                if ty == Ty::Date {
                    self.err(
                        "evidence/derive-type",
                        "a date cannot be negated".to_string(),
                        &e.span,
                        "",
                    );
                    return None;
                }
                Some((Node::Neg(Box::new(n)), ty))
            }
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) => {
                let (na, ta) = self.node(a, depth + 1)?;
                let (nb, tb) = self.node(b, depth + 1)?;
                match (ta, tb, op) {
                    (Ty::Date, Ty::Date, BinOp::Sub) => {
                        Some((Node::Days(Box::new(na), Box::new(nb)), Ty::Int))
                    }
                    (Ty::Date, _, _) | (_, Ty::Date, _) => {
                        self.err(
                            "evidence/derive-type",
                            format!(
                                "`{}` on {} and {}: the only operation on dates is the difference of two dates, in days",
                                op.symbol(),
                                ta.name(),
                                tb.name()
                            ),
                            &e.span,
                            "",
                        );
                        None
                    }
                    _ => {
                        let ty = if *op == BinOp::Div || ta == Ty::Dec || tb == Ty::Dec {
                            Ty::Dec
                        } else {
                            Ty::Int
                        };
                        Some((Node::Arith(*op, Box::new(na), Box::new(nb)), ty))
                    }
                }
            }
            _ => {
                self.err(
                    "evidence/derive-syntax",
                    "a derived column is computed with + - * / on columns and plain numbers (and the difference of two dates)".to_string(),
                    &e.span,
                    "not allowed here",
                );
                None
            }
        }
    }
}

/// Why a derived cell could not be computed.
enum Fail {
    DivZero,
    Overflow,
}

fn eval(n: &Node, table: &Table, row: u32) -> Result<Option<Interval>, Fail> {
    Ok(match n {
        Node::Num(r) => Some(Interval::point(*r)),
        Node::Col(c) => match table.columns.get(*c).and_then(|c| c.get(row)) {
            Some(Cell::Num(iv)) => Some(iv),
            _ => None,
        },
        Node::Neg(a) => match eval(a, table, row)? {
            Some(iv) => Some(
                Interval::point(Rational::from_int(0))
                    .sub(&iv)
                    .map_err(|_| Fail::Overflow)?,
            ),
            None => None,
        },
        Node::Arith(op, a, b) => {
            let (Some(x), Some(y)) = (eval(a, table, row)?, eval(b, table, row)?) else {
                return Ok(None);
            };
            if *op == BinOp::Div && y.as_point() == Some(Rational::from_int(0)) {
                return Err(Fail::DivZero);
            }
            let r = match op {
                BinOp::Add => x.add(&y),
                BinOp::Sub => x.sub(&y),
                BinOp::Mul => x.mul(&y),
                _ => x.div(&y),
            };
            Some(r.map_err(|_| Fail::Overflow)?)
        }
        Node::Days(a, b) => {
            let day = |n: &Node| match n {
                Node::Col(c) => match table.columns.get(*c).and_then(|c| c.get(row)) {
                    Some(Cell::Date(d)) => exact_day(&d),
                    _ => None,
                },
                _ => None,
            };
            match (day(a), day(b)) {
                (Some(x), Some(y)) => Some(Interval::point(Rational::from_int(
                    i128::from(x) - i128::from(y),
                ))),
                // A month, a year or an unknown day: no exact difference.
                _ => None,
            }
        }
    })
}

/// The day number of a date that is one day.
fn exact_day(d: &DateRange) -> Option<i32> {
    match (d.lo, d.hi) {
        (Some(a), Some(b)) if a == b => Some(super::column::day_number(a)),
        _ => None,
    }
}

/// Fill the derived columns of a table whose records are read, in the
/// order [`resolve`] gave. A division by zero or an overflow leaves the
/// cell unknown and is reported, with the record's line.
pub(super) fn fill(table: &mut Table, fid: FileId, diags: &mut Vec<Diagnostic>) {
    let derived = std::mem::take(&mut table.derived);
    for d in &derived {
        let Some(ty) = table.columns.get(d.column).map(|c| c.ty) else {
            continue;
        };
        let mut data = ColumnData::new(ty);
        data.expect(table.len());
        let mut reported = 0;
        for row in 0..u32::try_from(table.len()).unwrap_or(u32::MAX) {
            let cell = match eval(&d.node, table, row) {
                Ok(Some(iv)) => Cell::Num(iv),
                Ok(None) => Cell::Unknown,
                Err(f) => {
                    // The first few are enough to find the cause.
                    if reported < 3 {
                        reported += 1;
                        let name = table.columns.get(d.column).map_or("?", |c| c.name.as_str());
                        let line = table
                            .line_of(row)
                            .map_or(format!("record {}", row + 1), |l| {
                                format!("the row on line {l}")
                            });
                        diags.push(
                            Diagnostic::error(
                                "evidence/derive-value",
                                format!(
                                    "derived column `{name}` cannot be computed for {line}: {}",
                                    match f {
                                        Fail::DivZero => "a division by zero",
                                        Fail::Overflow => "a number too large",
                                    }
                                ),
                            )
                            .at(fid, d.span.clone(), "derived here")
                            .help("the cell is left unknown: check the row, or compute the column another way"),
                        );
                    }
                    Cell::Unknown
                }
            };
            data.push(cell);
        }
        if let Some(c) = table.columns.get_mut(d.column) {
            c.data = data;
        }
    }
    table.derived = derived;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use crate::diag::{Diagnostic, Files};
    use crate::evidence::{load_from, Cell, Evidence};
    use crate::interval::Interval;
    use crate::num::Rational;

    const SOURCES: &str = "[[source]]\nid = \"s1\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/a\"\ndate = \"2025-05\"\n";

    /// A table `t` read from `csv`, with the columns `a`, `b` (decimals),
    /// `d1`, `d2` (dates) and the derived columns given.
    fn load(csv: &str, derived: &str) -> (Evidence, Vec<Diagnostic>) {
        let table = format!(
            "[table]\nname = \"t\"\ncsv = \"t.csv\"\nsources = [\"s1\"]\n\
             [[column]]\nname = \"a\"\ntype = \"decimal\"\n\
             [[column]]\nname = \"b\"\ntype = \"decimal\"\n\
             [[column]]\nname = \"d1\"\ntype = \"date\"\n\
             [[column]]\nname = \"d2\"\ntype = \"date\"\n{derived}"
        );
        let mut f = Files::default();
        let mut d = Vec::new();
        let ev = load_from(
            vec![
                ("sources.toml".into(), SOURCES.into()),
                ("t.toml".into(), table),
                ("t.csv".into(), csv.into()),
            ],
            &mut f,
            &mut d,
        );
        (ev, d)
    }

    fn col(ev: &Evidence, name: &str) -> Vec<Cell> {
        let t = ev.tables.first().expect("table");
        let c = t.columns.iter().find(|c| c.name == name).expect("column");
        (0..t.len() as u32).map(|r| c.get(r).unwrap()).collect()
    }

    fn num(s: &str) -> Cell {
        Cell::Num(Interval::point(Rational::parse_decimal(s).unwrap().0))
    }

    #[test]
    fn derived_columns_are_computed_exactly_in_dependency_order() {
        let csv = "a,b,d1,d2\n0.1,0.2,2024-01-01,2024-03-01\n5,,2024-01,2024-02-10\n";
        // `s` reads `c`, declared after it: computed after it all the same.
        let derived = "[[column]]\nname = \"s\"\ntype = \"decimal\"\nderive = \"c * 10\"\n\
                       [[column]]\nname = \"c\"\ntype = \"decimal\"\nderive = \"a + b\"\n\
                       [[column]]\nname = \"n\"\ntype = \"integer\"\nderive = \"d2 - d1\"\n\
                       [[column]]\nname = \"m\"\ntype = \"decimal\"\nderive = \"-(a - 1) / 4\"\n";
        let (ev, d) = load(csv, derived);
        assert!(d.is_empty(), "{d:?}");
        // 0.1 + 0.2 is 0.3, exactly.
        assert_eq!(col(&ev, "c"), vec![num("0.3"), Cell::Unknown]);
        assert_eq!(col(&ev, "s"), vec![num("3"), Cell::Unknown]);
        // 2024 is a leap year; a month is no exact day.
        assert_eq!(col(&ev, "n"), vec![num("60"), Cell::Unknown]);
        assert_eq!(col(&ev, "m"), vec![num("0.225"), num("-1")]);
    }

    #[test]
    fn a_header_named_like_a_derived_column_is_not_read() {
        let csv = "a,b,d1,d2,c\n1,2,2024-01-01,2024-01-02,99\n";
        let derived = "[[column]]\nname = \"c\"\ntype = \"decimal\"\nderive = \"a + b\"\n";
        let (ev, d) = load(csv, derived);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(col(&ev, "c"), vec![num("3")]);
    }

    #[test]
    fn bad_derivations_are_located_errors() {
        let csv = "a,b,d1,d2\n1,0,2024-01-01,2024-01-02\n";
        for (derived, code) in [
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"c + 1\"",
                "evidence/derive-cycle",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"a +\"",
                "evidence/derive-syntax",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"a == b\"",
                "evidence/derive-syntax",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"d1 * 2\"",
                "evidence/derive-type",
            ),
            (
                "name = \"c\"\ntype = \"date\"\nderive = \"d1\"",
                "evidence/derive-type",
            ),
            (
                "name = \"c\"\ntype = \"integer\"\nderive = \"a\"",
                "evidence/derive-type",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"a / b\"",
                "evidence/derive-value",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"x\"",
                "evidence/unknown-column",
            ),
            (
                "name = \"c\"\ntype = \"decimal\"\nderive = \"a\"\nheader = \"A\"",
                "evidence/bad-derive",
            ),
        ] {
            let (_, d) = load(csv, &format!("[[column]]\n{derived}\n"));
            let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
            assert_eq!(codes, [code], "{derived}");
            assert!(d.iter().all(|d| d.primary.is_some()), "{derived}: located");
        }
    }
}

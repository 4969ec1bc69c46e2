//! Recursive-descent parser for the expression language.
//!
//! Precedence, loosest first: `where` (left-associative; its predicate is a
//! whole `or` expression), `or`, `and`, `not`, comparisons (`== != < <= > >=
//! in matches`, `is unknown`, `is known`), `+ -`, `* /`, unary `-`, postfix
//! (`.field`, `[key]`, `at date`), atoms. Nesting is bounded so a hostile
//! expression yields an error, never a stack overflow.

use super::lexer::{lex, Tok, Token};
use super::{BinOp, Expr, ExprKind, Ident, Span, Unit};
use crate::num::Rational;

/// Deepest nesting accepted: both how deeply parentheses, lists, calls and
/// unary operators nest, and how tall the expression tree grows (each
/// operator of a chain such as `a + b + c` adds a level).
pub const MAX_DEPTH: usize = 64;

/// A syntax error.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Where, in the expression text.
    pub span: Span,
    /// How to fix it.
    pub help: Option<String>,
}

/// Parse a whole expression. The tree returned is at most [`MAX_DEPTH`]
/// levels tall, so every later walk over it has a bounded depth.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let tokens = lex(src).map_err(|e| ParseError {
        message: e.message,
        span: e.span,
        help: e.help,
    })?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let (e, _) = p.expr()?;
    let t = p.peek().clone();
    if t.tok != Tok::Eof {
        return Err(ParseError {
            message: format!("expected end of expression, found {}", t.tok.describe()),
            span: t.span,
            help: Some("join conditions with `and` / `or`, or put the rest in parentheses".into()),
        });
    }
    Ok(e)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

/// An expression with the height of its tree (a leaf is 1).
type P = Result<(Expr, usize), ParseError>;

/// The node `kind` over children of height `below`, unless that makes the
/// tree taller than [`MAX_DEPTH`]; `at` is the token that built it.
fn node(kind: ExprKind, span: Span, below: usize, at: &Span) -> P {
    let h = below + 1;
    if h > MAX_DEPTH {
        return Err(ParseError {
            message: format!("expression nested more than {MAX_DEPTH} levels deep"),
            span: at.clone(),
            help: Some(
                "each operator of a chain counts as a level (`a + b + c` is 3 deep): \
                 shorten the chain, e.g. `x in [\"a\", \"b\"]` for `x == \"a\" or x == \"b\"`"
                    .into(),
            ),
        });
    }
    Ok((Expr { kind, span }, h))
}

fn bin(op: BinOp, (lhs, lh): (Expr, usize), (rhs, rh): (Expr, usize), at: &Span) -> P {
    let span = lhs.span.start..rhs.span.end;
    node(
        ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
        span,
        lh.max(rh),
        at,
    )
}

/// Precedence of `or`, loosest of the binary operators.
const OR: u8 = 1;
/// Precedence of `and`.
const AND: u8 = 2;
/// Precedence of comparisons (`==`, `<`, `in`, `matches`, `is unknown`).
const CMP: u8 = 3;
/// Precedence of `+` and `-`.
const ADD: u8 = 4;
/// Precedence of `*` and `/`, tightest.
const MUL: u8 = 5;

#[cold]
fn expected_known(t: &Token) -> ParseError {
    ParseError {
        message: format!(
            "expected `unknown` or `known` after `is`, found {}",
            t.tok.describe()
        ),
        span: t.span.clone(),
        help: Some("write `x is unknown` or `x is known`".into()),
    }
}

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "where", "at", "is", "matches", "true", "false", "unknown", "known",
];

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and pos never passes it.
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .unwrap_or(&EOF_TOKEN)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn at_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(s) if s == kw)
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Token, ParseError> {
        let t = self.peek().clone();
        if t.tok == tok {
            Ok(self.bump())
        } else {
            Err(ParseError {
                message: format!("expected {what}, found {}", t.tok.describe()),
                span: t.span,
                help: None,
            })
        }
    }

    fn enter(&mut self, span: &Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                message: format!("expression nested more than {MAX_DEPTH} levels deep"),
                span: span.clone(),
                help: Some("split it into named definitions in [define]".into()),
            });
        }
        Ok(())
    }

    fn expr(&mut self) -> P {
        let span = self.peek().span.clone();
        self.enter(&span)?;
        let mut lhs = self.binary(OR)?;
        while self.at_kw("where") {
            let at = self.bump().span;
            let (pred, ph) = self.binary(OR)?;
            let (set, sh) = lhs;
            let span = set.span.start..pred.span.end;
            lhs = node(
                ExprKind::Where(Box::new(set), Box::new(pred)),
                span,
                sh.max(ph),
                &at,
            )?;
        }
        self.depth -= 1;
        Ok(lhs)
    }

    /// The binary operator at the next token and its precedence.
    fn operator(&self) -> Option<(BinOp, u8)> {
        Some(match &self.peek().tok {
            Tok::Ident(s) if s == "or" => (BinOp::Or, OR),
            Tok::Ident(s) if s == "and" => (BinOp::And, AND),
            Tok::EqEq => (BinOp::Eq, CMP),
            Tok::Ne => (BinOp::Ne, CMP),
            Tok::Lt => (BinOp::Lt, CMP),
            Tok::Le => (BinOp::Le, CMP),
            Tok::Gt => (BinOp::Gt, CMP),
            Tok::Ge => (BinOp::Ge, CMP),
            Tok::Ident(s) if s == "in" => (BinOp::In, CMP),
            Tok::Ident(s) if s == "matches" => (BinOp::Matches, CMP),
            Tok::Plus => (BinOp::Add, ADD),
            Tok::Minus => (BinOp::Sub, ADD),
            Tok::Star => (BinOp::Mul, MUL),
            Tok::Slash => (BinOp::Div, MUL),
            _ => return None,
        })
    }

    /// Operators of precedence `min` and tighter, by precedence climbing:
    /// a chain of operators is a loop, not a recursion. `not` (looser than
    /// comparisons) may start an operand of `and` / `or`; a comparison
    /// takes two sums and is followed only by `and` / `or`.
    fn binary(&mut self, min: u8) -> P {
        // `next`: the tightest operator that may still follow.
        let (mut lhs, mut next) = if min <= CMP && self.at_kw("not") {
            (self.negated()?, AND)
        } else {
            (self.unary()?, MUL)
        };
        loop {
            if min <= CMP && next >= CMP && self.at_kw("is") {
                lhs = self.is_unknown(lhs)?;
                next = AND;
                continue;
            }
            let Some((op, prec)) = self.operator() else {
                return Ok(lhs);
            };
            if prec < min || prec > next {
                return Ok(lhs);
            }
            lhs = self.operand(op, prec, lhs)?;
            // A tighter operator would have gone to the right operand; a
            // comparison does not chain.
            next = if prec == CMP { AND } else { next.min(prec) };
        }
    }

    /// `not e`
    fn negated(&mut self) -> P {
        let t = self.bump();
        self.enter(&t.span)?;
        let (inner, h) = self.binary(CMP)?;
        self.depth -= 1;
        let span = t.span.start..inner.span.end;
        node(ExprKind::Not(Box::new(inner)), span, h, &t.span)
    }

    /// `lhs op rhs`, at `op`: the right operand holds only tighter
    /// operators, so it nests one level deeper.
    fn operand(&mut self, op: BinOp, prec: u8, lhs: (Expr, usize)) -> P {
        let at = self.bump().span;
        self.enter(&at)?;
        let rhs = self.binary(prec + 1)?;
        self.depth -= 1;
        bin(op, lhs, rhs, &at)
    }

    /// `lhs is unknown`, `lhs is known`, `lhs is not unknown`.
    fn is_unknown(&mut self, (lhs, lh): (Expr, usize)) -> P {
        let is = self.bump();
        let negated = self.at_kw("not");
        if negated {
            self.bump();
        }
        let t = self.bump();
        let known = match &t.tok {
            Tok::Ident(s) if s == "unknown" => false,
            Tok::Ident(s) if s == "known" => true,
            _ => return Err(expected_known(&t)),
        };
        let span = lhs.span.start..t.span.end;
        // `is known` and `is not unknown` both mean the value is known.
        node(
            ExprKind::IsUnknown(Box::new(lhs), known != negated),
            span,
            lh,
            &is.span,
        )
    }

    fn unary(&mut self) -> P {
        if self.peek().tok == Tok::Minus {
            return self.negation();
        }
        self.postfix()
    }

    fn negation(&mut self) -> P {
        let t = self.bump();
        self.enter(&t.span)?;
        let (inner, h) = self.unary()?;
        self.depth -= 1;
        let span = t.span.start..inner.span.end;
        node(ExprKind::Neg(Box::new(inner)), span, h, &t.span)
    }

    fn postfix(&mut self) -> P {
        let mut e = self.atom()?;
        loop {
            e = match &self.peek().tok {
                Tok::Dot => self.field(e)?,
                Tok::LBracket => self.index(e)?,
                Tok::Ident(s) if s == "at" => self.at_date(e)?,
                _ => return Ok(e),
            };
        }
    }

    /// `e.field`
    fn field(&mut self, (e, h): (Expr, usize)) -> P {
        let dot = self.bump();
        let t = self.bump();
        let Tok::Ident(name) = t.tok else {
            return Err(expected_field(&t));
        };
        let span = e.span.start..t.span.end;
        node(
            ExprKind::Field(Box::new(e), Ident { name, span: t.span }),
            span,
            h,
            &dot.span,
        )
    }

    /// `e[key]`
    fn index(&mut self, (e, h): (Expr, usize)) -> P {
        let open = self.bump();
        let (key, kh) = self.expr()?;
        let close = self.expect(Tok::RBracket, "`]`")?;
        let span = e.span.start..close.span.end;
        node(
            ExprKind::Index(Box::new(e), Box::new(key)),
            span,
            h.max(kh),
            &open.span,
        )
    }

    /// `e at date`
    fn at_date(&mut self, (e, h): (Expr, usize)) -> P {
        let at = self.bump();
        self.enter(&at.span)?;
        let (date, dh) = self.postfix()?;
        self.depth -= 1;
        let span = e.span.start..date.span.end;
        node(
            ExprKind::At(Box::new(e), Box::new(date)),
            span,
            h.max(dh),
            &at.span,
        )
    }

    fn atom(&mut self) -> P {
        let t = self.bump();
        match t.tok {
            Tok::Number(_) => self.number(t),
            Tok::Str(s) => node(ExprKind::Str(s), t.span.clone(), 0, &t.span),
            Tok::LParen => self.parenthesised(),
            Tok::LBracket => self.list(t.span),
            Tok::Ident(_) => self.name_or_call(t),
            _ => Err(expected_value(&t)),
        }
    }

    fn number(&mut self, t: Token) -> P {
        let Tok::Number(text) = &t.tok else {
            return Err(expected_value(&t));
        };
        let (value, _) = Rational::parse_decimal(text).map_err(|e| ParseError {
            message: e.to_string(),
            span: t.span.clone(),
            help: None,
        })?;
        let mut span = t.span.clone();
        let mut unit = Unit::None;
        if self.peek().tok == Tok::Percent {
            span.end = self.bump().span.end;
            unit = Unit::Percent;
        } else if let Tok::Ident(w) = &self.peek().tok {
            if let Some(u) = Unit::from_word(w) {
                unit = u;
                span.end = self.bump().span.end;
            }
        }
        node(ExprKind::Number(value, unit), span, 0, &t.span)
    }

    fn parenthesised(&mut self) -> P {
        let inner = self.expr()?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(inner)
    }

    /// `[a, b, …]` after its `[` at `open`.
    fn list(&mut self, open: Span) -> P {
        self.enter(&open)?;
        let mut items = Vec::new();
        let mut below = 0;
        if self.peek().tok != Tok::RBracket {
            loop {
                let (item, h) = self.expr()?;
                below = below.max(h);
                items.push(item);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                    if self.peek().tok == Tok::RBracket {
                        break;
                    }
                } else {
                    break;
                }
            }
        }
        let close = self.expect(Tok::RBracket, "`,` or `]`")?;
        self.depth -= 1;
        node(
            ExprKind::List(items),
            open.start..close.span.end,
            below,
            &open,
        )
    }

    fn name_or_call(&mut self, t: Token) -> P {
        let Tok::Ident(name) = t.tok else {
            return Err(expected_value(&t));
        };
        if name == "true" || name == "false" {
            return node(ExprKind::Bool(name == "true"), t.span.clone(), 0, &t.span);
        }
        if KEYWORDS.contains(&name.as_str()) {
            return Err(ParseError {
                message: format!("expected a value, found keyword `{name}`"),
                span: t.span,
                help: None,
            });
        }
        let ident = Ident {
            name,
            span: t.span.clone(),
        };
        if self.peek().tok == Tok::LParen {
            return self.call(ident);
        }
        node(ExprKind::Name(ident), t.span.clone(), 0, &t.span)
    }

    /// `f(a, b, …)`, at its `(`.
    fn call(&mut self, f: Ident) -> P {
        self.bump();
        self.enter(&f.span)?;
        let mut args = Vec::new();
        let mut below = 0;
        if self.peek().tok != Tok::RParen {
            loop {
                let (arg, h) = self.expr()?;
                below = below.max(h);
                args.push(arg);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.expect(Tok::RParen, "`,` or `)`")?;
        self.depth -= 1;
        let span = f.span.start..close.span.end;
        let at = f.span.clone();
        node(ExprKind::Call(f, args), span, below, &at)
    }
}

#[cold]
fn expected_field(t: &Token) -> ParseError {
    ParseError {
        message: format!(
            "expected a field name after `.`, found {}",
            t.tok.describe()
        ),
        span: t.span.clone(),
        help: None,
    }
}

#[cold]
fn expected_value(t: &Token) -> ParseError {
    ParseError {
        message: format!("expected a value, found {}", t.tok.describe()),
        span: t.span.clone(),
        help: None,
    }
}

static EOF_TOKEN: Token = Token {
    tok: Tok::Eof,
    span: 0..0,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(r, u) => format!("{r}{}", u.suffix()),
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::List(v) => {
                format!("[{}]", v.iter().map(shape).collect::<Vec<_>>().join(", "))
            }
            ExprKind::Name(i) => i.name.clone(),
            ExprKind::Field(e, f) => format!("{}.{}", shape(e), f.name),
            ExprKind::Index(e, k) => format!("{}[{}]", shape(e), shape(k)),
            ExprKind::Call(f, a) => format!(
                "{}({})",
                f.name,
                a.iter().map(shape).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Not(e) => format!("(not {})", shape(e)),
            ExprKind::Neg(e) => format!("(-{})", shape(e)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", shape(a), op.symbol(), shape(b)),
            ExprKind::Where(s, p) => format!("({} where {})", shape(s), shape(p)),
            ExprKind::At(s, d) => format!("({} at {})", shape(s), shape(d)),
            ExprKind::IsUnknown(e, false) => format!("({} is unknown)", shape(e)),
            ExprKind::IsUnknown(e, true) => format!("({} is known)", shape(e)),
        }
    }

    fn p(s: &str) -> String {
        match parse(s) {
            Ok(e) => shape(&e),
            Err(e) => format!("error at {:?}: {}", e.span, e.message),
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(
            p("a where b and not c or d == 1"),
            "(a where ((b and (not c)) or (d == 1)))"
        );
        assert_eq!(p("1 + 2 * 3 - 4"), "((1 + (2 * 3)) - 4)");
        assert_eq!(p("x where a where b"), "((x where a) where b)");
        assert_eq!(
            p("e at as_of where org == \"Meta\""),
            "((e at as_of) where (org == \"Meta\"))"
        );
        assert_eq!(p("t[\"k\"].f"), "t[\"k\"].f");
        assert_eq!(
            p("x is not unknown and y is unknown"),
            "((x is known) and (y is unknown))"
        );
    }

    #[test]
    fn literals_with_units() {
        assert_eq!(p("78%"), "78%");
        assert_eq!(p("5 years > 18 months"), "(5 years > 18 months)");
        assert_eq!(p("[\"a\", 'b',]"), "[\"a\", \"b\"]");
        assert_eq!(
            p("mean(s, years_between(start, end))"),
            "mean(s, years_between(start, end))"
        );
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            p("count(authors"),
            "error at 13..13: expected `,` or `)`, found end of expression"
        );
        assert_eq!(
            p("a b"),
            "error at 2..3: expected end of expression, found `b`"
        );
        assert_eq!(
            p("a where"),
            "error at 7..7: expected a value, found end of expression"
        );
        assert_eq!(
            p("x is 3"),
            "error at 5..6: expected `unknown` or `known` after `is`, found number `3`"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(p(&deep).contains("nested more than"));
        let nots = format!("{}x", "not ".repeat(10_000));
        assert!(p(&nots).contains("nested more than"));
        let negs = format!("{}x", "-".repeat(10_000));
        assert!(p(&negs).contains("nested more than"));
    }

    #[test]
    fn long_operator_chains_are_bounded() {
        // A chain of N operators is a tree N + 1 levels tall: the error is at
        // the operator that makes it taller than MAX_DEPTH.
        for op in ["+", "*", "and", "or", "where"] {
            let long = vec!["x"; 2_000].join(&format!(" {op} "));
            let err = parse(&long).unwrap_err();
            assert!(err.message.contains("nested more than 64"), "{op}");
            let at = long.match_indices(&format!(" {op} ")).nth(MAX_DEPTH - 1);
            assert_eq!(err.span.start, at.unwrap().0 + 1, "{op}");
            assert!(err.help.unwrap().contains("chain"));
            let short = vec!["x"; MAX_DEPTH].join(&format!(" {op} "));
            assert!(parse(&short).is_ok(), "{op}");
        }
        let fields = format!("x{}", ".f".repeat(2_000));
        assert!(p(&fields).contains("nested more than"));
        let ats = format!("x{}", " at d".repeat(2_000));
        assert!(p(&ats).contains("nested more than"));
        let index = format!("x{}", "[1]".repeat(2_000));
        assert!(p(&index).contains("nested more than"));
    }
}

//! The evaluation trace of one claim, for `factcheck explain`: every
//! sub-expression of its measure with its value, the definitions it uses
//! (expanded), for each filter the records kept and dropped and the values
//! that decided it, for each per-record aggregate the value of each record,
//! then the qualifier rule, the precision interval and the verdict with its
//! sources (from the same [`ClaimVerdict`] every report renders).
//!
//! Sub-expressions are compiled and evaluated again, one by one, with the
//! same resolver and evaluator as the verdict; nothing here decides
//! anything.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::claims::{Claim, ClaimFile};
use crate::date::DateRange;
use crate::diag::Files;
use crate::eval::{Ctx, RecSet, Value};
use crate::evidence::{Evidence, TableId};
use crate::expr::{Expr, ExprKind};
use crate::interval::Tri;
use crate::resolve::{Node, Origin, Resolver, Ty};
use crate::statement::{parse_number_statement, Stated, QUALIFIERS};
use crate::verdict::{describe_value, ClaimVerdict};

/// Most records listed per filter or aggregate; the rest are counted.
pub const MAX_TRACED_RECORDS: usize = 40;

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

struct Tracer<'a> {
    ev: &'a Evidence,
    resolver: Resolver<'a>,
    defs: &'a [crate::resolve::DefSource],
    files: &'a Files,
    as_of: DateRange,
    published: DateRange,
    steps: Vec<Step>,
    expanded: BTreeSet<String>,
}

/// Trace a claim's measure. `verdict` is the claim's verdict from the same run.
pub fn explain(
    ev: &Evidence,
    files: &Files,
    cf: &ClaimFile,
    claim: &Claim,
    as_of: DateRange,
    verdict: ClaimVerdict,
) -> Explanation {
    let mut resolver = Resolver::new(ev, cf.defs.clone()).in_scope(cf.scope);
    resolver.compile_defs();
    let mut t = Tracer {
        ev,
        resolver,
        defs: &cf.defs,
        files,
        as_of,
        published: cf.article.published,
        steps: Vec::new(),
        expanded: BTreeSet::new(),
    };
    if let Some(m) = &claim.measure {
        if let Some(expr) = &m.expr {
            t.walk(expr, &m.origin, 0);
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

    fn eval(&mut self, e: &Expr, origin: &Origin) -> Option<Value> {
        let (node, _) = self.resolver.compile_in(e, origin, None)?;
        let mut ctx = Ctx::new(self.ev, &self.resolver.program, self.as_of, self.published);
        ctx.eval_measure(&node).ok()
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

    fn walk(&mut self, e: &Expr, origin: &Origin, depth: usize) {
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
        let value = self.eval(e, origin).map(|v| self.show(&v));
        let at = self.steps.len();
        self.steps.push(Step {
            depth,
            expr: self.text(origin, e),
            value,
            records: None,
        });
        match &e.kind {
            ExprKind::Name(id) => self.definition(&id.name, depth + 1),
            ExprKind::Where(set, pred) => {
                self.walk(set, origin, depth + 1);
                let records = self.per_record(set, pred, origin, true);
                if let Some(step) = self.steps.get_mut(at) {
                    step.records = records;
                }
                self.independent_parts(pred, origin, depth + 1);
            }
            ExprKind::Call(f, args) if PER_RECORD.contains(&f.name.as_str()) => {
                if let (Some(set), Some(each)) = (args.first(), args.get(1)) {
                    self.walk(set, origin, depth + 1);
                    let records = self.per_record(set, each, origin, false);
                    if let Some(step) = self.steps.get_mut(at) {
                        step.records = records;
                    }
                    self.independent_parts(each, origin, depth + 1);
                }
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                for a in args {
                    self.walk(a, origin, depth + 1);
                }
            }
            ExprKind::Field(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::IsUnknown(inner, _) => self.walk(inner, origin, depth + 1),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::At(a, b) => {
                self.walk(a, origin, depth + 1);
                self.walk(b, origin, depth + 1);
            }
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
        }
    }

    /// Inside a per-record expression, trace the largest parts that do not
    /// depend on the record (they have one value for all records).
    fn independent_parts(&mut self, e: &Expr, origin: &Origin, depth: usize) {
        let before = self.resolver.diags.len();
        let standalone = self.resolver.compile_in(e, origin, None).is_some();
        self.resolver.diags.truncate(before);
        if standalone {
            self.walk(e, origin, depth);
            return;
        }
        match &e.kind {
            ExprKind::Field(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::IsUnknown(inner, _) => self.independent_parts(inner, origin, depth),
            ExprKind::Index(a, b)
            | ExprKind::Binary(_, a, b)
            | ExprKind::At(a, b)
            | ExprKind::Where(a, b) => {
                self.independent_parts(a, origin, depth);
                self.independent_parts(b, origin, depth);
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                for a in args {
                    self.independent_parts(a, origin, depth);
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
        let Some(d) = self.defs.iter().find(|d| d.name == name) else {
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
        self.walk(expr, &origin, depth + 1);
    }

    /// What `each` does with every record of `set`.
    fn per_record(
        &mut self,
        set: &Expr,
        each: &Expr,
        origin: &Origin,
        filter: bool,
    ) -> Option<RecordTrace> {
        let Some(Value::Set(s)) = self.eval(set, origin) else {
            return None;
        };
        let table_id: TableId = s.table;
        let (node, ty) = self.resolver.compile_in(each, origin, Some(table_id))?;
        let table = self.ev.tables.get(table_id)?;
        let columns: Vec<(String, Node)> = referenced_names(each)
            .into_iter()
            .filter(|n| table.column(n).is_some_and(|c| Some(c) != table.key))
            .filter_map(|n| {
                let e = Expr {
                    kind: ExprKind::Name(crate::expr::Ident {
                        name: n.clone(),
                        span: each.span.clone(),
                    }),
                    span: each.span.clone(),
                };
                self.resolver
                    .compile_in(&e, origin, Some(table_id))
                    .map(|(node, _)| (n, node))
            })
            .collect();
        let mut ctx = Ctx::new(self.ev, &self.resolver.program, self.as_of, self.published);
        let mut trace = RecordTrace {
            table: table.name.clone(),
            kind: if filter { "filter" } else { "per-record" },
            expr: self.text(origin, each),
            kept: 0,
            possible: 0,
            dropped: 0,
            rows: Vec::new(),
        };
        for (row, membership) in s.iter() {
            let value = ctx.eval(&node, Some((table_id, row))).ok();
            let outcome = match (&value, filter || ty == Ty::Bool) {
                (Some(Value::Bool(t)), true) => match membership.and(*t) {
                    Tri::True => {
                        trace.kept += 1;
                        if filter { "kept" } else { "true" }.to_string()
                    }
                    Tri::Unknown => {
                        trace.possible += 1;
                        if filter { "possible" } else { "unknown" }.to_string()
                    }
                    Tri::False => {
                        trace.dropped += 1;
                        if filter { "dropped" } else { "false" }.to_string()
                    }
                },
                (Some(v), _) => {
                    trace.kept += 1;
                    self.show(v)
                }
                (None, _) => "error".to_string(),
            };
            if trace.rows.len() >= MAX_TRACED_RECORDS {
                continue;
            }
            let because = columns
                .iter()
                .filter_map(|(name, n)| {
                    ctx.eval(n, Some((table_id, row)))
                        .ok()
                        .map(|v| format!("{name} = {}", self.show(&v)))
                })
                .collect();
            trace.rows.push(RowTrace {
                key: table.key_of(row).to_string(),
                outcome,
                because,
            });
        }
        Some(trace)
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

/// Bare names an expression reads (columns, when in a record's scope).
fn referenced_names(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Name(id) => {
                if !out.contains(&id.name) {
                    out.push(id.name.clone());
                }
            }
            ExprKind::Field(inner, _)
            | ExprKind::Not(inner)
            | ExprKind::Neg(inner)
            | ExprKind::IsUnknown(inner, _) => stack.push(inner),
            ExprKind::Index(a, b)
            | ExprKind::Binary(_, a, b)
            | ExprKind::At(a, b)
            | ExprKind::Where(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                stack.extend(args.iter().rev());
            }
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
        }
    }
    out
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

//! Name resolution and type checking: turns a parsed [`Expr`] into a typed
//! [`Node`] tree whose table and column references are indices, whose
//! regular expressions and date literals are compiled, and whose types are
//! known. Every mistake becomes a located [`Diagnostic`] with a "did you
//! mean" where a near name exists. Definitions are compiled once and shared
//! by every claim; cycles between them are reported.

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;

pub use crate::claims::DefSource;
use crate::date::parse_date_value;
use crate::diag::{suggest, Diagnostic};
pub use crate::diag::{Loc, Origin};
use crate::evidence::{ColType, Evidence, ScopeId, TableId};
use crate::expr::parser::MAX_DEPTH;
use crate::expr::{BinOp, Expr, ExprKind, Ident, Span, Unit};
use crate::interval::{Interval, Tri};
use crate::num::Rational;
use crate::plan::Value;
pub use crate::plan::{AggKind, Arith, Between, CmpOp, Node, Program, Ty};

/// A definition's state during compilation.
#[derive(Debug, Clone)]
enum DefState {
    Pending,
    InProgress,
    Done(Ty),
    Failed,
}

/// Compiles expressions against an evidence dataset.
pub struct Resolver<'a> {
    ev: &'a Evidence,
    /// The evidence scope names resolve in first (`None`: top level only).
    evidence_scope: Option<ScopeId>,
    sources: Vec<DefSource>,
    by_name: HashMap<String, usize>,
    states: Vec<DefState>,
    /// Height of each definition with the definitions it uses expanded
    /// (None when unknown: it failed, or is part of a cycle).
    heights: Vec<Option<usize>>,
    /// The program being built.
    pub program: Program,
    /// Diagnostics found.
    pub diags: Vec<Diagnostic>,
}

const FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "share",
    "names",
    "keys",
    "years_between",
    "months_between",
    "days_between",
    "date",
    "abs",
    "same_year",
    "refine",
    "subset",
    "includes_all",
    "all",
    "any",
    "groups",
    "distinct",
];

const BUILTINS: &[&str] = &["as_of", "published"];

type R<T> = Result<T, ()>;

struct Scope {
    table: Option<TableId>,
    origin: Origin,
    /// The table of the group named `group`, inside the per-group
    /// expression of an aggregate over `groups(set, column)`.
    group: Option<TableId>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `ev` with the given definitions.
    pub fn new(ev: &'a Evidence, defs: Vec<DefSource>) -> Self {
        let by_name = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        let n = defs.len();
        let mut r = Resolver {
            ev,
            evidence_scope: None,
            sources: defs,
            by_name,
            states: vec![DefState::Pending; n],
            heights: vec![None; n],
            program: Program {
                defs: vec![None; n],
                def_names: Vec::new(),
                memo_slots: 0,
            },
            diags: Vec::new(),
        };
        r.bound_definitions();
        r
    }

    /// Measure every definition with the definitions it uses expanded, in
    /// dependency order and without recursion; one taller than
    /// [`MAX_DEPTH`] is reported where it crosses the bound and marked
    /// failed, so no later stage (resolution, evaluation, explanation)
    /// recurses deeper than the bound. Definitions that use a failed one
    /// fail with it, silently, as for any other error.
    /// Resolve table names in the evidence scope `scope` first (a claim
    /// file's `[article] evidence`), then at the top level.
    pub fn in_scope(mut self, scope: Option<ScopeId>) -> Self {
        self.evidence_scope = scope;
        self
    }

    fn bound_definitions(&mut self) {
        let n = self.sources.len();
        let refs: Vec<Vec<usize>> = self
            .sources
            .iter()
            .map(|d| {
                let mut out = Vec::new();
                if let Some(e) = &d.expr {
                    let mut stack = vec![e];
                    while let Some(e) = stack.pop() {
                        if let ExprKind::Name(id) = &e.kind {
                            if let Some(&j) = self.by_name.get(&id.name) {
                                out.push(j);
                            }
                        }
                        stack.extend(e.children());
                    }
                }
                out
            })
            .collect();
        // 0: not visited, 1: on the stack, 2: measured.
        let mut state = vec![0u8; n];
        let mut failed = vec![false; n];
        for root in 0..n {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut stack = vec![(root, 0usize)];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some((i, next)) = stack.last_mut() {
                let i = *i;
                let mine = refs.get(i).map_or(&[][..], Vec::as_slice);
                if let Some(&j) = mine.get(*next) {
                    *next += 1;
                    if state.get(j) == Some(&0) {
                        if let Some(s) = state.get_mut(j) {
                            *s = 1;
                        }
                        stack.push((j, 0));
                    }
                    continue;
                }
                stack.pop();
                if let Some(s) = state.get_mut(i) {
                    *s = 2;
                }
                let Some(src) = self.sources.get(i) else {
                    continue;
                };
                let Some(e) = &src.expr else {
                    continue;
                };
                let uses_failed = refs
                    .get(i)
                    .is_some_and(|r| r.iter().any(|&j| failed.get(j) == Some(&true)));
                if uses_failed {
                    // Reported where the bound was crossed, not again here.
                    if let Some(f) = failed.get_mut(i) {
                        *f = true;
                    }
                    if let Some(s) = self.states.get_mut(i) {
                        *s = DefState::Failed;
                    }
                    continue;
                }
                let h = self.expanded_height(e);
                if h <= MAX_DEPTH {
                    if let Some(slot) = self.heights.get_mut(i) {
                        *slot = Some(h);
                    }
                    continue;
                }
                let what = format!("definition `{}`", src.name);
                let d = self.too_deep(e, &src.origin, &what, h);
                self.push(d);
                if let Some(f) = failed.get_mut(i) {
                    *f = true;
                }
                if let Some(s) = self.states.get_mut(i) {
                    *s = DefState::Failed;
                }
            }
        }
    }

    /// Height of `e` (a leaf is 1) with every definition it names counted
    /// as that definition's own expanded height, computed without
    /// recursion. A name of a definition that is also a column or table
    /// may resolve to those instead: counting the definition is an upper
    /// bound.
    fn expanded_height(&self, e: &Expr) -> usize {
        let mut stack = vec![(e, false)];
        let mut done: Vec<usize> = Vec::new();
        while let Some((e, children_done)) = stack.pop() {
            let kids = e.children();
            if children_done {
                let below = done
                    .split_off(done.len().saturating_sub(kids.len()))
                    .into_iter()
                    .max()
                    .unwrap_or(0);
                done.push(1 + below.max(self.def_height(e)));
            } else {
                stack.push((e, true));
                stack.extend(kids.into_iter().map(|k| (k, false)));
            }
        }
        done.pop().unwrap_or(0)
    }

    /// The expanded height of the definition `e` names, if it is a name of
    /// one whose height is known (0 otherwise).
    fn def_height(&self, e: &Expr) -> usize {
        match &e.kind {
            ExprKind::Name(id) => self
                .by_name
                .get(&id.name)
                .and_then(|&j| self.heights.get(j).copied().flatten())
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// The error for `e` (a measure or a definition body, `what`), `height`
    /// levels tall once expanded: located at the use of the definition that
    /// takes it past the bound, found by following the tallest branch down.
    fn too_deep(&self, e: &Expr, origin: &Origin, what: &str, height: usize) -> Diagnostic {
        let mut at = e;
        let mut level = 1;
        while self.def_height(at) == 0 {
            let Some(next) = at
                .children()
                .into_iter()
                .max_by_key(|c| self.expanded_height(c))
            else {
                break;
            };
            at = next;
            level += 1;
        }
        let label = match &at.kind {
            ExprKind::Name(id) => format!(
                "`{}` expands to {} more levels here, at level {level}",
                id.name,
                self.def_height(at)
            ),
            _ => "too deep here".to_string(),
        };
        Diagnostic::error(
            "claim/too-deep",
            format!(
                "{what} is {height} levels deep with the definitions it uses expanded, more than {MAX_DEPTH}"
            ),
        )
        .at(origin.file, origin.map(&at.span), label)
        .help(format!(
            "a measure or definition, with every definition it uses expanded in place, \
             may nest at most {MAX_DEPTH} levels (each operator of a chain is a level): \
             use fewer layers of definitions"
        ))
    }

    /// Compile every definition (reporting problems even in unused ones).
    pub fn compile_defs(&mut self) {
        self.program.def_names = self.sources.iter().map(|d| d.name.clone()).collect();
        for i in 0..self.sources.len() {
            let _ = self.def_type(i, None);
        }
    }

    /// Compile a claim's measure at the top level.
    pub fn compile(&mut self, expr: &Expr, origin: &Origin) -> Option<(Node, Ty)> {
        self.compile_in(expr, origin, None)
    }

    /// Compile an expression at the top level or, with `table`, in the
    /// scope of one record of it (as inside a filter). Used to trace the
    /// parts of a measure one by one.
    pub fn compile_in(
        &mut self,
        expr: &Expr,
        origin: &Origin,
        table: Option<TableId>,
    ) -> Option<(Node, Ty)> {
        let height = self.expanded_height(expr);
        if height > MAX_DEPTH {
            let d = self.too_deep(expr, origin, "the measure", height);
            self.push(d);
            return None;
        }
        let scope = Scope {
            table,
            origin: origin.clone(),
            group: None,
        };
        self.expr(expr, &scope).ok().map(|(n, t, _)| (n, t))
    }

    fn err(
        scope: &Scope,
        span: &Span,
        code: &'static str,
        msg: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, msg).at(scope.origin.file, scope.origin.map(span), label)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Report a `claim/type-mismatch` at `span` and fail.
    fn mismatch<T>(
        &mut self,
        scope: &Scope,
        span: &Span,
        msg: impl Into<String>,
        label: impl Into<String>,
    ) -> R<T> {
        let d = Self::err(scope, span, "claim/type-mismatch", msg, label);
        self.push(d);
        Err(())
    }

    fn loc(scope: &Scope, span: &Span) -> Loc {
        Loc {
            file: scope.origin.file,
            span: scope.origin.map(span),
        }
    }

    fn def_type(&mut self, i: usize, from: Option<(&Scope, &Span)>) -> R<Ty> {
        match self.states.get(i).cloned() {
            Some(DefState::Done(t)) => Ok(t),
            Some(DefState::Failed) | None => Err(()),
            Some(DefState::InProgress) => {
                let name = self
                    .sources
                    .get(i)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let mut d = Diagnostic::error(
                    "claim/definition-cycle",
                    format!("definition `{name}` refers to itself"),
                );
                if let Some((scope, span)) = from {
                    d = d.at(
                        scope.origin.file,
                        scope.origin.map(span),
                        "this reference closes the cycle",
                    );
                }
                if let Some(src) = self.sources.get(i) {
                    d = d.also(
                        src.name_loc.file,
                        src.name_loc.span.clone(),
                        format!("`{name}` is defined here"),
                    );
                }
                self.push(d.help("break the cycle: a definition may only use tables and earlier ideas, not itself"));
                if let Some(s) = self.states.get_mut(i) {
                    *s = DefState::Failed;
                }
                Err(())
            }
            Some(DefState::Pending) => {
                if let Some(s) = self.states.get_mut(i) {
                    *s = DefState::InProgress;
                }
                let Some(src) = self.sources.get(i).cloned() else {
                    return Err(());
                };
                let result = match &src.expr {
                    Some(e) => {
                        let scope = Scope {
                            table: None,
                            origin: src.origin.clone(),
                            group: None,
                        };
                        self.expr(e, &scope)
                    }
                    None => Err(()),
                };
                // A cycle detected inside marks this Failed already.
                let failed_inside = matches!(self.states.get(i), Some(DefState::Failed));
                match result {
                    Ok((node, ty, _)) if !failed_inside => {
                        if let Some(slot) = self.program.defs.get_mut(i) {
                            *slot = Some(node);
                        }
                        if let Some(s) = self.states.get_mut(i) {
                            *s = DefState::Done(ty);
                        }
                        Ok(ty)
                    }
                    _ => {
                        if let Some(s) = self.states.get_mut(i) {
                            *s = DefState::Failed;
                        }
                        Err(())
                    }
                }
            }
        }
    }

    fn names_in_scope(&self, scope: &Scope) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        if let Some(t) = scope.table.and_then(|t| self.ev.tables.get(t)) {
            v.extend(t.columns.iter().map(|c| c.name.clone()));
        }
        v.extend(
            self.ev
                .visible_tables(self.evidence_scope)
                .into_iter()
                .map(String::from),
        );
        v.extend(self.sources.iter().map(|d| d.name.clone()));
        v.extend(BUILTINS.iter().map(|s| s.to_string()));
        v
    }

    fn col_ty(ct: ColType, unit: Unit) -> Ty {
        match ct {
            ColType::Text => Ty::Text,
            ColType::Integer => Ty::Num(unit, true),
            ColType::Decimal => Ty::Num(unit, false),
            ColType::Quantity(u) => Ty::Num(u, false),
            ColType::Date => Ty::Date,
            ColType::Boolean => Ty::Bool,
            ColType::List => Ty::List,
        }
    }

    /// Compile; returns node, type and whether it reads the record in scope.
    fn expr(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let span = &e.span;
        match &e.kind {
            ExprKind::Number(..) | ExprKind::Str(_) | ExprKind::Bool(_) => Self::literal(e),
            ExprKind::List(..) => self.expr_list(e, scope),
            ExprKind::Name(id) => self.name(id, scope),
            ExprKind::Field(..) => self.expr_field(e, scope),
            ExprKind::Index(..) => self.expr_index(e, scope),
            ExprKind::Call(f, args) => self.call(f, args, span, scope),
            ExprKind::Not(..) => self.expr_not(e, scope),
            ExprKind::Neg(..) => self.expr_neg(e, scope),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span, scope),
            ExprKind::Where(..) => self.expr_where(e, scope),
            ExprKind::At(..) => self.expr_at(e, scope),
            ExprKind::IsUnknown(..) => self.expr_is_unknown(e, scope),
        }
    }

    fn literal(e: &Expr) -> R<(Node, Ty, bool)> {
        match &e.kind {
            ExprKind::Number(r, u) => Ok((
                Node::Const(Value::Num(Interval::point(*r), *u)),
                Ty::Num(*u, r.is_integer()),
                false,
            )),
            ExprKind::Str(s) => Ok((
                Node::Const(Value::Text(Some(Arc::from(s.as_str())))),
                Ty::Text,
                false,
            )),
            ExprKind::Bool(b) => Ok((
                Node::Const(Value::Bool(Tri::from_bool(*b))),
                Ty::Bool,
                false,
            )),
            _ => Err(()),
        }
    }

    fn expr_list(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::List(items) = &e.kind else {
            return Err(());
        };
        let mut nodes = Vec::new();
        let mut uses = false;
        let mut ok = true;
        for it in items {
            match self.expr(it, scope) {
                Ok((n, Ty::Text, u)) => {
                    uses |= u;
                    nodes.push(n);
                }
                Ok((_, t, _)) => {
                    let d = Self::err(
                        scope,
                        &it.span,
                        "claim/type-mismatch",
                        format!("list items must be text, found {}", t.describe(self.ev)),
                        "not text",
                    );
                    self.push(d);
                    ok = false;
                }
                Err(()) => ok = false,
            }
        }
        if !ok {
            return Err(());
        }
        Ok((Node::List(nodes), Ty::List, uses))
    }

    fn expr_field(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::Field(base, field) = &e.kind else {
            return Err(());
        };
        let (bn, bt, uses) = self.expr(base, scope)?;
        let table = match bt {
            Ty::Set(t) | Ty::Record(t) => t,
            other => {
                return self.mismatch(
                    scope,
                    &field.span,
                    format!(
                        "`.{}` needs a record or a set of records, but this is {}",
                        field.name,
                        other.describe(self.ev)
                    ),
                    "field of a non-record",
                );
            }
        };
        let col = self.column(table, field, scope)?;
        let ct = self
            .ev
            .tables
            .get(table)
            .and_then(|t| t.columns.get(col))
            .map(|c| (c.ty, c.unit))
            .unwrap_or((ColType::Text, Unit::None));
        let (ct, unit) = ct;
        match bt {
            Ty::Record(_) => Ok((
                Node::RecField(Box::new(bn), col),
                Self::col_ty(ct, unit),
                uses,
            )),
            _ => {
                if !matches!(ct, ColType::Text | ColType::List) {
                    let d = Self::err(
                        scope,
                        &field.span,
                        "claim/type-mismatch",
                        format!("`.{}` over a set gives a list, so the column must be text or a list, but it is {}", field.name, ct.name()),
                        "not a text column",
                    );
                    self.push(
                        d.help("use min(set, column) / max(set, column) for dates and numbers"),
                    );
                    return Err(());
                }
                Ok((
                    self.memo(Node::Project(Box::new(bn), col), uses, scope),
                    Ty::List,
                    uses,
                ))
            }
        }
    }

    fn expr_index(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let span = &e.span;
        let ExprKind::Index(base, key) = &e.kind else {
            return Err(());
        };
        let (bn, bt, u1) = self.expr(base, scope)?;
        let (kn, kt, u2) = self.expr(key, scope)?;
        let Ty::Set(t) = bt else {
            return self.mismatch(
                scope,
                &base.span,
                format!(
                    "`[key]` looks up a record in a table, but this is {}",
                    bt.describe(self.ev)
                ),
                "not a table",
            );
        };
        if !matches!(kt, Ty::Text | Ty::Num(_, true)) {
            return self.mismatch(
                scope,
                &key.span,
                format!(
                    "a key is text or a whole number, found {}",
                    kt.describe(self.ev)
                ),
                "not a key",
            );
        }
        Ok((
            Node::Lookup(Box::new(bn), Box::new(kn), Self::loc(scope, span)),
            Ty::Record(t),
            u1 || u2,
        ))
    }

    fn expr_not(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::Not(inner) = &e.kind else {
            return Err(());
        };
        let (n, u) = self.expect_bool(inner, scope)?;
        Ok((Node::Not(Box::new(n)), Ty::Bool, u))
    }

    fn expr_neg(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let span = &e.span;
        let ExprKind::Neg(inner) = &e.kind else {
            return Err(());
        };
        let (n, t, u) = self.expr(inner, scope)?;
        if !matches!(t, Ty::Num(..)) {
            return self.mismatch(
                scope,
                &inner.span,
                format!("`-` needs a number, found {}", t.describe(self.ev)),
                "not a number",
            );
        }
        Ok((Node::Neg(Box::new(n), Self::loc(scope, span)), t, u))
    }

    fn expr_where(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::Where(set, pred) = &e.kind else {
            return Err(());
        };
        let (sn, st, u1) = self.expr(set, scope)?;
        let Ty::Set(t) = st else {
            return self.mismatch(
                scope,
                &set.span,
                format!(
                    "`where` filters a table or set of records, but this is {}",
                    st.describe(self.ev)
                ),
                "not a set",
            );
        };
        let inner = Scope {
            table: Some(t),
            origin: scope.origin.clone(),
            group: scope.group,
        };
        let (pn, _) = self.expect_bool(pred, &inner)?;
        let loc = Self::loc(scope, &pred.span);
        Ok((
            self.memo(Node::Where(Box::new(sn), Box::new(pn), loc), u1, scope),
            Ty::Set(t),
            u1,
        ))
    }

    fn expr_at(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::At(set, date) = &e.kind else {
            return Err(());
        };
        let (sn, st, u1) = self.expr(set, scope)?;
        let Ty::Set(t) = st else {
            let d = Self::err(scope, &set.span, "claim/type-mismatch", format!("`at` selects the records of a temporal table in force at a date, but this is {}", st.describe(self.ev)), "not a set");
            self.push(d);
            return Err(());
        };
        if self.ev.tables.get(t).and_then(|t| t.temporal).is_none() {
            let name = self.ev.tables.get(t).map_or("?".into(), |t| t.name.clone());
            let d = Self::err(
                scope,
                &set.span,
                "claim/not-temporal",
                format!("table `{name}` is not temporal"),
                "no from/to dates",
            );
            self.push(
                d.help("declare temporal = { from = \"start\", to = \"end\" } in its [table]"),
            );
            return Err(());
        }
        let (dn, dt, u2) = self.expr(date, scope)?;
        if dt != Ty::Date {
            return self.mismatch(
                scope,
                &date.span,
                format!("`at` needs a date, found {}", dt.describe(self.ev)),
                "not a date",
            );
        }
        Ok((
            self.memo(Node::At(Box::new(sn), Box::new(dn)), u1 || u2, scope),
            Ty::Set(t),
            u1 || u2,
        ))
    }

    fn expr_is_unknown(&mut self, e: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let ExprKind::IsUnknown(inner, known) = &e.kind else {
            return Err(());
        };
        let (n, t, u) = self.expr(inner, scope)?;
        if matches!(t, Ty::Set(_) | Ty::Record(_)) {
            return self.mismatch(
                scope,
                &inner.span,
                format!("`is unknown` tests a value, found {}", t.describe(self.ev)),
                "not a value",
            );
        }
        Ok((Node::IsUnknown(Box::new(n), *known), Ty::Bool, u))
    }

    /// Wrap a row-independent computation over a set (a filter, a temporal
    /// selection, a projection, a count, an aggregate, a share, a list of
    /// keys) inside a record scope so it is evaluated once per claim, not
    /// once per record: nested aggregates then cost rows × nesting, not
    /// rows ^ nesting.
    fn memo(&mut self, node: Node, uses_scope: bool, scope: &Scope) -> Node {
        if scope.table.is_some() && !uses_scope {
            let slot = self.program.memo_slots;
            self.program.memo_slots += 1;
            Node::Memo(slot, Box::new(node))
        } else {
            node
        }
    }

    fn column(&mut self, table: TableId, field: &Ident, scope: &Scope) -> R<usize> {
        let Some(t) = self.ev.tables.get(table) else {
            return Err(());
        };
        if let Some(c) = t.column(&field.name) {
            return Ok(c);
        }
        let mut d = Self::err(
            scope,
            &field.span,
            "claim/unknown-column",
            format!("table `{}` has no column `{}`", t.name, field.name),
            "unknown column",
        );
        let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        d = d.help(match suggest(&field.name, cols.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("columns of `{}`: {}", t.name, cols.join(", ")),
        });
        self.push(d);
        Err(())
    }

    fn name(&mut self, id: &Ident, scope: &Scope) -> R<(Node, Ty, bool)> {
        // Inside a per-group expression, `group` is the group's records
        // (it depends on the group, so it is never memoised).
        if let (Some(t), "group") = (scope.group, id.name.as_str()) {
            return Ok((Node::Group, Ty::Set(t), true));
        }
        if let Some(t) = scope.table.and_then(|t| self.ev.tables.get(t)) {
            if let Some(c) = t.column(&id.name) {
                let ty = t
                    .columns
                    .get(c)
                    .map_or(Ty::Text, |c| Self::col_ty(c.ty, c.unit));
                return Ok((Node::Column(c), ty, true));
            }
        }
        if let Some(t) = self.ev.table_in(self.evidence_scope, &id.name) {
            return Ok((Node::TableAll(t), Ty::Set(t), false));
        }
        if let Some(&i) = self.by_name.get(&id.name) {
            let ty = self.def_type(i, Some((scope, &id.span)))?;
            let node = Node::Def(i);
            let node = if scope.table.is_some() {
                self.memo(node, false, scope)
            } else {
                node
            };
            return Ok((node, ty, false));
        }
        match id.name.as_str() {
            "as_of" => return Ok((Node::AsOf, Ty::Date, false)),
            "published" => return Ok((Node::Published, Ty::Date, false)),
            _ => {}
        }
        if self.ev.broken.contains(&id.name) {
            // The table file failed to load and has been reported.
            return Err(());
        }
        let cands = self.names_in_scope(scope);
        let mut d = match scope.table.and_then(|t| self.ev.tables.get(t)) {
            Some(t) => Self::err(
                scope,
                &id.span,
                "claim/unknown-column",
                format!("table `{}` has no column `{}`", t.name, id.name),
                "not a column, table, definition or built-in",
            ),
            None => Self::err(
                scope,
                &id.span,
                "claim/unknown-name",
                format!("unknown name `{}`", id.name),
                "not a table, definition or built-in",
            ),
        };
        d = d.help(match suggest(&id.name, cands.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => match scope.table.and_then(|t| self.ev.tables.get(t)) {
                Some(t) => format!(
                    "in a filter on `{}` the columns are: {}",
                    t.name,
                    t.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None if self.ev.tables.is_empty() => {
                    "the evidence has no tables (see the errors above about evidence files)".into()
                }
                None if self.ev.visible_tables(self.evidence_scope).is_empty() => {
                    "every table of the evidence is in an evidence scope: select one with `evidence = \"<scope>\"` in [article]".into()
                }
                None => format!(
                    "tables: {}",
                    self.ev.visible_tables(self.evidence_scope).join(", ")
                ),
            },
        });
        self.push(d);
        Err(())
    }

    fn expect_bool(&mut self, e: &Expr, scope: &Scope) -> R<(Node, bool)> {
        let (n, t, u) = self.expr(e, scope)?;
        if t != Ty::Bool {
            return self.mismatch(
                scope,
                &e.span,
                format!("expected a condition, found {}", t.describe(self.ev)),
                "not a boolean",
            );
        }
        Ok((n, u))
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &Expr,
        b: &Expr,
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        match op {
            BinOp::And | BinOp::Or => self.and_or(op, a, b, scope),
            BinOp::Matches => self.matches(a, b, scope),
            _ => {
                let l = self.expr(a, scope);
                let r = self.expr(b, scope);
                self.combine(op, l, r, span, scope)
            }
        }
    }

    fn and_or(&mut self, op: BinOp, a: &Expr, b: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let l = self.expect_bool(a, scope);
        let r = self.expect_bool(b, scope);
        let ((ln, u1), (rn, u2)) = (l?, r?);
        let n = if op == BinOp::And {
            Node::And(Box::new(ln), Box::new(rn))
        } else {
            Node::Or(Box::new(ln), Box::new(rn))
        };
        Ok((n, Ty::Bool, u1 || u2))
    }

    fn matches(&mut self, a: &Expr, b: &Expr, scope: &Scope) -> R<(Node, Ty, bool)> {
        let l = self.expr(a, scope);
        self.matches_regex(l, a, b, scope)
    }

    fn matches_regex(
        &mut self,
        l: R<(Node, Ty, bool)>,
        a: &Expr,
        b: &Expr,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        let (ln, lt, u) = l?;
        if lt != Ty::Text {
            return self.mismatch(
                scope,
                &a.span,
                format!("`matches` tests text, found {}", lt.describe(self.ev)),
                "not text",
            );
        }
        let ExprKind::Str(pat) = &b.kind else {
            return self.mismatch(
                scope,
                &b.span,
                "`matches` needs a regular expression written as a string",
                "not a string literal",
            );
        };
        match Regex::new(pat) {
            Ok(re) => Ok((Node::Matches(Box::new(ln), Arc::new(re)), Ty::Bool, u)),
            Err(e) => {
                let msg = e.to_string();
                let last = msg.lines().last().unwrap_or("").trim().to_string();
                let d = Self::err(
                    scope,
                    &b.span,
                    "claim/bad-regex",
                    format!("invalid regular expression: {last}"),
                    "this pattern",
                );
                self.push(d);
                Err(())
            }
        }
    }

    /// Type an operator over its compiled operands (no recursion here).
    fn combine(
        &mut self,
        op: BinOp,
        l: R<(Node, Ty, bool)>,
        r: R<(Node, Ty, bool)>,
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        let ((ln, lt, u1), (rn, rt, u2)) = (l?, r?);
        let uses = u1 || u2;
        let mismatch = |this: &mut Self, what: String| {
            let d = Self::err(
                scope,
                span,
                "claim/type-mismatch",
                what,
                format!("{} and {}", lt.describe(this.ev), rt.describe(this.ev)),
            );
            this.push(d);
            Err(())
        };
        match op {
            BinOp::In => {
                if lt == Ty::Text && rt == Ty::List {
                    Ok((Node::In(Box::new(ln), Box::new(rn)), Ty::Bool, uses))
                } else {
                    mismatch(
                        self,
                        "`in` tests whether a text is in a list (e.g. `name in table.column`)"
                            .into(),
                    )
                }
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let cmp = match op {
                    BinOp::Eq => CmpOp::Eq,
                    BinOp::Ne => CmpOp::Ne,
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let (l, r) = (Box::new(ln), Box::new(rn));
                match (lt, rt) {
                    (Ty::Num(u, _), Ty::Num(v, _)) if u == v => {
                        Ok((Node::CmpNum(cmp, l, r), Ty::Bool, uses))
                    }
                    (Ty::Num(u, _), Ty::Num(v, _)) => mismatch(
                        self,
                        format!("cannot compare {} with {}", u.name(), v.name()),
                    ),
                    (Ty::Date, Ty::Date) => Ok((Node::CmpDate(cmp, l, r), Ty::Bool, uses)),
                    (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) | (Ty::List, Ty::List)
                        if matches!(cmp, CmpOp::Eq | CmpOp::Ne) =>
                    {
                        Ok((Node::Equal(cmp == CmpOp::Eq, l, r), Ty::Bool, uses))
                    }
                    _ => mismatch(
                        self,
                        format!(
                            "cannot compare {} with {} using `{}`",
                            lt.describe(self.ev),
                            rt.describe(self.ev),
                            op.symbol()
                        ),
                    ),
                }
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let (Ty::Num(u, ia), Ty::Num(v, ib)) = (lt, rt) else {
                    return mismatch(self, format!("`{}` needs numbers", op.symbol()));
                };
                let (kind, unit, integral) = match op {
                    BinOp::Add | BinOp::Sub if u == v => (
                        if op == BinOp::Add {
                            Arith::Add
                        } else {
                            Arith::Sub
                        },
                        u,
                        ia && ib,
                    ),
                    BinOp::Add | BinOp::Sub => {
                        return mismatch(
                            self,
                            format!("cannot add or subtract {} and {}", u.name(), v.name()),
                        )
                    }
                    BinOp::Mul if u == Unit::None || v == Unit::None => {
                        (Arith::Mul, if u == Unit::None { v } else { u }, ia && ib)
                    }
                    BinOp::Mul => {
                        return mismatch(
                            self,
                            format!("cannot multiply {} by {}", u.name(), v.name()),
                        )
                    }
                    _ if u == v => (Arith::Div, Unit::None, false),
                    _ if v == Unit::None => (Arith::Div, u, false),
                    _ => {
                        return mismatch(
                            self,
                            format!("cannot divide {} by {}", u.name(), v.name()),
                        )
                    }
                };
                Ok((
                    Node::Arith(kind, Box::new(ln), Box::new(rn), Self::loc(scope, span)),
                    Ty::Num(unit, integral),
                    uses,
                ))
            }
            _ => mismatch(self, format!("unsupported operator `{}`", op.symbol())),
        }
    }

    fn call(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        match f.name.as_str() {
            "count" => self.call_count(f, args, span, scope),
            "distinct" => self.call_distinct(f, args, span, scope),
            "groups" => self.mismatch(
                scope,
                span,
                "`groups(set, column)` is the first argument of an aggregate: `mean(groups(spells, person), sum(group, years))`",
                "groups need an aggregate",
            ),
            "sum" | "mean" | "min" | "max" | "all" | "any" => self.call_sum(f, args, span, scope),
            "share" => self.call_share(f, args, span, scope),
            "names" | "keys" => self.call_names(f, args, span, scope),
            "years_between" | "months_between" | "days_between" => {
                self.call_years_between(f, args, span, scope)
            }
            "date" => self.call_date(f, args, span, scope),
            "refine" => self.call_refine(f, args, span, scope),
            "abs" => self.call_abs(f, args, span, scope),
            "same_year" => self.call_same_year(f, args, span, scope),
            "subset" | "includes_all" => self.call_subset(f, args, span, scope),
            _ => self.call_unknown_function(f, scope),
        }
    }

    fn arity(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
        n: usize,
        usage: &str,
    ) -> R<()> {
        if args.len() == n {
            Ok(())
        } else {
            let d = Self::err(
                scope,
                span,
                "claim/arity",
                format!(
                    "`{}` takes {n} argument{}, found {}",
                    f.name,
                    if n == 1 { "" } else { "s" },
                    args.len()
                ),
                "wrong number of arguments",
            );
            self.push(d.help(format!("usage: {usage}")));
            Err(())
        }
    }

    /// `groups(set, column)` as an aggregate's first argument: the set,
    /// its table, the column whose values name the groups, and whether
    /// the set depends on the record in scope. `None` for anything else.
    fn groups_arg(&mut self, e: &Expr, scope: &Scope) -> R<Option<(Node, TableId, usize, bool)>> {
        let ExprKind::Call(g, args) = &e.kind else {
            return Ok(None);
        };
        if g.name != "groups" {
            return Ok(None);
        }
        self.arity(g, args, &e.span, scope, 2, "groups(set, column)")?;
        let (sa, ca) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let (sn, tid, u) = self.set_arg(g, scope, sa)?;
        let ExprKind::Name(cid) = &ca.kind else {
            return self.mismatch(
                scope,
                &ca.span,
                "`groups` needs a column name as its second argument",
                "not a column name",
            );
        };
        let col = self.column(tid, cid, scope)?;
        let ty = self
            .ev
            .tables
            .get(tid)
            .and_then(|t| t.columns.get(col))
            .map(|c| c.ty);
        if !matches!(ty, Some(ColType::Text | ColType::Integer)) {
            return self.mismatch(
                scope,
                &ca.span,
                format!(
                    "`groups` groups records by a text or integer column; `{}` is not one",
                    cid.name
                ),
                "not a text or integer column",
            );
        }
        Ok(Some((sn, tid, col, u)))
    }

    fn set_arg(&mut self, f: &Ident, scope: &Scope, e: &Expr) -> R<(Node, TableId, bool)> {
        let (n, t, u) = self.expr(e, scope)?;
        match t {
            Ty::Set(tid) => Ok((n, tid, u)),
            other => {
                let d = Self::err(
                    scope,
                    &e.span,
                    "claim/type-mismatch",
                    format!(
                        "`{}` needs a table or set of records, found {}",
                        f.name,
                        other.describe(self.ev)
                    ),
                    "not a set",
                );
                self.push(d);
                Err(())
            }
        }
    }

    fn call_count(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 1, "count(set)")?;
        let a = args.first().ok_or(())?;
        // `count(groups(set, column))`: how many groups (a possible group
        // counts as possibly one).
        if let Some((sn, _, col, u)) = self.groups_arg(a, scope)? {
            let one = Node::Const(Value::Num(Interval::point(Rational::ONE), Unit::None));
            let node = Node::GroupAgg(
                AggKind::Sum,
                Box::new(sn),
                col,
                Box::new(one),
                Self::loc(scope, span),
            );
            return Ok((self.memo(node, u, scope), Ty::Num(Unit::None, true), u));
        }
        let (n, t, u) = self.expr(a, scope)?;
        if !matches!(t, Ty::Set(_) | Ty::List) {
            return self.mismatch(
                scope,
                &a.span,
                format!(
                    "`count` counts records or list items, found {}",
                    t.describe(self.ev)
                ),
                "not countable",
            );
        }
        Ok((
            self.memo(Node::Count(Box::new(n)), u, scope),
            Ty::Num(Unit::None, true),
            u,
        ))
    }

    /// `distinct(set, column)`: the distinct values of a text column over
    /// a set, as a list (`count(distinct(set, column))` counts them).
    fn call_distinct(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 2, "distinct(set, column)")?;
        let (sa, ca) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let (sn, tid, u) = self.set_arg(f, scope, sa)?;
        let ExprKind::Name(cid) = &ca.kind else {
            return self.mismatch(
                scope,
                &ca.span,
                "`distinct` needs a column name as its second argument",
                "not a column name",
            );
        };
        let col = self.column(tid, cid, scope)?;
        let ty = self
            .ev
            .tables
            .get(tid)
            .and_then(|t| t.columns.get(col))
            .map(|c| c.ty);
        if ty != Some(ColType::Text) {
            return self.mismatch(
                scope,
                &ca.span,
                format!("`distinct` lists the values of a text column; `{}` is not one (to count groups by another column, use count(groups(set, column)))", cid.name),
                "not a text column",
            );
        }
        Ok((
            self.memo(Node::Project(Box::new(sn), col), u, scope),
            Ty::List,
            u,
        ))
    }

    fn call_sum(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        let usage = format!("{}(set, expression over each record)", f.name);
        self.arity(f, args, span, scope, 2, &usage)?;
        let (sa, ea) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let grouped = self.groups_arg(sa, scope)?;
        let (sn, tid, u, inner) = match &grouped {
            Some((sn, tid, _, u)) => (
                sn.clone(),
                *tid,
                *u,
                Scope {
                    table: None,
                    origin: scope.origin.clone(),
                    group: Some(*tid),
                },
            ),
            None => {
                let (sn, tid, u) = self.set_arg(f, scope, sa)?;
                let inner = Scope {
                    table: Some(tid),
                    origin: scope.origin.clone(),
                    group: scope.group,
                };
                (sn, tid, u, inner)
            }
        };
        let _ = tid;
        let (en, et, _) = self.expr(ea, &inner)?;
        let kind = match f.name.as_str() {
            "sum" => AggKind::Sum,
            "mean" => AggKind::Mean,
            "min" => AggKind::Min,
            "max" => AggKind::Max,
            "all" => AggKind::All,
            _ => AggKind::Any,
        };
        let ty = match (kind, et) {
            (AggKind::All | AggKind::Any, Ty::Bool) => Ty::Bool,
            (AggKind::Sum, Ty::Num(u, i)) => Ty::Num(u, i),
            (AggKind::Mean, Ty::Num(u, _)) => Ty::Num(u, false),
            (AggKind::Min | AggKind::Max, Ty::Num(..) | Ty::Date) => et,
            _ => {
                let want = match kind {
                    AggKind::All | AggKind::Any => "a condition",
                    AggKind::Min | AggKind::Max => "a number or a date",
                    _ => "a number",
                };
                return self.mismatch(
                    scope,
                    &ea.span,
                    format!(
                        "`{}` needs {want} for each record, found {}",
                        f.name,
                        et.describe(self.ev)
                    ),
                    "wrong type",
                );
            }
        };
        let node = match grouped {
            Some((_, _, col, _)) => Node::GroupAgg(
                kind,
                Box::new(sn),
                col,
                Box::new(en),
                Self::loc(scope, span),
            ),
            None => Node::Agg(kind, Box::new(sn), Box::new(en), Self::loc(scope, span)),
        };
        Ok((self.memo(node, u, scope), ty, u))
    }

    fn call_share(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 2, "share(part, whole)")?;
        let (a, b) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let (pn, _, u1) = self.set_arg(f, scope, a)?;
        let (wn, _, u2) = self.set_arg(f, scope, b)?;
        let node = Node::Share(Box::new(pn), Box::new(wn), Self::loc(scope, span));
        Ok((
            self.memo(node, u1 || u2, scope),
            Ty::Num(Unit::Percent, false),
            u1 || u2,
        ))
    }

    fn call_names(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 1, "names(set)")?;
        let (sn, _, u) = self.set_arg(f, scope, args.first().ok_or(())?)?;
        Ok((self.memo(Node::Keys(Box::new(sn)), u, scope), Ty::List, u))
    }

    /// The two arguments of `f`, both dates (after its arity is checked),
    /// and whether either uses the record in scope.
    fn two_dates(&mut self, f: &Ident, args: &[Expr], scope: &Scope) -> R<(Node, Node, bool)> {
        let mut nodes = Vec::new();
        let mut uses = false;
        for a in args {
            let (n, t, u) = self.expr(a, scope)?;
            if t != Ty::Date {
                return self.mismatch(
                    scope,
                    &a.span,
                    format!("`{}` needs dates, found {}", f.name, t.describe(self.ev)),
                    "not a date",
                );
            }
            uses |= u;
            nodes.push(n);
        }
        let mut it = nodes.into_iter();
        let (a, b) = (it.next().ok_or(())?, it.next().ok_or(())?);
        Ok((a, b, uses))
    }

    fn call_years_between(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(
            f,
            args,
            span,
            scope,
            2,
            &format!("{}(earlier_date, later_date)", f.name),
        )?;
        let (a, b, uses) = self.two_dates(f, args, scope)?;
        let (kind, unit, integral) = match f.name.as_str() {
            "years_between" => (Between::Years, Unit::Years, false),
            "months_between" => (Between::Months, Unit::Months, false),
            _ => (Between::Days, Unit::Days, true),
        };
        Ok((
            Node::Between(kind, Box::new(a), Box::new(b), Self::loc(scope, span)),
            Ty::Num(unit, integral),
            uses,
        ))
    }

    fn call_date(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 1, "date(\"2023-06\")")?;
        let a = args.first().ok_or(())?;
        let ExprKind::Str(s) = &a.kind else {
            let d = Self::err(
                scope,
                &a.span,
                "claim/type-mismatch",
                "`date` takes a date written as a string",
                "not a string literal",
            );
            self.push(
                d.help("write date(\"2023-06\"), date(\"2016\") or date(\"2018-01..2019-06\")"),
            );
            return Err(());
        };
        match parse_date_value(s) {
            Ok(d) => Ok((Node::Const(Value::Date(d)), Ty::Date, false)),
            Err(e) => {
                // Offsets are in the decoded text; they match the
                // written literal only when it has no escapes (an
                // escape always makes the decoded text shorter).
                let exact = a.span.len() == s.len() + 2;
                let inner = if exact {
                    a.span.start + 1 + e.start..a.span.start + 1 + e.end.max(e.start + 1)
                } else {
                    a.span.clone()
                };
                let mut d = Self::err(
                    scope,
                    &inner,
                    "claim/bad-date",
                    e.message.clone(),
                    "this date",
                );
                if let Some(h) = e.hint {
                    d = d.help(h);
                }
                self.push(d);
                Err(())
            }
        }
    }

    fn call_abs(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 1, "abs(days_between(a, b))")?;
        let a = args.first().ok_or(())?;
        let (n, t, u) = self.expr(a, scope)?;
        match t {
            Ty::Num(..) => Ok((Node::Abs(Box::new(n), Self::loc(scope, span)), t, u)),
            _ => self.mismatch(
                scope,
                &a.span,
                format!("`abs` needs a number, found {}", t.describe(self.ev)),
                "not a number",
            ),
        }
    }

    fn call_same_year(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 2, "same_year(left, joined)")?;
        let (a, b, uses) = self.two_dates(f, args, scope)?;
        Ok((Node::SameYear(Box::new(a), Box::new(b)), Ty::Bool, uses))
    }

    fn call_refine(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(
            f,
            args,
            span,
            scope,
            2,
            "refine(a, b): the value lies in both",
        )?;
        let (a, b) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let (an, at, u1) = self.expr(a, scope)?;
        let (bn, bt, u2) = self.expr(b, scope)?;
        match (at, bt) {
            (Ty::Num(u, _), Ty::Num(v, _)) if u == v => Ok((
                Node::Refine(Box::new(an), Box::new(bn), Self::loc(scope, span)),
                Ty::Num(u, false),
                u1 || u2,
            )),
            _ => {
                let d = Self::err(
                    scope,
                    span,
                    "claim/type-mismatch",
                    format!(
                        "`refine` needs two numbers in the same unit, found {} and {}",
                        at.describe(self.ev),
                        bt.describe(self.ev)
                    ),
                    "here",
                );
                self.push(d);
                Err(())
            }
        }
    }

    fn call_subset(
        &mut self,
        f: &Ident,
        args: &[Expr],
        span: &Span,
        scope: &Scope,
    ) -> R<(Node, Ty, bool)> {
        self.arity(f, args, span, scope, 2, &format!("{}(list, list)", f.name))?;
        let (a, b) = (args.first().ok_or(())?, args.get(1).ok_or(())?);
        let (an, at, u1) = self.expr(a, scope)?;
        let (bn, bt, u2) = self.expr(b, scope)?;
        if at != Ty::List || bt != Ty::List {
            let d = Self::err(
                scope,
                span,
                "claim/type-mismatch",
                format!(
                    "`{}` compares two lists, found {} and {}",
                    f.name,
                    at.describe(self.ev),
                    bt.describe(self.ev)
                ),
                "here",
            );
            self.push(d.help("turn a set of records into a list with names(set) or set.column"));
            return Err(());
        }
        let (x, y) = if f.name == "subset" {
            (an, bn)
        } else {
            (bn, an)
        };
        Ok((
            Node::Subset(Box::new(x), Box::new(y), f.name == "includes_all"),
            Ty::Bool,
            u1 || u2,
        ))
    }

    fn call_unknown_function(&mut self, f: &Ident, scope: &Scope) -> R<(Node, Ty, bool)> {
        let other = f.name.as_str();
        let mut d = Self::err(
            scope,
            &f.span,
            "claim/unknown-function",
            format!("unknown function `{other}`"),
            "not a function",
        );
        d = d.help(match suggest(other, FUNCTIONS.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("functions: {}", FUNCTIONS.join(", ")),
        });
        self.push(d);
        Err(())
    }
}

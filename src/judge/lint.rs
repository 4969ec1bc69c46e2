//! Usage checks behind `factcheck check`: warnings about evidence and
//! definitions that no claim uses, and filters that keep no record. They
//! are warnings, not errors: the verdicts are still sound, but something
//! in the files is probably not what its author meant.

use std::collections::{BTreeMap, BTreeSet};

use crate::claims::ClaimFile;
use crate::date::DateRange;
use crate::diag::Diagnostic;
use crate::eval::{Ctx, FilterAt, FilterCount};
use crate::evidence::{Evidence, ScopeId};
use crate::plan::Value;
use crate::resolve::{Node, Program};

/// What the checked claim files refer to.
#[derive(Debug, Default)]
pub struct Usage {
    tables: Vec<bool>,
    sources_cited: Vec<bool>,
    /// Per claim file, per definition.
    defs: Vec<Vec<bool>>,
}

impl Usage {
    /// Follow every compiled measure (with the claim file it belongs to)
    /// through the definitions it uses.
    pub fn of<'n>(
        ev: &Evidence,
        programs: &'n [Program],
        measures: impl IntoIterator<Item = (usize, &'n Node)>,
    ) -> Usage {
        let mut u = Usage {
            tables: vec![false; ev.tables.len()],
            sources_cited: vec![false; ev.sources.len()],
            defs: programs.iter().map(|p| vec![false; p.defs.len()]).collect(),
        };
        for t in &ev.tables {
            for i in t.records.source_lists.iter().flatten() {
                if let Some(c) = u.sources_cited.get_mut(*i) {
                    *c = true;
                }
            }
        }
        let mut work: Vec<(usize, &'n Node)> = measures.into_iter().collect();
        while let Some((file, node)) = work.pop() {
            let program = programs.get(file);
            let mut defs_seen = Vec::new();
            node.walk(|n| match n {
                Node::TableAll(t) => {
                    if let Some(used) = u.tables.get_mut(*t) {
                        *used = true;
                    }
                }
                Node::Def(i) => defs_seen.push(*i),
                _ => {}
            });
            for i in defs_seen {
                let Some(flag) = u.defs.get_mut(file).and_then(|d| d.get_mut(i)) else {
                    continue;
                };
                if !*flag {
                    *flag = true;
                    if let Some(body) = program.and_then(|p| p.defs.get(i)).and_then(Option::as_ref)
                    {
                        work.push((file, body));
                    }
                }
            }
        }
        u
    }

    /// Count sources cited outside the tables (by an `[article]` whose
    /// claim file reads the evidence scope `scope`).
    pub fn cite<'s>(
        &mut self,
        ev: &Evidence,
        scope: Option<ScopeId>,
        ids: impl IntoIterator<Item = &'s str>,
    ) {
        for id in ids {
            if let Some(i) = ev.source_in(scope, id) {
                if let Some(c) = self.sources_cited.get_mut(i) {
                    *c = true;
                }
            }
        }
    }

    /// Warnings for tables, sources and definitions nothing uses.
    pub fn warnings(&self, ev: &Evidence, files: &[ClaimFile]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (t, used) in ev.tables.iter().zip(&self.tables) {
            if !used {
                out.push(
                    Diagnostic::warning(
                        "evidence/unused-table",
                        format!("no claim uses table `{}`", t.name),
                    )
                    .at(t.file, t.name_span.clone(), "not used by the claims checked")
                    .help("evidence no claim reads is never checked: use it in a measure, or remove it"),
                );
            }
        }
        for ((s, cited), loc) in ev
            .sources
            .iter()
            .zip(&self.sources_cited)
            .zip(&ev.source_locs)
        {
            if !cited {
                out.push(
                    Diagnostic::warning(
                        "evidence/unused-source",
                        format!("no record or article cites source `{}`", s.id),
                    )
                    .at(loc.file, loc.span.clone(), "cited by no record")
                    .help("cite it in a record's `sources`, or remove it"),
                );
            }
        }
        for (cf, used) in files.iter().zip(&self.defs) {
            for (d, used) in cf.defs.iter().zip(used) {
                if !used {
                    out.push(
                        Diagnostic::warning(
                            "claim/unused-definition",
                            format!("no claim uses definition `{}`", d.name),
                        )
                        .at(d.name_loc.file, d.name_loc.span.clone(), "defined here")
                        .help("use it in a measure, or remove it"),
                    );
                }
            }
        }
        out
    }
}

/// Whether the filter `node` (a [`Node::Where`] of `program`) keeps a
/// record, or possibly one, when the dates its set is taken at (`at`) are
/// dropped: the condition matches records of the table at some date. Its
/// emptiness is then the date's doing (everyone has left, nobody has yet
/// joined), which is what a claim may state, not a condition that
/// matches nothing (a misspelt value). Filters inside the set are kept;
/// definitions are followed.
pub fn matches_at_some_date(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    (as_of, published): (DateRange, DateRange),
) -> bool {
    let Node::Where(set, pred, loc) = node else {
        return false;
    };
    let Some(undated) = without_dates(program, set, 0) else {
        return false;
    };
    let filter = Node::Where(Box::new(undated), pred.clone(), loc.clone());
    let mut ctx = Ctx::new(ev, program, as_of, published);
    matches!(ctx.eval(&filter, None), Ok(Value::Set(s)) if !s.is_empty())
}

/// A set expression with its `at` dates dropped along its spine (the sets
/// filtered and dated), through definitions; `None` when it is deeper
/// than a few definitions.
fn without_dates(program: &Program, set: &Node, depth: usize) -> Option<Node> {
    if depth > 16 {
        return None;
    }
    Some(match set {
        Node::At(inner, _) => without_dates(program, inner, depth + 1)?,
        Node::Where(inner, pred, loc) => Node::Where(
            Box::new(without_dates(program, inner, depth + 1)?),
            pred.clone(),
            loc.clone(),
        ),
        Node::Def(i) => match program.defs.get(*i) {
            Some(Some(body)) => without_dates(program, body, depth + 1)?,
            _ => return None,
        },
        other => other.clone(),
    })
}

/// Warnings for filters that never kept a record, certainly or possibly,
/// in any evaluation (`filters`: the evaluations' [`FilterCount`] events,
/// summed), except those `excused`: a claim expects them empty, or their
/// emptiness is the date's (see [`matches_at_some_date`]).
pub fn empty_filters(
    filters: &BTreeMap<FilterAt, FilterCount>,
    excused: &BTreeSet<FilterAt>,
) -> Vec<Diagnostic> {
    filters
        .iter()
        .filter(|(at, n)| !n.kept_any() && !excused.contains(*at))
        .map(|((file, start, end), _)| {
            Diagnostic::warning("claim/empty-filter", "this filter matches no record")
                .at(*file, *start..*end, "false for every record")
                .help("a count or share over it is 0 or undefined: check the values compared (spelling, case, dates) against the table")
        })
        .collect()
}

//! Sources that disagree (`[[alternative]]`) and the variants of the
//! evidence ("worlds") that alternatives and inferences make.
//!
//! A record holds one value per cell, cited by the record's sources. When
//! another source states a different value for the same cell, the table
//! file says so beside its records (CSV files stay untouched):
//!
//! ```toml
//! [[alternative]]
//! cell = 'employment["lee-acme"].end'
//! value = "2021"                 # the cell's own grammar (a date)
//! sources = ["other-outlet"]
//! note = "the outlet dates the move to 2021"   # optional
//! ```
//!
//! The record's value is the first reading of the cell (with the record's
//! sources); each `[[alternative]]` is one more. A claim is judged once per
//! combination of the readings of the disputed cells its measure reads
//! (cells of the tables it names, or cells linked to others by orderings),
//! at most [`MAX_WORLDS`] combinations; a claim that reads no disputed or
//! inferred cell is judged once, as if there were none.
//!
//! Inferred values ([`super::inference`]) make one more variant: the
//! evidence with its sourced values only.
//!
//! A variant is built from the evidence as loaded, with the chosen values
//! written into their cells; when the dataset states orderings, it is built
//! from a copy kept before the orderings narrowed any cell, and the
//! orderings are resolved again in it (a reading that contradicts them
//! makes that variant an error, located at the alternative).

use std::collections::BTreeSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::{parse_date_value, DateRange};
use crate::diag::{suggest, Diagnostic, FileId};

use super::column::{days_of, range_of, ColumnData};
use super::inference::{Inference, RawInference};
use super::order::{parse_cell, CellRef, Orders};
use super::{ColType, Evidence, TableId};

/// Most variants of the evidence one claim is judged in: the product of the
/// number of readings of every disputed cell it reads (times two when it
/// reads inferred values). A claim needing more is an error
/// (`eval/too-many-alternatives`), located at its measure.
pub const MAX_WORLDS: usize = 64;

/// An `[[alternative]]` as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Alternative")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternative {
    #[schemars(with = "String")]
    cell: Spanned<String>,
    #[schemars(with = "String")]
    value: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    sources: Vec<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

/// One value a cell may have, with the sources that state it.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The value.
    pub value: DateRange,
    /// Its sources (indices into [`Evidence::sources`]).
    pub sources: Vec<usize>,
    /// The note, if any.
    pub note: Option<String>,
}

/// A cell on which sources disagree.
#[derive(Debug, Clone)]
pub struct Disputed {
    /// The cell.
    pub cell: CellRef,
    /// Its readings: the record's value first, then each alternative in
    /// file order.
    pub readings: Vec<Reading>,
    /// Where its first alternative is written.
    pub file: FileId,
    /// Its span in that file.
    pub span: Range<usize>,
}

/// The disputed and inferred cells of a dataset.
#[derive(Debug, Clone, Default)]
pub struct Variants {
    pending_alts: Vec<(FileId, Spanned<RawAlternative>)>,
    pending_infs: Vec<(FileId, Spanned<RawInference>)>,
    /// Cells with alternatives, in file order of their first alternative.
    pub disputed: Vec<Disputed>,
    /// Inferred values, in file order.
    pub inferences: Vec<Inference>,
    /// The evidence before inferences and orderings changed any cell: kept
    /// only when the dataset has both orderings and variants.
    unnarrowed: Option<Box<Evidence>>,
}

/// One variant of the evidence: a reading for some disputed cells (the
/// others keep the record's value) and whether inferred values are used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct World {
    /// (index into [`Variants::disputed`], index of the reading), by cell.
    pub choices: Vec<(usize, usize)>,
    /// Whether inferred values are used.
    pub inferences: bool,
}

impl Variants {
    /// Whether no cell is disputed or inferred (then nothing costs more).
    pub fn is_empty(&self) -> bool {
        self.disputed.is_empty() && self.inferences.is_empty()
    }

    /// Keep the alternatives and inferences of one table file until every
    /// table is loaded.
    pub(crate) fn stash(
        &mut self,
        file: FileId,
        alts: Vec<Spanned<RawAlternative>>,
        infs: Vec<Spanned<RawInference>>,
    ) {
        self.pending_alts
            .extend(alts.into_iter().map(|r| (file, r)));
        self.pending_infs
            .extend(infs.into_iter().map(|r| (file, r)));
    }

    /// The disputed cells (indices into [`Variants::disputed`]) and the
    /// inferences (into [`Variants::inferences`]) a measure reading
    /// `tables` may depend on: cells of those tables, and cells linked by
    /// orderings to a cell of those tables (a reading may narrow it).
    pub fn touching(&self, ev: &Evidence, tables: &BTreeSet<TableId>) -> (Vec<usize>, Vec<usize>) {
        let reads = |c: CellRef| {
            tables.contains(&c.table)
                || ev
                    .orders
                    .linked_tables(c)
                    .iter()
                    .any(|t| tables.contains(t))
        };
        let d = self
            .disputed
            .iter()
            .enumerate()
            .filter(|(_, d)| reads(d.cell))
            .map(|(i, _)| i)
            .collect();
        let i = self
            .inferences
            .iter()
            .enumerate()
            .filter(|(_, i)| reads(i.cell))
            .map(|(i, _)| i)
            .collect();
        (d, i)
    }

    /// The worlds a claim reading `disputed` cells and (when `inferred`)
    /// inferred values is judged in: first the record's values with
    /// inferences as `use_inferences` says (the world the verdict is
    /// read in), then every other combination of readings; then, when
    /// inferences are used and read, the same combinations without them.
    /// `None` when there would be more than [`MAX_WORLDS`].
    pub fn worlds(
        &self,
        disputed: &[usize],
        inferred: bool,
        use_inferences: bool,
    ) -> Option<Vec<World>> {
        let mut combos: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        for d in disputed {
            let n = self.disputed.get(*d).map_or(1, |x| x.readings.len());
            if combos.len().saturating_mul(n) > MAX_WORLDS {
                return None;
            }
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    (0..n).map(move |r| {
                        let mut c = c.clone();
                        c.push((*d, r));
                        c
                    })
                })
                .collect();
        }
        let both = inferred && use_inferences;
        if both && combos.len().saturating_mul(2) > MAX_WORLDS {
            return None;
        }
        let mut out: Vec<World> = combos
            .iter()
            .map(|c| World {
                choices: c.clone(),
                inferences: use_inferences,
            })
            .collect();
        if both {
            out.extend(combos.into_iter().map(|c| World {
                choices: c,
                inferences: false,
            }));
        }
        Some(out)
    }

    /// A disputed cell's reading as text: `table["key"].column = value
    /// (sources a, b)`.
    pub fn reading_text(&self, ev: &Evidence, d: usize, r: usize) -> String {
        let Some(dis) = self.disputed.get(d) else {
            return String::new();
        };
        let Some(reading) = dis.readings.get(r) else {
            return String::new();
        };
        let ids: Vec<&str> = reading
            .sources
            .iter()
            .filter_map(|s| ev.sources.get(*s).map(|s| s.id.as_str()))
            .collect();
        let srcs = if ids.is_empty() {
            "no source".to_string()
        } else {
            format!("sources {}", ids.join(", "))
        };
        format!(
            "{} = {} ({srcs})",
            Orders::cell_name(ev, dis.cell),
            reading.value
        )
    }
}

impl Evidence {
    /// The evidence in `world`: the chosen readings and, unless it uses
    /// them, the sourced values of inferred cells written into their
    /// cells, orderings resolved again when there are any. An error when
    /// the chosen values contradict an ordering.
    pub fn world(&self, world: &World) -> Result<Evidence, Box<Diagnostic>> {
        let v = &self.variants;
        let mut out = match &v.unnarrowed {
            Some(base) => base.without_variants(),
            None => self.without_variants(),
        };
        // The copy kept before orderings has no inferred value written
        // yet; the evidence as loaded has them all.
        if v.unnarrowed.is_some() || !world.inferences {
            for i in &v.inferences {
                let value = if world.inferences {
                    &i.value
                } else {
                    &i.sourced
                };
                set_date(&mut out, i.cell, value);
            }
        }
        for (d, r) in &world.choices {
            if let Some(reading) = v.disputed.get(*d).and_then(|d| d.readings.get(*r)) {
                if let Some(dis) = v.disputed.get(*d) {
                    set_date(&mut out, dis.cell, &reading.value);
                }
            }
        }
        if v.unnarrowed.is_some() {
            let mut diags = Vec::new();
            super::order::resolve(&mut out, &mut diags);
            if let Some(d) = diags.into_iter().find(Diagnostic::is_error) {
                return Err(Box::new(d));
            }
        }
        Ok(out)
    }

    /// A copy without alternatives or inferences (a variant has none).
    fn without_variants(&self) -> Evidence {
        Evidence {
            tables: self.tables.clone(),
            sources: self.sources.clone(),
            source_locs: self.source_locs.clone(),
            broken: self.broken.clone(),
            orders: self.orders.clone(),
            variants: Variants::default(),
            scopes: self.scopes.clone(),
            file_scopes: self.file_scopes.clone(),
        }
    }
}

/// Write `value` into a date cell.
pub(super) fn set_date(ev: &mut Evidence, c: CellRef, value: &DateRange) {
    let Some(ColumnData::Date(dc)) = ev
        .tables
        .get_mut(c.table)
        .and_then(|t| t.columns.get_mut(c.column))
        .map(|col| &mut col.data)
    else {
        return;
    };
    let (lo, hi) = days_of(value);
    if let Some(s) = dc.lo.get_mut(c.row as usize) {
        *s = lo;
    }
    if let Some(s) = dc.hi.get_mut(c.row as usize) {
        *s = hi;
    }
}

/// The value of a date cell.
pub(super) fn get_date(ev: &Evidence, c: CellRef) -> Option<DateRange> {
    match ev
        .tables
        .get(c.table)
        .and_then(|t| t.columns.get(c.column))
        .map(|col| &col.data)
    {
        Some(ColumnData::Date(dc)) => Some(range_of(
            *dc.lo.get(c.row as usize)?,
            *dc.hi.get(c.row as usize)?,
        )),
        _ => None,
    }
}

/// Resolve the alternatives and inferences stashed while loading (cells,
/// values and sources checked), write every inferred value into its cell,
/// and keep a copy of the evidence as its sources state it when orderings
/// will narrow cells. Run before the orderings are resolved.
pub(crate) fn resolve(ev: &mut Evidence, diags: &mut Vec<Diagnostic>) {
    let alts = std::mem::take(&mut ev.variants.pending_alts);
    let infs = std::mem::take(&mut ev.variants.pending_infs);
    if alts.is_empty() && infs.is_empty() {
        return;
    }
    let mut disputed: Vec<Disputed> = Vec::new();
    for (file, raw) in alts {
        let span = raw.span();
        let raw = raw.into_inner();
        let cell = date_cell(
            ev,
            file,
            &raw.cell,
            &CellChecks::stating("alternative"),
            diags,
        );
        let value = date_value(file, &raw.value, diags);
        let sources = resolve_sources(ev, file, &raw.sources, &span, "alternative", diags);
        let (Some(cell), Some(value), Some(sources)) = (cell, value, sources) else {
            continue;
        };
        let reading = Reading {
            value,
            sources,
            note: raw.note,
        };
        match disputed.iter_mut().find(|d| d.cell == cell) {
            Some(d) => d.readings.push(reading),
            None => {
                let Some(recorded) = get_date(ev, cell) else {
                    continue;
                };
                let record_sources = ev
                    .tables
                    .get(cell.table)
                    .map(|t| t.sources_of(cell.row).to_vec())
                    .unwrap_or_default();
                disputed.push(Disputed {
                    cell,
                    readings: vec![
                        Reading {
                            value: recorded,
                            sources: record_sources,
                            note: None,
                        },
                        reading,
                    ],
                    file,
                    span,
                });
            }
        }
    }
    let mut inferences: Vec<Inference> = Vec::new();
    for (file, raw) in infs {
        let Some(inf) = super::inference::resolve_one(ev, file, raw, diags) else {
            continue;
        };
        if disputed.iter().any(|d| d.cell == inf.cell)
            || inferences.iter().any(|i| i.cell == inf.cell)
        {
            diags.push(
                Diagnostic::error(
                    "evidence/inference-twice",
                    format!(
                        "cell {} already has an inferred value or alternatives",
                        Orders::cell_name(ev, inf.cell)
                    ),
                )
                .at(inf.file, inf.span.clone(), "here")
                .help("a cell has at most one inferred value, and an inferred cell has no alternatives: state the inference once, or write the disagreement as alternatives"),
            );
            continue;
        }
        inferences.push(inf);
    }
    ev.variants.disputed = disputed;
    ev.variants.inferences = inferences;
    if !ev.orders.pending_is_empty() {
        ev.variants.unnarrowed = Some(Box::new(ev.without_variants()));
    }
    let infs = std::mem::take(&mut ev.variants.inferences);
    for i in &infs {
        set_date(ev, i.cell, &i.value);
    }
    ev.variants.inferences = infs;
}

/// How the checks of a cell reference report what they find: the code of
/// each kind of mistake, what the text should have been, and the help for
/// a column that holds no dates. Orderings, alternatives and inferences
/// each have their own.
pub(super) struct CellChecks {
    /// The text is not `table["key"].column`.
    pub syntax: &'static str,
    /// No such table, column or record.
    pub unknown: &'static str,
    /// The column holds no dates.
    pub not_date: &'static str,
    /// What the text should name ("a date cell").
    pub expected: &'static str,
    /// The help for a column that holds no dates.
    pub not_date_help: String,
}

impl CellChecks {
    /// The checks of an `[[alternative]]` or `[[inference]]` (`what`):
    /// every mistake under one code.
    pub(super) fn stating(what: &str) -> CellChecks {
        let code = if what == "alternative" {
            "evidence/alternative-cell"
        } else {
            "evidence/inference-cell"
        };
        CellChecks {
            syntax: code,
            unknown: code,
            not_date: code,
            expected: "a cell",
            not_date_help: format!(
                "an {what} states a date cell's value (other types are not supported yet)"
            ),
        }
    }
}

/// A date cell named as in an expression (`table["key"].column`), checked
/// against the tables; each mistake reported as `checks` says.
pub(super) fn date_cell(
    ev: &Evidence,
    file: FileId,
    text: &Spanned<String>,
    checks: &CellChecks,
    diags: &mut Vec<Diagnostic>,
) -> Option<CellRef> {
    let span = text.span();
    let err = |code: &'static str, msg: String, help: Option<String>| {
        let d = Diagnostic::error(code, msg).at(file, span.clone(), "here");
        match help {
            Some(h) => d.help(h),
            None => d,
        }
    };
    let Some((table, key, column)) = parse_cell(text.get_ref()) else {
        diags.push(err(
            checks.syntax,
            format!("`{}` is not {}", text.get_ref(), checks.expected),
            Some("name a cell as in an expression: table[\"key\"].column".into()),
        ));
        return None;
    };
    if ev.broken.iter().any(|b| b == table) {
        // The table's own errors are reported already.
        return None;
    }
    // Orderings, alternatives and inferences change the cells they name:
    // in a scope, only cells of the scope's own tables (a top-level table
    // is every article's).
    let scope = ev.scope_of_file(file);
    let Some(t) = ev.own_table(scope, table) else {
        let help = match ev.table_in(scope, table) {
            Some(_) => Some(super::shared_cell_help()),
            None => {
                suggest(table, ev.visible_tables(scope)).map(|s| format!("did you mean `{s}`?"))
            }
        };
        diags.push(err(checks.unknown, format!("no table `{table}`"), help));
        return None;
    };
    let tab = ev.tables.get(t)?;
    let Some(c) = tab.column(column) else {
        let help = suggest(column, tab.columns.iter().map(|c| c.name.as_str()))
            .map(|s| format!("did you mean `{s}`?"));
        diags.push(err(
            checks.unknown,
            format!("table `{table}` has no column `{column}`"),
            help,
        ));
        return None;
    };
    if tab.columns.get(c).map(|c| c.ty) != Some(ColType::Date) {
        diags.push(err(
            checks.not_date,
            format!("column `{column}` of `{table}` is not a date column"),
            Some(checks.not_date_help.clone()),
        ));
        return None;
    }
    let Some(row) = tab.row_of_key(key) else {
        let keys = tab.keys();
        let help = suggest(key, keys.iter().map(|k| &**k)).map(|s| format!("did you mean `{s}`?"));
        diags.push(err(
            checks.unknown,
            format!("no record with key `{key}` in `{table}`"),
            help,
        ));
        return None;
    };
    Some(CellRef {
        table: t,
        row,
        column: c,
    })
}

/// A date value as written in the date grammar.
pub(super) fn date_value(
    file: FileId,
    text: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateRange> {
    match parse_date_value(text.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            let mut d =
                Diagnostic::error("evidence/bad-date", e.message).at(file, text.span(), "here");
            if let Some(h) = e.hint {
                d = d.help(h);
            }
            diags.push(d);
            None
        }
    }
}

/// The sources named, resolved; `None` (with an error) when one is
/// unknown or none is named.
pub(super) fn resolve_sources(
    ev: &Evidence,
    file: FileId,
    names: &[Spanned<String>],
    span: &Range<usize>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<usize>> {
    if names.is_empty() {
        diags.push(
            Diagnostic::error("evidence/no-source", format!("{what} cites no source"))
                .at(file, span.clone(), format!("this {what}"))
                .help("add sources = [\"<id>\"] naming entries of sources.toml"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for s in names {
        match ev.source_in(ev.scope_of_file(file), s.get_ref()) {
            Some(i) => out.push(i),
            None => {
                ok = false;
                diags.push(super::unknown_source(
                    s.get_ref(),
                    file,
                    s.span(),
                    ev.visible_source_ids(ev.scope_of_file(file)),
                ));
            }
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn disputed(readings: usize) -> Disputed {
        Disputed {
            cell: CellRef {
                table: 0,
                row: 0,
                column: 0,
            },
            readings: (0..readings)
                .map(|_| Reading {
                    value: DateRange::unknown(),
                    sources: Vec::new(),
                    note: None,
                })
                .collect(),
            file: FileId(0),
            span: 0..0,
        }
    }

    fn variants(sizes: &[usize]) -> Variants {
        Variants {
            disputed: sizes.iter().map(|n| disputed(*n)).collect(),
            ..Variants::default()
        }
    }

    #[test]
    fn worlds_are_every_combination_records_first() {
        let v = variants(&[2, 3]);
        let w = v.worlds(&[0, 1], false, true).unwrap();
        assert_eq!(w.len(), 6);
        assert_eq!(w[0].choices, vec![(0, 0), (1, 0)]);
        let distinct: BTreeSet<_> = w.iter().map(|x| x.choices.clone()).collect();
        assert_eq!(distinct.len(), 6);
        assert!(w.iter().all(|x| x.inferences));
    }

    #[test]
    fn inferences_double_the_worlds_unless_they_are_off() {
        let v = variants(&[2]);
        let with = v.worlds(&[0], true, true).unwrap();
        assert_eq!(with.len(), 4);
        assert_eq!(with.iter().filter(|x| !x.inferences).count(), 2);
        let sourced = v.worlds(&[0], true, false).unwrap();
        assert_eq!(sourced.len(), 2);
        assert!(sourced.iter().all(|x| !x.inferences));
    }

    #[test]
    fn more_than_the_bound_is_none() {
        let v = variants(&[2; 7]);
        let all: Vec<usize> = (0..7).collect();
        assert!(v.worlds(&all, false, true).is_none());
        assert_eq!(v.worlds(&all[..6], false, true).map(|w| w.len()), Some(64));
        assert!(v.worlds(&all[..6], true, true).is_none());
    }
}

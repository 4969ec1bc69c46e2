//! Values the evidence infers rather than its sources state
//! (`[[inference]]`).
//!
//! A record's cells hold what its sources state. When a convention or a
//! rule narrows a cell further ("the paper lists her as Meta AI on
//! 2023-02-27, so she was still employed that day"), the table file states
//! the inferred value beside its records, with the rule:
//!
//! ```toml
//! [[inference]]
//! cell = 'employment["lee-acme"].end'
//! value = "2023-02-28..2025-05-26"   # the whole inferred value, not a delta
//! rule = "paper affiliation ⇒ employed on the posting date"
//! sources = ["acme-paper"]           # optional: what the rule is applied to
//! ```
//!
//! The inferred value must lie within the sourced one (an inference
//! narrows, it never contradicts: `evidence/inference-outside`). Claims
//! are judged with inferred values (unless the command line says
//! `--no-inferences`); a claim that reads an inferred cell is also judged
//! without them, and its verdict says when the two differ.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::DateRange;
use crate::diag::{Diagnostic, FileId};

use super::alternatives::{date_cell, date_value, get_date, resolve_sources, CellChecks};
use super::order::{CellRef, Orders};
use super::Evidence;

/// An `[[inference]]` as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Inference")]
pub(crate) struct RawInference {
    #[schemars(with = "String")]
    cell: Spanned<String>,
    #[schemars(with = "String")]
    value: Spanned<String>,
    #[schemars(with = "String")]
    rule: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    sources: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    note: Option<String>,
}

/// A resolved inference.
#[derive(Debug, Clone)]
pub struct Inference {
    /// The cell.
    pub cell: CellRef,
    /// The value inferred.
    pub value: DateRange,
    /// The value the record's sources state (the cell as written).
    pub sourced: DateRange,
    /// The rule that infers it.
    pub rule: String,
    /// Sources the rule is applied to (indices into
    /// [`Evidence::sources`]).
    pub sources: Vec<usize>,
    /// The note, if any.
    pub note: Option<String>,
    /// Where it is written.
    pub file: FileId,
    /// Its span in that file.
    pub span: Range<usize>,
}

impl Inference {
    /// The inference as text: `table["key"].column = value (sourced:
    /// value)`.
    pub fn text(&self, ev: &Evidence) -> String {
        format!(
            "{} = {} (sourced: {})",
            Orders::cell_name(ev, self.cell),
            self.value,
            self.sourced
        )
    }
}

/// Resolve one inference: cell, value, rule and sources checked, the
/// inferred value within the sourced one.
pub(super) fn resolve_one(
    ev: &Evidence,
    file: FileId,
    raw: Spanned<RawInference>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Inference> {
    let span = raw.span();
    let raw = raw.into_inner();
    let cell = date_cell(
        ev,
        file,
        &raw.cell,
        &CellChecks::stating("inference"),
        diags,
    );
    let value = date_value(file, &raw.value, diags);
    let rule = raw.rule.get_ref().trim().to_string();
    if rule.is_empty() {
        diags.push(
            Diagnostic::error("evidence/inference-rule", "an inference needs its rule")
                .at(file, raw.rule.span(), "empty")
                .help("say what infers the value, e.g. rule = \"paper affiliation ⇒ employed on the posting date\""),
        );
        return None;
    }
    let sources = match &raw.sources {
        Some(names) => resolve_sources(ev, file, names, &span, "inference", diags)?,
        None => Vec::new(),
    };
    let (cell, value) = (cell?, value?);
    let sourced = get_date(ev, cell)?;
    let within = |inner: &DateRange, outer: &DateRange| {
        let lo_ok = match (outer.lo, inner.lo) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(o), Some(i)) => i >= o,
        };
        let hi_ok = match (outer.hi, inner.hi) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(o), Some(i)) => i <= o,
        };
        lo_ok && hi_ok
    };
    if !within(&value, &sourced) {
        diags.push(
            Diagnostic::error(
                "evidence/inference-outside",
                format!(
                    "the inferred value {value} of {} is not within the value its sources state ({sourced})",
                    Orders::cell_name(ev, cell)
                ),
            )
            .at(file, raw.value.span(), "inferred here")
            .help("an inference narrows what the sources state; if a source states another value, write it as an [[alternative]]"),
        );
        return None;
    }
    Some(Inference {
        cell,
        value,
        sourced,
        rule,
        sources,
        note: raw.note,
        file,
        span,
    })
}

//! Renderers: thin views over the one [`Report`] model. None recomputes
//! anything; each only arranges what the verdicts already say.

pub mod human;
pub mod json;

pub use human::human;
pub use json::json;

use crate::verdict::Report;

/// Output formats of `factcheck verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people on a terminal.
    Human,
    /// For machines.
    Json,
}

/// Render a report in a format.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(report, color),
        Format::Json => json(report),
    }
}

//! Renderers: thin views over the one [`Report`] model. None recomputes
//! anything; each only arranges what the verdicts already say. When the
//! input is invalid there is no report, and the machine formats render the
//! diagnostics instead ([`render_invalid`]).

pub mod audit;
pub mod claimreview;
pub mod explain;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod svg;
pub mod timeline;
pub mod words;
/// The escaping helpers, which live in the base layer ([`crate::escape`]).
pub use crate::escape as text;

pub use human::human;
pub use json::json;

use crate::diag::DiagnosticJson;
use crate::verdict::{Report, Verdict};

/// Output formats of `factcheck verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people on a terminal.
    Human,
    /// For machines: the report model as JSON (see `factcheck schema`).
    Json,
    /// A publishable fact-check in Markdown.
    Markdown,
    /// JUnit XML for CI test reports.
    Junit,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// schema.org ClaimReview JSON-LD.
    Claimreview,
    /// One self-contained HTML page.
    Html,
}

/// Settings shared by the renderers.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// ANSI styling (human format only).
    pub color: bool,
    /// Verdicts that fail a CI run: JUnit failures, SARIF and GitHub errors.
    pub fail_on: Vec<Verdict>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            fail_on: vec![Verdict::Refuted],
        }
    }
}

/// Render a report in a format.
pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human(report, opts.color),
        Format::Json => json(report),
        Format::Markdown => markdown::markdown(report),
        Format::Junit => junit::junit(report, &opts.fail_on),
        Format::Sarif => sarif::sarif(report, &opts.fail_on),
        Format::Github => github::github(report, &opts.fail_on),
        Format::Claimreview => claimreview::claimreview(report),
        Format::Html => html::html(report),
    }
}

/// Write a report in a format to `out`, byte for byte what [`render`]
/// returns. The JSON report is serialised straight into the writer, never
/// held whole in memory (about 8 KB per claim); the other formats are
/// rendered to a string first. Give a buffered writer.
pub fn render_to(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
            out.write_all(b"\n")
        }
        _ => out.write_all(render(report, format, opts).as_bytes()),
    }
}

/// Render the problems of invalid input in a machine format; `None` for
/// the formats meant for readers (they get the diagnostics on stderr only).
pub fn render_invalid(diags: &[DiagnosticJson], format: Format) -> Option<String> {
    match format {
        Format::Json => Some(json::diagnostics_json(diags)),
        Format::Junit => Some(junit::junit_invalid(diags)),
        Format::Sarif => Some(sarif::sarif_invalid(diags)),
        Format::Github => Some(github::github_invalid(diags)),
        Format::Human | Format::Markdown | Format::Claimreview | Format::Html => None,
    }
}

/// What kind of source a cited source is, as the HTML and Markdown
/// reports show it after the source (`, primary document`); empty when
/// the registry does not say. Fixed words, safe in every format.
pub fn source_kind_words(s: &crate::verdict::SourceRef) -> &'static str {
    use crate::evidence::SourceKind;
    match s.kind {
        None => "",
        Some(SourceKind::Primary) => ", primary document",
        Some(SourceKind::Reporting) => ", the outlet's own reporting",
        Some(SourceKind::Syndication) => ", syndication or mirror",
        Some(SourceKind::Aggregator) => ", aggregator",
        Some(SourceKind::Recollection) => ", personal recollection",
    }
}

/// A verdict as a tally counts it ("2 refuted", "1 could not be judged").
pub fn tally_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Error => "could not be judged",
        other => other.label(),
    }
}

/// Title-case label of a verdict for readers ("Not checkable").
pub fn verdict_title(v: crate::verdict::Verdict) -> &'static str {
    use crate::verdict::Verdict;
    match v {
        Verdict::Supported => "Supported",
        Verdict::Imprecise => "Imprecise",
        Verdict::Refuted => "Refuted",
        Verdict::Undetermined => "Undetermined",
        Verdict::NotCheckable => "Not checkable",
        Verdict::Error => "Could not be judged",
    }
}

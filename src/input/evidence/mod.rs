//! The evidence dataset: typed tables of records, each record citing its
//! sources.
//!
//! A directory holds `sources.toml` (the source registry) and one
//! `<table>.toml` per table: a `[table]` header, `[[column]]` declarations
//! and either `[[record]]`s or a `csv = "file.csv"` beside it. Values are
//! checked against their declared type as they load; every problem becomes a
//! located [`Diagnostic`] and loading goes on, so one run reports them all.
//!
//! Storage is columnar and typed ([`mod@column`]): one vector per column, text
//! dictionary-encoded, dates as day numbers, booleans as bitmaps; keys are
//! indexed, so evaluation over large tables needs no per-row copies.

pub mod alternatives;
mod chunked;
pub mod column;
mod derive;
pub mod inference;
mod jsonl;
pub mod order;
mod parquet;
mod stream;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::date::{parse_date_value, DateRange};
use crate::diag::{suggest, Diagnostic, FileId, Files};
use crate::expr::Unit;
use crate::fsread::{shown, Fs, Opened, Origin, DEFAULT_MAX_FILE_SIZE};
use crate::input::csvformat::{self, ColumnFormat, CsvFormat, DateFormat, Empty, RawCsvFormat};
use crate::interval::Interval;
use crate::num::Rational;
use crate::statement::quantity_interval;

pub use column::{Cell, ColumnData};
pub use parquet::{describe_cells as describe_parquet_cells, ParquetColumns};

/// The SHA-256 of `bytes` in lower-case hex, as `[table] sha256` pins a
/// file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    stream::sha256(bytes)
}

/// The error for a source id that `sources.toml` does not declare,
/// written at `span` of `file`, with the closest of the `known` ids as a
/// suggestion.
pub(crate) fn unknown_source<'a>(
    id: &str,
    file: FileId,
    span: Range<usize>,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::error("evidence/unknown-source", format!("unknown source `{id}`")).at(
        file,
        span,
        "not in sources.toml",
    );
    match suggest(id, known) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    }
}

/// A `sha256` pin to rewrite: the table file whose CSV file was read with
/// another hash than its pin, and the file's text with the new pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinUpdate {
    /// The table file.
    pub file: FileId,
    /// The table.
    pub table: String,
    /// The pin written.
    pub old: String,
    /// The hash of the file read.
    pub new: String,
    /// The table file's text, the pin replaced.
    pub text: String,
}

/// Every pin that is not the hash of its CSV file as read, with the table
/// file's text rewritten to pin the file read (a deliberate update: the
/// claims are then checked against this version). Only pins already
/// written are rewritten.
pub fn pin_updates(ev: &Evidence, files: &Files) -> Vec<PinUpdate> {
    let mut out = Vec::new();
    for t in &ev.tables {
        let (Some((want, span)), Some(got)) = (&t.pin, &t.sha256) else {
            continue;
        };
        if want == got {
            continue;
        }
        let Some(text) = files.get(t.file).map(|f| f.text.as_str()) else {
            continue;
        };
        let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
            continue;
        };
        out.push(PinUpdate {
            file: t.file,
            table: t.name.clone(),
            old: want.clone(),
            new: got.clone(),
            text: format!("{before}\"{got}\"{after}"),
        });
    }
    out
}

/// The extensions of data files a table reads (read in pieces, never as
/// table files).
const DATA_EXTENSIONS: &[&str] = &["csv", "gz", "zst", "jsonl", "parquet"];

/// The extensions of the files an evidence directory (or scope) lists:
/// table files and data files.
const LISTED_EXTENSIONS: &[&str] = &["toml", "csv", "gz", "zst", "jsonl", "parquet"];

/// Index of a table in [`Evidence::tables`].
pub type TableId = usize;

/// Declared type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Free text.
    Text,
    /// Whole number.
    Integer,
    /// Exact decimal.
    Decimal,
    /// A day, month, year or range of days.
    Date,
    /// true / false.
    Boolean,
    /// A list of texts.
    List,
    /// A quantity as a source worded it (`about 5 years`), read as an interval.
    Quantity(Unit),
}

impl ColType {
    /// The type's name as written in a table file.
    pub fn name(self) -> &'static str {
        match self {
            ColType::Text => "text",
            ColType::Integer => "integer",
            ColType::Decimal => "decimal",
            ColType::Date => "date",
            ColType::Boolean => "boolean",
            ColType::List => "list",
            ColType::Quantity(_) => "quantity",
        }
    }
}

pub(crate) const TYPE_NAMES: &[&str] = &[
    "text", "integer", "decimal", "date", "boolean", "list", "quantity",
];

/// A declared column and its values.
#[derive(Debug, Clone)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Declared type.
    pub ty: ColType,
    /// The unit of a number column's values (`unit = "years"` on an
    /// integer, decimal or quantity column); `Unit::None` for plain numbers
    /// and other types.
    pub unit: Unit,
    /// What it holds.
    pub description: String,
    /// The values, one per record.
    pub data: ColumnData,
}

impl Column {
    /// The cell of record `row` (`None` past the end).
    pub fn get(&self, row: u32) -> Option<Cell> {
        self.data.get(row)
    }
}

/// Where a record was written.
#[derive(Debug, Clone)]
pub struct RecordLoc {
    /// File.
    pub file: FileId,
    /// Span of the record.
    pub span: Range<usize>,
}

/// A table of records.
#[derive(Debug, Clone)]
pub struct Table {
    /// Name used in expressions.
    pub name: String,
    /// What it holds.
    pub description: String,
    /// Index of the key column (`None`: a table without a key, whose
    /// records are named by their line).
    pub key: Option<usize>,
    /// Indices of the from / to date columns of a temporal table.
    pub temporal: Option<(usize, usize)>,
    /// Columns.
    pub columns: Vec<Column>,
    /// Records: their sources, notes and places.
    pub records: Records,
    /// The record of each key.
    pub key_index: KeyIndex,
    /// The table file.
    pub file: FileId,
    /// Where the table's name is written in it.
    pub name_span: Range<usize>,
    /// The dataset's own sources (`[table] sources`), cited by every
    /// record that names none itself (indices into [`Evidence::sources`]).
    pub sources: Vec<usize>,
    /// The SHA-256 of its CSV file as read (lower-case hex), when it has
    /// one.
    pub sha256: Option<String>,
    /// The pin written in the table file (`[table] sha256`), with where.
    pub pin: Option<(String, Range<usize>)>,
    /// How its CSV file is written (`[table.csv_format]`).
    pub format: CsvFormat,
    /// How each column is read from it (by column index).
    pub column_formats: Vec<ColumnFormat>,
    /// Whether the `to` day of a temporal table is the last day the fact
    /// holds (`end = "inclusive"`), not the first day it no longer holds.
    pub end_inclusive: bool,
    /// The dataset its file is, as the table description names it
    /// (`[table.dataset]`), cited by every verdict its records decide.
    pub dataset: Option<Dataset>,
    /// Whether the table names its dataset's sources (even unknown ones,
    /// already reported: its records are not reported again).
    cites_dataset: bool,
    /// Its derived columns, in the order they are computed.
    derived: Vec<derive::Derived>,
    /// The Spark catalog table (`[table] spark = "db.table"`) the Spark
    /// engine reads instead of a file, with where it is written.
    pub spark: Option<(String, Range<usize>)>,
    /// The column each field of its CSV file's header row feeds (`None`:
    /// not stored), when the file was read; empty otherwise.
    pub csv_fields: Vec<Option<usize>>,
}

/// A published dataset a table's file is (`[table.dataset]`): what a
/// report cites beside the file's pinned SHA-256. Every field is optional:
/// what the publisher does not say stays absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Its title.
    pub title: Option<Arc<str>>,
    /// Who publishes it.
    pub publisher: Option<Arc<str>>,
    /// Where it is published (http or https).
    pub url: Option<Arc<str>>,
    /// The version the publisher gives it.
    pub version: Option<Arc<str>>,
    /// The day (or month, or year) the file was retrieved, as written.
    pub retrieved: Option<Arc<str>>,
}

/// What a table knows of each record besides its cells, stored compactly:
/// the distinct lists of sources once each, notes only where written, and
/// each record's place as an offset and a length in its file.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// The distinct lists of sources cited (indices into
    /// [`Evidence::sources`]).
    pub source_lists: Vec<Vec<usize>>,
    /// Each record's list, an index into `source_lists`.
    pub source_list: Vec<u32>,
    list_of: HashMap<Vec<usize>, u32>,
    /// Notes, by record.
    pub notes: BTreeMap<u32, String>,
    /// The file the records were written in.
    pub file: Option<FileId>,
    /// Where each record starts in it (empty for records read from a CSV
    /// file in pieces, which keep only their line).
    pub starts: Vec<u64>,
    /// Each record's length in bytes (empty where `starts` is).
    pub lens: Vec<u32>,
    /// The line each record starts on, for records read from CSV (whose
    /// text is released after loading); empty for records written in TOML.
    pub lines: Vec<u32>,
}

impl Records {
    fn push(
        &mut self,
        sources: &[usize],
        note: Option<String>,
        file: FileId,
        span: Option<Range<usize>>,
    ) {
        let row = self.source_list.len() as u32;
        // Records usually cite what the record before cited.
        let last = self.source_list.last().copied();
        let same = last
            .and_then(|l| self.source_lists.get(l as usize))
            .is_some_and(|l| {
                l.len() == sources.len() && l.iter().zip(sources).all(|(a, b)| a == b)
            });
        let list = match last
            .filter(|_| same)
            .or_else(|| self.list_of.get(sources).copied())
        {
            Some(i) => i,
            None => {
                let i = self.source_lists.len() as u32;
                self.source_lists.push(sources.to_vec());
                self.list_of.insert(sources.to_vec(), i);
                i
            }
        };
        self.source_list.push(list);
        if let Some(n) = note {
            self.notes.insert(row, n);
        }
        self.file = Some(file);
        if let Some(span) = span {
            self.starts.push(span.start as u64);
            self.lens
                .push(u32::try_from(span.len()).unwrap_or(u32::MAX));
        }
    }

    /// Append the records of `b`, read from the text after this one's,
    /// adding `line_base` to their lines: the records both texts read in
    /// one pass would be (the same list numbers for the same lists).
    fn append(&mut self, b: Records, line_base: u64) {
        let base = self.source_list.len() as u32;
        let map: Vec<u32> = b
            .source_lists
            .into_iter()
            .map(|l| match self.list_of.get(&l) {
                Some(i) => *i,
                None => {
                    let i = self.source_lists.len() as u32;
                    self.source_lists.push(l.clone());
                    self.list_of.insert(l, i);
                    i
                }
            })
            .collect();
        self.source_list.extend(
            b.source_list
                .iter()
                .map(|k| map.get(*k as usize).copied().unwrap_or(0)),
        );
        self.notes
            .extend(b.notes.into_iter().map(|(r, n)| (r + base, n)));
        if b.file.is_some() {
            self.file = b.file;
        }
        self.starts.extend_from_slice(&b.starts);
        self.lens.extend_from_slice(&b.lens);
        self.lines.extend(
            b.lines
                .iter()
                .map(|l| u32::try_from(u64::from(*l) + line_base).unwrap_or(u32::MAX)),
        );
    }

    /// Push records citing `sources`, with no note and no span, on these
    /// lines (as many [`Records::push`] would).
    fn push_lines(&mut self, sources: &[usize], file: FileId, lines: &[u32]) {
        let Some((_, rest)) = lines.split_first() else {
            return;
        };
        self.push(sources, None, file, None);
        if let Some(list) = self.source_list.last().copied() {
            self.source_list
                .extend(std::iter::repeat_n(list, rest.len()));
        }
        self.lines.extend_from_slice(lines);
    }

    fn reserve(&mut self, n: usize, spans: bool) {
        self.lines.reserve(n);
        self.source_list.reserve(n);
        if spans {
            self.starts.reserve(n);
            self.lens.reserve(n);
        }
    }

    fn shrink(&mut self) {
        self.list_of = HashMap::new();
        self.source_list.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.lens.shrink_to_fit();
        self.lines.shrink_to_fit();
    }
}

impl Table {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.source_list.len()
    }

    /// Whether the table has no records.
    pub fn is_empty(&self) -> bool {
        self.records.source_list.is_empty()
    }

    /// The sources a record cites (indices into [`Evidence::sources`]).
    pub fn sources_of(&self, row: u32) -> &[usize] {
        self.records
            .source_list
            .get(row as usize)
            .and_then(|i| self.records.source_lists.get(*i as usize))
            .map_or(&[], |v| v.as_slice())
    }

    /// A record's note.
    pub fn note_of(&self, row: u32) -> Option<&str> {
        self.records.notes.get(&row).map(String::as_str)
    }

    /// The line a record starts on, when it was read from CSV (use the
    /// file's text for records written in TOML).
    pub fn line_of(&self, row: u32) -> Option<usize> {
        self.records.lines.get(row as usize).map(|l| *l as usize)
    }

    /// The file a record was written in and the (1-based) line it starts
    /// on.
    pub fn line_in(&self, row: u32, files: &Files) -> Option<(FileId, usize)> {
        let file = self.records.file?;
        match self.line_of(row) {
            Some(line) => Some((file, line)),
            None => {
                let loc = self.loc_of(row)?;
                Some((file, files.line_col(loc.file, loc.span.start).0))
            }
        }
    }

    /// Where a record was written (`None` for a record read from a CSV
    /// file in pieces, which keeps only its line: see [`Table::line_in`]).
    pub fn loc_of(&self, row: u32) -> Option<RecordLoc> {
        let r = &self.records;
        let start = usize::try_from(*r.starts.get(row as usize)?).ok()?;
        let len = *r.lens.get(row as usize)? as usize;
        Some(RecordLoc {
            file: r.file?,
            span: start..start.saturating_add(len),
        })
    }

    /// Column index by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The key text of a record; in a table without a key, its line in
    /// the CSV file (`line 48213`) or its place among the records
    /// (`record 3`).
    pub fn key_of(&self, row: u32) -> Arc<str> {
        let Some(key) = self.key else {
            return Arc::from(match self.line_of(row) {
                Some(line) => format!("line {line}"),
                None => format!("record {}", u64::from(row) + 1),
            });
        };
        match self.columns.get(key).and_then(|c| c.get(row)) {
            Some(Cell::Text(t)) => t,
            Some(Cell::Num(iv)) => Arc::from(iv.to_string().as_str()),
            _ => Arc::from(format!("#{row}").as_str()),
        }
    }

    /// The record whose key is `key`.
    pub fn row_of_key(&self, key: &str) -> Option<u32> {
        match &self.key_index {
            KeyIndex::ByCode(rows) => {
                let Some(ColumnData::Text(c)) =
                    self.key.and_then(|k| self.columns.get(k)).map(|c| &c.data)
                else {
                    return None;
                };
                let code = c.dict.code(key)?;
                rows.get(code as usize).copied().filter(|r| *r != u32::MAX)
            }
            KeyIndex::ByText(map) => map.get(key).copied(),
        }
    }

    /// Every key, in no particular order (for suggestions).
    pub fn keys(&self) -> Vec<Arc<str>> {
        match &self.key_index {
            KeyIndex::ByCode(rows) => rows
                .iter()
                .filter(|r| **r != u32::MAX)
                .map(|r| self.key_of(*r))
                .collect(),
            KeyIndex::ByText(map) => map.keys().cloned().collect(),
        }
    }
}

/// How a table finds a record by its key.
#[derive(Debug, Clone)]
pub enum KeyIndex {
    /// A text key: the record of each code of the key column's dictionary
    /// (`u32::MAX` for none).
    ByCode(Vec<u32>),
    /// Any other key: by its text.
    ByText(HashMap<Arc<str>, u32>),
}

impl Default for KeyIndex {
    fn default() -> Self {
        KeyIndex::ByText(HashMap::new())
    }
}

/// A cited source.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Source {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Address.
    pub url: String,
    /// Publication date.
    pub date: DateRange,
    /// What kind of source it is, when the registry says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
    /// Remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What kind of source a source is, so readers can weigh it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The document itself: a paper, a filing, a repository's history,
    /// an organisation's own page.
    Primary,
    /// The outlet's own reporting.
    Reporting,
    /// A syndicated copy, reprint or mirror of another outlet's text.
    Syndication,
    /// A page that compiles what others reported.
    Aggregator,
    /// Someone's recollection, not checked against a document.
    Recollection,
}

impl SourceKind {
    /// The kind as written in `sources.toml` and shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Primary => "primary",
            SourceKind::Reporting => "reporting",
            SourceKind::Syndication => "syndication",
            SourceKind::Aggregator => "aggregator",
            SourceKind::Recollection => "recollection",
        }
    }
}

/// The whole dataset.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Tables, in file-name order.
    pub tables: Vec<Table>,
    /// Sources, in file order.
    pub sources: Vec<Source>,
    /// Where each source was declared.
    pub source_locs: Vec<RecordLoc>,
    /// Names (file stems) of table files that could not be loaded: their
    /// errors are reported once, so a claim naming one is not reported again.
    pub broken: Vec<String>,
    /// Orderings between date cells (`[[order]]`), resolved.
    pub orders: order::Orders,
    /// Cells sources disagree on (`[[alternative]]`) and inferred values
    /// (`[[inference]]`), resolved.
    pub variants: alternatives::Variants,
    /// The evidence scopes (subdirectories of the evidence directory), in
    /// name order; a claim file selects one with `[article] evidence`.
    pub scopes: Vec<Scope>,
    /// The scope of every file read inside one (table files, their CSV
    /// files, its `sources.toml`); a file not here is top-level (shared).
    pub file_scopes: HashMap<FileId, ScopeId>,
}

/// An evidence scope: one article's own tables and sources, in a
/// subdirectory of the evidence directory. Its names hide the top-level
/// (shared) ones of the same name, for the claim files that select it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Its name: the subdirectory's name.
    pub name: String,
    /// The directory as shown to the user.
    pub dir: String,
}

/// Index of a scope in [`Evidence::scopes`].
pub type ScopeId = usize;

/// Whether `name` can name an evidence scope: a single directory name of
/// ASCII letters, digits, `-`, `_` and `.`, not starting with `.` (so never
/// `..`, a path or a hidden directory).
pub fn valid_scope_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Evidence {
    /// Top-level (shared) table by name.
    pub fn table(&self, name: &str) -> Option<TableId> {
        self.table_in(None, name)
    }

    /// Table by name as the claim files of `scope` see it: the scope's
    /// own, else the top-level one.
    pub fn table_in(&self, scope: Option<ScopeId>, name: &str) -> Option<TableId> {
        scope
            .and_then(|s| self.own_table(Some(s), name))
            .or_else(|| self.own_table(None, name))
    }

    /// Table by name among those of `scope` exactly (`None`: top-level).
    pub fn own_table(&self, scope: Option<ScopeId>, name: &str) -> Option<TableId> {
        self.tables
            .iter()
            .position(|t| t.name == name && self.scope_of_file(t.file) == scope)
    }

    /// Names of the tables the claim files of `scope` see.
    pub fn visible_tables(&self, scope: Option<ScopeId>) -> Vec<&str> {
        self.tables
            .iter()
            .filter(|t| {
                let s = self.scope_of_file(t.file);
                s.is_none() || s == scope
            })
            .map(|t| t.name.as_str())
            .collect()
    }

    /// The scope file `file` was read in (`None`: top-level).
    pub fn scope_of_file(&self, file: FileId) -> Option<ScopeId> {
        self.file_scopes.get(&file).copied()
    }

    /// The scope of table `t` (`None`: top-level).
    pub fn table_scope(&self, t: TableId) -> Option<ScopeId> {
        self.tables.get(t).and_then(|t| self.scope_of_file(t.file))
    }

    /// The scope of source `s` (`None`: top-level).
    pub fn source_scope(&self, s: usize) -> Option<ScopeId> {
        self.source_locs
            .get(s)
            .and_then(|l| self.scope_of_file(l.file))
    }

    /// Scope by name.
    pub fn scope_named(&self, name: &str) -> Option<ScopeId> {
        self.scopes.iter().position(|s| s.name == name)
    }

    /// The sources the files of `scope` cite, by id: the top-level ones,
    /// and the scope's own in place of those of the same id.
    pub fn source_ids(&self, scope: Option<ScopeId>) -> HashMap<&str, usize> {
        visible_sources(&self.sources, &self.source_locs, &self.file_scopes, scope)
    }

    /// The ids of the sources the files of `scope` see, in declaration
    /// order (for suggestions: the same every run).
    pub fn visible_source_ids(&self, scope: Option<ScopeId>) -> Vec<&str> {
        let mut ids: Vec<(usize, &str)> = self
            .source_ids(scope)
            .into_iter()
            .map(|(id, i)| (i, id))
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// Source by id as the files of `scope` see it.
    pub fn source_in(&self, scope: Option<ScopeId>, id: &str) -> Option<usize> {
        let find = |want: Option<ScopeId>| {
            self.sources
                .iter()
                .enumerate()
                .position(|(i, s)| s.id == id && self.source_scope(i) == want)
        };
        scope.and_then(|s| find(Some(s))).or_else(|| find(None))
    }
}

/// [`Evidence::source_ids`], borrowing only the fields it reads.
fn visible_sources<'a>(
    sources: &'a [Source],
    locs: &[RecordLoc],
    file_scopes: &HashMap<FileId, ScopeId>,
    scope: Option<ScopeId>,
) -> HashMap<&'a str, usize> {
    let scope_of = |i: usize| locs.get(i).and_then(|l| file_scopes.get(&l.file).copied());
    let mut out = HashMap::with_capacity(sources.len());
    let passes: &[Option<ScopeId>] = if scope.is_some() {
        &[None, scope]
    } else {
        &[None]
    };
    for pass in passes {
        for (i, s) in sources.iter().enumerate() {
            if scope_of(i) == *pass {
                out.insert(s.id.as_str(), i);
            }
        }
    }
    out
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SourcesFile")]
pub(crate) struct RawSources {
    #[serde(default)]
    #[schemars(with = "Vec<RawSource>")]
    source: Vec<Spanned<RawSource>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
struct RawSource {
    #[schemars(with = "String")]
    id: Spanned<String>,
    title: String,
    publisher: String,
    #[schemars(with = "String")]
    url: Spanned<String>,
    #[schemars(with = "String")]
    date: Spanned<String>,
    #[serde(default)]
    kind: Option<SourceKind>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TableFile")]
pub(crate) struct RawTableFile {
    table: RawTableHeader,
    #[serde(default)]
    #[schemars(with = "Vec<RawColumn>")]
    column: Vec<Spanned<RawColumn>>,
    #[serde(default)]
    #[schemars(with = "Vec<BTreeMap<String, serde_json::Value>>")]
    record: Vec<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
    #[serde(default)]
    #[schemars(with = "Vec<order::RawOrder>")]
    order: Vec<Spanned<order::RawOrder>>,
    #[serde(default)]
    #[schemars(with = "Vec<alternatives::RawAlternative>")]
    alternative: Vec<Spanned<alternatives::RawAlternative>>,
    #[serde(default)]
    #[schemars(with = "Vec<inference::RawInference>")]
    inference: Vec<Spanned<inference::RawInference>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Table")]
struct RawTableHeader {
    #[schemars(with = "String")]
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[schemars(with = "String")]
    key: Option<Spanned<String>>,
    #[serde(default)]
    temporal: Option<RawTemporal>,
    #[serde(default)]
    #[schemars(with = "String")]
    csv: Option<Spanned<String>>,
    /// The table of a Spark catalog (`db.table`) the Spark engine reads
    /// instead of a file; its columns are checked against the ones
    /// declared here.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    spark: Option<Spanned<String>>,
    /// The dataset's own sources, cited by every record.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    sources: Option<Vec<Spanned<String>>>,
    /// The SHA-256 the CSV file must have.
    #[serde(default)]
    #[schemars(with = "String")]
    sha256: Option<Spanned<String>>,
    /// How the CSV file is written.
    #[serde(default)]
    #[schemars(with = "Option<RawCsvFormat>")]
    csv_format: Option<Spanned<RawCsvFormat>>,
    /// The published dataset the file is, as reports cite it.
    #[serde(default)]
    #[schemars(with = "Option<RawDataset>")]
    dataset: Option<Spanned<RawDataset>>,
}

/// `[table.dataset]` as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dataset")]
struct RawDataset {
    /// Its title.
    #[serde(default)]
    title: Option<String>,
    /// Who publishes it.
    #[serde(default)]
    publisher: Option<String>,
    /// Where it is published (http or https).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    url: Option<Spanned<String>>,
    /// The version the publisher gives it.
    #[serde(default)]
    version: Option<String>,
    /// The day (or month, or year) the file was retrieved.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    retrieved: Option<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Temporal")]
struct RawTemporal {
    #[schemars(with = "String")]
    from: Spanned<String>,
    #[schemars(with = "String")]
    to: Spanned<String>,
    /// `inclusive` or `exclusive` (the default): whether the fact still
    /// holds on its `to` day.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    end: Option<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Column")]
struct RawColumn {
    #[schemars(with = "String")]
    name: Spanned<String>,
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    ty: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[schemars(with = "String")]
    unit: Option<Spanned<String>>,
    /// The column's header in the CSV file, when it is not its name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    header: Option<Spanned<String>>,
    /// The date format of its cells in the CSV file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    format: Option<Spanned<String>>,
    /// What an empty cell means: unknown, open or none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    empty: Option<Spanned<String>>,
    /// An expression over other columns of the record (`temp_max -
    /// temp_min`): the column is computed, not read from the file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    derive: Option<Spanned<String>>,
}

/// Parse TOML into `T`, turning syntax and shape errors into diagnostics.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: FileId,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        // A syntax error is reported as such, not as the type mismatch the
        // typed reading may have met first: parsed again as plain TOML,
        // only when the typed reading failed.
        Err(_) if text.parse::<toml::Table>().is_err() => {
            let e = text.parse::<toml::Table>().err()?;
            // (parsed twice more only on this error path)
            let span = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(
                    "toml/syntax",
                    format!("invalid TOML: {}", first_line(e.message())),
                )
                .at(file, span, "here"),
            );
            None
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = first_line(e.message());
            let code = if msg.starts_with("unknown field") {
                "toml/unknown-key"
            } else if msg.starts_with("missing field") {
                "toml/missing-key"
            } else {
                "toml/wrong-type"
            };
            let d = if code == "toml/unknown-key" {
                unknown_key_diag(kind, &msg, file, span)
            } else if code == "toml/missing-key" {
                let key = msg.split('`').nth(1).unwrap_or("?");
                Diagnostic::error(code, format!("missing required key `{key}` in {kind}"))
                    .at(file, span, format!("this table needs `{key}`"))
                    .help(format!("see the {kind} reference in README.md"))
            } else {
                Diagnostic::error(code, format!("invalid {kind}: {msg}"))
                    .at(file, span, "here")
                    .help(format!("see the {kind} reference in README.md"))
            };
            diags.push(d);
            None
        }
    }
}

/// serde's "unknown field `qoute`, expected one of `id`, `quote`, ..."
/// becomes a short message, a "did you mean" and the list of keys.
fn unknown_key_diag(kind: &str, msg: &str, file: FileId, span: Range<usize>) -> Diagnostic {
    let mut names = msg.split('`').skip(1).step_by(2);
    let key = names.next().unwrap_or("?");
    let expected: Vec<&str> = names.collect();
    let help = match suggest(key, expected.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if expected.is_empty() => format!("see the {kind} reference in README.md"),
        None => format!("the keys allowed here are: {}", expected.join(", ")),
    };
    Diagnostic::error("toml/unknown-key", format!("unknown key `{key}` in {kind}"))
        .at(file, span, "unknown key")
        .help(help)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Load every table and the source registry from a directory given on the
/// command line, its files confined to the current directory (or to the
/// directory itself when it is elsewhere) and to the default size limit.
pub fn load_dir(dir: &Path, files: &mut Files, diags: &mut Vec<Diagnostic>) -> Evidence {
    match Fs::new(None, DEFAULT_MAX_FILE_SIZE) {
        Ok(mut fs) => load_dir_in(&mut fs, dir, files, diags),
        Err(d) => {
            diags.push(*d);
            Evidence::default()
        }
    }
}

/// Load every table and the source registry from a directory given on the
/// command line, reading its files with `fs` (see [`crate::fsread`]).
pub fn load_dir_in(
    fs: &mut Fs,
    dir: &Path,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Evidence {
    load_dir_in_threads(fs, dir, files, diags, (0, None))
}

/// [`load_dir_in`] on at most `threads` threads (0: one per core). The
/// result is the same whatever the number.
///
/// Each subdirectory of `dir` is an evidence scope (see [`Scope`]), listed
/// with the same confinement as the directory's files
/// ([`Fs::list_scopes`]).
pub fn load_dir_in_threads(
    fs: &mut Fs,
    dir: &Path,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
    (threads, wanted): (usize, Option<&BTreeSet<String>>),
) -> Evidence {
    if let Some(d) = fs.check_dir(dir) {
        diags.push(d);
        return Evidence::default();
    }
    let top = match read_group(fs, dir, None, diags) {
        Ok(g) => g,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "io/evidence-dir",
                    format!("cannot read evidence directory: {e}"),
                )
                .in_path(dir.display().to_string())
                .help("give the evidence directory"),
            );
            return Evidence::default();
        }
    };
    let mut groups = vec![top];
    for (name, sub) in fs.list_scopes(dir, valid_scope_name, diags) {
        if wanted.is_some_and(|w| !w.contains(&name)) {
            // Known by its name only: none of its files is read.
            groups.push(Group {
                scope: Some((name, shown(&sub))),
                inputs: Vec::new(),
                opened: Vec::new(),
                unreadable_csv: Vec::new(),
                unreadable: Vec::new(),
            });
            continue;
        }
        match read_group(fs, &sub, Some(name), diags) {
            Ok(g) => groups.push(g),
            Err(e) => diags.push(
                Diagnostic::error(
                    "io/evidence-dir",
                    format!("cannot read evidence scope directory: {e}"),
                )
                .in_path(shown(&sub)),
            ),
        }
    }
    load_groups(groups, files, diags, threads)
}

/// The files of one directory of evidence (the top level or a scope),
/// read or opened.
struct Group {
    /// The scope's name and directory (`None`: the top level).
    scope: Option<(String, String)>,
    inputs: Vec<(String, String)>,
    opened: Vec<Opened>,
    unreadable_csv: Vec<String>,
    unreadable: Vec<String>,
}

/// Read the files of `dir` (CSV files only opened).
fn read_group(
    fs: &mut Fs,
    dir: &Path,
    scope: Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<Group> {
    let paths = Fs::list(dir, LISTED_EXTENSIONS)?;
    let mut g = Group {
        scope: scope.map(|s| (s, shown(dir))),
        inputs: Vec::new(),
        opened: Vec::new(),
        unreadable_csv: Vec::new(),
        unreadable: Vec::new(),
    };
    for path in paths {
        if path
            .extension()
            .is_some_and(|e| DATA_EXTENSIONS.iter().any(|x| e == *x))
        {
            // Read later in pieces, never held whole (unless it has errors
            // to quote).
            match fs.open(&path, dir, diags) {
                Some(o) => g.opened.push(o),
                None => g.unreadable_csv.push(
                    path.file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default(),
                ),
            }
            continue;
        }
        match fs.read(&path, Origin::Found { dir }, diags) {
            Some(t) => g.inputs.push((t.shown, t.text)),
            None => g.unreadable.push(stem(&path.display().to_string())),
        }
    }
    Ok(g)
}

/// A file name without directory and extension.
fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Load a dataset from (path, text) pairs: `sources.toml`, table files and
/// the CSV files they name (matched by file name).
pub fn load_from(
    inputs: Vec<(String, String)>,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Evidence {
    load_from_scoped(inputs, Vec::new(), files, diags, 0)
}

/// [`load_from_threads`] with evidence scopes: each given as its name and
/// its files (`sources.toml`, table files and CSV files, as at the top
/// level). A scope whose name is not a valid scope name is an error.
pub fn load_from_scoped(
    inputs: Vec<(String, String)>,
    scopes: Vec<(String, Vec<(String, String)>)>,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
    threads: usize,
) -> Evidence {
    let group = |scope, inputs| Group {
        scope,
        inputs,
        opened: Vec::new(),
        unreadable_csv: Vec::new(),
        unreadable: Vec::new(),
    };
    let mut groups = vec![group(None, inputs)];
    // In name order, as a directory's subdirectories are listed; a name
    // given twice is one scope.
    let mut merged: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (name, inputs) in scopes {
        merged.entry(name).or_default().extend(inputs);
    }
    for (name, inputs) in merged {
        if !valid_scope_name(&name) {
            diags.push(bad_scope_dir(&name));
            continue;
        }
        let dir = format!("evidence/{name}");
        groups.push(group(Some((name, dir)), inputs));
    }
    load_groups(groups, files, diags, threads)
}

/// The help of an ordering, alternative or inference in a scope naming a
/// cell of a top-level table.
pub(crate) fn shared_cell_help() -> String {
    "this is a top-level (shared) table: an ordering, alternative or inference in a scope may change only cells of the scope's own tables; state it beside the shared table".into()
}

/// The error for a scope directory whose name cannot be a scope's.
pub(crate) fn bad_scope_dir(name: &str) -> Diagnostic {
    Diagnostic::error(
        "evidence/bad-scope-name",
        format!("`{name}` cannot name an evidence scope; it is not read"),
    )
    .in_path(name.to_string())
    .help("a scope directory's name is made of ASCII letters, digits, `-`, `_` and `.`, and does not start with `.`")
}

/// [`load_from`] on at most `threads` threads (0: one per core). The
/// result is the same whatever the number.
pub fn load_from_threads(
    inputs: Vec<(String, String)>,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
    threads: usize,
) -> Evidence {
    load_from_scoped(inputs, Vec::new(), files, diags, threads)
}

/// Load the groups of files of a dataset (the top level first, then each
/// scope), knowing the names of the CSV files that could not be read
/// (their errors are already reported). CSV files are matched by file name
/// within their group.
fn load_groups(
    groups: Vec<Group>,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
    threads: usize,
) -> Evidence {
    let mut ev = Evidence::default();
    let file_name = |p: &str| {
        Path::new(p)
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let mut per_table: Vec<Vec<Diagnostic>> = Vec::new();
    let mut jobs = Vec::new();
    let mut job_of = Vec::new();
    let mut orphans = Vec::new();
    for group in groups {
        let scope = group.scope.map(|(name, dir)| {
            ev.scopes.push(Scope { name, dir });
            ev.scopes.len() - 1
        });
        let mut csvs: HashMap<String, (String, CsvText)> = HashMap::new();
        for o in group.opened {
            csvs.insert(
                file_name(&o.shown),
                (o.shown.clone(), CsvText::File(Arc::new(o))),
            );
        }
        let mut tables = Vec::new();
        let mut sources_seen = false;
        for (path, text) in group.inputs {
            let name = file_name(&path);
            if DATA_EXTENSIONS
                .iter()
                .any(|x| name.ends_with(&format!(".{x}")))
            {
                csvs.insert(name, (path, CsvText::Text(text)));
            } else if name == "sources.toml" {
                sources_seen = true;
                let fid = files.add(path, text);
                if let Some(s) = scope {
                    ev.file_scopes.insert(fid, s);
                }
                load_sources(&mut ev, fid, files, diags);
            } else {
                tables.push((path, text));
            }
        }
        // A scope may cite the top-level sources only.
        if !sources_seen && scope.is_none() {
            diags.push(
                Diagnostic::error(
                    "evidence/no-sources",
                    "the evidence directory has no sources.toml",
                )
                .help("every record cites sources declared in sources.toml as [[source]] tables"),
            );
        }
        let mut used_csv = Vec::new();
        let mut added = HashMap::new();
        // Each table's diagnostics, in table order; CSV rows are read after
        // every table file, several tables at once.
        for (path, text) in tables {
            let before = ev.tables.len();
            let name = stem(&path);
            let fid = files.add(path, text);
            if let Some(s) = scope {
                ev.file_scopes.insert(fid, s);
            }
            let mut tdiags = Vec::new();
            let deferred = load_table(
                &mut ev,
                fid,
                files,
                (&mut csvs, &mut added, &group.unreadable_csv),
                &mut used_csv,
                &mut tdiags,
            );
            if let Some(d) = deferred {
                if let Some(s) = scope {
                    ev.file_scopes.insert(d.csv, s);
                }
                jobs.push(d);
                job_of.push(per_table.len());
            }
            per_table.push(tdiags);
            if ev.tables.len() == before {
                ev.broken.push(name);
            }
        }
        ev.broken.extend(group.unreadable);
        let mut unused: Vec<_> = csvs
            .into_iter()
            .filter(|(k, _)| !used_csv.contains(k))
            .map(|(k, (path, _))| (k, path))
            .collect();
        unused.sort();
        orphans.extend(unused.into_iter().map(|(name, path)| match scope {
            None => name,
            Some(_) => path,
        }));
    }
    let mut job_diags: Vec<Vec<Diagnostic>> = jobs.iter().map(|_| Vec::new()).collect();
    let read = read_deferred(&mut ev, files, &jobs, &mut job_diags, threads);
    for (((k, d), job), read) in job_of.iter().zip(job_diags).zip(&jobs).zip(read) {
        match read {
            Some(Read::Pieces(index)) => files.set_released(job.csv, index),
            Some(Read::Whole(text)) => files.set_text(job.csv, text),
            None => {}
        }
        // A CSV read without a problem is not quoted again: its text goes
        // (record line numbers stay).
        if d.is_empty() {
            files.release_text(job.csv);
        }
        if let Some(t) = per_table.get_mut(*k) {
            t.extend(d);
        }
    }
    diags.extend(per_table.into_iter().flatten());
    alternatives::resolve(&mut ev, diags);
    order::resolve(&mut ev, diags);
    for name in orphans {
        diags.push(
            Diagnostic::error(
                "evidence/orphan-csv",
                format!("`{name}` is not named by any table file"),
            )
            .in_path(name)
            .help("declare its columns in a table file with `csv = \"<file>.csv\"` in [table]"),
        );
    }
    ev
}

fn load_sources(ev: &mut Evidence, fid: FileId, files: &Files, diags: &mut Vec<Diagnostic>) {
    let text = files.get(fid).map(|f| f.text.clone()).unwrap_or_default();
    let Some(raw) = parse_toml::<RawSources>(&text, fid, "source registry", diags) else {
        return;
    };
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for s in raw.source {
        let span = s.span();
        let s = s.into_inner();
        let id = s.id.get_ref().clone();
        if let Some(prev) = seen.get(&id) {
            diags.push(
                Diagnostic::error(
                    "evidence/duplicate-source",
                    format!("source id `{id}` is declared twice"),
                )
                .at(fid, s.id.span(), "declared again here")
                .also(fid, prev.clone(), "first declared here"),
            );
            continue;
        }
        seen.insert(id.clone(), s.id.span());
        let date = match parse_date_value(s.date.get_ref()) {
            Ok(d) => d,
            Err(e) => {
                diags.push(crate::diag::date_error(
                    "evidence/bad-date",
                    fid,
                    &text,
                    s.date.span(),
                    &e,
                ));
                DateRange::unknown()
            }
        };
        let url = s.url.get_ref().clone();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-url",
                    format!("source `{id}` has no http(s) URL"),
                )
                .at(fid, s.url.span(), "not a URL")
                .help("cite where the source can be read"),
            );
        }
        ev.sources.push(Source {
            id,
            title: s.title,
            publisher: s.publisher,
            url,
            date,
            kind: s.kind,
            note: s.note,
        });
        ev.source_locs.push(RecordLoc { file: fid, span });
    }
}

struct ColDecl {
    name: String,
    ty: ColType,
    unit: Unit,
    description: String,
    format: ColumnFormat,
    /// `derive`, with where it is written.
    derive: Option<(String, Range<usize>)>,
}

/// The CSV files not yet read by a table, those already read (by name),
/// and those that could not be read.
/// Where the text of a CSV file is.
enum CsvText {
    /// In memory.
    Text(String),
    /// In a file, to be read in pieces.
    File(Arc<Opened>),
}

/// How a deferred CSV was read, for the file registry.
enum Read {
    /// In pieces, without error: only its lines are kept.
    Pieces(crate::diag::LineIndex),
    /// Whole (it has errors to quote).
    Whole(String),
}

/// A Spark catalog table's name as written (`table`, `db.table` or
/// `catalog.db.table`, each part letters, digits and `_`), or an error at
/// it.
fn catalog_name(
    name: &Spanned<String>,
    fid: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Range<usize>)> {
    let text = name.get_ref();
    let parts: Vec<&str> = text.split('.').collect();
    let plain = |p: &str| {
        !p.is_empty() && p.len() <= 128 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    if parts.len() > 3 || !parts.iter().all(|p| plain(p)) {
        diags.push(
            Diagnostic::error(
                "evidence/bad-spark-table",
                "`spark` names a table of a Spark catalog: `table`, `db.table` or `catalog.db.table`",
            )
            .at(fid, name.span(), "not a catalog table's name")
            .help("each part is letters, digits and `_`, parts separated by `.`"),
        );
        return None;
    }
    Some((text.clone(), name.span()))
}

type Csvs<'a> = (
    &'a mut HashMap<String, (String, CsvText)>,
    &'a mut HashMap<String, (FileId, Option<Arc<Opened>>)>,
    &'a [String],
);

fn load_table(
    ev: &mut Evidence,
    fid: FileId,
    files: &mut Files,
    (csvs, added, unreadable_csv): Csvs<'_>,
    used_csv: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Deferred> {
    let text = files.get(fid).map(|f| f.text.clone()).unwrap_or_default();
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("evidence/empty-file", "table file is empty")
                .in_path(files.path(fid).to_string())
                .help("a table file needs a [table] header, [[column]]s and records"),
        );
        return None;
    }
    let mut raw = parse_toml::<RawTableFile>(&text, fid, "table file", diags)?;
    ev.orders.stash(fid, std::mem::take(&mut raw.order));
    ev.variants.stash(
        fid,
        std::mem::take(&mut raw.alternative),
        std::mem::take(&mut raw.inference),
    );
    let name = raw.table.name.get_ref().clone();
    // Names are per scope: a scope's table may hide a top-level one.
    let scope = ev.scope_of_file(fid);
    if ev.own_table(scope, &name).is_some() {
        diags.push(
            Diagnostic::error(
                "evidence/duplicate-table",
                format!("table `{name}` is declared twice"),
            )
            .at(fid, raw.table.name.span(), "declared again here"),
        );
        return None;
    }
    let mut decls: Vec<ColDecl> = Vec::new();
    for c in &raw.column {
        let c = c.get_ref();
        let cname = c.name.get_ref().clone();
        if decls.iter().any(|d| d.name == cname) {
            diags.push(
                Diagnostic::error(
                    "evidence/duplicate-column",
                    format!("column `{cname}` is declared twice"),
                )
                .at(fid, c.name.span(), "declared again here"),
            );
            continue;
        }
        if cname == "sources" || cname == "note" {
            diags.push(
                Diagnostic::error(
                    "evidence/reserved-column",
                    format!("`{cname}` is reserved for every record"),
                )
                .at(fid, c.name.span(), "reserved name")
                .help("records cite `sources` and may carry a `note` without declaring them"),
            );
            continue;
        }
        let ty = match c.ty.get_ref().as_str() {
            "text" => ColType::Text,
            "integer" => ColType::Integer,
            "decimal" => ColType::Decimal,
            "date" => ColType::Date,
            "boolean" => ColType::Boolean,
            "list" => ColType::List,
            "quantity" => {
                // `count` (or `none`): a plain number known only as a worded
                // figure, such as "over a billion" runs.
                let unit = c.unit.as_ref().and_then(|u| match u.get_ref().as_str() {
                    "count" | "none" => Some(Unit::None),
                    other => Unit::from_word(other),
                });
                match unit {
                    Some(u) => ColType::Quantity(u),
                    None => {
                        let span = c.unit.as_ref().map_or(c.ty.span(), |u| u.span());
                        diags.push(
                            Diagnostic::error(
                                "evidence/bad-unit",
                                "a quantity column needs a unit",
                            )
                            .at(fid, span, "no valid unit")
                            .help("add unit = \"years\" (or months, days, percent)"),
                        );
                        continue;
                    }
                }
            }
            other => {
                let mut d = Diagnostic::error(
                    "evidence/unknown-type",
                    format!("unknown column type `{other}`"),
                )
                .at(fid, c.ty.span(), "not a type");
                d = d.help(match suggest(other, TYPE_NAMES.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? types: {}", TYPE_NAMES.join(", ")),
                    None => format!("types: {}", TYPE_NAMES.join(", ")),
                });
                diags.push(d);
                continue;
            }
        };
        // Integer and decimal columns may have a unit (`unit = "years"`):
        // their exact values are then in that unit.
        let unit = match ty {
            ColType::Quantity(u) => u,
            ColType::Integer | ColType::Decimal => match &c.unit {
                None => Unit::None,
                Some(u) => match u.get_ref().as_str() {
                    "count" | "none" => Unit::None,
                    other => match Unit::from_word(other) {
                        Some(u) => u,
                        None => {
                            diags.push(
                                Diagnostic::error(
                                    "evidence/bad-unit",
                                    format!("`{other}` is not a unit"),
                                )
                                .at(fid, u.span(), "not a unit")
                                .help("units: years, months, days, percent (or leave it out)"),
                            );
                            continue;
                        }
                    },
                },
            },
            _ => Unit::None,
        };
        let format = column_format(c, ty, raw.table.csv.is_some(), fid, diags);
        let derive = c.derive.as_ref().map(|d| (d.get_ref().clone(), d.span()));
        decls.push(ColDecl {
            name: cname,
            ty,
            unit,
            description: c.description.clone(),
            format,
            derive,
        });
    }
    let derived = derive::resolve(
        &decls
            .iter()
            .map(|d| derive::Decl {
                name: &d.name,
                ty: d.ty,
                derive: d.derive.as_ref().map(|(t, s)| (t.as_str(), s.clone())),
            })
            .collect::<Vec<_>>(),
        fid,
        &text,
        diags,
    );
    let names = || decls.iter().map(|d| d.name.as_str());
    let find = |n: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        let pos = decls.iter().position(|d| d.name == *n.get_ref());
        if pos.is_none() {
            let mut d = Diagnostic::error(
                "evidence/unknown-column",
                format!("{what} `{}` is not a declared column", n.get_ref()),
            )
            .at(fid, n.span(), "no such column");
            if let Some(s) = suggest(n.get_ref(), names()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
        pos
    };
    let key = raw.table.key.as_ref().and_then(|k| find(k, "key", diags));
    let temporal = raw.table.temporal.as_ref().and_then(|t| {
        let from = find(&t.from, "temporal `from`", diags)?;
        let to = find(&t.to, "temporal `to`", diags)?;
        for (i, n) in [(from, &t.from), (to, &t.to)] {
            if decls.get(i).map(|d| d.ty) != Some(ColType::Date) {
                diags.push(
                    Diagnostic::error(
                        "evidence/temporal-type",
                        format!("temporal column `{}` must be a date", n.get_ref()),
                    )
                    .at(fid, n.span(), "not a date column"),
                );
            }
        }
        Some((from, to))
    });
    let source_ids: HashMap<&str, usize> =
        visible_sources(&ev.sources, &ev.source_locs, &ev.file_scopes, scope);
    let mut dataset_sources = Vec::new();
    for id in raw.table.sources.iter().flatten() {
        match source_ids.get(id.get_ref().as_str()) {
            Some(i) => dataset_sources.push(*i),
            None => diags.push(unknown_source(
                id.get_ref(),
                fid,
                id.span(),
                source_ids.keys().copied(),
            )),
        }
    }
    if let (Some(f), None) = (&raw.table.csv_format, &raw.table.csv) {
        diags.push(
            Diagnostic::error(
                "evidence/format-without-csv",
                "`[table.csv_format]` describes a CSV file, and this table has none",
            )
            .at(fid, f.span(), "format here")
            .help("name the file with csv = \"<file>.csv\" in [table]"),
        );
    }
    let pin = raw.table.sha256.as_ref().and_then(|h| {
        let hex = h.get_ref().trim().to_ascii_lowercase();
        if raw.table.csv.is_none() {
            diags.push(
                Diagnostic::error(
                    "evidence/pin-without-csv",
                    "`sha256` pins a CSV file, and this table has none",
                )
                .at(fid, h.span(), "pin here")
                .help("records written in the table file need no pin: the file is under version control"),
            );
            return None;
        }
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-hash",
                    "`sha256` must be 64 hexadecimal digits",
                )
                .at(fid, h.span(), "not a SHA-256"),
            );
            return None;
        }
        Some((hex, h.span()))
    });
    let mut table = Table {
        name,
        description: raw.table.description.clone(),
        key,
        temporal,
        columns: decls
            .iter()
            .map(|d| Column {
                name: d.name.clone(),
                ty: d.ty,
                unit: d.unit,
                description: d.description.clone(),
                data: ColumnData::new(d.ty),
            })
            .collect(),
        records: Records::default(),
        key_index: KeyIndex::default(),
        file: fid,
        name_span: raw.table.name.span(),
        sources: dataset_sources,
        sha256: None,
        pin,
        format: match &raw.table.csv {
            Some(csv) => csvformat::resolve(
                raw.table.csv_format.as_ref().map(Spanned::get_ref),
                csv.get_ref(),
                fid,
                diags,
            ),
            None => CsvFormat::default(),
        },
        column_formats: decls.iter().map(|d| d.format.clone()).collect(),
        end_inclusive: end_inclusive(raw.table.temporal.as_ref(), fid, diags),
        dataset: raw
            .table
            .dataset
            .as_ref()
            .map(|d| dataset(d, raw.table.csv.is_some(), fid, &text, diags)),
        cites_dataset: raw.table.sources.as_ref().is_some_and(|s| !s.is_empty()),
        derived,
        spark: raw
            .table
            .spark
            .as_ref()
            .and_then(|s| catalog_name(s, fid, diags)),
        csv_fields: Vec::new(),
    };
    let mut ctx = RowCtx {
        source_ids: &source_ids,
        text: &text,
        diags,
    };
    let mut deferred = None;
    if let Some(csv_name) = &raw.table.csv {
        if !raw.record.is_empty() {
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/records-and-csv",
                    "a table takes records from [[record]] or from a CSV file, not both",
                )
                .at(fid, csv_name.span(), "CSV named here"),
            );
        }
        // The CSV text moves into `files` (a second table naming the same
        // CSV gets a copy): it is held once, however large.
        let name = csv_name.get_ref();
        let moved = match csvs.remove(name) {
            Some((path, CsvText::Text(text))) => Some((files.add(path, text), None)),
            // Registered now, filled once read.
            Some((path, CsvText::File(o))) => Some((files.add(path, String::new()), Some(o))),
            None => added.get(name).and_then(|(f, o)| {
                let again = files.get(*f).map(|x| (x.path.clone(), x.text.clone()));
                again.map(|(p, t)| (files.add(p, t), o.clone()))
            }),
        };
        match moved {
            Some((cfid, file)) => {
                used_csv.push(name.clone());
                added.insert(name.clone(), (cfid, file.clone()));
                // Its rows are read later, beside other tables' rows.
                deferred = Some((cfid, file));
            }
            // Its read error is reported; saying "not found" would mislead.
            None if unreadable_csv.contains(csv_name.get_ref()) => {}
            None => {
                let name = csv_name.get_ref();
                let mut d = Diagnostic::error(
                    "evidence/missing-csv",
                    format!("CSV file `{name}` not found beside the table file"),
                )
                .at(fid, csv_name.span(), "named here");
                if name.contains(['/', '\\']) {
                    d = d.help("name the CSV file by its file name alone: it is read from the evidence directory, beside the table file");
                }
                ctx.diags.push(d);
            }
        }
    } else {
        for rec in raw.record {
            let span = rec.span();
            let map = rec.into_inner();
            load_toml_row(&mut table, fid, span, map, &mut ctx);
        }
    }
    if let Some((csv, file)) = deferred {
        ev.tables.push(table);
        return Some(Deferred {
            table: ev.tables.len() - 1,
            csv,
            file,
            index: key.is_some(),
            named: raw
                .table
                .csv
                .as_ref()
                .map(Spanned::span)
                .unwrap_or_default(),
        });
    }
    finish_table(&mut table, key.is_some(), ctx.diags);
    ev.tables.push(table);
    None
}

/// A column's reading options (`header`, `format`, `empty`), checked
/// against its type; `csv`: whether its table reads a CSV file.
fn column_format(
    c: &RawColumn,
    ty: ColType,
    csv: bool,
    fid: FileId,
    diags: &mut Vec<Diagnostic>,
) -> ColumnFormat {
    let mut f = ColumnFormat::default();
    if let Some(d) = &c.derive {
        f.derived = true;
        if !csv {
            diags.push(
                Diagnostic::error(
                    "evidence/derive-without-file",
                    "a derived column is computed from a data file's columns, and this table has none",
                )
                .at(fid, d.span(), "derived here")
                .help("write the values in the records, or read the table from a file"),
            );
        }
        for (key, set) in [
            ("header", c.header.as_ref()),
            ("format", c.format.as_ref()),
            ("empty", c.empty.as_ref()),
        ] {
            if let Some(k) = set {
                diags.push(
                    Diagnostic::error(
                        "evidence/bad-derive",
                        format!("`{key}` says how a column is read from the file, and a derived column is computed"),
                    )
                    .at(fid, k.span(), "here")
                    .help(format!("remove `{key}`, or `derive`")),
                );
            }
        }
        return f;
    }
    let only_csv = |key: &str, span: Range<usize>, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::error(
                "evidence/format-without-csv",
                format!("`{key}` says how a CSV file is written, and this table has none"),
            )
            .at(fid, span, "here")
            .help("records written in the table file are read as TOML values"),
        );
    };
    if let Some(h) = &c.header {
        if csv {
            f.header = Some(h.get_ref().trim().to_string());
        } else {
            only_csv("header", h.span(), diags);
        }
    }
    if let Some(fm) = &c.format {
        if !csv {
            only_csv("format", fm.span(), diags);
        } else if ty != ColType::Date {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-csv-format",
                    format!(
                        "`format` is a date format, and column `{}` is {}",
                        c.name.get_ref(),
                        ty.name()
                    ),
                )
                .at(fid, fm.span(), "here")
                .help("numbers follow decimal and thousands in [table.csv_format]"),
            );
        } else {
            match DateFormat::parse(fm.get_ref()) {
                Ok(d) => f.date = Some(d),
                Err(e) => diags.push(
                    Diagnostic::error(
                        "evidence/bad-csv-format",
                        format!("invalid date format: {e}"),
                    )
                    .at(fid, fm.span(), "here")
                    .help("for example \"%d/%m/%Y\", \"%m/%d/%Y\", \"%Y-%m\" or \"%YQ%q\""),
                ),
            }
        }
    }
    if let Some(e) = &c.empty {
        f.empty = Empty::parse(e, fid, diags);
        let fits = match f.empty {
            Empty::Unknown => true,
            Empty::Open => ty == ColType::Date,
            Empty::None => matches!(ty, ColType::Text | ColType::List),
        };
        if !fits {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-empty",
                    format!(
                        "an empty cell cannot be `{}` in column `{}`, which is {}",
                        e.get_ref(),
                        c.name.get_ref(),
                        ty.name()
                    ),
                )
                .at(fid, e.span(), "here")
                .help("\"open\" is for dates (an ongoing end), \"none\" for texts and lists"),
            );
            f.empty = Empty::Unknown;
        }
    }
    f
}

/// `[table.dataset]`, checked: an http(s) URL, a retrieval date that is
/// a date, a file to be the dataset, no empty text.
fn dataset(
    d: &Spanned<RawDataset>,
    file: bool,
    fid: FileId,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Dataset {
    if !file {
        diags.push(
            Diagnostic::error(
                "evidence/dataset-without-file",
                "`[table.dataset]` describes a data file, and this table has none",
            )
            .at(fid, d.span(), "dataset here")
            .help("name the file with csv = \"<file>\" in [table]; records written in the table file cite their sources"),
        );
    }
    let raw = d.get_ref();
    let some = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(Arc::from)
    };
    let url = raw.url.as_ref().and_then(|u| {
        let v = u.get_ref().trim();
        if v.starts_with("https://") || v.starts_with("http://") {
            Some(Arc::from(v))
        } else {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-url",
                    "the dataset's `url` is not an http(s) URL",
                )
                .at(fid, u.span(), "not a URL")
                .help("give the address the dataset is published at, or leave `url` out"),
            );
            None
        }
    });
    let retrieved = raw.retrieved.as_ref().and_then(|r| {
        let v = r.get_ref().trim();
        match parse_date_value(v) {
            Ok(d) if d.lo.is_some() && d.hi.is_some() => Some(Arc::from(v)),
            Ok(_) => {
                diags.push(
                    Diagnostic::error(
                        "evidence/bad-date",
                        format!("the dataset's `retrieved` must be a day, a month or a year, found {v:?}"),
                    )
                    .at(fid, r.span(), "here")
                    .help("leave `retrieved` out when the day the file was retrieved is not known"),
                );
                None
            }
            Err(e) => {
                diags.push(crate::diag::date_error(
                    "evidence/bad-date",
                    fid,
                    text,
                    r.span(),
                    &e,
                ));
                None
            }
        }
    });
    Dataset {
        title: some(&raw.title),
        publisher: some(&raw.publisher),
        url,
        version: some(&raw.version),
        retrieved,
    }
}

/// Whether a temporal table's `to` day is inclusive (`end = ...`).
fn end_inclusive(t: Option<&RawTemporal>, fid: FileId, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(e) = t.and_then(|t| t.end.as_ref()) else {
        return false;
    };
    match e.get_ref().as_str() {
        "inclusive" => true,
        "exclusive" => false,
        other => {
            diags.push(
                Diagnostic::error(
                    "evidence/bad-end",
                    format!("`end` is \"inclusive\" or \"exclusive\", found {other:?}"),
                )
                .at(fid, e.span(), "here")
                .help("inclusive: the fact still holds on its `to` day; exclusive (the default): it no longer does"),
            );
            false
        }
    }
}

/// The cell an empty CSV cell (or a missing-value token) stands for.
fn empty_cell(ty: ColType, empty: Empty) -> Cell {
    match (empty, ty) {
        // An ongoing end: after every day there is.
        (Empty::Open, ColType::Date) => Cell::Date(DateRange {
            lo: Some(crate::date::Date::MAX),
            hi: None,
        }),
        (Empty::None, ColType::Text) => Cell::Text(Arc::from("")),
        (Empty::None, ColType::List) => Cell::List(Vec::<Arc<str>>::new().into()),
        _ => Cell::Unknown,
    }
}

/// A table whose CSV rows are still to be read.
struct Deferred {
    /// Its index in [`Evidence::tables`].
    table: TableId,
    /// The CSV file.
    csv: FileId,
    /// The file to read it from in pieces (`None`: its text is in memory).
    file: Option<Arc<Opened>>,
    /// Whether its keys are to be indexed.
    index: bool,
    /// Where the table file names the data file (its `csv = "…"`).
    named: Range<usize>,
}

/// Release spare room and index the keys, once every record is read.
fn finish_table(table: &mut Table, index: bool, diags: &mut Vec<Diagnostic>) {
    if !table.derived.is_empty() {
        let fid = table.file;
        derive::fill(table, fid, diags);
    }
    for c in &mut table.columns {
        c.data.shrink();
    }
    table.records.shrink();
    if index {
        index_keys(table, diags);
    }
}

/// Read the CSV rows of the deferred tables, several tables at once on
/// `threads` threads (0: one per core). Each table's diagnostics go to its own
/// list (`diags[i]` for `jobs[i]`), so the order they are reported in
/// does not depend on which thread finished first.
/// Below this many bytes of data files in all, rows are read on one
/// thread.
const PARALLEL_BYTES: u64 = 1 << 20;

fn read_deferred(
    ev: &mut Evidence,
    files: &Files,
    jobs: &[Deferred],
    diags: &mut [Vec<Diagnostic>],
    threads: usize,
) -> Vec<Option<Read>> {
    let source_ids: HashMap<&str, usize> = ev
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut read: Vec<Option<Read>> = jobs.iter().map(|_| None).collect();
    let mut work = Vec::new();
    let mut tables: Vec<Option<&mut Table>> = ev.tables.iter_mut().map(Some).collect();
    for ((job, d), r) in jobs.iter().zip(diags.iter_mut()).zip(read.iter_mut()) {
        if let Some(t) = tables.get_mut(job.table).and_then(Option::take) {
            work.push((t, job, d, r));
        }
    }
    // Threads pay for themselves on large files only: a few small tables
    // are read faster on this thread than a thread takes to start.
    let bytes: u64 = jobs
        .iter()
        .map(|j| match &j.file {
            Some(f) => f.len(),
            None => files.get(j.csv).map_or(0, |f| f.text.len() as u64),
        })
        .sum();
    let cores = if bytes < PARALLEL_BYTES {
        1
    } else {
        crate::base::threads(threads)
    };
    // A file large enough to be read on every core is read alone: two
    // large files read at once, each on every core, would only hold twice
    // the stretches in memory for no gain in time.
    let large = jobs.iter().any(|j| {
        j.file
            .as_ref()
            .is_some_and(|f| f.len() >= chunked::MIN_FILE as u64)
    });
    let threads = if large { 1 } else { cores.min(work.len()) };
    let queue = std::sync::Mutex::new(work.into_iter());
    let run = || loop {
        let next = queue.lock().ok().and_then(|mut q| q.next());
        let Some((table, job, diags, read)) = next else {
            break;
        };
        let mut ctx = RowCtx {
            source_ids: &source_ids,
            text: "",
            diags,
        };
        *read = read_one(table, job, files, &mut ctx, cores);
    };
    if threads <= 1 {
        run();
    } else {
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(run);
            }
            run();
        });
    }
    read
}

/// Read one deferred CSV, from memory or from its file in pieces, and
/// finish its table. A file that cannot be read in one pass without a
/// problem (an error in a row, a duplicate key, bytes that are not UTF-8)
/// is read again whole, so its diagnostics are those of a file read whole
/// and can quote it.
fn read_one(
    table: &mut Table,
    job: &Deferred,
    files: &Files,
    ctx: &mut RowCtx<'_>,
    threads: usize,
) -> Option<Read> {
    let read = read_rows(table, job, files, ctx, threads);
    if let (Some((want, span)), Some(got)) = (&table.pin, &table.sha256) {
        if want != got {
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/hash-mismatch",
                    format!(
                        "`{}` is not the version this table pins: its SHA-256 is {got}, the pin is {want}",
                        files.path(job.csv)
                    ),
                )
                .at(table.file, span.clone(), "pinned here")
                .help("the claims were checked against another version of the data: if this version is the one to check against, record its hash in `sha256`"),
            );
        }
    }
    read
}

/// The rows of [`read_one`]; a large file's on `threads` threads.
fn read_rows(
    table: &mut Table,
    job: &Deferred,
    files: &Files,
    ctx: &mut RowCtx<'_>,
    threads: usize,
) -> Option<Read> {
    let hash = table.pin.is_some();
    if table.format.parquet {
        // Binary: read whole, by its own reader, never as text. A key
        // problem is shown at the table file's `csv = "…"` (the rows are
        // named in the message: the file is never quoted).
        parquet::load_rows(table, job, ctx);
        let before = ctx.diags.len();
        finish_table(table, job.index, ctx.diags);
        for d in ctx.diags.iter_mut().skip(before) {
            if d.primary.is_none() {
                *d = d
                    .clone()
                    .at(table.file, job.named.clone(), "Parquet file named here");
            }
        }
        return None;
    }
    let Some(file) = &job.file else {
        if let Some(f) = files.get(job.csv) {
            load_rows(table, job.csv, stream::InMemory::new(&f.text), ctx);
            if hash {
                table.sha256 = Some(stream::sha256(f.text.as_bytes()));
            }
        }
        finish_table(table, job.index, ctx.diags);
        return None;
    };
    let before = ctx.diags.len();
    if let Some((index, sha)) = chunked::load(table, job.csv, file, ctx, threads) {
        finish_table(table, job.index, ctx.diags);
        if ctx.diags.len() == before {
            table.sha256 = sha;
            return Some(Read::Pieces(index));
        }
        ctx.diags.truncate(before);
        return read_whole_again(table, job, file, ctx);
    }
    empty_table(table);
    let format = table.format.clone();
    let pieces = load_rows(
        table,
        job.csv,
        stream::Pieces::new(file, &format, hash),
        ctx,
    );
    if pieces.stopped().is_none() && ctx.diags.len() == before {
        finish_table(table, job.index, ctx.diags);
        if ctx.diags.len() == before {
            let (index, sha) = pieces.finish();
            table.sha256 = sha;
            return Some(Read::Pieces(index));
        }
    }
    drop(pieces);
    ctx.diags.truncate(before);
    read_whole_again(table, job, file, ctx)
}

/// Drop whatever records a table has (a first pass failed).
fn empty_table(table: &mut Table) {
    for c in &mut table.columns {
        c.data = ColumnData::new(c.ty);
    }
    table.records = Records::default();
    table.key_index = KeyIndex::default();
}

/// Read a data file whole and its records in one pass, after a first
/// pass found a problem: its diagnostics can quote the text.
fn read_whole_again(
    table: &mut Table,
    job: &Deferred,
    file: &Opened,
    ctx: &mut RowCtx<'_>,
) -> Option<Read> {
    empty_table(table);
    let hash = table.pin.is_some();
    let format = table.format.clone();
    let read = match stream::read_whole(file, &format, hash) {
        Ok((text, sha)) => {
            load_rows(table, job.csv, stream::InMemory::new(&text), ctx);
            table.sha256 = sha;
            Some(Read::Whole(text))
        }
        Err(d) => {
            ctx.diags.push(*d);
            None
        }
    };
    finish_table(table, job.index, ctx.diags);
    read
}

/// Index a table's keys: every record's key known and distinct.
/// The row of a Parquet file a record was read from (1-based).
fn parquet_row(table: &Table, record: u32) -> Option<u32> {
    if !table.format.parquet {
        return None;
    }
    table.records.lines.get(record as usize).copied()
}

fn index_keys(table: &mut Table, diags: &mut Vec<Diagnostic>) {
    let Some(key) = table.key else {
        return;
    };
    let text_key = match table.columns.get(key).map(|c| &c.data) {
        Some(ColumnData::Text(c)) => Some(c.dict.len()),
        _ => None,
    };
    let mut by_code: Vec<u32> = vec![u32::MAX; text_key.unwrap_or(0)];
    let mut by_text: HashMap<Arc<str>, u32> = HashMap::new();
    for row in 0..table.len() as u32 {
        let unknown = table
            .columns
            .get(key)
            .is_none_or(|c| c.data.is_unknown(row));
        if unknown {
            let d = Diagnostic::error(
                "evidence/unknown-key",
                match parquet_row(table, row) {
                    Some(r) => {
                        format!("a record's key cannot be unknown (row {r} of the Parquet file)")
                    }
                    None => "a record's key cannot be unknown".to_string(),
                },
            );
            // A record read in pieces has no place to point at: its file
            // is read again whole, and the record then has one.
            diags.push(match table.loc_of(row) {
                Some(loc) => d.at(loc.file, loc.span.clone(), "this record"),
                None => d,
            });
            continue;
        }
        let prev = match (text_key, table.columns.get(key).map(|c| &c.data)) {
            (Some(_), Some(ColumnData::Text(c))) => {
                let code = c.codes.get(row as usize).copied().unwrap_or(u32::MAX);
                match by_code.get_mut(code as usize) {
                    Some(slot) if *slot == u32::MAX => {
                        *slot = row;
                        None
                    }
                    Some(slot) => Some(*slot),
                    None => None,
                }
            }
            _ => {
                let k = table.key_of(row);
                match by_text.get(&k) {
                    Some(p) => Some(*p),
                    None => {
                        by_text.insert(k, row);
                        None
                    }
                }
            }
        };
        if let Some(prev) = prev {
            let (Some(a), Some(b)) = (table.loc_of(prev), table.loc_of(row)) else {
                // Read in pieces: read again whole to say where. A Parquet
                // file is not read again: its rows are named.
                let rows = match (parquet_row(table, prev), parquet_row(table, row)) {
                    (Some(a), Some(b)) => format!(" (rows {a} and {b} of the Parquet file)"),
                    _ => String::new(),
                };
                diags.push(Diagnostic::error(
                    "evidence/duplicate-key",
                    format!("key `{}` appears twice{rows}", table.key_of(row)),
                ));
                continue;
            };
            diags.push(
                Diagnostic::error(
                    "evidence/duplicate-key",
                    format!(
                        "key `{}` appears twice in table `{}`",
                        table.key_of(row),
                        table.name
                    ),
                )
                .at(b.file, b.span.clone(), "second record")
                .also(a.file, a.span.clone(), "first record"),
            );
        }
    }
    table.key_index = if text_key.is_some() {
        KeyIndex::ByCode(by_code)
    } else {
        KeyIndex::ByText(by_text)
    };
}

struct RowCtx<'a> {
    source_ids: &'a HashMap<&'a str, usize>,
    /// Text of the table file (to place errors inside string literals).
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl RowCtx<'_> {
    fn resolve_sources(
        &mut self,
        ids: &[(String, Range<usize>)],
        fid: FileId,
        rec_span: Range<usize>,
        dataset: Option<&[usize]>,
    ) -> Vec<usize> {
        if let (true, Some(d)) = (ids.is_empty(), dataset) {
            return d.to_vec();
        }
        if ids.is_empty() {
            self.diags.push(
                Diagnostic::error("evidence/no-source", "record cites no source")
                    .at(fid, rec_span, "this record")
                    .help("add sources = [\"<id>\"] naming entries of sources.toml"),
            );
        }
        let mut out = Vec::new();
        for (id, span) in ids {
            match self.source_ids.get(id.as_str()) {
                Some(i) => out.push(*i),
                None => self.diags.push(unknown_source(
                    id,
                    fid,
                    span.clone(),
                    self.source_ids.keys().copied(),
                )),
            }
        }
        out
    }
}

fn load_toml_row(
    table: &mut Table,
    fid: FileId,
    span: Range<usize>,
    map: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    ctx: &mut RowCtx<'_>,
) {
    let mut by_name: HashMap<&str, &Spanned<toml::Value>> = HashMap::new();
    for (k, v) in &map {
        by_name.insert(k.get_ref().as_str(), v);
        let known = k.get_ref() == "sources"
            || k.get_ref() == "note"
            || table.column(k.get_ref()).is_some();
        if !known {
            let mut d = Diagnostic::error(
                "evidence/unknown-column",
                format!(
                    "`{}` is not a column of table `{}`",
                    k.get_ref(),
                    table.name
                ),
            )
            .at(fid, k.span(), "unknown column");
            if let Some(s) = suggest(k.get_ref(), table.columns.iter().map(|c| c.name.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help("declare it with a [[column]] or remove it");
            }
            ctx.diags.push(d);
        }
    }
    let mut ids = Vec::new();
    if let Some(v) = by_name.get("sources") {
        match v.get_ref() {
            toml::Value::Array(items) => {
                for it in items {
                    match it {
                        toml::Value::String(s) => ids.push((s.clone(), v.span())),
                        _ => ctx.diags.push(
                            Diagnostic::error("evidence/wrong-type", "source ids must be strings")
                                .at(fid, v.span(), "here"),
                        ),
                    }
                }
            }
            toml::Value::String(s) => ids.push((s.clone(), v.span())),
            _ => ctx.diags.push(
                Diagnostic::error(
                    "evidence/wrong-type",
                    "sources must be a list of source ids",
                )
                .at(fid, v.span(), "here"),
            ),
        }
    }
    // point each unknown-source diagnostic at the id inside the array
    let text_ids: Vec<(String, Range<usize>)> = ids;
    let dataset = table.cites_dataset.then_some(table.sources.as_slice());
    let srcs = ctx.resolve_sources(&text_ids, fid, span.clone(), dataset);
    let note = by_name
        .get("note")
        .and_then(|v| v.get_ref().as_str().map(str::to_string));
    for col in table.columns.iter_mut() {
        let cell = match by_name.get(col.name.as_str()) {
            None => {
                ctx.diags.push(
                    Diagnostic::error(
                        "evidence/missing-value",
                        format!("record has no value for column `{}`", col.name),
                    )
                    .at(fid, span.clone(), "this record")
                    .help(format!(
                        "write {} = \"unknown\" if it is not known",
                        col.name
                    )),
                );
                Cell::Unknown
            }
            Some(v) => toml_cell(col, v, fid, ctx.text, ctx.diags),
        };
        col.data.push(cell);
    }
    table.records.push(&srcs, note, fid, Some(span));
}

fn toml_cell(
    col: &Column,
    v: &Spanned<toml::Value>,
    fid: FileId,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Cell {
    let span = v.span();
    let wrong = |diags: &mut Vec<Diagnostic>, found: &str| {
        diags.push(
            Diagnostic::error(
                "evidence/wrong-type",
                format!("column `{}` is {}, found {found}", col.name, col.ty.name()),
            )
            .at(fid, span.clone(), format!("expected {}", col.ty.name())),
        );
        Cell::Unknown
    };
    match v.get_ref() {
        toml::Value::String(s) if s == "unknown" => Cell::Unknown,
        toml::Value::String(s) => match col.ty {
            ColType::Text | ColType::Decimal | ColType::Date | ColType::Quantity(_) => {
                // string literals start one byte after the quote
                match text_cell(col, s) {
                    Ok(c) => c,
                    Err((msg, inner, help)) => {
                        let at = crate::diag::inner_span(text, span.clone(), &inner);
                        let mut d = Diagnostic::error(code_for(col.ty), msg).at(fid, at, "here");
                        if let Some(h) = help {
                            d = d.help(h);
                        }
                        diags.push(d);
                        Cell::Unknown
                    }
                }
            }
            _ => wrong(diags, "a string"),
        },
        toml::Value::Integer(i) => match col.ty {
            ColType::Integer | ColType::Decimal => {
                Cell::Num(Interval::point(Rational::from_int(i128::from(*i))))
            }
            _ => wrong(diags, "an integer"),
        },
        toml::Value::Float(_) => {
            diags.push(
                Diagnostic::error(
                    "evidence/float",
                    format!("column `{}`: write decimals as strings", col.name),
                )
                .at(fid, span.clone(), "a floating-point literal")
                .help("write \"5.5\" in quotes so its digits are kept exactly"),
            );
            Cell::Unknown
        }
        toml::Value::Boolean(b) => match col.ty {
            ColType::Boolean => Cell::Bool(*b),
            _ => wrong(diags, "a boolean"),
        },
        toml::Value::Array(items) => match col.ty {
            ColType::List => {
                let mut out = Vec::new();
                for it in items {
                    match it.as_str() {
                        Some(s) => out.push(Arc::from(s)),
                        None => return wrong(diags, "a list with a non-string item"),
                    }
                }
                Cell::List(out.into())
            }
            _ => wrong(diags, "a list"),
        },
        _ => wrong(diags, "a table or datetime"),
    }
}

fn code_for(ty: ColType) -> &'static str {
    match ty {
        ColType::Date => "evidence/bad-date",
        ColType::Quantity(_) => "evidence/bad-quantity",
        _ => "evidence/bad-value",
    }
}

type CellError = (String, Range<usize>, Option<String>);

/// A valid day written `YYYY-MM-DD` (year 0001 or later), read without
/// the general date parser; `None` for anything else, which the parser
/// then reads or explains.
fn plain_day(s: &str) -> Option<crate::date::Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        b.get(r)?.iter().try_fold(0i32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if y < 1 {
        return None;
    }
    crate::date::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Read a cell written as text, per the column's type.
fn text_cell(col: &Column, s: &str) -> Result<Cell, CellError> {
    let all = 0..s.len();
    match col.ty {
        ColType::Text => Ok(Cell::Text(Arc::from(s))),
        ColType::Integer => s
            .trim()
            .parse::<i128>()
            .map(|i| Cell::Num(Interval::point(Rational::from_int(i))))
            .map_err(|_| {
                (
                    format!("`{s}` is not an integer (column `{}`)", col.name),
                    all,
                    None,
                )
            }),
        ColType::Decimal => Rational::parse_decimal(s.trim())
            .map(|(r, _)| Cell::Num(Interval::point(r)))
            .map_err(|e| {
                (
                    format!("{e} (column `{}`)", col.name),
                    all,
                    Some("write decimals like \"5.25\"".into()),
                )
            }),
        ColType::Date => match plain_day(s) {
            Some(d) => Ok(Cell::Date(DateRange::day(d))),
            None => parse_date_value(s)
                .map(Cell::Date)
                .map_err(|e| (e.message, e.start..e.end, e.hint)),
        },
        ColType::Quantity(unit) => quantity_interval(s, unit)
            .map(Cell::Num)
            .map_err(|e| (e.message, e.span, e.help)),
        ColType::Boolean => match s.trim() {
            "true" => Ok(Cell::Bool(true)),
            "false" => Ok(Cell::Bool(false)),
            _ => Err((
                format!("`{s}` is not true or false (column `{}`)", col.name),
                all,
                None,
            )),
        },
        ColType::List => Ok(Cell::List(
            s.split(';')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(Arc::from)
                .collect::<Vec<_>>()
                .into(),
        )),
    }
}

/// Most records a table may have: records and the codes of their texts
/// are numbered with 32 bits (one value kept for "unknown").
pub const MAX_RECORDS: usize = u32::MAX as usize - 1;

/// Most records a table makes room for at once, unless its size allows
/// more (one record per 64 bytes).
const PRESIZE_ROWS: usize = 1 << 20;

/// Records read before the rest are estimated and made room for.
const PRESIZE_AFTER: usize = 1024;

/// Read a table's CSV records from `raw`, the text in memory or the file
/// in pieces. Records are presized from an estimate (a hint from an
/// untrusted file: room for at most one record per 64 bytes, or
/// PRESIZE_ROWS, is made at once; the rest grows as records come).
/// Read a data file's records: JSON Lines or delimited text, as its
/// format says.
fn load_rows<R: stream::Raw>(table: &mut Table, fid: FileId, raw: R, ctx: &mut RowCtx<'_>) -> R {
    if table.format.jsonl {
        jsonl::load_rows(table, fid, raw, ctx)
    } else {
        load_csv_rows(table, fid, raw, ctx)
    }
}

fn load_csv_rows<R: stream::Raw>(
    table: &mut Table,
    fid: FileId,
    raw: R,
    ctx: &mut RowCtx<'_>,
) -> R {
    let mut rdr = csv_reader(&table.format, raw);
    if let Some(layout) = read_header(table, fid, &mut rdr, ctx) {
        table.csv_fields.clone_from(&layout.col_of_field);
        read_records(table, fid, &mut rdr, &layout, ctx, Stretch::default());
    }
    rdr.into_inner()
}

/// A CSV reader of `raw` as `format` declares the file written.
pub(super) fn csv_reader<R: std::io::Read>(format: &CsvFormat, raw: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(format.delimiter)
        .quote(format.quote)
        .comment(format.comment)
        .buffer_capacity(1 << 16)
        .from_reader(raw)
}

/// Where the fields of a CSV's records go, from its header row.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The column of each field (`None`: not stored).
    col_of_field: Vec<Option<usize>>,
    /// The columns no field fills (derived ones): unknown in every record.
    unfed: Vec<usize>,
    sources_field: Option<usize>,
    note_field: Option<usize>,
    /// Fields in the header row.
    expected: usize,
}

impl Layout {
    /// How many fields of a record are looked at: up to the last one
    /// stored, cited or noted.
    fn fields_read(&self) -> usize {
        let stored = self.col_of_field.iter().rposition(Option::is_some);
        [stored, self.sources_field, self.note_field]
            .into_iter()
            .flatten()
            .max()
            .map_or(0, |i| i + 1)
    }
}

/// Where a CSV reader's text starts in the whole file, and where it is to
/// stop reading records.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stretch {
    /// The file offset of the reader's first byte.
    pub(super) byte: usize,
    /// Added to the reader's line numbers (its first line is line 1).
    pub(super) line: u64,
    /// No record starting at or after this offset is read.
    pub(super) stop: Option<usize>,
    /// The bytes it covers, as far as known (0: the whole text's).
    pub(super) len: usize,
}

/// Read the header row and check it against the table's columns; `None`
/// when the records cannot be read (the reason reported).
fn read_header<R: stream::Raw>(
    table: &Table,
    fid: FileId,
    rdr: &mut csv::Reader<R>,
    ctx: &mut RowCtx<'_>,
) -> Option<Layout> {
    let format = &table.format;
    // The header row: the first record on or after `header_line` (the
    // lines before it, a title or notes, are skipped).
    let mut headers = csv::StringRecord::new();
    let header_start =
        loop {
            match rdr.read_record(&mut headers) {
                Ok(true) => {
                    let pos = headers.position().map_or((0, 1), |p| (p.byte(), p.line()));
                    if pos.1 >= format.header_line {
                        break usize::try_from(pos.0).unwrap_or(0);
                    }
                }
                Ok(false) => {
                    ctx.diags.push(
                        Diagnostic::error("evidence/csv", "the CSV file has no header row")
                            .at(fid, 0..0, "here")
                            .help(if format.header_line > 1 {
                                "check header_line in [table.csv_format]"
                            } else {
                                "the first line names the columns"
                            }),
                    );
                    return None;
                }
                Err(e) => {
                    ctx.diags.push(
                        Diagnostic::error("evidence/csv", format!("cannot read CSV header: {e}"))
                            .at(fid, 0..0, "here"),
                    );
                    return None;
                }
            }
        };
    // The header row, as far as diagnostics quote it.
    let head = {
        let raw = rdr.get_ref();
        let seen = raw.held(header_start..raw.seen()).unwrap_or_default();
        let end = memchr::memchr(b'\n', seen).unwrap_or(seen.len());
        seen.get(..end)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string()
    };
    let header_end = header_start + head.len();
    let header_span = header_start..header_end;
    // One field where several are declared, and another delimiter in it:
    // the file is not delimited as declared.
    if headers.len() == 1 && table.columns.len() > 1 {
        let field = headers.get(0).unwrap_or("");
        let other = [b',', b';', b'\t', b'|']
            .into_iter()
            .filter(|d| *d != format.delimiter)
            .find(|d| field.as_bytes().contains(d));
        if let Some(d) = other {
            let shown = |b: u8| {
                if b == b'\t' {
                    "\\t".to_string()
                } else {
                    char::from(b).to_string()
                }
            };
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/csv-delimiter",
                    format!(
                        "the header row is one column: its fields are separated by `{}`, not by `{}`",
                        shown(d),
                        shown(format.delimiter)
                    ),
                )
                .at(fid, header_span.clone(), "header row")
                .help(format!(
                    "declare delimiter = \"{}\" in [table.csv_format]",
                    shown(d)
                )),
            );
            return None;
        }
    }
    let mut col_of_field: Vec<Option<usize>> = Vec::new();
    let mut sources_field = None;
    let mut note_field = None;
    let mut seen: Vec<&str> = Vec::new();
    let mut undeclared: Vec<&str> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        let earlier = seen.iter().filter(|s| **s == h).count();
        seen.push(h);
        if earlier > 0 {
            // The last one would silently win: a wrong verdict.
            let at = nth_in_header(&head, head.len(), h, earlier, format.delimiter);
            let at = header_start + at.start..header_start + at.end;
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/duplicate-csv-column",
                    format!("CSV column `{h}` appears twice in the header row"),
                )
                .at(fid, at, "again here")
                .help("each column may appear once: remove or rename the second one"),
            );
            col_of_field.push(None);
            continue;
        }
        if h == "sources" {
            sources_field = Some(i);
            col_of_field.push(None);
        } else if h == "note" {
            note_field = Some(i);
            col_of_field.push(None);
        } else if let Some(c) = column_of_header(table, h)
            .filter(|c| table.column_formats.get(*c).is_none_or(|f| !f.derived))
        {
            col_of_field.push(Some(c));
        } else {
            // A column no claim can use (a published file has many): its
            // cells are skipped, never stored.
            undeclared.push(h);
            col_of_field.push(None);
        }
    }
    for (ci, c) in table.columns.iter().enumerate() {
        let derived = table.column_formats.get(ci).is_some_and(|f| f.derived);
        if !derived && !col_of_field.contains(&Some(ci)) {
            // A misspelt declaration is a missing column beside an
            // undeclared one: point at the one it likely means.
            let wanted = table
                .column_formats
                .get(ci)
                .and_then(|f| f.header.as_deref())
                .unwrap_or(&c.name);
            let help = match suggest(wanted, undeclared.iter().copied()) {
                Some(s) => format!(
                    "the header row has an undeclared column `{s}`: did you mean it? (set `header = \"{s}\"` on the column if it is the one)"
                ),
                None => "add the column to the header row, or set `header` to the name the file uses".to_string(),
            };
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/missing-column",
                    format!("CSV has no column `{wanted}`"),
                )
                .at(fid, header_span.clone(), "header row")
                .help(help),
            );
        }
    }
    if sources_field.is_none() && !table.cites_dataset {
        ctx.diags.push(
            Diagnostic::error("evidence/no-source", "CSV has no `sources` column")
                .at(fid, header_span.clone(), "header row")
                .help(
                    "every record must cite sources: add a `sources` column of `;`-separated ids",
                ),
        );
    }
    let unfed = (0..table.columns.len())
        .filter(|c| !col_of_field.contains(&Some(*c)))
        .collect();
    Some(Layout {
        col_of_field,
        unfed,
        sources_field,
        note_field,
        expected: headers.len(),
    })
}

/// Read records from `rdr` into `table` until the end (or until a record
/// starts at `at.stop`); the file offset and line where it stopped.
fn read_records<R: stream::Raw>(
    table: &mut Table,
    fid: FileId,
    rdr: &mut csv::Reader<R>,
    layout: &Layout,
    ctx: &mut RowCtx<'_>,
    at: Stretch,
) -> (usize, u64) {
    let comment = table.format.comment;
    let total = if at.len > 0 {
        at.len
    } else {
        rdr.get_ref().total()
    };
    let mut presized = false;
    let mut rec = csv::StringRecord::new();
    let mut scratch = RowScratch::default();
    loop {
        let pos_before = at.byte + rdr.position().byte() as usize;
        if at.stop.is_some_and(|s| pos_before >= s) {
            break;
        }
        rdr.get_mut().forget_before(pos_before);
        if !presized && table.len() >= PRESIZE_AFTER {
            presized = true;
            presize(table, pos_before - at.byte, total, rdr.get_ref().whole());
        }
        let seen = rdr.get_ref().seen();
        if too_many(table, fid, pos_before.min(seen), ctx) {
            break;
        }
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = pos_before.min(seen);
                ctx.diags.push(
                    Diagnostic::error("evidence/csv", format!("invalid CSV: {e}")).at(
                        fid,
                        at..at,
                        "here",
                    ),
                );
                break;
            }
        }
        let raw = rdr.get_ref();
        let seen = raw.seen();
        let mut start = rec
            .position()
            .map_or(pos_before, |p| at.byte + p.byte() as usize)
            .min(seen);
        let mut line = rec.position().map_or(0, |p| at.line + p.line());
        // A record after blank or comment lines (the reader places it at
        // the first of them) starts after them.
        while let Some(t) = raw.held(start..seen) {
            let skip = match t.first() {
                Some(b'\n') => 1,
                Some(b'\r') if t.get(1) == Some(&b'\n') => 2,
                Some(f) if Some(*f) == comment => match memchr::memchr(b'\n', t) {
                    Some(n) => n + 1,
                    None => break,
                },
                _ => break,
            };
            start += skip;
            line += 1;
        }
        // The row's bytes (to its first line break), found only when
        // kept or quoted.
        let span = || {
            let end = raw
                .held(start..seen)
                .and_then(|t| memchr::memchr(b'\n', t))
                .map_or(seen, |n| start + n);
            start..end.max(start)
        };
        // The row's text, for diagnostics only.
        let row_text = || {
            raw.held(span())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
        };
        let row = RowAt {
            line,
            span: &span,
            text: &row_text,
            kept: raw.whole(),
        };
        push_record(table, fid, layout, &rec, &row, ctx, &mut scratch);
    }
    let end = rdr.position();
    (at.byte + end.byte() as usize, at.line + end.line())
}

/// Read the records of `text`, the whole records of a file from offset
/// `at.byte` on, on line `at.line + 1`, as [`read_records`] reads them,
/// when `text` has no quote character, no `\r`, no comment character and
/// no NUL byte (then a record is a line and a field what lies between
/// delimiters): the offset and line after it. `None` (and nothing read)
/// when `text` has one of those.
fn read_plain_records(
    table: &mut Table,
    fid: FileId,
    text: &str,
    layout: &Layout,
    ctx: &mut RowCtx<'_>,
    at: Stretch,
) -> Option<(usize, u64)> {
    let format = &table.format;
    let bytes = text.as_bytes();
    let special = match format.comment {
        Some(c) => {
            memchr::memchr3(format.quote, b'\r', c, bytes).or_else(|| memchr::memchr(0, bytes))
        }
        None => memchr::memchr3(format.quote, b'\r', 0, bytes),
    };
    if special.is_some() {
        return None;
    }
    let delimiter = format.delimiter;
    if let Some(end) = read_plain_columns(table, fid, text, layout, at) {
        return Some(end);
    }
    let total = if at.len > 0 { at.len } else { bytes.len() };
    let mut presized = false;
    let mut scratch = RowScratch::default();
    // The fields looked at are the first `want` (the others are counted).
    let want = layout.fields_read();
    // The ends of the fields of the line being read, from its start.
    let mut ends: Vec<usize> = Vec::with_capacity(want + 1);
    let mut start = 0;
    // Where the record before ended (after its line break), and the line
    // there: where reading goes on when the stretch ends in blank lines.
    let mut after = 0;
    let mut after_line = at.line + 1;
    let mut line = at.line + 1;
    while start < bytes.len() {
        let rest = bytes.get(start..).unwrap_or_default();
        ends.clear();
        let (end, delimiters) = split_line(rest, delimiter, want, &mut ends);
        let end = end.map_or(bytes.len(), |n| start + n);
        let next = (end + 1).min(bytes.len());
        if end == start {
            // A blank line is no record.
            start = next;
            line += 1;
            continue;
        }
        if !presized && table.len() >= PRESIZE_AFTER {
            presized = true;
            presize(table, after, total, false);
        }
        if table.len() >= MAX_RECORDS && too_many(table, fid, at.byte + after, ctx) {
            return Some((at.byte + after, line));
        }
        if ends.len() < want {
            // The last field is among those read: it ends at the line's end.
            ends.push(end - start);
        }
        let fields = Split {
            line: text.get(start..end).unwrap_or(""),
            ends: &ends,
            count: delimiters + 1,
        };
        // The record's place: its own line.
        let row_text = text.get(start..end).unwrap_or("");
        let span = at.byte + start..at.byte + end;
        let row = RowAt {
            line,
            span: &|| span.clone(),
            text: &|| row_text,
            kept: false,
        };
        push_record(table, fid, layout, &fields, &row, ctx, &mut scratch);
        start = next;
        after = next;
        if end < bytes.len() {
            line += 1;
        }
        after_line = line;
    }
    if at.stop.is_some() && after < bytes.len() {
        // Blank lines at the end: the next record, wherever it is, is
        // read by the CSV reader from here (it skips the blank lines).
        return Some((at.byte + after, after_line));
    }
    Some((at.byte + bytes.len(), line))
}

/// [`read_plain_records`] of an empty table a column at a time, when its
/// records cite the dataset's sources and have no note (no `sources` or
/// `note` field): the lines are split first, then each stored field is
/// read down the column. `None`, and nothing read, at the first row or
/// cell that is not as expected (the row-by-row reader reports it).
fn read_plain_columns(
    table: &mut Table,
    fid: FileId,
    text: &str,
    layout: &Layout,
    at: Stretch,
) -> Option<(usize, u64)> {
    let bytes = text.as_bytes();
    if !table.is_empty()
        || layout.sources_field.is_some()
        || layout.note_field.is_some()
        || !table.cites_dataset
        || u32::try_from(bytes.len()).is_err()
    {
        return None;
    }
    let want = layout.fields_read();
    let mut split = SplitText::default();
    if !split.split(
        bytes,
        table.format.delimiter,
        want,
        layout.expected,
        at.line + 1,
    ) {
        return None;
    }
    let SplitText {
        starts,
        ends,
        lines,
        after,
        after_line,
        line,
    } = split;
    if starts.len() >= MAX_RECORDS {
        return None;
    }
    let rows = starts.len();
    let saved: Vec<ColumnData> = table.columns.iter().map(|c| c.data.clone()).collect();
    if !fill_columns(table, text, layout, want, &starts, &ends) {
        for (c, s) in table.columns.iter_mut().zip(saved) {
            c.data = s;
        }
        return None;
    }
    for c in &layout.unfed {
        if let Some(col) = table.columns.get_mut(*c) {
            for _ in 0..rows {
                col.data.push(Cell::Unknown);
            }
        }
    }
    table.records.reserve(rows, false);
    table.records.push_lines(&table.sources, fid, &lines);
    if at.stop.is_some() && after < bytes.len() {
        // Blank lines at the end (as read_plain_records).
        return Some((at.byte + after, after_line));
    }
    Some((at.byte + bytes.len(), line))
}

/// The records of a text without quotes (its lines that are not blank),
/// each split at its delimiters as [`split_line`] splits it, the text
/// looked at once, eight bytes at a time.
#[derive(Debug, Default, PartialEq)]
struct SplitText {
    /// Where each record starts.
    starts: Vec<u32>,
    /// The ends of each record's first `want` fields (`want` a record).
    ends: Vec<u32>,
    /// Each record's line.
    lines: Vec<u32>,
    /// Where the last record ended (after its line break), and the line
    /// there.
    after: usize,
    after_line: u64,
    /// The line at the end of the text.
    line: u64,
}

impl SplitText {
    /// Split `bytes` (shorter than 4 GiB), its first line being `line`,
    /// into records of `expected` fields separated by `d`, keeping the
    /// ends of the first `want` (at most `expected`); `false` at the first
    /// record with another number of fields.
    fn split(&mut self, bytes: &[u8], d: u8, want: usize, expected: usize, line: u64) -> bool {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let zeros = |x: u64| !(((x & LOW7) + LOW7) | x | LOW7);
        let delimiter = u64::from_le_bytes([d; 8]);
        let newline = u64::from_le_bytes([b'\n'; 8]);
        self.after = 0;
        self.after_line = line;
        self.line = line;
        // The record being read: its start and the delimiters seen.
        let mut cur = (0usize, 0usize);
        let mut words = bytes.chunks_exact(8);
        let mut at = 0;
        for w in words.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            let x = u64::from_le_bytes(word);
            let breaks = zeros(x ^ newline);
            let mut found = zeros(x ^ delimiter) | breaks;
            while found != 0 {
                let bit = found & found.wrapping_neg();
                let pos = at + (found.trailing_zeros() / 8) as usize;
                if !self.event(&mut cur, pos, breaks & bit != 0, want, expected) {
                    return false;
                }
                found &= found - 1;
            }
            at += 8;
        }
        for (i, b) in words.remainder().iter().enumerate() {
            if (*b == b'\n' || *b == d)
                && !self.event(&mut cur, at + i, *b == b'\n', want, expected)
            {
                return false;
            }
        }
        // A last line without a line break.
        let (start, seen) = cur;
        if start < bytes.len() {
            if seen + 1 != expected {
                return false;
            }
            if seen < want {
                self.ends.push(bytes.len() as u32);
            }
            self.starts.push(start as u32);
            self.lines
                .push(u32::try_from(self.line).unwrap_or(u32::MAX));
            self.after = bytes.len();
            self.after_line = self.line;
        }
        true
    }

    /// A delimiter at `pos`, or the line break there (`brk`), in the
    /// record starting at `cur.0` with `cur.1` delimiters so far: `false`
    /// when the record it ends has another number of fields.
    #[inline(always)]
    fn event(
        &mut self,
        cur: &mut (usize, usize),
        pos: usize,
        brk: bool,
        want: usize,
        expected: usize,
    ) -> bool {
        let (start, seen) = *cur;
        if !brk {
            if seen < want {
                self.ends.push(pos as u32);
            }
            cur.1 = seen + 1;
            return true;
        }
        if pos > start {
            if seen + 1 != expected {
                return false;
            }
            if seen < want {
                self.ends.push(pos as u32);
            }
            self.starts.push(start as u32);
            self.lines
                .push(u32::try_from(self.line).unwrap_or(u32::MAX));
            self.after = pos + 1;
            self.after_line = self.line + 1;
        }
        // (A blank line is no record.)
        self.line += 1;
        *cur = (pos + 1, 0);
        true
    }
}

/// Read the stored fields of the records split by [`read_plain_columns`]
/// (record `r` starting at `starts[r]`, its field `i` ending at
/// `ends[r * want + i]`) into their columns, a column at a time; `false`
/// at the first cell that cannot be read.
fn fill_columns(
    table: &mut Table,
    text: &str,
    layout: &Layout,
    want: usize,
    starts: &[u32],
    ends: &[u32],
) -> bool {
    for c in &mut table.columns {
        c.data.expect(starts.len());
    }
    let format = &table.format;
    for (fi, ci) in layout.col_of_field.iter().enumerate() {
        let Some(ci) = ci else {
            continue;
        };
        let Some(col) = table.columns.get_mut(*ci) else {
            continue;
        };
        let cf = table.column_formats.get(*ci);
        for (r, row_start) in starts.iter().enumerate() {
            let at = r * want + fi;
            let from = match fi.checked_sub(1) {
                Some(_) => ends.get(at - 1).map(|e| *e as usize + 1),
                None => Some(*row_start as usize),
            };
            let to = ends.get(at).map(|e| *e as usize);
            let Some(value) = from.zip(to).and_then(|(a, b)| text.get(a..b)) else {
                return false;
            };
            if store_cell(col, cf, format, value).is_err() {
                return false;
            }
        }
    }
    true
}

/// The offset of the first line break in `bytes` (found with `memchr`),
/// and the number of `d` before it, having appended to `out` the offsets
/// of the first `want` of those, in order: eight bytes at a time, each
/// word's matches found with integer arithmetic (past the first `want`,
/// only counted).
fn split_line(bytes: &[u8], d: u8, want: usize, out: &mut Vec<usize>) -> (Option<usize>, usize) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each zero byte of `x`, and no other bit (no carry
    // crosses a byte).
    let zeros = |x: u64| !(((x & LOW7) + LOW7) | x | LOW7);
    let delimiter = u64::from_le_bytes([d; 8]);
    let end = memchr::memchr(b'\n', bytes);
    let line = bytes.get(..end.unwrap_or(bytes.len())).unwrap_or_default();
    let mut words = line.chunks_exact(8);
    let mut at = 0;
    let mut count = 0;
    for w in words.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let mut found = zeros(u64::from_le_bytes(word) ^ delimiter);
        while found != 0 && out.len() < want {
            out.push(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
            count += 1;
        }
        count += found.count_ones() as usize;
        at += 8;
    }
    for (i, b) in words.remainder().iter().enumerate() {
        if *b == d {
            if out.len() < want {
                out.push(at + i);
            }
            count += 1;
        }
    }
    (end, count)
}

/// Make room for about as many records as the bytes of the text allow
/// at the rate of the first `read` bytes.
fn presize(table: &mut Table, read: usize, total: usize, spans: bool) {
    // About as many records as bytes allow at the rate so far: room
    // for them all at once, not by doubling.
    let per = read.max(1) / table.len().max(1);
    let rows = (total / per.max(1)).min(PRESIZE_ROWS.max(total / 64));
    for c in &mut table.columns {
        c.data.expect(rows);
    }
    table
        .records
        .reserve(rows.saturating_sub(table.len()), spans);
}

/// Whether the table is full (reported, at offset `at`: the rest starts
/// there).
fn too_many(table: &Table, fid: FileId, at: usize, ctx: &mut RowCtx<'_>) -> bool {
    if table.len() < MAX_RECORDS {
        return false;
    }
    // Records and text codes are numbered with 32 bits.
    ctx.diags.push(
        Diagnostic::error(
            "evidence/too-many-records",
            format!("table `{}` has more than {MAX_RECORDS} records", table.name),
        )
        .at(fid, at..at, "the rest starts here")
        .help("split the table into several tables"),
    );
    true
}

/// The fields of a record, however it was split.
trait Fields {
    /// How many there are.
    fn count(&self) -> usize;
    /// Field `i`, untrimmed.
    fn field(&self, i: usize) -> Option<&str>;
}

impl Fields for csv::StringRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

/// A line split at its delimiters: field `i` ends at `ends[i]` and
/// starts after the end of the one before it (the fields past `ends` are
/// counted, not read).
struct Split<'a> {
    line: &'a str,
    ends: &'a [usize],
    count: usize,
}

impl Fields for Split<'_> {
    fn count(&self) -> usize {
        self.count
    }
    fn field(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(j) => *self.ends.get(j)? + 1,
            None => 0,
        };
        self.line.get(start..end)
    }
}

/// Where a record is, for its line, its span and diagnostics.
struct RowAt<'r> {
    line: u64,
    /// Its bytes in the file (to its first line break).
    span: &'r dyn Fn() -> Range<usize>,
    /// Its text (to its first line break), for diagnostics.
    text: &'r dyn Fn() -> &'r str,
    /// Whether the record keeps its span.
    kept: bool,
}

/// Buffers reused from record to record.
#[derive(Default)]
struct RowScratch {
    srcs: Vec<usize>,
}

/// Append a record's cells, sources and line to `table`, reporting what
/// cannot be read.
fn push_record<F: Fields>(
    table: &mut Table,
    fid: FileId,
    layout: &Layout,
    rec: &F,
    row: &RowAt<'_>,
    ctx: &mut RowCtx<'_>,
    scratch: &mut RowScratch,
) {
    let Layout {
        col_of_field,
        unfed,
        sources_field,
        note_field,
        expected,
    } = layout;
    let (sources_field, note_field, expected) = (*sources_field, *note_field, *expected);
    let RowScratch { srcs } = scratch;
    let line = row.line;
    let span = row.span;
    let row_text = row.text;
    if rec.count() != expected {
        ctx.diags.push(
            Diagnostic::error(
                "evidence/csv-fields",
                format!(
                    "row on line {line} has {} fields, the header has {expected}",
                    rec.count()
                ),
            )
            .at(fid, span(), "this row")
            .help("quote cells that contain commas"),
        );
        return;
    }
    let field = sources_field.and_then(|i| rec.field(i)).unwrap_or("");
    // Every id known (the usual case): no spans needed.
    srcs.clear();
    let mut all_known = false;
    if field.is_empty() && table.cites_dataset {
        // The dataset's own sources (a file as published).
        srcs.extend_from_slice(&table.sources);
        all_known = true;
    }
    for x in field.split(';').map(str::trim).filter(|x| !x.is_empty()) {
        match ctx.source_ids.get(x) {
            Some(i) => {
                srcs.push(*i);
                all_known = true;
            }
            None => {
                all_known = false;
                break;
            }
        }
    }
    if !all_known {
        let ids: Vec<(String, Range<usize>)> = field
            .split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| (x.to_string(), cell_span(row_text(), &span(), x)))
            .collect();
        srcs.clear();
        if ids.is_empty() && table.cites_dataset {
            // The dataset's own sources (the usual case for a file as
            // published): no list is built.
            srcs.extend_from_slice(&table.sources);
        } else {
            let dataset = table.cites_dataset.then_some(table.sources.as_slice());
            *srcs = ctx.resolve_sources(&ids, fid, span(), dataset);
        }
    }
    let note = note_field
        .and_then(|i| rec.field(i))
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    // (A record with as many fields as the header fills every column of
    // `col_of_field`.)
    let format = &table.format;
    for (fi, ci) in col_of_field.iter().enumerate() {
        let Some(ci) = ci else {
            continue;
        };
        let Some(value) = rec.field(fi) else {
            continue;
        };
        let Some(col) = table.columns.get_mut(*ci) else {
            continue;
        };
        let cf = table.column_formats.get(*ci);
        if let Err((msg, _, help)) = store_cell(col, cf, format, value) {
            let msg = crate::escape::visible(&msg);
            let mut d = Diagnostic::error(
                code_for(col.ty),
                if msg.contains(&format!("column `{}`", col.name)) {
                    format!("{msg}, in the row on line {line}")
                } else {
                    format!("{msg} (row on line {line}, column `{}`)", col.name)
                },
            )
            .at(fid, cell_span(row_text(), &span(), value), "this cell");
            if let Some(h) = help {
                d = d.help(h);
            }
            ctx.diags.push(d);
        }
    }
    for c in unfed {
        if let Some(col) = table.columns.get_mut(*c) {
            col.data.push(Cell::Unknown);
        }
    }
    // A record read in pieces keeps its line, not its bytes (which
    // are not kept to be quoted).
    let kept = row.kept.then(span);
    table.records.push(srcs, note, fid, kept);
    table
        .records
        .lines
        .push(u32::try_from(line).unwrap_or(u32::MAX));
}

/// Append a cell, its text `value` untrimmed, to `col`; a cell that
/// cannot be read is appended unknown, and why returned.
fn store_cell(
    col: &mut Column,
    cf: Option<&ColumnFormat>,
    format: &CsvFormat,
    value: &str,
) -> Result<(), CellError> {
    let v = trim_cell(value);
    if v == "unknown"
        || (v.is_empty() && col.ty != ColType::List)
        || (!v.is_empty() && format.is_missing(v))
    {
        col.data
            .push(empty_cell(col.ty, cf.map_or(Empty::Unknown, |f| f.empty)));
        return Ok(());
    }
    if col.ty == ColType::Text {
        // Straight into the column's dictionary: no cell is built.
        col.data.push_text(v);
        return Ok(());
    }
    // The usual plain dates and integers, straight from the text.
    let plain = match col.ty {
        ColType::Date if cf.is_none_or(|f| f.date.is_none()) => col.data.push_plain_day(v),
        ColType::Integer => col.data.push_plain_int(v),
        _ => false,
    };
    if plain {
        return Ok(());
    }
    let read = match (col.ty, cf.and_then(|f| f.date.as_ref())) {
        (ColType::Date, Some(df)) => df.read(v).map(Cell::Date).map_err(|e| {
            (
                e,
                0..0,
                Some(format!("the column's format is `{}`", df.as_str())),
            )
        }),
        (ColType::Integer | ColType::Decimal | ColType::Quantity(_), _) => {
            text_cell(col, &format.number(v))
        }
        _ => text_cell(col, v),
    };
    match read {
        Ok(c) => {
            col.data.push(c);
            Ok(())
        }
        Err(e) => {
            col.data.push(Cell::Unknown);
            Err(e)
        }
    }
}

/// `s.trim()`, without its search when `s` starts and ends with a
/// printable ASCII character (the usual cell).
fn trim_cell(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let b = s.as_bytes();
    if printable(b.first()) && printable(b.last()) {
        s
    } else {
        s.trim()
    }
}

/// The column a CSV header names: the column declared with that
/// `header`, or else the column of that name.
fn column_of_header(table: &Table, h: &str) -> Option<usize> {
    table
        .column_formats
        .iter()
        .position(|f| f.header.as_deref() == Some(h))
        .or_else(|| {
            table.column(h).filter(|c| {
                table
                    .column_formats
                    .get(*c)
                    .is_none_or(|f| f.header.is_none())
            })
        })
}

/// Best-effort span of a cell's text inside its row.
/// Byte span of the `n`-th (from 0) occurrence of `name` as a field of the
/// header row `text[..header_end]` (an empty span at the row's start when
/// it cannot be found, e.g. when quoted).
fn nth_in_header(
    text: &str,
    header_end: usize,
    name: &str,
    n: usize,
    delimiter: u8,
) -> Range<usize> {
    let Some(row) = text.get(..header_end) else {
        return 0..0;
    };
    let mut start = 0;
    let mut count = 0;
    for field in row.split(char::from(delimiter)) {
        let trimmed = field.trim();
        if trimmed == name && !name.is_empty() {
            if count == n {
                let lead = field.len() - field.trim_start().len();
                return start + lead..start + lead + trimmed.len();
            }
            count += 1;
        }
        start += field.len() + 1;
    }
    0..0
}

fn cell_span(row_text: &str, row: &Range<usize>, value: &str) -> Range<usize> {
    match Some(row_text).and_then(|r| {
        if value.is_empty() {
            None
        } else {
            r.find(value)
        }
    }) {
        Some(i) => row.start + i..row.start + i + value.len(),
        None => row.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    const SOURCES: &str = "[[source]]\nid = \"s1\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/a\"\ndate = \"2025-05\"\n";

    fn load(files: Vec<(&str, &str)>) -> (Evidence, Vec<Diagnostic>) {
        let mut f = Files::default();
        let mut d = Vec::new();
        let ev = load_from(
            files
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            &mut f,
            &mut d,
        );
        (ev, d)
    }

    #[test]
    fn loads_toml_and_csv_tables() {
        let people = "[table]\nname = \"people\"\nkey = \"name\"\n[[column]]\nname = \"name\"\ntype = \"text\"\n[[column]]\nname = \"born\"\ntype = \"date\"\n[[column]]\nname = \"tenure\"\ntype = \"quantity\"\nunit = \"years\"\n[[record]]\nname = \"A\"\nborn = \"1980\"\ntenure = \"about 5 years\"\nsources = [\"s1\"]\n";
        let jobs = "[table]\nname = \"jobs\"\nkey = \"id\"\ntemporal = { from = \"start\", to = \"end\" }\ncsv = \"jobs.csv\"\n[[column]]\nname = \"id\"\ntype = \"text\"\n[[column]]\nname = \"start\"\ntype = \"date\"\n[[column]]\nname = \"end\"\ntype = \"date\"\n";
        let csv = "id,start,end,sources,note\nj1,2016,2023-06,s1,\nj2,..2018-11,,s1,open start\n";
        let (ev, d) = load(vec![
            ("sources.toml", SOURCES),
            ("people.toml", people),
            ("jobs.toml", jobs),
            ("jobs.csv", csv),
        ]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(ev.tables.len(), 2);
        let jobs = ev.tables.iter().find(|t| t.name == "jobs");
        assert_eq!(jobs.map(|t| t.len()), Some(2));
        assert_eq!(jobs.and_then(|t| t.row_of_key("j2")), Some(1));
        let end = jobs.and_then(|t| t.columns.get(2)).and_then(|c| c.get(1));
        assert_eq!(end, Some(Cell::Unknown));
    }

    #[test]
    fn count_quantities_hold_worded_figures() {
        let t = "[table]\nname = \"t\"\nkey = \"k\"\n[[column]]\nname = \"k\"\ntype = \"text\"\n[[column]]\nname = \"runs\"\ntype = \"quantity\"\nunit = \"count\"\n[[record]]\nk = \"a\"\nruns = \"more than 1000000000\"\nsources = [\"s1\"]\n";
        let (ev, d) = load(vec![("sources.toml", SOURCES), ("t.toml", t)]);
        assert!(d.is_empty(), "{d:?}");
        let col = ev.tables.first().and_then(|t| t.columns.get(1)).unwrap();
        assert_eq!(col.ty, ColType::Quantity(Unit::None));
        let Some(Cell::Num(iv)) = col.get(0) else {
            panic!("{:?}", col.data)
        };
        assert_eq!(iv.to_string(), "(1000000000, +∞)");
    }

    #[test]
    fn plain_days_read_as_the_date_parser_reads_them() {
        let mut d: crate::date::Date = "1999-12-25".parse().unwrap();
        for _ in 0..1200 {
            let s = d.to_string();
            assert_eq!(plain_day(&s).map(DateRange::day), parse_date_value(&s).ok());
            d = d.tomorrow().unwrap();
        }
        for s in [
            "0000-01-01",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "2025/01/01",
            "2025-01-1x",
            "+025-01-01",
            "2025-01",
            "2025-01-01..",
            "",
        ] {
            assert_eq!(plain_day(s), None, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_split_where_their_delimiters_are(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::any::<u8>(),
                proptest::prelude::Just(b','),
                proptest::prelude::Just(b'\n')
            ], 0..40),
            d in proptest::prop_oneof![
                proptest::prelude::Just(b','),
                proptest::prelude::Just(0u8),
                proptest::prelude::Just(0x80u8),
                proptest::prelude::any::<u8>().prop_filter("not a line break", |b| *b != b'\n')
            ],
            first in 0usize..12) {
            let mut found = Vec::new();
            let (end, count) = split_line(&bytes, d, first, &mut found);
            let want_end = bytes.iter().position(|b| *b == b'\n');
            let line = bytes.get(..want_end.unwrap_or(bytes.len())).unwrap();
            let all: Vec<usize> = (0..line.len()).filter(|i| line.get(*i) == Some(&d)).collect();
            proptest::prop_assert_eq!(end, want_end);
            proptest::prop_assert_eq!(count, all.len());
            proptest::prop_assert_eq!(&found[..], &all[..all.len().min(first)]);
        }

        /// A text split at once is its lines split one by one, blank
        /// lines skipped, up to the first line with another number of
        /// fields.
        #[test]
        fn a_text_splits_as_its_lines(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                4 => proptest::prelude::Just(b','),
                2 => proptest::prelude::Just(b'\n'),
                4 => proptest::prelude::Just(b'a'),
                1 => proptest::prelude::any::<u8>(),
            ], 0..80),
            want in 0usize..5,
            expected in 1usize..5,
            first in 1u64..3) {
            let want = want.min(expected);
            let mut got = SplitText::default();
            let ok = got.split(&bytes, b',', want, expected, first);
            // One line at a time, as the row-by-row reader reads them.
            let mut reference = SplitText { after_line: first, line: first, ..SplitText::default() };
            let mut fine = true;
            let mut start = 0;
            while start < bytes.len() {
                let mut fields = Vec::new();
                let (end, count) = split_line(&bytes[start..], b',', want, &mut fields);
                let end = end.map_or(bytes.len(), |n| start + n);
                let next = (end + 1).min(bytes.len());
                if end > start {
                    if count + 1 != expected {
                        fine = false;
                        break;
                    }
                    if fields.len() < want {
                        fields.push(end - start);
                    }
                    reference.starts.push(start as u32);
                    reference.ends.extend(fields.iter().map(|e| (start + e) as u32));
                    reference.lines.push(reference.line as u32);
                    reference.after = next;
                    reference.after_line = reference.line + u64::from(end < bytes.len());
                }
                if end < bytes.len() {
                    reference.line += 1;
                }
                start = next;
            }
            proptest::prop_assert_eq!(ok, fine);
            if fine {
                proptest::prop_assert_eq!(got, reference);
            }
        }

        #[test]
        fn trim_cell_is_trim(s in "[ \t\u{b}\u{a0}\u{3000}a-c,;~\u{7f}\u{e9}]{0,6}") {
            proptest::prop_assert_eq!(trim_cell(&s), s.trim());
        }
    }

    #[test]
    fn bad_cells_are_reported_and_loading_goes_on() {
        let t = "[table]\nname = \"t\"\nkey = \"k\"\n[[column]]\nname = \"k\"\ntype = \"text\"\n[[column]]\nname = \"d\"\ntype = \"date\"\n[[record]]\nk = \"a\"\nd = \"2025-02-30\"\nsources = [\"s2\"]\n[[record]]\nk = \"a\"\nd = \"2025\"\nsorces = [\"s1\"]\n";
        let (_, d) = load(vec![("sources.toml", SOURCES), ("t.toml", t)]);
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"evidence/bad-date"), "{codes:?}");
        assert!(codes.contains(&"evidence/unknown-source"), "{codes:?}");
        assert!(codes.contains(&"evidence/unknown-column"), "{codes:?}");
        assert!(codes.contains(&"evidence/no-source"), "{codes:?}");
        assert!(codes.contains(&"evidence/duplicate-key"), "{codes:?}");
    }
}

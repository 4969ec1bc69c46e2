//! A claim's typed tree as Spark SQL: the aggregates over a table are
//! computed where the data lives, the rest (arithmetic, comparisons,
//! shares' achievable values, verdicts) in Rust, as the in-process engine
//! does.
//!
//! Sound uncertainty survives the trip. Each set of records (a table, a
//! `where`, an `at`) becomes two SQL conditions over a record: "certainly
//! a member" and "possibly a member", never `NULL`, the bit operations of
//! `eval/filter.rs` written as SQL. A date cell is a pair of day numbers
//! (first and last admissible day; the open ends are the same sentinels as
//! in the columns, so every comparison is the one the engine makes); a
//! number cell an exact decimal or `NULL` (unknown). An aggregate comes back
//! as exact integers and decimal texts (counts of certain and possible
//! members, sums, extremes) from which [`compile`] rebuilds the [`Value`] the
//! in-process engine gives, with the same rationals.
//!
//! Only what is written here is compiled; any other construct (groups of
//! groups, a sum over cells that orderings link, more than
//! [`MAX_FETCHED`] members, texts or combinations of cells to bring back,
//! …) is [`Unsupported`], named, never answered differently. What the SQL
//! cannot compute exactly in place comes back small and is computed by
//! the engine's own code: a condition per distinct combination of the
//! cells it reads, a sum, mean or extreme per possible member, an
//! aggregate over groups per group.
//!
//! Every aggregate of a claim is a [`Slot`]: an SQL expression over one
//! table. Slots of many claims over one table are one query (one row, a
//! JSON object with a field per slot), so a thousand claims over a table
//! are a few scans. A slot that needs a value computed by another (the
//! keys of the people named N, for "the employer of N on D") waits for it:
//! the driver runs queries in rounds (see `engine::remote`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::date::DateRange;
use crate::diag::Loc;
use crate::evidence::column::Cell;
use crate::evidence::column::{day_number, days_of, range_of, NO_HI, NO_LO};
use crate::evidence::order::CellRef;
use crate::evidence::{ColType, Evidence, TableId};
use crate::expr::Unit;
use crate::input::csvformat::{DateFormat, Empty, Encoding};
use crate::interval::{Bound, Interval, Tri};
use crate::num::Rational;
use crate::plan::{AggKind, Arith, Between, CmpOp, ListVal, Node, Program, Value};

use super::{between_scale, between_unit, count_interval, EvalError, ShareCounts, ShareParts};

/// Most nested levels of a tree the compiler follows.
const MAX_DEPTH: usize = 200;

/// Most slots in one query (a query of more is split): each query scans
/// the table's cached columns once; more slots make methods the JVM's JIT
/// compiles slowly or not at all.
pub const MAX_SLOTS_PER_QUERY: usize = 64;

/// Most members whose cells a sum or mean the SQL does not compute
/// brings back (see `Compiler::rows_slot`), and most distinct texts of a
/// column `matches` reads.
pub const MAX_FETCHED: u64 = 10_000;

/// Largest number of decimals an exact decimal literal or cell may have.
const DEC_SCALE: u32 = 16;

/// What the SQL compiler does not do, in words naming the construct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

fn unsupported<T>(what: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Unsupported(Unsupported(what.into())))
}

/// Why compiling a claim stopped.
#[derive(Debug, Clone)]
enum Stop {
    /// A construct the SQL compiler does not handle.
    Unsupported(Unsupported),
    /// A slot's value is an evaluation error (as the engine's).
    Eval(EvalError),
}

/// Where a table's records are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A CSV file the cluster can read, with the table file's options.
    Csv {
        /// Its path (absolute for a local cluster).
        path: String,
        /// The field delimiter.
        delimiter: u8,
        /// The quote character.
        quote: u8,
        /// Cell texts that mean "missing".
        missing: Vec<String>,
        /// How many partitions its typed table is spread over (a CSV
        /// file is read by one task when quoted cells may hold line
        /// breaks; the queries after it then run on every core).
        partitions: u32,
    },
    /// A table of the cluster's catalog (`[table] spark = "db.table"`).
    Catalog(String),
    /// A Parquet file the cluster can read, read by Spark's own Parquet
    /// reader with its column types (checked as a catalog table's are).
    Parquet {
        /// Its path (absolute for a local cluster).
        path: String,
        /// Cell texts that mean "missing" (in its string columns).
        missing: Vec<String>,
    },
    /// A table whose records are written in its table file: sent with the
    /// query as inline rows of typed literals ([`typed_sql`]).
    Inline,
}

/// How each table is read, by table index: given by the caller (the
/// engine finds CSV paths; a catalog name comes from the table file).
pub type Sources = BTreeMap<TableId, Source>;

/// The name of the temporary view a table is read through.
pub fn view_name(ev: &Evidence, table: TableId) -> String {
    let name = ev.tables.get(table).map_or("t", |t| t.name.as_str());
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    format!("fc_{table}_{clean}")
}

/// The statements a table's view needs first, in order (none for most):
///
/// - Spark 4 reads Windows-1252 text only with the session setting
///   `spark.sql.legacy.javaCharsets` on (Java's decoder, the same
///   characters as the reader here; the bytes Windows-1252 leaves
///   undefined, which Java would read as U+FFFD, were refused, located,
///   when the file was loaded here). The setting is the session's: it
///   stays on for the run, and changes nothing for the other encodings.
/// - A file whose header is below line 1 is read first as every record of
///   it, the lines above the header too ([`raw_view_name`]): no header,
///   the header row's fields as the schema (a declared column's field by
///   the name [`typed_sql`] reads), a record of another length kept as
///   text in `fc_corrupt` rather than failing the read (the lines above
///   the header may be of any length). [`view_sql`] then keeps its last
///   records, as many as were loaded here.
pub fn view_setup_sql(ev: &Evidence, table: TableId, source: &Source) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(t), Source::Csv { path, .. }) = (ev.tables.get(table), source) else {
        return out;
    };
    if t.format.jsonl {
        out.push(format!(
            "CREATE OR REPLACE TEMPORARY VIEW {} ({}) USING json OPTIONS (path {}, mode 'FAILFAST')",
            ident(&raw_view_name(ev, table)),
            json_fields(ev, table)
                .iter()
                .map(|(name, list, _)| format!(
                    "{} {}",
                    ident(name),
                    if *list { "ARRAY<STRING>" } else { "STRING" }
                ))
                .collect::<Vec<_>>()
                .join(", "),
            text_lit(path),
        ));
        return out;
    }
    if t.format.encoding == Encoding::Windows1252 {
        out.push("SET spark.sql.legacy.javaCharsets=true".to_string());
    }
    if t.format.header_line > 1 {
        let fields: Vec<String> = t
            .csv_fields
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Some(c) => format!("{} STRING", ident(&data_name(ev, table, *c))),
                None => format!("{} STRING", ident(&format!("fc_field_{i}"))),
            })
            .collect();
        out.push(format!(
            "CREATE OR REPLACE TEMPORARY VIEW {} ({}, fc_corrupt STRING) USING csv OPTIONS \
             (path {}, header 'false', {}, columnNameOfCorruptRecord 'fc_corrupt')",
            ident(&raw_view_name(ev, table)),
            fields.join(", "),
            text_lit(path),
            csv_options(ev, table, source, "PERMISSIVE"),
        ));
    }
    out
}

/// The keys a JSON Lines table's view reads: each column's (its
/// `header`, or its name), whether it is a list column (read as an array
/// of strings) and whether an empty cell of it is an empty list.
fn json_fields(ev: &Evidence, table: TableId) -> Vec<(String, bool, bool)> {
    let Some(t) = ev.tables.get(table) else {
        return Vec::new();
    };
    typed_columns(ev, table)
        .into_iter()
        .map(|c| {
            let list = t.columns.get(c).is_some_and(|c| c.ty == ColType::List);
            let none = t
                .column_formats
                .get(c)
                .is_some_and(|f| f.empty == Empty::None);
            (data_name(ev, table, c), list, none)
        })
        .collect()
}

/// A JSON Lines table's view: its records in file order (in one
/// partition, so that they are numbered as loaded here), each key's value
/// as the text a CSV cell would be: a string as it is, a number as its
/// text as written, `true`/`false`, `null` or a missing key as an empty
/// cell; a list column's array of strings as its items joined by `;`
/// (the typed table splits them again; an item holding a `;` fails the
/// query), its `null` as the engine's empty list cell (unknown, or an
/// empty list for `empty = "none"`).
fn json_view_sql(ev: &Evidence, table: TableId) -> String {
    let t = ev.tables.get(table);
    let cols: Vec<String> = json_fields(ev, table)
        .into_iter()
        .map(|(name, list, none)| {
            let c = ident(&name);
            if !list {
                return c;
            }
            format!(
                "CASE WHEN {c} IS NULL THEN {} WHEN exists({c}, x -> x IS NULL OR x LIKE '%;%') \
                 THEN raise_error({}) ELSE array_join({c}, ';') END AS {c}",
                if none { "''" } else { "'unknown'" },
                text_lit(&format!(
                    "an item of list `{name}` of table `{}` holds a `;`",
                    t.map_or("", |t| t.name.as_str())
                )),
            )
        })
        .collect();
    let cols = if cols.is_empty() {
        "1 AS fc_one".to_string()
    } else {
        cols.join(", ")
    };
    format!(
        "CREATE OR REPLACE TEMPORARY VIEW {} AS SELECT /*+ COALESCE(1) */ {cols} FROM {}",
        ident(&view_name(ev, table)),
        ident(&raw_view_name(ev, table)),
    )
}

/// The name of the view of every record of a file whose header is below
/// line 1, or of a JSON Lines file's keys (see [`view_setup_sql`]).
pub fn raw_view_name(ev: &Evidence, table: TableId) -> String {
    format!("{}_all", view_name(ev, table))
}

/// The options of Spark's CSV reader that read a file as its description
/// says, but for the path and the header; `mode`: what a malformed record
/// does.
fn csv_options(ev: &Evidence, table: TableId, source: &Source, mode: &str) -> String {
    let Source::Csv {
        delimiter, quote, ..
    } = source
    else {
        return String::new();
    };
    // The file's text as its description says (a `.gz` or `.zst` file is
    // unpacked by Spark, as here, from its name).
    let format = ev.tables.get(table).map(|t| &t.format);
    // (Windows-1252 with the session setting of [`view_setup_sql`].)
    let encoding = match format.map(|f| f.encoding) {
        Some(Encoding::Latin1) => "ISO-8859-1",
        Some(Encoding::Windows1252) => "windows-1252",
        Some(Encoding::Utf8) | None => "UTF-8",
    };
    let comment = format
        .and_then(|f| f.comment)
        .map(|c| format!(", comment {}", text_lit(&char::from(c).to_string())))
        .unwrap_or_default();
    format!(
        "sep {}, quote {}, escape {}, multiLine 'true', mode '{mode}', encoding '{encoding}'{comment}",
        text_lit(&char::from(*delimiter).to_string()),
        text_lit(&char::from(*quote).to_string()),
        text_lit(&char::from(*quote).to_string()),
    )
}

/// The statement that makes a table's view (`None` for a catalog table,
/// read by its name). A file whose header is below line 1: the last
/// records of its view of every record ([`view_setup_sql`]), numbered in
/// file order (one task reads the file), as many as were loaded here; one
/// of them of another length than the header fails the read.
pub fn view_sql(ev: &Evidence, table: TableId, source: &Source) -> Option<String> {
    match source {
        Source::Catalog(_) | Source::Parquet { .. } | Source::Inline => None,
        Source::Csv { path, .. } => {
            let t = ev.tables.get(table);
            if t.is_some_and(|t| t.format.jsonl) {
                return Some(json_view_sql(ev, table));
            }
            if let Some(t) = t.filter(|t| t.format.header_line > 1) {
                let raw = ident(&raw_view_name(ev, table));
                let kept: Vec<String> = t
                    .csv_fields
                    .iter()
                    .filter_map(|c| c.map(|c| ident(&data_name(ev, table, c))))
                    .collect();
                let kept = if kept.is_empty() {
                    "1 AS fc_one".to_string()
                } else {
                    kept.join(", ")
                };
                return Some(format!(
                    "CREATE OR REPLACE TEMPORARY VIEW {} AS SELECT {kept} FROM \
                     (SELECT *, monotonically_increasing_id() AS fc_all_rid FROM {raw}) AS a \
                     WHERE CASE WHEN fc_all_rid < (SELECT count(*) FROM {raw}) - {} THEN FALSE \
                     WHEN fc_corrupt IS NULL THEN TRUE \
                     ELSE raise_error({}) END",
                    ident(&view_name(ev, table)),
                    t.len(),
                    text_lit(&format!(
                        "a record of table `{}` has not as many fields as its header row",
                        t.name
                    )),
                ));
            }
            Some(format!(
                "CREATE OR REPLACE TEMPORARY VIEW {} USING csv OPTIONS (path {}, header 'true', \
                 inferSchema 'false', enforceSchema 'false', {})",
                ident(&view_name(ev, table)),
                text_lit(path),
                csv_options(ev, table, source, "FAILFAST"),
            ))
        }
    }
}

/// Whether a table can be read by Spark as its description says: `Err`
/// names what the SQL compiler does not read.
pub fn check_table(ev: &Evidence, table: TableId) -> Result<(), Unsupported> {
    let Some(t) = ev.tables.get(table) else {
        return Err(Unsupported(format!("table {table}")));
    };
    let f = &t.format;
    // A catalog table is read by the cluster as it is: the file format
    // does not apply.
    // Spark unpacks a data file as its name says.
    if t.spark.is_none() && !f.parquet && f.compression != f.named_compression {
        return Err(Unsupported(format!(
            "table `{}`: a data file compressed otherwise than its name says (Spark unpacks a file by its name: `.gz` for gzip, `.zst` for zstd)",
            t.name
        )));
    }
    if t.spark.is_none() && f.jsonl {
        return check_json(t);
    }
    // A Parquet file's columns are typed: of the CSV format only the way
    // its strings write numbers applies.
    let plain = t.spark.is_some()
        || (f.parquet && f.decimal == b'.' && f.thousands.is_none())
        || f.header_line == 1
        || !t.csv_fields.is_empty();
    if !plain {
        return Err(Unsupported(format!(
            "table `{}`: a CSV file whose header is below line 1, and whose header row was not read here",
            t.name
        )));
    }
    // Alternative readings and inferred cells are the caller's: it
    // compiles a claim once per variant, with [`Overrides`].
    // Cells narrowed by orderings are the caller's ([`Overrides`]); the
    // compiler keeps the links of two cells ([`Compiler::field_slot`]).
    Ok(())
}

/// Whether Spark's JSON reader reads a JSON Lines table as the engine
/// does: its text in UTF-8, no separators of numbers (the engine applies
/// them to strings only, the SQL would to numbers too), no missing-value
/// token that is a JSON number or truth value (the engine compares them
/// with strings only), no derived column (a missing key reads as empty).
fn check_json(t: &crate::evidence::Table) -> Result<(), Unsupported> {
    let f = &t.format;
    let what = if f.encoding != Encoding::Utf8 {
        Some(format!("{} text", f.encoding.name()))
    } else if f.decimal != b'.' || f.thousands.is_some() {
        Some("a decimal or thousands separator".to_string())
    } else if let Some(m) = f.missing.iter().find(|m| {
        m.as_str() == "true"
            || m.as_str() == "false"
            || serde_json::from_str::<serde_json::Number>(m).is_ok()
    }) {
        Some(format!(
            "the missing-value token `{}`, a JSON value that is not a string",
            crate::escape::visible(m)
        ))
    } else if t.column_formats.iter().any(|c| c.derived) {
        Some("a derived column".to_string())
    } else {
        None
    };
    match what {
        Some(w) => Err(Unsupported(format!(
            "table `{}`: a JSON Lines data file with {w} (make it a catalog table with `spark = \"db.table\"`)",
            t.name
        ))),
        None => Ok(()),
    }
}

/// An SQL identifier, quoted.
pub fn ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// An SQL string literal that any text is safe in: letters, digits and
/// plain punctuation as they are, everything else as `\uXXXX` escapes.
pub fn text_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " -_.,:;/()@&+*%!?=<>[]{}|~^$".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04X}"));
            }
        }
    }
    out.push('\'');
    out
}

/// A rational as an exact decimal literal, when it has at most
/// [`DEC_SCALE`] decimals.
fn dec_lit(r: Rational) -> Option<String> {
    for dp in 0..=DEC_SCALE {
        let scaled = r.checked_mul(Rational::pow10(dp).ok()?).ok()?;
        if scaled.is_integer() {
            // The literal's own precision (its digits): a wider one would
            // make Spark widen the comparison past 38 digits and drop the
            // column's decimals.
            let digits = scaled.numer().unsigned_abs().to_string().len() as u32;
            let p = digits.max(dp).max(1);
            let text = r.to_fixed(dp);
            return Some(format!("CAST({} AS DECIMAL({p},{dp}))", text_lit(&text)));
        }
    }
    None
}

/// A rational as exact decimal text with at most `scale` decimals.
fn dec_text(r: Rational, scale: u32) -> Option<String> {
    (0..=scale).find_map(|dp| {
        let scaled = r.checked_mul(Rational::pow10(dp).ok()?).ok()?;
        scaled.is_integer().then(|| r.to_fixed(dp))
    })
}

/// An aggregate computed in SQL: one field of a query's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The table it reads.
    pub table: TableId,
    /// Its SQL expression (a `named_struct` of aggregates).
    pub sql: String,
    /// Whether every value it needs is known (else its SQL holds
    /// placeholders and it waits).
    pub ready: bool,
    /// The columns it reads.
    pub columns: BTreeSet<usize>,
    /// The conditions over a record it reads, each computed once a query
    /// (`#k#` in [`Slot::sql`] is the `k`th).
    pub conds: Vec<String>,
}

impl Slot {
    /// Its identity: the same aggregate of two claims is one slot.
    pub fn key(&self) -> String {
        format!("{}|{}|{}", self.table, self.sql, self.conds.join("|"))
    }
}

/// A slot's result: the JSON object its `named_struct` became (`NULL`
/// fields left out).
pub type SlotValue = Json;

/// What compiling a claim gave with the values known so far.
#[derive(Debug, Clone)]
pub enum Compiled {
    /// Every slot is known: the measure as a tree with no table left in
    /// it, to evaluate in process ([`super::Ctx::eval_measure`]), with the
    /// parts of its last share.
    Done(Box<(Node, Option<ShareParts>)>),
    /// Slots still to compute (those ready can be sent now).
    Waiting(Vec<Slot>),
    /// A slot's value is an evaluation error.
    Failed(EvalError),
}

/// The date cells a variant of the evidence (an alternative reading, an
/// inferred value used or not) gives other values than the table's data:
/// by table and column, each record's key and the cell's day numbers.
pub type Overrides = BTreeMap<TableId, BTreeMap<usize, BTreeMap<Arc<str>, (i32, i32)>>>;

/// Compile a claim's measure with the slot values `known` (by
/// [`Slot::key`]), in the variant of the evidence whose date cells
/// `overrides` gives (every slot over such a table reads those cells as
/// given, by the record's key).
pub fn compile(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    dates: (DateRange, DateRange),
    known: &HashMap<String, SlotValue>,
    overrides: &Overrides,
) -> Result<Compiled, Unsupported> {
    compile_witnessed(ev, program, node, dates, known, overrides).map(|(c, _, _)| c)
}

/// [`compile`], with the conditions that select the records its
/// aggregates rest on (its witnesses), by table, and the sources of the
/// orderings it followed here (conditions over linked cells judged a
/// record at a time: the engine cites an ordering it uses).
pub fn compile_witnessed(
    ev: &Evidence,
    program: &Program,
    node: &Node,
    dates: (DateRange, DateRange),
    known: &HashMap<String, SlotValue>,
    overrides: &Overrides,
) -> Result<(Compiled, Witnessed, BTreeSet<usize>), Unsupported> {
    let mut c = Compiler {
        failing: None,
        need: Vec::new(),
        ev,
        overrides,
        program,
        as_of: dates.0,
        published: dates.1,
        known,
        slots: Vec::new(),
        depth: 0,
        detail: None,
        share_measure: is_share(program, node),
        conds: Vec::new(),
        group: None,
        group_index: HashMap::new(),
        witnessed: Witnessed::new(),
        order_sources: BTreeSet::new(),
    };
    let out = c.scalar(node);
    let witnessed = std::mem::take(&mut c.witnessed);
    let order_sources = std::mem::take(&mut c.order_sources);
    let compiled = match out {
        Ok(n) => {
            if c.slots.is_empty() {
                let detail = c.detail.map(|mut d| {
                    if !c.share_measure {
                        d.achievable = None;
                    }
                    d
                });
                Compiled::Done(Box::new((n, detail)))
            } else {
                Compiled::Waiting(c.slots)
            }
        }
        Err(Stop::Unsupported(u)) => return Err(u),
        Err(Stop::Eval(e)) => Compiled::Failed(e),
    };
    Ok((compiled, witnessed, order_sources))
}

/// Whether a measure is a share (through definitions and memos).
fn is_share(program: &Program, node: &Node) -> bool {
    let mut n = node;
    for _ in 0..64 {
        match n {
            Node::Share(..) => return true,
            Node::Memo(_, inner) => n = inner,
            Node::Def(i) => match program.defs.get(*i).and_then(|d| d.as_ref()) {
                Some(body) => n = body,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// A set of records as SQL: certainly and possibly a member.
#[derive(Debug, Clone)]
struct SetSql {
    table: TableId,
    certain: String,
    possible: String,
    /// Records that are not members but that a temporal selection (`at`)
    /// found no longer in force: witnesses, as the engine's
    /// `RecSet::considered`.
    considered: String,
    columns: BTreeSet<usize>,
    ready: bool,
    /// Whether it is (a subset of) the group in scope: its slots are
    /// computed per group ([`Compiler::grouped_sql`]).
    grouped: bool,
}

/// The aggregate over groups being compiled: the set grouped, by which
/// column, and the group whose values slots give (none while the groups'
/// slots are registered).
#[derive(Debug, Clone)]
struct GroupCtx {
    table: TableId,
    column: usize,
    certain: String,
    possible: String,
    columns: BTreeSet<usize>,
    ready: bool,
    /// The group (its key as the server writes it) whose slot values are
    /// read.
    current: Option<String>,
    /// A grouped slot's value lacked the current group.
    missing: bool,
    /// The aggregate over groups this one is inside, when its set is (a
    /// subset of) that one's group (`groups(group, c)`): its slots are
    /// computed per group of the outer and per group of this one.
    outer: Option<Box<GroupCtx>>,
}

impl GroupCtx {
    /// The column of the grouped rows that says whether a row is certain
    /// in its group, and the one that holds its group's key.
    fn names(&self) -> (&'static str, &'static str) {
        if self.outer.is_some() {
            ("fc_gcert2", "fc_g2")
        } else {
            ("fc_gcert", "fc_g")
        }
    }

    /// The key of the current group among a grouped slot's groups (with
    /// the outer's current group when nested).
    fn position(&self) -> Option<String> {
        let current = self.current.as_deref()?;
        match &self.outer {
            Some(o) => Some(format!("{}\u{1f}{current}", o.current.as_deref()?)),
            None => Some(current.to_string()),
        }
    }
}

impl SetSql {
    /// Every record of `table`, each certainly a member.
    fn whole(table: TableId) -> Self {
        SetSql {
            table,
            certain: "TRUE".into(),
            possible: "TRUE".into(),
            considered: "FALSE".into(),
            columns: BTreeSet::new(),
            ready: true,
            grouped: false,
        }
    }
}

/// Truths of a condition for some records, by key.
type Truths = Vec<(Arc<str>, Tri)>;

/// A part of a `where` condition judged here per combination of cells
/// ([`Compiler::tuples_cond`]) that fails for some combinations: the
/// combination's SQL, when the engine evaluates the part for a record
/// (the conditions of the `and` / `or` it is the right side of), the
/// failing combinations as SQL literals, and the engine's error for each.
#[derive(Debug, Clone)]
struct FailingPart {
    tuple: String,
    need: String,
    failing: Vec<(String, EvalError)>,
}

/// A condition as SQL: certainly and possibly true.
#[derive(Debug, Clone)]
struct Cond {
    certain: String,
    possible: String,
}

fn tri_cond(t: Tri) -> Cond {
    let (c, p) = match t {
        Tri::True => ("TRUE", "TRUE"),
        Tri::Unknown => ("FALSE", "TRUE"),
        Tri::False => ("FALSE", "FALSE"),
    };
    Cond {
        certain: c.into(),
        possible: p.into(),
    }
}

struct Compiler<'a> {
    /// While a `where` condition is compiled: the parts judged here that
    /// fail for some combinations of cells (`None`: such a part is
    /// refused).
    failing: Option<Vec<FailingPart>>,
    /// The conditions under which the engine evaluates the part of a
    /// condition being compiled (each the left side of an enclosing
    /// `and`, possibly true, or `or`, not certainly true).
    need: Vec<String>,
    ev: &'a Evidence,
    overrides: &'a Overrides,
    program: &'a Program,
    as_of: DateRange,
    published: DateRange,
    known: &'a HashMap<String, SlotValue>,
    slots: Vec<Slot>,
    depth: usize,
    detail: Option<ShareParts>,
    share_measure: bool,
    /// The conditions of the slot being built.
    conds: Vec<String>,
    /// The aggregate over groups being compiled, if any.
    group: Option<GroupCtx>,
    /// Per grouped slot (by key), where each group's value is in its list.
    group_index: HashMap<String, HashMap<String, usize>>,
    /// The records the measure's aggregates rest on, as conditions over
    /// their table (see [`Witnessed`]).
    witnessed: Witnessed,
    /// Sources of the orderings followed judging linked records here.
    order_sources: BTreeSet<usize>,
}

/// The name of a column's typed value in a query (`c3`, `c3_lo`, …).
fn col(c: usize, part: &str) -> String {
    if part.is_empty() {
        format!("c{c}")
    } else {
        format!("c{c}_{part}")
    }
}

/// `a AND b`, leaving out a side that is `TRUE`.
fn and(a: &str, b: &str) -> String {
    match (a, b) {
        ("TRUE", x) | (x, "TRUE") => x.to_string(),
        _ => format!("({a} AND {b})"),
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

fn sql_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn name_of(n: &Node) -> &'static str {
    match n {
        Node::Const(_) => "a literal",
        Node::AsOf | Node::Published => "a date",
        Node::Def(_) | Node::Memo(..) => "a definition",
        Node::Column(_) | Node::RecField(..) => "a column",
        Node::Project(..) => "the values of a column over a set",
        Node::TableAll(_) => "a table",
        Node::Lookup(..) => "a lookup by key (`T[\"key\"]`)",
        Node::Where(..) => "`where`",
        Node::At(..) => "`at`",
        Node::Count(_) => "`count`",
        Node::Agg(..) => "an aggregate",
        Node::GroupAgg(..) | Node::Group => "an aggregate over groups (`groups`)",
        Node::Share(..) => "`share`",
        Node::Keys(_) => "`keys`",
        Node::Between(..) => "a difference between dates",
        Node::Refine(..) => "`refine`",
        Node::Not(_) => "`not`",
        Node::And(..) => "`and`",
        Node::Or(..) => "`or`",
        Node::CmpNum(..) | Node::CmpDate(..) | Node::Equal(..) => "a comparison",
        Node::Arith(..) | Node::Neg(..) | Node::Abs(..) => "arithmetic",
        Node::SameYear(..) => "`same_year`",
        Node::In(..) => "`in`",
        Node::Matches(..) => "`matches`",
        Node::IsUnknown(..) => "`is known` / `is unknown`",
        Node::Subset(..) => "a list inclusion",
        Node::List(_) => "a list",
    }
}

impl<'a> Compiler<'a> {
    /// Follow definitions and memos to the expression they stand for.
    fn follow<'n>(&self, mut n: &'n Node) -> Result<&'n Node, Stop>
    where
        'a: 'n,
    {
        for _ in 0..64 {
            match n {
                Node::Memo(_, inner) => n = inner,
                Node::Def(i) => match self.program.defs.get(*i).and_then(|d| d.as_ref()) {
                    Some(body) => n = body,
                    None => return unsupported("a definition that did not compile"),
                },
                _ => return Ok(n),
            }
        }
        unsupported("definitions nested more than 64 deep")
    }

    /// `f` one level deeper: refused past [`MAX_DEPTH`] levels.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Stop>) -> Result<T, Stop> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return unsupported(format!("an expression nested more than {MAX_DEPTH} deep"));
        }
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// A record-independent expression as a tree evaluable in process
    /// (its aggregates replaced by their values once known; a placeholder
    /// while they are not).
    fn scalar(&mut self, node: &Node) -> Result<Node, Stop> {
        self.nested(|c| c.scalar_inner(node))
    }

    fn scalar_inner(&mut self, node: &Node) -> Result<Node, Stop> {
        let n = self.follow(node)?;
        let b = |x: Node| Box::new(x);
        Ok(match n {
            Node::Const(_) | Node::AsOf | Node::Published => n.clone(),
            Node::Count(inner) => {
                let inner_n = self.follow(inner)?;
                if is_set(inner_n) {
                    return self.count_slot(inner_n);
                }
                Node::Count(b(self.scalar(inner_n)?))
            }
            Node::Agg(kind, set, expr, loc) => return self.agg_slot(*kind, set, expr, loc),
            Node::GroupAgg(kind, set, c, expr, loc) => {
                return self.group_agg(*kind, set, *c, expr, loc)
            }
            Node::Share(part, whole, loc) => return self.share_slot(part, whole, loc),
            Node::Project(set, c) => return self.project_slot(set, *c),
            Node::RecField(rec, c) => return self.field_slot(rec, *c),
            Node::Keys(set) => return self.keys_slot(set),
            Node::Between(k, x, y, loc) => {
                Node::Between(*k, b(self.scalar(x)?), b(self.scalar(y)?), loc.clone())
            }
            Node::Refine(x, y, loc) => {
                Node::Refine(b(self.scalar(x)?), b(self.scalar(y)?), loc.clone())
            }
            Node::Not(x) => Node::Not(b(self.scalar(x)?)),
            Node::And(x, y) => {
                let (x, y) = self.short_circuit(x, y, Tri::False)?;
                Node::And(b(x), b(y))
            }
            Node::Or(x, y) => {
                let (x, y) = self.short_circuit(x, y, Tri::True)?;
                Node::Or(b(x), b(y))
            }
            Node::CmpNum(op, x, y) => Node::CmpNum(*op, b(self.scalar(x)?), b(self.scalar(y)?)),
            Node::CmpDate(op, x, y) => Node::CmpDate(*op, b(self.scalar(x)?), b(self.scalar(y)?)),
            Node::Equal(eq, x, y) => Node::Equal(*eq, b(self.scalar(x)?), b(self.scalar(y)?)),
            Node::Arith(op, x, y, loc) => {
                Node::Arith(*op, b(self.scalar(x)?), b(self.scalar(y)?), loc.clone())
            }
            Node::Neg(x, loc) => Node::Neg(b(self.scalar(x)?), loc.clone()),
            Node::Abs(x, loc) => Node::Abs(b(self.scalar(x)?), loc.clone()),
            Node::SameYear(x, y) => Node::SameYear(b(self.scalar(x)?), b(self.scalar(y)?)),
            Node::In(x, y) => Node::In(b(self.scalar(x)?), b(self.scalar(y)?)),
            Node::Matches(x, re) => Node::Matches(b(self.scalar(x)?), Arc::clone(re)),
            Node::IsUnknown(x, k) => Node::IsUnknown(b(self.scalar(x)?), *k),
            Node::Subset(x, y, e) => Node::Subset(b(self.scalar(x)?), b(self.scalar(y)?), *e),
            Node::List(items) => Node::List(
                items
                    .iter()
                    .map(|i| self.scalar(i))
                    .collect::<Result<_, _>>()?,
            ),
            other => return unsupported(format!("{} in a measure", name_of(other))),
        })
    }

    /// Both sides of a scalar `and` / `or`, whose left side decides it
    /// when its truth is `decides`. The engine evaluates the right side
    /// only when the left does not decide; so does this. Once the left
    /// side's value is known (its aggregates have come back), a left side
    /// that decides leaves the right side out (a placeholder: no
    /// aggregates, no witnesses, no error), and one that does not compiles
    /// it (its errors are the claim's). While the left side waits for its
    /// queries, the right side is compiled too (its aggregates go in the
    /// same queries), an evaluation error in it waiting with the left side:
    /// the claim is compiled again once the queries have run.
    fn short_circuit(&mut self, x: &Node, y: &Node, decides: Tri) -> Result<(Node, Node), Stop> {
        let before = self.slots.len();
        let left = self.scalar(x)?;
        let placeholder = || Node::Const(Value::Bool(Tri::Unknown));
        if self.slots.len() > before {
            return match self.scalar(y) {
                Err(Stop::Eval(_)) => Ok((left, placeholder())),
                other => Ok((left, other?)),
            };
        }
        let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
        match ctx.eval(&left, None).map_err(Stop::Eval)? {
            Value::Bool(t) if t == decides => Ok((left, placeholder())),
            _ => {
                let right = self.scalar(y)?;
                Ok((left, right))
            }
        }
    }

    /// The value of a record-independent expression, when every slot it
    /// needs is known (`None` while some are not).
    fn local_value(&mut self, node: &Node) -> Result<Option<Value>, Stop> {
        let before = self.slots.len();
        let detail = self.detail.clone();
        let tree = self.scalar(node)?;
        self.detail = detail;
        if self.slots.len() > before {
            return Ok(None);
        }
        let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
        match ctx.eval(&tree, None) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(Stop::Eval(e)),
        }
    }

    /// A set of records as SQL conditions.
    fn set(&mut self, node: &Node) -> Result<SetSql, Stop> {
        self.nested(|c| c.set_inner(node))
    }

    fn set_inner(&mut self, node: &Node) -> Result<SetSql, Stop> {
        let n = self.follow(node)?;
        match n {
            Node::TableAll(t) => {
                check_table(self.ev, *t).map_err(Stop::Unsupported)?;
                Ok(SetSql::whole(*t))
            }
            Node::Group => match &self.group {
                // Within its group's subquery, every row is a possible
                // member; `fc_gcert` (`fc_gcert2` in a group of a group)
                // says which are certain.
                Some(g) => Ok(SetSql {
                    table: g.table,
                    certain: g.names().0.into(),
                    possible: "TRUE".into(),
                    considered: "FALSE".into(),
                    columns: g.columns.clone(),
                    ready: g.ready,
                    grouped: true,
                }),
                None => unsupported("`group` outside an aggregate over groups"),
            },
            Node::Where(inner, pred, _) => {
                let mut s = self.set(inner)?;
                let saved = (
                    self.failing.replace(Vec::new()),
                    std::mem::take(&mut self.need),
                );
                let out = self.cond(pred, s.table, &mut s.columns);
                let failing = std::mem::replace(&mut self.failing, saved.0).unwrap_or_default();
                self.need = saved.1;
                let (c, ready) = out?;
                if !failing.is_empty() && !self.fails_for_no_member(&s, &failing)? {
                    s.ready = false;
                }
                s.certain = and(&s.certain, &c.certain);
                s.possible = and(&s.possible, &c.possible);
                if s.considered != "FALSE" {
                    s.considered = and(&s.considered, &c.possible);
                }
                s.ready &= ready;
                Ok(s)
            }
            Node::At(inner, date) => {
                let mut s = self.set(inner)?;
                let Some(table) = self.ev.tables.get(s.table) else {
                    return unsupported("`at` over an unknown table");
                };
                let Some((from, to)) = table.temporal else {
                    return unsupported("`at` over a table that is not temporal");
                };
                let Some(d) = self.local_value(date)? else {
                    s.ready = false;
                    return Ok(s);
                };
                let Value::Date(d) = d else {
                    return unsupported("`at` with something other than a date");
                };
                self.need_column(s.table, from, ColType::Date)?;
                self.need_column(s.table, to, ColType::Date)?;
                s.columns.insert(from);
                s.columns.insert(to);
                let (dlo, dhi) = days_of(&d);
                let (fl, fh, tl, th) = (
                    col(from, "lo"),
                    col(from, "hi"),
                    col(to, "lo"),
                    col(to, "hi"),
                );
                let (c, never) = if table.end_inclusive {
                    (
                        format!("({fh} <= {dlo} AND {dhi} <= {tl})"),
                        format!("({fl} > {dhi} OR {dlo} > {th})"),
                    )
                } else {
                    (
                        format!("({fh} <= {dlo} AND {dhi} < {tl})"),
                        format!("({fl} > {dhi} OR {dlo} >= {th})"),
                    )
                };
                // Possible members that had ended on D are witnesses.
                let ended = and(&s.possible, &format!("({dlo} >= {th})"));
                s.considered = if s.considered == "FALSE" {
                    ended
                } else {
                    format!("({} OR {ended})", s.considered)
                };
                s.certain = and(&s.certain, &format!("({c} AND NOT {never})"));
                s.possible = and(&s.possible, &format!("(NOT {never})"));
                Ok(s)
            }
            other => unsupported(format!("{} as a set of records", name_of(other))),
        }
    }

    fn need_column(&self, table: TableId, c: usize, want: ColType) -> Result<(), Stop> {
        let ty = self
            .ev
            .tables
            .get(table)
            .and_then(|t| t.columns.get(c))
            .map(|c| c.ty);
        match ty {
            Some(t) if t == want => Ok(()),
            _ => unsupported("a column of another type than expected"),
        }
    }

    fn column_type(&self, table: TableId, c: usize) -> Result<(ColType, Unit), Stop> {
        let Some(t) = self.ev.tables.get(table) else {
            return unsupported("an unknown table");
        };
        let Some(column) = t.columns.get(c) else {
            return unsupported("an unknown column");
        };
        // Every type is read (see [`typed_sql`]).
        Ok((column.ty, column.unit))
    }

    /// A condition over the records of `table` as SQL; whether every value
    /// it needs is known. One the SQL does not write is computed here per
    /// distinct combination of the cells it reads ([`Compiler::tuples_cond`]).
    fn cond(
        &mut self,
        node: &Node,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        let before = self.slots.len();
        let failing_before = self.failing.as_ref().map(Vec::len);
        match self.nested(|c| c.cond_inner(node, table, cols)) {
            Err(Stop::Unsupported(u)) => {
                self.slots.truncate(before);
                if let (Some(f), Some(n)) = (&mut self.failing, failing_before) {
                    f.truncate(n);
                }
                match self.nested(|c| c.tuples_cond(node, table, cols)) {
                    Err(Stop::Unsupported(_)) => Err(Stop::Unsupported(u)),
                    other => other,
                }
            }
            other => other,
        }
    }

    /// The columns of the record in scope an expression reads (through
    /// definitions; not those of the sets it aggregates or filters).
    fn record_columns(&self, node: &Node, out: &mut BTreeSet<usize>) -> Result<(), Stop> {
        let mut stack = vec![node];
        let mut seen = 0usize;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > 100_000 {
                return unsupported("an expression too large to compute per record");
            }
            match self.follow(x)? {
                Node::Column(c) => {
                    out.insert(*c);
                }
                Node::Group => return unsupported("`group` in a condition"),
                Node::Where(s, ..) | Node::Agg(_, s, ..) | Node::GroupAgg(_, s, ..) => {
                    stack.push(s)
                }
                Node::Project(s, _) | Node::Count(s) | Node::Keys(s) => stack.push(s),
                other => stack.extend(other.children()),
            }
        }
        Ok(())
    }

    /// Whether no record the engine judges a `where` condition for (the
    /// possible members of `s`, then the records it considered) has a
    /// combination of cells for which a part of it fails, where the
    /// engine evaluates that part (`failing`): `Ok(false)` while that is
    /// not known (a slot of its own), the engine's error when one does.
    /// Refused when more than one part fails, or the failing combinations
    /// fail in different ways (which record comes first would decide the
    /// error), or within a group.
    fn fails_for_no_member(&mut self, s: &SetSql, failing: &[FailingPart]) -> Result<bool, Stop> {
        let [part] = failing else {
            return unsupported(
                "a condition with more than one part computed per record that fails for some records of the table",
            );
        };
        let Some((_, first)) = part.failing.first() else {
            return Ok(true);
        };
        let same = |e: &EvalError| {
            e.code == first.code && e.message == first.message && e.loc == first.loc
        };
        if !part.failing.iter().all(|(_, e)| same(e)) {
            return unsupported(
                "a condition computed per record that fails in different ways for different records of the table",
            );
        }
        if s.grouped {
            return unsupported(
                "a condition computed per record that fails for some records of a group",
            );
        }
        let items: Vec<&str> = part.failing.iter().map(|(t, _)| t.as_str()).collect();
        let fails = format!(
            "({} AND {} IN ({}))",
            part.need,
            part.tuple,
            items.join(", ")
        );
        let judged = if s.considered == "FALSE" {
            s.possible.clone()
        } else {
            format!("({} OR {})", s.possible, s.considered)
        };
        let saved = std::mem::take(&mut self.conds);
        let sql = format!("named_struct('n', count_if({judged} AND {fails}))");
        let got = self.slot(s, sql, &[]).cloned();
        self.conds = saved;
        let Some(v) = got else {
            return Ok(false);
        };
        if field_u64(&v, "n")? > 0 {
            return Err(Stop::Eval(first.clone()));
        }
        Ok(true)
    }

    /// A condition the SQL does not write (arithmetic per record, a
    /// comparison of a quantity, …): its truth depends only on the cells
    /// of the record it reads, so the distinct combinations of those
    /// cells in the table come back (at most [`MAX_FETCHED`]; a slot of
    /// their own), each is judged here by the engine's own evaluation of
    /// the condition, and the condition is membership of the record's
    /// combination in those judged true (certainly) or not false
    /// (possibly); a record with a cell it reads that orderings link is
    /// judged alone, with the links ([`Compiler::linked_exceptions`]).
    /// Refused when the condition fails for some combination (the engine
    /// fails only for the records it reads).
    fn tuples_cond(
        &mut self,
        node: &Node,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        let mut read = BTreeSet::new();
        self.record_columns(node, &mut read)?;
        if read.is_empty() {
            return unsupported("a condition that reads no column");
        }
        let mut columns = Vec::new();
        for c in &read {
            let (ty, unit) = self.column_type(table, *c)?;
            columns.push((*c, ty, unit));
        }
        // Records whose cells orderings link are judged one by one (the
        // engine uses each record's links), by key.
        let Some(linked) = self.linked_exceptions(node, table, &read)? else {
            return Ok((tri_cond(Tri::Unknown), false));
        };
        let key_column = if linked.is_empty() {
            None
        } else {
            Some(self.key_column(table)?)
        };
        // Checked before anything is fetched: the condition with no cells
        // known is followed through (its record-independent parts too).
        if self.per_record(node, &HashMap::new())?.is_none() {
            return Ok((tri_cond(Tri::Unknown), false));
        }
        let fields: Vec<String> = columns
            .iter()
            .map(|(c, ty, _)| format!("'x{c}', {}", cell_sql(*ty, *c)))
            .collect();
        let tuple = format!("to_json(named_struct({}))", fields.join(", "));
        let all = SetSql::whole(table);
        let saved = std::mem::take(&mut self.conds);
        let sql = format!(
            "named_struct('n', size(collect_set({tuple})), 'tuples', CASE WHEN size(collect_set({tuple})) <= {MAX_FETCHED} THEN collect_set({tuple}) END)"
        );
        let extra: Vec<usize> = read.iter().copied().collect();
        let got = self.slot(&all, sql, &extra).cloned();
        self.conds = saved;
        let Some(v) = got else {
            return Ok((tri_cond(Tri::Unknown), false));
        };
        let n = field_u64(&v, "n")?;
        if n > MAX_FETCHED {
            return unsupported(format!(
                "a condition the SQL does not compute, over {n} distinct combinations of the cells it reads (computed here for at most {MAX_FETCHED})"
            ));
        }
        let inline = self.ev.tables.get(table).is_some_and(|t| {
            t.spark.is_none() && t.records.file.filter(|f| *f != t.file).is_none()
        });
        let (mut yes, mut maybe) = (Vec::new(), Vec::new());
        let mut failing = Vec::new();
        let mut tuples: Vec<&str> = Vec::new();
        if let Some(Json::Array(a)) = v.get("tuples") {
            for t in a {
                let Json::String(t) = t else {
                    return unsupported(
                        "a combination of cells the server returned in another shape",
                    );
                };
                tuples.push(t);
            }
        }
        tuples.sort_unstable();
        for t in tuples {
            let Ok(cells) = serde_json::from_str::<Json>(t) else {
                return unsupported("a combination of cells the server returned in another shape");
            };
            let mut values = HashMap::new();
            for (c, ty, unit) in &columns {
                let value = cell_from_json(*ty, *unit, cells.get(format!("x{c}")), inline)?;
                values.insert(*c, Node::Const(value));
            }
            let Some(tree) = self.per_record(node, &values)? else {
                return Ok((tri_cond(Tri::Unknown), false));
            };
            let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
            match ctx.eval(&tree, None) {
                Ok(Value::Bool(Tri::True)) => yes.push(text_lit(t)),
                Ok(Value::Bool(Tri::Unknown)) => maybe.push(text_lit(t)),
                Ok(Value::Bool(Tri::False)) => {}
                Ok(_) => return unsupported("a condition that is not true or false"),
                // (Whether a record the engine judges has it is found by
                // the `where`; refused elsewhere.)
                Err(e) if self.failing.is_some() => failing.push((text_lit(t), e)),
                Err(_) => {
                    return unsupported(
                        "a condition computed per record that fails for some record of the table",
                    )
                }
            }
        }
        if !failing.is_empty() {
            if !linked.is_empty() {
                return unsupported(
                    "a condition computed per record that fails for some record of a table whose cells it reads orderings link",
                );
            }
            let need = if self.need.is_empty() {
                "TRUE".to_string()
            } else {
                format!("({})", self.need.join(" AND "))
            };
            if let Some(f) = &mut self.failing {
                f.push(FailingPart {
                    tuple: tuple.clone(),
                    need,
                    failing,
                });
            }
        }
        cols.extend(read.iter().copied());
        let member = |items: &[String]| {
            if items.is_empty() {
                "FALSE".to_string()
            } else {
                format!("{tuple} IN ({})", items.join(", "))
            }
        };
        maybe.extend(yes.iter().cloned());
        maybe.sort();
        let cond = Cond {
            certain: format!("({})", member(&yes)),
            possible: format!("({})", member(&maybe)),
        };
        Ok(match key_column {
            Some(kc) => {
                cols.insert(kc);
                (with_exceptions(cond, kc, &linked), true)
            }
            None => (cond, true),
        })
    }

    fn cond_inner(
        &mut self,
        node: &Node,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        let n = self.follow(node)?;
        if !uses_record(n) {
            return match self.local_value(n)? {
                Some(Value::Bool(t)) => Ok((tri_cond(t), true)),
                Some(_) => unsupported("a condition that is not true or false"),
                None => Ok((tri_cond(Tri::Unknown), false)),
            };
        }
        match n {
            Node::Not(a) => {
                let (c, r) = self.cond(a, table, cols)?;
                Ok((
                    Cond {
                        certain: format!("(NOT {})", c.possible),
                        possible: format!("(NOT {})", c.certain),
                    },
                    r,
                ))
            }
            Node::And(a, b) | Node::Or(a, b) => {
                let (x, r1) = self.cond(a, table, cols)?;
                // The engine evaluates the right side only for records the
                // left does not settle.
                self.need.push(if matches!(n, Node::And(..)) {
                    x.possible.clone()
                } else {
                    format!("(NOT {})", x.certain)
                });
                let y = self.cond(b, table, cols);
                self.need.pop();
                let (y, r2) = y?;
                let cond = if matches!(n, Node::And(..)) {
                    Cond {
                        certain: and(&x.certain, &y.certain),
                        possible: and(&x.possible, &y.possible),
                    }
                } else {
                    Cond {
                        certain: format!("({} OR {})", x.certain, y.certain),
                        possible: format!("({} OR {})", x.possible, y.possible),
                    }
                };
                Ok((cond, r1 && r2))
            }
            Node::CmpNum(op, a, b) => {
                let days = match (self.follow(a)?, self.follow(b)?) {
                    (Node::Between(k, x, y, _), o) if !uses_record(o) => Some((*op, *k, x, y, o)),
                    (o, Node::Between(k, x, y, _)) if !uses_record(o) => {
                        Some((flip(*op), *k, x, y, o))
                    }
                    _ => None,
                };
                if let Some((op, k, x, y, other)) = days {
                    return self.days_cond(op, k, (x, y), other, table, cols);
                }
                if let (Node::Column(x), Node::Column(y)) = (self.follow(a)?, self.follow(b)?) {
                    return self.columns_cmp_num(*op, *x, *y, table, cols);
                }
                let (op, c, other) = match (self.follow(a)?, self.follow(b)?) {
                    (Node::Column(c), o) if !uses_record(o) => (*op, *c, o),
                    (o, Node::Column(c)) if !uses_record(o) => (flip(*op), *c, o),
                    _ => {
                        return unsupported(
                            "a comparison of numbers in a condition other than a column with a value that does not depend on the record",
                        )
                    }
                };
                let (ty, _) = self.column_type(table, c)?;
                if !matches!(ty, ColType::Integer | ColType::Decimal) {
                    return unsupported("a number comparison of a column that is not a number");
                }
                cols.insert(c);
                let Some(v) = self.local_value(other)? else {
                    return Ok((tri_cond(Tri::Unknown), false));
                };
                let Value::Num(iv, _) = v else {
                    return unsupported("a number compared with something else");
                };
                let Some(k) = iv.as_point().and_then(dec_lit) else {
                    return unsupported(
                        "a column compared with a number that is not an exact decimal of at most 16 decimals",
                    );
                };
                let v = col(c, "");
                let o = sql_op(op);
                Ok((
                    Cond {
                        certain: format!("({v} IS NOT NULL AND {v} {o} {k})"),
                        possible: format!("({v} IS NULL OR {v} {o} {k})"),
                    },
                    true,
                ))
            }
            Node::CmpDate(op, a, b) => {
                let written = *op;
                if let (Node::Column(x), Node::Column(y)) = (self.follow(a)?, self.follow(b)?) {
                    return self.columns_cmp_date(*op, *x, *y, table, cols);
                }
                let (op, c, other, flipped) = match (self.follow(a)?, self.follow(b)?) {
                    (Node::Column(c), o) if !uses_record(o) => (*op, *c, o, false),
                    (o, Node::Column(c)) if !uses_record(o) => (flip(*op), *c, o, true),
                    _ => {
                        return unsupported(
                            "a comparison of dates in a condition other than a column with a date that does not depend on the record",
                        )
                    }
                };
                self.column_type(table, c)?;
                self.need_column(table, c, ColType::Date)?;
                cols.insert(c);
                let Some(v) = self.local_value(other)? else {
                    return Ok((tri_cond(Tri::Unknown), false));
                };
                let Value::Date(d) = v else {
                    return unsupported("a date compared with something else");
                };
                let cond = date_cmp(op, c, &d);
                // Records whose cell orderings link to the other cell: each
                // compared as the engine compares it (with the link), the
                // others by their dates.
                if !self.ev.orders.constrains(table, c) {
                    return Ok((cond, true));
                }
                let Some(oc) = self.linked_cell_of(other)? else {
                    return Ok((cond, true));
                };
                let kc = self.key_column(table)?;
                cols.insert(kc);
                let linked = self.linked_truths(table, c, oc, written, flipped)?;
                Ok((with_exceptions(cond, kc, &linked), true))
            }
            Node::Equal(eq, a, b) => {
                let (c, other) = match (self.follow(a)?, self.follow(b)?) {
                    (Node::Column(c), o) if !uses_record(o) => (*c, o),
                    (o, Node::Column(c)) if !uses_record(o) => (*c, o),
                    _ => {
                        return unsupported(
                            "an equality in a condition other than a text column with a text that does not depend on the record",
                        )
                    }
                };
                let (ty, _) = self.column_type(table, c)?;
                if ty != ColType::Text {
                    return unsupported("an equality of a column that is not text");
                }
                cols.insert(c);
                let Some(v) = self.local_value(other)? else {
                    return Ok((tri_cond(Tri::Unknown), false));
                };
                let Value::Text(t) = v else {
                    return unsupported("a text compared with something else");
                };
                let x = col(c, "");
                let cond = match t {
                    Some(t) => {
                        let k = text_lit(&t);
                        Cond {
                            certain: format!("({x} IS NOT NULL AND {x} = {k})"),
                            possible: format!("({x} IS NULL OR {x} = {k})"),
                        }
                    }
                    None => tri_cond(Tri::Unknown),
                };
                Ok((
                    if *eq {
                        cond
                    } else {
                        Cond {
                            certain: format!("(NOT {})", cond.possible),
                            possible: format!("(NOT {})", cond.certain),
                        }
                    },
                    true,
                ))
            }
            Node::In(item, list) => {
                let Node::Column(c) = self.follow(item)? else {
                    return unsupported("`in` with an item other than a column");
                };
                let c = *c;
                if uses_record(self.follow(list)?) {
                    return unsupported("`in` a list that depends on the record");
                }
                let (ty, _) = self.column_type(table, c)?;
                if ty != ColType::Text {
                    return unsupported("`in` of a column that is not text");
                }
                cols.insert(c);
                let Some(v) = self.local_value(list)? else {
                    return Ok((tri_cond(Tri::Unknown), false));
                };
                let Value::List(l) = v else {
                    return unsupported("`in` something other than a list");
                };
                Ok((in_cond(c, &l), true))
            }
            Node::Matches(a, re) => {
                // The column's distinct texts are read first (a slot of
                // their own); the pattern is matched here, with the
                // engine's regular expressions, and the condition is
                // membership in the texts that match.
                let Node::Column(c) = self.follow(a)? else {
                    return unsupported("`matches` of something other than a column");
                };
                let c = *c;
                if self.column_type(table, c)?.0 != ColType::Text {
                    return unsupported("`matches` of a column that is not text");
                }
                cols.insert(c);
                let all = SetSql::whole(table);
                let x = col(c, "");
                let sql = format!(
                    "named_struct('n', size(collect_set({x})), 'texts', CASE WHEN size(collect_set({x})) <= {MAX_FETCHED} THEN collect_set({x}) END)"
                );
                let Some(v) = self.slot(&all, sql, &[c]) else {
                    return Ok((tri_cond(Tri::Unknown), false));
                };
                let n = field_u64(v, "n")?;
                if n > MAX_FETCHED {
                    return unsupported(format!(
                        "`matches` over a column of {n} distinct texts (matched here for at most {MAX_FETCHED})"
                    ));
                }
                let mut hits = Vec::new();
                if let Some(Json::Array(texts)) = v.get("texts") {
                    for t in texts {
                        let Json::String(t) = t else {
                            return unsupported("a text the server returned in another shape");
                        };
                        if re.is_match(t) {
                            hits.push(text_lit(t));
                        }
                    }
                }
                hits.sort();
                let member = if hits.is_empty() {
                    "FALSE".to_string()
                } else {
                    format!("{x} IN ({})", hits.join(", "))
                };
                Ok((
                    Cond {
                        certain: format!("({x} IS NOT NULL AND {member})"),
                        possible: format!("({x} IS NULL OR {member})"),
                    },
                    true,
                ))
            }
            Node::Column(c) => {
                let (ty, _) = self.column_type(table, *c)?;
                if ty != ColType::Boolean {
                    return unsupported("a column that is not true or false as a condition");
                }
                cols.insert(*c);
                let x = col(*c, "");
                Ok((
                    Cond {
                        certain: format!("({x} IS NOT NULL AND {x})"),
                        possible: format!("({x} IS NULL OR {x})"),
                    },
                    true,
                ))
            }
            Node::IsUnknown(a, known) => {
                let Node::Column(c) = self.follow(a)? else {
                    return unsupported("`is known` of something other than a column");
                };
                let c = *c;
                let (ty, _) = self.column_type(table, c)?;
                if matches!(ty, ColType::Quantity(_)) {
                    return unsupported("`is known` of a quantity column");
                }
                cols.insert(c);
                let unknown = match ty {
                    ColType::Date => {
                        format!(
                            "({} = {NO_LO} AND {} = {NO_HI})",
                            col(c, "lo"),
                            col(c, "hi")
                        )
                    }
                    _ => format!("({} IS NULL)", col(c, "")),
                };
                let t = if *known {
                    format!("(NOT {unknown})")
                } else {
                    unknown
                };
                Ok((
                    Cond {
                        certain: t.clone(),
                        possible: t,
                    },
                    true,
                ))
            }
            other => unsupported(format!("{} in a condition", name_of(other))),
        }
    }

    /// `x op y` of two number columns of a record, three-valued as the
    /// engine compares intervals: unknown when a cell is. An integer and a
    /// decimal are compared through the decimal's floor or ceiling (no
    /// wider decimal type that could overflow).
    fn columns_cmp_num(
        &mut self,
        op: CmpOp,
        x: usize,
        y: usize,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        let (tx, ty) = (self.column_type(table, x)?.0, self.column_type(table, y)?.0);
        let number = |t: ColType| matches!(t, ColType::Integer | ColType::Decimal);
        if !number(tx) || !number(ty) {
            return unsupported("a number comparison of two columns that are not both numbers");
        }
        cols.insert(x);
        cols.insert(y);
        // (integer side first?, the comparison with the integer on the left)
        let (i, d, op) = match (tx, ty) {
            (ColType::Integer, ColType::Decimal) => (col(x, ""), col(y, ""), op),
            (ColType::Decimal, ColType::Integer) => (col(y, ""), col(x, ""), flip(op)),
            _ => {
                let (a, b) = (col(x, ""), col(y, ""));
                let o = sql_op(op);
                return Ok((
                    Cond {
                        certain: format!("({a} IS NOT NULL AND {b} IS NOT NULL AND {a} {o} {b})"),
                        possible: format!("({a} IS NULL OR {b} IS NULL OR {a} {o} {b})"),
                    },
                    true,
                ));
            }
        };
        // An integer i and a decimal d: i < d ⇔ i < ceil(d), i <= d ⇔
        // i <= floor(d), i > d ⇔ i > floor(d), i >= d ⇔ i >= ceil(d),
        // i = d ⇔ d is whole and i = d.
        let (fl, ce) = (format!("floor({d})"), format!("ceil({d})"));
        let t = match op {
            CmpOp::Lt => format!("{i} < {ce}"),
            CmpOp::Le => format!("{i} <= {fl}"),
            CmpOp::Gt => format!("{i} > {fl}"),
            CmpOp::Ge => format!("{i} >= {ce}"),
            CmpOp::Eq => format!("({fl} = {d} AND {i} = {fl})"),
            CmpOp::Ne => format!("NOT ({fl} = {d} AND {i} = {fl})"),
        };
        Ok((
            Cond {
                certain: format!("({i} IS NOT NULL AND {d} IS NOT NULL AND {t})"),
                possible: format!("({i} IS NULL OR {d} IS NULL OR {t})"),
            },
            true,
        ))
    }

    /// `x op y` of two date columns of a record, as the engine's
    /// three-valued comparisons of ranges on their day numbers (a record
    /// whose cells orderings link as the engine compares it, with the
    /// links).
    fn columns_cmp_date(
        &mut self,
        op: CmpOp,
        x: usize,
        y: usize,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        for c in [x, y] {
            self.column_type(table, c)?;
            self.need_column(table, c, ColType::Date)?;
        }
        cols.insert(x);
        cols.insert(y);
        let cond = dates_cmp(
            op,
            (&col(x, "lo"), &col(x, "hi")),
            (&col(y, "lo"), &col(y, "hi")),
        );
        // The records whose cells orderings link: as the engine compares
        // them (with the links), by key.
        let node = Node::CmpDate(op, Box::new(Node::Column(x)), Box::new(Node::Column(y)));
        let read = BTreeSet::from([x, y]);
        let Some(linked) = self.linked_exceptions(&node, table, &read)? else {
            return Ok((tri_cond(Tri::Unknown), false));
        };
        if linked.is_empty() {
            return Ok((cond, true));
        }
        let kc = self.key_column(table)?;
        cols.insert(kc);
        Ok((with_exceptions(cond, kc, &linked), true))
    }

    /// The truth of a condition over the records of `table` for each
    /// record with a cell it reads (of `read`) that orderings link, as the
    /// engine evaluates it per record (the links applied): the loaded
    /// record's cells (the query reads the same, narrowed, cells), by key.
    /// `None` while a value it needs is not known.
    fn linked_exceptions(
        &mut self,
        node: &Node,
        table: TableId,
        read: &BTreeSet<usize>,
    ) -> Result<Option<Truths>, Stop> {
        let mut rows: Vec<u32> = self
            .ev
            .orders
            .orders
            .iter()
            .flat_map(|o| [o.earlier, o.later])
            .filter(|x| x.table == table && read.contains(&x.column))
            .map(|x| x.row)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let values: HashMap<usize, Node> = read
                .iter()
                .map(|c| {
                    let rec = Node::Const(Value::Record(table, row));
                    (*c, Node::RecField(Box::new(rec), *c))
                })
                .collect();
            let Some(tree) = self.per_record(node, &values)? else {
                return Ok(None);
            };
            let key = match self.ev.tables.get(table) {
                Some(t) => t.key_of(row),
                None => return unsupported("an unknown table"),
            };
            let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
            let judged = ctx.eval(&tree, Some((table, row)));
            self.order_sources
                .extend(ctx.witnesses.cited_directly().iter().copied());
            match judged {
                Ok(Value::Bool(t)) => out.push((key, t)),
                Ok(_) => return unsupported("a condition that is not true or false"),
                Err(_) => {
                    return unsupported(
                        "a condition computed per record that fails for a record whose cells orderings link",
                    )
                }
            }
        }
        Ok(Some(out))
    }

    /// Register a slot; its value when known.
    fn slot(&mut self, s: &SetSql, sql: String, extra: &[usize]) -> Option<&SlotValue> {
        let slot = self.make_slot(s, sql, extra);
        let key = slot.key();
        if s.grouped {
            if let Some(v) = self.known.get(&key).filter(|_| s.ready) {
                let current = self.group.as_ref()?.position()?;
                let index = self
                    .group_index
                    .entry(key)
                    .or_insert_with(|| group_positions(v));
                let found = index
                    .get(&current)
                    .and_then(|i| v.get("groups")?.get(*i)?.get("v"));
                if found.is_none() {
                    if let Some(g) = &mut self.group {
                        g.missing = true;
                    }
                }
                return found;
            }
            self.slots.push(slot);
            return None;
        }
        if s.ready {
            if let Some(v) = self.known.get(&key) {
                return Some(v);
            }
        }
        self.slots.push(slot);
        None
    }

    /// The slot of an aggregate `sql` over the set `s` (with the
    /// conditions of the slot being built; per group when `s` is the
    /// group in scope), reading the cells of the variant being compiled.
    fn make_slot(&mut self, s: &SetSql, sql: String, extra: &[usize]) -> Slot {
        let mut columns = s.columns.clone();
        columns.extend(extra.iter().copied());
        let mut conds = std::mem::take(&mut self.conds);
        let mut sql = sql;
        let group = if s.grouped { self.group.clone() } else { None };
        if let Some(g) = &group {
            // The conditions written out (the subquery cannot read the
            // query's computed ones), then the aggregate per group.
            for (k, c) in conds.iter().enumerate().rev() {
                sql = sql.replace(&format!("#{k}#"), &format!("({c})"));
            }
            conds.clear();
            sql = self.grouped_sql(g, &sql);
            columns.insert(g.column);
            if let Some(o) = &g.outer {
                columns.insert(o.column);
                columns.extend(o.columns.iter().copied());
            }
        }
        if let Some(cells) = self.overrides.get(&s.table).filter(|c| !c.is_empty()) {
            let key = self.ev.tables.get(s.table).and_then(|t| t.key);
            if let Some(kc) = key {
                columns.insert(kc);
                sql = override_dates(&sql, kc, cells);
                for c in &mut conds {
                    *c = override_dates(c, kc, cells);
                }
            }
        }
        Slot {
            table: s.table,
            sql,
            ready: s.ready,
            columns,
            conds,
        }
    }

    /// A slot's aggregate `inner` computed per group of the aggregate over
    /// groups `g`: a scalar subquery over the possible members of the set
    /// grouped, grouped by the column, each member certain in its group
    /// when certain in the set, or when its group has no certain member
    /// and no other member (the engine's `grouped`). Its value: how many
    /// groups, and (at most [`MAX_FETCHED`]) each group's key (its text;
    /// none when unknown), whether it certainly exists and `inner`. (Under
    /// an aggregate of the query's rows, so that a query of grouped slots
    /// only is still one row.)
    fn grouped_sql(&self, g: &GroupCtx, inner: &str) -> String {
        let rows = self.grouped_rows(g);
        let (keys, partition) = match &g.outer {
            Some(_) => (
                "'g', CAST(fc_g AS STRING), 'g2', CAST(fc_g2 AS STRING), 'm', bool_or(fc_c2)",
                "fc_g, fc_g2",
            ),
            None => ("'g', CAST(fc_g AS STRING), 'm', bool_or(fc_c)", "fc_g"),
        };
        format!(
            "CASE WHEN count(*) >= 0 THEN (SELECT named_struct('n', count(*), 'groups', CASE WHEN count(*) <= {MAX_FETCHED} THEN collect_list(fc_r) END) \
             FROM (SELECT named_struct({keys}, 'v', {inner}) AS fc_r \
             FROM {rows} GROUP BY {partition}) AS fc_e) END"
        )
    }

    /// The rows of the set grouped by `g`, each with its group's key
    /// (`fc_g`), whether it is certain in the set (`fc_c`) and in its
    /// group (`fc_gcert`); in a group of a group, the rows of the outer
    /// group's rows in the inner set, with the inner group's (`fc_g2`,
    /// `fc_c2`, `fc_gcert2`).
    fn grouped_rows(&self, g: &GroupCtx) -> String {
        let key = col(g.column, "");
        let (c, p) = (&g.certain, &g.possible);
        match &g.outer {
            None => {
                let typed = ident(&typed_name(self.ev, g.table));
                format!(
                    "(SELECT *, (fc_c OR (fc_nc = 0 AND fc_np = 1)) AS fc_gcert \
                     FROM (SELECT *, count_if(fc_c) OVER (PARTITION BY fc_g) AS fc_nc, count(*) OVER (PARTITION BY fc_g) AS fc_np \
                     FROM (SELECT *, {key} AS fc_g, {c} AS fc_c FROM {typed} WHERE {p}) AS fc_a) AS fc_b) AS fc_d"
                )
            }
            Some(o) => {
                let outer = self.grouped_rows(o);
                format!(
                    "(SELECT *, (fc_c2 OR (fc_nc2 = 0 AND fc_np2 = 1)) AS fc_gcert2 \
                     FROM (SELECT *, count_if(fc_c2) OVER (PARTITION BY fc_g, fc_g2) AS fc_nc2, count(*) OVER (PARTITION BY fc_g, fc_g2) AS fc_np2 \
                     FROM (SELECT *, {key} AS fc_g2, {c} AS fc_c2 FROM {outer} WHERE {p}) AS fc_a2) AS fc_b2) AS fc_d2"
                )
            }
        }
    }

    /// An aggregate over the groups of a set by a column
    /// (`mean(groups(S, c), sum(group, x))`), as the engine's
    /// `eval_group_agg`: the groups and each slot of the expression per
    /// group come back from the server (grouped subqueries of the set's
    /// table query); each group's value is then the expression evaluated
    /// with its group's slot values, and the groups' values are combined
    /// by the engine's own `group::combine`.
    fn group_agg(
        &mut self,
        kind: AggKind,
        set: &Node,
        column: usize,
        expr: &Node,
        loc: &Loc,
    ) -> Result<Node, Stop> {
        let s = self.set(set)?;
        // Groups of a group (`groups(group, c)` inside an aggregate over
        // groups): per group of the outer, grouped again, one level deep.
        let outer = match &self.group {
            None => None,
            Some(g) if s.grouped && g.outer.is_none() => Some(Box::new(g.clone())),
            Some(_) if s.grouped => return unsupported("groups of a group of a group"),
            Some(_) => return unsupported("an aggregate over groups inside another"),
        };
        let (ty, _) = self.column_type(s.table, column)?;
        if !matches!(ty, ColType::Text | ColType::Integer | ColType::Decimal) {
            return unsupported("groups by a column that is not text or a number");
        }
        let mut columns = s.columns.clone();
        if let Some(o) = &outer {
            columns.extend(o.columns.iter().copied());
            columns.insert(o.column);
        }
        let saved = self.group.take();
        self.group = Some(GroupCtx {
            table: s.table,
            column,
            certain: s.certain.clone(),
            possible: s.possible.clone(),
            columns,
            ready: s.ready,
            current: None,
            missing: false,
            outer,
        });
        let out = self.group_agg_inner(kind, ty, expr, loc);
        self.group = saved;
        self.witness(&s);
        out
    }

    fn group_agg_inner(
        &mut self,
        kind: AggKind,
        ty: ColType,
        expr: &Node,
        loc: &Loc,
    ) -> Result<Node, Stop> {
        let Some(g) = self.group.clone() else {
            return unsupported("an aggregate over groups");
        };
        let before = self.slots.len();
        let detail = self.detail.clone();
        // The groups themselves (a slot of their own: the expression may
        // read no group, as `count(groups(S, c))` does).
        let (cert, gkey) = g.names();
        let groups_slot = SetSql {
            table: g.table,
            certain: cert.into(),
            possible: "TRUE".into(),
            considered: "FALSE".into(),
            columns: g.columns.clone(),
            ready: g.ready,
            grouped: true,
        };
        self.conds.clear();
        // With the keys of the members whose group is unknown (the
        // engine's error names the first).
        let key_column = self.key_column(g.table).ok();
        let (inner, extra) = match key_column {
            Some(kc) => (
                format!(
                    "CASE WHEN {gkey} IS NULL AND count(*) <= {MAX_FETCHED} THEN collect_list({}) END",
                    col(kc, "")
                ),
                vec![kc],
            ),
            None => ("TRUE".to_string(), Vec::new()),
        };
        let listing = self.make_slot(&groups_slot, inner, &extra);
        let known = self.known.get(&listing.key()).filter(|_| listing.ready);
        if known.is_none() {
            self.slots.push(listing);
        }
        // The expression's slots, registered (no group's value is read).
        self.scalar(expr)?;
        self.detail = detail.clone();
        // (A group of a group's values are read once its outer group is
        // the current one.)
        let outer_current = match &g.outer {
            Some(o) => match &o.current {
                Some(c) => Some(c.clone()),
                None => return Ok(placeholder()),
            },
            None => None,
        };
        let Some(v) = known.filter(|_| self.slots.len() == before) else {
            return Ok(placeholder());
        };
        let n = field_u64(v, "n")?;
        if n > MAX_FETCHED {
            return unsupported(format!(
                "an aggregate over {n} groups (computed here for at most {MAX_FETCHED})"
            ));
        }
        // (the engine's key of the group, its key as the server writes it,
        // whether it certainly exists), in the engine's order of keys.
        let mut groups: BTreeMap<String, (String, Tri)> = BTreeMap::new();
        if let Some(Json::Array(a)) = v.get("groups") {
            for it in a {
                // In a group of a group: the groups of the outer's current
                // group, by their own key.
                let it_key = match &outer_current {
                    Some(oc) => {
                        if it.get("g").and_then(Json::as_str) != Some(oc.as_str()) {
                            continue;
                        }
                        it.get("g2")
                    }
                    None => it.get("g"),
                };
                let Some(Json::String(raw)) = it_key else {
                    return Err(self.unknown_group(g.table, g.column, it.get("v"), loc)?);
                };
                let m = match it.get("m") {
                    Some(Json::Bool(true)) => Tri::True,
                    _ => Tri::Unknown,
                };
                let engine_key = if ty == ColType::Text {
                    raw.clone()
                } else {
                    Rational::parse_decimal(raw)
                        .map_err(|_| bad_result("g"))?
                        .0
                        .to_string()
                };
                groups.insert(engine_key, (raw.clone(), m));
            }
        }
        let mut values = Vec::with_capacity(groups.len());
        for (raw, m) in groups.into_values() {
            if let Some(g) = &mut self.group {
                g.current = Some(raw);
            }
            let tree = self.scalar(expr)?;
            self.detail = detail.clone();
            if self.group.as_ref().is_some_and(|g| g.missing) {
                return unsupported("an aggregate over groups whose slots list other groups");
            }
            if self.slots.len() > before {
                return Ok(placeholder());
            }
            let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
            let value = match ctx.eval_any(&tree, None) {
                Ok(Value::NoRecords(Some(v), _)) if m == Tri::Unknown => *v,
                Ok(Value::NoRecords(v, at)) => {
                    return Err(Stop::Eval(super::no_value(v.is_none(), at)))
                }
                Ok(v) => v,
                Err(e) => return Err(Stop::Eval(e)),
            };
            values.push((value, m));
        }
        super::group::combine(kind, &values, loc)
            .map(Node::Const)
            .map_err(Stop::Eval)
    }

    /// The engine's error for a possible member whose group is unknown,
    /// naming the first such record in the table's order (`keys`: their
    /// keys, as the groups' slot returns them); refused when they did not
    /// come back.
    fn unknown_group(
        &self,
        table: TableId,
        column: usize,
        keys: Option<&Json>,
        loc: &Loc,
    ) -> Result<Stop, Stop> {
        let t = self.ev.tables.get(table);
        let mut found: Vec<(Option<u32>, &str)> = Vec::new();
        if let Some(Json::Array(a)) = keys {
            for k in a {
                if let Json::String(k) = k {
                    found.push((t.and_then(|t| t.row_of_key(k)), k));
                }
            }
        }
        // Records the client has not loaded come after those it has.
        found.sort_by(|a, b| (a.0.is_none(), a.0, a.1).cmp(&(b.0.is_none(), b.0, b.1)));
        let Some((_, key)) = found.first() else {
            return unsupported(
                "groups by a column with an unknown cell among the possible members, in a table without a key or with more than 10,000 such members",
            );
        };
        let name = t
            .and_then(|t| t.columns.get(column))
            .map_or("?", |c| c.name.as_str());
        Ok(Stop::Eval(EvalError {
            code: "eval/unknown-group",
            message: format!("record `{key}` has no known `{name}`, so its group is unknown"),
            loc: Some(loc.clone()),
        }))
    }

    /// Record the members of `s` (and the records it considered) as
    /// witnesses of the measure, as the engine's `witness_set`.
    fn witness(&mut self, s: &SetSql) {
        // A group's records are records of the set grouped, which the
        // aggregate over groups records whole (as the engine does); the
        // group's own conditions are not those of the set.
        if s.grouped {
            return;
        }
        let cond = if s.considered == "FALSE" {
            s.possible.clone()
        } else {
            format!("({} OR {})", s.possible, s.considered)
        };
        self.witness_cond(s.table, cond);
    }

    /// Record the records of `table` that satisfy `cond` as witnesses
    /// (read in the variant's cells, as the slots are).
    fn witness_cond(&mut self, table: TableId, cond: String) {
        let mut cond = cond;
        if let Some(cells) = self.overrides.get(&table).filter(|c| !c.is_empty()) {
            if let Some(kc) = self.ev.tables.get(table).and_then(|t| t.key) {
                cond = override_dates(&cond, kc, cells);
            }
        }
        self.witnessed.entry(table).or_default().insert(cond);
    }

    /// A condition of the slot being built, by reference (`#k#`).
    fn r(&mut self, e: &str) -> String {
        let k = match self.conds.iter().position(|c| c == e) {
            Some(k) => k,
            None => {
                self.conds.push(e.to_string());
                self.conds.len() - 1
            }
        };
        format!("#{k}#")
    }

    fn count_slot(&mut self, set: &Node) -> Result<Node, Stop> {
        let s = self.set(set)?;
        self.witness(&s);
        self.conds.clear();
        let sql = format!(
            "named_struct('c', count_if({}), 'p', count_if({}))",
            self.r(&s.certain),
            self.r(&s.possible)
        );
        let Some(v) = self.slot(&s, sql, &[]) else {
            return Ok(placeholder());
        };
        let (c, p) = (field_u64(v, "c")?, field_u64(v, "p")?);
        Ok(Node::Const(Value::Num(
            count_interval(c as usize, p as usize),
            Unit::None,
        )))
    }

    fn project_slot(&mut self, set: &Node, c: usize) -> Result<Node, Stop> {
        let s = self.set(set)?;
        self.witness(&s);
        let (ty, _) = self.column_type(s.table, c)?;
        if ty != ColType::Text {
            return unsupported("the values of a column that is not text");
        }
        let x = col(c, "");
        self.conds.clear();
        let sql = format!(
            "named_struct('items', collect_list(CASE WHEN {p} AND {x} IS NOT NULL THEN named_struct('v', {x}, 'c', {cc}) END), 'open', count_if({p} AND {x} IS NULL))",
            p = self.r(&s.possible),
            cc = self.r(&s.certain)
        );
        let Some(v) = self.slot(&s, sql, &[c]) else {
            return Ok(placeholder());
        };
        let open = field_u64(v, "open")? > 0;
        let mut items = text_items(v, "a list item the server returned in another shape")?;
        items.sort_by(|a, b| a.0.cmp(&b.0).then(tri_rank(a.1).cmp(&tri_rank(b.1))));
        Ok(Node::Const(Value::List(Arc::new(ListVal::new(
            items, open,
        )))))
    }

    /// The text key column of a set's table (lookups and `keys` read it).
    fn key_column(&self, table: TableId) -> Result<usize, Stop> {
        let Some(kc) = self.ev.tables.get(table).and_then(|t| t.key) else {
            return unsupported("a lookup or `keys` in a table without a key");
        };
        if self.column_type(table, kc)?.0 != ColType::Text {
            return unsupported("a lookup or `keys` in a table whose key is not text");
        }
        Ok(kc)
    }

    /// A cell of the record with a key (`T["key"].column`): one slot that
    /// counts the possible members with that key and returns the cell of
    /// the one found, read back as the engine reads the column.
    fn field_slot(&mut self, rec: &Node, c: usize) -> Result<Node, Stop> {
        let Node::Lookup(set, key, loc) = self.follow(rec)? else {
            return unsupported(
                "a field of a record other than one found by key (`T[\"key\"].column`)",
            );
        };
        let mut s = self.set(set)?;
        let table = s.table;
        let kc = self.key_column(table)?;
        let (ty, unit) = self.column_type(table, c)?;
        let key_text: Arc<str> = match self.local_value(key)? {
            None => {
                s.ready = false;
                Arc::from("")
            }
            Some(Value::Text(Some(t))) => t,
            Some(Value::Num(iv, _)) => Arc::from(iv.to_string().as_str()),
            Some(_) => {
                return Err(Stop::Eval(EvalError {
                    code: "eval/unknown-key",
                    message: "the lookup key is unknown".into(),
                    loc: Some(loc.clone()),
                }))
            }
        };
        let kx = col(kc, "");
        let found = and(
            &s.possible,
            &format!("({kx} IS NOT NULL AND {kx} = {})", text_lit(&key_text)),
        );
        self.witness_cond(table, found.clone());
        self.conds.clear();
        let m = self.r(&found);
        let sql = format!(
            "named_struct('n', count_if({m}), 'v', first(CASE WHEN {m} THEN named_struct('x', {}) END, true))",
            cell_sql(ty, c)
        );
        let inline = self.ev.tables.get(table).is_some_and(|t| {
            t.spark.is_none() && t.records.file.filter(|f| *f != t.file).is_none()
        });
        let Some(v) = self.slot(&s, sql, &[kc, c]) else {
            return Ok(placeholder());
        };
        match field_u64(v, "n")? {
            0 => {
                let (name, keys) = self
                    .ev
                    .tables
                    .get(table)
                    .map_or(("?".to_string(), Vec::new()), |t| {
                        (t.name.clone(), t.keys())
                    });
                let mut msg = format!("no record with key `{key_text}` in `{name}`");
                if let Some(sug) = crate::diag::suggest(&key_text, keys.iter().map(|k| &**k)) {
                    msg.push_str(&format!(" (did you mean `{sug}`?)"));
                }
                Err(Stop::Eval(EvalError {
                    code: "eval/no-such-record",
                    message: msg,
                    loc: Some(loc.clone()),
                }))
            }
            1 => {
                let cell = v.get("v").and_then(|x| x.get("x"));
                let value = cell_from_json(ty, unit, cell, inline)?;
                // A cell that orderings link to others stays a cell of the
                // record (the same value, narrowed alike, since the query
                // reads the narrowed cells): a comparison or difference
                // with a linked cell then uses the link, as the engine's.
                if let Some(cell) = self.linked_cell(table, &key_text, c) {
                    let loaded = self
                        .ev
                        .tables
                        .get(table)
                        .and_then(|t| t.columns.get(c))
                        .and_then(|col| col.get(cell.row))
                        .map(|x| super::cell_value(&x, ty, unit));
                    if loaded.as_ref() != Some(&value) {
                        return unsupported(format!(
                            "the cell `{key_text}`.{} linked by orderings, whose value on the server differs from the table's",
                            self.ev.tables.get(table).and_then(|t| t.columns.get(c)).map_or("?", |c| c.name.as_str())
                        ));
                    }
                    return Ok(Node::RecField(
                        Box::new(Node::Const(Value::Record(table, cell.row))),
                        c,
                    ));
                }
                Ok(Node::Const(value))
            }
            n => unsupported(format!(
                "a lookup of the key `{key_text}`, which {n} records have (a key must be unique)"
            )),
        }
    }

    /// The cell of the record with key `key` in column `c`, when orderings
    /// link it to other cells (the records are then loaded: orderings are
    /// resolved over them).
    fn linked_cell(&self, table: TableId, key: &str, c: usize) -> Option<CellRef> {
        if self.ev.orders.is_empty() {
            return None;
        }
        let row = self.ev.tables.get(table)?.row_of_key(key)?;
        let cell = CellRef {
            table,
            row,
            column: c,
        };
        (!self.ev.orders.linked_tables(cell).is_empty()).then_some(cell)
    }

    /// The linked cell an expression that does not read the record is
    /// (`T["key"].column`, through definitions), if any.
    fn linked_cell_of(&mut self, node: &Node) -> Result<Option<CellRef>, Stop> {
        if self.ev.orders.is_empty() {
            return Ok(None);
        }
        let Node::RecField(rec, c) = self.follow(node)? else {
            return Ok(None);
        };
        let Node::Lookup(set, key, _) = self.follow(rec)? else {
            return Ok(None);
        };
        let Node::TableAll(t) = self.follow(set)? else {
            return Ok(None);
        };
        Ok(match self.local_value(key)? {
            Some(Value::Text(Some(k))) => self.linked_cell(*t, &k, *c),
            _ => None,
        })
    }

    /// `days_between(x, y) op k` over the records of `table`, one of `x`,
    /// `y` a date column and the other a date that does not depend on the
    /// record: the engine's interval of days (`days_between_ranges`) from
    /// the cell's day numbers, compared three-valued with `k`.
    fn days_cond(
        &mut self,
        op: CmpOp,
        kind: Between,
        (x, y): (&Node, &Node),
        other: &Node,
        table: TableId,
        cols: &mut BTreeSet<usize>,
    ) -> Result<(Cond, bool), Stop> {
        if kind != Between::Days {
            return unsupported("a comparison of years or months between dates in a condition");
        }
        let (c, date, column_first) = match (self.follow(x)?, self.follow(y)?) {
            (Node::Column(c), o) if !uses_record(o) => (*c, o, true),
            (o, Node::Column(c)) if !uses_record(o) => (*c, o, false),
            _ => {
                return unsupported(
                    "a difference of dates in a condition other than between a date column and a date that does not depend on the record",
                )
            }
        };
        self.column_type(table, c)?;
        self.need_column(table, c, ColType::Date)?;
        if self.ev.orders.constrains(table, c) && self.linked_cell_of(date)?.is_some() {
            return unsupported(
                "a difference between a date column and a date that orderings link to some of its cells",
            );
        }
        cols.insert(c);
        let (Some(d), Some(k)) = (self.local_value(date)?, self.local_value(other)?) else {
            return Ok((tri_cond(Tri::Unknown), false));
        };
        let (Value::Date(d), Value::Num(k, _)) = (d, k) else {
            return unsupported(
                "a difference of dates compared with something other than a number",
            );
        };
        let Some(k) = k.as_point().and_then(dec_lit) else {
            return unsupported(
                "a difference of dates compared with a number that is not an exact decimal of at most 16 decimals",
            );
        };
        let (dlo, dhi) = days_of(&d);
        let (clo, chi) = (col(c, "lo"), col(c, "hi"));
        // b − a: least from a's last day to b's first, most from a's
        // first to b's last; NULL when an end is open.
        let diff = |from: &str, from_open: bool, to: &str, to_open: bool| {
            if from_open || to_open {
                return "CAST(NULL AS BIGINT)".to_string();
            }
            format!("(CAST({to} AS BIGINT) - CAST({from} AS BIGINT))")
        };
        let sentinel = |e: &str, s: i32| format!("({e} = {s})");
        let (least, most) = if column_first {
            (
                format!(
                    "(CASE WHEN {} THEN NULL ELSE {} END)",
                    sentinel(&chi, NO_HI),
                    diff(&chi, false, &dlo.to_string(), dlo == NO_LO)
                ),
                format!(
                    "(CASE WHEN {} THEN NULL ELSE {} END)",
                    sentinel(&clo, NO_LO),
                    diff(&clo, false, &dhi.to_string(), dhi == NO_HI)
                ),
            )
        } else {
            (
                format!(
                    "(CASE WHEN {} THEN NULL ELSE {} END)",
                    sentinel(&clo, NO_LO),
                    diff(&dhi.to_string(), dhi == NO_HI, &clo, false)
                ),
                format!(
                    "(CASE WHEN {} THEN NULL ELSE {} END)",
                    sentinel(&chi, NO_HI),
                    diff(&dlo.to_string(), dlo == NO_LO, &chi, false)
                ),
            )
        };
        let known = |e: &str, rel: &str| format!("({e} IS NOT NULL AND {e} {rel} {k})");
        // (certainly true, certainly false), as `Interval::lt`, `le`, `eq3`.
        let (t, f) = match op {
            CmpOp::Lt => (known(&most, "<"), known(&least, ">=")),
            CmpOp::Le => (known(&most, "<="), known(&least, ">")),
            CmpOp::Gt => (known(&least, ">"), known(&most, "<=")),
            CmpOp::Ge => (known(&least, ">="), known(&most, "<")),
            CmpOp::Eq | CmpOp::Ne => {
                let point = format!("({} AND {})", known(&least, "="), known(&most, "="));
                let apart = format!("({} OR {})", known(&least, ">"), known(&most, "<"));
                if op == CmpOp::Eq {
                    (point, apart)
                } else {
                    (apart, point)
                }
            }
        };
        Ok((
            Cond {
                certain: t,
                possible: format!("(NOT {f})"),
            },
            true,
        ))
    }

    /// Each record of `table` whose cell in column `c` orderings link to
    /// `other`: its key and the truth of the comparison (`column op
    /// other`, or `other op column` when `flipped`), computed as the
    /// engine computes it from the two cells as loaded (the query reads
    /// the same, narrowed, cells).
    fn linked_truths(
        &self,
        table: TableId,
        c: usize,
        other: CellRef,
        op: CmpOp,
        flipped: bool,
    ) -> Result<Vec<(Arc<str>, Tri)>, Stop> {
        let Some(t) = self.ev.tables.get(table) else {
            return unsupported("an unknown table");
        };
        let mut rows: Vec<u32> = self
            .ev
            .orders
            .orders
            .iter()
            .flat_map(|o| [o.earlier, o.later])
            .filter(|x| x.table == table && x.column == c)
            .filter(|x| self.ev.orders.between(*x, other).is_some())
            .map(|x| x.row)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        let field = |cell: CellRef| {
            Node::RecField(
                Box::new(Node::Const(Value::Record(cell.table, cell.row))),
                cell.column,
            )
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mine = field(CellRef {
                table,
                row,
                column: c,
            });
            let (x, y) = if flipped {
                (field(other), mine)
            } else {
                (mine, field(other))
            };
            let tree = Node::CmpDate(op, Box::new(x), Box::new(y));
            let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
            match ctx.eval(&tree, None) {
                Ok(Value::Bool(b)) => out.push((t.key_of(row), b)),
                Ok(_) => return unsupported("a comparison of dates that is not true or false"),
                Err(e) => return Err(Stop::Eval(e)),
            }
        }
        Ok(out)
    }

    /// `keys(S)`: the keys of the possible members, each certain or
    /// possible, as the engine lists them.
    fn keys_slot(&mut self, set: &Node) -> Result<Node, Stop> {
        let s = self.set(set)?;
        self.witness(&s);
        let kc = self.key_column(s.table)?;
        let x = col(kc, "");
        self.conds.clear();
        let sql = format!(
            "named_struct('items', collect_list(CASE WHEN {p} THEN named_struct('v', {x}, 'c', {cc}) END))",
            p = self.r(&s.possible),
            cc = self.r(&s.certain)
        );
        let Some(v) = self.slot(&s, sql, &[kc]) else {
            return Ok(placeholder());
        };
        let mut items = text_items(v, "a key the server returned in another shape")?;
        // In the table's order when its records are loaded (as the engine
        // lists them), else by key.
        let t = self.ev.tables.get(s.table);
        let row = |k: &str| t.and_then(|t| t.row_of_key(k));
        items.sort_by(|a, b| {
            row(&a.0)
                .cmp(&row(&b.0))
                .then_with(|| a.0.cmp(&b.0))
                .then(tri_rank(a.1).cmp(&tri_rank(b.1)))
        });
        Ok(Node::Const(Value::List(Arc::new(ListVal::new(
            items, false,
        )))))
    }

    /// `all(S, P)` / `any(S, P)` as the engine's three-valued fold over
    /// the possible members: `all` is false when a certain member certainly
    /// fails P, true when every possible member certainly satisfies it;
    /// `any` is true when a certain member certainly satisfies P, false
    /// when no possible member possibly does; else unknown.
    fn truth_slot(&mut self, kind: AggKind, set: &Node, expr: &Node) -> Result<Node, Stop> {
        let mut s = self.set(set)?;
        self.witness(&s);
        let (q, ready) = self.cond(expr, s.table, &mut s.columns)?;
        s.ready &= ready;
        self.conds.clear();
        let (sc, sp, qc, qp) = (
            self.r(&s.certain),
            self.r(&s.possible),
            self.r(&q.certain),
            self.r(&q.possible),
        );
        let sql = format!(
            "named_struct('f', count_if({sc} AND NOT {qp}), 'u', count_if({sp} AND NOT {qc}), 't', count_if({sc} AND {qc}), 'q', count_if({sp} AND {qp}))"
        );
        let Some(v) = self.slot(&s, sql, &[]) else {
            return Ok(placeholder());
        };
        let t = if kind == AggKind::All {
            if field_u64(v, "f")? > 0 {
                Tri::False
            } else if field_u64(v, "u")? == 0 {
                Tri::True
            } else {
                Tri::Unknown
            }
        } else if field_u64(v, "t")? > 0 {
            Tri::True
        } else if field_u64(v, "q")? == 0 {
            Tri::False
        } else {
            Tri::Unknown
        };
        Ok(Node::Const(Value::Bool(t)))
    }

    fn agg_slot(
        &mut self,
        kind: AggKind,
        set: &Node,
        expr: &Node,
        loc: &Loc,
    ) -> Result<Node, Stop> {
        if matches!(kind, AggKind::All | AggKind::Any) {
            return self.truth_slot(kind, set, expr);
        }
        match self.agg_shaped(kind, set, expr, loc) {
            Err(Stop::Unsupported(u)) => match self.rows_slot(kind, set, expr, loc) {
                Err(Stop::Unsupported(_)) => Err(Stop::Unsupported(u)),
                other => other,
            },
            other => other,
        }
    }

    /// A sum, mean, minimum or maximum the SQL does not compute (members
    /// only possible, cells that are not exact, `refine` or quantities in
    /// the expression): the possible members' cells that the expression
    /// reads come back (at most [`MAX_FETCHED`] members), and each member's
    /// value and the aggregate are computed here as the engine computes
    /// them.
    fn rows_slot(
        &mut self,
        kind: AggKind,
        set: &Node,
        expr: &Node,
        loc: &Loc,
    ) -> Result<Node, Stop> {
        let s = self.set(set)?;
        self.witness(&s);
        let table = s.table;
        let kc = self.key_column(table)?;
        let mut columns = Vec::new();
        for c in super::trace::columns_read(expr) {
            let (ty, unit) = self.column_type(table, c)?;
            columns.push((c, ty, unit));
        }
        // The expression with its record-independent parts computed
        // (their slots known), checked before any record is fetched.
        let Some(shape) = self.per_record(expr, &HashMap::new())? else {
            return Ok(placeholder());
        };
        drop(shape);
        self.conds.clear();
        let (sc, sp) = (self.r(&s.certain), self.r(&s.possible));
        let cells: Vec<String> = columns
            .iter()
            .map(|(c, ty, _)| format!("'x{c}', {}", cell_sql(*ty, *c)))
            .collect();
        let sql = format!(
            "named_struct('n', count_if({sp}), 'rows', CASE WHEN count_if({sp}) <= {MAX_FETCHED} THEN collect_list(CASE WHEN {sp} THEN named_struct('k', {}, 'c', {sc}{}{}) END) END)",
            col(kc, ""),
            if cells.is_empty() { "" } else { ", " },
            cells.join(", ")
        );
        let mut extra: Vec<usize> = columns.iter().map(|(c, _, _)| *c).collect();
        extra.push(kc);
        let inline = self.ev.tables.get(table).is_some_and(|t| {
            t.spark.is_none() && t.records.file.filter(|f| *f != t.file).is_none()
        });
        let Some(v) = self.slot(&s, sql, &extra).cloned() else {
            return Ok(placeholder());
        };
        let n = field_u64(&v, "n")?;
        if n > MAX_FETCHED {
            return unsupported(format!(
                "a sum, mean, minimum or maximum the SQL does not compute over {n} members (computed here for at most {MAX_FETCHED})"
            ));
        }
        let t = self.ev.tables.get(table);
        // (client row if known, key, certain, cells), in the table's order.
        let mut rows = Vec::new();
        if let Some(Json::Array(a)) = v.get("rows") {
            for r in a {
                let (Some(Json::String(k)), Some(Json::Bool(c))) = (r.get("k"), r.get("c")) else {
                    return unsupported("a record the server returned in another shape");
                };
                let row = t.and_then(|t| t.row_of_key(k));
                let mut values = HashMap::new();
                for (col, ty, unit) in &columns {
                    let x = r.get(format!("x{col}"));
                    let value = cell_from_json(*ty, *unit, x, inline)?;
                    values.insert(*col, self.member_cell(table, row, k, *col, value)?);
                }
                rows.push((row, k.clone(), *c, values));
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut sum = Interval::point(Rational::ZERO);
        let mut hull: Option<Interval> = None;
        let mut unit = Unit::None;
        let mut all_certain = true;
        let mut certain = 0usize;
        let mut extremes = Vec::new();
        for (row, _, c, values) in &rows {
            let Some(tree) = self.per_record(expr, values)? else {
                return Ok(placeholder());
            };
            let mut ctx = super::Ctx::new(self.ev, self.program, self.as_of, self.published);
            let at = row.map(|r| (table, r));
            let value = ctx.eval(&tree, at).map_err(|e| Stop::Eval(e.within(loc)))?;
            if matches!(kind, AggKind::Min | AggKind::Max) {
                if !matches!(value, Value::Num(..) | Value::Date(_)) {
                    return unsupported(
                        "a minimum or maximum of something other than numbers or dates",
                    );
                }
                extremes.push((value, if *c { Tri::True } else { Tri::Unknown }));
                continue;
            }
            let Value::Num(iv, u) = value else {
                return unsupported("a sum or mean of something other than numbers");
            };
            unit = u;
            hull = Some(hull.map_or(iv, |h| h.hull(&iv)));
            let contrib = if *c {
                certain += 1;
                iv
            } else {
                all_certain = false;
                iv.hull(&Interval::point(Rational::ZERO))
            };
            sum = sum.add(&contrib).map_err(num_stop(loc))?;
        }
        if matches!(kind, AggKind::Min | AggKind::Max) {
            let value =
                super::extreme(kind, &extremes, loc).map_err(|e| Stop::Eval(e.within(loc)))?;
            return Ok(Node::Const(value));
        }
        if kind == AggKind::Sum {
            return Ok(Node::Const(Value::Num(sum, unit)));
        }
        if rows.is_empty() {
            return Ok(Node::Const(Value::NoRecords(None, loc.clone())));
        }
        if all_certain {
            let k = Rational::ONE
                .checked_div(Rational::from_int(rows.len() as i128))
                .map_err(num_stop(loc))?;
            return Ok(Node::Const(Value::Num(
                sum.scale(k).map_err(num_stop(loc))?,
                unit,
            )));
        }
        let mean = Value::Num(hull.unwrap_or_else(Interval::unbounded), unit);
        Ok(Node::Const(if certain == 0 {
            Value::NoRecords(Some(Box::new(mean)), loc.clone())
        } else {
            mean
        }))
    }

    /// A member's cell as it stands in a per-record expression: its
    /// value, or, when orderings link it to other cells, the cell of the
    /// loaded record (the same value, narrowed alike: the query reads the
    /// narrowed cells), so that the engine applies the links as it does
    /// per record. Refused when the record is not loaded or its cell on
    /// the server differs.
    fn member_cell(
        &self,
        table: TableId,
        row: Option<u32>,
        key: &str,
        c: usize,
        value: Value,
    ) -> Result<Node, Stop> {
        if !self.ev.orders.constrains(table, c) {
            return Ok(Node::Const(value));
        }
        let t = self.ev.tables.get(table);
        let loaded = row.and_then(|r| {
            let col = t?.columns.get(c)?;
            Some(super::cell_value(&col.get(r)?, col.ty, col.unit))
        });
        if loaded.as_ref() != Some(&value) {
            return unsupported(format!(
                "the cell `{key}`.{} linked by orderings, whose value on the server differs from the table's",
                t.and_then(|t| t.columns.get(c)).map_or("?", |c| c.name.as_str())
            ));
        }
        Ok(Node::RecField(
            Box::new(Node::Const(Value::Record(table, row.unwrap_or_default()))),
            c,
        ))
    }

    /// A per-record expression with the record's cells (`values`, by
    /// column) in place of its columns and its record-independent parts
    /// computed; `None` while a part waits for a slot. Only columns,
    /// arithmetic, `refine`, differences of dates and what does not read
    /// the record are followed.
    fn per_record(
        &mut self,
        node: &Node,
        values: &HashMap<usize, Node>,
    ) -> Result<Option<Node>, Stop> {
        self.nested(|c| c.per_record_inner(node, values))
    }

    fn per_record_inner(
        &mut self,
        node: &Node,
        values: &HashMap<usize, Node>,
    ) -> Result<Option<Node>, Stop> {
        let n = self.follow(node)?;
        if !uses_record(n) {
            return Ok(self.local_value(n)?.map(Node::Const));
        }
        let b = Box::new;
        macro_rules! two {
            ($x:expr, $y:expr, $make:expr) => {{
                let (Some(x), Some(y)) =
                    (self.per_record($x, values)?, self.per_record($y, values)?)
                else {
                    return Ok(None);
                };
                Ok(Some($make(x, y)))
            }};
        }
        match n {
            Node::Column(c) => Ok(Some(
                values
                    .get(c)
                    .cloned()
                    .unwrap_or(Node::Const(Value::Bool(Tri::Unknown))),
            )),
            Node::Arith(op, x, y, loc) => {
                two!(x, y, |x, y| Node::Arith(*op, b(x), b(y), loc.clone()))
            }
            Node::Between(k, x, y, loc) => {
                two!(x, y, |x, y| Node::Between(*k, b(x), b(y), loc.clone()))
            }
            Node::Refine(x, y, loc) => two!(x, y, |x, y| Node::Refine(b(x), b(y), loc.clone())),
            Node::Not(x) => Ok(self.per_record(x, values)?.map(|x| Node::Not(b(x)))),
            Node::And(x, y) => two!(x, y, |x, y| Node::And(b(x), b(y))),
            Node::Or(x, y) => two!(x, y, |x, y| Node::Or(b(x), b(y))),
            Node::CmpNum(op, x, y) => two!(x, y, |x, y| Node::CmpNum(*op, b(x), b(y))),
            Node::CmpDate(op, x, y) => two!(x, y, |x, y| Node::CmpDate(*op, b(x), b(y))),
            Node::Equal(eq, x, y) => two!(x, y, |x, y| Node::Equal(*eq, b(x), b(y))),
            Node::SameYear(x, y) => two!(x, y, |x, y| Node::SameYear(b(x), b(y))),
            Node::In(x, y) => two!(x, y, |x, y| Node::In(b(x), b(y))),
            Node::Subset(x, y, e) => two!(x, y, |x, y| Node::Subset(b(x), b(y), *e)),
            Node::Matches(x, re) => Ok(self
                .per_record(x, values)?
                .map(|x| Node::Matches(b(x), Arc::clone(re)))),
            Node::IsUnknown(x, k) => Ok(self
                .per_record(x, values)?
                .map(|x| Node::IsUnknown(b(x), *k))),
            Node::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let Some(x) = self.per_record(i, values)? else {
                        return Ok(None);
                    };
                    out.push(x);
                }
                Ok(Some(Node::List(out)))
            }
            Node::Neg(x, loc) => Ok(self
                .per_record(x, values)?
                .map(|x| Node::Neg(b(x), loc.clone()))),
            Node::Abs(x, loc) => Ok(self
                .per_record(x, values)?
                .map(|x| Node::Abs(b(x), loc.clone()))),
            other => unsupported(format!(
                "{} per record in a sum, mean, minimum or maximum",
                name_of(other)
            )),
        }
    }

    fn agg_shaped(
        &mut self,
        kind: AggKind,
        set: &Node,
        expr: &Node,
        loc: &Loc,
    ) -> Result<Node, Stop> {
        let s = self.set(set)?;
        self.witness(&s);
        let e = self.follow(expr)?;
        let table = s.table;
        // What the aggregate reads of each member: a linear combination of
        // number columns, one date column, or days between two.
        let (shape, exact, unit) = match e {
            Node::Column(c) if self.column_type(table, *c)?.0 == ColType::Date => {
                if !matches!(kind, AggKind::Min | AggKind::Max) {
                    return unsupported("a sum or mean of dates");
                }
                let (lo, hi) = (col(*c, "lo"), col(*c, "hi"));
                (
                    Shape::Date(*c),
                    format!("({lo} = {hi} AND {lo} <> {NO_LO})"),
                    Unit::None,
                )
            }
            Node::Between(k, a, b, _) if matches!(kind, AggKind::Sum | AggKind::Mean) => {
                let (Node::Column(a), Node::Column(b)) = (self.follow(a)?, self.follow(b)?) else {
                    return unsupported("a difference of dates other than between two columns");
                };
                for c in [a, b] {
                    self.column_type(table, *c)?;
                    self.need_column(table, *c, ColType::Date)?;
                    if self.ev.orders.constrains(table, *c) {
                        return unsupported(
                            "a sum or mean of differences between dates that orderings link (the engine narrows each record's difference by the link)",
                        );
                    }
                }
                let ok = |c: usize| {
                    format!(
                        "({lo} = {hi} AND {lo} <> {NO_LO})",
                        lo = col(c, "lo"),
                        hi = col(c, "hi")
                    )
                };
                (
                    Shape::Days(*k, *a, *b),
                    format!("({} AND {})", ok(*a), ok(*b)),
                    between_unit(*k),
                )
            }
            _ => {
                let mut terms = BTreeMap::new();
                let mut unit = Unit::None;
                let constant = self.linear(e, table, Rational::ONE, &mut terms, &mut unit)?;
                // A minimum or maximum of `k·column + constant` (k not 0)
                // is that of the column's extremes: an unknown cell is
                // unknown either way.
                if matches!(kind, AggKind::Min | AggKind::Max)
                    && (terms.len() != 1 || terms.values().any(|k| k.is_zero()))
                {
                    return unsupported(
                        "a minimum or maximum of something other than a number column times a number plus a number",
                    );
                }
                let exact = if terms.is_empty() {
                    "TRUE".to_string()
                } else {
                    let parts: Vec<String> = terms
                        .keys()
                        .map(|c| format!("{} IS NOT NULL", col(*c, "")))
                        .collect();
                    format!("({})", parts.join(" AND "))
                };
                (Shape::Linear(terms, constant), exact, unit)
            }
        };
        let mut extra = Vec::new();
        self.conds.clear();
        let (sc, sp, ex) = (self.r(&s.certain), self.r(&s.possible), self.r(&exact));
        let mut fields = vec![
            format!("'c', count_if({sc})"),
            format!("'p', count_if({sp})"),
            format!("'bad', count_if({sp} AND NOT {ex})"),
        ];
        let member = format!("{sp} AND {ex}");
        let f = match kind {
            AggKind::Min => "min",
            AggKind::Max => "max",
            _ => "sum",
        };
        match &shape {
            Shape::Date(c) => {
                // The engine's extremes of uncertain dates (`min_of`,
                // `max_of`, `hull`) from the extremes of the day numbers
                // (the sentinels of open ends order as those need): over
                // the certain members, over the possible ones, and the
                // whole span of the possible ones.
                extra.push(*c);
                let (lo, hi) = (col(*c, "lo"), col(*c, "hi"));
                fields.push(format!("'cl', {f}(CASE WHEN {sc} THEN {lo} END)"));
                fields.push(format!("'ch', {f}(CASE WHEN {sc} THEN {hi} END)"));
                fields.push(format!("'fl', {f}(CASE WHEN {sp} THEN {lo} END)"));
                fields.push(format!("'fh', {f}(CASE WHEN {sp} THEN {hi} END)"));
                fields.push(format!("'pl', min(CASE WHEN {sp} THEN {lo} END)"));
                fields.push(format!("'ph', max(CASE WHEN {sp} THEN {hi} END)"));
            }
            Shape::Days(_, a, b) => {
                extra.extend([*a, *b]);
                fields.push(format!(
                    "'v0', sum(CASE WHEN {member} THEN CAST({} AS BIGINT) - CAST({} AS BIGINT) END)",
                    col(*b, "lo"),
                    col(*a, "lo")
                ));
            }
            Shape::Linear(terms, _) if matches!(kind, AggKind::Min | AggKind::Max) => {
                // Over the certain members and over the possible ones:
                // the least and greatest known cells and how many are
                // unknown (the engine's interval of an unknown number).
                for c in terms.keys() {
                    extra.push(*c);
                    let x = col(*c, "");
                    for (m, set) in [("c", &sc), ("p", &sp)] {
                        fields.push(format!(
                            "'{m}l', CAST(min(CASE WHEN {set} THEN {x} END) AS STRING)"
                        ));
                        fields.push(format!(
                            "'{m}h', CAST(max(CASE WHEN {set} THEN {x} END) AS STRING)"
                        ));
                        fields.push(format!("'{m}n', count_if({set} AND {x} IS NULL)"));
                    }
                }
            }
            Shape::Linear(terms, _) => {
                for (i, c) in terms.keys().enumerate() {
                    extra.push(*c);
                    fields.push(format!(
                        "'v{i}', CAST({f}(CASE WHEN {member} THEN {} END) AS STRING)",
                        col(*c, "")
                    ));
                }
            }
        }
        let sql = format!("named_struct({})", fields.join(", "));
        let Some(v) = self.slot(&s, sql, &extra) else {
            return Ok(placeholder());
        };
        let (c, p, bad) = (field_u64(v, "c")?, field_u64(v, "p")?, field_u64(v, "bad")?);
        let none = || Node::Const(Value::NoRecords(None, loc.clone()));
        if p == 0 {
            return Ok(match kind {
                AggKind::Sum => {
                    Node::Const(Value::Num(Interval::point(Rational::ZERO), Unit::None))
                }
                _ => none(),
            });
        }
        if let Shape::Date(_) = shape {
            let day = |f: &str| -> Result<i32, Stop> {
                i32::try_from(field_i64(v, f)?).map_err(|_| bad_result(f))
            };
            let all = (day("fl")?, day("fh")?);
            let (lo, hi) = if c == p {
                all
            } else if c > 0 {
                (day("cl")?.min(all.0), day("ch")?.max(all.1))
            } else {
                (day("pl")?, day("ph")?)
            };
            let value = Value::Date(range_of(lo, hi));
            // Every member may be absent: so may the value.
            return Ok(Node::Const(if c == 0 {
                Value::NoRecords(Some(Box::new(value)), loc.clone())
            } else {
                value
            }));
        }
        if let (Shape::Linear(terms, constant), AggKind::Min | AggKind::Max) = (&shape, kind) {
            // The engine's extremes (`eval::extreme`) of the members'
            // values, from the extremes of each kind of member: the value
            // of a minimum or maximum depends on no other cell.
            let Some(k) = terms.values().next() else {
                return unsupported("a minimum or maximum of no column");
            };
            let affine = |x: Rational| {
                x.checked_mul(*k)
                    .and_then(|y| y.checked_add(*constant))
                    .map_err(num_stop(loc))
            };
            let mut values = Vec::new();
            for (m, member) in [("c", Tri::True), ("p", Tri::Unknown)] {
                for end in ["l", "h"] {
                    if let Some(x) = field_dec_opt(v, &format!("{m}{end}"))? {
                        values.push((Value::Num(Interval::point(affine(x)?), unit), member));
                    }
                }
                if field_u64(v, &format!("{m}n"))? > 0 {
                    values.push((Value::Num(Interval::unbounded(), unit), member));
                }
            }
            let value = super::extreme(kind, &values, loc).map_err(Stop::Eval)?;
            return Ok(Node::Const(value));
        }
        if c != p || bad > 0 {
            return unsupported(format!(
                "an aggregate over a set with members that are only possible or cells that are not exact ({} of {p} members uncertain, {bad} inexact cells)",
                p - c
            ));
        }
        let n = Rational::from_int(i128::from(p));
        let value = match shape {
            Shape::Date(_) => {
                let day = field_i64(v, "v0")?;
                let Ok(day) = i32::try_from(day) else {
                    return unsupported("a day number out of range");
                };
                Value::Date(range_of(day, day))
            }
            Shape::Days(k, _, _) => {
                let days = Rational::from_int(i128::from(field_i64(v, "v0")?));
                let total = days.checked_mul(between_scale(k)).map_err(num_stop(loc))?;
                let total = if kind == AggKind::Mean {
                    total.checked_div(n).map_err(num_stop(loc))?
                } else {
                    total
                };
                Value::Num(Interval::point(total), unit)
            }
            Shape::Linear(terms, constant) => {
                let mut total = constant.checked_mul(n).map_err(num_stop(loc))?;
                for (i, k) in terms.values().enumerate() {
                    let part = field_dec(v, &format!("v{i}"))?;
                    total = total
                        .checked_add(part.checked_mul(*k).map_err(num_stop(loc))?)
                        .map_err(num_stop(loc))?;
                }
                if kind == AggKind::Mean {
                    total = total.checked_div(n).map_err(num_stop(loc))?;
                }
                Value::Num(Interval::point(total), unit)
            }
        };
        Ok(Node::Const(value))
    }

    /// `e` as `constant + Σ k·column` (scaled by `scale`), adding the
    /// columns' coefficients to `terms`; its unit (as the engine's
    /// arithmetic gives it) in `unit`.
    fn linear(
        &mut self,
        node: &Node,
        table: TableId,
        scale: Rational,
        terms: &mut BTreeMap<usize, Rational>,
        unit: &mut Unit,
    ) -> Result<Rational, Stop> {
        self.nested(|c| c.linear_inner(node, table, scale, terms, unit))
    }

    fn linear_inner(
        &mut self,
        node: &Node,
        table: TableId,
        scale: Rational,
        terms: &mut BTreeMap<usize, Rational>,
        unit: &mut Unit,
    ) -> Result<Rational, Stop> {
        let n = self.follow(node)?;
        let overflow = |_| Stop::Unsupported(Unsupported("numbers too large".into()));
        if !uses_record(n) {
            let Some(v) = self.local_value(n)? else {
                return unsupported("an aggregate whose expression needs another aggregate");
            };
            let Value::Num(iv, u) = v else {
                return unsupported("an aggregate of something other than numbers");
            };
            let Some(k) = iv.as_point() else {
                return unsupported("an aggregate of an expression with an inexact number");
            };
            *unit = u;
            return k.checked_mul(scale).map_err(overflow);
        }
        match n {
            Node::Column(c) => {
                let (ty, u) = self.column_type(table, *c)?;
                if !matches!(ty, ColType::Integer | ColType::Decimal) {
                    return unsupported("an aggregate of a column that is not a number");
                }
                *unit = u;
                let e = terms.entry(*c).or_insert(Rational::ZERO);
                *e = e.checked_add(scale).map_err(overflow)?;
                Ok(Rational::ZERO)
            }
            Node::Neg(a, _) => {
                let m = scale.neg().map_err(overflow)?;
                self.linear(a, table, m, terms, unit)
            }
            Node::Arith(op, a, b, _) => {
                let (mut ua, mut ub) = (Unit::None, Unit::None);
                let out = match op {
                    Arith::Add | Arith::Sub => {
                        let x = self.linear(a, table, scale, terms, &mut ua)?;
                        let s2 = if *op == Arith::Sub {
                            scale.neg().map_err(overflow)?
                        } else {
                            scale
                        };
                        let y = self.linear(b, table, s2, terms, &mut ub)?;
                        x.checked_add(y).map_err(overflow)?
                    }
                    Arith::Mul | Arith::Div => {
                        let (var, konst, var_first) = if uses_record(self.follow(b)?) {
                            if *op == Arith::Div {
                                return unsupported("a division by a value of the record");
                            }
                            (b, a, false)
                        } else {
                            (a, b, true)
                        };
                        let Some(Value::Num(iv, uk)) = self.local_value(konst)? else {
                            return unsupported(
                                "an aggregate whose expression needs another aggregate",
                            );
                        };
                        let Some(k) = iv.as_point() else {
                            return unsupported(
                                "an aggregate of an expression with an inexact number",
                            );
                        };
                        let k = if *op == Arith::Div {
                            if k.is_zero() {
                                return unsupported("a division by zero");
                            }
                            Rational::ONE.checked_div(k).map_err(overflow)?
                        } else {
                            k
                        };
                        let x = self.linear(
                            var,
                            table,
                            scale.checked_mul(k).map_err(overflow)?,
                            terms,
                            &mut ua,
                        )?;
                        ub = uk;
                        if !var_first {
                            std::mem::swap(&mut ua, &mut ub);
                        }
                        x
                    }
                };
                *unit = match op {
                    Arith::Mul => {
                        if ua == Unit::None {
                            ub
                        } else {
                            ua
                        }
                    }
                    Arith::Div if ua == ub => Unit::None,
                    _ => ua,
                };
                Ok(out)
            }
            other => unsupported(format!("{} in an aggregate's expression", name_of(other))),
        }
    }

    fn share_slot(&mut self, part: &Node, whole: &Node, loc: &Loc) -> Result<Node, Stop> {
        let w = self.set(whole)?;
        let p = self.set(part)?;
        self.witness(&p);
        self.witness(&w);
        if p.table != w.table {
            return unsupported("a share whose part and whole are of different tables");
        }
        if p.grouped != w.grouped {
            return unsupported("a share of a group and a set that is not the group");
        }
        // When the part is `S where Q`: S and Q (the engine's `filter_of`).
        let pn = self.follow(part)?;
        let filtered = match pn {
            Node::Where(inner, pred, _) => {
                let i = self.set(inner)?;
                let mut cols = BTreeSet::new();
                let (q, ready) = self.cond(pred, i.table, &mut cols)?;
                Some((i, q, ready, cols))
            }
            _ => None,
        };
        self.conds.clear();
        let (pc, pp, wc, wp) = (
            self.r(&p.certain),
            self.r(&p.possible),
            self.r(&w.certain),
            self.r(&w.possible),
        );
        let p_open = format!("({pp} AND NOT {pc})");
        let w_open = format!("({wp} AND NOT {wc})");
        let both = format!("({p_open} AND {w_open})");
        let mut fields = vec![
            format!("'p0', count_if({pc})"),
            format!("'w0', count_if({wc})"),
            format!("'wn', count_if({wp})"),
            format!("'wopen', count_if({w_open})"),
            format!("'popen', count_if({p_open})"),
        ];
        let mut merged = SetSql {
            table: w.table,
            certain: String::new(),
            possible: String::new(),
            considered: "FALSE".into(),
            columns: w.columns.clone(),
            ready: w.ready && p.ready,
            grouped: w.grouped,
        };
        merged.columns.extend(p.columns.iter().copied());
        if let Some((i, q, ready, cols)) = &filtered {
            merged.ready &= *ready && i.ready;
            merged.columns.extend(cols.iter().copied());
            merged.columns.extend(i.columns.iter().copied());
            let (ic, ip, qc, qp) = (
                self.r(&i.certain),
                self.r(&i.possible),
                self.r(&q.certain),
                self.r(&q.possible),
            );
            fields.push(format!(
                "'differ', count_if(({ic} <> {wc}) OR ({ip} <> {wp}))"
            ));
            fields.push(format!("'np', count_if({p_open} AND NOT {w_open})"));
            fields.push(format!("'nw', count_if({w_open} AND NOT {p_open})"));
            fields.push(format!("'nl', count_if({both} AND {qc})"));
            fields.push(format!("'nf', count_if({both} AND {qp} AND NOT {qc})"));
            fields.push(format!("'nx', count_if({both} AND NOT {qp})"));
        }
        let sql = format!("named_struct({})", fields.join(", "));
        let Some(v) = self.slot(&merged, sql, &[]) else {
            return Ok(placeholder());
        };
        if field_u64(v, "wn")? == 0 {
            return Err(Stop::Eval(EvalError {
                code: "eval/empty-denominator",
                message: "share of an empty set: the whole has no records".into(),
                loc: Some(loc.clone()),
            }));
        }
        let mut counts = ShareCounts {
            p0: field_u64(v, "p0")?,
            w0: field_u64(v, "w0")?,
            n_p: field_u64(v, "popen")?,
            n_w: field_u64(v, "wopen")?,
            n_l: 0,
            n_f: 0,
        };
        let w_exact = counts.n_w == 0;
        if filtered.is_some() && !w_exact && field_u64(v, "differ")? == 0 {
            counts.n_p = field_u64(v, "np")?;
            counts.n_w = field_u64(v, "nw")? + field_u64(v, "nx")?;
            counts.n_l = field_u64(v, "nl")?;
            counts.n_f = field_u64(v, "nf")?;
        }
        let Some(hull) = counts.hull() else {
            return unsupported("a share of no records");
        };
        let (pa, pb) = counts.part_range();
        let (wa, wb) = counts.whole_range();
        let range = |a: u64, b: u64| {
            Interval::closed(
                Rational::from_int(i128::from(a)),
                Rational::from_int(i128::from(b)),
            )
            .unwrap_or_else(Interval::unbounded)
        };
        self.detail = Some(ShareParts {
            part: range(pa, pb),
            whole: range(wa.max(1), wb),
            achievable: Some(counts),
        });
        let hundred = Rational::from_int(100);
        let clamp = Interval::closed(Rational::ZERO, hundred).unwrap_or_else(Interval::unbounded);
        let value = Value::Num(hull.intersect(&clamp).unwrap_or(hull), Unit::Percent);
        if counts.may_be_empty() {
            return Ok(Node::Const(Value::NoRecords(
                Some(Box::new(value)),
                loc.clone(),
            )));
        }
        Ok(Node::Const(value))
    }
}

/// What an aggregate reads of each member.
enum Shape {
    /// One date column (its single day).
    Date(usize),
    /// Days (in a unit) from one date column to another.
    Days(Between, usize, usize),
    /// `constant + Σ k·column` over number columns.
    Linear(BTreeMap<usize, Rational>, Rational),
}

/// The SQL of one cell of column `c` of type `ty`, as a slot returns it:
/// a text, a decimal as text, a date's two day numbers, a truth value or
/// an array of texts (`NULL`, left out of the JSON, when unknown).
fn cell_sql(ty: ColType, c: usize) -> String {
    match ty {
        ColType::Integer | ColType::Decimal => format!("CAST({} AS STRING)", col(c, "")),
        ColType::Date => format!(
            "named_struct('lo', {}, 'hi', {})",
            col(c, "lo"),
            col(c, "hi")
        ),
        _ => col(c, ""),
    }
}

/// A cell returned by [`cell_sql`] as the value the engine gives that
/// cell (`None`: unknown).
fn cell_from_json(ty: ColType, unit: Unit, v: Option<&Json>, inline: bool) -> Result<Value, Stop> {
    let v = v.filter(|v| !v.is_null());
    let shape = || bad_result("cell");
    Ok(match ty {
        // A quantity: its text as written (read as the loader reads it),
        // or, from a table sent as inline rows, its interval as loaded.
        ColType::Quantity(q) => match v {
            None => Value::Num(Interval::unbounded(), unit),
            Some(Json::String(t)) => {
                let iv = if inline {
                    interval_of_text(t)
                } else {
                    crate::language::statement::quantity_interval(t, q).ok()
                };
                Value::Num(iv.ok_or_else(shape)?, unit)
            }
            Some(_) => return Err(shape()),
        },
        ColType::Text => match v {
            None => Value::Text(None),
            Some(Json::String(t)) => Value::Text(Some(Arc::from(t.as_str()))),
            Some(_) => return Err(shape()),
        },
        ColType::Integer | ColType::Decimal => match v {
            None => Value::Num(Interval::unbounded(), unit),
            Some(Json::String(t)) => {
                let r = Rational::parse_decimal(t)
                    .map(|(r, _)| r)
                    .map_err(|_| shape())?;
                Value::Num(Interval::point(r), unit)
            }
            Some(_) => return Err(shape()),
        },
        ColType::Date => {
            let day = |f: &str| {
                v.and_then(|v| v.get(f))
                    .and_then(Json::as_i64)
                    .and_then(|d| i32::try_from(d).ok())
                    .ok_or_else(shape)
            };
            Value::Date(range_of(day("lo")?, day("hi")?))
        }
        ColType::Boolean => match v {
            None => Value::Bool(Tri::Unknown),
            Some(Json::Bool(b)) => Value::Bool(Tri::from_bool(*b)),
            Some(_) => return Err(shape()),
        },
        ColType::List => match v {
            None => Value::List(Arc::new(ListVal::new(Vec::new(), true))),
            Some(Json::Array(a)) => {
                let mut items = Vec::with_capacity(a.len());
                for it in a {
                    let Json::String(t) = it else {
                        return Err(shape());
                    };
                    items.push((Arc::from(t.as_str()), Tri::True));
                }
                Value::List(Arc::new(ListVal::new(items, false)))
            }
            Some(_) => return Err(shape()),
        },
    })
}

/// Where each group's value is in a grouped slot's list, by the group's
/// key as the server writes it (a group of a group: the outer group's key,
/// `\u{1f}`, its own; as [`GroupCtx::position`]).
fn group_positions(v: &Json) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    if let Some(Json::Array(a)) = v.get("groups") {
        for (i, it) in a.iter().enumerate() {
            let Some(Json::String(g)) = it.get("g") else {
                continue;
            };
            match it.get("g2") {
                None => {
                    out.insert(g.clone(), i);
                }
                // (A key with the separator in it is left out: its group
                // is then missing, and the claim refused.)
                Some(Json::String(g2)) if !g.contains('\u{1f}') && !g2.contains('\u{1f}') => {
                    out.insert(format!("{g}\u{1f}{g2}"), i);
                }
                Some(_) => {}
            }
        }
    }
    out
}

/// `sql` with each reference to the day numbers of an overridden date
/// column (`c3_lo`, `c3_hi`, outside text literals) replaced by the
/// variant's cells, found by the record's key (column `kc`).
fn override_dates(
    sql: &str,
    kc: usize,
    cells: &BTreeMap<usize, BTreeMap<Arc<str>, (i32, i32)>>,
) -> String {
    let key = col(kc, "");
    let mut out = String::with_capacity(sql.len());
    let mut in_text = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let replaced = word
            .strip_prefix('c')
            .and_then(|w| w.split_once('_'))
            .and_then(|(n, part)| {
                let c: usize = n.parse().ok()?;
                let lo = match part {
                    "lo" => true,
                    "hi" => false,
                    _ => return None,
                };
                let list = cells.get(&c).filter(|l| !l.is_empty())?;
                let mut e = String::from("(CASE");
                for (k, (l, h)) in list {
                    e.push_str(&format!(
                        " WHEN {key} = {} THEN {}",
                        text_lit(k),
                        if lo { l } else { h }
                    ));
                }
                e.push_str(&format!(" ELSE {} END)", word));
                Some(e)
            });
        out.push_str(replaced.as_deref().unwrap_or(word));
        word.clear();
    };
    for ch in sql.chars() {
        if !in_text && (ch.is_ascii_alphanumeric() || ch == '_') {
            word.push(ch);
            continue;
        }
        flush(&mut word, &mut out);
        if ch == '\'' {
            in_text = !in_text;
        }
        out.push(ch);
    }
    flush(&mut word, &mut out);
    out
}

/// An interval as exact text (`[1/2;*`, `(7;9]`): each end `[`/`]`
/// included, `(`/`)` excluded, `*` unbounded, numbers as `n/d`.
fn interval_text(iv: &Interval) -> String {
    let num = |r: Rational| format!("{}/{}", r.numer(), r.denom());
    let lo = match iv.lo() {
        Bound::Unbounded => "*".to_string(),
        Bound::Incl(r) => format!("[{}", num(r)),
        Bound::Excl(r) => format!("({}", num(r)),
    };
    let hi = match iv.hi() {
        Bound::Unbounded => "*".to_string(),
        Bound::Incl(r) => format!("{}]", num(r)),
        Bound::Excl(r) => format!("{})", num(r)),
    };
    format!("{lo};{hi}")
}

/// The interval [`interval_text`] wrote.
fn interval_of_text(t: &str) -> Option<Interval> {
    let (lo, hi) = t.split_once(';')?;
    let num = |x: &str| {
        let (n, d) = x.split_once('/')?;
        Rational::new(n.parse().ok()?, d.parse().ok()?).ok()
    };
    let lo = match lo {
        "*" => Bound::Unbounded,
        x => match x.split_at_checked(1)? {
            ("[", r) => Bound::Incl(num(r)?),
            ("(", r) => Bound::Excl(num(r)?),
            _ => return None,
        },
    };
    let hi = match hi {
        "*" => Bound::Unbounded,
        x => {
            let (r, b) = x.split_at_checked(x.len().checked_sub(1)?)?;
            match b {
                "]" => Bound::Incl(num(r)?),
                ")" => Bound::Excl(num(r)?),
                _ => return None,
            }
        }
    };
    Interval::new(lo, hi)
}

fn tri_rank(t: Tri) -> u8 {
    match t {
        Tri::True => 0,
        Tri::Unknown => 1,
        Tri::False => 2,
    }
}

/// The stand-in for a value not yet computed: any literal will do, the
/// claim is not evaluated until every slot is known.
fn placeholder() -> Node {
    Node::Const(Value::Bool(Tri::Unknown))
}

fn num_stop(loc: &Loc) -> impl Fn(crate::num::NumError) -> Stop + '_ {
    move |e| {
        Stop::Eval(EvalError {
            code: "eval/overflow",
            message: format!("{e:?}"),
            loc: Some(loc.clone()),
        })
    }
}

fn bad_result(field: &str) -> Stop {
    Stop::Unsupported(Unsupported(format!(
        "a result the server returned without a readable `{field}`"
    )))
}

fn field_u64(v: &Json, f: &str) -> Result<u64, Stop> {
    match v.get(f) {
        None | Some(Json::Null) => Ok(0),
        Some(x) => x.as_u64().ok_or_else(|| bad_result(f)),
    }
}

fn field_i64(v: &Json, f: &str) -> Result<i64, Stop> {
    v.get(f).and_then(Json::as_i64).ok_or_else(|| bad_result(f))
}

/// A decimal field that may be missing (`NULL`).
fn field_dec_opt(v: &Json, f: &str) -> Result<Option<Rational>, Stop> {
    match v.get(f) {
        None | Some(Json::Null) => Ok(None),
        Some(_) => field_dec(v, f).map(Some),
    }
}

/// The texts of a slot's `items` (each `v`, with `c` whether it is
/// certain), in the order the server gave them; `shape` names what a
/// malformed item is.
fn text_items(v: &Json, shape: &str) -> Result<Vec<(Arc<str>, Tri)>, Stop> {
    let mut items = Vec::new();
    if let Some(Json::Array(a)) = v.get("items") {
        for it in a {
            let (Some(Json::String(t)), Some(Json::Bool(c))) = (it.get("v"), it.get("c")) else {
                return unsupported(shape.to_string());
            };
            items.push((
                Arc::from(t.as_str()),
                if *c { Tri::True } else { Tri::Unknown },
            ));
        }
    }
    Ok(items)
}

fn field_dec(v: &Json, f: &str) -> Result<Rational, Stop> {
    let Some(Json::String(s)) = v.get(f) else {
        return Err(bad_result(f));
    };
    Rational::parse_decimal(s)
        .map(|(r, _)| r)
        .map_err(|_| bad_result(f))
}

/// A comparison of a date column with a date range, as the engine's
/// three-valued comparisons of ranges (`date::cmp_*`) on day numbers: the
/// comparison of two date cells with the range's day numbers as literals.
fn date_cmp(op: CmpOp, c: usize, d: &DateRange) -> Cond {
    let (dlo, dhi) = days_of(d);
    let (dlo, dhi) = (dlo.to_string(), dhi.to_string());
    dates_cmp(op, (&col(c, "lo"), &col(c, "hi")), (&dlo, &dhi))
}

/// A comparison of two date cells of a record, each its day numbers
/// (`(lo, hi)` as SQL), as the engine's three-valued comparisons of
/// ranges (`date::cmp_*`; the sentinels of open ends order as those need).
fn dates_cmp(op: CmpOp, (xl, xh): (&str, &str), (yl, yh): (&str, &str)) -> Cond {
    let (t, f) = match op {
        CmpOp::Lt => (format!("{xh} < {yl}"), format!("{xl} >= {yh}")),
        CmpOp::Le => (format!("{xh} <= {yl}"), format!("{xl} > {yh}")),
        CmpOp::Gt => (format!("{yh} < {xl}"), format!("{yl} >= {xh}")),
        CmpOp::Ge => (format!("{yh} <= {xl}"), format!("{yl} > {xh}")),
        CmpOp::Eq | CmpOp::Ne => {
            let t = format!("({xl} = {xh} AND {xl} <> {NO_LO} AND {yl} = {yh} AND {xl} = {yl})");
            let f = format!("greatest({xl}, {yl}) > least({xh}, {yh})");
            if op == CmpOp::Eq {
                (t, f)
            } else {
                (f, t)
            }
        }
    };
    Cond {
        certain: format!("({t})"),
        possible: format!("(NOT ({f}))"),
    }
}

/// `cond`, except for the records with the keys of `exceptions` (key
/// column `kc`), whose truth is given.
fn with_exceptions(cond: Cond, kc: usize, exceptions: &[(Arc<str>, Tri)]) -> Cond {
    if exceptions.is_empty() {
        return cond;
    }
    let k = col(kc, "");
    let case = |base: &str, certain: bool| {
        let mut e = String::from("(CASE");
        for (key, t) in exceptions {
            let (c, p) = match t {
                Tri::True => (true, true),
                Tri::Unknown => (false, true),
                Tri::False => (false, false),
            };
            let v = if certain { c } else { p };
            e.push_str(&format!(
                " WHEN {k} = {} THEN {}",
                text_lit(key),
                if v { "TRUE" } else { "FALSE" }
            ));
        }
        e.push_str(&format!(" ELSE {base} END)"));
        e
    };
    Cond {
        certain: case(&cond.certain, true),
        possible: case(&cond.possible, false),
    }
}

/// Membership of a text column's value in a known list, as
/// [`ListVal::membership`] and the engine's `in`.
fn in_cond(c: usize, l: &ListVal) -> Cond {
    let x = col(c, "");
    let certain: BTreeSet<&str> = l.certain();
    let possible: BTreeSet<&str> = l.possible();
    let list = |s: &BTreeSet<&str>| {
        if s.is_empty() {
            "FALSE".to_string()
        } else {
            let items: Vec<String> = s.iter().map(|t| text_lit(t)).collect();
            format!("{x} IN ({})", items.join(", "))
        }
    };
    let unknown_item = if l.items.is_empty() && !l.open {
        "FALSE"
    } else {
        "TRUE"
    };
    let open = if l.open { "TRUE" } else { "FALSE" };
    Cond {
        certain: format!("({x} IS NOT NULL AND {})", list(&certain)),
        possible: format!(
            "(({x} IS NOT NULL AND ({} OR {open})) OR ({x} IS NULL AND {unknown_item}))",
            list(&possible)
        ),
    }
}

/// Whether a node is a set of records (after definitions).
fn is_set(n: &Node) -> bool {
    matches!(
        n,
        Node::TableAll(_) | Node::Where(..) | Node::At(..) | Node::Group
    )
}

/// Whether an expression reads the record in scope (a column outside the
/// sets it aggregates or filters).
fn uses_record(n: &Node) -> bool {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        match x {
            Node::Column(_) | Node::Group => return true,
            // The condition or expression of these reads their own
            // records; only the set they start from may read ours.
            Node::Where(s, ..) | Node::Agg(_, s, ..) | Node::GroupAgg(_, s, ..) => stack.push(s),
            Node::Project(s, _) | Node::Count(s) | Node::Keys(s) => stack.push(s),
            other => stack.extend(other.children()),
        }
    }
    false
}

/// The SQL of one query: every slot of `slots` (all of one table) over the
/// table's typed columns, with a count of the cells of each column read
/// that the SQL compiler does not read exactly.
/// The name of the cached table of a table's typed columns.
pub fn typed_name(ev: &Evidence, table: TableId) -> String {
    format!("{}_typed", view_name(ev, table))
}

/// The text `e` (a cell in the date format `f`) written as the engine
/// writes the same days: `2023-05-17`, `2023-05`, `2023`, a quarter as its
/// months (`2023-04..2023-06`). A text not in the format is left as it is
/// (an empty cell, `unknown`).
fn iso_of(e: &str, f: &DateFormat) -> String {
    let (re, [year, month, day, quarter]) = f.pattern();
    let re = text_lit(&re);
    let part = |g: usize| format!("regexp_extract({e}, {re}, {g})");
    let two = |x: String| format!("lpad({x}, 2, '0')");
    let Some(year) = year.map(part) else {
        return e.to_string();
    };
    let iso = match (month, day, quarter) {
        (Some(m), Some(d), _) => format!(
            "concat({year}, '-', {}, '-', {})",
            two(part(m)),
            two(part(d))
        ),
        (Some(m), None, _) => format!("concat({year}, '-', {})", two(part(m))),
        (None, _, Some(q)) => {
            let q = format!("CAST({} AS INT)", part(q));
            format!(
                "concat({year}, '-', {}, '..', {year}, '-', {})",
                two(format!("CAST({q} * 3 - 2 AS STRING)")),
                two(format!("CAST({q} * 3 AS STRING)"))
            )
        }
        (None, _, None) => year,
    };
    format!("(CASE WHEN {e} RLIKE {re} THEN {iso} ELSE {e} END)")
}

/// The statements that read a table once: a cached table of its typed
/// columns (every column the SQL compiler reads: day numbers, exact
/// decimals, texts, and whether each cell is read exactly), and the query
/// that counts the cells it does not read exactly (its result is read by
/// [`read_result`] with no slots).
pub fn typed_sql(ev: &Evidence, table: TableId, source: &Source) -> (String, String) {
    if *source == Source::Inline {
        return inline_typed_sql(ev, table);
    }
    let columns = typed_columns(ev, table);
    let from = read_from(source).unwrap_or_else(|| ident(&view_name(ev, table)));
    let missing: &[String] = match source {
        Source::Csv { missing, .. } | Source::Parquet { missing, .. } => missing,
        Source::Catalog(_) | Source::Inline => &[],
    };
    let mut typed = Vec::new();
    let mut strings = Vec::new();
    let mut checks = Vec::new();
    let t = ev.tables.get(table);
    for c in &columns {
        let Some(column) = t.and_then(|t| t.columns.get(*c)) else {
            continue;
        };
        let header = t
            .and_then(|t| t.column_formats.get(*c))
            .and_then(|f| f.header.clone())
            .unwrap_or_else(|| column.name.clone());
        let empty = t
            .and_then(|t| t.column_formats.get(*c))
            .map_or(Empty::Unknown, |f| f.empty);
        let raw = col(*c, "raw");
        let e = col(*c, "s");
        strings.push(format!(
            "CAST({} AS STRING) AS {raw}, trim(CAST({} AS STRING)) AS {e}",
            ident(&header),
            ident(&header)
        ));
        let mut is_empty = format!("({e} IS NULL OR {e} = '' OR {e} = 'unknown'");
        for m in missing {
            is_empty.push_str(&format!(" OR {e} = {}", text_lit(m)));
        }
        is_empty.push(')');
        // Spark's trim removes spaces; the engine trims all white space:
        // a cell with other white space at an end is not read here.
        let ws = format!("{e} RLIKE '(?U)^\\\\s|\\\\s$'");
        // A number as the file writes it (thousands separators, a decimal
        // comma) made plain: the cells were read here first, so only
        // well-formed ones reach this.
        let num = match t.map(|t| &t.format) {
            Some(f) => {
                let mut n = e.clone();
                if let Some(th) = f.thousands {
                    n = format!(
                        "replace({n}, {}, '')",
                        text_lit(&char::from(th).to_string())
                    );
                }
                if f.decimal != b'.' {
                    n = format!(
                        "replace({n}, {}, '.')",
                        text_lit(&char::from(f.decimal).to_string())
                    );
                }
                n
            }
            None => e.clone(),
        };
        let (values, bad): (Vec<(String, String)>, String) = match column.ty {
            ColType::Text => {
                let when_empty = if empty == Empty::None { "''" } else { "NULL" };
                (
                    vec![(
                        col(*c, ""),
                        format!("CASE WHEN {is_empty} THEN {when_empty} ELSE {e} END"),
                    )],
                    format!("NOT {is_empty} AND {ws}"),
                )
            }
            ColType::Integer => (
                vec![(
                    col(*c, ""),
                    format!("CASE WHEN {is_empty} THEN NULL ELSE CAST({num} AS DECIMAL(30,0)) END"),
                )],
                format!("NOT {is_empty} AND NOT {num} RLIKE '^[+-]?[0-9]{{1,28}}$'"),
            ),
            ColType::Decimal => (
                vec![(
                    col(*c, ""),
                    format!(
                        "CASE WHEN {is_empty} THEN NULL ELSE CAST({num} AS DECIMAL(34,{DEC_SCALE})) END"
                    ),
                )],
                format!("NOT {is_empty} AND NOT {num} RLIKE '^-?[0-9]{{1,17}}([.][0-9]{{1,{DEC_SCALE}}})?$'"),
            ),
            ColType::Date => {
                let (open_lo, open_hi) = if empty == Empty::Open {
                    (day_number(crate::date::Date::MAX), NO_HI)
                } else {
                    (NO_LO, NO_HI)
                };
                // A point (`2023-05-17`, `2023-05`, `2023`): its first and
                // last day (NULL for another text); a range `A..B`, `A..`
                // or `..B` of such points: A's first day and B's last, an
                // open side unknown.
                let forms = |x: &str| {
                    (
                        format!("{x} RLIKE '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'"),
                        format!("{x} RLIKE '^[0-9]{{4}}-[0-9]{{2}}$'"),
                        format!("{x} RLIKE '^[0-9]{{4}}$'"),
                    )
                };
                let n = |d: &str| format!("datediff({d}, DATE'1970-01-01')");
                let point = |x: &str, last: bool| {
                    let (day, month, year) = forms(x);
                    let y = format!("CAST(substr({x}, 1, 4) AS INT)");
                    let m = format!("CAST(substr({x}, 6, 2) AS INT)");
                    let dd = format!("CAST(substr({x}, 9, 2) AS INT)");
                    let (of_month, of_year) = if last {
                        (
                            n(&format!("last_day(make_date({y}, {m}, 1))")),
                            n(&format!("make_date({y}, 12, 31)")),
                        )
                    } else {
                        (
                            n(&format!("make_date({y}, {m}, 1)")),
                            n(&format!("make_date({y}, 1, 1)")),
                        )
                    };
                    format!(
                        "(CASE WHEN {day} THEN {} WHEN {month} THEN {of_month} WHEN {year} THEN {of_year} END)",
                        n(&format!("make_date({y}, {m}, {dd})"))
                    )
                };
                // A cell in the column's date format is first written as
                // the engine's form of the same days.
                let e = match t
                    .and_then(|t| t.column_formats.get(*c))
                    .and_then(|f| f.date.as_ref())
                {
                    Some(f) => iso_of(&e, f),
                    None => e.clone(),
                };
                let iso = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";
                let range = format!("({e} RLIKE '^({iso})?[.][.]({iso})?$' AND {e} <> '..')");
                let (l, r) = (
                    format!("substring_index({e}, '..', 1)"),
                    format!("substring_index({e}, '..', -1)"),
                );
                let lo = format!(
                    "CASE WHEN {is_empty} THEN {open_lo} WHEN {range} THEN (CASE WHEN {l} = '' THEN {NO_LO} ELSE {} END) ELSE {} END",
                    point(&l, false),
                    point(e.as_str(), false)
                );
                let hi = format!(
                    "CASE WHEN {is_empty} THEN {open_hi} WHEN {range} THEN (CASE WHEN {r} = '' THEN {NO_HI} ELSE {} END) ELSE {} END",
                    point(&r, true),
                    point(e.as_str(), true)
                );
                // A day that does not exist is an error in ANSI mode (the
                // default) and NULL without it: then counted as unreadable.
                let bad = format!("NOT {is_empty} AND (({lo}) IS NULL OR ({hi}) IS NULL)");
                (vec![(col(*c, "lo"), lo), (col(*c, "hi"), hi)], bad)
            }
            // A quantity's text as written: read by the engine's reader of
            // quantities when a slot returns the cell.
            ColType::Quantity(_) => (
                vec![(
                    col(*c, ""),
                    format!("CASE WHEN {is_empty} THEN NULL ELSE {e} END"),
                )],
                format!("NOT {is_empty} AND {ws}"),
            ),
            ColType::Boolean => (
                vec![(
                    col(*c, ""),
                    format!(
                        "CASE WHEN {is_empty} THEN NULL WHEN {e} = 'true' THEN TRUE WHEN {e} = 'false' THEN FALSE END"
                    ),
                )],
                format!("NOT {is_empty} AND (NOT {e} IN ('true', 'false') OR {ws})"),
            ),
            ColType::List => {
                // An empty list cell is an empty list (not unknown); the
                // items are split at `;` and trimmed of all white space,
                // as the engine reads them.
                let mut unknown = format!("({e} = 'unknown'");
                for m in missing {
                    unknown.push_str(&format!(" OR {e} = {}", text_lit(m)));
                }
                unknown.push(')');
                (
                    vec![(
                        col(*c, ""),
                        format!(
                            "CASE WHEN {e} IS NULL THEN CAST(array() AS ARRAY<STRING>) WHEN {unknown} THEN NULL \
                             ELSE filter(transform(split({e}, ';'), x -> regexp_replace(x, '(?U)^\\\\s+|\\\\s+$', '')), x -> x <> '') END"
                        ),
                    )],
                    format!("coalesce({ws}, FALSE)"),
                )
            }
        };
        for (name, sql) in values {
            typed.push(format!("{sql} AS {name}"));
        }
        typed.push(format!("({bad}) AS {}", col(*c, "bad")));
        typed.push(format!(
            "CASE WHEN {} THEN {raw} END AS {raw}",
            col(*c, "bad")
        ));
        checks.push(format!(
            "'{}', named_struct('n', count_if({bad}), 'e', min(CASE WHEN {bad} THEN {raw} END))",
            col(*c, ""),
            bad = col(*c, "bad"),
            raw = col(*c, "raw"),
        ));
    }
    if typed.is_empty() {
        typed.push("1 AS one".into());
        strings.push("1 AS one".into());
    }
    strings.push(row_id_sql(source));
    typed.push(ROW_ID.to_string());
    typed.push(list_id_sql(ev, table, source));
    let name = ident(&typed_name(ev, table));
    let cache = format!(
        "CACHE TABLE {name} AS SELECT {}{} FROM (SELECT {} FROM {from}) AS s",
        match source {
            Source::Csv { partitions, .. } if *partitions > 1 =>
                format!("/*+ REPARTITION({partitions}) */ "),
            _ => String::new(),
        },
        typed.join(", "),
        strings.join(", ")
    );
    (cache, check_sql(&name, &checks))
}

/// A catalog table's name as SQL (each part quoted).
fn catalog_sql(name: &str) -> String {
    name.split('.').map(ident).collect::<Vec<_>>().join(".")
}

/// What a table read with its own column types is read from, as SQL (a
/// catalog table's name, or a Parquet file as `parquet.`path``); `None`
/// for a table read through a view of text.
pub fn read_from(source: &Source) -> Option<String> {
    match source {
        Source::Catalog(name) => Some(catalog_sql(name)),
        Source::Parquet { path, .. } => Some(format!("parquet.{}", ident(path))),
        Source::Csv { .. } | Source::Inline => None,
    }
}

/// The typed source a table is read from, in words for messages.
pub fn described(source: &Source) -> String {
    match source {
        Source::Catalog(name) => format!("the Spark catalog table `{name}`"),
        Source::Parquet { path, .. } => format!("the Parquet file `{path}` as Spark reads it"),
        Source::Csv { path, .. } => format!("the CSV file `{path}`"),
        Source::Inline => "the records of the table file".into(),
    }
}

/// The name a column has in the table's data (its `header`, or its name).
fn data_name(ev: &Evidence, table: TableId, c: usize) -> String {
    let t = ev.tables.get(table);
    t.and_then(|t| t.column_formats.get(c))
        .and_then(|f| f.header.clone())
        .or_else(|| t.and_then(|t| t.columns.get(c)).map(|c| c.name.clone()))
        .unwrap_or_default()
}

/// The query that reads the Spark types of the columns a catalog table
/// must have (those [`typed_sql`] reads): one row, a JSON object of each
/// column's `typeof`, even when the table has no row. It fails when the
/// table or a column is missing ([`catalog_column_sql`] then finds which).
pub fn catalog_schema_sql(ev: &Evidence, table: TableId, from: &str) -> String {
    let fields: Vec<String> = typed_columns(ev, table)
        .into_iter()
        .map(|c| {
            format!(
                "'{}', typeof(t.{})",
                col(c, ""),
                ident(&data_name(ev, table, c))
            )
        })
        .collect();
    let fields = if fields.is_empty() {
        "'none', 'none'".to_string()
    } else {
        fields.join(", ")
    };
    format!(
        "SELECT to_json(named_struct({fields})) AS r FROM (SELECT 1 AS fc_one) AS o \
         LEFT JOIN (SELECT * FROM {from} LIMIT 1) AS t ON TRUE"
    )
}

/// Statements that each read one column of a catalog table (no rows): the
/// one that fails names a missing column. `(column name, statement)`.
pub fn catalog_column_sql(ev: &Evidence, table: TableId, from: &str) -> Vec<(String, String)> {
    typed_columns(ev, table)
        .into_iter()
        .map(|c| {
            let name = data_name(ev, table, c);
            let q = format!("SELECT {} FROM {from} LIMIT 0", ident(&name));
            (name, q)
        })
        .collect()
}

/// Whether a Spark type holds a column of type `ty` exactly: texts in
/// strings, integers in integer types (or decimals without decimals),
/// decimals in those or decimals of at most [`DEC_SCALE`] decimals, dates
/// in dates or in strings (ISO text, partial dates included).
fn spark_type_fits(ty: ColType, spark: &str) -> bool {
    let spark = spark.trim().to_ascii_lowercase();
    let integral = matches!(spark.as_str(), "tinyint" | "smallint" | "int" | "bigint");
    let scale = spark
        .strip_prefix("decimal(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|r| r.split_once(','))
        .and_then(|(_, s)| s.trim().parse::<u32>().ok());
    let texty = spark == "string" || spark.starts_with("varchar(") || spark.starts_with("char(");
    match ty {
        ColType::Text => texty,
        ColType::Integer => integral || scale == Some(0),
        ColType::Decimal => integral || scale.is_some_and(|s| s <= DEC_SCALE),
        ColType::Date => spark == "date" || texty,
        ColType::Boolean => spark == "boolean" || texty,
        ColType::List | ColType::Quantity(_) => texty,
    }
}

/// The answer of [`catalog_schema_sql`] checked against the table's
/// description: `Err` names each column of another type.
pub fn check_catalog_types(
    ev: &Evidence,
    table: TableId,
    source: &Source,
    row: &str,
) -> Result<(), String> {
    let v: Json = serde_json::from_str(row).map_err(|e| format!("unreadable result: {e}"))?;
    let t = ev.tables.get(table);
    let tname = t.map_or("?", |t| t.name.as_str());
    let mut wrong = Vec::new();
    for c in typed_columns(ev, table) {
        let Some(column) = t.and_then(|t| t.columns.get(c)) else {
            continue;
        };
        let spark = v.get(col(c, "")).and_then(Json::as_str).unwrap_or("?");
        if !spark_type_fits(column.ty, spark) {
            wrong.push(format!(
                "`{}` is {spark}, declared {}",
                data_name(ev, table, c),
                column.ty.name()
            ));
        }
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(format!(
        "table `{tname}`: {} has column(s) of another type than described: {} (texts are read from strings, integers from integer types, decimals from those and decimals of at most {DEC_SCALE} decimals, dates from dates or ISO text)",
        described(source),
        wrong.join("; ")
    ))
}

/// The columns of a table the SQL compiler reads (texts, integers,
/// decimals, dates in the engine's forms or in their declared format).
fn typed_columns(ev: &Evidence, table: TableId) -> BTreeSet<usize> {
    ev.tables.get(table).map_or_else(BTreeSet::new, |t| {
        (0..t.columns.len())
            .filter(|c| {
                let ty = t.columns.get(*c).map(|c| c.ty);
                matches!(
                    ty,
                    Some(
                        ColType::Text
                            | ColType::Integer
                            | ColType::Decimal
                            | ColType::Date
                            | ColType::Boolean
                            | ColType::List
                            | ColType::Quantity(_)
                    )
                )
            })
            .collect()
    })
}

/// The typed columns of a table whose records are written in its table
/// file, as [`typed_sql`] makes them from a CSV file, but from the cells
/// as loaded: each cell an SQL literal (texts escaped by [`text_lit`],
/// numbers exact decimals, dates their pair of day numbers), rows of a
/// `VALUES` relation. A cell the SQL does not read exactly (an interval,
/// a decimal with too many decimals) is marked unreadable, as a CSV cell
/// would be.
fn inline_typed_sql(ev: &Evidence, table: TableId) -> (String, String) {
    let columns = typed_columns(ev, table);
    let t = ev.tables.get(table);
    let rows = t.map_or(0, |t| t.len());
    // (name, SQL type) of each field of a row.
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut checks = Vec::new();
    for c in &columns {
        let Some(column) = t.and_then(|t| t.columns.get(*c)) else {
            continue;
        };
        match column.ty {
            ColType::Text => fields.push((col(*c, ""), "STRING".into())),
            ColType::Integer => fields.push((col(*c, ""), "DECIMAL(30,0)".into())),
            ColType::Decimal => fields.push((col(*c, ""), format!("DECIMAL(34,{DEC_SCALE})"))),
            ColType::Date => {
                fields.push((col(*c, "lo"), "INT".into()));
                fields.push((col(*c, "hi"), "INT".into()));
            }
            ColType::Boolean => fields.push((col(*c, ""), "BOOLEAN".into())),
            ColType::Quantity(_) => fields.push((col(*c, ""), "STRING".into())),
            ColType::List => fields.push((col(*c, ""), "ARRAY<STRING>".into())),
        }
        fields.push((col(*c, "bad"), "BOOLEAN".into()));
        fields.push((col(*c, "raw"), "STRING".into()));
        checks.push(format!(
            "'{}', named_struct('n', count_if({bad}), 'e', min(CASE WHEN {bad} THEN {raw} END))",
            col(*c, ""),
            bad = col(*c, "bad"),
            raw = col(*c, "raw"),
        ));
    }
    // Each record's number and list of sources (see [`ROW_ID`]).
    fields.push((ROW_ID.into(), "BIGINT".into()));
    fields.push((LIST_ID.into(), "INT".into()));
    let mut values = Vec::with_capacity(rows.max(1));
    for row in 0..rows {
        let mut lits = Vec::with_capacity(fields.len());
        for c in &columns {
            let Some(column) = t.and_then(|t| t.columns.get(*c)) else {
                continue;
            };
            let cell = column.get(row as u32).unwrap_or(Cell::Unknown);
            lits.extend(inline_cell(column.ty, &cell));
        }
        lits.push(row.to_string());
        lits.push(
            t.and_then(|t| t.records.source_list.get(row))
                .map_or_else(|| "NULL".to_string(), ToString::to_string),
        );
        values.push(format!("({})", lits.join(", ")));
    }
    // A table of no records: one row of NULLs, kept out.
    let keep = if values.is_empty() {
        values.push(format!(
            "({})",
            vec!["NULL"; fields.len().max(1)].join(", ")
        ));
        " WHERE FALSE"
    } else {
        ""
    };
    let name = ident(&typed_name(ev, table));
    let cache = if fields.is_empty() {
        format!(
            "CACHE TABLE {name} AS SELECT 1 AS one FROM VALUES {} AS v(one){keep}",
            values.join(", ")
        )
    } else {
        format!(
            "CACHE TABLE {name} AS SELECT {} FROM VALUES {} AS v({}){keep}",
            fields
                .iter()
                .map(|(f, ty)| format!("CAST({f} AS {ty}) AS {f}"))
                .collect::<Vec<_>>()
                .join(", "),
            values.join(", "),
            fields
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    (cache, check_sql(&name, &checks))
}

/// The literals of one cell of a column of type `ty`: its typed value (or
/// values: a date's two day numbers), whether it is unreadable, and its
/// text when it is.
fn inline_cell(ty: ColType, cell: &Cell) -> Vec<String> {
    let null = || "NULL".to_string();
    let bad = |values: usize, what: String| {
        let mut v = vec![null(); values];
        v.push("TRUE".into());
        v.push(text_lit(&what));
        v
    };
    let good = |mut v: Vec<String>| {
        v.push("FALSE".into());
        v.push(null());
        v
    };
    match (ty, cell) {
        (
            ColType::Text | ColType::Integer | ColType::Decimal | ColType::Boolean | ColType::List,
            Cell::Unknown,
        ) => good(vec![null()]),
        (ColType::Quantity(_), Cell::Unknown) => good(vec![null()]),
        (ColType::Quantity(_), Cell::Num(iv)) => good(vec![text_lit(&interval_text(iv))]),
        (ColType::Boolean, Cell::Bool(b)) => good(vec![if *b { "TRUE" } else { "FALSE" }.into()]),
        (ColType::List, Cell::List(items)) => {
            let items: Vec<String> = items.iter().map(|t| text_lit(t)).collect();
            good(vec![format!(
                "CAST(array({}) AS ARRAY<STRING>)",
                items.join(", ")
            )])
        }
        (ColType::Date, Cell::Unknown) => good(vec![NO_LO.to_string(), NO_HI.to_string()]),
        (ColType::Text, Cell::Text(s)) => good(vec![text_lit(s)]),
        (ColType::Integer | ColType::Decimal, Cell::Num(iv)) => {
            let (digits, scale) = if ty == ColType::Integer {
                (30, 0)
            } else {
                (34, DEC_SCALE)
            };
            match iv.as_point().and_then(|r| dec_text(r, scale)) {
                Some(text) if text.trim_start_matches('-').len() <= digits as usize + 1 => {
                    good(vec![format!(
                        "CAST({} AS DECIMAL({digits},{scale}))",
                        text_lit(&text)
                    )])
                }
                _ => bad(1, format!("{iv:?}")),
            }
        }
        (ColType::Date, Cell::Date(d)) => {
            let (lo, hi) = days_of(d);
            good(vec![lo.to_string(), hi.to_string()])
        }
        (ColType::Date, other) => bad(2, format!("{other:?}")),
        (_, other) => bad(1, format!("{other:?}")),
    }
}

/// The query that counts a typed table's unreadable cells.
fn check_sql(name: &str, checks: &[String]) -> String {
    format!(
        "SELECT to_json(named_struct('bad', named_struct({}))) AS r FROM {name}",
        if checks.is_empty() {
            "'none', 0".to_string()
        } else {
            checks.join(", ")
        }
    )
}

/// The query of many slots over one table's cached typed columns
/// ([`typed_sql`]): one row, a JSON object with a field per slot.
pub fn query_sql(ev: &Evidence, table: TableId, slots: &[&Slot]) -> String {
    let mut fields = Vec::new();
    // Each distinct condition once, as a column `b{j}` of its own
    // projection (Spark keeps a projection it would have to compute twice).
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut bools: Vec<String> = Vec::new();
    for (i, s) in slots.iter().enumerate() {
        let mut sql = s.sql.clone();
        for (k, c) in s.conds.iter().enumerate().rev() {
            let j = *names.entry(c.as_str()).or_insert_with(|| {
                bools.push(format!("{c} AS b{}", bools.len()));
                bools.len() - 1
            });
            sql = sql.replace(&format!("#{k}#"), &format!("b{j}"));
        }
        fields.push(format!("'s{i}', {sql}"));
    }
    let mut middle = vec!["*".to_string()];
    middle.extend(bools);
    format!(
        "SELECT to_json(named_struct({})) AS r FROM (SELECT {} FROM {}) AS u",
        fields.join(", "),
        middle.join(", "),
        ident(&typed_name(ev, table))
    )
}

/// A query's result: each slot's value, or the cells it could not read
/// (`(column name, how many, an example)`).
pub fn read_result(
    ev: &Evidence,
    table: TableId,
    slots: &[&Slot],
    row: &str,
) -> Result<Vec<SlotValue>, String> {
    let v: Json = serde_json::from_str(row).map_err(|e| format!("unreadable result: {e}"))?;
    if let Some(Json::Object(bad)) = v.get("bad") {
        for (name, b) in bad {
            let n = b.get("n").and_then(Json::as_u64).unwrap_or(0);
            if n > 0 {
                let c: Option<usize> = name.strip_prefix('c').and_then(|x| x.parse().ok());
                let t = ev.tables.get(table);
                let cname = c
                    .and_then(|c| t.and_then(|t| t.columns.get(c)))
                    .map_or(name.as_str(), |c| c.name.as_str());
                let ty = c
                    .and_then(|c| t.and_then(|t| t.columns.get(c)))
                    .map_or("", |c| c.ty.name());
                let example = b.get("e").and_then(Json::as_str).unwrap_or("");
                return Err(format!(
                    "column `{cname}` of `{}` has {n} cell(s) the Spark engine does not read as {ty} (for example {example:?}): only plain integers, decimals, ISO dates (`2023-05-17`, `2023-05`, `2023`) and ranges of them without spaces (`A..B`, `..B`, `A..`), texts, `true`/`false`, `;`-separated lists and empty or `unknown` cells are read",
                    t.map_or("?", |t| t.name.as_str())
                ));
            }
        }
    }
    Ok((0..slots.len())
        .map(|i| v.get(format!("s{i}")).cloned().unwrap_or(Json::Null))
        .collect())
}

/// Group ready slots by table, at most [`MAX_SLOTS_PER_QUERY`] a query,
/// each slot once: `(table, slots)` in table order.
pub fn batch<'s>(slots: impl IntoIterator<Item = &'s Slot>) -> Vec<(TableId, Vec<&'s Slot>)> {
    let mut seen = BTreeSet::new();
    let mut by_table: BTreeMap<TableId, Vec<&Slot>> = BTreeMap::new();
    for s in slots {
        if s.ready && seen.insert(s.key()) {
            by_table.entry(s.table).or_default().push(s);
        }
    }
    // Slots that collect lists in queries of their own where possible: one
    // such aggregate makes Spark aggregate the whole query with objects
    // (ObjectHashAggregate), slower for every other slot of it.
    for v in by_table.values_mut() {
        v.sort_by_key(|s| s.sql.contains("collect_list(") || s.sql.contains("collect_set("));
    }
    let mut out = Vec::new();
    for (t, v) in by_table {
        for chunk in v.chunks(MAX_SLOTS_PER_QUERY) {
            out.push((t, chunk.to_vec()));
        }
    }
    out
}

/// A claim's tree as an indented outline, one node a line (definitions
/// named and followed, memos left out), for `factcheck plan`.
pub fn outline(ev: &Evidence, program: &Program, node: &Node) -> String {
    let mut out = String::new();
    // (node, depth, table in scope)
    let mut stack: Vec<(&Node, usize, Option<TableId>)> = vec![(node, 0, None)];
    let mut lines = 0usize;
    while let Some((n, depth, scope)) = stack.pop() {
        lines += 1;
        if lines > 2_000 || depth > MAX_DEPTH {
            out.push_str("  …\n");
            break;
        }
        let table_of = |t: TableId| ev.tables.get(t).map_or("?", |t| t.name.as_str());
        let column_of = |t: Option<TableId>, c: usize| {
            t.and_then(|t| ev.tables.get(t))
                .and_then(|t| t.columns.get(c))
                .map_or_else(|| format!("column {c}"), |c| format!("`{}`", c.name))
        };
        let label = match n {
            Node::Memo(_, inner) => {
                stack.push((inner, depth, scope));
                lines -= 1;
                continue;
            }
            Node::Def(i) => {
                let name = program.def_names.get(*i).map_or("?", String::as_str);
                if let Some(Some(body)) = program.defs.get(*i) {
                    stack.push((body, depth + 1, scope));
                }
                format!("definition `{name}`")
            }
            Node::Const(v) => match v {
                Value::Num(iv, u) if *u == Unit::None => format!("number {iv}"),
                Value::Num(iv, u) => format!("number {iv} ({})", u.name()),
                Value::Date(d) => format!("date {d}"),
                Value::Text(Some(t)) => format!("text {t:?}"),
                Value::Text(None) => "unknown text".into(),
                Value::Bool(t) => format!("truth {t:?}"),
                _ => "value".into(),
            },
            Node::AsOf => "the claim's date".into(),
            Node::Published => "the article's date".into(),
            Node::Column(c) => format!("column {}", column_of(scope, *c)),
            Node::TableAll(t) => format!("table `{}`", table_of(*t)),
            Node::Project(_, c) => {
                format!("values of column {}", column_of(set_table(program, n), *c))
            }
            Node::CmpNum(op, ..) | Node::CmpDate(op, ..) => format!("compare {}", sql_op(*op)),
            Node::Equal(eq, ..) => (if *eq { "equal" } else { "not equal" }).into(),
            Node::Agg(k, ..) => format!("{k:?}").to_lowercase(),
            Node::Arith(op, ..) => format!("{op:?}").to_lowercase(),
            Node::Between(k, ..) => format!("{k:?} between").to_lowercase(),
            Node::IsUnknown(_, known) => (if *known { "is known" } else { "is unknown" }).into(),
            other => name_of(other).trim_matches('`').to_string(),
        };
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(&label);
        out.push('\n');
        // Children in reading order; a condition or expression reads the
        // records of its set.
        let inner_scope = match n {
            Node::Where(s, ..) | Node::Agg(_, s, ..) | Node::GroupAgg(_, s, ..) => {
                set_table(program, s).or(scope)
            }
            _ => scope,
        };
        let kids = n.children();
        for (i, k) in kids.iter().enumerate().rev() {
            let s = if i == 0 { scope } else { inner_scope };
            stack.push((k, depth + 1, s));
        }
    }
    out
}

/// The table a set expression is over.
fn set_table(program: &Program, n: &Node) -> Option<TableId> {
    let mut n = n;
    for _ in 0..MAX_DEPTH {
        match n {
            Node::TableAll(t) => return Some(*t),
            Node::Where(s, ..) | Node::At(s, _) | Node::Project(s, _) | Node::Memo(_, s) => n = s,
            Node::Def(i) => n = program.defs.get(*i)?.as_ref()?,
            _ => return None,
        }
    }
    None
}

// Witnesses: the records a measure's aggregates rest on, identified by
// the SQL engine (a row number in the typed table, [`ROW_ID`]), with the
// list of sources each cites ([`LIST_ID`]) where the table's records are
// local.

/// The conditions over each table's records that select the records a
/// measure's aggregates rest on (its witnesses, as the engine's
/// `Witnesses`): the records satisfying any of them.
pub type Witnessed = BTreeMap<TableId, BTreeSet<String>>;

/// Most distinct lists of sources a table's records may cite for a
/// witness aggregate to count the witnesses citing each (one count each).
pub const MAX_COUNTED_LISTS: usize = 32;

/// Most runs of consecutive records citing the same list of sources for
/// the typed table to carry each record's list (one `WHEN` each).
const MAX_LIST_RUNS: usize = 256;

/// The typed table's column of each record's number: its row in the
/// table as loaded (a CSV file's records in file order, a Parquet file's
/// row index, an inline record's index); NULL for a catalog table.
pub const ROW_ID: &str = "fc_rid";

/// The typed table's column of the list of sources each record cites (an
/// index into the table's `source_lists`), when it is counted.
pub const LIST_ID: &str = "fc_sl";

/// Whether the SQL engine numbers a table's records as they are loaded
/// (a catalog table's rows have no order to number them by).
pub fn numbers_records(source: &Source) -> bool {
    !matches!(source, Source::Catalog(_))
}

/// A record's number as the select over the source computes it (before
/// the typed table is spread over partitions: a CSV file read with
/// `multiLine` is one partition, numbered 0, 1, … in file order).
fn row_id_sql(source: &Source) -> String {
    match source {
        Source::Csv { .. } => format!("monotonically_increasing_id() AS {ROW_ID}"),
        Source::Parquet { .. } => format!("_metadata.row_index AS {ROW_ID}"),
        Source::Catalog(_) | Source::Inline => format!("CAST(NULL AS BIGINT) AS {ROW_ID}"),
    }
}

/// Runs of consecutive records citing the same list of sources: (first
/// record after the run, list), in order; `None` past [`MAX_LIST_RUNS`].
fn list_runs(ev: &Evidence, table: TableId) -> Option<Vec<(usize, u32)>> {
    let t = ev.tables.get(table)?;
    let mut runs: Vec<(usize, u32)> = Vec::new();
    for (r, l) in t.records.source_list.iter().enumerate() {
        match runs.last_mut() {
            Some((end, last)) if *last == *l => *end = r + 1,
            _ => {
                if runs.len() == MAX_LIST_RUNS {
                    return None;
                }
                runs.push((r + 1, *l));
            }
        }
    }
    Some(runs)
}

/// Whether a witness aggregate over a table counts the witnesses citing
/// each list of sources (the table cites several, not too many, and each
/// record's list is in the typed table).
pub fn counts_lists(ev: &Evidence, table: TableId, source: &Source) -> bool {
    let Some(t) = ev.tables.get(table) else {
        return false;
    };
    let lists = t.records.source_lists.len();
    lists > 1
        && lists <= MAX_COUNTED_LISTS
        && (*source == Source::Inline
            || (numbers_records(source) && list_runs(ev, table).is_some()))
}

/// The typed table's [`LIST_ID`] column, from the record's number.
fn list_id_sql(ev: &Evidence, table: TableId, source: &Source) -> String {
    let runs = if counts_lists(ev, table, source) {
        list_runs(ev, table).unwrap_or_default()
    } else {
        Vec::new()
    };
    if runs.is_empty() {
        return format!("CAST(NULL AS INT) AS {LIST_ID}");
    }
    let mut e = String::from("CASE");
    for (end, l) in runs {
        e.push_str(&format!(" WHEN {ROW_ID} < {end} THEN {l}"));
    }
    format!("CAST({e} END AS INT) AS {LIST_ID}")
}

/// The query that tells whether the SQL engine keeps the least `k`
/// values of an aggregate (`min_by(x, ord, k)`, Spark 4.1 and later): its
/// result is `2` when it does.
pub const TOP_K_PROBE: &str =
    "SELECT CAST(size(min_by(x, x, 2)) AS STRING) AS r FROM VALUES (3), (1), (2) AS v(x)";

/// The aggregate of a claim's witnesses over one table, the records
/// satisfying any of `conds` (a slot of the table's query, sharing its
/// conditions): how many (`n`), the numbers of the first `listed` of them
/// in record order (`r`, when the engine numbers the records: with
/// `top_k`, kept `listed` at most while aggregating; else all collected
/// and sorted) and how many cite each list of sources (`l`, when
/// [`counts_lists`]).
pub fn witness_slot(
    ev: &Evidence,
    table: TableId,
    source: &Source,
    conds: &BTreeSet<String>,
    (listed, top_k): (usize, bool),
) -> Slot {
    let conds: Vec<String> = conds.iter().cloned().collect();
    let w = if conds.is_empty() {
        "FALSE".to_string()
    } else {
        let refs: Vec<String> = (0..conds.len()).map(|k| format!("#{k}#")).collect();
        format!("({})", refs.join(" OR "))
    };
    let mut fields = vec![format!("'n', count_if({w})")];
    if numbers_records(source) {
        let listed = listed.max(1);
        fields.push(if top_k {
            format!("'r', array_sort(min_by({ROW_ID}, {ROW_ID}, {listed}) FILTER (WHERE {w}))")
        } else {
            format!(
                "'r', slice(array_sort(collect_list(CASE WHEN {w} THEN {ROW_ID} END)), 1, {listed})"
            )
        });
    }
    if counts_lists(ev, table, source) {
        let lists = ev
            .tables
            .get(table)
            .map_or(0, |t| t.records.source_lists.len());
        let counts: Vec<String> = (0..lists)
            .map(|l| format!("count_if({w} AND {LIST_ID} = {l})"))
            .collect();
        fields.push(format!("'l', array({})", counts.join(", ")));
    }
    Slot {
        table,
        sql: format!("named_struct({})", fields.join(", ")),
        ready: true,
        columns: BTreeSet::new(),
        conds,
    }
}

/// A witness aggregate's result, as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WitnessResult {
    /// How many records.
    pub count: u64,
    /// The numbers of the first records, in order, when the engine
    /// numbered them.
    pub rows: Option<Vec<u64>>,
    /// How many cite each list of sources, when counted.
    pub lists: Option<Vec<u64>>,
}

/// Read a witness aggregate's result ([`witness_slot`]); `None` when it
/// has another shape.
pub fn read_witness(v: &Json) -> Option<WitnessResult> {
    let count = v.get("n")?.as_u64()?;
    let numbers = |f: &str| -> Option<Option<Vec<u64>>> {
        match v.get(f) {
            None | Some(Json::Null) => Some(None),
            Some(Json::Array(a)) => a
                .iter()
                .map(Json::as_u64)
                .collect::<Option<Vec<u64>>>()
                .map(Some),
            Some(_) => None,
        }
    };
    Some(WitnessResult {
        count,
        rows: numbers("r")?,
        lists: numbers("l")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog column's Spark type holds the declared type exactly, or
    /// it is refused.
    #[test]
    fn catalog_types_that_fit() {
        for (ty, spark) in [
            (ColType::Text, "string"),
            (ColType::Text, "varchar(20)"),
            (ColType::Integer, "bigint"),
            (ColType::Integer, "decimal(20,0)"),
            (ColType::Decimal, "int"),
            (ColType::Decimal, "decimal(10,3)"),
            (ColType::Decimal, "decimal(38,16)"),
            (ColType::Date, "date"),
            (ColType::Date, "string"),
            (ColType::Boolean, "boolean"),
            (ColType::List, "string"),
        ] {
            assert!(spark_type_fits(ty, spark), "{ty:?} in {spark}");
        }
        for (ty, spark) in [
            (ColType::Text, "int"),
            (ColType::Integer, "double"),
            (ColType::Integer, "decimal(10,2)"),
            (ColType::Integer, "string"),
            (ColType::Decimal, "double"),
            (ColType::Decimal, "float"),
            (ColType::Decimal, "decimal(38,17)"),
            (ColType::Date, "timestamp"),
            (ColType::Boolean, "int"),
            (ColType::List, "array<string>"),
        ] {
            assert!(!spark_type_fits(ty, spark), "{ty:?} in {spark}");
        }
    }

    /// Spark's reading of a string literal's escapes (`\uXXXX`, `\\`).
    fn unescape(lit: &str) -> String {
        let inner = lit.strip_prefix('\'').unwrap().strip_suffix('\'').unwrap();
        let mut units: Vec<u16> = Vec::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                assert_eq!(chars.next(), Some('u'), "{lit}");
                let hex: String = chars.by_ref().take(4).collect();
                units.push(u16::from_str_radix(&hex, 16).unwrap());
            } else {
                let mut b = [0u16; 2];
                units.extend_from_slice(c.encode_utf16(&mut b));
            }
        }
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn inline_cells_are_exact_literals_or_marked_unreadable() {
        let text = inline_cell(ColType::Text, &Cell::Text(Arc::from("it's é")));
        assert_eq!(unescape(&text[0]), "it's é");
        assert_eq!(&text[1..], ["FALSE", "NULL"]);
        assert_eq!(
            inline_cell(ColType::Text, &Cell::Unknown),
            ["NULL", "FALSE", "NULL"]
        );
        let half = Rational::new(-5, 2).unwrap();
        assert_eq!(
            inline_cell(ColType::Decimal, &Cell::Num(Interval::point(half)))[0],
            format!("CAST('-2.5' AS DECIMAL(34,{DEC_SCALE}))")
        );
        let seven = Rational::from_int(7);
        assert_eq!(
            inline_cell(ColType::Integer, &Cell::Num(Interval::point(seven)))[0],
            "CAST('7' AS DECIMAL(30,0))"
        );
        let may = crate::date::parse_date_value("2023-05").unwrap();
        let (lo, hi) = days_of(&may);
        assert_eq!(hi - lo, 30);
        assert_eq!(
            inline_cell(ColType::Date, &Cell::Date(may)),
            [
                lo.to_string(),
                hi.to_string(),
                "FALSE".into(),
                "NULL".into()
            ]
        );
        assert_eq!(
            inline_cell(ColType::Date, &Cell::Unknown)[..2],
            [NO_LO.to_string(), NO_HI.to_string()]
        );
        // An interval is not exact: unreadable, as a CSV cell would be.
        let about = Interval::closed(seven, Rational::from_int(8)).unwrap();
        let cells = inline_cell(ColType::Integer, &Cell::Num(about));
        assert_eq!(&cells[..2], ["NULL", "TRUE"]);
        // A third of something has no exact decimal.
        let third = Rational::new(1, 3).unwrap();
        assert_eq!(
            inline_cell(ColType::Decimal, &Cell::Num(Interval::point(third)))[1],
            "TRUE"
        );
    }

    #[test]
    fn inline_booleans_and_lists_are_literals() {
        assert_eq!(
            inline_cell(ColType::Boolean, &Cell::Bool(true)),
            ["TRUE", "FALSE", "NULL"]
        );
        assert_eq!(
            inline_cell(ColType::Boolean, &Cell::Unknown),
            ["NULL", "FALSE", "NULL"]
        );
        let list = Cell::List(vec![Arc::from("a'b"), Arc::from("c")].into());
        let cells = inline_cell(ColType::List, &list);
        assert_eq!(
            cells[0],
            format!("CAST(array({}, 'c') AS ARRAY<STRING>)", text_lit("a'b"))
        );
        assert_eq!(
            inline_cell(ColType::List, &Cell::List(Vec::<Arc<str>>::new().into()))[0],
            "CAST(array() AS ARRAY<STRING>)"
        );
    }

    /// An interval written for an inline row reads back as itself.
    #[test]
    fn intervals_round_trip_as_text() {
        let half = Rational::new(199, 2).unwrap();
        let ivs = [
            Interval::new(Bound::Incl(half), Bound::Excl(Rational::from_int(101))).unwrap(),
            Interval::new(Bound::Excl(Rational::from_int(-3)), Bound::Unbounded).unwrap(),
            Interval::unbounded(),
            Interval::point(Rational::new(1, 3).unwrap()),
        ];
        for iv in ivs {
            let t = interval_text(&iv);
            assert_eq!(interval_of_text(&t), Some(iv), "{t}");
        }
        assert_eq!(interval_text(&ivs[0]), "[199/2;101/1)");
        assert!(interval_of_text("[1/2;)3/1").is_none());
    }

    /// A variant's date cells replace the column's day numbers by key,
    /// outside text literals only, and nothing else.
    #[test]
    fn overridden_dates_are_read_by_key() {
        let mut cells: BTreeMap<usize, BTreeMap<Arc<str>, (i32, i32)>> = BTreeMap::new();
        cells
            .entry(3)
            .or_default()
            .insert(Arc::from("lee-acme"), (10, 20));
        let sql = "(c3_lo <= 5 AND c3_hi >= 'c3_lo' AND c31_lo = c3_lox AND xc3_hi = c4_lo)";
        let out = override_dates(sql, 0, &cells);
        assert_eq!(
            out,
            "((CASE WHEN c0 = 'lee-acme' THEN 10 ELSE c3_lo END) <= 5 AND \
             (CASE WHEN c0 = 'lee-acme' THEN 20 ELSE c3_hi END) >= 'c3_lo' AND \
             c31_lo = c3_lox AND xc3_hi = c4_lo)"
        );
        assert_eq!(override_dates(sql, 0, &BTreeMap::new()), sql);
    }

    /// A cell as a slot returns it reads back as the engine's value of
    /// the cell.
    #[test]
    fn cells_read_back_as_the_engines_values() {
        let v = |ty, j: &str| {
            cell_from_json(
                ty,
                Unit::None,
                Some(&serde_json::from_str(j).unwrap()),
                false,
            )
            .ok()
        };
        assert_eq!(
            v(ColType::Text, "\"x\""),
            Some(Value::Text(Some(Arc::from("x"))))
        );
        assert_eq!(v(ColType::Text, "null"), Some(Value::Text(None)));
        assert_eq!(
            v(ColType::Decimal, "\"2.5000000000000000\""),
            Some(Value::Num(
                Interval::point(Rational::new(5, 2).unwrap()),
                Unit::None
            ))
        );
        assert_eq!(
            v(ColType::Integer, "null"),
            Some(Value::Num(Interval::unbounded(), Unit::None))
        );
        let may = crate::date::parse_date_value("2023-05").unwrap();
        let (lo, hi) = days_of(&may);
        assert_eq!(
            v(ColType::Date, &format!("{{\"lo\": {lo}, \"hi\": {hi}}}")),
            Some(Value::Date(may))
        );
        assert_eq!(
            v(
                ColType::Date,
                &format!("{{\"lo\": {NO_LO}, \"hi\": {NO_HI}}}")
            ),
            Some(Value::Date(DateRange::unknown()))
        );
        assert_eq!(v(ColType::Boolean, "false"), Some(Value::Bool(Tri::False)));
        assert_eq!(v(ColType::Boolean, "null"), Some(Value::Bool(Tri::Unknown)));
        let Some(Value::List(l)) = v(ColType::List, "[\"a\", \"b\"]") else {
            panic!("a list");
        };
        assert_eq!((l.items.len(), l.open), (2, false));
        let Some(Value::List(l)) = v(ColType::List, "null") else {
            panic!("a list");
        };
        assert!(l.open && l.items.is_empty());
        // Another shape is an error, not a value.
        assert!(v(ColType::Decimal, "2.5").is_none());
        assert!(v(ColType::Boolean, "\"true\"").is_none());
    }

    #[test]
    fn text_literals_cannot_end_early_and_read_back_as_written() {
        for s in [
            "plain",
            "it's",
            "a\\' OR 1=1 --",
            "new\nline\ttab",
            "`backtick` and \"quotes\" # hash",
            "Ünïcödé 中文 🦀",
            "",
            "\u{0}",
        ] {
            let lit = text_lit(s);
            let inner = lit
                .strip_prefix('\'')
                .and_then(|l| l.strip_suffix('\''))
                .unwrap();
            assert!(!inner.contains('\''), "{lit}");
            assert!(!inner.contains('#'), "{lit}");
            assert!(
                inner.chars().all(|c| c.is_ascii() && !c.is_ascii_control()),
                "{lit}"
            );
            assert_eq!(unescape(&lit), s);
        }
    }

    #[test]
    fn decimal_literals_are_exact_with_their_own_precision() {
        let r = |n, d| Rational::new(n, d).unwrap();
        assert_eq!(
            dec_lit(r(0, 1)).as_deref(),
            Some("CAST('0' AS DECIMAL(1,0))")
        );
        assert_eq!(
            dec_lit(r(254, 10)).as_deref(),
            Some("CAST('25.4' AS DECIMAL(3,1))")
        );
        assert_eq!(
            dec_lit(r(-1, 8)).as_deref(),
            Some("CAST('-0.125' AS DECIMAL(3,3))")
        );
        // Not a finite decimal, or more decimals than a cell may have.
        assert_eq!(dec_lit(r(1, 3)), None);
        assert_eq!(dec_lit(r(1, 1 << 60)), None);
    }

    #[test]
    fn only_columns_of_the_record_in_scope_depend_on_it() {
        let col = || Box::new(Node::Column(0));
        let loc = || Loc {
            file: crate::diag::FileId(0),
            span: 0..0,
        };
        let konst = || Box::new(Node::Const(Value::Bool(Tri::True)));
        assert!(uses_record(&Node::Not(col())));
        // The condition of a `where` reads the records of its own set.
        let inner = Node::Where(Box::new(Node::TableAll(1)), col(), loc());
        assert!(!uses_record(&Node::Count(Box::new(inner.clone()))));
        assert!(!uses_record(&Node::Project(Box::new(inner), 2)));
        assert!(uses_record(&Node::Where(col(), konst(), loc())));
        assert!(!uses_record(&Node::And(konst(), konst())));
    }

    #[test]
    fn a_slot_of_many_claims_is_sent_once() {
        let slot = |sql: &str, table| Slot {
            table,
            sql: sql.into(),
            ready: true,
            columns: BTreeSet::new(),
            conds: vec!["TRUE".into()],
        };
        let mut slots = vec![slot("a", 0); 500];
        slots.push(slot("b", 0));
        slots.push(slot("a", 1));
        let mut waiting = slot("c", 0);
        waiting.ready = false;
        slots.push(waiting);
        let b = batch(&slots);
        let sizes: Vec<(TableId, usize)> = b.iter().map(|(t, s)| (*t, s.len())).collect();
        assert_eq!(sizes, vec![(0, 2), (1, 1)]);
    }
}

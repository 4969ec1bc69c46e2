//! Parquet data files (`.parquet`, feature `parquet`): each row a record.
//! A declared column reads the top-level Parquet column of its name (or
//! its `header`); only those columns are decoded (and `sources` and
//! `note`, when the file has them), the others are never read.
//!
//! Values: integers exactly; DECIMAL exactly (its unscaled integer and
//! scale); strings as the CSV cell they would be (declared formats and
//! missing-value tokens apply); DATE as its day; booleans in boolean
//! columns; NULL as an empty cell. FLOAT and DOUBLE values are read by the
//! shortest decimal text that reads back as the same binary number (so
//! `0.1` is 1/10, not the binary fraction nearest it). Any other Parquet
//! type (bytes, times, timestamps, nested values) in a declared column is
//! an error.
//!
//! The file is read whole into memory (Parquet's footer is at its end),
//! within the size limit. Errors are located at the table file's
//! `csv = "…"` (the binary file is never quoted), naming the row and the
//! column. A file the Parquet reader rejects, or on which it panics, is an
//! `evidence/parquet` error, never a crash.

#[cfg(not(feature = "parquet"))]
use super::{Deferred, RowCtx, Table};

#[cfg(not(feature = "parquet"))]
/// Without the `parquet` feature: the table cannot be read.
pub(super) fn load_rows(table: &mut Table, job: &Deferred, ctx: &mut RowCtx<'_>) {
    ctx.diags.push(
        crate::diag::Diagnostic::error(
            "evidence/parquet",
            format!(
                "table `{}` reads a Parquet file, and this factcheck was built without Parquet support",
                table.name
            ),
        )
        .at(table.file, job.named.clone(), "Parquet file named here")
        .help("build factcheck with `--features parquet`, or convert the file to CSV"),
    );
}

#[cfg(feature = "parquet")]
pub(super) use reader::load_rows;

#[cfg(feature = "parquet")]
pub use reader::describe_cells;

/// The columns of a Parquet file as `describe` sees them.
#[derive(Debug, Clone, Default)]
pub struct ParquetColumns {
    /// Each top-level column: its name, and why it cannot be read as a
    /// column (nested, repeated, binary, times), if it cannot.
    pub columns: Vec<(String, Option<String>)>,
    /// Number of rows.
    pub rows: usize,
}

#[cfg(not(feature = "parquet"))]
/// Without the `parquet` feature: a Parquet file cannot be described.
pub fn describe_cells(
    _bytes: Vec<u8>,
    _see: &mut dyn FnMut(usize, &str),
) -> Result<ParquetColumns, String> {
    Err("it is a Parquet file, and this factcheck was built without Parquet support (build it with `--features parquet`)".into())
}

#[cfg(feature = "parquet")]
mod reader {
    use std::ops::Range;
    use std::sync::Arc;

    use ::parquet::basic::Repetition;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;
    use ::parquet::schema::types::Type;

    use crate::diag::{suggest, Diagnostic, FileId};
    use crate::input::csvformat::CsvFormat;

    use super::super::column::Cell;
    use super::super::{
        code_for, column_of_header, empty_cell, stream, text_cell, ColType, Deferred, Empty,
        RowCtx, Table, MAX_RECORDS,
    };

    /// Where a projected Parquet column goes.
    #[derive(Clone, Copy)]
    enum Target {
        Column(usize),
        Sources,
        Note,
    }

    /// Read the rows of a Parquet file into `table`.
    pub(in super::super) fn load_rows(table: &mut Table, job: &Deferred, ctx: &mut RowCtx<'_>) {
        let at = Place {
            fid: table.file,
            span: job.named.clone(),
        };
        let Some(file) = &job.file else {
            ctx.diags.push(at.error(
                "evidence/parquet",
                "a Parquet file is read from disk only".to_string(),
            ));
            return;
        };
        let bytes = match read_all(file) {
            Ok(b) => b,
            Err(msg) => {
                ctx.diags.push(at.error("evidence/parquet", msg));
                return;
            }
        };
        if table.pin.is_some() {
            table.sha256 = Some(stream::sha256(&bytes));
        }
        let before = ctx.diags.len();
        let shown = file.shown.clone();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_rows(table, job.csv, bytes, &at, &shown, ctx)
        }));
        let failed = match run {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!(
                "`{}` is not a Parquet file this reader can read: {}",
                crate::escape::visible(&shown),
                crate::escape::visible(&e)
            )),
            Err(_) => Some(format!(
                "`{}` is not a Parquet file this reader can read (its reader failed on it)",
                crate::escape::visible(&shown)
            )),
        };
        if let Some(msg) = failed {
            ctx.diags.truncate(before);
            for c in &mut table.columns {
                c.data = super::super::ColumnData::new(c.ty);
            }
            table.records = super::super::Records::default();
            ctx.diags.push(
                at.error("evidence/parquet", msg)
                    .help("is the file whole? write it again with a Parquet writer"),
            );
        }
    }

    /// The table file's `csv = "…"`: where every error is shown.
    struct Place {
        fid: FileId,
        span: Range<usize>,
    }

    impl Place {
        fn error(&self, code: &'static str, msg: String) -> Diagnostic {
            Diagnostic::error(code, msg).at(self.fid, self.span.clone(), "Parquet file named here")
        }
    }

    /// The whole file, within its size limit.
    fn read_all(file: &crate::fsread::Opened) -> Result<Vec<u8>, String> {
        let max = file.max();
        if file.len() > max {
            return Err(format!(
                "`{}` is {} bytes, more than the size limit of {max} bytes",
                crate::escape::visible(&file.shown),
                file.len()
            ));
        }
        let mut out = Vec::with_capacity(usize::try_from(file.len()).unwrap_or(0));
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read_at(&mut buf, out.len() as u64).map_err(|e| {
                format!("cannot read `{}`: {e}", crate::escape::visible(&file.shown))
            })?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(buf.get(..n).unwrap_or_default());
            if out.len() as u64 > max {
                return Err(format!(
                    "`{}` grew past the size limit of {max} bytes while read",
                    crate::escape::visible(&file.shown)
                ));
            }
        }
        Ok(out)
    }

    /// Decode the declared columns, row by row. An `Err` is the reader's
    /// own error (a file it cannot read).
    fn read_rows(
        table: &mut Table,
        data_fid: FileId,
        bytes: Vec<u8>,
        at: &Place,
        shown: &str,
        ctx: &mut RowCtx<'_>,
    ) -> Result<(), String> {
        let reader =
            SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(|e| e.to_string())?;
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let fields = schema.root_schema().get_fields();
        let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
        let mut picked: Vec<Arc<Type>> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut missing = false;
        for (ci, c) in table.columns.iter().enumerate() {
            let cf = table.column_formats.get(ci);
            if cf.is_some_and(|f| f.derived) {
                continue;
            }
            let wanted = cf.and_then(|f| f.header.as_deref()).unwrap_or(&c.name);
            match fields.iter().find(|f| f.name() == wanted) {
                Some(f) => {
                    if let Err(why) = plain(f) {
                        ctx.diags.push(
                            at.error(
                                code_for(c.ty),
                                format!(
                                    "the Parquet column `{}` of `{}` {why}, and column `{}` is {}",
                                    crate::escape::visible(wanted),
                                    crate::escape::visible(shown),
                                    c.name,
                                    c.ty.name()
                                ),
                            )
                            .help("a column reads a Parquet column of numbers, decimals, strings, dates or booleans"),
                        );
                        missing = true;
                        continue;
                    }
                    picked.push(f.clone());
                    targets.push(Target::Column(ci));
                }
                None => {
                    missing = true;
                    let help = match suggest(wanted, names.iter().copied()) {
                        Some(s) => format!("the file has a column `{s}`: did you mean it? (set `header = \"{s}\"` on the column if it is the one)"),
                        None => format!(
                            "the file's columns are: {}",
                            crate::escape::visible(&names.join(", "))
                        ),
                    };
                    ctx.diags.push(
                        at.error(
                            "evidence/missing-column",
                            format!(
                                "the Parquet file `{}` has no column `{}`",
                                crate::escape::visible(shown),
                                crate::escape::visible(wanted)
                            ),
                        )
                        .help(help),
                    );
                }
            }
        }
        if missing {
            return Ok(());
        }
        for (name, t) in [("sources", Target::Sources), ("note", Target::Note)] {
            if column_of_header(table, name).is_some() {
                continue;
            }
            if let Some(f) = fields.iter().find(|f| f.name() == name) {
                if plain(f).is_ok() {
                    picked.push(f.clone());
                    targets.push(t);
                }
            }
        }
        let projection = Type::group_type_builder(schema.root_schema().name())
            .with_fields(picked)
            .build()
            .map_err(|e| e.to_string())?;
        let format = table.format.clone();
        let rows = reader
            .get_row_iter(Some(projection))
            .map_err(|e| e.to_string())?;
        let ncols = table.columns.len();
        let mut cells: Vec<Option<Cell>> = vec![None; ncols];
        let mut row_no = 0usize;
        for row in rows {
            let row = row.map_err(|e| e.to_string())?;
            row_no += 1;
            if table.len() >= MAX_RECORDS {
                ctx.diags.push(
                    at.error(
                        "evidence/too-many-records",
                        format!("table `{}` has more than {MAX_RECORDS} records", table.name),
                    )
                    .help("split the table into several tables"),
                );
                break;
            }
            cells.iter_mut().for_each(|c| *c = None);
            let mut sources: Vec<(String, Range<usize>)> = Vec::new();
            let mut note = None;
            for ((_, field), t) in row.get_column_iter().zip(targets.iter()) {
                match *t {
                    Target::Sources => {
                        if let Field::Str(s) = field {
                            sources = s
                                .split(';')
                                .map(str::trim)
                                .filter(|x| !x.is_empty())
                                .map(|x| (x.to_string(), at.span.clone()))
                                .collect();
                        }
                    }
                    Target::Note => {
                        if let Field::Str(s) = field {
                            note = Some(s.clone()).filter(|s| !s.is_empty());
                        }
                    }
                    Target::Column(ci) => {
                        let cell = match read_value(table, ci, field, &format) {
                            Ok(c) => c,
                            Err((msg, help)) => {
                                let name = table.columns.get(ci).map_or("?", |c| c.name.as_str());
                                let ty = table.columns.get(ci).map_or(ColType::Text, |c| c.ty);
                                let msg = crate::escape::visible(&msg);
                                let mut d = at.error(
                                    code_for(ty),
                                    if msg.contains(&format!("column `{name}`")) {
                                        format!(
                                            "{msg}, in row {row_no} of `{}`",
                                            crate::escape::visible(shown)
                                        )
                                    } else {
                                        format!(
                                            "{msg} (row {row_no} of `{}`, column `{name}`)",
                                            crate::escape::visible(shown)
                                        )
                                    },
                                );
                                if let Some(h) = help {
                                    d = d.help(h);
                                }
                                ctx.diags.push(d);
                                Cell::Unknown
                            }
                        };
                        if let Some(slot) = cells.get_mut(ci) {
                            *slot = Some(cell);
                        }
                    }
                }
            }
            let dataset = table.cites_dataset.then_some(table.sources.as_slice());
            let srcs = ctx.resolve_sources(&sources, at.fid, at.span.clone(), dataset);
            for (ci, cell) in cells.iter_mut().enumerate() {
                let Some(col) = table.columns.get_mut(ci) else {
                    continue;
                };
                let cell = cell.take().unwrap_or_else(|| {
                    let empty = table
                        .column_formats
                        .get(ci)
                        .map_or(Empty::Unknown, |f| f.empty);
                    empty_cell(col.ty, empty)
                });
                col.data.push(cell);
            }
            table.records.push(&srcs, note, data_fid, None);
            table
                .records
                .lines
                .push(u32::try_from(row_no).unwrap_or(u32::MAX));
        }
        Ok(())
    }

    /// Every value of every plain top-level column of a Parquet file, as
    /// the text a CSV cell would hold (`""` for NULL), given to `see` with
    /// the column's index among the file's columns; the columns with why
    /// the others cannot be read, and the number of rows. The reader's
    /// errors and panics are an `Err`.
    pub fn describe_cells(
        bytes: Vec<u8>,
        see: &mut dyn FnMut(usize, &str),
    ) -> Result<super::ParquetColumns, String> {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cells(bytes, see)));
        match run {
            Ok(r) => r,
            Err(_) => Err("the Parquet reader failed on it: is the file whole?".into()),
        }
    }

    fn cells(
        bytes: Vec<u8>,
        see: &mut dyn FnMut(usize, &str),
    ) -> Result<super::ParquetColumns, String> {
        let reader =
            SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(|e| e.to_string())?;
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let fields = schema.root_schema().get_fields();
        let mut out = super::ParquetColumns::default();
        let mut picked = Vec::new();
        let mut index = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let why = plain(f).err().map(str::to_string);
            if why.is_none() {
                picked.push(f.clone());
                index.push(i);
            }
            out.columns.push((f.name().to_string(), why));
        }
        let projection = Type::group_type_builder(schema.root_schema().name())
            .with_fields(picked)
            .build()
            .map_err(|e| e.to_string())?;
        let rows = reader
            .get_row_iter(Some(projection))
            .map_err(|e| e.to_string())?;
        for row in rows {
            let row = row.map_err(|e| e.to_string())?;
            out.rows += 1;
            for ((_, field), &ci) in row.get_column_iter().zip(index.iter()) {
                match field_text(field) {
                    Ok(t) => see(ci, &t),
                    Err(why) => {
                        if let Some(c) = out.columns.get_mut(ci) {
                            c.1.get_or_insert(why);
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// The text of a plain Parquet value, as a CSV cell would hold it; why
    /// not, for a value no column reads.
    fn field_text(field: &Field) -> Result<String, String> {
        let not = |what: &str| Err(format!("holds {what}"));
        match value_of(field) {
            Value::Null => Ok(String::new()),
            Value::Str(s) => Ok(s.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Date(days) => day_text(days).map_err(|(m, _)| m),
            Value::Number(text) => text.map_err(|(m, _)| m),
            Value::Binary => not("binary values (not UTF-8 strings)"),
            Value::Time => not("times of day"),
            Value::Timestamp => {
                not("timestamps (only DATE values, or dates written as strings, are read)")
            }
            Value::Nested => not("nested values"),
        }
    }

    /// Whether a Parquet column holds one plain value per row; else why not.
    fn plain(f: &Type) -> Result<(), &'static str> {
        if !f.is_primitive() {
            return Err("is nested");
        }
        if f.get_basic_info().has_repetition()
            && f.get_basic_info().repetition() == Repetition::REPEATED
        {
            return Err("is repeated");
        }
        Ok(())
    }

    /// The cell of column `ci` from a Parquet value.
    fn read_value(
        table: &Table,
        ci: usize,
        field: &Field,
        format: &CsvFormat,
    ) -> Result<Cell, (String, Option<String>)> {
        let Some(col) = table.columns.get(ci) else {
            return Ok(Cell::Unknown);
        };
        let cf = table.column_formats.get(ci);
        let empty = || empty_cell(col.ty, cf.map_or(Empty::Unknown, |f| f.empty));
        let as_text = |s: &str| text_cell(col, s).map_err(|(m, _, h)| (m, h));
        let wrong = |what: &str| {
            Err((
                format!("the value is {what}, and the column is {}", col.ty.name()),
                None,
            ))
        };
        let number = |s: String| match col.ty {
            ColType::Boolean | ColType::List | ColType::Date => wrong(&format!("the number {s}")),
            _ => as_text(&s),
        };
        match value_of(field) {
            Value::Null => Ok(empty()),
            Value::Str(s) => {
                let v = s.trim();
                if v == "unknown"
                    || (v.is_empty() && col.ty != ColType::List)
                    || format.is_missing(v)
                {
                    return Ok(empty());
                }
                if let (ColType::Date, Some(df)) = (col.ty, cf.and_then(|f| f.date.as_ref())) {
                    return df.read(v).map(Cell::Date).map_err(|e| {
                        (e, Some(format!("the column's format is `{}`", df.as_str())))
                    });
                }
                let v = match col.ty {
                    ColType::Integer | ColType::Decimal | ColType::Quantity(_) => format.number(v),
                    _ => std::borrow::Cow::Borrowed(v),
                };
                as_text(&v)
            }
            Value::Bool(b) => match col.ty {
                ColType::Boolean => Ok(Cell::Bool(b)),
                ColType::Text => Ok(Cell::Text(Arc::from(if b { "true" } else { "false" }))),
                _ => wrong(&format!("the truth value {b}")),
            },
            Value::Number(text) => text.and_then(number),
            Value::Date(days) => {
                let day = day_text(days)?;
                match col.ty {
                    ColType::Date | ColType::Text => as_text(&day),
                    _ => wrong(&format!("the date {day}")),
                }
            }
            Value::Binary => wrong("binary (not a UTF-8 string)"),
            Value::Time => wrong("a time of day"),
            Value::Timestamp => {
                wrong("a timestamp (only DATE values, or dates written as strings, are read)")
            }
            Value::Nested => wrong("a nested Parquet value"),
        }
    }

    /// A Parquet value as the loaders tell values apart (the numeric
    /// kinds are one: their decimal text).
    enum Value<'f> {
        Null,
        Str(&'f str),
        Bool(bool),
        /// A DATE: days since 1970-01-01.
        Date(i32),
        /// An integer, a float or a DECIMAL: its decimal text, or why it
        /// has none.
        Number(Result<String, (String, Option<String>)>),
        Binary,
        Time,
        Timestamp,
        Nested,
    }

    /// What kind of value `field` is.
    fn value_of(field: &Field) -> Value<'_> {
        let number = Value::Number;
        match field {
            Field::Null => Value::Null,
            Field::Str(s) => Value::Str(s),
            Field::Bool(b) => Value::Bool(*b),
            Field::Date(days) => Value::Date(*days),
            Field::Byte(n) => number(Ok(n.to_string())),
            Field::Short(n) => number(Ok(n.to_string())),
            Field::Int(n) => number(Ok(n.to_string())),
            Field::Long(n) => number(Ok(n.to_string())),
            Field::UByte(n) => number(Ok(n.to_string())),
            Field::UShort(n) => number(Ok(n.to_string())),
            Field::UInt(n) => number(Ok(n.to_string())),
            Field::ULong(n) => number(Ok(n.to_string())),
            Field::Float16(x) => number(float(f64::from(f32::from(*x)).to_string(), x.is_finite())),
            Field::Float(x) => number(float(x.to_string(), x.is_finite())),
            Field::Double(x) => number(float(x.to_string(), x.is_finite())),
            Field::Decimal(d) => number(decimal_text(d.data(), d.scale())),
            Field::Bytes(_) => Value::Binary,
            Field::TimeMillis(_) | Field::TimeMicros(_) => Value::Time,
            Field::TimestampMillis(_) | Field::TimestampMicros(_) => Value::Timestamp,
            Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => Value::Nested,
        }
    }

    /// The text of a finite float (Rust writes the shortest decimal that
    /// reads back as the same number).
    fn float(text: String, finite: bool) -> Result<String, (String, Option<String>)> {
        if finite {
            Ok(text)
        } else {
            Err((format!("the value is {text}, not a number"), None))
        }
    }

    /// The decimal text of a DECIMAL value: its big-endian two's
    /// complement unscaled integer, and its scale.
    fn decimal_text(data: &[u8], scale: i32) -> Result<String, (String, Option<String>)> {
        let too_big = || ("the DECIMAL value is too large to read".to_string(), None);
        if data.is_empty() || data.len() > 16 || !(0..=38).contains(&scale) {
            return Err(too_big());
        }
        let neg = data.first().is_some_and(|b| b & 0x80 != 0);
        let mut v: i128 = if neg { -1 } else { 0 };
        for b in data {
            v = (v << 8) | i128::from(*b);
        }
        let digits = v.unsigned_abs().to_string();
        let scale = usize::try_from(scale).map_err(|_| too_big())?;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        let sign = if neg { "-" } else { "" };
        Ok(if scale == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        })
    }

    /// `YYYY-MM-DD` of a DATE value (days since 1970-01-01).
    fn day_text(days: i32) -> Result<String, (String, Option<String>)> {
        let out = || (format!("the DATE value {days} is out of range"), None);
        let epoch = jiff::civil::Date::new(1970, 1, 1).map_err(|_| out())?;
        let span = jiff::Span::new()
            .try_days(i64::from(days))
            .map_err(|_| out())?;
        let d = epoch.checked_add(span).map_err(|_| out())?;
        Ok(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
    }
}

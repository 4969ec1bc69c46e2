//! JSON Lines data files (`.jsonl`, also compressed: `.jsonl.gz`,
//! `.jsonl.zst`): one JSON object per line, each a record. A declared
//! column reads the key of its name (or its `header`); keys no column
//! declares are skipped, never stored. `sources` (a list of ids, or ids
//! separated by `;`) and `note` keys work as the CSV columns of those
//! names.
//!
//! Values are read exactly: a number is read from its text as written (no
//! floating point on the way), a string as the CSV cell it would be
//! (declared formats and missing-value tokens apply), `null` or a missing
//! key as an empty cell, `true`/`false` in boolean columns, an array of
//! strings in list columns.
//!
//! Hostile input, each a located error (its line named), exit 2: a line
//! that is not a JSON object (or not JSON), a line longer than
//! [`MAX_LINE`] (not read into memory whole), nesting deeper than the JSON
//! reader's limit (128), a key written twice in one object (one of the two
//! would silently win), a value of the wrong type. Bytes that are not
//! UTF-8, NUL bytes and the size limit are checked on the way in, as for
//! CSV files. A declared column that no line has is an error, as a CSV
//! header without it is.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::sync::Arc;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::diag::{suggest, Diagnostic, FileId};

use super::column::Cell;
use super::{
    cell_span, code_for, column_of_header, empty_cell, stream, text_cell, ColType, Empty, RowCtx,
    Table, MAX_RECORDS,
};

/// The longest line read, in bytes: a longer one is an error (and is
/// skipped without being held).
pub const MAX_LINE: usize = 1 << 20;

/// One line's object: its keys and raw values, in order, duplicates kept.
struct Object(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Object, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Box<RawValue>>()? {
                    out.push((k, v));
                }
                Ok(Object(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Read the records of a JSON Lines file from `raw` into `table`.
pub(super) fn load_rows<R: stream::Raw>(
    table: &mut Table,
    fid: FileId,
    raw: R,
    ctx: &mut RowCtx<'_>,
) -> R {
    let format = table.format.clone();
    let mut rdr = BufReader::with_capacity(1 << 16, raw);
    // The column each key names.
    let mut col_of_key: HashMap<String, Option<usize>> = HashMap::new();
    let mut seen_col = vec![false; table.columns.len()];
    let mut undeclared: Vec<String> = Vec::new();
    let mut line_no = 0usize;
    let mut at = 0usize;
    let mut buf = Vec::new();
    let mut filled = vec![false; table.columns.len()];
    loop {
        line_no += 1;
        buf.clear();
        let start = at;
        rdr.get_mut().forget_before(start);
        let got = (&mut rdr)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf);
        let n =
            match got {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    ctx.diags.push(
                        Diagnostic::error("evidence/jsonl", format!("cannot read the file: {e}"))
                            .at(fid, start..start, "here"),
                    );
                    break;
                }
            };
        at += n;
        if buf.last() != Some(&b'\n') && n > MAX_LINE {
            // Skipped to its end, never held whole.
            let mut more = n;
            loop {
                buf.clear();
                match (&mut rdr).take(MAX_LINE as u64).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => {
                        at += k;
                        more += k;
                        if buf.last() == Some(&b'\n') {
                            break;
                        }
                    }
                }
            }
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/jsonl-line-too-long",
                    format!("line {line_no} is {more} bytes long: longer than the {MAX_LINE} bytes a line may have"),
                )
                .at(fid, start..start, "this line")
                .help("a JSON Lines record is one object on one line: is this file JSON Lines?"),
            );
            continue;
        }
        let text = std::str::from_utf8(&buf).unwrap_or("");
        let body = text.trim_end_matches(['\n', '\r']);
        let span = start..start + body.len();
        if body.trim().is_empty() {
            continue;
        }
        if table.len() >= MAX_RECORDS {
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/too-many-records",
                    format!("table `{}` has more than {MAX_RECORDS} records", table.name),
                )
                .at(fid, start..start, "the rest starts here")
                .help("split the table into several tables"),
            );
            break;
        }
        let obj = match serde_json::from_str::<Object>(body) {
            Ok(o) => o,
            Err(e) => {
                let col = e.column().saturating_sub(1).min(body.len());
                let what = if e.is_data() {
                    format!("line {line_no} is not a JSON object")
                } else {
                    format!(
                        "line {line_no} is not valid JSON: {}",
                        crate::escape::visible(&e.to_string())
                    )
                };
                ctx.diags.push(
                    Diagnostic::error("evidence/jsonl", what)
                        .at(fid, start + col..start + col, "here")
                        .help("each line of a JSON Lines file is one JSON object: {\"name\": \"value\", ...}"),
                );
                continue;
            }
        };
        // A key written twice: one value would silently win.
        let mut keys: Vec<&str> = obj.0.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w.first() == w.get(1)) {
            let k = w.first().copied().unwrap_or("");
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/jsonl-duplicate-key",
                    format!(
                        "key `{}` appears twice in the object on line {line_no}",
                        crate::escape::visible(k)
                    ),
                )
                .at(fid, span.clone(), "this line")
                .help("each key may appear once in an object"),
            );
            continue;
        }
        let mut sources: Vec<(String, Range<usize>)> = Vec::new();
        let mut note = None;
        filled.iter_mut().for_each(|f| *f = false);
        let mut cells: Vec<(usize, Cell)> = Vec::new();
        for (k, v) in &obj.0 {
            let raw = v.get();
            match k.as_str() {
                "sources" => {
                    let ids: Vec<String> = match serde_json::from_str::<Vec<String>>(raw) {
                        Ok(l) => l,
                        Err(_) => match serde_json::from_str::<String>(raw) {
                            Ok(s) => s.split(';').map(|x| x.trim().to_string()).collect(),
                            Err(_) => {
                                ctx.diags.push(
                                    Diagnostic::error(
                                        "evidence/jsonl-type",
                                        format!("`sources` on line {line_no} is not a list of source ids"),
                                    )
                                    .at(fid, cell_span(body, &span, raw), "here")
                                    .help("write \"sources\": [\"<id>\", ...]"),
                                );
                                Vec::new()
                            }
                        },
                    };
                    sources = ids
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .map(|x| {
                            let s = cell_span(body, &span, &x);
                            (x, s)
                        })
                        .collect();
                    continue;
                }
                "note" => {
                    note = serde_json::from_str::<String>(raw)
                        .ok()
                        .filter(|s| !s.is_empty());
                    continue;
                }
                _ => {}
            }
            let ci = match col_of_key.get(k) {
                Some(c) => *c,
                None => {
                    let c = column_of_header(table, k)
                        .filter(|c| table.column_formats.get(*c).is_none_or(|f| !f.derived));
                    if c.is_none() && undeclared.len() < 1000 {
                        undeclared.push(k.clone());
                    }
                    col_of_key.insert(k.clone(), c);
                    c
                }
            };
            let Some(ci) = ci else {
                continue;
            };
            if let Some(s) = seen_col.get_mut(ci) {
                *s = true;
            }
            if let Some(f) = filled.get_mut(ci) {
                *f = true;
            }
            let cell = match read_value(table, ci, raw, &format) {
                Ok(c) => c,
                Err((msg, help)) => {
                    let name = table.columns.get(ci).map_or("?", |c| c.name.as_str());
                    let ty = table.columns.get(ci).map_or(ColType::Text, |c| c.ty);
                    let msg = crate::escape::visible(&msg);
                    let mut d = Diagnostic::error(
                        code_for(ty),
                        if msg.contains(&format!("column `{name}`")) {
                            format!("{msg}, on line {line_no}")
                        } else {
                            format!("{msg} (line {line_no}, column `{name}`)")
                        },
                    )
                    .at(fid, cell_span(body, &span, raw), "this value");
                    if let Some(h) = help {
                        d = d.help(h);
                    }
                    ctx.diags.push(d);
                    Cell::Unknown
                }
            };
            cells.push((ci, cell));
        }
        let dataset = table.cites_dataset.then_some(table.sources.as_slice());
        let srcs = ctx.resolve_sources(&sources, fid, span.clone(), dataset);
        // Every column gets its cell, in column order: the missing ones
        // are empty.
        for (ci, done) in filled.iter().enumerate() {
            if !done {
                let Some(col) = table.columns.get(ci) else {
                    continue;
                };
                let empty = table
                    .column_formats
                    .get(ci)
                    .map_or(Empty::Unknown, |f| f.empty);
                cells.push((ci, empty_cell(col.ty, empty)));
            }
        }
        cells.sort_by_key(|(ci, _)| *ci);
        for (ci, cell) in cells {
            if let Some(col) = table.columns.get_mut(ci) {
                col.data.push(cell);
            }
        }
        let kept = rdr.get_ref().whole().then_some(span);
        table.records.push(&srcs, note, fid, kept);
        table
            .records
            .lines
            .push(u32::try_from(line_no).unwrap_or(u32::MAX));
    }
    if !table.is_empty() {
        for (ci, c) in table.columns.iter().enumerate() {
            let derived = table.column_formats.get(ci).is_some_and(|f| f.derived);
            if derived || seen_col.get(ci).copied().unwrap_or(true) {
                continue;
            }
            let wanted = table
                .column_formats
                .get(ci)
                .and_then(|f| f.header.as_deref())
                .unwrap_or(&c.name);
            let help = match suggest(wanted, undeclared.iter().map(String::as_str)) {
                Some(s) => format!("the lines have an undeclared key `{s}`: did you mean it? (set `header = \"{s}\"` on the column if it is the one)"),
                None => "add the key to the records, or set `header` to the key the file uses".to_string(),
            };
            ctx.diags.push(
                Diagnostic::error(
                    "evidence/missing-column",
                    format!(
                        "no line of the file has the key `{}`",
                        crate::escape::visible(wanted)
                    ),
                )
                .at(fid, 0..0, "in this file")
                .help(help),
            );
        }
    }
    rdr.into_inner()
}

/// The cell of column `ci` from a raw JSON value.
fn read_value(
    table: &Table,
    ci: usize,
    raw: &str,
    format: &crate::input::csvformat::CsvFormat,
) -> Result<Cell, (String, Option<String>)> {
    let Some(col) = table.columns.get(ci) else {
        return Ok(Cell::Unknown);
    };
    let cf = table.column_formats.get(ci);
    let empty = || empty_cell(col.ty, cf.map_or(Empty::Unknown, |f| f.empty));
    let first = raw.as_bytes().first().copied().unwrap_or(b'n');
    let from_text = |s: &str| -> Result<Cell, (String, Option<String>)> {
        let v = s.trim();
        if v == "unknown" || (v.is_empty() && col.ty != ColType::List) || format.is_missing(v) {
            return Ok(empty());
        }
        if let (ColType::Date, Some(df)) = (col.ty, cf.and_then(|f| f.date.as_ref())) {
            return df
                .read(v)
                .map(Cell::Date)
                .map_err(|e| (e, Some(format!("the column's format is `{}`", df.as_str()))));
        }
        let v = match col.ty {
            ColType::Integer | ColType::Decimal | ColType::Quantity(_) => format.number(v),
            _ => std::borrow::Cow::Borrowed(v),
        };
        text_cell(col, &v).map_err(|(m, _, h)| (m, h))
    };
    match first {
        b'n' => Ok(empty()),
        b'"' => match serde_json::from_str::<String>(raw) {
            Ok(s) => from_text(&s),
            Err(e) => Err((format!("invalid string: {e}"), None)),
        },
        b't' | b'f' => match col.ty {
            ColType::Boolean | ColType::Text => Ok(if col.ty == ColType::Text {
                Cell::Text(Arc::from(raw))
            } else {
                Cell::Bool(first == b't')
            }),
            _ => Err((
                format!(
                    "`{raw}` is a truth value, and the column is {}",
                    col.ty.name()
                ),
                None,
            )),
        },
        b'[' => match col.ty {
            ColType::List => match serde_json::from_str::<Vec<String>>(raw) {
                Ok(items) => Ok(Cell::List(
                    items
                        .iter()
                        .map(|s| s.trim())
                        .filter(|s| !s.is_empty())
                        .map(Arc::from)
                        .collect::<Vec<_>>()
                        .into(),
                )),
                Err(_) => Err(("a list column holds a list of strings".to_string(), None)),
            },
            _ => Err((
                format!(
                    "the value is a JSON array, and the column is {}",
                    col.ty.name()
                ),
                Some("only list columns read JSON arrays".to_string()),
            )),
        },
        b'{' => Err((
            format!(
                "the value is a JSON object, and the column is {}",
                col.ty.name()
            ),
            Some("a column reads a string, a number, true/false or null".to_string()),
        )),
        // A number, read from its text as written.
        _ => match col.ty {
            ColType::Boolean | ColType::List | ColType::Date => Err((
                format!("`{raw}` is a number, and the column is {}", col.ty.name()),
                None,
            )),
            _ => text_cell(col, raw).map_err(|(m, _, h)| (m, h)),
        },
    }
}

//! `factcheck describe FILE`: a table description written from a
//! data file, the first step towards checking claims against a dataset
//! as it is published (CSV, or JSON Lines: one object per line). It
//! detects the compression (gzip, zstd), the encoding, the delimiter and
//! the header line (for JSON Lines, the keys), infers each column's type (naming the
//! value that decided it), counts empty cells, missing-value tokens and
//! distinct values, gives each column's least and greatest value, and
//! records the file's SHA-256. It never guesses the dataset's sources:
//! it leaves a commented placeholder for them.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;

use crate::date::DateRange;
use crate::diag::Diagnostic;
use crate::fsread::{Fs, DEFAULT_MAX_FILE_SIZE};
use crate::input::csvformat::{DateFormat, Encoding};
use crate::num::Rational;

/// Texts that commonly stand for a missing value in published files.
const MISSING: &[&str] = &[
    "NA", "N/A", "n/a", "na", "..", "...", "-", "–", "—", "NaN", "nan", "null", "NULL", "None",
    ":", "x", "X", "unknown",
];

/// Distinct values counted exactly up to this many per column.
const MAX_DISTINCT: usize = 1 << 20;

/// Lines looked at to detect the delimiter and the header.
const SNIFF_LINES: usize = 64;

/// Describe the file at `path` (given on the command line).
pub fn describe_file(path: &Path) -> Result<String, Box<Diagnostic>> {
    let mut fs = Fs::new(None, DEFAULT_MAX_FILE_SIZE)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut diags = Vec::new();
    let Some(opened) = fs.open(path, dir, &mut diags) else {
        return Err(Box::new(diags.pop().unwrap_or_else(|| {
            Diagnostic::error("io/read", "the file could not be read")
                .in_path(path.display().to_string())
        })));
    };
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = opened.read_at(&mut buf, raw.len() as u64).map_err(|e| {
            Box::new(
                Diagnostic::error("io/read", format!("the file could not be read: {e}"))
                    .in_path(opened.shown.clone()),
            )
        })?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(buf.get(..n).unwrap_or_default());
        if raw.len() as u64 > opened.max() {
            return Err(Box::new(
                Diagnostic::error(
                    "io/too-large",
                    format!("the file is larger than {} bytes", opened.max()),
                )
                .in_path(opened.shown.clone()),
            ));
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    describe_bytes(&raw, &name, opened.max()).map_err(|e| {
        Box::new(
            Diagnostic::error("describe/unreadable", e)
                .in_path(opened.shown.clone())
                .help("describe reads CSV and JSON Lines files (UTF-8, Latin-1 or Windows-1252, optionally gzip- or zstd-compressed) and Parquet files"),
        )
    })
}

/// What was found in one column.
#[derive(Default)]
struct ColStats {
    header: String,
    empty: usize,
    missing: BTreeMap<String, usize>,
    distinct: HashSet<String>,
    distinct_overflow: bool,
    /// Values seen (not empty, not missing).
    values: usize,
    /// Whether every value so far reads as each type.
    int: bool,
    dec: bool,
    dec_comma: bool,
    iso_date: bool,
    dmy: bool,
    mdy: bool,
    boolean: bool,
    /// Whole numbers grouped by `.` (1.234.567), or plain.
    thousands_dot: bool,
    /// Quarters, in the first format that reads every value.
    quarter: [bool; 3],
    /// Least and greatest date, per way of reading them (ISO, day first,
    /// month first, quarters).
    date_range: BTreeMap<&'static str, (String, String)>,
    /// The first value that ruled a type out, by type.
    ruled_out: BTreeMap<&'static str, String>,
    /// The first value that needed the more general type.
    decided: BTreeMap<&'static str, String>,
    /// Least and greatest, as numbers and as texts.
    num_min: Option<(Rational, String)>,
    num_max: Option<(Rational, String)>,
    text_min: Option<String>,
    text_max: Option<String>,
    example: Option<String>,
    /// Values that were JSON arrays (JSON Lines only).
    arrays: usize,
}

impl ColStats {
    fn new(header: &str) -> Self {
        ColStats {
            header: header.to_string(),
            int: true,
            dec: true,
            dec_comma: true,
            iso_date: true,
            dmy: true,
            mdy: true,
            boolean: true,
            thousands_dot: true,
            quarter: [true; 3],
            ..ColStats::default()
        }
    }

    fn see(&mut self, v: &str) {
        let v = v.trim();
        if v.is_empty() {
            self.empty += 1;
            return;
        }
        if MISSING.contains(&v) {
            *self.missing.entry(v.to_string()).or_insert(0) += 1;
            return;
        }
        self.values += 1;
        if self.example.is_none() {
            self.example = Some(v.to_string());
        }
        if !self.distinct_overflow {
            if self.distinct.len() < MAX_DISTINCT {
                self.distinct.insert(v.to_string());
            } else if !self.distinct.contains(v) {
                self.distinct_overflow = true;
            }
        }
        let mut rule = |ok: &mut bool, name: &'static str, holds: bool| {
            if *ok && !holds {
                *ok = false;
                self.ruled_out.entry(name).or_insert_with(|| v.to_string());
            }
        };
        let int = v.parse::<i128>().is_ok();
        rule(&mut self.int, "integer", int);
        let dec = Rational::parse_decimal(v).ok().map(|(r, _)| r);
        rule(&mut self.dec, "decimal", dec.is_some());
        let grouped = |t: &str| {
            let mut parts = t.split('.');
            let first = parts.next().unwrap_or("");
            let rest: Vec<&str> = parts.collect();
            !rest.is_empty()
                && (1..=3).contains(&first.len())
                && first.bytes().all(|b| b.is_ascii_digit())
                && rest
                    .iter()
                    .all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        };
        rule(&mut self.thousands_dot, "thousands", int || grouped(v));
        let comma = (v.contains(',')
            && (!v.contains('.') || grouped(v.split(',').next().unwrap_or(""))))
        .then(|| Rational::parse_decimal(&v.replace('.', "").replace(',', ".")).ok())
        .flatten()
        .map(|(r, _)| r);
        for (i, f) in QUARTERS.iter().enumerate() {
            let q = date_in(v, f);
            match q {
                Some(d) => widen(&mut self.date_range, f, &d),
                None => {
                    if let Some(ok) = self.quarter.get_mut(i) {
                        *ok = false;
                    }
                }
            }
        }
        rule(&mut self.dec_comma, "decimal comma", comma.is_some() || int);
        let iso = crate::date::parse_date_value(v).is_ok()
            && (v.bytes().next().is_some_and(|b| b.is_ascii_digit()) || v.starts_with(".."))
            && v.len() >= 4;
        rule(&mut self.iso_date, "date", iso);
        let dmy = date_in(v, "%d/%m/%Y");
        rule(&mut self.dmy, "day/month/year", dmy.is_some());
        let mdy = date_in(v, "%m/%d/%Y");
        rule(&mut self.mdy, "month/day/year", mdy.is_some());
        for (f, d) in [("%d/%m/%Y", &dmy), ("%m/%d/%Y", &mdy)] {
            if let Some(d) = d {
                widen(&mut self.date_range, f, d);
            }
        }
        rule(
            &mut self.boolean,
            "boolean",
            matches!(v, "true" | "false" | "TRUE" | "FALSE" | "True" | "False"),
        );
        if self.dec && !int {
            self.decided
                .entry("decimal")
                .or_insert_with(|| v.to_string());
        }
        if self.dec_comma && comma.is_some() && !int {
            self.decided
                .entry("decimal comma")
                .or_insert_with(|| v.to_string());
        }
        if let Some(r) = dec.or(comma) {
            if self.num_min.as_ref().is_none_or(|(m, _)| r < *m) {
                self.num_min = Some((r, v.to_string()));
            }
            if self.num_max.as_ref().is_none_or(|(m, _)| r > *m) {
                self.num_max = Some((r, v.to_string()));
            }
        }
        let key = v.to_string();
        if self.text_min.as_ref().is_none_or(|m| key < *m) {
            self.text_min = Some(key.clone());
        }
        if self.text_max.as_ref().is_none_or(|m| key > *m) {
            self.text_max = Some(key);
        }
    }

    /// The type, a date format when it needs one, and why; `comma`:
    /// whether the file writes decimals with a comma.
    fn verdict(&self, comma: bool) -> (&'static str, Option<&'static str>, String) {
        let first = |k: &str| self.ruled_out.get(k).map(|s| quoted(s));
        if self.values == 0 {
            return (
                "text",
                None,
                "no values: every cell is empty or missing".into(),
            );
        }
        let example = self.example.as_deref().map(quoted).unwrap_or_default();
        if self.boolean {
            return (
                "boolean",
                None,
                format!("every value is true or false, e.g. {example}"),
            );
        }
        if self.int {
            return (
                "integer",
                None,
                format!("every value is a whole number, e.g. {example}"),
            );
        }
        if comma && self.thousands_dot {
            return (
                "integer",
                None,
                format!("every value is a whole number grouped by `.`, e.g. {example}"),
            );
        }
        if self.dec {
            let d = self
                .decided
                .get("decimal")
                .map(|s| quoted(s))
                .unwrap_or(example);
            return (
                "decimal",
                None,
                format!("decided by {d}: not a whole number, a decimal"),
            );
        }
        if self.dec_comma {
            let d = self
                .decided
                .get("decimal comma")
                .map(|s| quoted(s))
                .unwrap_or(example);
            return (
                "decimal",
                None,
                format!("decided by {d}: a decimal written with a comma"),
            );
        }
        if self.iso_date {
            return (
                "date",
                None,
                format!("every value is a date, e.g. {example}"),
            );
        }
        for (i, f) in QUARTERS.iter().enumerate() {
            if self.quarter.get(i) == Some(&true) {
                return (
                    "date",
                    Some(f),
                    format!("every value is a quarter, e.g. {example}"),
                );
            }
        }
        match (self.dmy, self.mdy) {
            (true, false) => {
                let d = first("month/day/year").unwrap_or_default();
                return (
                    "date",
                    Some("%d/%m/%Y"),
                    format!("day first: decided by {d}, which is no month/day/year date"),
                );
            }
            (false, true) => {
                let d = first("day/month/year").unwrap_or_default();
                return (
                    "date",
                    Some("%m/%d/%Y"),
                    format!("month first: decided by {d}, which is no day/month/year date"),
                );
            }
            (true, true) => {
                return (
                    "date",
                    Some("%d/%m/%Y"),
                    format!("AMBIGUOUS: every value reads day first and month first (e.g. {example}); check which the publisher uses"),
                );
            }
            (false, false) => {}
        }
        let d = first("date")
            .or_else(|| first("decimal"))
            .unwrap_or(example);
        (
            "text",
            None,
            format!("decided by {d}: not a number or a date"),
        )
    }
}

/// Ways of writing a quarter.
const QUARTERS: [&str; 3] = ["%YQ%q", "%Y-Q%q", "%YT%q"];

/// Widen the least and greatest date read with `format` by `d`.
fn widen(
    ranges: &mut BTreeMap<&'static str, (String, String)>,
    format: &'static str,
    d: &DateRange,
) {
    let s = d.to_string();
    let e = ranges
        .entry(format)
        .or_insert_with(|| (s.clone(), s.clone()));
    if s < e.0 {
        e.0 = s.clone();
    }
    if s > e.1 {
        e.1 = s;
    }
}

fn date_in(v: &str, format: &str) -> Option<DateRange> {
    DateFormat::parse(format).ok()?.read(v).ok()
}

/// A value quoted for a TOML comment: escaped, and cut when long.
fn quoted(s: &str) -> String {
    let mut short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    toml_str(&short)
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || crate::escape::is_hidden(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A claim-language name for a header: lower case, letters, digits and
/// `_`.
fn ident(h: &str) -> String {
    let mut out = String::new();
    for c in h.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        None => "column".into(),
        Some(c) if c.is_ascii_digit() => format!("c_{out}"),
        Some(_) => out,
    }
}

/// Describe a file's bytes; `name` is its file name.
pub fn describe_bytes(raw: &[u8], name: &str, max: u64) -> Result<String, String> {
    let sha = crate::evidence::sha256_hex(raw);
    if raw.starts_with(b"PAR1") {
        return describe_parquet(raw, name, &sha);
    }
    let gzip = raw.starts_with(&[0x1f, 0x8b]);
    let zstd = raw.starts_with(&ZSTD_MAGIC);
    let bytes = if gzip {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw)
            .take(max.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| format!("the gzip stream is corrupt or ends early ({e})"))?;
        if out.len() as u64 > max {
            return Err(format!("it holds more than {max} bytes of data"));
        }
        out
    } else if zstd {
        unzstd(raw, max)?
    } else {
        raw.to_vec()
    };
    let compression = if gzip {
        "gzip, "
    } else if zstd {
        "zstd, "
    } else {
        ""
    };
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let (text, encoding) = match String::from_utf8(bytes) {
        Ok(t) => (t, Encoding::Utf8),
        Err(e) => {
            let b = e.into_bytes();
            let enc = if b
                .iter()
                .any(|x| (0x80..0xA0).contains(x) && Encoding::Windows1252.char_of(*x).is_some())
            {
                Encoding::Windows1252
            } else {
                Encoding::Latin1
            };
            let mut t = String::with_capacity(b.len());
            for x in &b {
                match enc.char_of(*x) {
                    Some(c) => t.push(c),
                    None => {
                        return Err(format!(
                        "byte 0x{x:02X} is a character in neither UTF-8, Latin-1 nor Windows-1252"
                    ))
                    }
                }
            }
            (t, enc)
        }
    };
    if text.contains('\0') {
        return Err("it holds a NUL byte: it is not a text file".into());
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if name.contains(".jsonl") || first.trim_start().starts_with('{') {
        return describe_jsonl(text, name, &sha, compression, encoding);
    }
    let lines: Vec<&str> = text.lines().take(SNIFF_LINES).collect();
    let comment = lines.iter().any(|l| l.starts_with('#')).then_some(b'#');
    // The first lines, for sniffing (a record cut at the end is ignored).
    let head_end = text
        .match_indices('\n')
        .nth(SNIFF_LINES)
        .map_or(text.len(), |(i, _)| i + 1);
    let head = text.get(..head_end).unwrap_or(text);
    // The delimiter: the one that splits the most records into the same
    // number (more than one) of fields, quotes respected.
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut freq: BTreeMap<usize, usize> = BTreeMap::new();
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(d)
            .comment(comment)
            .from_reader(head.as_bytes());
        for rec in r.records().map_while(Result::ok) {
            if rec.len() > 1 {
                *freq.entry(rec.len() - 1).or_insert(0) += 1;
            }
        }
        if let Some((n, lines)) = freq.iter().max_by_key(|(n, l)| (**l, **n)) {
            if (*lines, *n) > (best.2, best.1) {
                best = (d, *n, *lines);
            }
        }
    }
    let delimiter = best.0;
    let fields = best.1 + 1;
    // The header: the first line with as many fields as the data.
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .comment(comment)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut header = None;
    let mut skipped = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("not CSV: {e}")),
        }
        if rec.len() == fields || fields == 1 {
            let line = rec.position().map_or(1, |p| p.line());
            header = Some((line, rec.clone()));
            break;
        }
        skipped.push(rec.iter().collect::<Vec<_>>().join(" "));
    }
    let Some((header_line, header)) = header else {
        return Err("no header row found".into());
    };
    let mut cols: Vec<ColStats> = header.iter().map(ColStats::new).collect();
    let mut rows = 0usize;
    let mut ragged = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("not CSV after row {rows}: {e}")),
        }
        rows += 1;
        if rec.len() != cols.len() {
            ragged += 1;
        }
        for (c, v) in cols.iter_mut().zip(rec.iter()) {
            c.see(v);
        }
    }
    let table = ident(name.split('.').next().unwrap_or("table"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `factcheck describe {name}`: a first draft, to be checked\n\
         # line by line against what the publisher says about the file."
    );
    let _ = writeln!(
        out,
        "# Detected: {}{} encoding, delimiter {}, header on line {header_line}; {} columns, {rows} data rows.",
        compression,
        encoding.name(),
        toml_str(&char::from(delimiter).to_string()),
        cols.len()
    );
    if bom {
        let _ = writeln!(out, "# The file starts with a UTF-8 byte-order mark.");
    }
    for s in &skipped {
        let _ = writeln!(out, "# Skipped before the header: {}", quoted(s));
    }
    if ragged > 0 {
        let _ = writeln!(
            out,
            "# WARNING: {ragged} rows do not have {} fields.",
            cols.len()
        );
    }
    write_table_head(&mut out, &table, name, &sha);
    let decimal_comma = cols
        .iter()
        .any(|c| c.values > 0 && !c.int && !c.dec && c.dec_comma);
    let missing: std::collections::BTreeSet<&str> = cols
        .iter()
        .flat_map(|c| c.missing.keys().map(String::as_str))
        .collect();
    let mut format = Vec::new();
    if delimiter != b',' {
        let d = if delimiter == b'\t' {
            "\"\\t\"".to_string()
        } else {
            toml_str(&char::from(delimiter).to_string())
        };
        format.push(format!("delimiter = {d}"));
    }
    if header_line > 1 {
        format.push(format!("header_line = {header_line}"));
    }
    if let Some(c) = comment {
        format.push(format!(
            "comment = {}",
            toml_str(&char::from(c).to_string())
        ));
    }
    if encoding != Encoding::Utf8 {
        format.push(format!("encoding = \"{}\"", encoding.name()));
    }
    if decimal_comma {
        format.push("decimal = \",\"".into());
        if cols
            .iter()
            .any(|c| c.values > 0 && !c.int && c.thousands_dot)
        {
            format.push("thousands = \".\"".into());
        }
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|m| toml_str(m)).collect();
        format.push(format!("missing = [{}]", list.join(", ")));
    }
    if !format.is_empty() {
        let _ = writeln!(out, "\n[table.csv_format]");
        for f in format {
            let _ = writeln!(out, "{f}");
        }
    }
    write_columns(&mut out, &cols, decimal_comma);
    Ok(out)
}

/// The `[[column]]`s of a description, with what was found in each.
fn write_columns(out: &mut String, cols: &[ColStats], decimal_comma: bool) {
    let mut names: HashSet<String> = HashSet::new();
    for c in cols {
        let (ty, date_format, why) = if c.values > 0 && c.arrays == c.values {
            ("list", None, "every value is a list".to_string())
        } else {
            c.verdict(decimal_comma)
        };
        let mut n = ident(&c.header);
        if matches!(n.as_str(), "sources" | "note") || names.contains(&n) {
            let mut i = 2;
            while names.contains(&format!("{n}_{i}")) {
                i += 1;
            }
            n = format!("{n}_{i}");
        }
        names.insert(n.clone());
        let _ = writeln!(out, "\n[[column]]");
        let _ = writeln!(out, "name = {}", toml_str(&n));
        if n != c.header.trim() {
            let _ = writeln!(out, "header = {}", toml_str(c.header.trim()));
        }
        let _ = writeln!(out, "type = \"{ty}\"");
        if let Some(f) = date_format {
            let _ = writeln!(out, "format = \"{f}\"");
        }
        let _ = writeln!(out, "# type: {why}");
        let distinct = if c.distinct_overflow {
            format!("more than {MAX_DISTINCT}")
        } else {
            c.distinct.len().to_string()
        };
        let missing: Vec<String> = c
            .missing
            .iter()
            .map(|(k, n)| format!("{} ×{n}", toml_str(k)))
            .collect();
        let _ = writeln!(
            out,
            "# {} values, {distinct} distinct, {} empty{}",
            c.values,
            c.empty,
            if missing.is_empty() {
                String::new()
            } else {
                format!(", missing: {}", missing.join(", "))
            }
        );
        let range = match ty {
            "integer" | "decimal" => c
                .num_min
                .as_ref()
                .zip(c.num_max.as_ref())
                .map(|((_, a), (_, b))| (a.clone(), b.clone())),
            _ => match date_format.and_then(|f| c.date_range.get(f)) {
                Some((a, b)) => Some((a.clone(), b.clone())),
                None => c.text_min.clone().zip(c.text_max.clone()),
            },
        };
        if let Some((a, b)) = range {
            let _ = writeln!(out, "# min {}, max {}", quoted(&a), quoted(&b));
        }
        if c.empty > 0 && ty == "date" {
            let _ = writeln!(
                out,
                "# empty = \"open\" # if an empty cell means \"not yet\" (an ongoing end)"
            );
        }
    }
}

/// The magic number a zstd frame starts with.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The data of a zstd stream (its frames one after another), at most
/// `max` bytes.
fn unzstd(raw: &[u8], max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut src = raw;
    while !src.is_empty() {
        let mut d = ruzstd::decoding::StreamingDecoder::new(&mut src)
            .map_err(|e| format!("the zstd stream is corrupt or ends early ({e})"))?;
        (&mut d)
            .take(max.saturating_add(1).saturating_sub(out.len() as u64))
            .read_to_end(&mut out)
            .map_err(|e| format!("the zstd stream is corrupt or ends early ({e})"))?;
        if out.len() as u64 > max {
            return Err(format!("it holds more than {max} bytes of data"));
        }
    }
    Ok(out)
}

/// Describe a JSON Lines text: its keys, in the order first seen, as
/// columns; each value read as the text a column would read (a string's
/// content, a number as written, `null` as empty).
fn describe_jsonl(
    text: &str,
    name: &str,
    sha: &str,
    compression: &str,
    encoding: Encoding,
) -> Result<String, String> {
    let mut cols: Vec<ColStats> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut rows = 0usize;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
            .map_err(|e| format!("line {} is not a JSON object: {e}", i + 1))?;
        rows += 1;
        for (k, v) in obj {
            if k == "sources" || k == "note" {
                continue;
            }
            let at = *index.entry(k.clone()).or_insert_with(|| {
                cols.push(ColStats::new(&k));
                cols.len() - 1
            });
            let Some(c) = cols.get_mut(at) else {
                continue;
            };
            match v {
                serde_json::Value::Null => c.see(""),
                serde_json::Value::String(s) => c.see(&s),
                serde_json::Value::Array(items) => {
                    let texts: Vec<String> = items
                        .iter()
                        .map(|x| match x {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    c.see(&texts.join(";"));
                    if !texts.is_empty() {
                        c.arrays += 1;
                    }
                }
                other => c.see(&other.to_string()),
            }
        }
    }
    // A key missing from a line is an empty cell there.
    for c in &mut cols {
        let seen = c.values + c.empty + c.missing.values().sum::<usize>();
        c.empty += rows.saturating_sub(seen);
    }
    let table = ident(name.split('.').next().unwrap_or("table"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `factcheck describe {name}`: a first draft, to be checked\n\
         # line by line against what the publisher says about the file."
    );
    let _ = writeln!(
        out,
        "# Detected: {compression}{} encoding, JSON Lines; {} keys, {rows} records.",
        encoding.name(),
        cols.len()
    );
    write_table_head(&mut out, &table, name, sha);
    if encoding != Encoding::Utf8 {
        let _ = writeln!(
            out,
            "\n[table.csv_format]\nencoding = \"{}\"",
            encoding.name()
        );
    }
    write_columns(&mut out, &cols, false);
    Ok(out)
}

/// The `[table]` of a description: the table's name, the file and its
/// hash; its sources left to the reader (never guessed).
fn write_table_head(out: &mut String, table: &str, name: &str, sha: &str) {
    let _ = writeln!(out, "\n[table]");
    let _ = writeln!(out, "name = {}", toml_str(table));
    let _ = writeln!(out, "description = \"\" # what the table holds");
    let _ = writeln!(out, "csv = {}", toml_str(name));
    let _ = writeln!(
        out,
        "# sources = [\"<id>\"] # who published this file: declare it in sources.toml (never guessed)"
    );
    let _ = writeln!(out, "sha256 = \"{sha}\"");
}

/// A Parquet file: its plain columns typed from their values (as the
/// loader reads them: integers, exact decimals, DATE days, strings); the
/// others listed in a comment, as no column can read them.
fn describe_parquet(raw: &[u8], name: &str, sha: &str) -> Result<String, String> {
    let mut cols: Vec<ColStats> = Vec::new();
    let described = crate::evidence::describe_parquet_cells(raw.to_vec(), &mut |ci, text| {
        while cols.len() <= ci {
            cols.push(ColStats::new(""));
        }
        if let Some(c) = cols.get_mut(ci) {
            c.see(text);
        }
    })?;
    let mut readable = Vec::new();
    let mut unreadable = Vec::new();
    for (i, (header, why)) in described.columns.iter().enumerate() {
        if header == "sources" || header == "note" {
            continue;
        }
        match why {
            Some(why) => unreadable.push(format!(
                "# column {}: {} (no column reads it)",
                toml_str(header),
                crate::escape::visible(why)
            )),
            None => {
                let mut c = match cols.get_mut(i) {
                    Some(c) => std::mem::take(c),
                    None => ColStats::new(header),
                };
                c.header = header.clone();
                // A column no row reached (a file of no rows) is all empty.
                let seen = c.values + c.empty + c.missing.values().sum::<usize>();
                c.empty += described.rows.saturating_sub(seen);
                readable.push(c);
            }
        }
    }
    let table = ident(name.split('.').next().unwrap_or("table"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `factcheck describe {}`: a first draft, to be checked\n\
         # line by line against what the publisher says about the file.",
        crate::escape::visible(name)
    );
    let _ = writeln!(
        out,
        "# Detected: Parquet; {} columns, {} records.",
        described.columns.len(),
        described.rows
    );
    for line in &unreadable {
        let _ = writeln!(out, "{line}");
    }
    write_table_head(&mut out, &table, name, sha);
    write_columns(&mut out, &readable, false);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_european_file_is_described_as_written() {
        let csv = "Título\nRegión;Fecha;Tasa (%)\nNorte;31/01/2023;12,5\nSur;01/02/2023;..\nEste;15/03/2023;7\n";
        let bytes: Vec<u8> = csv
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        let d = describe_bytes(&bytes, "paro.csv", 1 << 20).unwrap();
        assert!(d.contains("latin-1 encoding"), "{d}");
        assert!(d.contains("delimiter = \";\""), "{d}");
        assert!(d.contains("header_line = 2"), "{d}");
        assert!(d.contains("decimal = \",\""), "{d}");
        assert!(d.contains("missing = [\"..\"]"), "{d}");
        assert!(d.contains("name = \"region\"\nheader = \"Región\""), "{d}");
        assert!(d.contains("format = \"%d/%m/%Y\""), "{d}");
        assert!(d.contains("decided by \"31/01/2023\""), "{d}");
        assert!(
            d.contains("name = \"tasa\"\nheader = \"Tasa (%)\"\ntype = \"decimal\""),
            "{d}"
        );
        assert!(d.contains("# sources = "), "{d}");
        assert!(!d.contains("\nsources = "), "{d}");
        // The description is a valid table file.
        assert!(d.parse::<toml::Table>().is_ok(), "{d}");
    }

    #[test]
    fn names_are_identifiers() {
        assert_eq!(ident("Tasa de paro (%)"), "tasa_de_paro");
        assert_eq!(ident("2023"), "c_2023");
        assert_eq!(ident("  "), "column");
    }
}

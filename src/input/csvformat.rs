//! How a CSV file is written, as its publisher wrote it: delimiter, quote,
//! the line its header is on, comment lines, encoding, compression, the
//! decimal and thousands separators, the tokens that mean "missing", and
//! per column a date format, the header it has in the file and what an
//! empty cell means. A table file declares it in `[table.csv_format]` and
//! on its `[[column]]`s; the file itself is read unmodified.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::{days_in_month, Date, DateRange};
use crate::diag::{Diagnostic, FileId};

/// The text encoding a file is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (the default).
    #[default]
    Utf8,
    /// ISO-8859-1: every byte is the code point of its value (bytes
    /// 0x80–0x9F, its control characters, are refused: they mean the file
    /// is Windows-1252).
    Latin1,
    /// Windows-1252: Latin-1 with printable characters at 0x80–0x9F
    /// (0x81, 0x8D, 0x8F, 0x90 and 0x9D are not characters).
    Windows1252,
}

impl Encoding {
    /// Its name as written in a table file.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// The character of byte `b` (not UTF-8: each byte is one character),
    /// or `None` when `b` is not a character in this encoding.
    pub fn char_of(self, b: u8) -> Option<char> {
        if b < 0x80 {
            return Some(char::from(b));
        }
        match self {
            Encoding::Utf8 => None,
            Encoding::Latin1 => (b >= 0xA0).then(|| char::from(b)),
            Encoding::Windows1252 => {
                if b >= 0xA0 {
                    return Some(char::from(b));
                }
                let c = match b {
                    0x80 => '€',
                    0x82 => '‚',
                    0x83 => 'ƒ',
                    0x84 => '„',
                    0x85 => '…',
                    0x86 => '†',
                    0x87 => '‡',
                    0x88 => 'ˆ',
                    0x89 => '‰',
                    0x8A => 'Š',
                    0x8B => '‹',
                    0x8C => 'Œ',
                    0x8E => 'Ž',
                    0x91 => '\u{2018}',
                    0x92 => '\u{2019}',
                    0x93 => '\u{201C}',
                    0x94 => '\u{201D}',
                    0x95 => '•',
                    0x96 => '–',
                    0x97 => '—',
                    0x98 => '˜',
                    0x99 => '™',
                    0x9A => 'š',
                    0x9B => '›',
                    0x9C => 'œ',
                    0x9E => 'ž',
                    0x9F => 'Ÿ',
                    _ => return None,
                };
                Some(c)
            }
        }
    }
}

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Not compressed.
    #[default]
    None,
    /// gzip (RFC 1952), one member or several.
    Gzip,
    /// zstd (RFC 8878), one frame or several.
    Zstd,
}

/// How a CSV file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFormat {
    /// The field delimiter.
    pub delimiter: u8,
    /// The quote character.
    pub quote: u8,
    /// The (1-based) line the header row is on: the lines before it are
    /// skipped.
    pub header_line: u64,
    /// Lines starting with this byte are comments.
    pub comment: Option<u8>,
    /// The text encoding.
    pub encoding: Encoding,
    /// The compression.
    pub compression: Compression,
    /// The compression the file's name says (`.gz`, `.zst`), whatever is
    /// declared: the one Spark unpacks the file with.
    pub named_compression: Compression,
    /// The decimal separator of numbers (`.` or `,`).
    pub decimal: u8,
    /// The thousands separator of numbers, if they have one.
    pub thousands: Option<u8>,
    /// Cell texts that mean "missing" (read as an empty cell).
    pub missing: Vec<String>,
    /// Whether the file is JSON Lines (`.jsonl`, maybe compressed): one
    /// object per line, not delimited fields.
    pub jsonl: bool,
    /// Whether the file is Parquet (`.parquet`): binary, columns read by
    /// name (feature `parquet`).
    pub parquet: bool,
}

impl Default for CsvFormat {
    fn default() -> Self {
        CsvFormat {
            delimiter: b',',
            quote: b'"',
            header_line: 1,
            comment: None,
            encoding: Encoding::Utf8,
            compression: Compression::None,
            named_compression: Compression::None,
            decimal: b'.',
            thousands: None,
            missing: Vec::new(),
            jsonl: false,
            parquet: false,
        }
    }
}

impl CsvFormat {
    /// Whether the file's bytes are read as they are (UTF-8, not
    /// compressed).
    pub fn is_plain(&self) -> bool {
        self.encoding == Encoding::Utf8 && self.compression == Compression::None
    }

    /// Whether `cell` (trimmed) is a declared missing-value token.
    pub fn is_missing(&self, cell: &str) -> bool {
        self.missing.iter().any(|m| m == cell)
    }

    /// A number written with this file's separators, written with `.` as
    /// the decimal separator and no thousands separator.
    pub fn number<'s>(&self, s: &'s str) -> Cow<'s, str> {
        if self.decimal == b'.' && self.thousands.is_none() {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if self.thousands.is_some_and(|t| u32::from(t) == u32::from(c)) {
                continue;
            }
            if u32::from(c) == u32::from(self.decimal) {
                out.push('.');
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }
}

/// `[table.csv_format]` as written.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "CsvFormat")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCsvFormat {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    delimiter: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    quote: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<i64>")]
    header_line: Option<Spanned<i64>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    comment: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    encoding: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    compression: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    decimal: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    thousands: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    missing: Option<Vec<Spanned<String>>>,
}

fn bad(fid: FileId, span: Range<usize>, msg: String, help: &str) -> Diagnostic {
    Diagnostic::error("evidence/bad-csv-format", msg)
        .at(fid, span, "here")
        .help(help.to_string())
}

/// One ASCII character (`\t` for a tab).
fn one_byte(
    s: &Spanned<String>,
    what: &str,
    fid: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<u8> {
    let v = s.get_ref();
    let b = match v.as_str() {
        "\\t" | "tab" => Some(b'\t'),
        _ if v.len() == 1 && v.is_ascii() && v != "\n" && v != "\r" => v.bytes().next(),
        _ => None,
    };
    if b.is_none() {
        diags.push(bad(
            fid,
            s.span(),
            format!("`{what}` must be one ASCII character, found {v:?}"),
            "write one character, such as \";\" (or \"\\t\" for a tab)",
        ));
    }
    b
}

/// Read `[table.csv_format]`; `file` is the CSV's name (`.gz` means
/// gzip and `.zst` zstd unless declared otherwise).
pub(crate) fn resolve(
    raw: Option<&RawCsvFormat>,
    file: &str,
    fid: FileId,
    diags: &mut Vec<Diagnostic>,
) -> CsvFormat {
    let mut f = CsvFormat {
        jsonl: [".jsonl", ".jsonl.gz", ".jsonl.zst"]
            .iter()
            .any(|x| file.ends_with(x)),
        parquet: file.ends_with(".parquet"),
        ..CsvFormat::default()
    };
    if file.ends_with(".gz") {
        f.compression = Compression::Gzip;
    } else if file.ends_with(".zst") {
        f.compression = Compression::Zstd;
    }
    f.named_compression = f.compression;
    let Some(raw) = raw else {
        return f;
    };
    if f.jsonl {
        for (key, set) in [
            ("delimiter", raw.delimiter.as_ref().map(Spanned::span)),
            ("quote", raw.quote.as_ref().map(Spanned::span)),
            ("header_line", raw.header_line.as_ref().map(Spanned::span)),
            ("comment", raw.comment.as_ref().map(Spanned::span)),
        ] {
            if let Some(span) = set {
                diags.push(bad(
                    fid,
                    span,
                    format!("`{key}` describes delimited text, and this file is JSON Lines"),
                    "a JSON Lines file takes encoding, compression, decimal, thousands and missing",
                ));
            }
        }
    }
    if let Some(d) = &raw.delimiter {
        f.delimiter = one_byte(d, "delimiter", fid, diags).unwrap_or(f.delimiter);
    }
    if let Some(q) = &raw.quote {
        f.quote = one_byte(q, "quote", fid, diags).unwrap_or(f.quote);
    }
    if let Some(c) = &raw.comment {
        f.comment = one_byte(c, "comment", fid, diags);
    }
    if let Some(h) = &raw.header_line {
        match u64::try_from(*h.get_ref()) {
            Ok(n) if n >= 1 => f.header_line = n,
            _ => diags.push(bad(
                fid,
                h.span(),
                format!("`header_line` must be 1 or more, found {}", h.get_ref()),
                "the lines are numbered from 1: header_line = 3 skips two lines",
            )),
        }
    }
    if let Some(e) = &raw.encoding {
        f.encoding = match e.get_ref().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "latin-1" | "latin1" | "iso-8859-1" => Encoding::Latin1,
            "windows-1252" | "cp1252" => Encoding::Windows1252,
            other => {
                diags.push(bad(
                    fid,
                    e.span(),
                    format!("unknown encoding `{other}`"),
                    "encodings: utf-8, latin-1, windows-1252",
                ));
                Encoding::Utf8
            }
        };
    }
    if let Some(c) = &raw.compression {
        f.compression = match c.get_ref().as_str() {
            "gzip" => Compression::Gzip,
            "zstd" => Compression::Zstd,
            "none" => Compression::None,
            other => {
                diags.push(bad(
                    fid,
                    c.span(),
                    format!("unknown compression `{other}`"),
                    "compressions: gzip, zstd, none",
                ));
                f.compression
            }
        };
    }
    if let Some(d) = &raw.decimal {
        match d.get_ref().as_str() {
            "." => f.decimal = b'.',
            "," => f.decimal = b',',
            other => diags.push(bad(
                fid,
                d.span(),
                format!("the decimal separator must be \".\" or \",\", found {other:?}"),
                "write decimal = \",\" for numbers like 3,5",
            )),
        }
    }
    if let Some(t) = &raw.thousands {
        match t.get_ref().as_str() {
            "," | "." | " " | "'" | "_" => f.thousands = t.get_ref().bytes().next(),
            other => diags.push(bad(
                fid,
                t.span(),
                format!(
                    "the thousands separator must be one of , . ' _ or a space, found {other:?}"
                ),
                "write thousands = \".\" for numbers like 1.234.567",
            )),
        }
    }
    if let Some(t) = &raw.thousands {
        if f.thousands == Some(f.decimal) {
            diags.push(bad(
                fid,
                t.span(),
                "the thousands separator is also the decimal separator".to_string(),
                "declare decimal = \",\" with thousands = \".\", or the other way round",
            ));
            f.thousands = None;
        }
    }
    if f.delimiter == f.quote {
        if let Some(d) = &raw.delimiter {
            diags.push(bad(
                fid,
                d.span(),
                "the delimiter is also the quote character".to_string(),
                "declare a different quote",
            ));
        }
    }
    for m in raw.missing.iter().flatten() {
        f.missing.push(m.get_ref().trim().to_string());
    }
    f
}

/// What an empty cell (or a missing-value token) of a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Empty {
    /// The value is not known (the default).
    #[default]
    Unknown,
    /// An ongoing end: a date after every day (dates only).
    Open,
    /// There is none: an empty text or list.
    None,
}

impl Empty {
    /// Read `empty = "..."`.
    pub(crate) fn parse(s: &Spanned<String>, fid: FileId, diags: &mut Vec<Diagnostic>) -> Empty {
        match s.get_ref().as_str() {
            "unknown" => Empty::Unknown,
            "open" => Empty::Open,
            "none" => Empty::None,
            other => {
                diags.push(
                    Diagnostic::error(
                        "evidence/bad-empty",
                        format!("unknown meaning of an empty cell `{other}`"),
                    )
                    .at(fid, s.span(), "here")
                    .help("empty = \"unknown\", \"open\" (an ongoing end date) or \"none\" (no value: texts and lists)"),
                );
                Empty::Unknown
            }
        }
    }
}

/// One piece of a date format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// `%Y`: a four-digit year.
    Year,
    /// `%m`: a month, one or two digits.
    Month,
    /// `%d`: a day, one or two digits.
    Day,
    /// `%q`: a quarter, 1 to 4.
    Quarter,
    /// A character written as it is.
    Lit(char),
}

/// A date format: `%d/%m/%Y`, `%m/%d/%Y`, `%Y-%m` (a month), `%YQ%q` or
/// `%Y-Q%q` (a quarter), `%Y` (a year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    text: String,
    toks: Vec<Tok>,
}

impl DateFormat {
    /// Read a format; an error says why it is not one.
    pub fn parse(s: &str) -> Result<DateFormat, String> {
        let mut toks = Vec::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                toks.push(Tok::Lit(c));
                continue;
            }
            toks.push(match chars.next() {
                Some('Y') => Tok::Year,
                Some('m') => Tok::Month,
                Some('d') => Tok::Day,
                Some('q') => Tok::Quarter,
                Some('%') => Tok::Lit('%'),
                Some(o) => {
                    return Err(format!(
                        "`%{o}` is not a date format directive (use %Y, %m, %d, %q)"
                    ))
                }
                None => return Err("a format cannot end with `%`".into()),
            });
        }
        let has = |t: Tok| toks.iter().filter(|x| **x == t).count();
        if has(Tok::Year) != 1 {
            return Err("a date format needs one `%Y`".into());
        }
        if has(Tok::Month) > 1 || has(Tok::Day) > 1 || has(Tok::Quarter) > 1 {
            return Err("a directive appears twice".into());
        }
        if has(Tok::Day) == 1 && has(Tok::Month) == 0 {
            return Err("a day (`%d`) needs a month (`%m`)".into());
        }
        if has(Tok::Quarter) == 1 && (has(Tok::Month) + has(Tok::Day)) > 0 {
            return Err("a quarter (`%q`) goes without a month or day".into());
        }
        Ok(DateFormat {
            text: s.to_string(),
            toks,
        })
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The format as a regular expression (of the syntax Java's and Rust's
    /// share) matching the texts it reads, with the group number (from 1)
    /// of its year, month, day and quarter, each `None` when absent. Its
    /// groups take as many digits as they can, as [`DateFormat::read`]
    /// does, so a text both read gives both the same parts.
    pub fn pattern(&self) -> (String, [Option<usize>; 4]) {
        let mut re = String::from("^");
        let mut groups = [None; 4];
        let mut n = 0;
        for t in &self.toks {
            let (slot, digits) = match t {
                Tok::Year => (0, "([0-9]{4})"),
                Tok::Month => (1, "([0-9]{1,2})"),
                Tok::Day => (2, "([0-9]{1,2})"),
                Tok::Quarter => (3, "([0-9])"),
                Tok::Lit(c) => {
                    if c.is_ascii_alphanumeric() {
                        re.push(*c);
                    } else {
                        re.push_str(&format!("\\x{{{:x}}}", u32::from(*c)));
                    }
                    continue;
                }
            };
            n += 1;
            if let Some(g) = groups.get_mut(slot) {
                *g = Some(n);
            }
            re.push_str(digits);
        }
        re.push('$');
        (re, groups)
    }

    /// The days `s` names in this format.
    pub fn read(&self, s: &str) -> Result<DateRange, String> {
        let no = || format!("`{s}` is not a date in the format `{}`", self.text);
        let b = s.as_bytes();
        let mut at = 0usize;
        let (mut y, mut m, mut d, mut q) = (None, None, None, None);
        let digits = |at: &mut usize, min: usize, max: usize| -> Option<i32> {
            let start = *at;
            let mut v = 0i32;
            while *at - start < max {
                match b.get(*at) {
                    Some(c) if c.is_ascii_digit() => {
                        v = v * 10 + i32::from(c - b'0');
                        *at += 1;
                    }
                    _ => break,
                }
            }
            (*at - start >= min).then_some(v)
        };
        for t in &self.toks {
            match t {
                Tok::Year => y = Some(digits(&mut at, 4, 4).ok_or_else(no)?),
                Tok::Month => m = Some(digits(&mut at, 1, 2).ok_or_else(no)?),
                Tok::Day => d = Some(digits(&mut at, 1, 2).ok_or_else(no)?),
                Tok::Quarter => q = Some(digits(&mut at, 1, 1).ok_or_else(no)?),
                Tok::Lit(c) => {
                    let rest = s.get(at..).ok_or_else(no)?;
                    if !rest.starts_with(*c) {
                        return Err(no());
                    }
                    at += c.len_utf8();
                }
            }
        }
        if at != b.len() {
            return Err(no());
        }
        let y = y.ok_or_else(no)?;
        let year = i16::try_from(y).ok().filter(|y| *y >= 1).ok_or_else(no)?;
        let day = |mo: i32, dd: i32| -> Result<Date, String> {
            let mo8 = i8::try_from(mo).ok().filter(|x| (1..=12).contains(x));
            let Some(mo8) = mo8 else {
                return Err(format!("`{s}`: there is no month {mo}"));
            };
            let max = i32::from(days_in_month(y, mo8.unsigned_abs()));
            if dd < 1 || dd > max {
                return Err(format!("`{s}`: month {mo} of {y} has {max} days, not {dd}"));
            }
            Date::new(year, mo8, i8::try_from(dd).map_err(|_| no())?).map_err(|_| no())
        };
        let months = |a: i32, b: i32| -> Result<DateRange, String> {
            let lo = day(a, 1)?;
            let last = days_in_month(y, u8::try_from(b).map_err(|_| no())?);
            let hi = day(b, i32::from(last))?;
            DateRange::new(Some(lo), Some(hi)).ok_or_else(no)
        };
        match (m, d, q) {
            (Some(mo), Some(dd), _) => Ok(DateRange::day(day(mo, dd)?)),
            (Some(mo), None, _) => months(mo, mo),
            (None, None, Some(qq)) => {
                if !(1..=4).contains(&qq) {
                    return Err(format!("`{s}`: there is no quarter {qq}"));
                }
                months(3 * qq - 2, 3 * qq)
            }
            _ => months(1, 12),
        }
    }
}

/// A column's reading options, as declared on its `[[column]]`.
#[derive(Debug, Clone, Default)]
pub struct ColumnFormat {
    /// The column's header in the file, when it differs from its name.
    pub header: Option<String>,
    /// The date format of its cells (date columns).
    pub date: Option<DateFormat>,
    /// What an empty cell means.
    pub empty: Empty,
    /// Whether the column is derived from others (`derive = "..."`):
    /// computed once the row is read, never read from the file.
    pub derived: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> DateFormat {
        DateFormat::parse(s).unwrap()
    }

    #[test]
    fn date_formats_read_days_months_and_quarters() {
        let r = |f: &str, s: &str| fmt(f).read(s).map(|d| d.to_string());
        assert_eq!(r("%d/%m/%Y", "03/04/2023").unwrap(), "2023-04-03");
        assert_eq!(r("%m/%d/%Y", "03/04/2023").unwrap(), "2023-03-04");
        assert_eq!(r("%m/%d/%Y", "3/4/2023").unwrap(), "2023-03-04");
        assert_eq!(r("%Y-%m", "2024-02").unwrap(), "2024-02");
        assert_eq!(r("%YQ%q", "2023Q2").unwrap(), "2023-04..2023-06");
        assert_eq!(r("%Y-Q%q", "2023-Q4").unwrap(), "2023-10..2023-12");
        assert!(r("%d/%m/%Y", "31/02/2023").unwrap_err().contains("28 days"));
        assert!(r("%d/%m/%Y", "2023-02-01").is_err());
        assert!(r("%YQ%q", "2023Q5").unwrap_err().contains("no quarter 5"));
        assert!(r("%d/%m/%Y", "01/01/2023x").is_err());
        assert!(DateFormat::parse("%d/%m").is_err());
        assert!(DateFormat::parse("%Y-%x").is_err());
        assert!(DateFormat::parse("%Y-%d").is_err());
    }

    /// Every text a format reads, its pattern matches, with the parts the
    /// reader took (what the Spark engine writes in the engine's form).
    #[test]
    fn a_format_pattern_matches_what_the_format_reads_with_the_same_parts() {
        let formats = [
            "%d/%m/%Y", "%m/%d/%Y", "%Y-%m", "%YQ%q", "%Y-Q%q", "%Y", "%d.%m.%Y", "%m%d%Y",
            "%Y (%m)",
        ];
        let texts = [
            "03/04/2023",
            "3/4/2023",
            "12/31/2023",
            "2024-02",
            "2023Q2",
            "2023-Q4",
            "2023",
            "31.12.1999",
            "1122020",
            "12312020",
            "2023 (7)",
            "2023 (11)",
            "03-04-2023",
            "2023Q5",
            "x2023",
        ];
        let mut read = 0;
        for f in formats {
            let df = fmt(f);
            let (re, [y, m, d, q]) = df.pattern();
            let re = regex::Regex::new(&re).unwrap();
            for t in texts {
                let Ok(days) = df.read(t) else { continue };
                read += 1;
                let caps = re.captures(t).unwrap_or_else(|| panic!("{f} {t}"));
                let part = |g: Option<usize>| {
                    g.and_then(|g| caps.get(g))
                        .map(|m| m.as_str().parse::<u32>().unwrap())
                };
                let want = days.to_string();
                let (year, month, day, quarter) = (part(y).unwrap(), part(m), part(d), part(q));
                let got = match (month, day, quarter) {
                    (Some(m), Some(d), _) => format!("{year}-{m:02}-{d:02}"),
                    (Some(m), None, _) => format!("{year}-{m:02}"),
                    (None, _, Some(q)) => format!("{year}-{:02}..{year}-{:02}", q * 3 - 2, q * 3),
                    _ => format!("{year}"),
                };
                assert_eq!(got, want, "{f} {t}");
            }
        }
        assert!(read >= 12, "{read}");
    }

    #[test]
    fn numbers_lose_their_separators() {
        let f = CsvFormat {
            decimal: b',',
            thousands: Some(b'.'),
            ..CsvFormat::default()
        };
        assert_eq!(f.number("1.234.567,89"), "1234567.89");
        assert_eq!(CsvFormat::default().number("1,5"), "1,5");
    }

    #[test]
    fn windows_1252_differs_from_latin_1_in_the_c1_range() {
        assert_eq!(Encoding::Windows1252.char_of(0x80), Some('€'));
        assert_eq!(Encoding::Windows1252.char_of(0x81), None);
        assert_eq!(Encoding::Latin1.char_of(0x80), None);
        assert_eq!(Encoding::Latin1.char_of(0xE9), Some('é'));
        assert_eq!(Encoding::Utf8.char_of(0xE9), None);
    }
}

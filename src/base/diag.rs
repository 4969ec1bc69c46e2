//! Diagnostics: the data model of every problem factcheck reports about a
//! user's files, kept apart from how it is rendered (the ruff/cargo-deny
//! lesson). Every stage pushes [`Diagnostic`]s into a list instead of
//! stopping at the first problem, so one run reports everything.
//!
//! A diagnostic names a file from the [`Files`] registry and a byte span in
//! it; rendering resolves line and column only at the end.

use std::ops::Range;

use annotate_snippets::{renderer::DecorStyle, AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::escape::{term, Escaped};

/// Index of a file in the [`Files`] registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A source file as read: its display path and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as the user should see it (relative when the user gave it so).
    pub path: String,
    /// Whole text of the file (empty once released, see
    /// [`Files::release_text`]).
    pub text: String,
    /// A sparse index of lines: `(offset, line)` pairs, in order, at least
    /// one every [`MARK_LINES`] lines and every [`MARK_BYTES`] bytes, so a
    /// line is found by a binary search and a short scan whatever the
    /// file's shape (a file of empty lines costs a few bytes per 64 lines,
    /// not 8 per line).
    marks: Vec<(usize, usize)>,
    /// Number of lines (line breaks + 1).
    lines: usize,
    /// Length of the text in bytes (kept when the text is released).
    len: usize,
}

/// Lines between two marks of a file's line index, at most.
const MARK_LINES: usize = 64;
/// Bytes between two marks of a file's line index, at most.
const MARK_BYTES: usize = 4096;

/// The sparse line index of a text, built from its bytes in order, in one
/// piece or in many (a file read in pieces is indexed as it is read).
#[derive(Debug, Clone)]
pub struct LineIndex {
    marks: Vec<(usize, usize)>,
    /// Line breaks so far.
    line: usize,
    /// Bytes so far.
    len: usize,
    /// The last mark.
    last_at: usize,
    last_line: usize,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex {
            marks: vec![(0, 0)],
            line: 0,
            len: 0,
            last_at: 0,
            last_line: 0,
        }
    }
}

impl LineIndex {
    /// Index the next bytes of the text.
    pub fn feed(&mut self, bytes: &[u8]) {
        let base = self.len;
        for k in memchr::memchr_iter(b'\n', bytes) {
            let i = base + k;
            // Marks inside a long line, then at the next line's start when
            // enough lines or bytes have passed.
            while i - self.last_at > MARK_BYTES {
                self.last_at += MARK_BYTES;
                self.last_line = self.line;
                self.marks.push((self.last_at, self.line));
            }
            self.line += 1;
            if self.line - self.last_line >= MARK_LINES || i + 1 - self.last_at >= MARK_BYTES {
                self.last_at = i + 1;
                self.last_line = self.line;
                self.marks.push((self.last_at, self.line));
            }
        }
        self.len += bytes.len();
    }

    /// Bytes indexed so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was indexed yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn into_file(mut self, path: String, text: String) -> SourceFile {
        while self.len - self.last_at > MARK_BYTES {
            self.last_at += MARK_BYTES;
            self.marks.push((self.last_at, self.line));
        }
        self.marks.shrink_to_fit();
        SourceFile {
            path,
            text,
            marks: self.marks,
            lines: self.line + 1,
            len: self.len,
        }
    }
}

impl SourceFile {
    /// The index of the last line starting at or before `offset`.
    fn raw_line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        let k = self.marks.partition_point(|(o, _)| *o <= offset);
        let Some((at, line)) = k.checked_sub(1).and_then(|k| self.marks.get(k)) else {
            return 0;
        };
        let between = self.text.as_bytes().get(*at..offset).unwrap_or_default();
        line + memchr::memchr_iter(b'\n', between).count()
    }

    /// The 0-based line of a byte offset. An offset at the very end of a
    /// text that ends with a line break belongs to the last line (as the
    /// snippet renderer sees it), not to an empty line after it.
    fn line_of(&self, offset: usize) -> usize {
        let line = self.raw_line(offset);
        if line > 0 && self.line_start(line) >= self.len {
            line - 1
        } else {
            line
        }
    }

    /// Byte offset where a 0-based line starts.
    fn line_start(&self, line: usize) -> usize {
        if line >= self.lines {
            return self.len;
        }
        // From the last mark on an earlier line (at most a few lines or
        // a few kilobytes back), count line breaks.
        let k = self.marks.partition_point(|(_, l)| *l < line);
        let (mut at, mut current) = match k.checked_sub(1).and_then(|k| self.marks.get(k)) {
            Some(m) => *m,
            None => (0, 0),
        };
        let bytes = self.text.as_bytes();
        while current < line {
            match bytes.get(at..).and_then(|b| memchr::memchr(b'\n', b)) {
                Some(i) => {
                    at += i + 1;
                    current += 1;
                }
                None => return self.len,
            }
        }
        at.min(self.len)
    }

    /// Byte offset just after a 0-based line, its line break included.
    fn line_end(&self, line: usize) -> usize {
        self.line_start(line + 1)
    }
}

/// Where an expression string sits in its file, to map spans back.
#[derive(Debug, Clone)]
pub struct Origin {
    /// File holding the expression.
    pub file: FileId,
    /// Byte offset of the expression's first character in the file.
    pub base: usize,
    /// Whether offsets inside the expression map one-to-one onto the file
    /// (false when the TOML string had escapes).
    pub exact: bool,
    /// Span of the whole TOML string, used when not exact.
    pub whole: Range<usize>,
}

impl Origin {
    /// Map a span inside the expression to a span in the file.
    pub fn map(&self, span: &Range<usize>) -> Range<usize> {
        if self.exact {
            self.base + span.start..self.base + span.end.max(span.start + 1)
        } else {
            self.whole.clone()
        }
    }
}

/// A place in a file (used by evaluation errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// File.
    pub file: FileId,
    /// Byte span.
    pub span: Range<usize>,
}

/// Registry of every file read, so diagnostics can point into any of them.
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    /// Register a file and return its id.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let text = text.into();
        let mut index = LineIndex::default();
        index.feed(text.as_bytes());
        self.files.push(index.into_file(path.into(), text));
        FileId(self.files.len() - 1)
    }

    /// Put `text` in the place of file `id` (registered before its text
    /// was read, as a large CSV is).
    pub fn set_text(&mut self, id: FileId, text: String) {
        if let Some(f) = self.files.get_mut(id.0) {
            let mut index = LineIndex::default();
            index.feed(text.as_bytes());
            *f = index.into_file(std::mem::take(&mut f.path), text);
        }
    }

    /// Give file `id` the lines of a text read in pieces and not kept (a
    /// large CSV read without error): as [`Files::release_text`] leaves it.
    pub fn set_released(&mut self, id: FileId, index: LineIndex) {
        if let Some(f) = self.files.get_mut(id.0) {
            *f = index.into_file(std::mem::take(&mut f.path), String::new());
        }
    }

    /// Free the text of a file nothing will quote again (a large CSV once
    /// its records are read without error): its lines are still counted,
    /// so records keep their line numbers, but no diagnostic may point
    /// into it afterwards.
    pub fn release_text(&mut self, id: FileId) {
        if let Some(f) = self.files.get_mut(id.0) {
            f.text = String::new();
        }
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0)
    }

    /// Path of a file, or `<unknown>`.
    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.path.as_str())
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let Some(file) = self.get(id) else {
            return (1, 1);
        };
        let offset = offset.min(file.len);
        let line = file.raw_line(offset);
        let start = file.line_start(line).min(offset);
        let col = file
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is invalid; no verdicts are reported.
    Error,
    /// Suspicious but not fatal.
    Warning,
}

/// A place in a file with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// File the label points into.
    pub file: FileId,
    /// Byte span in that file.
    pub span: Range<usize>,
    /// What this place is.
    pub message: String,
}

impl Label {
    /// A label with a message.
    pub fn new(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Label {
            file,
            span,
            message: message.into(),
        }
    }
}

/// One problem found in a user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable category code, e.g. `claim/unknown-column`.
    pub code: &'static str,
    /// One-line description.
    pub message: String,
    /// Where it is, if it has a place (a missing directory has none).
    pub primary: Option<Label>,
    /// Other places that matter.
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// A file it concerns when it has no span (e.g. an empty file).
    pub path: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            path: None,
        }
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Attach the primary place.
    pub fn at(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.primary = Some(Label::new(file, span, message));
        self
    }

    /// Attach a secondary place.
    pub fn also(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(file, span, message));
        self
    }

    /// Attach a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach a path for a diagnostic without a span.
    pub fn in_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Lines apart within which labels in one file share a snippet (the
/// lines between are folded); labels farther apart get a snippet each, so
/// a diagnostic never costs more than the lines it shows.
const SNIPPET_GAP: usize = 64;

/// Render diagnostics the way cargo does. `color` selects ANSI styling.
///
/// Nothing from the user's files reaches the output raw: messages, labels,
/// help and paths go through [`term`], and the source lines shown go
/// through [`Escaped::lines`] with the carets' spans mapped into the
/// escaped text. Each diagnostic only looks at the lines it shows.
pub fn render_human(files: &Files, diags: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled().decor_style(DecorStyle::Unicode)
    } else {
        Renderer::plain().decor_style(DecorStyle::Ascii)
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        if d.primary.is_none() {
            // Nothing to frame: print the title and help the way rustc does.
            out.push_str(&plain_diagnostic(d, color));
            continue;
        }
        let mut labels: Vec<(&Label, bool)> = Vec::new();
        if let Some(p) = &d.primary {
            labels.push((p, true));
        }
        labels.extend(d.secondary.iter().map(|l| (l, false)));
        let excerpts = excerpts(files, &labels);
        let title = term(&d.message);
        let mut group = Group::with_title(level.primary_title(title).id(d.code));
        for e in &excerpts {
            let mut snippet = Snippet::source(e.source.text.as_str())
                .path(e.path.as_str())
                .line_start(e.line_start)
                .fold(true);
            for (span, message, primary) in &e.labels {
                let kind = if *primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                snippet = snippet.annotation(kind.span(span.clone()).label(message.as_str()));
            }
            group = group.element(snippet);
        }
        let help = d.help.as_deref().map(term);
        let mut report: Vec<Group<'_>> = vec![group];
        if let Some(h) = &help {
            report.push(Group::with_title(Level::HELP.secondary_title(h.as_str())));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

/// The lines of one file a diagnostic shows, escaped, with its labels'
/// spans mapped into them.
struct Excerpt {
    path: String,
    line_start: usize,
    source: Escaped,
    labels: Vec<(Range<usize>, String, bool)>,
}

/// The excerpts of a diagnostic's labels: one per file and run of nearby
/// lines, the primary's first, then in file and line order.
fn excerpts(files: &Files, labels: &[(&Label, bool)]) -> Vec<Excerpt> {
    // (file, first line, last line, span, message, primary), lines 0-based.
    let mut placed = Vec::new();
    for (l, primary) in labels {
        let Some(file) = files.get(l.file) else {
            continue;
        };
        let span = clamp_span(&file.text, l.span.clone());
        let first = file.line_of(span.start);
        let last = file.line_of(span.end).max(first);
        placed.push((l.file, first, last, span, term(&l.message), *primary));
    }
    // Files in the order their first label comes; within a file, by line.
    let mut file_order: Vec<FileId> = Vec::new();
    for p in &placed {
        if !file_order.contains(&p.0) {
            file_order.push(p.0);
        }
    }
    placed.sort_by_key(|p| {
        let rank = file_order.iter().position(|f| *f == p.0);
        (rank, p.1, p.2)
    });
    let mut out: Vec<Excerpt> = Vec::new();
    let mut run: Vec<(Range<usize>, String, bool)> = Vec::new();
    let mut current: Option<(FileId, usize, usize)> = None;
    let flush = |cur: Option<(FileId, usize, usize)>,
                 run: &mut Vec<(Range<usize>, String, bool)>,
                 out: &mut Vec<Excerpt>| {
        let Some((fid, first, last)) = cur else {
            return;
        };
        let Some(file) = files.get(fid) else {
            return;
        };
        let start = file.line_start(first);
        let end = file.line_end(last);
        let source = Escaped::lines(file.text.get(start..end).unwrap_or(""));
        let labels = run
            .drain(..)
            .map(|(span, message, primary)| {
                let rel = |o: usize| source.map(o.saturating_sub(start).min(end - start));
                (rel(span.start)..rel(span.end), message, primary)
            })
            .collect();
        out.push(Excerpt {
            path: term(&file.path),
            line_start: first + 1,
            source,
            labels,
        });
    };
    for (fid, first, last, span, message, primary) in placed {
        current = match current {
            Some((f, a, b)) if f == fid && first <= b + SNIPPET_GAP => Some((f, a, b.max(last))),
            other => {
                flush(other, &mut run, &mut out);
                Some((fid, first, last))
            }
        };
        run.push((span, message, primary));
    }
    flush(current, &mut run, &mut out);
    // The primary's excerpt leads (its place is the one named in `-->`).
    if let Some(i) = out.iter().position(|e| e.labels.iter().any(|l| l.2)) {
        let e = out.remove(i);
        out.insert(0, e);
    }
    out
}

/// A diagnostic for an invalid date written as a TOML basic string at
/// `string_span` (quotes included): the caret goes under the bad part.
pub fn date_error(
    code: &'static str,
    file: FileId,
    text: &str,
    string_span: Range<usize>,
    e: &crate::date::DateError,
) -> Diagnostic {
    Diagnostic::error(code, e.message.clone())
        .at(
            file,
            inner_span(text, string_span, &(e.start..e.end)),
            "this date",
        )
        .help(e.hint.clone().unwrap_or_else(|| {
            "dates are YYYY, YYYY-MM, YYYY-MM-DD, ranges A..B, ..B, A.., or unknown".into()
        }))
}

/// Where the content of the TOML string literal written at `span` of
/// `text` starts, and whether byte offsets in its decoded value map one to
/// one onto the file (true unless the literal has escapes).
pub fn string_content(text: &str, span: &Range<usize>) -> (usize, bool) {
    let raw = text.get(span.clone()).unwrap_or("");
    let after_newline = |n: usize| {
        let rest = raw.get(n..).unwrap_or("");
        n + if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        }
    };
    let (skip, exact) = if raw.starts_with("'''") {
        (after_newline(3), true)
    } else if raw.starts_with("\"\"\"") {
        (after_newline(3), !raw.contains('\\'))
    } else if raw.starts_with('\'') {
        (1, true)
    } else {
        (1, !raw.contains('\\'))
    };
    (span.start + skip, exact)
}

/// The file span of `inner`, a byte range of the decoded value of the TOML
/// string literal written at `span`: exact when the literal has no escapes
/// (and the result lies on character boundaries inside it), the whole
/// literal otherwise.
pub fn inner_span(text: &str, span: Range<usize>, inner: &Range<usize>) -> Range<usize> {
    let (base, exact) = string_content(text, &span);
    let start = base + inner.start;
    let end = base + inner.end.max(inner.start + 1);
    let fits =
        exact && end <= span.end && text.is_char_boundary(start) && text.is_char_boundary(end);
    if fits {
        start..end
    } else {
        span
    }
}

/// A diagnostic without a place: `error[code]: path: message` and its help.
fn plain_diagnostic(d: &Diagnostic, color: bool) -> String {
    use anstyle::{AnsiColor, Style};
    let (word, c) = match d.severity {
        Severity::Error => ("error", AnsiColor::BrightRed),
        Severity::Warning => ("warning", AnsiColor::BrightYellow),
    };
    let paint = |s: &str, st: Style| {
        if color {
            format!("{st}{s}{st:#}")
        } else {
            s.to_string()
        }
    };
    let head = paint(
        &format!("{word}[{}]", d.code),
        Style::new().fg_color(Some(c.into())).bold(),
    );
    let title = match &d.path {
        Some(p) => format!("{}: {}", term(p), term(&d.message)),
        None => term(&d.message),
    };
    let mut out = format!(
        "{head}{}\n",
        paint(&format!(": {title}"), Style::new().bold())
    );
    if let Some(h) = &d.help {
        out.push_str(&format!(
            "  {} {}\n",
            paint(
                "= help:",
                Style::new()
                    .fg_color(Some(AnsiColor::BrightCyan.into()))
                    .bold()
            ),
            term(h)
        ));
    }
    out.push('\n');
    out
}

/// Keep a span inside the text and on character boundaries, so a wrong span
/// can never make the renderer misbehave.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// A diagnostic in machine-readable form.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DiagnosticJson {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// File path, if any.
    pub file: Option<String>,
    /// One-based line.
    pub line: Option<usize>,
    /// One-based column.
    pub column: Option<usize>,
    /// Label of the primary place.
    pub label: Option<String>,
    /// Secondary places.
    pub related: Vec<RelatedJson>,
    /// Help text.
    pub help: Option<String>,
}

/// A secondary place in JSON.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RelatedJson {
    /// File path.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// What it is.
    pub message: String,
}

/// Convert diagnostics to their JSON form.
pub fn to_json(files: &Files, diags: &[Diagnostic]) -> Vec<DiagnosticJson> {
    diags
        .iter()
        .map(|d| {
            let (file, line, column, label) = match &d.primary {
                Some(l) => {
                    let (line, col) = files.line_col(l.file, l.span.start);
                    (
                        Some(files.path(l.file).to_string()),
                        Some(line),
                        Some(col),
                        Some(l.message.clone()),
                    )
                }
                None => (d.path.clone(), None, None, None),
            };
            DiagnosticJson {
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                file,
                line,
                column,
                label,
                related: d
                    .secondary
                    .iter()
                    .map(|l| {
                        let (line, column) = files.line_col(l.file, l.span.start);
                        RelatedJson {
                            file: files.path(l.file).to_string(),
                            line,
                            column,
                            message: l.message.clone(),
                        }
                    })
                    .collect(),
                help: d.help.clone(),
            }
        })
        .collect()
}

/// The closest of `candidates` to `name`, if it is close enough to be a
/// plausible typo ("did you mean").
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = edit_distance(name, c);
        let limit = (name.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as
/// one edit (optimal string alignment), so `taem` is one step from `team`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    let at = |i: usize, j: usize| i * w + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j;
        }
    }
    let get =
        |d: &Vec<usize>, i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let mut v = (get(&d, i - 1, j) + 1)
                .min(get(&d, i, j - 1) + 1)
                .min(get(&d, i - 1, j - 1) + cost);
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                v = v.min(get(&d, i - 2, j - 2) + 1);
            }
            if let Some(x) = d.get_mut(at(i, j)) {
                *x = v;
            }
        }
    }
    get(&d, a.len(), b.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_inside_string_literals_map_back_to_the_file() {
        // A plain string: the date starts one byte after the quote.
        let t = r#"d = "2025-02-30""#;
        assert_eq!(inner_span(t, 4..16, &(8..10)), 13..15);
        assert_eq!(t.get(13..15), Some("30"));
        // A literal ''' string with a leading newline skips four bytes.
        let t = "d = '''\n2025-02-30'''";
        assert_eq!(t.get(inner_span(t, 4..21, &(8..10))), Some("30"));
        // After an escape the decoded offsets do not match the file: the
        // whole literal is marked, never a span inside a character.
        let t = "d = \"\\\"\u{e9}\"";
        let whole = 4..t.len();
        assert_eq!(inner_span(t, whole.clone(), &(1..3)), whole);
        // A span that would split a character falls back to the whole.
        let t = "d = '\u{e9}x'";
        assert_eq!(inner_span(t, 4..t.len(), &(1..2)), 4..t.len());
    }

    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let mut files = Files::default();
        let id = files.add("a.toml", "ab\ncañón = 1\n");
        assert_eq!(files.line_col(id, 0), (1, 1));
        assert_eq!(files.line_col(id, 3), (2, 1));
        // byte offset of '=' is after "cañón " (8 bytes, 6 chars)
        let eq = "ab\ncañón ".len();
        assert_eq!(files.line_col(id, eq), (2, 7));
        // A released text cannot be quoted; its lines are only estimated
        // (records keep their own line numbers), never past the truth.
        let mut released = files.clone();
        released.release_text(id);
        assert_eq!(released.get(id).map(|f| f.text.as_str()), Some(""));
        assert!(released.line_col(id, eq).0 <= 2);
    }

    #[test]
    fn the_sparse_line_index_finds_every_line() {
        // Short lines, empty lines, a line longer than a mark's span, no
        // final line break: every offset's line and column as counted.
        let long = "x".repeat(3 * MARK_BYTES + 17);
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&"é".repeat(i % 5));
            text.push('\n');
            if i == 150 {
                text.push_str(&long);
                text.push('\n');
            }
        }
        text.push_str("last");
        let mut files = Files::default();
        let id = files.add("t", text.clone());
        let (mut line, mut col) = (1, 1);
        for (i, c) in text.char_indices() {
            assert_eq!(files.line_col(id, i), (line, col), "offset {i}");
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        let f = files.get(id).unwrap();
        assert!(f.marks.len() < 20, "{} marks", f.marks.len());
        for l in 0..f.lines {
            let start = f.line_start(l);
            assert!(
                start == 0 || text.as_bytes()[start - 1] == b'\n',
                "line {l}"
            );
            assert_eq!(f.raw_line(start), l);
        }
    }

    /// The caret line under `line` (the next line with a `^`).
    fn caret_under<'a>(out: &'a str, line: &str) -> (&'a str, &'a str) {
        let mut lines = out.lines();
        let src = lines
            .by_ref()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line:?} not shown:\n{out}"));
        let carets = lines
            .find(|l| l.contains('^'))
            .unwrap_or_else(|| panic!("no caret:\n{out}"));
        (src, carets)
    }

    #[test]
    fn carets_stay_under_escaped_source_lines() {
        let mut files = Files::default();
        let text = "a = 1\nx = \"\u{1b}[2K\u{202e}\u{9b}bad\" # \u{7}\r\n";
        let id = files.add("c.toml", text);
        let bad = text.find("bad").unwrap();
        let esc = text.find('\u{1b}').unwrap();
        let diags = [
            Diagnostic::error("t/a", "after escapes").at(id, bad..bad + 3, "this"),
            Diagnostic::error("t/b", "on an escape").at(id, esc..esc + 1, "that"),
        ];
        let out = render_human(&files, &diags, false);
        assert!(
            !out.contains(['\u{1b}', '\u{202e}', '\u{9b}', '\u{7}', '\r']),
            "{out}"
        );
        let shown = "x = \"\\u{1b}[2K\\u{202e}\\u{9b}bad\" # \\u{7}";
        let (src, carets) = caret_under(&out, shown);
        let col = |s: &str, pat: &str| s.find(pat).unwrap();
        assert!(src.ends_with(shown), "{src:?}");
        assert_eq!(col(carets, "^"), col(src, "bad"), "\n{src}\n{carets}");
        assert!(
            carets.contains("^^^ this") && !carets.contains("^^^^"),
            "{carets}"
        );
        let rest = out.get(out.find("on an escape").unwrap()..).unwrap();
        let (src, carets) = caret_under(rest, shown);
        assert_eq!(col(carets, "^"), col(src, "\\u{1b}"), "\n{src}\n{carets}");
        assert!(carets.contains("^^^^^^ that"), "{carets}");
    }

    #[test]
    fn labels_far_apart_get_a_snippet_each() {
        let mut files = Files::default();
        let text: String = (1..=1000).map(|i| format!("line{i} = {i}\n")).collect();
        let id = files.add("big.toml", text.as_str());
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            i..i + s.len()
        };
        let d = Diagnostic::error("t/far", "far apart")
            .at(id, at("line900 "), "here")
            .also(id, at("line2 "), "first here")
            .also(id, at("line905 "), "close by");
        let out = render_human(&files, &[d], false);
        // The primary's snippet first, with the label five lines on; the
        // far one on its own; nothing in between.
        let primary = out.find("900 | line900").unwrap();
        let close = out.find("905 | line905").unwrap();
        let far = out.find("2 | line2 = 2").unwrap();
        assert!(primary < close && close < far, "{out}");
        assert!(
            out.contains("--> big.toml:900:1") && out.contains("::: big.toml:2:1"),
            "{out}"
        );
        assert!(!out.contains("line500") && !out.contains("line3 "), "{out}");
        // At the very end of the text: the last line, as before.
        let end = text.len();
        let d = Diagnostic::error("t/eof", "end").at(id, end..end, "eof");
        let out = render_human(&files, &[d], false);
        assert!(out.contains("1000 | line1000 = 1000"), "{out}");
    }

    #[test]
    fn suggestions_find_near_misses_only() {
        let cands = ["authors", "employment", "events"];
        assert_eq!(suggest("autors", cands), Some("authors"));
        assert_eq!(suggest("employmnet", cands), Some("employment"));
        assert_eq!(suggest("zzz", cands), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("taem", "team"), 1);
        assert_eq!(suggest("taem", ["name", "team", "start"]), Some("team"));
        assert_eq!(edit_distance("", "abc"), 3);
    }
}

//! One large CSV file read on several cores.
//!
//! The file (uncompressed UTF-8 only) is cut into stretches of about
//! [`CHUNK`] bytes after a line break; each stretch's records are read on
//! its own into a table of its own, and the tables are appended in file
//! order ([`ColumnData::append`] gives the codes, scales and lists one
//! pass would). A cut is a guess: a line break inside a quoted cell is no
//! record boundary. The reader of the stretch before a cut knows: it stops
//! at the first record that starts at or after the cut, and when that is
//! past the cut (a record ran over it), the stretch after it is read again
//! from where it really starts. The result is the one-pass reader's,
//! record for record and line for line.
//!
//! A file with any problem (a bad cell, bytes that are not UTF-8, an
//! unreadable part) is not read this way: the caller reads it again in
//! one pass, which says what and where.

use std::io::{self, Read};
use std::ops::Range;
use std::sync::{Condvar, Mutex};

use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, FileId, LineIndex};
use crate::fsread::Opened;

use super::stream::{self, Raw};
use super::{
    csv_reader, read_header, read_plain_records, read_records, Layout, RowCtx, Stretch, Table,
    MAX_RECORDS,
};

/// Files smaller than this are read in one pass.
pub(super) const MIN_FILE: usize = 32 << 20;
/// The bytes of a stretch, about.
const CHUNK: usize = 2 << 20;
/// Bytes a reader may read past the end of its stretch, at least (to
/// finish its last record); a record running further sends the file to
/// the one-pass reader.
const OVERRUN: usize = 16 << 20;

/// Test override of (smallest file, stretch size, overrun): 0 = the
/// defaults; else the stretch size, the smallest file 0 and the overrun
/// four stretches.
#[cfg(test)]
pub(super) static FORCE_CHUNK: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

#[cfg(test)]
thread_local! {
    /// Files read this way on this thread (to check that tests do).
    pub(super) static LOADED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The smallest file read this way, the size of a stretch and how far
/// past its end its reader may read.
fn plan() -> (usize, usize, usize) {
    #[cfg(test)]
    {
        let c = FORCE_CHUNK.load(std::sync::atomic::Ordering::Relaxed);
        if c > 0 {
            return (0, c, 4 * c);
        }
    }
    (MIN_FILE, CHUNK, OVERRUN)
}

/// Read the records of `file` into `table` on `threads` threads (0: one
/// per core): the line index of the file and its SHA-256 when the table
/// pins one. `None` when the file is not read this way or has a problem:
/// then nothing is reported, and the table is to be emptied and read in
/// one pass.
pub(super) fn load(
    table: &mut Table,
    fid: FileId,
    file: &Opened,
    ctx: &mut RowCtx<'_>,
    threads: usize,
) -> Option<(LineIndex, Option<String>)> {
    let (min_file, chunk, overrun) = plan();
    let format = table.format.clone();
    let len = usize::try_from(file.len()).ok()?;
    let threads = crate::base::threads(threads);
    if !format.is_plain()
        || format.jsonl
        || format.parquet
        || len < min_file.max(1)
        || (threads < 2 && min_file > 0)
        || file.len() > file.max()
        || len >= MAX_RECORDS
    {
        return None;
    }
    // The header row, in one pass.
    let before = ctx.diags.len();
    let mut rdr = csv_reader(&format, stream::Pieces::new(file, &format, false));
    let layout = read_header(table, fid, &mut rdr, ctx);
    let broken = rdr.get_ref().stopped().is_some();
    let (Some(layout), false, true) = (layout, broken, ctx.diags.len() == before) else {
        ctx.diags.truncate(before);
        return None;
    };
    table.csv_fields.clone_from(&layout.col_of_field);
    let head = (rdr.position().byte() as usize, rdr.position().line());
    drop(rdr);
    let cuts = cuts(file, len, head.0, chunk)?;
    let job = Job {
        file,
        fid,
        cuts: &cuts,
        overrun,
        head,
        layout: &layout,
        blank: table.clone(),
        source_ids: ctx.source_ids,
        spare: Mutex::new(Vec::new()),
    };
    let hash = table.pin.is_some();
    let shared = Shared {
        state: Mutex::new(State {
            next: 0,
            merged: 0,
            done: (1..cuts.len()).map(|_| None).collect(),
            abort: false,
        }),
        wake: Condvar::new(),
    };
    // Stretches read ahead of the ones appended, at most.
    let window = threads + 1;
    let (merged, sha) = std::thread::scope(|s| {
        let hasher = hash.then(|| s.spawn(|| sha256_of(file)));
        for _ in 0..threads.max(1) {
            s.spawn(|| work(&job, &shared, window));
        }
        let merged = merge(table, &job, &shared);
        if let Ok(mut st) = shared.state.lock() {
            st.abort = true;
        }
        shared.wake.notify_all();
        let sha = hasher.and_then(|h| h.join().ok().flatten());
        (merged, sha)
    });
    let index = merged?;
    if hash && sha.is_none() {
        return None;
    }
    #[cfg(test)]
    LOADED.with(|n| n.set(n.get() + 1));
    Some((index, sha))
}

/// The offsets the file is cut at: 0, then the place after the first
/// line break at or after each multiple of `chunk` (before the `\n` of a
/// `\r\n`, where a reader stops after such a record), past the header,
/// and the file's length.
fn cuts(file: &Opened, len: usize, head: usize, chunk: usize) -> Option<Vec<usize>> {
    let mut cuts = vec![0];
    let mut buf = vec![0u8; 1 << 16];
    let mut k: usize = 1;
    while let Some(at) = k.checked_mul(chunk).filter(|a| *a < len) {
        // From the byte before, to see a `\r`.
        let mut off = at - 1;
        let mut skip = 1;
        let mut prev = None;
        let cut = loop {
            let n = read_at(file, &mut buf, off)?;
            let got = buf.get(..n)?;
            if n == 0 {
                break len;
            }
            if let Some(i) = got.get(skip..).and_then(|g| memchr::memchr(b'\n', g)) {
                let j = skip + i;
                let cr = match j.checked_sub(1) {
                    Some(b) => got.get(b) == Some(&b'\r'),
                    None => prev == Some(b'\r'),
                };
                break if cr { off + j } else { off + j + 1 };
            }
            prev = got.last().copied();
            off += n;
            skip = 0;
        };
        if cut > head && cut < len && cuts.last().is_some_and(|l| cut > *l) {
            cuts.push(cut);
        }
        k = (k + 1).max(cut / chunk + 1);
    }
    cuts.push(len);
    Some(cuts)
}

fn read_at(file: &Opened, buf: &mut [u8], off: usize) -> Option<usize> {
    file.read_at(buf, off as u64).ok()
}

/// Fill `buf` from offset `off`; `false` when the file ends first or
/// cannot be read.
fn read_exact_at(file: &Opened, buf: &mut [u8], mut off: usize) -> bool {
    let mut filled = 0;
    while filled < buf.len() {
        let Some(rest) = buf.get_mut(filled..) else {
            return false;
        };
        match read_at(file, rest, off) {
            Some(0) | None => return false,
            Some(n) => {
                filled += n;
                off += n;
            }
        }
    }
    true
}

/// The SHA-256 of the whole file (lower-case hex).
fn sha256_of(file: &Opened) -> Option<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut off = 0;
    loop {
        let n = read_at(file, &mut buf, off)?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n)?);
        off += n;
    }
    Some(stream::hex(&h.finalize()))
}

/// What every stretch's reader shares.
struct Job<'a> {
    file: &'a Opened,
    fid: FileId,
    cuts: &'a [usize],
    /// How far past its stretch a reader may read.
    overrun: usize,
    /// Where the records start (after the header row), and their line.
    head: (usize, u64),
    layout: &'a Layout,
    /// The table with no records yet.
    blank: Table,
    source_ids: &'a std::collections::HashMap<&'a str, usize>,
    /// Buffers of stretches appended, to read others into.
    spare: Mutex<Vec<Vec<u8>>>,
}

/// A stretch read.
struct Piece {
    /// Read whole, UTF-8, no NUL byte.
    ok: bool,
    /// Line breaks in it.
    newlines: usize,
    /// Its bytes (for the file's line index).
    bytes: Vec<u8>,
    /// Where its records were read from.
    start: usize,
    /// Its records, their lines counted from its start (from the file's
    /// start for the first stretch).
    table: Table,
    diags: Vec<Diagnostic>,
    /// Where its reader stopped (the line as its records').
    end: (usize, u64),
}

struct State {
    /// The next stretch to read.
    next: usize,
    /// Stretches appended so far.
    merged: usize,
    done: Vec<Option<Piece>>,
    abort: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

/// Sets `abort` if its thread unwinds, so that no one waits for it.
struct AbortOnPanic<'a>(&'a Shared);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            if let Ok(mut st) = self.0.state.lock() {
                st.abort = true;
            }
            self.0.wake.notify_all();
        }
    }
}

/// A reader's loop: take the next stretch (at most `window` ahead of the
/// ones appended, so that memory stays bounded), read it, hand it over.
fn work(job: &Job<'_>, shared: &Shared, window: usize) {
    let _guard = AbortOnPanic(shared);
    let n = job.cuts.len().saturating_sub(1);
    loop {
        let k = {
            let Ok(mut st) = shared.state.lock() else {
                return;
            };
            while !st.abort && st.next < n && st.next >= st.merged + window {
                st = match shared.wake.wait(st) {
                    Ok(s) => s,
                    Err(_) => return,
                };
            }
            if st.abort || st.next >= n {
                return;
            }
            st.next += 1;
            st.next - 1
        };
        let piece = read_piece(job, k);
        let Ok(mut st) = shared.state.lock() else {
            return;
        };
        if let Some(slot) = st.done.get_mut(k) {
            *slot = Some(piece);
        }
        drop(st);
        shared.wake.notify_all();
    }
}

/// Read stretch `k`.
fn read_piece(job: &Job<'_>, k: usize) -> Piece {
    let (from, to) = match (job.cuts.get(k), job.cuts.get(k + 1)) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0, 0),
    };
    let mut bytes = job
        .spare
        .lock()
        .ok()
        .and_then(|mut s| s.pop())
        .unwrap_or_default();
    bytes.resize(to - from, 0);
    let read = read_exact_at(job.file, &mut bytes, from);
    // (A NUL byte is looked for below, unless the reader without the
    // state machine, which refuses them, reads the stretch; the header
    // row before the first stretch's records, here.)
    let head = bytes
        .get(..start_of(job, k, from) - from)
        .unwrap_or_default();
    let read = read && memchr::memchr(0, head).is_none();
    let text = read.then(|| std::str::from_utf8(&bytes).ok()).flatten();
    let ok = text.is_some();
    let newlines = memchr::memchr_iter(b'\n', &bytes).count();
    let (start, line) = (
        start_of(job, k, from),
        if k == 0 {
            job.head.1.saturating_sub(1)
        } else {
            0
        },
    );
    let last = k + 2 >= job.cuts.len();
    let mut piece = Piece {
        ok,
        newlines,
        bytes: Vec::new(),
        start,
        table: job.blank.clone(),
        diags: Vec::new(),
        end: (start, line + 1),
    };
    if !ok {
        return piece;
    }
    let stretch = Stretch {
        byte: start,
        line,
        stop: (!last).then_some(to),
        len: to.saturating_sub(start),
    };
    // A stretch without quotes (the usual case): its lines are its records.
    if let Some(text) = text.and_then(|t| t.get(start - from..)) {
        let mut ctx = RowCtx {
            source_ids: job.source_ids,
            text: "",
            diags: &mut piece.diags,
        };
        let read = read_plain_records(
            &mut piece.table,
            job.fid,
            text,
            job.layout,
            &mut ctx,
            stretch,
        );
        if let Some(end) = read {
            piece.end = end;
            piece.bytes = bytes;
            return piece;
        }
    }
    if memchr::memchr(0, &bytes).is_some() {
        piece.ok = false;
        return piece;
    }
    let raw = Held {
        file: job.file,
        base: from,
        kept: bytes,
        at: start,
        limit: to.saturating_add(job.overrun),
    };
    let (raw, end) = read_stretch(job, &mut piece.table, &mut piece.diags, raw, stretch);
    piece.end = end;
    piece.bytes = raw.kept;
    piece.bytes.truncate(to - from);
    piece
}

/// Where the records of stretch `k`, starting at `from`, are read from
/// (after the header row for the first).
fn start_of(job: &Job<'_>, k: usize, from: usize) -> usize {
    if k == 0 {
        job.head.0.max(from)
    } else {
        from
    }
}

/// Read records from `raw` as `stretch` says, into `table`.
fn read_stretch<'a>(
    job: &Job<'a>,
    table: &mut Table,
    diags: &mut Vec<Diagnostic>,
    raw: Held<'a>,
    stretch: Stretch,
) -> (Held<'a>, (usize, u64)) {
    let mut ctx = RowCtx {
        source_ids: job.source_ids,
        text: "",
        diags,
    };
    let mut rdr = csv_reader(&table.format.clone(), raw);
    let end = read_records(table, job.fid, &mut rdr, job.layout, &mut ctx, stretch);
    (rdr.into_inner(), end)
}

/// Append the stretches to `table` in file order, each as soon as it is
/// read; the file's line index, or `None` at the first problem.
fn merge(table: &mut Table, job: &Job<'_>, shared: &Shared) -> Option<LineIndex> {
    let n = job.cuts.len().saturating_sub(1);
    let mut index = LineIndex::default();
    let mut newlines = 0usize;
    // Where the next record starts, and its line.
    let mut expect = job.head;
    for k in 0..n {
        let mut piece = {
            let mut st = shared.state.lock().ok()?;
            loop {
                if let Some(p) = st.done.get_mut(k).and_then(Option::take) {
                    st.merged = k + 1;
                    break p;
                }
                if st.abort {
                    return None;
                }
                st = shared.wake.wait(st).ok()?;
            }
        };
        shared.wake.notify_all();
        let (from, to) = (*job.cuts.get(k)?, *job.cuts.get(k + 1)?);
        if !piece.ok {
            return None;
        }
        // Its lines; its buffer is read into again.
        if piece.bytes.len() != to - from {
            return None;
        }
        index.feed(&piece.bytes);
        if let Ok(mut spare) = job.spare.lock() {
            spare.push(std::mem::take(&mut piece.bytes));
        }
        let line_base = if k == 0 { 0 } else { newlines as u64 };
        newlines += piece.newlines;
        let (part, end, base) = if piece.start == expect.0 && piece.diags.is_empty() {
            let end = (piece.end.0, piece.end.1 + line_base);
            (piece.table, end, line_base)
        } else {
            // A record ran over the cut: read on from where it ended (or
            // the stretch has a problem: read it again, with no limit, to
            // see if it is one).
            let mut part = job.blank.clone();
            let mut diags = Vec::new();
            let raw = Held {
                file: job.file,
                base: expect.0,
                kept: Vec::new(),
                at: expect.0,
                limit: usize::MAX,
            };
            let stretch = Stretch {
                byte: expect.0,
                line: expect.1.saturating_sub(1),
                stop: (k + 1 < n).then_some(to),
                len: to.saturating_sub(expect.0).max(1),
            };
            let (_, end) = read_stretch(job, &mut part, &mut diags, raw, stretch);
            if !diags.is_empty() {
                return None;
            }
            (part, end, 0)
        };
        if k == 0 && !part.is_empty() {
            // Room for about as many records as the rest of the file
            // holds at the first stretch's rate.
            let per = (end.0.saturating_sub(job.head.0) / part.len()).max(1);
            let rows = job.cuts.last().copied().unwrap_or(0) / per;
            for c in &mut table.columns {
                c.data.expect(rows);
            }
            table.records.reserve(rows, false);
        }
        append(table, part, base);
        expect = end;
    }
    Some(index)
}

/// Append a stretch's records to the table.
fn append(table: &mut Table, part: Table, line_base: u64) {
    for (c, p) in table.columns.iter_mut().zip(part.columns) {
        c.data.append(p.data);
    }
    table.records.append(part.records, line_base);
}

/// The bytes of a file from an offset on: a stretch read beforehand,
/// then whatever follows, read as asked for (a record running over the
/// stretch's end).
struct Held<'a> {
    file: &'a Opened,
    /// The file offset of `kept`'s first byte.
    base: usize,
    kept: Vec<u8>,
    /// The next offset to hand out.
    at: usize,
    /// Reading at or past this offset is an error (a guessed start can
    /// put a reader inside a quoted cell that runs far: it stops).
    limit: usize,
}

impl Read for Held<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = self.base + self.kept.len();
        if self.at >= end {
            if end >= self.limit {
                return Err(io::Error::other("a record runs far past its stretch"));
            }
            let mut more = vec![0u8; buf.len().clamp(1, 1 << 16)];
            let n = self.file.read_at(&mut more, end as u64)?;
            self.kept
                .extend_from_slice(more.get(..n).unwrap_or_default());
        }
        Ok(stream::copy_on(&self.kept, self.base, &mut self.at, buf))
    }
}

impl Raw for Held<'_> {
    fn held(&self, r: Range<usize>) -> Option<&[u8]> {
        stream::held_from(&self.kept, self.base, r)
    }
    fn seen(&self) -> usize {
        self.at
    }
    fn total(&self) -> usize {
        self.base + self.kept.len()
    }
    fn forget_before(&mut self, _at: usize) {}
    fn whole(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use std::sync::atomic::Ordering;
    use std::sync::Mutex;

    use proptest::prelude::*;

    use super::super::{load_dir_in_threads, Evidence};
    use super::*;
    use crate::diag::Files;
    use crate::fsread::{Fs, DEFAULT_MAX_FILE_SIZE};

    /// One test at a time changes [`FORCE_CHUNK`].
    static LOCK: Mutex<()> = Mutex::new(());

    const SOURCES: &str = "[[source]]\nid = \"s1\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/a\"\ndate = \"2025-05\"\n\n[[source]]\nid = \"s2\"\ntitle = \"U\"\npublisher = \"P\"\nurl = \"https://example.org/b\"\ndate = \"2025-05\"\n";

    const TABLE: &str = "[table]\nname = \"t\"\ncsv = \"t.csv\"\nsources = [\"s1\"]\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n\n[[column]]\nname = \"n\"\ntype = \"integer\"\n\n[[column]]\nname = \"x\"\ntype = \"decimal\"\n\n[[column]]\nname = \"day\"\ntype = \"date\"\nempty = \"open\"\n\n[[column]]\nname = \"ok\"\ntype = \"boolean\"\n\n[[column]]\nname = \"tags\"\ntype = \"list\"\n";

    /// Load a directory holding `csv` as `t.csv`, with stretches of
    /// `chunk` bytes (0: in one pass); the evidence, the files and the
    /// diagnostics, printed.
    fn load_with(dir: &std::path::Path, chunk: usize) -> (Evidence, String, String) {
        FORCE_CHUNK.store(chunk, Ordering::Relaxed);
        let mut files = Files::default();
        let mut diags = Vec::new();
        let mut fs = Fs::new(None, DEFAULT_MAX_FILE_SIZE).unwrap();
        let ev = load_dir_in_threads(&mut fs, dir, &mut files, &mut diags, (3, None));
        FORCE_CHUNK.store(0, Ordering::Relaxed);
        (ev, format!("{files:?}"), format!("{diags:?}"))
    }

    /// Everything a table holds, printed without the hash tables (whose
    /// layout depends on random seeds).
    fn shown(ev: &Evidence) -> String {
        let mut out = String::new();
        for t in &ev.tables {
            out += &format!(
                "table {} ({} records) sha {:?}\n",
                t.name,
                t.len(),
                t.sha256
            );
            for c in &t.columns {
                out += &format!("column {}:", c.name);
                for row in 0..t.len() as u32 {
                    out += &format!(" {:?}", c.get(row));
                }
                match &c.data {
                    ColumnData::Text(x) => {
                        out += &format!("\n codes {:?}", x.codes);
                        out += &format!("\n dict {:?}", x.dict.iter().collect::<Vec<_>>());
                    }
                    ColumnData::Num(x) => {
                        out += &format!("\n exp {} {:?} {:?}", x.exp, x.scaled, x.other);
                    }
                    ColumnData::List(x) => {
                        out += &format!(
                            "\n items {:?} {:?} {:?} {:?}",
                            x.items,
                            x.ends,
                            x.unknown,
                            x.dict.iter().collect::<Vec<_>>()
                        );
                    }
                    _ => {}
                }
                out += "\n";
            }
            let r = &t.records;
            out += &format!(
                "records {:?} {:?} {:?} {:?} {:?} {:?} {:?}\n",
                r.source_lists, r.source_list, r.notes, r.file, r.starts, r.lens, r.lines
            );
        }
        out
    }

    use super::super::ColumnData;

    /// The chunked load gives what the one-pass load gives.
    fn same(csv: &str, chunk: usize) -> String {
        same_with(TABLE, csv, chunk)
    }

    /// [`same`] with another table description.
    fn same_with(table: &str, csv: &str, chunk: usize) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sources.toml"), SOURCES).unwrap();
        std::fs::write(dir.path().join("t.toml"), table).unwrap();
        std::fs::write(dir.path().join("t.csv"), csv).unwrap();
        let _l = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let (a, fa, da) = load_with(dir.path(), 0);
        let before = LOADED.with(std::cell::Cell::get);
        let (b, fb, db) = load_with(dir.path(), chunk);
        if da == "[]" {
            // A file without problems is read in stretches.
            assert_eq!(LOADED.with(std::cell::Cell::get), before + 1);
        }
        assert_eq!(da, db, "diagnostics differ");
        assert_eq!(shown(&a), shown(&b), "evidence differs");
        assert_eq!(fa, fb, "files differ");
        db
    }

    const HEADER: &str = "name,n,x,day,ok,tags,sources,note\n";

    #[test]
    fn quoted_line_breaks_over_cuts() {
        // Cells with line breaks wherever the cuts fall.
        let mut csv = HEADER.to_string();
        for i in 0..60 {
            csv += &format!(
                "\"a\n{i}\n,\"\"b\"\"\",{i},{}.5,2020-01-{:02},true,x;y,,\n",
                i % 7,
                1 + i % 28,
            );
            csv += &format!("p{i},{i},1.25,,false,,s2,a note\r\n");
        }
        let before = LOADED.with(std::cell::Cell::get);
        for chunk in [1, 5, 17, 64, 100, 1000] {
            same(&csv, chunk);
        }
        assert_eq!(
            LOADED.with(std::cell::Cell::get),
            before + 6,
            "the file was read in stretches"
        );
    }

    #[test]
    fn pinned_files_are_hashed_whole() {
        let mut csv = HEADER.to_string();
        for i in 0..50 {
            csv += &format!("r{i},{i},{i},,,,,\n");
        }
        let right = crate::input::evidence::sha256_hex(csv.as_bytes());
        let wrong = "0".repeat(64);
        for pin in [right, wrong] {
            let table = TABLE.replace(
                "sources = [\"s1\"]\n",
                &format!("sources = [\"s1\"]\nsha256 = \"{pin}\"\n"),
            );
            for chunk in [3, 100] {
                let diags = same_with(&table, &csv, chunk);
                assert_eq!(
                    diags.contains("hash-mismatch"),
                    pin.starts_with('0'),
                    "{diags}"
                );
            }
        }
    }

    #[test]
    fn a_cell_over_many_stretches() {
        // A quoted cell of many lines, some with quotes and delimiters:
        // the readers of the stretches inside it start wrong, and its own
        // reader runs past its limit and is read again.
        let mut csv = HEADER.to_string();
        csv += "a,1,1,,,,,\n";
        let long: String = (0..300).map(|i| format!("l{i},\"\"q\n")).collect();
        csv += &format!("\"{long}\",2,2,2020-01-01,,,,\n");
        csv += "\"\"\"x\n,y\",3,3,,,,,\nb,4,4,,,,,\n";
        let before = LOADED.with(std::cell::Cell::get);
        for chunk in [1, 7, 64, 500] {
            same(&csv, chunk);
        }
        assert_eq!(LOADED.with(std::cell::Cell::get), before + 4);
    }

    #[test]
    fn bad_cells_and_ragged_rows_read_in_one_pass() {
        let mut csv = HEADER.to_string();
        for i in 0..40 {
            csv += &format!("n{i},{i},{i},2020-01-01,true,,,\n");
        }
        csv += "bad,zz,1,2020-13-01,maybe,,,\n";
        csv += "short,1\n";
        for chunk in [3, 50] {
            let diags = same(&csv, chunk);
            assert!(diags.contains("line 42"), "{diags}");
        }
    }

    #[test]
    fn finer_decimals_later_rescale_as_in_one_pass() {
        let mut csv = HEADER.to_string();
        for i in 0..30 {
            csv += &format!("a,{i},{i},,,,,\n");
        }
        csv += "a,1,0.125,,,,,\n";
        csv += "a,1,922337203685477580,,,,,\n";
        for i in 0..30 {
            csv += &format!("a,{i},{i}.5,,,,,\n");
        }
        let before = LOADED.with(std::cell::Cell::get);
        for chunk in [7, 40, 200] {
            same(&csv, chunk);
        }
        assert_eq!(LOADED.with(std::cell::Cell::get), before + 3);
    }

    /// Text with the characters CSV quotes.
    fn awkward() -> impl Strategy<Value = String> {
        "[a\",\n\r; ]{0,6}"
    }

    /// A valid cell of column `i` (of [`HEADER`]).
    fn valid(i: usize) -> BoxedStrategy<String> {
        match i {
            0 => prop_oneof!["[a-c]{1,3}", awkward()].boxed(),
            1 => prop_oneof![9 => "[0-9]{1,4}", 1 => Just(String::new())].boxed(),
            2 => prop_oneof![
                "[0-9]{1,3}",
                "[0-9]{1,2}\\.[0-9]{1,4}",
                "9[0-9]{17}",
                Just("unknown".to_string())
            ]
            .boxed(),
            3 => prop_oneof![
                4 => (2019u32..2021, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
                1 => Just("2020".to_string()),
                1 => Just(String::new()),
            ]
            .boxed(),
            4 => prop_oneof![Just("true"), Just("false"), Just("")].prop_map(str::to_string).boxed(),
            5 => prop_oneof!["[a-c;]{0,6}", awkward()].boxed(),
            6 => prop_oneof![Just(""), Just("s1"), Just("s1;s2"), Just(" s2 ")]
                .prop_map(str::to_string)
                .boxed(),
            _ => prop_oneof![Just(String::new()), awkward()].boxed(),
        }
    }

    /// A cell of column `i`: valid, or (when `bad`) sometimes anything.
    fn cell(i: usize, bad: bool) -> BoxedStrategy<String> {
        if bad && i == 6 {
            // (An unknown id near two known ones gets either as a
            // suggestion: not compared.)
            prop_oneof![4 => valid(i), 1 => Just("qqqqqq".to_string())].boxed()
        } else if bad {
            prop_oneof![4 => valid(i), 1 => "[a-z0-9\\-]{0,4}", 1 => awkward()].boxed()
        } else {
            valid(i)
        }
    }

    fn quoted(s: &str, force: bool) -> String {
        if force || s.contains(['"', ',', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }

    /// A CSV of the table's columns: rows of cells, quoted or not,
    /// `\r\n` or `\n` line ends, blank lines; in one file in four, bad
    /// cells and rows of other lengths.
    fn csv() -> impl Strategy<Value = String> {
        prop_oneof![3 => Just(false), 1 => Just(true)].prop_flat_map(|bad| {
            let cells: Vec<_> = (0..8).map(|i| (cell(i, bad), any::<bool>())).collect();
            let row = (cells, any::<bool>(), 0u8..30);
            prop::collection::vec(row, 0..40).prop_map(move |rows| {
                let mut out = HEADER.to_string();
                for (cells, crlf, extra) in rows {
                    let n = match extra {
                        0 if bad => 7,
                        _ => 8,
                    };
                    let fields: Vec<String> =
                        cells.iter().take(n).map(|(c, q)| quoted(c, *q)).collect();
                    out += &fields.join(",");
                    out += if crlf { "\r\n" } else { "\n" };
                    if extra == 3 {
                        out += "\n";
                    }
                }
                out
            })
        })
    }

    /// A CSV as published without quoting: no quote, no `\r`; blank
    /// lines, spaces around cells, and (in one file in four) bad cells
    /// and rows of other lengths.
    fn plain_csv() -> impl Strategy<Value = String> {
        prop_oneof![3 => Just(false), 1 => Just(true)].prop_flat_map(|bad| {
            let unquoted = |c: String| c.replace(['"', ',', '\n', '\r'], " ");
            let cells: Vec<_> = (0..8).map(|i| cell(i, bad).prop_map(unquoted)).collect();
            let row = (cells, 0u8..30);
            prop::collection::vec(row, 0..60).prop_map(move |rows| {
                let mut out = HEADER.to_string();
                for (cells, extra) in rows {
                    let n = match extra {
                        0 if bad => 7,
                        1 if bad => 9,
                        _ => 8,
                    };
                    let mut fields = cells;
                    fields.resize(n, String::new());
                    out += &fields.join(",");
                    out += "\n";
                    if extra == 3 {
                        out += "\n";
                    }
                    if extra == 4 {
                        out += "\n\n";
                    }
                }
                if rows_end_without_break(&out) {
                    out.pop();
                }
                out
            })
        })
    }

    /// Whether a generated file is to end without a line break (one in
    /// two, by its length).
    fn rows_end_without_break(csv: &str) -> bool {
        csv.len() % 2 == 1
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn chunked_load_of_unquoted_files_is_the_one_pass_load(csv in plain_csv(), chunk in 1usize..200) {
            same(&csv, chunk);
        }

        #[test]
        fn chunked_load_is_the_one_pass_load(csv in csv(), chunk in 1usize..120) {
            same(&csv, chunk);
        }

        #[test]
        fn chunked_load_looking_at_the_first_fields_is_the_one_pass_load(
            csv in plain_csv(),
            chunk in 1usize..200,
            few in any::<bool>(),
        ) {
            // The sources and the note are undeclared columns (records cite
            // the dataset's sources: read a column at a time), and so are
            // the fields after the first three (`few`): those fields are
            // counted, not read.
            let csv = csv.replacen("sources,note", "cited,remark", 1);
            let table = if few {
                TABLE.split("\n\n[[column]]\nname = \"day\"").next().unwrap_or(TABLE)
            } else {
                TABLE
            };
            same_with(table, &csv, chunk);
        }
    }
}

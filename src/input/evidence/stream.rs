//! The bytes a CSV reader reads, kept as long as a record may still need
//! them (its line, for spans), from a text in memory or from a file read
//! in pieces. A file read in pieces is never held whole: its line index is
//! built as it is read, and its bytes are checked as [`Fs::read`] checks a
//! file (UTF-8, no NUL, the size limit) on the way.
//!
//! [`Fs::read`]: crate::fsread::Fs::read

use std::io::{self, Read};
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, LineIndex};
use crate::fsread::Opened;
use crate::input::csvformat::{Compression, CsvFormat, Encoding};

/// The SHA-256 of `bytes`, in lower-case hex.
pub(super) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(super) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(2 * digest.len());
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// What a CSV is read from: a [`Read`] that can show the bytes it read
/// recently, by their offset in the whole text.
pub(super) trait Raw: Read {
    /// The bytes at offsets `r`, if still held.
    fn held(&self, r: Range<usize>) -> Option<&[u8]>;
    /// How many bytes were read so far.
    fn seen(&self) -> usize;
    /// The whole length, as far as known before reading it.
    fn total(&self) -> usize;
    /// Bytes before offset `at` will not be asked for again.
    fn forget_before(&mut self, at: usize);
    /// Whether the whole text stays in memory, so records can keep their
    /// place in it.
    fn whole(&self) -> bool;
}

/// A text in memory.
pub(super) struct InMemory<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> InMemory<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        InMemory {
            text: text.as_bytes(),
            at: 0,
        }
    }
}

impl Read for InMemory<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(copy_on(self.text, 0, &mut self.at, buf))
    }
}

/// The bytes `r` (offsets in the whole text) of `kept`, which holds the
/// text from offset `base`: `None` for bytes before `base` or past the
/// end of `kept`.
pub(super) fn held_from(kept: &[u8], base: usize, r: Range<usize>) -> Option<&[u8]> {
    let start = r.start.checked_sub(base)?;
    let end = r.end.checked_sub(base)?;
    kept.get(start..end)
}

/// Copy into `buf` what it takes of `text` (whose first byte is at
/// offset `base`) from offset `*at` on, and advance `*at` past it: the
/// bytes copied.
pub(super) fn copy_on(text: &[u8], base: usize, at: &mut usize, buf: &mut [u8]) -> usize {
    let rest = at
        .checked_sub(base)
        .and_then(|i| text.get(i..))
        .unwrap_or_default();
    let n = rest.len().min(buf.len());
    if let (Some(to), Some(from)) = (buf.get_mut(..n), rest.get(..n)) {
        to.copy_from_slice(from);
    }
    *at += n;
    n
}

impl Raw for InMemory<'_> {
    fn held(&self, r: Range<usize>) -> Option<&[u8]> {
        self.text.get(r)
    }
    fn seen(&self) -> usize {
        self.at
    }
    fn total(&self) -> usize {
        self.text.len()
    }
    fn forget_before(&mut self, _at: usize) {}
    fn whole(&self) -> bool {
        true
    }
}

/// Why a file read in pieces stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// Not UTF-8, a NUL byte, larger than the limit, or a read error: read
    /// it whole to say which, and where.
    Unreadable,
}

/// Bytes held at least, before the ones no record needs are dropped.
const KEEP: usize = 1 << 20;

/// The bytes of a file as they are on disk, read from the start,
/// hashed on the way when asked, within the size limit.
struct FileBytes<'a> {
    file: &'a Opened,
    at: u64,
    hash: Option<Sha256>,
}

impl Read for FileBytes<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.at)?;
        if self.at + n as u64 > self.file.max() {
            return Err(io::Error::other(TOO_LARGE));
        }
        if let (Some(h), Some(got)) = (&mut self.hash, buf.get(..n)) {
            h.update(got);
        }
        self.at += n as u64;
        Ok(n)
    }
}

const TOO_LARGE: &str = "larger than the limit";

/// The bytes of a file after decompression.
enum Unpacked<'a> {
    Plain(FileBytes<'a>),
    Gzip(Box<flate2::read::MultiGzDecoder<FileBytes<'a>>>),
    Zstd(Box<Zstd<'a>>),
}

impl<'a> Unpacked<'a> {
    fn into_bytes(self) -> FileBytes<'a> {
        match self {
            Unpacked::Plain(b) => b,
            Unpacked::Gzip(g) => g.into_inner(),
            Unpacked::Zstd(z) => z.src,
        }
    }
}

impl Read for Unpacked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Unpacked::Plain(b) => b.read(buf),
            Unpacked::Gzip(g) => g.read(buf),
            Unpacked::Zstd(z) => z.read(buf),
        }
    }
}

/// A zstd stream (RFC 8878), one frame or several one after another,
/// decoded by the pure-Rust `ruzstd` as it is read; each frame's checksum,
/// when it has one, is checked. A stream that ends inside a frame is an
/// error, as is a file with no frame at all.
struct Zstd<'a> {
    src: FileBytes<'a>,
    dec: ruzstd::decoding::FrameDecoder,
    /// Whether a frame is being decoded.
    in_frame: bool,
    frames: usize,
}

impl<'a> Zstd<'a> {
    fn new(src: FileBytes<'a>) -> Self {
        Zstd {
            src,
            dec: ruzstd::decoding::FrameDecoder::new(),
            in_frame: false,
            frames: 0,
        }
    }
}

impl Read for Zstd<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use ruzstd::decoding::BlockDecodingStrategy;
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if self.src.at >= self.src.file.len() {
                    if self.frames == 0 {
                        return Err(io::Error::other("the file holds no zstd frame"));
                    }
                    return Ok(0);
                }
                self.dec.reset(&mut self.src).map_err(io::Error::other)?;
                self.in_frame = true;
                self.frames += 1;
            }
            while self.dec.can_collect() < buf.len() && !self.dec.is_finished() {
                let more = buf.len() - self.dec.can_collect();
                self.dec
                    .decode_blocks(&mut self.src, BlockDecodingStrategy::UptoBytes(more))
                    .map_err(io::Error::other)?;
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.dec.is_finished() {
                if let (Some(want), Some(got)) = (
                    self.dec.get_checksum_from_data(),
                    self.dec.get_calculated_checksum(),
                ) {
                    if want != got {
                        return Err(io::Error::other(
                            "a frame's checksum does not match its data",
                        ));
                    }
                }
                self.in_frame = false;
            }
        }
    }
}

/// Why decoding a file stopped: a problem with its place in the decoded
/// text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// A byte that is no character in the declared encoding.
    Byte {
        /// The byte.
        byte: u8,
        /// Its offset in the decompressed bytes.
        at: u64,
    },
    /// The gzip stream is corrupt or ends early.
    Gzip(String),
    /// The zstd stream is corrupt or ends early.
    Zstd(String),
    /// Larger than the limit, decompressed.
    TooLarge,
    /// The file could not be read.
    Io(String),
}

/// A file's bytes decompressed and decoded into UTF-8, as declared.
pub(super) struct Decoded<'a> {
    src: Unpacked<'a>,
    encoding: Encoding,
    /// Decoded bytes not yet handed out.
    pending: Vec<u8>,
    pos: usize,
    /// Decompressed bytes read so far.
    raw_at: u64,
    /// Decoded bytes handed out so far.
    out: u64,
    max: u64,
    error: Option<DecodeError>,
}

impl<'a> Decoded<'a> {
    /// A decoder of `file` as `format` declares it, hashing the file's
    /// own bytes when `hash` is set.
    pub(super) fn new(file: &'a Opened, format: &CsvFormat, hash: bool) -> Self {
        let bytes = FileBytes {
            file,
            at: 0,
            hash: hash.then(Sha256::new),
        };
        let src = match format.compression {
            Compression::None => Unpacked::Plain(bytes),
            Compression::Gzip => Unpacked::Gzip(Box::new(flate2::read::MultiGzDecoder::new(bytes))),
            Compression::Zstd => Unpacked::Zstd(Box::new(Zstd::new(bytes))),
        };
        Decoded {
            src,
            encoding: format.encoding,
            pending: Vec::new(),
            pos: 0,
            raw_at: 0,
            out: 0,
            max: file.max(),
            error: None,
        }
    }

    /// Why it stopped, if it did.
    pub(super) fn error(&self) -> Option<&DecodeError> {
        self.error.as_ref()
    }

    /// Lines decoded but not handed out (before a decoding error).
    fn pending_lines(&self) -> usize {
        self.pending
            .get(self.pos..)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    }

    /// The SHA-256 of the file's bytes read, when asked for.
    pub(super) fn finish(self) -> Option<String> {
        self.src.into_bytes().hash.map(|h| hex(&h.finalize()))
    }

    fn fail(&mut self, e: DecodeError) -> io::Error {
        let msg = format!("{e:?}");
        self.error = Some(e);
        io::Error::other(msg)
    }
}

impl Read for Decoded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Err(io::Error::other("the file could not be decoded"));
        }
        if self.pos >= self.pending.len() {
            self.pending.clear();
            self.pos = 0;
            let mut raw = vec![0u8; buf.len().clamp(1, 1 << 16)];
            let n = match self.src.read(&mut raw) {
                Ok(n) => n,
                Err(e) => {
                    let msg = e.to_string();
                    let err = if msg == TOO_LARGE {
                        DecodeError::TooLarge
                    } else if matches!(self.src, Unpacked::Gzip(_)) {
                        DecodeError::Gzip(msg)
                    } else if matches!(self.src, Unpacked::Zstd(_)) {
                        DecodeError::Zstd(msg)
                    } else {
                        DecodeError::Io(msg)
                    };
                    return Err(self.fail(err));
                }
            };
            let got = raw.get(..n).unwrap_or_default();
            if self.encoding == Encoding::Utf8 {
                self.pending.extend_from_slice(got);
            } else {
                for (i, b) in got.iter().enumerate() {
                    match self.encoding.char_of(*b) {
                        Some(c) => {
                            let mut tmp = [0u8; 4];
                            self.pending
                                .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                        }
                        None => {
                            let at = self.raw_at + i as u64;
                            return Err(self.fail(DecodeError::Byte { byte: *b, at }));
                        }
                    }
                }
            }
            self.raw_at += n as u64;
        }
        let rest = self.pending.get(self.pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), rest.get(..n)) {
            to.copy_from_slice(from);
        }
        self.pos += n;
        self.out += n as u64;
        if self.out > self.max {
            return Err(self.fail(DecodeError::TooLarge));
        }
        Ok(n)
    }
}

/// The whole text of `file` decoded as `format` declares, and the
/// SHA-256 of the file's bytes when asked for; a located diagnostic when
/// it cannot be.
pub(super) fn read_whole(
    file: &Opened,
    format: &CsvFormat,
    hash: bool,
) -> Result<(String, Option<String>), Box<Diagnostic>> {
    if format.is_plain() {
        let text = file.read_text()?;
        let sha = hash.then(|| sha256(text.as_bytes()));
        return Ok((text, sha));
    }
    let mut d = Decoded::new(file, format, hash);
    let mut out = Vec::new();
    let got = d.read_to_end(&mut out);
    let line = |upto: usize| {
        1 + out
            .get(..upto.min(out.len()))
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    };
    if got.is_err() {
        let shown = &file.shown;
        let diag = match d.error().cloned() {
            Some(DecodeError::Byte { byte, at }) => Diagnostic::error(
                "io/bad-encoding",
                format!(
                    "byte 0x{byte:02X} (byte {} of the data) is not a character in {}",
                    at + 1,
                    format.encoding.name()
                ),
            )
            .in_path(format!("{shown}:{}", line(out.len()) + d.pending_lines()))
            .help(match format.encoding {
                Encoding::Latin1 => "bytes 0x80 to 0x9F are control characters in Latin-1: the file is probably windows-1252",
                _ => "check the encoding the publisher declares, or the file is not text",
            }),
            Some(DecodeError::Gzip(why)) => Diagnostic::error(
                "io/bad-gzip",
                format!(
                    "the gzip stream is corrupt or ends early, after {} bytes of data ({why})",
                    out.len()
                ),
            )
            .in_path(format!("{shown}:{}", line(out.len())))
            .help("download the file again: it is truncated or damaged (or declare compression = \"none\")"),
            Some(DecodeError::Zstd(why)) => Diagnostic::error(
                "io/bad-zstd",
                format!(
                    "the zstd stream is corrupt or ends early, after {} bytes of data ({why})",
                    out.len()
                ),
            )
            .in_path(format!("{shown}:{}", line(out.len())))
            .help("download the file again: it is truncated or damaged (or declare compression = \"none\")"),
            Some(DecodeError::TooLarge) => Diagnostic::error(
                "io/too-large",
                format!(
                    "`{shown}` holds more than {} bytes of data",
                    file.max()
                ),
            )
            .in_path(shown.clone())
            .help("raise the size limit if the file is genuine"),
            Some(DecodeError::Io(why)) => {
                Diagnostic::error("io/read", format!("the file could not be read: {why}"))
                    .in_path(shown.clone())
            }
            None => Diagnostic::error("io/read", "the file could not be read").in_path(shown.clone()),
        };
        return Err(Box::new(diag));
    }
    let sha = d.finish();
    if let Some(at) = memchr::memchr(0, &out) {
        return Err(Box::new(
            Diagnostic::error("io/not-utf8", "file is not text: it holds a NUL byte")
                .in_path(format!("{}:{}", file.shown, line(at))),
        ));
    }
    match String::from_utf8(out) {
        Ok(text) => Ok((text, sha)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let byte = bytes.get(at).copied().unwrap_or(0);
            let l = 1 + bytes
                .get(..at)
                .unwrap_or_default()
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            Err(Box::new(
                Diagnostic::error(
                    "io/not-utf8",
                    format!("the data is not UTF-8: byte 0x{byte:02X} does not start a character"),
                )
                .in_path(format!("{}:{l}", file.shown))
                .help("declare its encoding in [table.csv_format]: encoding = \"latin-1\" or \"windows-1252\""),
            ))
        }
    }
}

/// A file read in pieces, holding only the bytes from the oldest offset
/// still needed. Offsets are those of its decoded text.
pub(super) struct Pieces<'a> {
    src: Decoded<'a>,
    /// The next offset to read.
    at: usize,
    /// Bytes from offset `base` on.
    kept: Vec<u8>,
    base: usize,
    /// Bytes before this offset are valid UTF-8.
    valid: usize,
    index: LineIndex,
    total: usize,
    stop: Option<Stop>,
}

impl<'a> Pieces<'a> {
    /// A reader of `file` as `format` declares it, hashing the file when
    /// `hash` is set.
    pub(super) fn new(file: &'a Opened, format: &CsvFormat, hash: bool) -> Self {
        Pieces {
            src: Decoded::new(file, format, hash),
            at: 0,
            kept: Vec::new(),
            base: 0,
            valid: 0,
            index: LineIndex::default(),
            total: usize::try_from(file.len()).unwrap_or(usize::MAX),
            stop: None,
        }
    }

    /// Why reading stopped, if it did.
    pub(super) fn stopped(&self) -> Option<Stop> {
        self.stop
    }

    /// The line index of everything read, and its SHA-256 (lower-case
    /// hex) when asked for.
    pub(super) fn finish(self) -> (LineIndex, Option<String>) {
        (self.index, self.src.finish())
    }

    fn fail(&mut self, why: &str) -> io::Error {
        self.stop = Some(Stop::Unreadable);
        io::Error::other(why.to_string())
    }

    /// Check the bytes from `valid` on; an incomplete character at the
    /// end waits for the next piece unless this is the end.
    fn check_utf8(&mut self, at_end: bool) -> bool {
        let from = self.valid - self.base;
        let Some(rest) = self.kept.get(from..) else {
            return false;
        };
        match std::str::from_utf8(rest) {
            Ok(_) => {
                self.valid += rest.len();
                true
            }
            Err(e) if e.error_len().is_none() && !at_end => {
                self.valid += e.valid_up_to();
                true
            }
            Err(_) => false,
        }
    }
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() {
            return Err(io::Error::other("the file could not be read"));
        }
        let n = match self.src.read(buf) {
            Ok(n) => n,
            Err(_) => return Err(self.fail("the file could not be read")),
        };
        let got = buf.get(..n).unwrap_or_default();
        if n == 0 {
            if !self.check_utf8(true) {
                return Err(self.fail("not UTF-8"));
            }
            return Ok(0);
        }
        if memchr::memchr(0, got).is_some() {
            return Err(self.fail("a NUL byte"));
        }
        self.kept.extend_from_slice(got);
        self.index.feed(got);
        self.at += n;
        if !self.check_utf8(false) {
            return Err(self.fail("not UTF-8"));
        }
        Ok(n)
    }
}

impl Raw for Pieces<'_> {
    fn whole(&self) -> bool {
        false
    }
    fn held(&self, r: Range<usize>) -> Option<&[u8]> {
        held_from(&self.kept, self.base, r)
    }
    fn seen(&self) -> usize {
        self.at
    }
    fn total(&self) -> usize {
        self.total
    }
    fn forget_before(&mut self, at: usize) {
        // Dropped in large steps, and only the bytes before `at` that are
        // also checked: moving the few bytes after them is cheap then.
        let drop = at.min(self.valid).saturating_sub(self.base);
        if drop >= KEEP && drop * 2 >= self.kept.len() {
            self.kept.drain(..drop);
            self.base += drop;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_texts() {
        // FIPS 180-2 test vector.
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn in_memory_reads_and_shows_bytes() {
        let mut m = InMemory::new("ab\ncd\n");
        let mut buf = [0u8; 4];
        assert_eq!(m.read(&mut buf).ok(), Some(4));
        assert_eq!(m.seen(), 4);
        assert_eq!(m.held(3..5), Some(&b"cd"[..]));
        assert_eq!(m.read(&mut buf).ok(), Some(2));
        assert_eq!(m.read(&mut buf).ok(), Some(0));
    }
}

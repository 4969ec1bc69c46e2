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

use crate::diag::LineIndex;
use crate::fsread::Opened;

/// The SHA-256 of `bytes`, in lower-case hex.
pub(super) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
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
        let rest = self.text.get(self.at..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), rest.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at += n;
        Ok(n)
    }
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

/// A file read in pieces, holding only the bytes from the oldest offset
/// still needed.
pub(super) struct Pieces<'a> {
    file: &'a Opened,
    /// The next offset to read.
    at: usize,
    /// Bytes from offset `base` on.
    kept: Vec<u8>,
    base: usize,
    /// Bytes before this offset are valid UTF-8.
    valid: usize,
    index: LineIndex,
    /// The SHA-256 of every byte read, when asked for.
    hash: Option<Sha256>,
    stop: Option<Stop>,
}

impl<'a> Pieces<'a> {
    /// A reader of `file`, hashing what it reads when `hash` is set.
    pub(super) fn new(file: &'a Opened, hash: bool) -> Self {
        Pieces {
            file,
            at: 0,
            kept: Vec::new(),
            base: 0,
            valid: 0,
            index: LineIndex::default(),
            hash: hash.then(Sha256::new),
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
        (self.index, self.hash.map(|h| hex(&h.finalize())))
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
        let n = match self.file.read_at(buf, self.at as u64) {
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
        if (self.at + n) as u64 > self.file.max() {
            return Err(self.fail("larger than the limit"));
        }
        if memchr::memchr(0, got).is_some() {
            return Err(self.fail("a NUL byte"));
        }
        self.kept.extend_from_slice(got);
        self.index.feed(got);
        if let Some(h) = &mut self.hash {
            h.update(got);
        }
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
        let start = r.start.checked_sub(self.base)?;
        let end = r.end.checked_sub(self.base)?;
        self.kept.get(start..end)
    }
    fn seen(&self) -> usize {
        self.at
    }
    fn total(&self) -> usize {
        usize::try_from(self.file.len()).unwrap_or(usize::MAX)
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

//! Typed, columnar storage of a table's cells.
//!
//! Each column is a typed vector, never a vector of per-cell enums:
//!
//! | type | storage | unknown |
//! |---|---|---|
//! | text | `u32` codes into a [`Dict`] (each distinct text stored once) | code [`NO_CODE`] |
//! | integer, decimal, quantity | `i64` scaled by a power of ten shared by the column; cells that are not such a point (ranges such as `about 5`, huge values) kept apart | kept apart |
//! | date | two day numbers per cell, the first and last day it may be | `(NO_LO, NO_HI)` |
//! | boolean | a value bitmap and a known bitmap | known bit clear |
//! | list | offsets into one vector of text codes | a bitmap |
//!
//! [`Cell`] is the value of one cell as a whole, used while loading and by
//! the record-at-a-time parts of evaluation; the vectorised parts read the
//! vectors directly.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use crate::date::{Date, DateRange};
use crate::interval::Interval;
use crate::num::Rational;

use super::ColType;

/// The code of an unknown text cell.
pub const NO_CODE: u32 = u32::MAX;
/// The day number of a date with no lower bound.
pub const NO_LO: i32 = i32::MIN;
/// The day number of a date with no upper bound.
pub const NO_HI: i32 = i32::MAX;

/// One value of a record, as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Not known.
    Unknown,
    /// Text.
    Text(Arc<str>),
    /// A number, exact or an interval.
    Num(Interval),
    /// A date range.
    Date(DateRange),
    /// A truth value.
    Bool(bool),
    /// A list of texts.
    List(Arc<[Arc<str>]>),
}

/// Day number of a date: days since 1970-01-01 (negative before).
pub fn day_number(d: Date) -> i32 {
    // Days from the civil calendar, counting eras of 400 years
    // (146,097 days) from 0000-03-01 so that leap days fall at the end of
    // a year.
    let (y, m, dd) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// The day number of a date written `YYYY-MM-DD`, a real day of a year
/// from 1 to 9999 (`None` for anything else).
pub fn plain_day_number(b: &[u8]) -> Option<i32> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    // Days in each month (February's leap day checked apart), and the day
    // of a year starting on March 1 that each month starts on.
    const DAYS: [i32; 13] = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const MARCH_DAY: [i32; 13] = [0, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275];
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = b else {
        return None;
    };
    // The eight digits at once: each byte is a digit when its high half
    // is 3, and still is with 6 added (past `9` it is not).
    let w = u64::from_le_bytes([y0, y1, y2, y3, m0, m1, d0, d1]);
    if w & HIGH != ZEROS || w.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    let n = |x: u8| i32::from(x & 0x0f);
    let y = n(y0) * 1000 + n(y1) * 100 + n(y2) * 10 + n(y3);
    let m = n(m0) * 10 + n(m1);
    let d = n(d0) * 10 + n(d1);
    let (Some(&days), Some(&start)) = (DAYS.get(m as usize), MARCH_DAY.get(m as usize)) else {
        return None;
    };
    if y < 1 || d < 1 || d > days {
        return None;
    }
    if m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) {
        return None;
    }
    // As day_number, on plain integers: years from March 1 (so that the
    // leap day ends a year), in eras of 400 years.
    let y = if m <= 2 { y - 1 } else { y };
    let (era, yoe) = (y / 400, y % 400);
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + start + d - 1;
    Some(era * 146_097 + doe - 719_468)
}

/// The date of a day number (the inverse of [`day_number`]); `None` out of
/// the supported range of dates.
pub fn date_of(n: i32) -> Option<Date> {
    let z = i64::from(n) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// A date range as a pair of day numbers ([`NO_LO`], [`NO_HI`] for open
/// ends).
pub fn days_of(d: &DateRange) -> (i32, i32) {
    (
        d.lo.map_or(NO_LO, day_number),
        d.hi.map_or(NO_HI, day_number),
    )
}

/// The date range of a pair of day numbers (the inverse of [`days_of`]).
pub fn range_of(lo: i32, hi: i32) -> DateRange {
    DateRange {
        lo: if lo == NO_LO { None } else { date_of(lo) },
        hi: if hi == NO_HI { None } else { date_of(hi) },
    }
}

/// The positions of the set bits of `words` (64 a word, the lowest bit of
/// the first word first), in increasing order, a word at a time.
pub fn ones(words: &[u64]) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(|(i, w)| {
        let mut w = *w;
        std::iter::from_fn(move || {
            if w == 0 {
                return None;
            }
            let b = w.trailing_zeros();
            w &= w - 1;
            Some(i as u32 * 64 + b)
        })
    })
}

/// A fixed-length set of row numbers, one bit each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitmap {
    words: Vec<u64>,
    len: usize,
}

impl Bitmap {
    /// No rows of `len`.
    pub fn zeros(len: usize) -> Bitmap {
        Bitmap {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every row of `len`.
    pub fn ones(len: usize) -> Bitmap {
        let mut b = Bitmap {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        b.clear_tail();
        b
    }

    /// A bitmap from its words (bits past `len` are cleared).
    pub fn from_words(len: usize, mut words: Vec<u64>) -> Bitmap {
        words.resize(len.div_ceil(64), 0);
        let mut b = Bitmap { words, len };
        b.clear_tail();
        b
    }

    fn clear_tail(&mut self) {
        let r = self.len % 64;
        if r != 0 {
            if let Some(w) = self.words.last_mut() {
                *w &= (1u64 << r) - 1;
            }
        }
    }

    /// Number of rows it is defined over.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no bit is set.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Whether row `i` is in the set.
    pub fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// One more row, in the set or not.
    pub fn push(&mut self, bit: bool) {
        let i = self.len;
        self.len += 1;
        if i % 64 == 0 {
            self.words.push(0);
        }
        if let (true, Some(w)) = (bit, self.words.last_mut()) {
            *w |= 1 << (i % 64);
        }
    }

    /// Put row `i` in the set (rows past the end are ignored).
    pub fn set(&mut self, i: usize) {
        if i < self.len {
            if let Some(w) = self.words.get_mut(i / 64) {
                *w |= 1u64 << (i % 64);
            }
        }
    }

    /// Number of rows in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The words, 64 rows each, row 0 in the lowest bit of the first.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// The rows in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        ones(&self.words)
    }

    /// The first row in the set.
    pub fn first(&self) -> Option<u32> {
        self.iter().next()
    }

    /// `self ∩ o`.
    pub fn and(&self, o: &Bitmap) -> Bitmap {
        self.zip(o, |a, b| a & b)
    }

    /// `self ∪ o`.
    pub fn or(&self, o: &Bitmap) -> Bitmap {
        self.zip(o, |a, b| a | b)
    }

    /// `self ∖ o`.
    pub fn and_not(&self, o: &Bitmap) -> Bitmap {
        self.zip(o, |a, b| a & !b)
    }

    fn zip(&self, o: &Bitmap, f: impl Fn(u64, u64) -> u64) -> Bitmap {
        let words = self
            .words
            .iter()
            .enumerate()
            .map(|(i, a)| f(*a, o.words.get(i).copied().unwrap_or(0)))
            .collect();
        Bitmap::from_words(self.len, words)
    }
}

/// Distinct texts, each stored once and numbered in order of first
/// appearance.
///
/// The texts live end to end in one string; a hash table of codes finds a
/// text's code. The table is keyed with a per-process random seed and a
/// fast multiply-and-fold hash; a probe that runs long (which crafted
/// evidence could try to cause) switches the dictionary to SipHash with
/// random keys, so lookups stay short whatever the texts.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    arena: String,
    ends: Vec<usize>,
    /// Open addressing: (code + 1, high half of the text's hash); 0 = free.
    slots: Vec<(u32, u32)>,
    /// Once loading is over, the same table without the hashes (half the
    /// memory; a lookup compares texts): `code + 1` per slot, 0 = free.
    frozen: Vec<u32>,
    hasher: TextHasher,
}

/// Longest probe tolerated before the dictionary switches to SipHash.
const LONG_PROBE: usize = 96;

/// The hash of a dictionary's texts.
#[derive(Debug, Clone)]
enum TextHasher {
    /// Multiply-and-fold over 8 bytes at a time, with random seeds.
    Fast(u64, u64),
    /// SipHash with random keys (after a long probe).
    Strong(RandomState),
}

impl Default for TextHasher {
    fn default() -> Self {
        // RandomState's keys are random per process (and differ for each
        // new RandomState): two hashes of a constant give the seeds.
        let r = RandomState::new();
        TextHasher::Fast(r.hash_one(0x5eed_u64) | 1, r.hash_one(0xf00d_u64))
    }
}

/// The high and low halves of a 128-bit product, folded.
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

impl TextHasher {
    fn is_fast(&self) -> bool {
        matches!(self, TextHasher::Fast(..))
    }

    fn hash(&self, s: &str) -> u64 {
        match self {
            TextHasher::Fast(k0, k1) => {
                const M: u64 = 0x9e37_79b9_7f4a_7c15;
                let b = s.as_bytes();
                let mut h = fold_mul(*k0 ^ b.len() as u64, M);
                let mut chunks = b.chunks_exact(8);
                for c in &mut chunks {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(c);
                    h = fold_mul(h ^ u64::from_le_bytes(w), *k1 ^ M);
                }
                let rest = chunks.remainder();
                if !rest.is_empty() {
                    let mut w = [0u8; 8];
                    for (d, x) in w.iter_mut().zip(rest) {
                        *d = *x;
                    }
                    h = fold_mul(h ^ u64::from_le_bytes(w), *k1 ^ M.rotate_left(17));
                }
                fold_mul(h, *k0 ^ M.rotate_left(31))
            }
            TextHasher::Strong(r) => r.hash_one(s),
        }
    }
}

impl Dict {
    /// Number of distinct texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds no text.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of a code.
    pub fn text(&self, code: u32) -> Option<&str> {
        let i = code as usize;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? };
        self.arena.get(start..end)
    }

    /// Every text with its code, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        (0..self.len() as u32).filter_map(|c| self.text(c).map(|t| (c, t)))
    }

    /// The slot of `s` (free when absent), the tag of its hash, its code
    /// if present, and whether the probe ran long.
    fn slot_of(&self, s: &str) -> (usize, u32, Option<u32>, bool) {
        self.probe(s, self.hasher.hash(s))
    }

    /// [`Dict::slot_of`] of a text whose hash is `h`.
    fn probe(&self, s: &str, h: u64) -> (usize, u32, Option<u32>, bool) {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = (h >> 32) as u32;
        let mut i = (h as usize) & mask;
        let mut steps = 0;
        loop {
            match self.slots.get(i) {
                Some((0, _)) | None => return (i, tag, None, steps > LONG_PROBE),
                Some((c, t)) => {
                    if *t == tag && self.text(c - 1) == Some(s) {
                        return (i, tag, Some(c - 1), steps > LONG_PROBE);
                    }
                }
            }
            steps += 1;
            i = (i + 1) & mask;
        }
    }

    /// The code of a text, if it is in the dictionary.
    pub fn code(&self, s: &str) -> Option<u32> {
        if !self.frozen.is_empty() {
            let mask = self.frozen.len() - 1;
            let mut i = (self.hasher.hash(s) as usize) & mask;
            // (A table is never full: the probe ends at a free slot.)
            loop {
                match self.frozen.get(i) {
                    Some(0) | None => return None,
                    Some(c) if self.text(c - 1) == Some(s) => return Some(c - 1),
                    Some(_) => {}
                }
                i = (i + 1) & mask;
            }
        }
        if self.slots.is_empty() {
            return None;
        }
        self.slot_of(s).2
    }

    /// Back from [`Dict::shrink`]'s table to one that can take texts.
    fn thaw(&mut self) {
        if self.frozen.is_empty() {
            return;
        }
        let frozen = std::mem::take(&mut self.frozen);
        self.slots = frozen
            .into_iter()
            .map(|c| match c.checked_sub(1).and_then(|k| self.text(k)) {
                Some(t) => (c, (self.hasher.hash(t) >> 32) as u32),
                None => (0, 0),
            })
            .collect();
    }

    /// The code of a text, adding it if it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.make_room(1);
        let h = self.hasher.hash(s);
        self.intern_hashed(s, h)
    }

    /// Grow the hash table, if need be, so `n` new texts keep at most
    /// three slots in four taken.
    fn make_room(&mut self, n: usize) {
        self.thaw();
        while self.full_after(n) {
            self.grow();
        }
    }

    /// Read the slots of these hashes (so they are in cache next).
    fn touch(&self, hashes: &[u64]) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut acc = 0u32;
        for h in hashes {
            acc ^= self.slots.get((*h as usize) & mask).map_or(0, |x| x.1);
        }
        std::hint::black_box(acc);
    }

    /// [`Dict::intern`] of a text whose hash is `h` (with room made).
    fn intern_hashed(&mut self, s: &str, h: u64) -> u32 {
        self.make_room(1);
        let (mut slot, mut tag, found, long) = self.probe(s, h);
        if let Some(c) = found {
            return c;
        }
        if long && self.hasher.is_fast() {
            // Too many texts share a run of slots: rehash every text with
            // SipHash (once; its keys are random, so no set of texts can
            // be made to collide in advance).
            self.hasher = TextHasher::Strong(RandomState::new());
            self.rebuild(self.slots.len());
            (slot, tag, _, _) = self.slot_of(s);
        }
        let code = self.ends.len() as u32;
        self.arena.push_str(s);
        self.ends.push(self.arena.len());
        if let Some(x) = self.slots.get_mut(slot) {
            *x = (code + 1, tag);
        }
        code
    }

    /// The codes of `other`'s texts here, in `other`'s code order, each
    /// added if new (a batch at a time, as [`TextColumn::flush`] does).
    fn intern_all(&mut self, other: &Dict) -> Vec<u32> {
        let mut out = Vec::with_capacity(other.len());
        let mut texts = other.iter().map(|(_, t)| t);
        let mut batch: Vec<&str> = Vec::with_capacity(BATCH);
        loop {
            batch.clear();
            batch.extend(texts.by_ref().take(BATCH));
            if batch.is_empty() {
                break;
            }
            self.make_room(batch.len());
            let fast = self.hasher.is_fast();
            let hashes: Vec<u64> = batch.iter().map(|t| self.hasher.hash(t)).collect();
            self.touch(&hashes);
            for (t, h) in batch.iter().zip(&hashes) {
                // (A hash of the batch is stale once the hasher has changed.)
                let h = if fast == self.hasher.is_fast() {
                    *h
                } else {
                    self.hasher.hash(t)
                };
                out.push(self.intern_hashed(t, h));
            }
        }
        out
    }

    fn grow(&mut self) {
        self.rebuild((self.slots.len() * 2).max(16));
    }

    /// Rebuild the hash table with `cap` slots (a power of two).
    fn rebuild(&mut self, cap: usize) {
        // Made again from the texts: the old table (or its frozen form)
        // goes first, so that the two are never held at once.
        self.frozen = Vec::new();
        self.slots = Vec::new();
        let cap = cap.max(16);
        self.slots = vec![(0, 0); cap];
        let mask = cap - 1;
        // In code order: the texts are read front to back.
        for c in 1..=self.ends.len() as u32 {
            // Rehash from the text (the hasher may have changed).
            let Some(t) = self.text(c - 1) else { continue };
            let h = self.hasher.hash(t);
            let mut i = (h as usize) & mask;
            while self.slots.get(i).is_some_and(|x| x.0 != 0) {
                i = (i + 1) & mask;
            }
            if let Some(x) = self.slots.get_mut(i) {
                *x = (c, (h >> 32) as u32);
            }
        }
    }

    /// Release spare capacity once loading is over (the hash table keeps
    /// its codes and drops its hashes; a later [`Dict::intern`] brings
    /// them back).
    pub fn shrink(&mut self) {
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
        if !self.slots.is_empty() {
            self.frozen = std::mem::take(&mut self.slots)
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            // (Collected in place, into the slots' allocation: twice the
            // size the codes need until it is shrunk.)
            self.frozen.shrink_to_fit();
        }
    }

    /// Whether `n` new texts would make the hash table grow.
    fn full_after(&self, n: usize) -> bool {
        4 * (self.ends.len() + n) > 3 * self.slots.len()
    }

    /// Make room for `n` distinct texts at once (instead of growing by
    /// doubling, rehashing every text each time).
    fn reserve(&mut self, n: usize) {
        let want = n
            .saturating_add(n / 2)
            .saturating_add(1)
            .next_power_of_two();
        if self.slots.len().max(self.frozen.len()) < want {
            self.rebuild(want);
            self.ends.reserve(n.saturating_sub(self.ends.len()));
        } else {
            self.thaw();
        }
    }
}

/// The values of a column of text.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    /// One code per record ([`NO_CODE`] when unknown).
    pub codes: Vec<u32>,
    /// The texts.
    pub dict: Dict,
    /// How many records the column is expected to get (0 = not known).
    expect: usize,
    /// The code of the text pushed last (texts often repeat in runs).
    last: Option<u32>,
    /// Texts pushed and not yet interned, end to end, and their ends.
    pending: String,
    pending_ends: Vec<usize>,
    /// Short texts interned lately and their codes, in the slot a cheap
    /// hash of their bytes picks (a column of few distinct texts finds
    /// them here without the dictionary); empty until used.
    recent: Vec<Recent>,
}

/// A text of at most [`SHORT`] bytes (its [`short_key`] and its
/// length), and its code plus one (0: an empty slot).
#[derive(Debug, Clone, Copy, Default)]
struct Recent {
    bytes: [u64; 4],
    len: u32,
    code: u32,
}

/// The longest text [`TextColumn::recent`] holds.
const SHORT: usize = 32;
/// Most slots of [`TextColumn::recent`] (a power of two).
const RECENT: usize = 1024;
/// Fewest slots of [`TextColumn::recent`] (a power of two): it starts
/// this small and grows with the column, so the many small columns of an
/// article's tables do not each clear and fault in the whole cache.
const RECENT_MIN: usize = 32;
/// Distinct texts past which a column no longer looks in `recent` (few
/// of its texts would be there).
const RECENT_MAX_DISTINCT: usize = 4096;

/// A short text's bytes as four numbers (with its length, the text: its
/// first and last sixteen bytes, overlapping, when more than sixteen; its
/// first and last eight when more than eight; else all of them
/// zero-padded), and a hash of them that picks its slot in `recent`.
fn short_key(s: &str) -> Option<([u64; 4], usize)> {
    let b = s.as_bytes();
    let n = b.len();
    let word = |i: usize| {
        b.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes)
    };
    let bytes = if n > SHORT {
        return None;
    } else if n > 16 {
        [word(0)?, word(8)?, word(n - 16)?, word(n - 8)?]
    } else if n >= 8 {
        [word(0)?, word(n - 8)?, 0, 0]
    } else {
        let mut x = 0u64;
        for (i, c) in b.iter().enumerate() {
            x |= u64::from(*c) << (8 * i);
        }
        [x, 0, 0, 0]
    };
    let [a, b, c, d] = bytes;
    let h = fold_mul(
        a ^ c ^ n as u64,
        b ^ d.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15,
    );
    Some((bytes, h as usize))
}

/// Texts interned at once by [`ColumnData::push_text`].
const BATCH: usize = 32;

impl TextColumn {
    /// Intern the pending texts, in order.
    fn flush(&mut self) {
        if self.pending_ends.is_empty() {
            return;
        }
        let n = self.pending_ends.len();
        // When the dictionary is about to grow, size it for the distinct
        // texts the whole column will likely have (the share seen so far,
        // and a quarter more), so a column of names or identifiers is
        // rehashed once, not twenty times.
        if self.expect > 8192 && self.codes.len() >= 1024 && self.dict.full_after(n) {
            let seen = self.dict.len() as u128;
            let est = (seen * self.expect as u128 / self.codes.len() as u128) as usize;
            self.dict
                .reserve(est.saturating_add(est / 4).min(self.expect));
        }
        self.dict.make_room(n);
        let mut hashes = [0u64; BATCH];
        let mut start = 0;
        for (h, end) in hashes.iter_mut().zip(&self.pending_ends) {
            *h = self
                .dict
                .hasher
                .hash(self.pending.get(start..*end).unwrap_or(""));
            start = *end;
        }
        // Read every slot first: independent reads, in flight together.
        let batch = hashes.get(..n).unwrap_or(&[]);
        self.dict.touch(batch);
        let mut start = 0;
        let fast = self.dict.hasher.is_fast();
        for (h, end) in batch.iter().zip(&self.pending_ends) {
            let s = self.pending.get(start..*end).unwrap_or("");
            start = *end;
            // (A hash of the batch is stale once the hasher has changed.)
            let h = if fast == self.dict.hasher.is_fast() {
                *h
            } else {
                self.dict.hasher.hash(s)
            };
            let code = match self.last {
                Some(k) if self.dict.text(k) == Some(s) => k,
                _ => self.dict.intern_hashed(s, h),
            };
            self.last = Some(code);
            self.codes.push(code);
            remember(&mut self.recent, self.codes.len().max(self.expect), s, code);
        }
        self.pending.clear();
        self.pending_ends.clear();
    }
}

impl TextColumn {
    /// The code of `s` if it is in [`TextColumn::recent`].
    fn recent_code(&self, s: &str) -> Option<u32> {
        if self.recent.is_empty() || self.dict.len() > RECENT_MAX_DISTINCT {
            return None;
        }
        let (bytes, h) = short_key(s)?;
        let r = self.recent.get(h & (self.recent.len() - 1))?;
        (r.code > 0 && r.bytes == bytes && r.len as usize == s.len()).then(|| r.code - 1)
    }
}

/// Keep a short text's code in `recent`, a column of `rows` texts (so far,
/// or expected when more; made on first use, with a slot per four rows
/// between [`RECENT_MIN`] and [`RECENT`]; made again, empty, when the
/// column has outgrown it).
fn remember(recent: &mut Vec<Recent>, rows: usize, s: &str, code: u32) {
    let Some((bytes, h)) = short_key(s) else {
        return;
    };
    let slots = (rows / 4).next_power_of_two().clamp(RECENT_MIN, RECENT);
    if recent.len() < slots {
        *recent = vec![Recent::default(); slots];
    }
    let slot = h & (recent.len() - 1);
    if let (Some(r), Some(code)) = (recent.get_mut(slot), code.checked_add(1)) {
        *r = Recent {
            bytes,
            len: s.len() as u32,
            code,
        };
    }
}

/// The values of a column of numbers.
#[derive(Debug, Clone, Default)]
pub struct NumColumn {
    /// The power of ten the points are scaled by.
    pub exp: u32,
    /// One value per record, times 10^`exp` (0 for the records in `other`).
    pub scaled: Vec<i64>,
    /// Records whose value is not such a point: `None` when unknown, else
    /// the interval.
    pub other: BTreeMap<u32, Option<Interval>>,
}

/// The values of a column of dates.
#[derive(Debug, Clone, Default)]
pub struct DateColumn {
    /// First day each record's date may be ([`NO_LO`] when open).
    pub lo: Vec<i32>,
    /// Last day each record's date may be ([`NO_HI`] when open).
    pub hi: Vec<i32>,
}

/// The values of a column of booleans.
#[derive(Debug, Clone, Default)]
pub struct BoolColumn {
    /// The value (meaningful where known).
    pub value: Bitmap,
    /// Whether the value is known.
    pub known: Bitmap,
}

/// The values of a column of lists of texts.
#[derive(Debug, Clone, Default)]
pub struct ListColumn {
    /// Record `i`'s items are `items[ends[i-1]..ends[i]]`.
    pub ends: Vec<usize>,
    /// Item codes.
    pub items: Vec<u32>,
    /// The texts.
    pub dict: Dict,
    /// Records whose list is unknown.
    pub unknown: BTreeSet<u32>,
}

/// A column's values, typed.
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// Text.
    Text(TextColumn),
    /// Integers, decimals and quantities.
    Num(NumColumn),
    /// Dates.
    Date(DateColumn),
    /// Booleans.
    Bool(BoolColumn),
    /// Lists of texts.
    List(ListColumn),
}

impl ColumnData {
    /// Empty storage for a column of type `ty`.
    pub fn new(ty: ColType) -> ColumnData {
        match ty {
            ColType::Text => ColumnData::Text(TextColumn::default()),
            ColType::Integer | ColType::Decimal | ColType::Quantity(_) => {
                ColumnData::Num(NumColumn::default())
            }
            ColType::Date => ColumnData::Date(DateColumn::default()),
            ColType::Boolean => ColumnData::Bool(BoolColumn::default()),
            ColType::List => ColumnData::List(ListColumn::default()),
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Text(c) => c.codes.len() + c.pending_ends.len(),
            ColumnData::Num(c) => c.scaled.len(),
            ColumnData::Date(c) => c.lo.len(),
            ColumnData::Bool(c) => c.known.len(),
            ColumnData::List(c) => c.ends.len(),
        }
    }

    /// Whether it has no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Make room for about `n` records (a hint: more or fewer may come).
    pub fn expect(&mut self, n: usize) {
        match self {
            ColumnData::Text(c) => {
                c.codes.reserve(n);
                c.expect = n;
            }
            ColumnData::Num(c) => c.scaled.reserve(n),
            ColumnData::Date(c) => {
                c.lo.reserve(n);
                c.hi.reserve(n);
            }
            ColumnData::Bool(_) | ColumnData::List(_) => {}
        }
    }

    /// Append a text cell to a text column (an unknown cell elsewhere).
    ///
    /// Texts are interned a batch at a time: the hash-table slots of a
    /// batch are read together first, so the memory reads of a column of
    /// identifiers overlap instead of waiting for one another.
    pub fn push_text(&mut self, s: &str) {
        match self {
            ColumnData::Text(c) => {
                if let Some(code) = c.recent_code(s) {
                    // (The texts before it are interned first: codes go in
                    // order of first appearance.)
                    if !c.pending_ends.is_empty() {
                        c.flush();
                    }
                    c.last = Some(code);
                    c.codes.push(code);
                    return;
                }
                c.pending.push_str(s);
                c.pending_ends.push(c.pending.len());
                if c.pending_ends.len() >= BATCH {
                    c.flush();
                }
            }
            _ => self.push(Cell::Unknown),
        }
    }

    /// Append a date written `YYYY-MM-DD` (a real day of a year from 1 to
    /// 9999) to a date column, as [`days_of`] of that day; `false` (and
    /// nothing appended) for anything else, to be read the general way.
    pub fn push_plain_day(&mut self, s: &str) -> bool {
        let ColumnData::Date(c) = self else {
            return false;
        };
        let Some(n) = plain_day_number(s.as_bytes()) else {
            return false;
        };
        c.lo.push(n);
        c.hi.push(n);
        true
    }

    /// Append an integer written as ASCII digits (at most 18, no sign) to
    /// a number column whose points it fits; `false` (and nothing
    /// appended) otherwise, to be read the general way.
    pub fn push_plain_int(&mut self, s: &str) -> bool {
        let ColumnData::Num(c) = self else {
            return false;
        };
        let b = s.as_bytes();
        if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let v = b.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
        let Some(scaled) = 10i64.checked_pow(c.exp).and_then(|k| v.checked_mul(k)) else {
            return false;
        };
        c.scaled.push(scaled);
        true
    }

    /// Append a cell. A cell of the wrong kind for the column is stored as
    /// unknown (loading never produces one).
    pub fn push(&mut self, cell: Cell) {
        let row = self.len() as u32;
        match self {
            ColumnData::Text(c) => {
                c.flush();
                let code = match &cell {
                    Cell::Text(t) => c.dict.intern(t),
                    _ => NO_CODE,
                };
                c.codes.push(code);
            }
            ColumnData::Num(c) => match cell {
                Cell::Num(iv) => c.push(row, iv),
                _ => {
                    c.scaled.push(0);
                    c.other.insert(row, None);
                }
            },
            ColumnData::Date(c) => {
                let (lo, hi) = match &cell {
                    Cell::Date(d) => days_of(d),
                    _ => (NO_LO, NO_HI),
                };
                c.lo.push(lo);
                c.hi.push(hi);
            }
            ColumnData::Bool(c) => {
                let b = match cell {
                    Cell::Bool(b) => Some(b),
                    _ => None,
                };
                c.known.push(b.is_some());
                c.value.push(b == Some(true));
            }
            ColumnData::List(c) => {
                if let Cell::List(items) = &cell {
                    for t in items.iter() {
                        let code = c.dict.intern(t);
                        c.items.push(code);
                    }
                } else {
                    c.unknown.insert(row);
                }
                c.ends.push(c.items.len());
            }
        }
    }

    /// Append the records of `other`, a column of the same type read from
    /// the text after this one's: the result is the column both texts
    /// read in one pass would be (the same codes for the same texts, the
    /// same scale and the same values kept apart).
    pub fn append(&mut self, other: ColumnData) {
        let base = self.len() as u32;
        match (self, other) {
            (ColumnData::Text(a), ColumnData::Text(mut b)) => {
                a.flush();
                b.flush();
                // Codes are given in order of first appearance: the texts
                // of `b` new to `a`, in `b`'s order, come next.
                if a.expect > 8192 && a.dict.full_after(b.dict.len()) {
                    // Room for the distinct texts the whole column will
                    // likely have, at the rate so far (as `flush` does).
                    let rows = (a.codes.len() + b.codes.len()).max(1) as u128;
                    let seen = (a.dict.len() + b.dict.len()) as u128;
                    let est = (seen * a.expect.max(a.codes.len() + b.codes.len()) as u128 / rows)
                        as usize;
                    a.dict.reserve(est.saturating_add(est / 4));
                }
                let map = a.dict.intern_all(&b.dict);
                a.codes.extend(
                    b.codes
                        .iter()
                        .map(|k| map.get(*k as usize).copied().unwrap_or(NO_CODE)),
                );
                a.last = None;
            }
            (ColumnData::Num(a), ColumnData::Num(b)) => a.append(b, base),
            (ColumnData::Date(a), ColumnData::Date(b)) => {
                a.lo.extend_from_slice(&b.lo);
                a.hi.extend_from_slice(&b.hi);
            }
            (ColumnData::Bool(a), ColumnData::Bool(b)) => {
                for i in 0..b.known.len() {
                    a.known.push(b.known.get(i));
                    a.value.push(b.value.get(i));
                }
            }
            (ColumnData::List(a), ColumnData::List(b)) => {
                let map = a.dict.intern_all(&b.dict);
                let offset = a.items.len();
                a.items.extend(
                    b.items
                        .iter()
                        .map(|k| map.get(*k as usize).copied().unwrap_or(NO_CODE)),
                );
                a.ends.extend(b.ends.iter().map(|e| e + offset));
                a.unknown.extend(b.unknown.iter().map(|r| r + base));
            }
            (this, other) => {
                // Never when loading (both come from one declaration).
                for row in 0..other.len() as u32 {
                    this.push(other.get(row).unwrap_or(Cell::Unknown));
                }
            }
        }
    }

    /// Release spare capacity once loading is over.
    pub fn shrink(&mut self) {
        match self {
            ColumnData::Text(c) => {
                c.flush();
                c.pending = String::new();
                c.pending_ends = Vec::new();
                c.recent = Vec::new();
                c.codes.shrink_to_fit();
                c.dict.shrink();
            }
            ColumnData::Num(c) => c.scaled.shrink_to_fit(),
            ColumnData::Date(c) => {
                c.lo.shrink_to_fit();
                c.hi.shrink_to_fit();
            }
            ColumnData::Bool(c) => {
                c.value.words.shrink_to_fit();
                c.known.words.shrink_to_fit();
            }
            ColumnData::List(c) => {
                c.ends.shrink_to_fit();
                c.items.shrink_to_fit();
                c.dict.shrink();
            }
        }
    }

    /// The cell of record `row` as a whole (`None` past the end).
    pub fn get(&self, row: u32) -> Option<Cell> {
        let i = row as usize;
        Some(match self {
            ColumnData::Text(c) => match *c.codes.get(i)? {
                NO_CODE => Cell::Unknown,
                code => Cell::Text(Arc::from(c.dict.text(code)?)),
            },
            ColumnData::Num(c) => match c.other.get(&row) {
                Some(None) => Cell::Unknown,
                Some(Some(iv)) => Cell::Num(*iv),
                None => Cell::Num(Interval::point(c.point(*c.scaled.get(i)?)?)),
            },
            ColumnData::Date(c) => {
                let (lo, hi) = (*c.lo.get(i)?, *c.hi.get(i)?);
                if lo == NO_LO && hi == NO_HI {
                    Cell::Unknown
                } else {
                    Cell::Date(range_of(lo, hi))
                }
            }
            ColumnData::Bool(c) => {
                if i >= c.known.len() {
                    return None;
                }
                if c.known.get(i) {
                    Cell::Bool(c.value.get(i))
                } else {
                    Cell::Unknown
                }
            }
            ColumnData::List(c) => {
                if c.unknown.contains(&row) {
                    Cell::Unknown
                } else {
                    let end = *c.ends.get(i)?;
                    let start = if i == 0 { 0 } else { *c.ends.get(i - 1)? };
                    let items: Vec<Arc<str>> = c
                        .items
                        .get(start..end)?
                        .iter()
                        .filter_map(|code| c.dict.text(*code).map(Arc::from))
                        .collect();
                    Cell::List(items.into())
                }
            }
        })
    }

    /// Whether record `row`'s cell is unknown.
    pub fn is_unknown(&self, row: u32) -> bool {
        let i = row as usize;
        match self {
            // Without building the cell (no text is copied).
            ColumnData::Text(c) => c.codes.get(i).is_none_or(|k| *k == NO_CODE),
            ColumnData::Date(c) => match (c.lo.get(i), c.hi.get(i)) {
                (Some(lo), Some(hi)) => *lo == NO_LO && *hi == NO_HI,
                _ => true,
            },
            ColumnData::Num(c) => i >= c.scaled.len() || matches!(c.other.get(&row), Some(None)),
            ColumnData::Bool(c) => i >= c.known.len() || !c.known.get(i),
            ColumnData::List(c) => i >= c.ends.len() || c.unknown.contains(&row),
        }
    }
}

impl NumColumn {
    /// The exact value of a scaled point.
    pub fn point(&self, scaled: i64) -> Option<Rational> {
        let den = 10i128.checked_pow(self.exp)?;
        Rational::new(i128::from(scaled), den).ok()
    }

    /// `r` times 10^`exp`, if that is an `i64`.
    fn scale_of(r: Rational, exp: u32) -> Option<i64> {
        let p = 10i128.checked_pow(exp)?;
        let n = r.numer().checked_mul(p)?;
        if n % r.denom() != 0 {
            return None;
        }
        i64::try_from(n / r.denom()).ok()
    }

    /// Append `b`'s records (numbered from `base` on here).
    fn append(&mut self, b: NumColumn, base: u32) {
        // The usual case: no point of `b` was kept apart, and every point
        // of both fits the finer of the two scales. Pushing `b`'s values
        // one by one would give that scale, rescaling on the way (the
        // scale only grows to the finest point seen), and keep nothing
        // else apart.
        let exp = self.exp.max(b.exp);
        let points_apart = b
            .other
            .values()
            .any(|v| v.as_ref().is_some_and(|iv| iv.as_point().is_some()));
        // Whether the points scaled by 10^`from` all fit 10^`exp`.
        // (At the same scale, nothing to check.)
        let fits = |v: &[i64], from: u32| -> Option<i64> {
            let k = 10i64.checked_pow(exp - from)?;
            (k == 1 || v.iter().all(|x| x.checked_mul(k).is_some())).then_some(k)
        };
        if !points_apart {
            if let (Some(ka), Some(kb)) = (fits(&self.scaled, self.exp), fits(&b.scaled, b.exp)) {
                if ka != 1 {
                    for x in &mut self.scaled {
                        *x *= ka;
                    }
                }
                if kb == 1 {
                    self.scaled.extend_from_slice(&b.scaled);
                } else {
                    self.scaled.extend(b.scaled.iter().map(|x| x * kb));
                }
                self.exp = exp;
                self.other
                    .extend(b.other.into_iter().map(|(r, v)| (r + base, v)));
                return;
            }
        }
        // Otherwise as they would have come: one by one.
        for (i, v) in b.scaled.iter().enumerate() {
            let row = self.scaled.len() as u32;
            match b.other.get(&(i as u32)) {
                Some(None) => {
                    self.scaled.push(0);
                    self.other.insert(row, None);
                }
                Some(Some(iv)) => self.push(row, *iv),
                None => match b.point(*v) {
                    Some(r) => self.push(row, Interval::point(r)),
                    None => {
                        self.scaled.push(0);
                        self.other.insert(row, None);
                    }
                },
            }
        }
    }

    fn push(&mut self, row: u32, iv: Interval) {
        let Some(r) = iv.as_point() else {
            self.scaled.push(0);
            self.other.insert(row, Some(iv));
            return;
        };
        if let Some(v) = Self::scale_of(r, self.exp) {
            self.scaled.push(v);
            return;
        }
        // A finer decimal than the column has held so far: rescale every
        // point if they all still fit, else keep this one apart.
        let need = (self.exp + 1..=18).find(|e| Self::scale_of(r, *e).is_some());
        if let Some(e) = need {
            let k = 10i64.checked_pow(e - self.exp);
            let rescaled: Option<Vec<i64>> = k.and_then(|k| {
                self.scaled
                    .iter()
                    .map(|v| v.checked_mul(k))
                    .collect::<Option<Vec<i64>>>()
            });
            if let (Some(all), Some(v)) = (rescaled, Self::scale_of(r, e)) {
                self.scaled = all;
                self.exp = e;
                self.scaled.push(v);
                return;
            }
        }
        self.scaled.push(0);
        self.other.insert(row, Some(iv));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_order() {
        let mut prev = None;
        for s in [
            "0001-01-01",
            "1600-02-29",
            "1899-12-31",
            "1969-12-31",
            "1970-01-01",
            "2000-02-29",
            "2024-12-31",
            "9999-12-31",
        ] {
            let d: Date = s.parse().unwrap();
            let n = day_number(d);
            assert_eq!(date_of(n), Some(d), "{s}");
            if let Some(p) = prev {
                assert!(n > p, "{s}");
            }
            prev = Some(n);
        }
        assert_eq!(day_number("1970-01-01".parse().unwrap()), 0);
        assert_eq!(day_number("2000-03-01".parse().unwrap()), 11_017);
        // Every day of four centuries, against jiff's own arithmetic.
        let start: Date = "1800-01-01".parse().unwrap();
        let mut d = start;
        let n0 = day_number(start);
        for i in 0..146_097 {
            assert_eq!(day_number(d), n0 + i);
            d = d.tomorrow().unwrap();
        }
    }

    #[test]
    fn dict_interns_once_and_finds_codes() {
        let mut d = Dict::default();
        let words: Vec<String> = (0..1000).map(|i| format!("w{}", i % 300)).collect();
        let codes: Vec<u32> = words.iter().map(|w| d.intern(w)).collect();
        assert_eq!(d.len(), 300);
        for (w, c) in words.iter().zip(&codes) {
            assert_eq!(d.text(*c), Some(w.as_str()));
            assert_eq!(d.code(w), Some(*c));
        }
        assert_eq!(d.code("absent"), None);
        d.reserve(100_000);
        for (w, c) in words.iter().zip(&codes) {
            assert_eq!(d.code(w), Some(*c), "after reserving");
        }
        let mut col = ColumnData::new(ColType::Text);
        col.expect(20_000);
        for i in 0..20_000 {
            col.push_text(&format!("id{i}"));
        }
        let ColumnData::Text(tc) = &col else { panic!() };
        assert_eq!(tc.dict.len(), 20_000);
        assert_eq!(tc.dict.code("id4095"), Some(4095));
        assert_eq!(tc.dict.code("id4096"), Some(4096));
        assert_eq!(tc.dict.code("id19999"), Some(19_999));
        assert_eq!(d.intern(""), 300);
        assert_eq!(d.text(300), Some(""));
        // Frozen once loading is over, and taking texts again after.
        d.shrink();
        assert!(d.slots.is_empty() && !d.frozen.is_empty());
        for (w, c) in words.iter().zip(&codes) {
            assert_eq!(d.code(w), Some(*c), "frozen");
        }
        assert_eq!(d.code(""), Some(300));
        assert_eq!(d.code("absent"), None);
        assert_eq!(d.intern("w7"), codes[7]);
        assert_eq!(d.intern("more"), 301);
        assert!(d.frozen.is_empty());
        for (w, c) in words.iter().zip(&codes) {
            assert_eq!(d.code(w), Some(*c), "thawed");
        }
        assert_eq!(Dict::default().code("x"), None);
    }

    proptest::proptest! {
        /// Texts get codes in order of first appearance, whether found in
        /// the recent texts, in the dictionary or new (short and long,
        /// alike but for a byte, with NUL bytes, interleaved with pushes
        /// of cells).
        #[test]
        fn text_codes_are_first_appearance_order(texts in proptest::collection::vec(
            "(a|b|\u{0}|abcdefghijklmnop|abcdefghijklmnopq|[a-c]{0,3}|[a-z]{15,18}|[ab]{17,33}|[a-z]{31,34})", 0..400)) {
            let mut c = ColumnData::new(ColType::Text);
            let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
            let mut want = Vec::new();
            for (i, t) in texts.iter().enumerate() {
                let n = seen.len() as u32;
                want.push(*seen.entry(t.clone()).or_insert(n));
                if i % 97 == 5 {
                    c.push(Cell::Text(Arc::from(t.as_str())));
                } else {
                    c.push_text(t);
                }
            }
            c.shrink();
            let ColumnData::Text(tc) = &c else {
                panic!("not a text column")
            };
            proptest::prop_assert_eq!(&tc.codes, &want);
            for (t, k) in &seen {
                proptest::prop_assert_eq!(tc.dict.text(*k), Some(t.as_str()));
            }
        }
    }

    proptest::proptest! {
        /// Any year, month and day written `YYYY-MM-DD` is the day number
        /// of that date when it is one (year 1 or later), and nothing else.
        #[test]
        fn plain_days_are_real_days(y in 0i16..10000, m in 0i8..16, d in 0i8..34) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            let want = Date::new(y, m, d).ok().filter(|_| y >= 1).map(day_number);
            proptest::prop_assert_eq!(plain_day_number(s.as_bytes()), want, "{}", s);
        }

        /// Ten bytes near a date (digits, the characters next to them,
        /// dashes, signs, spaces, bytes past ASCII) are a day only when
        /// they are eight digits and two dashes making one.
        #[test]
        fn plain_days_refuse_what_is_not_a_date(b in proptest::collection::vec(
            proptest::prop_oneof![
                8 => proptest::prelude::Just(b'0'),
                8 => proptest::prelude::Just(b'1'),
                8 => proptest::prelude::Just(b'2'),
                8 => proptest::prelude::Just(b'9'),
                8 => proptest::prelude::Just(b'-'),
                1 => proptest::prelude::Just(b'/'),
                1 => proptest::prelude::Just(b':'),
                1 => proptest::prelude::Just(b'+'),
                1 => proptest::prelude::Just(b' '),
                1 => proptest::prelude::any::<u8>(),
            ], 8..12)) {
            let digits = |r: std::ops::Range<usize>| -> Option<i32> {
                b.get(r)?.iter().try_fold(0i32, |acc, c| {
                    c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
                })
            };
            let dashes = b.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-');
            let want = match (dashes, digits(0..4), digits(5..7), digits(8..10)) {
                (true, Some(y), Some(m), Some(d)) if y >= 1 => {
                    Date::new(y as i16, m as i8, d as i8).ok().map(day_number)
                }
                _ => None,
            };
            proptest::prop_assert_eq!(plain_day_number(&b), want);
        }
    }

    #[test]
    fn plain_days_are_day_numbers() {
        let mut d: Date = "1600-01-01".parse().unwrap();
        for _ in 0..(366 * 3) {
            let s = d.to_string();
            assert_eq!(plain_day_number(s.as_bytes()), Some(day_number(d)), "{s}");
            d = d.tomorrow().unwrap();
        }
        for s in ["9999-12-31", "0001-01-01", "2000-02-29", "2024-02-29"] {
            let d: Date = s.parse().unwrap();
            assert_eq!(plain_day_number(s.as_bytes()), Some(day_number(d)), "{s}");
        }
        for s in [
            "0000-01-01",
            "1900-02-29",
            "2023-02-29",
            "2023-04-31",
            "2023-13-01",
            "2023-00-01",
            "2023-01-00",
            "2023-1-01",
            "2023-01-1 ",
            "2023/01/01",
            "+023-01-01",
            "2023-01-0x",
            "",
        ] {
            assert_eq!(plain_day_number(s.as_bytes()), None, "{s:?}");
        }
        let mut c = ColumnData::new(ColType::Date);
        assert!(c.push_plain_day("2020-05-01"));
        assert!(!c.push_plain_day("2020-05"));
        assert!(!ColumnData::new(ColType::Text).push_plain_day("2020-05-01"));
        assert_eq!(c.len(), 1);
        assert_eq!(
            c.get(0),
            Some(Cell::Date(DateRange::day("2020-05-01".parse().unwrap())))
        );
    }

    #[test]
    fn plain_integers_are_points_of_the_column_scale() {
        let mut c = ColumnData::new(ColType::Integer);
        assert!(c.push_plain_int("42"));
        assert!(c.push_plain_int("007"));
        for s in ["-3", "+3", "1.5", "", " 4", "1234567890123456789"] {
            assert!(!c.push_plain_int(s), "{s:?}");
        }
        // A finer point rescales the column; plain integers follow it.
        c.push(Cell::Num(Interval::point(
            Rational::parse_decimal("0.5").unwrap().0,
        )));
        // (Past i64 once scaled: read the general way.)
        assert!(!c.push_plain_int("999999999999999999"));
        assert!(c.push_plain_int("12"));
        let want = |v: i128| Some(Cell::Num(Interval::point(Rational::from_int(v))));
        assert_eq!(c.get(0), want(42));
        assert_eq!(c.get(1), want(7));
        assert_eq!(c.len(), 4);
        assert_eq!(c.get(3), want(12));
        assert!(!ColumnData::new(ColType::Date).push_plain_int("1"));
    }

    #[test]
    fn text_batches_and_strong_hashing_keep_codes() {
        // More texts than a batch, with runs, read back in order.
        let texts: Vec<String> = (0..5000).map(|i| format!("t{}", (i / 3) % 700)).collect();
        let mut col = ColumnData::new(ColType::Text);
        col.expect(10_000);
        for (i, t) in texts.iter().enumerate() {
            if i % 97 == 0 {
                col.push(Cell::Unknown);
            }
            col.push_text(t);
        }
        assert_eq!(col.len(), 5000 + 52);
        col.shrink();
        let mut read = Vec::new();
        for r in 0..col.len() as u32 {
            match col.get(r) {
                Some(Cell::Text(t)) => read.push(t.to_string()),
                Some(Cell::Unknown) => assert!(col.is_unknown(r)),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(read, texts);
        let ColumnData::Text(tc) = &mut col else {
            panic!()
        };
        assert_eq!(tc.dict.len(), 700);
        // After a switch to SipHash every text keeps its code.
        let before: Vec<Option<u32>> = texts.iter().map(|t| tc.dict.code(t)).collect();
        tc.dict.thaw();
        tc.dict.hasher = TextHasher::Strong(RandomState::new());
        tc.dict.rebuild(tc.dict.slots.len());
        let after: Vec<Option<u32>> = texts.iter().map(|t| tc.dict.code(t)).collect();
        assert_eq!(before, after);
        assert_eq!(tc.dict.intern("new"), 700);
        assert_eq!(tc.dict.code("t5"), before.get(15).copied().flatten());
    }

    #[test]
    fn numbers_keep_their_exact_value() {
        let mut c = ColumnData::new(ColType::Decimal);
        let vals = ["3", "0.25", "-7.125", "12345678901234567890", "1e-30"];
        let mut cells = Vec::new();
        for v in vals {
            let r = if v == "1e-30" {
                Rational::new(1, 10i128.pow(30)).unwrap()
            } else {
                Rational::parse_decimal(v).unwrap().0
            };
            cells.push(Cell::Num(Interval::point(r)));
        }
        cells.push(Cell::Unknown);
        cells.push(Cell::Num(
            Interval::closed(Rational::from_int(1), Rational::from_int(2)).unwrap(),
        ));
        for cell in &cells {
            c.push(cell.clone());
        }
        for (i, cell) in cells.iter().enumerate() {
            assert_eq!(c.get(i as u32).as_ref(), Some(cell), "row {i}");
        }
        let ColumnData::Num(n) = &c else { panic!() };
        assert_eq!(n.exp, 3);
        assert_eq!(n.other.len(), 4);
    }

    #[test]
    fn every_kind_round_trips() {
        let d: Date = "2020-05-01".parse().unwrap();
        let cases = [
            (ColType::Text, Cell::Text(Arc::from("x"))),
            (ColType::Date, Cell::Date(DateRange::day(d))),
            (
                ColType::Date,
                Cell::Date(DateRange {
                    lo: Some(d),
                    hi: None,
                }),
            ),
            (ColType::Boolean, Cell::Bool(true)),
            (ColType::Boolean, Cell::Bool(false)),
            (
                ColType::List,
                Cell::List(vec![Arc::from("a"), Arc::from("b")].into()),
            ),
            (ColType::List, Cell::List(Vec::new().into())),
        ];
        for (ty, cell) in cases {
            let mut c = ColumnData::new(ty);
            for _ in 0..70 {
                c.push(Cell::Unknown);
                c.push(cell.clone());
            }
            for i in 0..140u32 {
                let want = if i % 2 == 0 { &Cell::Unknown } else { &cell };
                assert_eq!(c.get(i).as_ref(), Some(want), "{ty:?} {i}");
                assert_eq!(c.is_unknown(i), i % 2 == 0);
            }
            assert_eq!(c.get(140), None);
        }
    }

    #[test]
    fn bitmaps() {
        let mut b = Bitmap::zeros(130);
        for i in [0, 63, 64, 129, 130, 500] {
            b.set(i);
        }
        assert_eq!(b.iter().collect::<Vec<_>>(), vec![0, 63, 64, 129]);
        assert_eq!(b.count(), 4);
        let o = Bitmap::ones(130);
        assert_eq!(o.count(), 130);
        assert_eq!(o.and_not(&b).count(), 126);
        assert_eq!(o.and(&b), b);
        assert_eq!(b.or(&o), o);
        assert!(Bitmap::zeros(10).is_empty());
    }
}

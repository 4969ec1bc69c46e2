//! Quote anchoring: find each claim's quote in the article text.
//!
//! Both texts are put in Unicode NFC, runs of whitespace collapse to one
//! space, and typographic quotes, apostrophes and dashes compare equal to
//! their ASCII forms, so a quote copied from a web page matches the text
//! saved from it. An ellipsis (`…`, `...` or `[…]`) inside a quote marks an
//! elision: the parts around it must appear in order. The match is reported
//! as line and column of the article (columns count characters). A quote
//! that is not found is an error showing the closest passage (the drift
//! check when an article is edited after publication); a quote found more
//! than once is a warning, since it does not say which sentence it means.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::claims::ClaimFile;
use crate::diag::{Diagnostic, FileId, Files};

/// Where a quote was found in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct QuoteAnchor {
    /// Article text file, as the user named it.
    pub file: String,
    /// First line (1-based).
    pub line: usize,
    /// First column (1-based, in characters).
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the last character.
    pub end_column: usize,
}

/// A text prepared for matching: the comparable characters and, for each,
/// the byte range it came from in the (NFC) text.
struct Folded {
    chars: Vec<char>,
    from: Vec<Range<usize>>,
}

fn fold_char(c: char) -> char {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        other => other,
    }
}

fn fold(text: &str) -> Folded {
    let mut chars = Vec::with_capacity(text.len());
    let mut from: Vec<Range<usize>> = Vec::with_capacity(text.len());
    let mut space: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        let here = i..i + c.len_utf8();
        if c.is_whitespace() {
            space = Some(match space {
                Some(r) => r.start..here.end,
                None => here,
            });
            continue;
        }
        if let Some(r) = space.take() {
            if !chars.is_empty() {
                chars.push(' ');
                from.push(r);
            }
        }
        chars.push(fold_char(c));
        from.push(here);
    }
    Folded { chars, from }
}

/// Normalise a text the way quotes are compared (NFC, collapsed
/// whitespace, ASCII quotes and dashes).
pub fn normalize_text(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    fold(&nfc).chars.into_iter().collect()
}

/// Split a quote at its elisions into the parts that must appear in order.
fn parts(quote: &str) -> Vec<Vec<char>> {
    let q = quote
        .replace("...", "…")
        .replace("[…]", "…")
        .replace("(…)", "…");
    q.split('…')
        .map(|p| {
            let f = fold(&p.nfc().collect::<String>());
            f.chars
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// A Knuth–Morris–Pratt search for one part of a quote, resumable: its
/// occurrences are found left to right, each character of the text read
/// once, so asking for the next occurrence at or after increasing positions
/// costs O(text + part) in all.
struct Kmp<'a> {
    pat: &'a [char],
    /// `fail[i]`: length of the longest proper border of `pat[..=i]`.
    fail: Vec<usize>,
    /// Next character of the text to read.
    pos: usize,
    /// Characters of `pat` matched just before `pos`.
    k: usize,
    /// The last occurrence found.
    last: Option<usize>,
}

impl<'a> Kmp<'a> {
    fn new(pat: &'a [char], steps: &mut usize) -> Self {
        let mut fail = vec![0; pat.len()];
        let mut k = 0;
        for (i, c) in pat.iter().enumerate().skip(1) {
            *steps += 1;
            while k > 0 && pat.get(k) != Some(c) {
                *steps += 1;
                k = fail.get(k - 1).copied().unwrap_or(0);
            }
            if pat.get(k) == Some(c) {
                k += 1;
            }
            if let Some(f) = fail.get_mut(i) {
                *f = k;
            }
        }
        Kmp {
            pat,
            fail,
            pos: 0,
            k: 0,
            last: None,
        }
    }

    /// The first occurrence starting at or after `from`; `from` must not
    /// decrease from one call to the next.
    fn next_from(&mut self, hay: &[char], from: usize, steps: &mut usize) -> Option<usize> {
        if let Some(l) = self.last.filter(|l| *l >= from) {
            return Some(l);
        }
        let len = self.pat.len();
        if len == 0 {
            return None;
        }
        loop {
            let c = hay.get(self.pos)?;
            *steps += 1;
            while self.k > 0 && self.pat.get(self.k) != Some(c) {
                *steps += 1;
                self.k = self.fail.get(self.k - 1).copied().unwrap_or(0);
            }
            if self.pat.get(self.k) == Some(c) {
                self.k += 1;
            }
            self.pos += 1;
            if self.k == len {
                let start = self.pos - len;
                self.k = self.fail.get(len - 1).copied().unwrap_or(0);
                if start >= from {
                    self.last = Some(start);
                    return Some(start);
                }
            }
        }
    }
}

/// Call `found` with every place the quote matches, in order, as char
/// ranges of the folded article (one range per part: several when the quote
/// has elisions): for each occurrence of the first part, the earliest
/// occurrences of the next parts in order after it. Every part is searched
/// once over the text, so the work is O((text + quote) × parts) plus the
/// matches reported; the number returned counts it (character steps).
fn each_match(hay: &[char], parts: &[Vec<char>], mut found: impl FnMut(&[Range<usize>])) -> usize {
    let mut steps = 0;
    let mut searches: Vec<Kmp<'_>> = parts.iter().map(|p| Kmp::new(p, &mut steps)).collect();
    let Some((first, rest)) = searches.split_first_mut() else {
        return steps;
    };
    let mut m: Vec<Range<usize>> = Vec::with_capacity(parts.len());
    let mut from = 0;
    while let Some(start) = first.next_from(hay, from, &mut steps) {
        m.clear();
        let mut end = start + first.pat.len();
        m.push(start..end);
        for p in rest.iter_mut() {
            steps += 1;
            match p.next_from(hay, end, &mut steps) {
                Some(i) => {
                    end = i + p.pat.len();
                    m.push(i..end);
                }
                // Later starts cannot find it either.
                None => return steps,
            }
        }
        found(&m);
        from = start + 1;
    }
    steps
}

/// The Z-array of `s`: `z[i]` is the length of the longest common prefix
/// of `s` and `s[i..]` (`z[0]` is 0). Linear time.
fn z_array<T: PartialEq>(s: &[T]) -> Vec<usize> {
    let n = s.len();
    let mut z = vec![0; n];
    let (mut l, mut r) = (0, 0);
    for i in 1..n {
        let mut k = 0;
        if i < r {
            k = z.get(i - l).copied().unwrap_or(0).min(r - i);
        }
        while i + k < n && s.get(k) == s.get(i + k) {
            k += 1;
        }
        if let Some(zi) = z.get_mut(i) {
            *zi = k;
        }
        if i + k > r {
            l = i;
            r = i + k;
        }
    }
    z
}

/// The article passage sharing the longest run of words with the quote.
/// Linear in the two texts: words are numbered, and the run of quote words
/// starting at each word of the article is read off a Z-array.
fn closest_passage(hay: &str, needle: &str) -> Option<String> {
    let words: Vec<&str> = needle.split(' ').collect();
    let hay_words: Vec<&str> = hay.split(' ').collect();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut seq: Vec<usize> = Vec::with_capacity(words.len() + 1 + hay_words.len());
    for w in &words {
        let next = ids.len();
        seq.push(*ids.entry(w).or_insert(next));
    }
    // A separator no word has, so no run crosses from the quote into the text.
    seq.push(usize::MAX);
    let first_hay: usize = seq.len();
    for w in &hay_words {
        let next = ids.len();
        seq.push(*ids.entry(w).or_insert(next));
    }
    let z = z_array(&seq);
    let mut best: Option<(usize, usize)> = None; // (matched words, start index in hay)
    for (start, n) in z.iter().skip(first_hay).enumerate() {
        let n = (*n).min(words.len());
        if n > 0 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, start));
        }
    }
    // Also anchor on each longer word of the quote, so a changed first word
    // still finds its sentence.
    if best.is_none_or(|(b, _)| b < 2) {
        let mut first_at: HashMap<&str, usize> = HashMap::new();
        for (i, h) in hay_words.iter().enumerate() {
            first_at.entry(h).or_insert(i);
        }
        for (i, w) in words.iter().enumerate().skip(1) {
            if w.chars().count() < 4 {
                continue;
            }
            if let Some(pos) = first_at.get(w) {
                best = Some((1, pos.saturating_sub(i)));
                break;
            }
        }
    }
    let (_, start) = best?;
    let end = (start + words.len()).min(hay_words.len());
    Some(hay_words.get(start..end)?.join(" "))
}

/// How many places of an ambiguous quote a warning shows.
const SHOWN_PLACES: usize = 5;

/// The quotes of one claim file located in its article.
#[derive(Debug, Clone, Default)]
pub struct Anchored {
    /// The article text as searched (NFC), registered in the files.
    pub article: Option<FileId>,
    /// Where each claim's quote was found, by claim id.
    pub quotes: Vec<(String, QuoteAnchor)>,
    /// Byte spans of the article covered by claim quotes and `[[ignore]]`
    /// passages (every occurrence, each part of an elided quote).
    pub covered: Vec<Range<usize>>,
    /// Quotes not found (claim id, or `None` for an ignored passage), with
    /// where they are written.
    pub missing: Vec<(Option<String>, crate::diag::Loc)>,
}

/// Locate every quote (of the claims and the `[[ignore]]` passages) of a
/// claim file in the article text registered as `article` in `files`.
/// Problems go to `diags`.
pub fn anchor_quotes(
    cf: &ClaimFile,
    files: &mut Files,
    article: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Anchored {
    let Some(src) = files.get(article) else {
        return Anchored::default();
    };
    let article_path = src.path.clone();
    let raw = src.text.clone();
    // Work in NFC; when the file is not already NFC, register the NFC text
    // so every span below points into the text that was searched.
    let nfc: String = raw.nfc().collect();
    let article = if nfc == raw {
        article
    } else {
        files.add(article_path.clone(), nfc.clone())
    };
    let hay = fold(&nfc);
    let hay_text: String = hay.chars.iter().collect();
    let byte_span = |r: &Range<usize>| -> Range<usize> {
        let start = hay.from.get(r.start).map_or(0, |x| x.start);
        let end = r
            .end
            .checked_sub(1)
            .and_then(|i| hay.from.get(i))
            .map_or(start, |x| x.end);
        start..end
    };
    // Line breaks of the text, to find the paragraph of a match by binary
    // search rather than by scanning the text.
    let breaks: Vec<usize> = nfc.match_indices('\n').map(|(i, _)| i).collect();
    let paragraph = |b: &Range<usize>| -> Range<usize> {
        let start = breaks
            .get(breaks.partition_point(|&i| i < b.start).wrapping_sub(1))
            .map_or(0, |i| i + 1);
        let end = breaks
            .get(breaks.partition_point(|&i| i < b.end))
            .copied()
            .unwrap_or(nfc.len());
        start..end.max(start)
    };
    let text_of = |r: &Range<usize>| nfc.get(r.clone()).unwrap_or_default();
    let mut out = Anchored {
        article: Some(article),
        ..Anchored::default()
    };
    let mut covered: HashSet<(usize, usize)> = HashSet::new();
    // Quotes already searched: (matches, places shown, in two paragraphs).
    #[allow(clippy::type_complexity)]
    let mut seen: HashMap<Vec<Vec<char>>, (usize, Vec<Range<usize>>, bool)> = HashMap::new();
    let items = cf
        .claims
        .iter()
        .filter_map(|c| c.quote.as_ref().map(|(q, l)| (Some(c.id.as_str()), q, l)))
        .chain(cf.ignores.iter().map(|i| (None, &i.quote, &i.quote_loc)));
    for (id, quote, quote_loc) in items {
        let ps = parts(quote);
        if ps.is_empty() {
            continue;
        }
        let whole = |m: &[Range<usize>]| -> Range<usize> {
            let start = m.first().map_or(0, |r| r.start);
            let end = m.last().map_or(start, |r| r.end);
            byte_span(&(start..end))
        };
        // The same quote again (a skeleton of a repetitive text quotes the
        // same words many times) is not searched again.
        let (count, shown, distinct) = match seen.get(&ps) {
            Some(known) => known.clone(),
            None => {
                // One pass over the matches: count them, keep the first few, cover
                // each part once, and look for a second paragraph (a page saved with
                // its body twice repeats whole paragraphs: a quote whose every match
                // sits in the same paragraph text names one passage).
                let mut count = 0usize;
                let mut shown: Vec<Range<usize>> = Vec::new();
                let mut last_part: Vec<Option<Range<usize>>> = vec![None; ps.len()];
                let mut first_paragraph: Option<Range<usize>> = None;
                let mut same_text: Option<Range<usize>> = None;
                let mut distinct = false;
                each_match(&hay.chars, &ps, |m| {
                    count += 1;
                    for (r, last) in m.iter().zip(last_part.iter_mut()) {
                        if last.as_ref() != Some(r) {
                            let b = byte_span(r);
                            covered.insert((b.start, b.end));
                            *last = Some(r.clone());
                        }
                    }
                    let span = whole(m);
                    if shown.len() < SHOWN_PLACES {
                        shown.push(span.clone());
                    }
                    if distinct {
                        return;
                    }
                    let p = paragraph(&span);
                    match &first_paragraph {
                        None => first_paragraph = Some(p),
                        Some(f) if *f == p || same_text.as_ref() == Some(&p) => {}
                        Some(f) => {
                            if text_of(f) == text_of(&p) {
                                same_text = Some(p);
                            } else {
                                distinct = true;
                            }
                        }
                    }
                });
                seen.insert(ps.clone(), (count, shown.clone(), distinct));
                (count, shown, distinct)
            }
        };
        let what = match id {
            Some(id) => format!("the quote of `{id}`"),
            None => "an ignored passage".to_string(),
        };
        let Some(first_span) = shown.first().cloned() else {
            let needle: String = ps
                .iter()
                .map(|p| p.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ");
            diags.push(
                Diagnostic::error(
                    "claim/quote-not-found",
                    format!("{what} is not in the article text ({article_path})"),
                )
                .at(
                    quote_loc.file,
                    quote_loc.span.clone(),
                    "not found in the article",
                )
                .help(match closest_passage(&hay_text, &needle) {
                    Some(p) => format!("closest passage in the article: \"{p}\""),
                    None => "copy the sentence exactly as the article has it".into(),
                }),
            );
            out.missing
                .push((id.map(str::to_string), quote_loc.clone()));
            continue;
        };
        if count > 1 && distinct {
            let mut d = Diagnostic::warning(
                "claim/quote-ambiguous",
                if count > SHOWN_PLACES {
                    format!(
                        "{what} appears {count} times in the article (the first {SHOWN_PLACES} shown)"
                    )
                } else {
                    format!("{what} appears {count} times in the article")
                },
            )
            .at(quote_loc.file, quote_loc.span.clone(), "ambiguous quote")
            .also(article, first_span.clone(), "found here");
            for m in shown.iter().skip(1) {
                d = d.also(article, m.clone(), "and here");
            }
            diags.push(d.help("quote more of the sentence, so it names one place"));
        }
        if let Some(id) = id {
            let (line, column) = files.line_col(article, first_span.start);
            let (end_line, end_column) = files.line_col(article, first_span.end);
            out.quotes.push((
                id.to_string(),
                QuoteAnchor {
                    file: article_path.clone(),
                    line,
                    column,
                    end_line,
                    end_column,
                },
            ));
        }
    }
    // Each span once, however many quotes (or matches) cover it.
    out.covered = covered.into_iter().map(|(s, e)| s..e).collect();
    out.covered.sort_by_key(|r| (r.start, r.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(article: &str, quote: &str) -> Vec<Vec<Range<usize>>> {
        let hay = fold(article);
        let mut out = Vec::new();
        each_match(&hay.chars, &parts(quote), |m| out.push(m.to_vec()));
        out
    }

    #[test]
    fn normalisation_of_a_spanish_sentence() {
        assert_eq!(
            normalize_text("un  “razonamiento”\n dedicado – ya"),
            "un \"razonamiento\" dedicado - ya"
        );
    }

    #[test]
    fn closest_passage_finds_the_sentence() {
        let hay = normalize_text(
            "Los otros once miembros del equipo, o el 78% de los investigadores, han partido.",
        );
        let needle = normalize_text("Los otros doce miembros del equipo");
        assert_eq!(
            closest_passage(&hay, &needle).as_deref(),
            Some("Los otros once miembros del equipo,")
        );
    }

    #[test]
    fn normalisation_unifies_quotes_dashes_space_and_composition() {
        assert_eq!(
            normalize_text("“Hola”\u{00A0}—  mundo\n’s"),
            "\"Hola\" - mundo 's"
        );
        // "é" as e + combining acute compares equal to the precomposed form.
        assert_eq!(normalize_text("cafe\u{0301}"), normalize_text("café"));
    }

    #[test]
    fn typographic_and_spacing_differences_still_match() {
        let article = "Dijo: «el 78 %\u{00A0}se fue» – y   nada más.";
        assert_eq!(find(article, "\"el 78 % se fue\" - y nada").len(), 1);
    }

    #[test]
    fn elision_needs_the_parts_in_order() {
        let article = "Three of the fourteen authors, all researchers, remain at Meta.";
        assert_eq!(
            find(article, "Three of the fourteen authors … remain at Meta").len(),
            1
        );
        assert_eq!(
            find(article, "Three of the fourteen authors [...] remain").len(),
            1
        );
        assert!(find(article, "remain at Meta … Three of the").is_empty());
    }

    #[test]
    fn an_elided_quote_covers_only_its_parts() {
        let article = "Three of the fourteen authors, all researchers, remain at Meta.";
        let found = find(article, "Three of the fourteen authors … remain at Meta");
        assert_eq!(found, vec![vec![0..29, 48..62]]);
    }

    #[test]
    fn repeated_quotes_are_all_found() {
        assert_eq!(find("a b. a b.", "a b").len(), 2);
        assert!(find("a b", "a b c").is_empty());
    }

    #[test]
    fn closest_passage_survives_a_changed_first_word() {
        let hay = normalize_text("The team has had four members over the years.");
        let p = closest_passage(&hay, "The team has had five members");
        assert_eq!(p.as_deref(), Some("The team has had four members"));
        let p = closest_passage(&hay, "A squad has had four");
        assert_eq!(p.as_deref(), Some("The team has had four"));
    }

    /// The matcher before it was made linear: every start position tried,
    /// every part compared in full. The reference the new one must agree with.
    fn reference(hay: &[char], parts: &[Vec<char>]) -> Vec<Vec<Range<usize>>> {
        fn find_from(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
            if needle.is_empty() || needle.len() > hay.len() {
                return None;
            }
            (from..=hay.len() - needle.len())
                .find(|&i| hay.get(i..i + needle.len()) == Some(needle))
        }
        let Some((first, rest)) = parts.split_first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(start) = find_from(hay, first, from) {
            let mut found = Vec::new();
            found.push(start..start + first.len());
            let mut end = start + first.len();
            for p in rest {
                match find_from(hay, p, end) {
                    Some(i) => {
                        found.push(i..i + p.len());
                        end = i + p.len();
                    }
                    None => return out,
                }
            }
            out.push(found);
            from = start + 1;
        }
        out
    }

    fn steps(article: &str, quote: &str) -> (usize, usize) {
        let hay = fold(article);
        let mut n = 0;
        let steps = each_match(&hay.chars, &parts(quote), |_| n += 1);
        (n, steps)
    }

    #[test]
    fn overlapping_occurrences_cost_linear_work() {
        // 512 KB of "1 " and the quote "1 1 1": every position matches. The
        // old matcher compared the quote at each start and rescanned from
        // each match; the work here is a few steps per character.
        let article = "1 ".repeat(262_144);
        let n = article.len();
        let (found, work) = steps(&article, "1 1 1");
        assert_eq!(found, 262_142);
        assert!(work <= 3 * n, "{work} steps for {n} characters");
        // With an elision each part is read over the text once.
        let (found, work) = steps(&article, "1 1 1 … 1 1 … 1");
        assert_eq!(found, 262_139);
        assert!(work <= 3 * 3 * n + 2 * found, "{work} steps");
        // A long quote that almost matches everywhere.
        let quote = format!("{}2", "1 ".repeat(2000));
        let (found, work) = steps(&article, &quote);
        assert_eq!(found, 0);
        assert!(work <= 3 * (n + quote.len()), "{work} steps");
    }

    #[test]
    fn closest_passage_of_a_long_quote_in_a_repetitive_text() {
        let hay = "1 ".repeat(50_000);
        let hay = hay.trim_end();
        let needle = format!("{}x", "1 ".repeat(5_000));
        let p = closest_passage(hay, &needle).unwrap_or_default();
        // The longest run is the 5000 ones, from the first word.
        assert_eq!(p.split(' ').count(), 5_001);
        assert!(p.starts_with("1 1"));
    }

    fn claim_file(quotes: &[&str], article: &str) -> (Anchored, Vec<Diagnostic>, Files) {
        let mut toml = String::from(
            "[article]\nid = \"a\"\ntitle = \"t\"\nurl = \"https://example.org\"\nlanguage = \"en\"\npublished = \"2025-01-01\"\n",
        );
        for (i, q) in quotes.iter().enumerate() {
            toml.push_str(&format!(
                "[[claim]]\nid = \"c{i}\"\nquote = {}\nclaim = \"x\"\ncheckable = false\nreason = \"r\"\n",
                toml::Value::String(q.to_string())
            ));
        }
        let mut files = Files::default();
        let fid = files.add("c.toml", toml);
        let mut diags = Vec::new();
        let cf = crate::claims::read_claim_file(fid, &files, &mut diags).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        let aid = files.add("a.txt", article);
        let a = anchor_quotes(&cf, &mut files, aid, &mut diags);
        (a, diags, files)
    }

    #[test]
    fn ambiguity_is_two_different_paragraphs_and_lists_a_few_places() {
        // One paragraph repeated: not ambiguous.
        let (a, d, _) = claim_file(&["1 1"], &"1 1 1 1 x\n".repeat(1000));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a.quotes.len(), 1);
        // Two different paragraphs, thousands of matches: one warning that
        // counts them all and shows the first few.
        let article = "1 1 1 1 a\n1 1 1 1 b\n".repeat(1000);
        let (a, d, _) = claim_file(&["1 1"], &article);
        assert_eq!(d.len(), 1, "{d:?}");
        let msg = format!("{:?}", d.first());
        assert!(msg.contains("appears 6000 times"), "{msg}");
        assert!(msg.contains("(the first 5 shown)"), "{msg}");
        assert_eq!(msg.matches("and here").count(), SHOWN_PLACES - 1, "{msg}");
        // Every occurrence of every part is covered, once.
        assert_eq!(a.covered.len(), 6000);
        // Two places only: listed in full.
        let (_, d, _) = claim_file(&["b"], "a b\nc b\n");
        let msg = format!("{:?}", d.first());
        assert!(msg.contains("appears 2 times in the article\""), "{msg}");
    }

    #[test]
    fn cut_quotes_of_new_anchor_in_the_text() {
        // A text without sentence breaks: the quote of each figure is cut
        // with ellipses, and still found around the figure.
        let text = "the 7 cats and 12 dogs ".repeat(200);
        let (found, covered) = {
            let findings = crate::extract::extract(&text, crate::extract::Lang::En);
            let quotes: Vec<String> = findings
                .iter()
                .map(|f| crate::extract::quote_of(&text, &f.span))
                .collect();
            let refs: Vec<&str> = quotes.iter().map(String::as_str).collect();
            assert!(refs
                .iter()
                .all(|q| q.starts_with("… ") || q.ends_with(" …")));
            let (a, d, _) = claim_file(&refs, &text);
            assert!(d.is_empty(), "{d:?}");
            let covered = findings
                .iter()
                .filter(|f| {
                    a.covered
                        .iter()
                        .any(|r| r.start <= f.span.start && f.span.end <= r.end)
                })
                .count();
            (findings.len(), covered)
        };
        assert_eq!(found, 400);
        assert_eq!(covered, found);
    }

    #[test]
    fn z_array_matches_its_definition() {
        let s: Vec<char> = "aabxaabxcaabxaabxay".chars().collect();
        let z = z_array(&s);
        for (i, zi) in z.iter().enumerate().skip(1) {
            let lcp = s
                .iter()
                .zip(s.iter().skip(i))
                .take_while(|(a, b)| a == b)
                .count();
            assert_eq!(*zi, lcp, "at {i}");
        }
    }

    proptest::proptest! {
        #[test]
        fn matching_agrees_with_the_brute_force_reference(
            article in "[ab1 \n]{0,40}",
            quote in "[ab1 ]{0,6}(( …| \\.\\.\\.| \\[…\\])[ab1 ]{0,4}){0,2}",
        ) {
            let hay = fold(&article);
            let ps = parts(&quote);
            let mut got = Vec::new();
            each_match(&hay.chars, &ps, |m| got.push(m.to_vec()));
            proptest::prop_assert_eq!(got, reference(&hay.chars, &ps));
        }

        #[test]
        fn closest_passage_agrees_with_the_brute_force_reference(
            hay in "[ab]{1,3}( [ab]{1,3}){0,12}",
            needle in "[ab]{1,3}( [ab]{1,3}){0,5}",
        ) {
            // The longest run of quote words from each article word, the
            // first longest winning (words of 4+ letters do not occur here).
            let words: Vec<&str> = needle.split(' ').collect();
            let hay_words: Vec<&str> = hay.split(' ').collect();
            let mut best: Option<(usize, usize)> = None;
            for start in 0..hay_words.len() {
                let mut n = 0;
                while n < words.len() && hay_words.get(start + n) == words.get(n) {
                    n += 1;
                }
                if n > 0 && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, start));
                }
            }
            let want = best.map(|(_, start)| {
                let end = (start + words.len()).min(hay_words.len());
                hay_words[start..end].join(" ")
            });
            proptest::prop_assert_eq!(closest_passage(&hay, &needle), want);
        }
    }
}

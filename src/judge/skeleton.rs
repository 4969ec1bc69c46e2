//! Claim-file skeletons (`factcheck new`): the `[article]` table filled in
//! and one commented-out claim per quantity found in the text, quoting its
//! sentence, with the figure and its qualifier already written in `states`.
//! The measure is left for the author: only a person can say what in the
//! evidence settles a claim.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

use crate::extract::{extract, quote_of, Lang, LineCol};

/// What `factcheck new` knows about the article.
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    /// The article's text.
    pub text: &'a str,
    /// Path of the text relative to the claim file's directory.
    pub text_path: &'a str,
    /// Id of the article (the text file's name without extension).
    pub id: &'a str,
    /// Language, when given (otherwise guessed from the text).
    pub lang: Option<Lang>,
    /// Publication date, when given.
    pub published: Option<&'a str>,
    /// Address, when given.
    pub url: Option<&'a str>,
}

/// A generated claim file.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// The TOML text.
    pub text: String,
    /// Quantities found (one commented claim each).
    pub findings: usize,
}

/// A TOML basic string holding `s`.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '%' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push_str("percent");
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "quantity".into()
    } else {
        out
    }
}

/// Write the skeleton.
pub fn skeleton(a: &NewArticle<'_>) -> Skeleton {
    let lang = a.lang.unwrap_or_else(|| Lang::detect(a.text));
    let title = a
        .text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("TODO: the headline")
        .chars()
        .take(300)
        .collect::<String>();
    let findings = extract(a.text, lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Claims of {} — a skeleton written by `factcheck new` from {}.",
        toml_str(&title),
        a.text_path
    );
    out.push_str(
        "#\n\
         # Each quantity found in the text has a commented-out claim below, quoting\n\
         # its sentence, with the figure and its qualifier in `states`. For each one:\n\
         # uncomment it, restate the claim in English, write the measure over the\n\
         # evidence (README: \"Expression language\") and check `states`; if data\n\
         # cannot settle it, write `checkable = false` and a `reason` instead of a\n\
         # measure. Quantities that need no claim (a product name, a quotation's\n\
         # date) go in an [[ignore]] entry with a reason. Then run\n\
         # `factcheck audit` on this file until nothing is uncovered, and\n\
         # `factcheck verify`.\n\n",
    );
    out.push_str("[article]\n");
    let _ = writeln!(out, "id = {}", toml_str(a.id));
    let _ = writeln!(out, "title = {}", toml_str(&title));
    match a.url {
        Some(url) => {
            let _ = writeln!(out, "url = {}", toml_str(url));
        }
        // No address given: none is made up (an article may have none).
        None => out.push_str(
            "# url = \"https://…\"  # the article's public address; leave it out when it has none\n",
        ),
    }
    let _ = writeln!(out, "language = {}", toml_str(lang.code()));
    let _ = writeln!(
        out,
        "published = {}{}",
        toml_str(a.published.unwrap_or("TODO")),
        if a.published.is_none() {
            "  # TODO: YYYY-MM-DD, or a range such as 2025-05-27..2025-05-31 when unsure"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "text = {}", toml_str(a.text_path));
    out.push_str("\n[define]\n# name = 'table where column == \"value\"'\n");
    // Ids taken, and for each base id the next suffix to try: the search
    // never retries a suffix, so de-duplication is linear in the findings.
    let mut used: HashSet<String> = HashSet::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut positions = LineCol::new(a.text);
    for f in &findings {
        let (line, column) = positions.at(f.span.start);
        let sentence = quote_of(a.text, &f.span);
        let statement = f.statement();
        let base = format!("{}-{}", f.kind.name(), slug(&statement));
        let mut id = base.clone();
        let n = next.entry(base.clone()).or_insert(2);
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        let _ = writeln!(
            out,
            "\n# ---- line {line}, column {column}: {} ({})",
            toml_str(&f.text),
            f.kind.name()
        );
        out.push_str("# [[claim]]\n");
        let _ = writeln!(out, "# id = {}", toml_str(&id));
        let _ = writeln!(out, "# quote = {}", toml_str(&sentence));
        out.push_str("# claim = \"TODO: the claim in English\"\n");
        match f.kind.measure_hint() {
            Some(hint) => {
                let _ = writeln!(out, "# measure = {}", toml_str(&format!("TODO: {hint}")));
            }
            None => out.push_str("# measure = \"TODO\"\n"),
        }
        let _ = writeln!(out, "# states = {}", toml_str(&statement));
    }
    Skeleton {
        text: out,
        findings: findings.len(),
    }
}

/// `target` as a path relative to the directory of `from_file` (both
/// relative to the working directory, or both absolute), with `/`.
pub fn relative_to(target: &Path, from_file: &Path) -> String {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    };
    let t = absolute(target);
    let base = absolute(from_file.parent().unwrap_or(Path::new(".")));
    let tc: Vec<_> = t.components().collect();
    let bc: Vec<_> = base.components().collect();
    let common = tc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    let mut rel: Vec<String> = vec!["..".to_string(); bc.len().saturating_sub(common)];
    rel.extend(
        tc.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    rel.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_name_the_figure() {
        assert_eq!(slug("78%"), "78-percent");
        assert_eq!(slug("more than 5 years"), "more-than-5-years");
        assert_eq!(slug("…"), "quantity");
    }

    #[test]
    fn paths_are_relative_to_the_claim_file() {
        assert_eq!(
            relative_to(Path::new("articles/a.txt"), Path::new("claims/a.toml")),
            "../articles/a.txt"
        );
        assert_eq!(
            relative_to(Path::new("claims/a.txt"), Path::new("claims/a.toml")),
            "a.txt"
        );
    }

    #[test]
    fn the_skeleton_quotes_each_quantity_in_its_sentence() {
        let text =
            "A headline\n\nOnly 3 of the 14 authors remain. They stayed more than five years.\n";
        let s = skeleton(&NewArticle {
            text,
            text_path: "a.txt",
            id: "a",
            lang: Some(Lang::En),
            published: Some("2025-05-27"),
            url: Some("https://example.org/a"),
        });
        assert!(s.findings >= 2, "{}", s.text);
        assert!(s.text.contains("title = \"A headline\""));
        assert!(s
            .text
            .contains("# quote = \"They stayed more than five years.\""));
        assert!(s.text.contains("# states = \"more than 5 years\""));
        // The uncommented part is a valid claim-file head.
        let parsed: Result<toml::Table, _> = s.text.parse();
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    fn new_skeleton(text: &str) -> Skeleton {
        skeleton(&NewArticle {
            text,
            text_path: "a.txt",
            id: "a",
            lang: Some(Lang::En),
            published: Some("2025-05-27"),
            url: Some("https://example.org/a"),
        })
    }

    #[test]
    fn a_text_without_sentence_breaks_gives_a_bounded_skeleton() {
        // 32 KB of "1 " used to quote the whole text for each of its 16,384
        // figures (a 515 MB skeleton).
        let text = "1 ".repeat(16_384);
        let s = new_skeleton(&text);
        assert_eq!(s.findings, 16_384);
        let quotes: Vec<&str> = s
            .text
            .lines()
            .filter(|l| l.starts_with("# quote = "))
            .collect();
        assert_eq!(quotes.len(), 16_384);
        let bound = 2 * crate::extract::QUOTE_CONTEXT + 32;
        assert!(quotes.iter().all(|q| q.len() <= bound));
        // Linear: at most a fixed amount of text per figure.
        assert!(s.text.len() <= s.findings * 1024, "{} bytes", s.text.len());
        assert!(s.text.contains("# ---- line 1, column 32767: \"1\""));
    }

    #[test]
    fn thousands_of_identical_sentences_get_unique_stable_ids() {
        let text = "The team had 14 members. ".repeat(8_000);
        let s = new_skeleton(&text);
        let ids: Vec<&str> = s
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("# id = "))
            .collect();
        assert_eq!(ids.len(), 8_000);
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), 8_000);
        assert_eq!(ids.first(), Some(&"\"number-14\""));
        assert_eq!(ids.get(1), Some(&"\"number-14-2\""));
        assert_eq!(ids.last(), Some(&"\"number-14-8000\""));
        // Stable: the same text gives the same skeleton.
        assert_eq!(new_skeleton(&text).text, s.text);
    }

    #[test]
    fn a_taken_suffix_is_skipped() {
        // "14 2" slugs to number-14-2, the name the second "14" would take.
        let s = new_skeleton("A 14. B 14-2. C 14. D 14.");
        let ids: Vec<&str> = s
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("# id = "))
            .collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }
}

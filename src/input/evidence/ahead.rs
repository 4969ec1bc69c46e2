//! The evidence's TOML files read into their shapes ahead of the checks
//! that need the evidence as a whole, on several threads. Reading TOML is
//! most of the time a small repository takes to load, and each file's
//! reading depends on its text only.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Group, RawSources, RawTableFile, DATA_EXTENSIONS};

/// What an input file of the evidence is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A data file (CSV, JSON Lines, Parquet), read after the tables.
    Data,
    /// The sources of the directory (`sources.toml`).
    Sources,
    /// A table file.
    Table,
}

/// The kind of the input file named `name` (its file name, not a path).
pub(super) fn kind(name: &str) -> Kind {
    if DATA_EXTENSIONS
        .iter()
        .any(|x| name.strip_suffix(x).is_some_and(|stem| stem.ends_with('.')))
    {
        Kind::Data
    } else if name == "sources.toml" {
        Kind::Sources
    } else {
        Kind::Table
    }
}

/// A TOML file of the evidence read into its shape, or the reading's error.
pub(super) enum Reading {
    Sources(Result<RawSources, toml::de::Error>),
    Table(Result<Box<RawTableFile>, toml::de::Error>),
}

/// The least TOML text, in bytes, worth reading on more than one thread.
const PARALLEL_TOML: usize = 16 << 10;

/// Each group's inputs in order, each with its reading done ahead (`None`
/// for a data file, or when the files are too few to share out: each is
/// then read where it is used). At most `threads` threads, this one
/// included.
pub(super) fn read_ahead(groups: &[Group], threads: usize) -> Vec<Option<Reading>> {
    let inputs: Vec<(&str, &str)> = groups
        .iter()
        .flat_map(|g| &g.inputs)
        .map(|(path, text)| (file_name(path), text.as_str()))
        .collect();
    let mut out: Vec<Option<Reading>> = inputs.iter().map(|_| None).collect();
    let toml: Vec<usize> = (0..inputs.len())
        .filter(|&i| inputs.get(i).is_some_and(|(n, _)| kind(n) != Kind::Data))
        .collect();
    let bytes: usize = toml
        .iter()
        .filter_map(|&i| inputs.get(i))
        .map(|(_, t)| t.len())
        .sum();
    let threads = threads.min(toml.len());
    if threads <= 1 || bytes < PARALLEL_TOML {
        return out;
    }
    // The largest first, each thread taking the next file left.
    let mut order = toml;
    order.sort_by_key(|&i| std::cmp::Reverse(inputs.get(i).map_or(0, |(_, t)| t.len())));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            if let Some((name, text)) = inputs.get(i) {
                done.push((i, read(name, text)));
            }
        }
        done
    };
    let done = std::thread::scope(|s| {
        // The threads read the same text the main thread would: they get
        // its stack size (TOML nesting is bounded by the reader anyway).
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        let mut done = work();
        // A thread that failed leaves its files to be read where used.
        for h in helpers {
            done.extend(h.join().unwrap_or_default());
        }
        done
    });
    for (i, r) in done {
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(r);
        }
    }
    out
}

fn read(name: &str, text: &str) -> Reading {
    match kind(name) {
        Kind::Sources => Reading::Sources(toml::from_str(text)),
        _ => Reading::Table(toml::from_str(text).map(Box::new)),
    }
}

/// The file name of `path` (the whole of it when it has none).
pub(super) fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_names() {
        assert_eq!(kind("people.csv"), Kind::Data);
        assert_eq!(kind("people.csv.gz"), Kind::Data);
        assert_eq!(kind("sources.toml"), Kind::Sources);
        assert_eq!(kind("people.toml"), Kind::Table);
        assert_eq!(kind("csv"), Kind::Table);
    }
}

//! The layers of `src/` import one way: a module may use its own layer and
//! the layers below it, never one above (docs/architecture.md). Comments
//! (a doc link to a later stage) do not count.

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Bottom to top.
const LAYERS: &[&str] = &[
    "base", "language", "input", "plan", "eval", "judge", "render", "engine",
];

/// The layer of each short module name the crate root re-exports.
const SHORT: &[(&str, &str)] = &[
    ("date", "base"),
    ("diag", "base"),
    ("escape", "base"),
    ("fsread", "base"),
    ("interval", "base"),
    ("lang", "base"),
    ("num", "base"),
    ("expr", "language"),
    ("extract", "language"),
    ("statement", "language"),
    ("anchor", "input"),
    ("claims", "input"),
    ("evidence", "input"),
    ("resolve", "plan"),
    ("audit", "judge"),
    ("explain", "judge"),
    ("lint", "judge"),
    ("skeleton", "judge"),
    ("verdict", "judge"),
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

fn layer_of_module(name: &str) -> Option<usize> {
    rank(name).or_else(|| {
        SHORT
            .iter()
            .find(|(m, _)| *m == name)
            .and_then(|(_, l)| rank(l))
    })
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_import_goes_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).expect("under src");
        let first = rel.components().next().and_then(|c| c.as_os_str().to_str());
        let Some(own) = first.and_then(rank) else {
            // lib.rs and main.rs sit above every layer.
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("readable");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = rest.get(i + "crate::".len()..).unwrap_or("");
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(used) = layer_of_module(&name) {
                    checked += 1;
                    if used > own {
                        wrong.push(format!(
                            "{}:{}: {} uses {name} ({})",
                            rel.display(),
                            n + 1,
                            LAYERS[own],
                            LAYERS[used]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} imports found: is the parser right?"
    );
    assert!(wrong.is_empty(), "imports going up:\n{}", wrong.join("\n"));
}

//! Evidence scopes: a subdirectory of the evidence directory holds one
//! article's own tables and sources; a claim file selects it with
//! `[article] evidence`. Names resolve in the scope first, then at the top
//! level; two scopes may hold tables of the same name; a scope's table
//! hides a top-level one of its name (for that scope's claim files only);
//! a scope name is only ever looked up among the scopes listed, never read
//! as a path; `check` of some claim files tells unused evidence only of
//! the scopes they read.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use std::path::{Path, PathBuf};

use factcheck::engine::{check, verify, NoProgress, Options, Selection, Workspace};
use factcheck::verdict::Verdict;

const FIXTURE: &str = "tests/fixtures/scopes";

fn on_disk(claims: &[&str]) -> Workspace {
    Workspace::from_dirs(Options {
        paths: claims.iter().map(|c| Path::new(FIXTURE).join(c)).collect(),
        evidence: Path::new(FIXTURE).join("evidence"),
        ..Options::default()
    })
}

/// (claim id, verdict, computed value, tables and files of its witnesses).
fn outcomes(ws: &Workspace) -> Vec<(String, Verdict, String, Vec<String>)> {
    let run = verify(ws, &Selection::default(), &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    run.report
        .claims
        .iter()
        .map(|c| {
            let computed = serde_json::to_value(&c.computed).unwrap()["display"].to_string();
            let witnesses = c
                .witnesses
                .iter()
                .map(|w| format!("{} {}", w.table, w.location))
                .collect();
            (c.id.clone(), c.verdict, computed, witnesses)
        })
        .collect()
}

#[test]
fn names_resolve_in_the_scope_then_at_the_top_level() {
    let got = outcomes(&on_disk(&["claims"]));
    let ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        ids,
        ["alpha-team-size", "beta-team-size", "plain-team-size"]
    );
    // The same name `team` in two scopes and at the top level: each claim
    // file counts its own (alpha hides the shared table; beta cites the
    // shared source; plain, with no scope, sees the top level only).
    for (id, verdict, computed, witnesses) in &got {
        assert_eq!(*verdict, Verdict::Supported, "{id}");
        let (value, dir) = match id.as_str() {
            "alpha-team-size" => ("2", "evidence/alpha/team.toml"),
            "beta-team-size" => ("4", "evidence/beta/team.toml"),
            _ => ("3", "evidence/team.toml"),
        };
        assert_eq!(*computed, format!("\"{value}\""), "{id}");
        assert!(!witnesses.is_empty());
        for w in witnesses {
            assert!(
                w.starts_with("team ") && w.contains(&format!("{FIXTURE}/{dir}:")),
                "{id}: {w}"
            );
        }
    }
}

#[test]
fn the_same_files_in_memory_give_the_same_verdicts() {
    let read = |rel: &str| std::fs::read_to_string(Path::new(FIXTURE).join(rel)).unwrap();
    let mut ws = Workspace::in_memory();
    for f in ["claims/alpha.toml", "claims/beta.toml", "claims/plain.toml"] {
        ws = ws.with_claim_file(format!("{FIXTURE}/{f}"), read(f));
    }
    for f in ["sources.toml", "team.toml", "spare.toml"] {
        ws = ws.with_evidence(
            format!("{FIXTURE}/evidence/{f}"),
            read(&format!("evidence/{f}")),
        );
    }
    for (scope, f) in [
        ("beta", "team.toml"),
        ("beta", "leftover.toml"),
        ("alpha", "sources.toml"),
        ("alpha", "team.toml"),
        ("alpha", "extra.toml"),
    ] {
        let rel = format!("evidence/{scope}/{f}");
        ws = ws.with_scoped_evidence(scope, format!("{FIXTURE}/{rel}"), read(&rel));
    }
    assert_eq!(outcomes(&ws), outcomes(&on_disk(&["claims"])));
}

/// The minimal in-memory dataset of the tests below: a shared `team`,
/// and a scope `a` with its own `team` and a table `only_a`.
fn small() -> Workspace {
    let sources = "[[source]]\nid = \"s\"\ntitle = \"T\"\npublisher = \"P\"\nurl = \"https://example.org/s\"\ndate = \"2025\"\n";
    let table = |name: &str, keys: &[&str]| {
        let mut t = format!(
            "[table]\nname = \"{name}\"\nkey = \"name\"\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n"
        );
        for k in keys {
            t.push_str(&format!(
                "\n[[record]]\nname = \"{k}\"\nsources = [\"s\"]\n"
            ));
        }
        t
    };
    Workspace::in_memory()
        .with_evidence("evidence/sources.toml", sources)
        .with_evidence("evidence/team.toml", table("team", &["x", "y", "z"]))
        .with_scoped_evidence("a", "evidence/a/team.toml", table("team", &["p"]))
        .with_scoped_evidence("a", "evidence/a/only_a.toml", table("only_a", &["q"]))
}

fn claim_file(scope_line: &str, measure: &str) -> String {
    format!(
        "[article]\nid = \"t\"\ntitle = \"T\"\nlanguage = \"en\"\npublished = \"2025-03-01\"\n{scope_line}\n\n[[claim]]\nid = \"c\"\nclaim = \"c\"\nmeasure = \"{measure}\"\nstates = \"1\"\n"
    )
}

/// The errors of a check of one claim file over [`small`].
fn errors(scope_line: &str, measure: &str) -> Vec<(String, String, String)> {
    let ws = small().with_claim_file("claims/t.toml", claim_file(scope_line, measure));
    let out = check(&ws, &Selection::default(), &mut NoProgress);
    out.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            (
                d.code.to_string(),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_claim_file_without_a_scope_sees_the_top_level_only() {
    assert!(errors("", "count(team) - 2").is_empty());
    let e = errors("", "count(only_a)");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "claim/unknown-name");
    // With the scope, both its own table and the hiding one resolve.
    assert!(errors("evidence = \"a\"", "count(only_a)").is_empty());
    assert!(errors("evidence = \"a\"", "count(team)").is_empty());
}

#[test]
fn hostile_scope_names_are_refused_without_reading_anything() {
    for name in [
        "..",
        "/etc",
        "a/../../x",
        "../evidence",
        ".",
        ".hidden",
        "a\\b",
        "",
    ] {
        let e = errors(&format!("evidence = {:?}", name), "count(team)");
        assert!(!e.is_empty(), "{name:?} accepted");
        assert_eq!(e[0].0, "claim/bad-scope", "{name:?}: {e:?}");
        assert!(e[0].2.contains("no path"), "{e:?}");
    }
}

#[test]
fn an_unknown_scope_is_a_located_error_with_a_suggestion() {
    let ws = small().with_claim_file(
        "claims/t.toml",
        claim_file("evidence = \"b\"", "count(team)"),
    );
    let out = check(&ws, &Selection::default(), &mut NoProgress);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "claim/unknown-scope")
        .expect("unknown scope reported");
    assert!(d.is_error());
    assert_eq!(d.message, "no evidence scope `b`");
    let label = d.primary.as_ref().expect("located");
    let text = &out.files.get(label.file).unwrap().text;
    assert_eq!(&text[label.span.clone()], "\"b\"");
    assert_eq!(d.help.as_deref(), Some("did you mean `a`?"));
}

#[test]
fn an_unknown_scope_exits_2_on_the_command_line() {
    let dir = scratch("unknown");
    copy_fixture(&dir);
    let claims = dir.join("claims/alpha.toml");
    let text = std::fs::read_to_string(&claims)
        .unwrap()
        .replace("evidence = \"alpha\"", "evidence = \"alhpa\"");
    std::fs::write(&claims, text).unwrap();
    let out = common::factcheck()
        .args(["check", "claims/alpha.toml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[claim/unknown-scope]: no evidence scope `alhpa`"),
        "{stderr}"
    );
    assert!(stderr.contains("claims/alpha.toml:7:12"), "{stderr}");
    assert!(stderr.contains("did you mean `alpha`?"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tables_are_unique_per_scope_and_may_hide_shared_ones() {
    let t = "[table]\nname = \"team\"\nkey = \"name\"\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n";
    let ws = small().with_scoped_evidence("a", "evidence/a/team2.toml", t);
    let loaded = ws.load(&mut NoProgress);
    let dups: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "evidence/duplicate-table")
        .collect();
    assert_eq!(dups.len(), 1, "{:?}", loaded.diagnostics);
    let label = dups[0].primary.as_ref().unwrap();
    assert_eq!(loaded.files.path(label.file), "evidence/a/team2.toml");
    // Hiding the shared `team` is not an error.
    assert!(!small().load(&mut NoProgress).has_errors());
}

#[test]
fn a_scope_changes_only_its_own_cells() {
    // An ordering (or alternative, or inference) changes the cells it
    // names: a scope may not name a shared table's.
    let dated = "[table]\nname = \"d\"\nkey = \"name\"\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n\n[[column]]\nname = \"day\"\ntype = \"date\"\n\n[[record]]\nname = \"x\"\nday = \"2020\"\nsources = [\"s\"]\n";
    let scoped = "[table]\nname = \"e\"\nkey = \"name\"\n\n[[column]]\nname = \"name\"\ntype = \"text\"\n\n[[column]]\nname = \"day\"\ntype = \"date\"\n\n[[record]]\nname = \"y\"\nday = \"2020\"\nsources = [\"s\"]\n\n[[order]]\nearlier = 'd[\"x\"].day'\nlater = 'e[\"y\"].day'\nsources = [\"s\"]\n\n[[alternative]]\ncell = 'd[\"x\"].day'\nvalue = \"2021\"\nsources = [\"s\"]\n";
    let ws = small()
        .with_evidence("evidence/d.toml", dated)
        .with_scoped_evidence("a", "evidence/a/e.toml", scoped);
    let loaded = ws.load(&mut NoProgress);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["evidence/alternative-cell", "evidence/order-unknown"],
        "{:?}",
        loaded.diagnostics
    );
    for d in &loaded.diagnostics {
        assert!(
            d.help
                .as_deref()
                .unwrap_or("")
                .contains("top-level (shared) table"),
            "{d:?}"
        );
        let label = d.primary.as_ref().unwrap();
        assert_eq!(loaded.files.path(label.file), "evidence/a/e.toml");
    }
}

#[test]
fn check_tells_unused_evidence_of_the_scopes_checked() {
    let unused = |claims: &[&str]| {
        let out = check(&on_disk(claims), &Selection::default(), &mut NoProgress);
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        let mut got: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("evidence/unused-"))
            .map(|d| {
                let file = out.files.path(d.primary.as_ref().unwrap().file);
                format!("{} {}", d.code, file.trim_start_matches(FIXTURE))
            })
            .collect();
        got.sort();
        got
    };
    assert_eq!(
        unused(&["claims/alpha.toml"]),
        [
            "evidence/unused-source /evidence/alpha/sources.toml",
            "evidence/unused-table /evidence/alpha/extra.toml",
        ]
    );
    assert_eq!(
        unused(&["claims/beta.toml"]),
        ["evidence/unused-table /evidence/beta/leftover.toml"]
    );
    // No scope: the top level is every article's, told only on a whole
    // collection.
    assert!(unused(&["claims/plain.toml"]).is_empty());
    assert_eq!(
        unused(&["claims"]),
        [
            "evidence/unused-source /evidence/alpha/sources.toml",
            "evidence/unused-source /evidence/sources.toml",
            "evidence/unused-table /evidence/alpha/extra.toml",
            "evidence/unused-table /evidence/beta/leftover.toml",
            "evidence/unused-table /evidence/spare.toml",
        ]
    );
}

/// A fresh directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("factcheck-scopes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

/// Copy the fixture's claims and evidence (one level of scopes) into `dir`.
fn copy_fixture(dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(Path::new(FIXTURE), dir);
}

#[cfg(unix)]
#[test]
fn a_scope_directory_linked_outside_the_root_is_not_read() {
    use std::os::unix::fs::symlink;
    const SECRET: &str = "SECRET-scope-5d1e";
    let base = scratch("link");
    let root = base.join("repo");
    copy_fixture(&root);
    // Outside the root: a directory that looks like a scope.
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("team.toml"),
        format!("[table]\nname = \"{SECRET}\"\n"),
    )
    .unwrap();
    symlink(&outside, root.join("evidence/evil")).unwrap();
    // A directory whose name cannot be a scope's, and a hidden one: not
    // read (the first with a warning).
    for hidden in ["bad name", ".git"] {
        std::fs::create_dir_all(root.join("evidence").join(hidden)).unwrap();
        std::fs::write(
            root.join("evidence").join(hidden).join("t.toml"),
            "not toml [",
        )
        .unwrap();
    }
    // A link that stays inside the root is a scope like any other.
    symlink(root.join("evidence/alpha"), root.join("evidence/alias")).unwrap();
    let claims = root.join("claims/alpha.toml");
    let text = std::fs::read_to_string(&claims).unwrap();
    std::fs::write(
        root.join("claims/evil.toml"),
        text.replace("\"alpha\"", "\"evil\"")
            .replace("scopes-alpha", "scopes-evil")
            .replace("alpha-team-size", "evil-team-size"),
    )
    .unwrap();
    std::fs::write(
        root.join("claims/alias.toml"),
        text.replace("\"alpha\"", "\"alias\"")
            .replace("scopes-alpha", "scopes-alias")
            .replace("alpha-team-size", "alias-team-size"),
    )
    .unwrap();
    for evidence_written_inside in [true, false] {
        let ws = Workspace::from_dirs(Options {
            paths: vec![
                root.join("claims/evil.toml"),
                root.join("claims/alias.toml"),
            ],
            evidence: root.join("evidence"),
            root: Some(if evidence_written_inside {
                root.clone()
            } else {
                base.join("outside")
            }),
            ..Options::default()
        });
        let loaded = ws.load(&mut NoProgress);
        let all = format!("{:?}", loaded.diagnostics);
        assert!(!all.contains(SECRET), "{all}");
        let names: Vec<&str> = loaded
            .evidence
            .scopes
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["alias", "alpha", "beta"], "{all}");
        let outside_root: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == "io/outside-root")
            .collect();
        assert_eq!(outside_root.len(), 1, "{all}");
        assert!(outside_root[0]
            .path
            .as_deref()
            .unwrap()
            .ends_with("evidence/evil"));
        // The claim file naming it: an unknown scope, not a read.
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.code == "claim/unknown-scope"),
            "{all}"
        );
        assert!(!loaded
            .files
            .path(factcheck::diag::FileId(0))
            .contains("outside"));
        for i in 0.. {
            let Some(f) = loaded.files.get(factcheck::diag::FileId(i)) else {
                break;
            };
            assert!(!f.text.contains(SECRET), "{}", f.path);
        }
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// `verify` reads the top level and the scopes its claim files name, and
/// nothing else: a broken scope that no selected claim file names does not
/// stop the run, and none of its files is an input of the run. `check`
/// reads every scope and reports it. A misspelt scope name is still told
/// the names of the scopes not read.
#[test]
fn verify_reads_only_the_scopes_its_claim_files_name() {
    let root = scratch("lazy");
    copy_fixture(&root);
    std::fs::write(root.join("evidence/beta/team.toml"), "not toml [").unwrap();
    let ws = |claims: &[&str]| {
        Workspace::from_dirs(Options {
            paths: claims.iter().map(|c| root.join("claims").join(c)).collect(),
            evidence: root.join("evidence"),
            root: Some(root.clone()),
            ..Options::default()
        })
    };
    let run = verify(&ws(&["alpha.toml"]), &Selection::default(), &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let ids: Vec<&str> = run.report.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["alpha-team-size"]);
    assert!(
        run.inputs
            .iter()
            .all(|p| !p.starts_with(root.join("evidence/beta"))),
        "{:?}",
        run.inputs
    );
    assert!(run
        .inputs
        .iter()
        .any(|p| p.starts_with(root.join("evidence/alpha"))));
    // The broken scope is read, and reported, when a claim file names it…
    let failed = verify(&ws(&["beta.toml"]), &Selection::default(), &mut NoProgress)
        .expect_err("beta's evidence is broken");
    assert!(
        failed.diagnostics.iter().any(|d| d.code == "toml/syntax"),
        "{:?}",
        failed.diagnostics
    );
    // … and by check, whichever claim files are checked.
    let checked = check(&ws(&["alpha.toml"]), &Selection::default(), &mut NoProgress);
    assert!(checked.has_errors());
    assert!(checked.diagnostics.iter().any(|d| d.code == "toml/syntax"));
    // A scope not read is still known by its name.
    let text = std::fs::read_to_string(root.join("claims/alpha.toml")).unwrap();
    std::fs::write(
        root.join("claims/alpha.toml"),
        text.replace("\"alpha\"", "\"betta\""),
    )
    .unwrap();
    let failed = verify(&ws(&["alpha.toml"]), &Selection::default(), &mut NoProgress)
        .expect_err("no scope betta");
    let d = failed
        .diagnostics
        .iter()
        .find(|d| d.code == "claim/unknown-scope")
        .unwrap_or_else(|| panic!("{:?}", failed.diagnostics));
    assert!(format!("{d:?}").contains("did you mean `beta`?"), "{d:?}");
    let _ = std::fs::remove_dir_all(&root);
}

/// A claim file's scope is found wherever its `[article]` is: after its
/// claims, or after a multi-line string that holds a line like `[[claim]]`.
#[test]
fn the_scope_is_found_wherever_the_article_table_is() {
    let root = scratch("order");
    copy_fixture(&root);
    let text = std::fs::read_to_string(root.join("claims/alpha.toml")).unwrap();
    let at = text.find("[[claim]]").unwrap();
    let (article, claims) = text.split_at(at);
    let variants = [
        format!("{claims}\n{article}"),
        article.replace(
            "[article]\n",
            "[article]\nnote = \"\"\"a note\n[[claim]]\nis not a claim\"\"\"\n",
        ) + claims,
    ];
    for v in variants {
        std::fs::write(root.join("claims/alpha.toml"), &v).unwrap();
        let ws = Workspace::from_dirs(Options {
            paths: vec![root.join("claims/alpha.toml")],
            evidence: root.join("evidence"),
            root: Some(root.clone()),
            ..Options::default()
        });
        let run = verify(&ws, &Selection::default(), &mut NoProgress)
            .unwrap_or_else(|f| panic!("{:?}\n{v}", f.diagnostics));
        assert_eq!(run.report.claims.len(), 1, "{v}");
        assert!(
            run.inputs
                .iter()
                .any(|p| p.starts_with(root.join("evidence/alpha"))),
            "{v}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

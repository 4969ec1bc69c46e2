//! Help for editors and shells: the JSON Schemas of claim files, table files
//! and sources.toml (published in schemas/, equal to what `factcheck schema`
//! prints, and agreeing with the loaders on the shipped files and the
//! fixtures), shell completions and the manual page.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn factcheck() -> Command {
    Command::new(env!("CARGO_BIN_EXE_factcheck"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(args: &[&str]) -> String {
    let out = factcheck().args(args).output().unwrap();
    assert!(out.status.success(), "factcheck {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

const KINDS: [&str; 3] = ["claims", "table", "sources"];

fn validator(kind: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&stdout(&["schema", kind])).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// A TOML file as JSON (dates become strings), or None when it is not
/// UTF-8 TOML (the fixtures of unreadable files).
fn toml_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    serde_json::to_value(value).ok()
}

/// Which schema a TOML file answers to: sources.toml, a claim file (it has
/// an `[article]`) or a table file (it has a `[table]`).
fn kind_of(path: &Path, value: &Value) -> Option<&'static str> {
    if path.file_name().is_some_and(|n| n == "sources.toml") {
        Some("sources")
    } else if value.get("article").is_some() {
        Some("claims")
    } else if value.get("table").is_some() {
        Some("table")
    } else {
        None
    }
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            toml_files(&p, out);
        } else if meta.is_file() && p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// The schema's errors for each TOML file under `dirs`, by path relative
/// to the repository (files that are no TOML, or of no known kind, are
/// left out); and how many files were validated.
fn errors_under(dirs: &[&str]) -> (Vec<(String, Vec<String>)>, usize) {
    let validators: Vec<(&str, jsonschema::Validator)> =
        KINDS.iter().map(|k| (*k, validator(k))).collect();
    let mut files = Vec::new();
    for d in dirs {
        toml_files(&root().join(d), &mut files);
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in files {
        let Some(value) = toml_json(&path) else {
            continue;
        };
        let Some(kind) = kind_of(&path, &value) else {
            continue;
        };
        let Some((_, v)) = validators.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        checked += 1;
        let errors: Vec<String> = v
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            let rel = path.strip_prefix(root()).unwrap_or(&path);
            failures.push((rel.display().to_string(), errors));
        }
    }
    (failures, checked)
}

#[test]
fn published_schemas_are_what_the_command_prints() {
    for kind in KINDS {
        let path = root().join("schemas").join(format!("{kind}.schema.json"));
        let published = std::fs::read_to_string(&path).unwrap();
        assert!(
            published == stdout(&["schema", kind]),
            "{} is out of date: run `cargo run -- schema {kind} > schemas/{kind}.schema.json`",
            path.display()
        );
    }
}

#[test]
fn schema_without_argument_is_the_report_schema() {
    let plain = stdout(&["schema"]);
    assert_eq!(plain, stdout(&["schema", "report"]));
    let schema: Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(schema["title"], "factcheck JSON report");
    for kind in KINDS {
        let s: Value = serde_json::from_str(&stdout(&["schema", kind])).unwrap();
        assert_ne!(s["title"], schema["title"], "{kind}");
    }
}

#[test]
fn shipped_claim_and_evidence_files_validate() {
    let (failures, checked) = errors_under(&["claims", "evidence"]);
    assert!(failures.is_empty(), "{failures:#?}");
    // Every claim file and every table file, and sources.toml, at the
    // top level of evidence/ and in its scopes (subdirectories).
    let count = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .count()
    };
    let scopes: usize = std::fs::read_dir(root().join("evidence"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| count(&e.path()))
        .sum();
    assert!(scopes > 0, "the transformer example has its evidence scope");
    assert_eq!(
        checked,
        count(&root().join("claims")) + count(&root().join("evidence")) + scopes
    );
}

/// The fixtures the schemas reject, each for the mistake it was made for
/// (the loaders reject them too); every other fixture validates.
const REJECTED_FIXTURES: &[(&str, &str)] = &[
    (
        "tests/fixtures/cases/bad_hemisphere/claims.toml",
        "\"southern\" is not one of",
    ),
    (
        "tests/fixtures/cases/evidence_bad_pin/evidence/survey.toml",
        "\"not-a-hash\" does not match",
    ),
    (
        "tests/fixtures/cases/missing_key/claims.toml",
        "\"claim\" is a required property",
    ),
    (
        "tests/fixtures/cases/unknown_key/claims.toml",
        "'qoute' was unexpected",
    ),
    (
        "tests/fixtures/cases/wrong_type/claims.toml",
        "\"no\" is not of type \"boolean\"",
    ),
    (
        "tests/fixtures/invalid/bad.toml",
        "\"reason\" is a required property at /claim/6",
    ),
];

#[test]
fn fixtures_validate_except_those_made_wrong() {
    let (failures, checked) = errors_under(&["tests/fixtures"]);
    assert!(checked > 50, "only {checked} fixtures found");
    for (path, errors) in &failures {
        let expected = REJECTED_FIXTURES.iter().find(|(p, _)| p == path);
        match expected {
            Some((_, what)) => assert!(
                errors.iter().any(|e| e.contains(what)),
                "{path}: expected `{what}`, got {errors:#?}"
            ),
            None => panic!("{path} is valid but the schema rejects it: {errors:#?}"),
        }
    }
    for (path, _) in REJECTED_FIXTURES {
        assert!(
            failures.iter().any(|(p, _)| p == path),
            "{path} is accepted by the schema"
        );
    }
}

/// A claim file with one mistake (`key = value` lines added to a valid
/// claim), as JSON.
fn claim_file(article_extra: &str, claim_extra: &str) -> Value {
    let text = format!(
        "[article]\nid = \"a\"\ntitle = \"T\"\nlanguage = \"en\"\npublished = \"2025-05-26\"\n{article_extra}\n\
         [[claim]]\nid = \"c\"\nclaim = \"C\"\nmeasure = \"count(t)\"\nstates = \"about 3\"\n{claim_extra}\n"
    );
    serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
}

fn table_file(column_extra: &str) -> Value {
    let text = format!(
        "[table]\nname = \"t\"\nkey = \"id\"\nsources = [\"s\"]\n\n\
         [[column]]\nname = \"id\"\ntype = \"text\"\n\n[[column]]\nname = \"n\"\n{column_extra}\n\n\
         [[record]]\nid = \"x\"\nn = 3\n\n[[order]]\nearlier = 't[\"x\"].d'\nlater = 't[\"y\"].d'\ngap = \"at least 30 days\"\n"
    );
    serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
}

#[test]
fn claim_schema_flags_mistakes_as_typed() {
    let v = validator("claims");
    let valid = [
        claim_file("", ""),
        claim_file(
            "hemisphere = \"south\"\nurl = \"https://example.org/a\"",
            "rating = \"misleading\"\nrating_reason = \"r\"\nsaid_on = \"2025-05..2025-06\"",
        ),
        claim_file("", "as_of = \" unknown \"\nas_of_reason = \"r\""),
        claim_file("", "checkable = false\nreason = \"opinion\""),
    ];
    for (i, doc) in valid.iter().enumerate() {
        let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "valid #{i}: {errors:?}");
    }
    let invalid = [
        (
            claim_file("", "rating = \"false\"\nrating_reason = \"r\""),
            "\"false\" is not one of \"misleading\"",
        ),
        (claim_file("", "rating = \"misleading\""), "rating_reason"),
        (claim_file("", "rating_reason = \"r\""), "\"rating\""),
        (claim_file("", "checkable = false"), "\"reason\""),
        (claim_file("hemisphere = \"South\"", ""), "South"),
        (claim_file("url = \"example.org\"", ""), "example.org"),
        (claim_file("", "as_of = \"May 2025\""), "May 2025"),
        (claim_file("", "said_on = \"26/05/2025\""), "26/05/2025"),
        (claim_file("", "measur = \"x\""), "measur"),
        (claim_file("", "checkable = \"no\""), "boolean"),
    ];
    for (doc, what) in &invalid {
        let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(
            errors.iter().any(|e| e.contains(what)),
            "expected an error about {what}: {errors:?}"
        );
    }
}

#[test]
fn table_schema_flags_mistakes_as_typed() {
    let v = validator("table");
    for ok in [
        "type = \"integer\"",
        "type = \"quantity\"\nunit = \"years\"",
        "type = \"quantity\"\nunit = \"count\"",
    ] {
        let errors: Vec<String> = v
            .iter_errors(&table_file(ok))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{ok}: {errors:?}");
    }
    for (bad, what) in [
        ("type = \"int\"", "\"int\" is not one of"),
        ("type = \"quantity\"", "\"unit\" is a required property"),
        (
            "type = \"quantity\"\nunit = \"weeks\"",
            "\"weeks\" is not one of",
        ),
        ("type = \"text\"\nunits = \"x\"", "'units' was unexpected"),
    ] {
        let errors: Vec<String> = v
            .iter_errors(&table_file(bad))
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.iter().any(|e| e.contains(what)),
            "{bad}: expected {what}: {errors:?}"
        );
    }
}

#[test]
fn sources_schema_flags_mistakes_as_typed() {
    let v = validator("sources");
    let doc = |extra: &str| {
        let text = format!(
            "[[source]]\nid = \"s\"\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2025\"\n{extra}\n"
        );
        serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
    };
    assert!(v.is_valid(&doc("url = \"https://example.org\"")));
    assert!(!v.is_valid(&doc("url = \"ftp://example.org\"")));
    assert!(!v.is_valid(&doc("url = \"https://example.org\"\nauthor = \"A\"")));
}

/// The date pattern of the schemas accepts every date value the loaders
/// accept (it may accept more: `2025-13` is for `check` to reject).
#[test]
fn date_pattern_accepts_every_date_value() {
    let schema: Value = serde_json::from_str(&stdout(&["schema", "claims"])).unwrap();
    let pattern = schema["definitions"]["Article"]["properties"]["published"]["pattern"]
        .as_str()
        .unwrap();
    let re = regex::Regex::new(pattern).unwrap();
    let side = ["", "2023", "2023-06", "2023-06-07", " 2024-02-29 "];
    let mut accepted = 0;
    for a in side {
        for b in side {
            for text in [a.to_string(), format!("{a}..{b}"), format!("{a} .. {b}")] {
                if factcheck::date::parse_date_value(&text).is_ok() {
                    accepted += 1;
                    assert!(
                        re.is_match(&text),
                        "`{text}` loads but the pattern rejects it"
                    );
                }
            }
        }
    }
    for text in ["unknown", "Unknown", " UNKNOWN "] {
        assert!(factcheck::date::parse_date_value(text).is_ok());
        assert!(re.is_match(text), "{text}");
    }
    assert!(accepted > 40, "{accepted}");
    for text in ["May 2025", "2025/05", "25-05-2025", "2025-5", "today"] {
        assert!(factcheck::date::parse_date_value(text).is_err(), "{text}");
        assert!(!re.is_match(text), "{text}");
    }
}

#[test]
fn bash_completions_name_every_command() {
    let script = stdout(&["completions", "bash"]);
    let names = subcommands();
    assert!(names.len() >= 9, "{names:?}");
    for name in &names {
        assert!(
            script.contains(&format!("factcheck__{name}"))
                || script.contains(&format!("factcheck,{name}")),
            "{name} missing from the bash completions"
        );
    }
    // Words of the value enums too.
    for word in ["claimreview", "not-checkable", "sources"] {
        assert!(script.contains(word), "{word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let s = stdout(&["completions", shell]);
        assert!(s.contains("verify") && s.contains("timeline"), "{shell}");
    }
    let out = factcheck().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The subcommands, as `factcheck --help` lists them.
fn subcommands() -> Vec<String> {
    let help = stdout(&["--help"]);
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn man_page_names_every_command() {
    let page = stdout(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH factcheck 1"),
        "{page}"
    );
    assert!(page.contains(".TH factcheck 1"));
    for name in subcommands() {
        assert!(
            page.contains(&format!("factcheck\\-{name}(1)")),
            "{name} missing from the manual page"
        );
        let sub = stdout(&["man", &name]);
        assert!(
            sub.contains(&format!(".TH factcheck\\-{name} 1"))
                || sub.contains(&format!(".TH factcheck-{name} 1")),
            "{sub}"
        );
        assert!(sub.contains(env!("CARGO_PKG_VERSION")), "{sub}");
    }
    let verify = stdout(&["man", "verify"]);
    assert!(verify.contains("fail\\-on"), "{verify}");
    let out = factcheck().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cli/unknown-command"));
}

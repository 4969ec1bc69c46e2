//! Hostile input in every output (issue 9): user text never starts a
//! line, never emits a control sequence, never becomes markup, a link, a
//! script or a workflow command, in any format. Fixtures with snapshots
//! for the known attacks, then a property test that puts hostile strings
//! in every field of a claim file, a table and a sources file and checks
//! every format with a real parser (`harness::output`).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod harness;

use std::path::{Path, PathBuf};

use factcheck::engine::{verify, Failed, NoProgress, Options, Selection, Verified, Workspace};
use factcheck::render::{render, Format, RenderOptions};
use proptest::prelude::*;
use proptest::sample::select;

use harness::output::{check_invalid, check_report, markdown_shape, HOSTILE, URLS};

const FIXTURES: &str = "tests/fixtures/hostile";

fn run(paths: Vec<PathBuf>, evidence: &Path) -> Result<Verified, Failed> {
    run_in(paths, evidence, None)
}

/// A run whose files (the article text named by a claim file) must stay
/// inside `root`.
fn run_in(paths: Vec<PathBuf>, evidence: &Path, root: Option<&Path>) -> Result<Verified, Failed> {
    let ws = Workspace::from_dirs(Options {
        paths,
        evidence: evidence.to_path_buf(),
        article_text: None,
        root: root.map(Path::to_path_buf),
        ..Options::default()
    });
    verify(&ws, &Selection::default(), &mut NoProgress)
}

/// The verdicts of a run that must have no error.
fn verified(run: Result<Verified, Failed>) -> Verified {
    run.unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
}

fn hostile_fixture() -> Verified {
    verified(run(
        vec![PathBuf::from(FIXTURES).join("claims/hostile.toml")],
        &PathBuf::from(FIXTURES).join("evidence"),
    ))
}

fn plain(format: Format) -> String {
    let report = hostile_fixture().report;
    render(&report, format, &RenderOptions::default())
}

// ---- fixtures --------------------------------------------------------------------

#[test]
fn hostile_fixture_passes_every_output_check() {
    let out = hostile_fixture();
    check_report(&out.report);
}

#[test]
fn human_shows_escapes_and_no_fake_verdict() {
    let text = plain(Format::Human);
    // The quote cannot erase the REFUTED line or start a line of its own.
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("::")), "{text}");
    assert!(text.contains("\\u{1b}[2K\\r✔ SUPPORTED"), "{text}");
    insta::assert_snapshot!("hostile_human", text);
}

#[test]
fn human_colour_adds_only_styles() {
    let report = hostile_fixture().report;
    let opts = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    let colored = render(&report, Format::Human, &opts);
    assert_eq!(
        harness::output::strip_sgr(&colored),
        render(&report, Format::Human, &RenderOptions::default())
    );
}

#[test]
fn github_writes_only_its_own_commands() {
    let text = plain(Format::Github);
    // One warning or error per disagreeing claim, and the tally.
    assert_eq!(text.lines().count(), 3, "{text}");
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::notice title=factcheck::"),
            "{line}"
        );
    }
    insta::assert_snapshot!("hostile_github", text);
}

#[test]
fn markdown_has_no_html_and_no_unsafe_link() {
    let text = plain(Format::Markdown);
    let (shape, links) = markdown_shape(&text);
    assert!(!shape.iter().any(|s| s.starts_with("HTML")), "{shape:?}");
    // `javascript:` and the source URL with a line break are shown as text.
    assert!(links.is_empty(), "{links:?}");
    insta::assert_snapshot!("hostile_markdown", text);
}

#[test]
fn html_and_claimreview_snapshots() {
    insta::assert_snapshot!("hostile_html_claims", html_claims(&plain(Format::Html)));
    insta::assert_snapshot!("hostile_claimreview", plain(Format::Claimreview));
}

/// The claims part of the HTML page (the stylesheet is in the seed
/// snapshot already).
fn html_claims(html: &str) -> String {
    let start = html.find("<main>").expect("<main>");
    html[start..].to_string()
}

#[test]
fn junit_and_sarif_snapshots() {
    insta::assert_snapshot!("hostile_junit", plain(Format::Junit));
    let sarif = plain(Format::Sarif);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["tests/fixtures/hostile/claims/hostile.toml"; 3]);
}

#[test]
fn invalid_input_diagnostics_are_escaped_in_every_format() {
    let out = run(
        vec![
            PathBuf::from(FIXTURES).join("invalid/claims.toml"),
            PathBuf::from(FIXTURES).join("invalid/raw-control.toml"),
        ],
        Path::new("tests/fixtures/toy/evidence"),
    )
    .expect_err("errors");
    assert!(out.diagnostics.iter().any(|d| d.is_error()));
    check_invalid(&out.files, &out.diagnostics);
    let human = factcheck::diag::render_human(&out.files, &out.diagnostics, false);
    assert!(
        !human.contains(['\u{1b}', '\u{202e}', '\u{9b}', '\r']),
        "{human}"
    );
    insta::assert_snapshot!("hostile_diagnostics_human", human);
    let diags = factcheck::diag::to_json(&out.files, &out.diagnostics);
    let github = factcheck::render::render_invalid(&diags, Format::Github).unwrap();
    insta::assert_snapshot!("hostile_diagnostics_github", github);
}

/// A claim file whose name holds a line break and an HTML tag: the name
/// is shown as text in Markdown and HTML, and percent-encoded in SARIF.
#[test]
fn a_hostile_file_name_is_text_everywhere() {
    let scratch = harness::Scratch::new("hostile-name");
    let evidence = scratch.dir.join("evidence");
    for f in ["sources.toml", "staff.toml", "staff.csv"] {
        std::fs::copy(
            Path::new("tests/fixtures/toy/evidence").join(f),
            evidence.join(f),
        )
        .unwrap();
    }
    let name = scratch
        .dir
        .join("claims")
        .join("x\n<img src=x onerror=alert(1)>` ::error::y.toml");
    std::fs::write(&name, harness::TOY_CLAIMS).unwrap();
    let report = verified(run(vec![name], &evidence)).report;
    check_report(&report);
    let sarif = render(&report, Format::Sarif, &RenderOptions::default());
    assert!(
        sarif.contains("/claims/x%0A%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%60%20%3A%3Aerror%3A%3Ay.toml\""),
        "{sarif}"
    );
    let md = render(&report, Format::Markdown, &RenderOptions::default());
    let prefix = scratch.dir.display().to_string();
    let head: String = md.lines().take(4).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(
        "hostile_file_name_markdown_head",
        head.replace(&prefix, "<scratch>")
    );
}

// ---- property test -------------------------------------------------------------

/// A TOML basic string: `"`, `\` and the characters TOML does not allow raw
/// (C0 but tab, DEL) escaped; everything else (C1, bidi, U+FFFE) raw.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A CSV field, quoted.
fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Where the hostile strings go.
#[derive(Debug, Clone)]
struct Fields {
    /// Article id, title, language, quote, claim, note, rating reason,
    /// not-checkable reason and claim text, as_of_reason.
    text: Vec<String>,
    /// Article URL, source URL.
    urls: [String; 2],
    /// Source title and publisher.
    source: [String; 2],
    /// A record key (a name in the table).
    key: String,
    /// Claim file name.
    file_name: String,
    /// The article text around the quote (the quote is in it twice: two
    /// claims mark the same passage).
    article: [String; 2],
    /// How to make the input invalid, if at all: 0 valid, 1 an unknown
    /// source cited by a record, 2 an unknown name in a measure, 3 a raw
    /// control character in a claim file comment, 4 a hostile claim id
    /// used twice.
    broken: u8,
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => select(HOSTILE).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-z ]{0,6}",
        ],
        1..4,
    )
    .prop_map(|v| v.concat())
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(URLS).prop_map(String::from),
        3 => hostile().prop_map(|h| format!("https://example.org/{h}")),
        1 => hostile(),
    ]
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        prop::collection::vec(hostile(), 10),
        (url(), url()),
        (hostile(), hostile()),
        hostile(),
        hostile(),
        (hostile(), hostile()),
        prop_oneof![6 => Just(0u8), 1 => 1u8..5],
    )
        .prop_map(
            |(text, urls, source, key, file_name, article, broken)| Fields {
                text,
                urls: [urls.0, urls.1],
                source: [source.0, source.1],
                key,
                file_name,
                article: [article.0, article.1],
                broken,
            },
        )
}

fn write_case(dir: &Path, f: &Fields) -> PathBuf {
    let t = |i: usize| toml_str(&f.text[i]);
    let measure = if f.broken == 2 {
        toml_str(&format!("count({})", f.text[0]))
    } else {
        "\"count(staff)\"".to_string()
    };
    let comment = if f.broken == 3 {
        "# \u{1b}[2K\r\u{9b}raw\n"
    } else {
        ""
    };
    let dup_id = if f.broken == 4 {
        t(4)
    } else {
        "\"named\"".to_string()
    };
    let claims = format!(
        r#"{comment}[article]
id = {id}
title = {title}
url = {url}
language = {lang}
published = "2022-01-01"
text = "article.txt"

[[claim]]
id = {quote_id}
quote = {quote}
claim = {claim}
measure = {measure}
states = "4"
note = {note}
as_of = "2022"
as_of_reason = {as_of_reason}

[[claim]]
id = "refuted"
claim = {claim}
measure = "count(staff)"
states = "5"
rating = "misleading"
rating_reason = {rating_reason}

[[claim]]
id = "opinion"
quote = {quote}
claim = {opinion}
checkable = false
reason = {reason}

[[claim]]
id = {dup_id}
claim = "names"
measure = 'names(staff where "founder" in tags) == ["Ana", "Cai"]'
"#,
        id = t(0),
        title = t(1),
        url = toml_str(&f.urls[0]),
        lang = t(2),
        quote_id = t(4),
        quote = t(3),
        claim = t(5),
        note = t(6),
        rating_reason = t(7),
        reason = t(8),
        opinion = t(9),
        as_of_reason = t(6),
    );
    let sources = format!(
        "[[source]]\nid = \"roster\"\ntitle = {}\npublisher = {}\nurl = {}\ndate = \"2025-01\"\n",
        toml_str(&f.source[0]),
        toml_str(&f.source[1]),
        toml_str(&f.urls[1]),
    );
    let key = format!("k{}", f.key);
    let cites = if f.broken == 1 {
        csv_field(&f.key)
    } else {
        "roster".to_string()
    };
    let csv = format!(
        "name,team,start,end,tenure,score,tags,sources,note\n\
         Ana,x,2016,2023-06,about 7 years,5,lead;founder,roster,\n\
         Ben,x,2018-01..2019-06,unknown,unknown,3.5,,roster,\n\
         Cai,y,2020,2024-03-15,unknown,4,founder,roster,\n\
         {},y,2019-05-01,2025..,at least 5 years,2.25,,{cites},{}\n",
        csv_field(&key),
        csv_field(&f.text[6]),
    );
    std::fs::write(dir.join("evidence/sources.toml"), sources).unwrap();
    std::fs::write(dir.join("evidence/staff.toml"), harness::TOY_TABLE).unwrap();
    std::fs::write(dir.join("evidence/staff.csv"), csv).unwrap();
    // A file name: no `/` or NUL, not too long.
    let mut name: String = f
        .file_name
        .chars()
        .map(|c| if c == '/' || c == '\0' { '_' } else { c })
        .collect();
    while name.len() > 150 {
        name.pop();
    }
    // The article: hostile text, the quote, more hostile text across a
    // blank line.
    let article = format!(
        "{}\n{} {} {}\n\n{}\n",
        f.article[0], f.text[1], f.text[3], f.article[1], f.text[9]
    );
    std::fs::write(dir.join("claims/article.txt"), article).unwrap();
    let path = dir.join("claims").join(format!("{name}.toml"));
    std::fs::write(&path, claims).unwrap();
    path
}

/// `cases` cases, unless PROPTEST_CASES asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

proptest! {
    #![proptest_config(config(96))]

    /// Hostile strings in every field of a claim file, a table and a
    /// sources file: every output of the report, or of the diagnostics
    /// when the input is invalid, passes the checks of `harness::output`.
    #[test]
    fn hostile_fields_change_no_output_structure(f in fields()) {
        let scratch = harness::Scratch::new("hostile");
        let path = write_case(&scratch.dir, &f);
        match run_in(vec![path], &scratch.dir.join("evidence"), Some(&scratch.dir)) {
            Ok(out) => {
                check_report(&out.report);
                // Warnings.
                check_invalid(&out.files, &out.diagnostics);
            }
            // The errors of invalid input.
            Err(out) => check_invalid(&out.files, &out.diagnostics),
        }
    }

    /// Reports built directly from arbitrary strings (the fuzz target's
    /// entry point, on stable).
    #[test]
    fn arbitrary_report_strings(parts in prop::collection::vec(
        prop_oneof![hostile(), url(), any::<String>()], 0..12))
    {
        let mut bytes = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                bytes.push(0xff);
            }
            bytes.extend_from_slice(p.as_bytes());
        }
        harness::output::renderers(&bytes);
    }
}

/// The property test's input goes the whole way: with the fields of the
/// first hostile strings, the report is produced and checked (so the
/// property test cannot pass by always taking the invalid-input path).
#[test]
fn a_valid_hostile_case_yields_a_report() {
    let f = Fields {
        text: HOSTILE.iter().take(10).map(|s| s.to_string()).collect(),
        urls: [URLS[6].to_string(), URLS[9].to_string()],
        source: [HOSTILE[18].to_string(), HOSTILE[19].to_string()],
        key: HOSTILE[4].to_string(),
        file_name: HOSTILE[0].to_string(),
        article: [HOSTILE[20].to_string(), HOSTILE[21].to_string()],
        broken: 0,
    };
    let scratch = harness::Scratch::new("hostile-valid");
    let path = write_case(&scratch.dir, &f);
    let out = verified(run_in(
        vec![path],
        &scratch.dir.join("evidence"),
        Some(&scratch.dir),
    ));
    // The article text is in the report, and its quote is marked.
    let text = out.report.articles[0]
        .text
        .as_deref()
        .expect("article text");
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    let html = render(&out.report, Format::Html, &RenderOptions::default());
    assert!(html.contains("class=\"hl "), "{html}");
    assert!(!html.contains("<img"), "{html}");
    check_report(&out.report);
}

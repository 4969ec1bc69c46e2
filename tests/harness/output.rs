//! Output checks for hostile input, shared by `tests/hostile_output.rs`
//! and the cargo-fuzz target `renderers`. Each renders a report (or the
//! diagnostics of invalid input) in every format, parses each output with
//! a real parser and panics when user text changed its structure:
//!
//! - the report is rendered twice: as it is, and with every string replaced
//!   by a harmless placeholder ([`placeholders`]; equal strings stay equal,
//!   empty ones stay empty, URLs keep whether they are safe links). Both
//!   renderings must have the same shape: the same Markdown events
//!   (pulldown-cmark, every extension on), the same HTML tags and attribute
//!   names (html5gum), the same XML elements and attributes (roxmltree),
//!   the same number of lines (human, github);
//! - human and github output hold no control, bidi or invisible character
//!   ([`factcheck::render::text::is_hidden`]) but the line breaks, and no
//!   line the renderer did not write starts with `::` or `##`, even after
//!   its indentation (CI runners trim it);
//! - JSON parses back to the report; ClaimReview has no `<`, `>`, `&`,
//!   U+2028 or U+2029 and parses back to its strings; SARIF URIs are
//!   percent-encoded relative references that decode to the files;
//! - links and `href`s only go to the addresses [`safe_url`] accepted, and
//!   there are no images, raw HTML, comments or `src` attributes.

use std::collections::HashMap;

use factcheck::diag::{render_human, to_json, Diagnostic, DiagnosticJson, Files, Severity};
use factcheck::render::text::{is_hidden, safe_url, term};
use factcheck::render::{render, render_invalid, Format, RenderOptions};
use factcheck::verdict::{Report, Verdict};
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;

/// Strings that attack one output format or another.
pub const HOSTILE: &[&str] = &[
    "a\n::error file=x,line=1::pwned",
    "::add-mask::secret",
    " \u{3000}##[group]indented",
    "\r::add-mask::secret",
    "x\n##[group]fake",
    "\n::stop-commands::tok",
    "\u{1b}[1A\u{1b}[2K\r✔ SUPPORTED",
    "\u{1b}]0;title\u{7}",
    "\u{1b}]8;;https://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{9b}31m",
    "\u{7f}\u{85}\u{8}",
    "x\u{0}y",
    "\t",
    "\u{202e}evil\u{202c}",
    "\u{2066}x\u{2069}\u{200f}\u{61c}",
    "\u{2028}line\u{2029}",
    "\u{200b}\u{feff}\u{e0041}",
    "\u{fffe}\u{ffff}",
    "%0A::error::x",
    "%25%0D",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "</title></style><b>",
    "]]><x/>",
    "<!-- c -->",
    "<?xml x?>",
    "a & b &amp; &#x3c; &lt;",
    "\" onmouseover=\"alert(1)",
    "' onclick='x'",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![i](https://evil.example/i.png)",
    "<https://evil.example>",
    "https://evil.example www.evil.example a@evil.example",
    "*b* _i_ `c` ~~s~~ ~t~ ^u^",
    "| t | u |\n|---|---|",
    "# heading",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "    code",
    "> quote",
    "> [!NOTE]",
    "---",
    "===",
    "```",
    "$x$ $$y$$",
    "[^1] [[wiki]] [x]: https://evil.example",
    ": definition",
    "{#id .cls}",
    "\\",
    "@user #1",
];

/// URLs, hostile and not.
pub const URLS: &[&str] = &[
    "https://example.org/ok",
    "HTTPS://EXAMPLE.ORG/(ok)?a=1&b=2#f",
    "https://example.org/a%20b",
    "javascript:alert(1)",
    "JavaScript:alert(1)//https://",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/\n<img src=x>",
    "https://evil.example/a b",
    "https://evil.example/\t",
    "https://evil.example/)](javascript:alert(1))",
    "https://evil.example/[x](y)",
    "https://evil.example/<x>",
    "https://user@evil.example/",
    "https://evil.example/\u{202e}",
    "http://",
    "",
];

// ---- placeholders ----------------------------------------------------------

/// Replaces strings by placeholders, the same string by the same one.
#[derive(Default)]
struct Placeholders {
    text: HashMap<String, String>,
    urls: HashMap<String, String>,
}

impl Placeholders {
    fn text(&mut self, s: &str) -> String {
        if s.is_empty() {
            return String::new();
        }
        let n = self.text.len();
        self.text
            .entry(s.to_string())
            .or_insert_with(|| format!("x{n}"))
            .clone()
    }

    fn url(&mut self, s: &str) -> String {
        if s.is_empty() {
            return String::new();
        }
        let n = self.urls.len();
        let safe = safe_url(s).is_some();
        self.urls
            .entry(s.to_string())
            .or_insert_with(|| {
                if safe {
                    format!("https://example.org/{n}")
                } else {
                    format!("not-a-url-{n}")
                }
            })
            .clone()
    }

    fn opt(&mut self, s: &mut Option<String>) {
        if let Some(v) = s {
            *v = self.text(v);
        }
    }
}

/// Whether a string starts like a day, `YYYY-MM-DD`.
fn day_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b.iter().take(10).enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The report with every string replaced by a placeholder: what the
/// renderers make of it is the shape their output must keep whatever the
/// strings are.
pub fn placeholders(report: &Report) -> Report {
    let mut p = Placeholders::default();
    let mut r = report.clone();
    for a in &mut r.articles {
        a.id = p.text(&a.id);
        a.title = p.text(&a.title);
        a.url = p.url(&a.url);
        a.language = p.text(&a.language);
        // A day stays a day: the timeline strip marks the article's date
        // (and the evaluation date) where they fall, or not at all.
        if !day_like(&a.published) {
            a.published = p.text(&a.published);
        }
        a.claim_file = p.text(&a.claim_file);
        // Every character but whitespace becomes `x`: lines, columns and
        // paragraphs stay where they were, so the quotes mark the same
        // places.
        if let Some(t) = &mut a.text {
            *t = t
                .chars()
                .map(|c| if c.is_whitespace() { c } else { 'x' })
                .collect::<String>()
                .into();
        }
    }
    for c in &mut r.claims {
        c.id = p.text(&c.id);
        c.article = p.text(&c.article);
        c.location = p.text(&c.location);
        c.file = p.text(&c.file);
        p.opt(&mut c.quote);
        if let Some(a) = &mut c.quote_at {
            a.file = p.text(&a.file);
        }
        c.claim = p.text(&c.claim);
        c.explanation = p.text(&c.explanation);
        p.opt(&mut c.measure);
        p.opt(&mut c.states);
        if !day_like(&c.as_of) {
            c.as_of = p.text(&c.as_of);
        }
        p.opt(&mut c.as_of_reason);
        if let Some(v) = &mut c.computed {
            v.display = p.text(&v.display);
        }
        p.opt(&mut c.allowed);
        if let Some(rt) = &mut c.rating {
            rt.rating = p.text(&rt.rating);
            rt.reason = p.text(&rt.reason);
        }
        p.opt(&mut c.note);
        for w in &mut c.witnesses {
            let w = std::sync::Arc::make_mut(w);
            w.table = p.text(&w.table);
            w.key = p.text(&w.key);
            w.location = p.text(&w.location);
            for s in &mut w.sources {
                *s = p.text(s);
            }
        }
        for w in &mut c.witness_counts {
            w.table = p.text(&w.table);
        }
        for s in &mut c.sources {
            s.id = p.text(&s.id).into();
            s.title = p.text(&s.title).into();
            s.publisher = p.text(&s.publisher).into();
            s.url = p.url(&s.url).into();
            s.date = p.text(&s.date).into();
        }
        for d in &mut c.datasets {
            d.table = p.text(&d.table);
            d.file = p.text(&d.file);
            for v in [
                &mut d.title,
                &mut d.publisher,
                &mut d.version,
                &mut d.retrieved,
                &mut d.sha256,
            ]
            .into_iter()
            .flatten()
            {
                *v = p.text(v).into();
            }
            if let Some(u) = &mut d.url {
                *u = p.url(u).into();
            }
        }
    }
    r
}

// ---- checks of one output ----------------------------------------------------

/// No hidden character but line breaks, and no line starting like a
/// workflow command unless `commands` (the github format, whose lines are
/// checked by [`github_lines`]).
pub fn terminal_safe(out: &str, what: &str, commands: bool) {
    for (i, c) in out.char_indices() {
        assert!(
            c == '\n' || !is_hidden(c),
            "{what}: raw {c:?} at byte {i}:\n{out}"
        );
    }
    if !commands {
        // Runners trim leading whitespace before looking for a command.
        // `::: path` is annotate-snippets' header of a further snippet (a
        // command name cannot start with `:`).
        for line in out.lines() {
            let t = line.trim_start();
            let own = t.starts_with("::: ");
            assert!(
                own || (!t.starts_with("::") && !t.starts_with("##")),
                "{what}: a line starts like a workflow command: {line:?}"
            );
        }
    }
}

/// Remove the SGR sequences (`ESC [ … m`) the renderers write for colour.
pub fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        let Some(params) = after.strip_prefix('[') else {
            panic!(
                "an escape that is not SGR: {:?}",
                rest.get(i..).unwrap_or("")
            );
        };
        let end = params
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(params.len());
        assert!(
            params.get(end..).is_some_and(|t| t.starts_with('m')),
            "an escape that is not SGR: {:?}",
            rest.get(i..).unwrap_or("")
        );
        rest = params.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// GitHub's decoding of a workflow command's message.
fn gh_decode(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
}

/// Check every line is a well-formed workflow command; return the command
/// names and the decoded messages.
pub fn github_lines(out: &str) -> Vec<(String, String)> {
    terminal_safe(out, "github", true);
    let mut cmds = Vec::new();
    for line in out.lines() {
        let body = line
            .strip_prefix("::")
            .unwrap_or_else(|| panic!("github: not a command: {line:?}"));
        let (cmd, rest) = body
            .split_once(' ')
            .unwrap_or_else(|| panic!("github: no properties: {line:?}"));
        assert!(
            matches!(cmd, "error" | "warning" | "notice"),
            "github: unexpected command {cmd:?} in {line:?}"
        );
        let (props, data) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("github: no message: {line:?}"));
        for p in props.split(',') {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("github: bad property {p:?} in {line:?}"));
            assert!(
                matches!(k, "file" | "line" | "col" | "title"),
                "github: unexpected property {k:?} in {line:?}"
            );
            assert!(!v.contains([':', ',']), "github: {line:?}");
        }
        cmds.push((cmd.to_string(), gh_decode(data)));
    }
    cmds
}

fn md_options() -> Options {
    Options::all()
        - Options::ENABLE_SMART_PUNCTUATION
        - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        - Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        - Options::ENABLE_OLD_FOOTNOTES
}

/// The Markdown structure (every event but text, without its strings), and
/// the link destinations.
pub fn markdown_shape(md: &str) -> (Vec<String>, Vec<String>) {
    let mut shape = Vec::new();
    let mut links = Vec::new();
    for ev in Parser::new_ext(md, md_options()) {
        let s = match ev {
            Event::Text(_) => continue,
            Event::Start(tag) => match tag {
                Tag::Link { dest_url, .. } => {
                    links.push(dest_url.to_string());
                    "link".to_string()
                }
                Tag::Image { dest_url, .. } => format!("IMAGE {dest_url}"),
                Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                } => format!(
                    "{level:?} id={} classes={} attrs={}",
                    id.is_some(),
                    classes.len(),
                    attrs.len()
                ),
                Tag::CodeBlock(_) => "CODE BLOCK".into(),
                Tag::FootnoteDefinition(_) => "FOOTNOTE".into(),
                Tag::HtmlBlock => "HTML BLOCK".into(),
                other => format!("{other:?}"),
            },
            Event::End(end) => format!("end {end:?}"),
            Event::Code(_) => "code".into(),
            Event::Html(h) | Event::InlineHtml(h) => format!("HTML {h}"),
            Event::InlineMath(_) | Event::DisplayMath(_) => "MATH".into(),
            Event::FootnoteReference(_) => "FOOTNOTE REF".into(),
            other => format!("{other:?}"),
        };
        shape.push(s);
    }
    (shape, links)
}

/// The HTML structure: tags with their attribute names, comments, doctype,
/// parse errors; and every `href`.
pub fn html_shape(html: &str) -> (Vec<String>, Vec<String>) {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut shape = Vec::new();
    let mut hrefs = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter) {
        let Ok(token) = token;
        let s = match token {
            Token::String(_) => continue,
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).into_owned();
                let mut attrs = Vec::new();
                for (k, v) in &t.attributes {
                    let k = String::from_utf8_lossy(k).into_owned();
                    assert!(
                        !k.starts_with("on") && k != "src" && k != "style",
                        "html: attribute {k} in <{name}>"
                    );
                    if k == "href" {
                        hrefs.push(String::from_utf8_lossy(v).into_owned());
                    }
                    attrs.push(k);
                }
                format!("<{name} {}>", attrs.join(" "))
            }
            Token::EndTag(t) => format!("</{}>", String::from_utf8_lossy(&t.name)),
            Token::Comment(c) => format!("COMMENT {}", String::from_utf8_lossy(&c)),
            Token::Doctype(_) => "doctype".into(),
            Token::Error(e) => format!("ERROR {e:?}"),
        };
        shape.push(s);
    }
    (shape, hrefs)
}

/// The XML structure: elements with their depth and attribute names, as a
/// sorted list (JUnit orders suites by file name, which placeholders
/// change).
pub fn xml_shape(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("junit: not well-formed XML ({e}):\n{xml}"));
    let mut shape: Vec<String> = doc
        .descendants()
        .filter(|n| n.is_element() || n.is_pi() || n.is_comment())
        .map(|n| {
            if n.is_element() {
                let attrs: Vec<&str> = n.attributes().map(|a| a.name()).collect();
                let depth = n.ancestors().count();
                format!("{depth} <{} {}>", n.tag_name().name(), attrs.join(" "))
            } else {
                "PI OR COMMENT".to_string()
            }
        })
        .collect();
    shape.sort();
    shape
}

/// A SARIF artifact URI: only unreserved characters, `/` and `%XX`; it
/// decodes (UTF-8) to the path with `\` as `/`.
pub fn decode_uri(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = uri
                .get(i + 1..i + 3)
                .unwrap_or_else(|| panic!("sarif: bad escape in {uri:?}"));
            out.push(
                u8::from_str_radix(hex, 16)
                    .unwrap_or_else(|_| panic!("sarif: bad escape in {uri:?}")),
            );
            i += 3;
        } else {
            assert!(
                b.is_ascii_alphanumeric() || b"-._~/".contains(&b),
                "sarif: {:?} unencoded in {uri:?}",
                char::from(b)
            );
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("sarif: not UTF-8: {uri:?}"))
}

fn sarif_uris(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "artifactLocation" {
                    if let Some(u) = x.get("uri").and_then(Value::as_str) {
                        out.push(u.to_string());
                    }
                }
                sarif_uris(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| sarif_uris(x, out)),
        _ => {}
    }
}

fn check_sarif(out: &str, paths: &[String]) -> Value {
    let v: Value = serde_json::from_str(out).expect("sarif: JSON");
    let mut uris = Vec::new();
    sarif_uris(&v, &mut uris);
    for u in uris {
        let path = decode_uri(&u);
        assert!(
            paths.iter().any(|p| p.replace('\\', "/") == path),
            "sarif: uri {u:?} is none of the files {paths:?}"
        );
    }
    v
}

// ---- whole checks ----------------------------------------------------------------

/// Every address the report may link to.
fn allowed_links(r: &Report) -> Vec<String> {
    let urls = r
        .articles
        .iter()
        .map(|a| a.url.as_str())
        .chain(r.claims.iter().flat_map(|c| {
            c.sources
                .iter()
                .map(|s| &*s.url)
                .chain(c.datasets.iter().filter_map(|d| d.url.as_deref()))
        }));
    urls.filter_map(safe_url).collect()
}

/// A link within the page that the renderer numbers itself: from a
/// highlight to its card (`#card-3`) and back (`#mark-3`).
fn in_page(href: &str) -> bool {
    ["#card-", "#mark-"].iter().any(|p| {
        href.strip_prefix(p)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Render a report in every format and check each output (see the module
/// documentation).
pub fn check_report(report: &Report) {
    let clean = placeholders(report);
    let allowed = allowed_links(report);
    for fail_on in [vec![Verdict::Refuted], Verdict::ALL.to_vec()] {
        let plain = RenderOptions {
            color: false,
            fail_on: fail_on.clone(),
        };
        let colored = RenderOptions {
            color: true,
            fail_on,
        };
        let out = |r: &Report, f: Format| render(r, f, &plain);

        // human
        let human = out(report, Format::Human);
        terminal_safe(&human, "human", false);
        assert_eq!(
            human.lines().count(),
            out(&clean, Format::Human).lines().count(),
            "human: user text changed the number of lines:\n{human}"
        );
        assert_eq!(
            strip_sgr(&render(report, Format::Human, &colored)),
            human,
            "human: colour adds more than styling"
        );

        // github
        let gh = github_lines(&out(report, Format::Github));
        let gh_clean = github_lines(&out(&clean, Format::Github));
        let names = |v: &[(String, String)]| v.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&gh), names(&gh_clean), "github: commands differ");
        for (_, msg) in &gh {
            assert!(
                !msg.contains(['\n', '\r']),
                "github: a message breaks a line: {msg:?}"
            );
        }

        // markdown
        let md = out(report, Format::Markdown);
        let (shape, links) = markdown_shape(&md);
        let (clean_shape, _) = markdown_shape(&out(&clean, Format::Markdown));
        assert_eq!(shape, clean_shape, "markdown: structure changed:\n{md}");
        for l in links {
            assert!(allowed.contains(&l), "markdown: link to {l:?}:\n{md}");
        }

        // html
        let html = out(report, Format::Html);
        let (shape, hrefs) = html_shape(&html);
        let (clean_shape, _) = html_shape(&out(&clean, Format::Html));
        assert_eq!(shape, clean_shape, "html: structure changed:\n{html}");
        for h in hrefs {
            assert!(allowed.contains(&h) || in_page(&h), "html: href {h:?}");
        }

        // junit
        let junit = out(report, Format::Junit);
        assert_eq!(
            xml_shape(&junit),
            xml_shape(&out(&clean, Format::Junit)),
            "junit: structure changed:\n{junit}"
        );
        let doc = roxmltree::Document::parse(&junit).expect("junit parses");
        let mut names: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .filter_map(|n| n.attribute("name").map(String::from))
            .collect();
        let mut ids: Vec<String> = report.claims.iter().map(|c| term(&c.id)).collect();
        names.sort();
        ids.sort();
        assert_eq!(names, ids, "junit: test case names do not read back");

        // sarif
        let mut paths: Vec<String> = report.claims.iter().map(|c| c.file.clone()).collect();
        paths.extend(
            report
                .claims
                .iter()
                .filter_map(|c| c.quote_at.as_ref().map(|a| a.file.clone())),
        );
        paths.extend(
            report
                .claims
                .iter()
                .filter_map(|c| c.problem.as_ref().and_then(|p| p.file.clone())),
        );
        let sarif = check_sarif(&out(report, Format::Sarif), &paths);
        let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
        assert_eq!(results, report.claims.len(), "sarif: results");
    }

    // json: parses back to the report
    let json: Value =
        serde_json::from_str(&render(report, Format::Json, &RenderOptions::default()))
            .expect("json: parses");
    assert_eq!(
        json,
        serde_json::to_value(report).expect("report as JSON"),
        "json: does not read back"
    );

    // claimreview: safe in <script>, parses back
    let cr = render(report, Format::Claimreview, &RenderOptions::default());
    assert!(
        !cr.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
        "claimreview: raw markup characters:\n{cr}"
    );
    let v: Value = serde_json::from_str(&cr).expect("claimreview: parses");
    let reviewed: Vec<&str> = v["@graph"]
        .as_array()
        .expect("@graph")
        .iter()
        .filter_map(|r| r["claimReviewed"].as_str())
        .collect();
    let expected: Vec<&str> = report
        .claims
        .iter()
        .filter(|c| !matches!(c.verdict, Verdict::NotCheckable | Verdict::Error))
        .map(|c| c.claim.as_str())
        .collect();
    assert_eq!(reviewed, expected, "claimreview: claims do not read back");
    // Claims that could not be judged are not reviewed, but named.
    let not_judged: Vec<&str> = v["notJudged"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["claimReviewed"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<&str> = report
        .claims
        .iter()
        .filter(|c| c.verdict == Verdict::Error)
        .map(|c| c.claim.as_str())
        .collect();
    assert_eq!(
        not_judged, expected,
        "claimreview: unjudged claims do not read back"
    );
}

/// Render the diagnostics of invalid input in every format and check each.
pub fn check_invalid(files: &Files, diags: &[Diagnostic]) {
    let human = render_human(files, diags, false);
    terminal_safe(&human, "diagnostics (human)", false);
    let colored = strip_sgr(&render_human(files, diags, true));
    terminal_safe(&colored, "diagnostics (human, colour)", false);
    let json_diags: Vec<DiagnosticJson> = to_json(files, diags);
    check_diagnostics_json(&json_diags);
}

/// Check the machine formats of diagnostics.
pub fn check_diagnostics_json(diags: &[DiagnosticJson]) {
    let render = |f: Format| render_invalid(diags, f).expect("a machine format");
    let json: Value = serde_json::from_str(&render(Format::Json)).expect("json: parses");
    assert_eq!(
        json["diagnostics"],
        serde_json::to_value(diags).expect("diagnostics as JSON"),
        "json: diagnostics do not read back"
    );

    let junit = render(Format::Junit);
    xml_shape(&junit);
    let doc = roxmltree::Document::parse(&junit).expect("junit parses");
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    // Warnings too: none is dropped.
    assert_eq!(cases, diags.len(), "junit: one test case per diagnostic");
    let erroring = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .count();
    assert_eq!(erroring, errors, "junit: one error per error");

    let mut paths: Vec<String> = diags.iter().filter_map(|d| d.file.clone()).collect();
    paths.extend(
        diags
            .iter()
            .flat_map(|d| d.related.iter().map(|r| r.file.clone())),
    );
    let sarif = check_sarif(&render(Format::Sarif), &paths);
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results, diags.len(), "sarif: results");

    let gh = github_lines(&render(Format::Github));
    assert_eq!(gh.len(), diags.len(), "github: one command per diagnostic");
    for (_, msg) in &gh {
        // The renderer's own line break before the help, and no other.
        let breaks = msg.matches('\n').count();
        assert!(
            breaks <= 1 && !msg.contains('\r'),
            "github: a message breaks a line: {msg:?}"
        );
    }
}

// ---- the `renderers` fuzz target ---------------------------------------------------

/// A report built directly from `parts` (strings taken in turn, cycling;
/// all empty when there are none): one article, a claim of every verdict
/// with every optional field, witnesses and sources.
pub fn report_from_parts(parts: &[String]) -> Report {
    use factcheck::anchor::QuoteAnchor;
    use factcheck::interval::Interval;
    use factcheck::num::Rational;
    use factcheck::verdict::{
        ArticleRef, ClaimVerdict, Computed, Figures, InferenceRef, Problem, Rating, Reading,
        SourceRef, Summary, TimelineSpan, Witness, WitnessCount,
    };
    let mut next = {
        let mut i = 0usize;
        move || {
            let s = parts
                .get(i % parts.len().max(1))
                .cloned()
                .unwrap_or_default();
            i += 1;
            s
        }
    };
    let article = ArticleRef {
        id: next(),
        title: next(),
        url: next(),
        language: next(),
        published: next(),
        claim_file: next(),
        text: Some(next().into()),
    };
    let mut claims = Vec::new();
    // Every verdict, and a claim that could not be judged (with a problem).
    for (n, verdict) in Verdict::ALL
        .iter()
        .chain([Verdict::Error].iter())
        .enumerate()
    {
        let file = next();
        let table = next();
        let sources = (0..=n % 3)
            .map(|k| SourceRef {
                id: next().into(),
                title: next().into(),
                publisher: next().into(),
                url: next().into(),
                date: next().into(),
                kind: None,
                cited_by: k + 1,
            })
            .collect();
        claims.push(ClaimVerdict {
            id: next(),
            article: if n == 4 { next() } else { article.id.clone() },
            location: next(),
            file: file.clone(),
            line: n + 1,
            quote: Some(next()),
            // Overlapping places on the first line (past its end when
            // the text is short: then the claim is listed only).
            quote_at: Some(QuoteAnchor {
                file: next(),
                line: 1,
                column: 1 + n % 3,
                end_line: 1,
                end_column: 2 + n,
            }),
            claim: next(),
            verdict: *verdict,
            explanation: next(),
            measure: Some(next()),
            states: Some(next()),
            as_of: next(),
            as_of_reason: Some(next()),
            said_on: Some(next()),
            computed: Some(Computed {
                display: next(),
                kind: "text",
                // A number for every other claim, drawn on a number line.
                interval: (n % 2 == 0)
                    .then(|| Interval::point(Rational::from_int(i128::try_from(n).unwrap_or(0)))),
                unit: None,
                exact: true,
            }),
            allowed: Some(next()),
            changes: Some(factcheck::verdict::LaterChange {
                from: next(),
                verdict: Verdict::Refuted,
                computed: Some(next()),
            }),
            rating: Some(Rating {
                rating: next(),
                reason: next(),
            }),
            note: Some(next()),
            witnesses: (0..2)
                .map(|_| {
                    std::sync::Arc::new(Witness {
                        table: table.clone(),
                        key: next(),
                        sources: vec![next()],
                        location: next(),
                    })
                })
                .collect(),
            witness_counts: vec![WitnessCount {
                table,
                records: 2 + n * 4,
            }],
            sources,
            // A dataset every other claim, each field hostile.
            datasets: (0..n % 2)
                .map(|_| factcheck::verdict::DatasetRef {
                    table: next(),
                    file: next(),
                    title: Some(next().into()),
                    publisher: Some(next().into()),
                    url: Some(next().into()),
                    version: Some(next().into()),
                    retrieved: Some(next().into()),
                    sha256: Some(next().into()),
                    records: n,
                })
                .collect(),
            figures: Figures {
                allowed: Interval::closed(Rational::from_int(1), Rational::from_int(3)),
                lenient: (n % 4 == 0)
                    .then(|| Interval::closed(Rational::from_int(0), Rational::from_int(4)))
                    .flatten(),
                // Runs of days whose ends are arbitrary strings.
                timeline: vec![
                    TimelineSpan {
                        from: None,
                        to: Some(next()),
                        verdict: *verdict,
                    },
                    TimelineSpan {
                        from: Some(next()),
                        to: None,
                        verdict: Verdict::Refuted,
                    },
                ],
            },
            problem: (*verdict == Verdict::Error).then(|| Problem {
                code: next(),
                message: next(),
                file: Some(next()),
                line: Some(n + 1),
                column: Some(2),
                help: Some(next()),
            }),
            readings: vec![Reading {
                values: vec![next(), next()],
                verdict: Verdict::Refuted,
                computed: Some(next()),
            }],
            rests_on: vec![InferenceRef {
                cell: next(),
                value: next(),
                sourced: next(),
                rule: next(),
            }],
            without_inferences: Some(Verdict::Undetermined),
        });
    }
    let summary = Summary::of(&claims);
    Report {
        articles: vec![article],
        claims,
        summary,
    }
}

/// Diagnostics over a source text made of `parts` (one per line), with
/// labels at offsets taken from the parts' lengths, messages, help and
/// paths from the parts.
pub fn diagnostics_from_parts(parts: &[String]) -> (Files, Vec<Diagnostic>) {
    let mut files = Files::default();
    let text = parts.join("\n");
    let a = files.add(parts.first().cloned().unwrap_or_default(), text.clone());
    let b = files.add(
        parts.get(1).cloned().unwrap_or_default(),
        parts.iter().rev().cloned().collect::<Vec<_>>().join("\r\n"),
    );
    let get = |i: usize| {
        parts
            .get(i % parts.len().max(1))
            .cloned()
            .unwrap_or_default()
    };
    let len = text.len().max(1);
    let mut diags = Vec::new();
    for (i, p) in parts.iter().enumerate().take(8) {
        let start = (p.len() * 7 + i * 13) % (len + 2);
        let end = start + get(i + 1).len() % 40;
        let mut d = if i % 3 == 2 {
            Diagnostic::warning("fuzz/warning", get(i + 2))
        } else {
            Diagnostic::error("fuzz/error", get(i + 2))
        };
        match i % 4 {
            0 => d = d.in_path(get(i + 3)),
            1 => d = d.at(a, start..end, get(i + 3)),
            2 => {
                d = d
                    .at(a, start..end, get(i + 3))
                    .also(a, end / 2..end, get(i + 4))
                    .also(b, start..start + 3, get(i + 5));
            }
            _ => d = d.at(b, start..end, get(i + 3)).also(a, 0..1, get(i + 4)),
        }
        if i % 2 == 0 {
            d = d.help(get(i + 5));
        }
        diags.push(d);
    }
    (files, diags)
}

/// Split fuzz input at byte 0xFF into strings (each lossily decoded).
pub fn split_parts(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xff)
        .take(64)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

/// The `renderers` target: a report and diagnostics made of the input's
/// strings, through every renderer and every check above.
pub fn renderers(data: &[u8]) {
    let parts = split_parts(data);
    check_report(&report_from_parts(&parts));
    let (files, diags) = diagnostics_from_parts(&parts);
    check_invalid(&files, &diags);
}

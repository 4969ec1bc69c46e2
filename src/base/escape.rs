//! Escaping, one helper per output context. Every renderer (and the human
//! diagnostics of [`crate::diag`]) goes through these; none escapes on its
//! own.
//!
//! | context | helper |
//! |---|---|
//! | terminal and CI-log text (human, github, explain, audit, diagnostics) | [`term`] |
//! | GitHub workflow command message / property | [`gh_data`] / [`gh_prop`] |
//! | Markdown inline text / code span / link destination | [`md_text`] / [`md_code`] / [`md_url`] |
//! | HTML text and quoted attribute values | [`html`] |
//! | XML text / quoted attribute values (JUnit) | [`xml_text`] / [`xml_attr`] |
//! | JSON that may be pasted into `<script>` (ClaimReview) | [`script_json`] |
//! | SARIF `artifactLocation.uri` (a relative URI reference) | [`uri_path`] |
//! | a source's address as a link (Markdown, HTML) | [`safe_url`] |
//!
//! **Visible escapes.** Characters a terminal, a CI log or a reader cannot
//! be trusted to show as themselves ([`is_hidden`]: C0 controls including
//! tab, CR and LF, DEL, C1 controls, bidirectional controls, invisible
//! format characters, the line and paragraph separators, the
//! noncharacters (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every plane) and
//! the tag characters) are written the way Rust's `char::escape_debug`
//! writes them: `\t`, `\r`, `\n`, and `\u{1b}` (lower-case hex code point)
//! for the others. So no user text can start an output line, move the
//! cursor, erase a line, change colours, set a window title, ring the bell
//! or reorder what is shown. A backslash is left as it is: the escapes are
//! for reading, not for decoding.

use std::fmt::Write;

/// Whether `c` is shown as a visible escape instead of itself.
pub fn is_hidden(c: char) -> bool {
    // Printable ASCII and the Latin, Greek, Cyrillic, Armenian and Hebrew
    // letters before U+061C are never hidden (the common case).
    if matches!(c, ' '..='~' | '\u{a0}'..='\u{61b}') {
        return false;
    }
    // Noncharacters: U+FDD0..U+FDEF and the last two code points of every
    // plane (an HTML parser reports each as an error).
    let nonchar = matches!(c, '\u{fdd0}'..='\u{fdef}') || u32::from(c) & 0xfffe == 0xfffe;
    nonchar
        || matches!(c,
        // C0 (with tab, LF, CR), DEL, C1 (with NEL U+0085 and CSI U+009B).
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidirectional controls.
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Invisible characters: zero-width space, word joiner and invisible
        // operators, deprecated format characters, Mongolian vowel
        // separator, byte order mark.
        | '\u{200b}' | '\u{2060}'..='\u{2065}' | '\u{206a}'..='\u{206f}' | '\u{180e}' | '\u{feff}'
        // Line and paragraph separators (line breaks to some viewers and
        // to old JavaScript).
        | '\u{2028}' | '\u{2029}'
        // Interlinear annotation controls.
        | '\u{fff9}'..='\u{fffb}'
        // Tag characters (invisible ASCII look-alikes).
        | '\u{e0000}'..='\u{e007f}')
}

/// Write the visible escape of a hidden character.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// The first [`is_hidden`] character of `s`, with its byte offset.
/// Printable ASCII bytes (most text) are skipped without decoding.
fn first_hidden(s: &str) -> Option<(usize, char)> {
    let mut at = 0;
    while let Some(rest) = s.get(at..) {
        let printable = rest
            .bytes()
            .take_while(|b| (0x20..0x7f).contains(b))
            .count();
        at += printable;
        let c = s.get(at..)?.chars().next()?;
        if is_hidden(c) {
            return Some((at, c));
        }
        at += c.len_utf8();
    }
    None
}

/// Every [`is_hidden`] character of `s` as a visible escape.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Runs of characters shown as themselves are copied whole.
    while let Some((at, c)) = first_hidden(rest) {
        out.push_str(rest.get(..at).unwrap_or(""));
        push_escape(&mut out, c);
        rest = rest.get(at + c.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Text for a terminal or a CI log: every [`is_hidden`] character as a
/// visible escape. The result has no control character and no line break,
/// so it can never start a line or emit a control sequence. Nor can it
/// pass for a workflow command when a renderer puts it first on a line
/// (after indentation, which CI runners trim): a leading `::` or `##`
/// (after any whitespace) has its first character escaped (`\u{3a}:`,
/// `\u{23}#`).
pub fn term(s: &str) -> String {
    let out = visible(s);
    let rest = out.trim_start();
    if rest.starts_with("::") || rest.starts_with("##") {
        let at = out.len() - rest.len();
        let mut guarded = String::with_capacity(out.len() + 6);
        guarded.push_str(out.get(..at).unwrap_or(""));
        let mut chars = rest.chars();
        if let Some(first) = chars.next() {
            let _ = write!(guarded, "\\u{{{:x}}}", u32::from(first));
        }
        guarded.push_str(chars.as_str());
        return guarded;
    }
    out
}

/// A source text prepared for a terminal, with a map from byte offsets in
/// the original to byte offsets in the escaped text (for carets).
#[derive(Debug, Clone)]
pub struct Escaped {
    /// The escaped text.
    pub text: String,
    /// (original offset of an escaped character, bytes added before its end).
    grown: Vec<(usize, usize)>,
}

impl Escaped {
    /// Escape the lines of `src` for a terminal: every [`is_hidden`]
    /// character becomes visible, except the line breaks (`\n`, `\r\n`)
    /// and tabs (indentation; expanded by the snippet renderer).
    pub fn lines(src: &str) -> Escaped {
        let mut text = String::with_capacity(src.len());
        let mut grown = Vec::new();
        let mut chars = src.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let keep = match c {
                '\n' | '\t' => true,
                '\r' => chars.peek().is_some_and(|(_, n)| *n == '\n'),
                c => !is_hidden(c),
            };
            if keep {
                text.push(c);
            } else {
                let before = text.len();
                push_escape(&mut text, c);
                let added = (text.len() - before).saturating_sub(c.len_utf8());
                let total = grown.last().map_or(0, |(_, t)| *t) + added;
                grown.push((i, total));
            }
        }
        Escaped { text, grown }
    }

    /// The offset in the escaped text of `offset` in the original (a
    /// character boundary there).
    pub fn map(&self, offset: usize) -> usize {
        // Bytes added by the escaped characters that start before `offset`.
        let n = self.grown.partition_point(|(at, _)| *at < offset);
        let added = n
            .checked_sub(1)
            .and_then(|i| self.grown.get(i))
            .map_or(0, |(_, t)| *t);
        offset + added
    }
}

/// The message part of a GitHub workflow command (`::error …::message`),
/// escaped by GitHub's rules (`%`, CR, LF). User text goes through [`term`]
/// first, so the only line breaks left are the renderer's own.
pub fn gh_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value of a GitHub workflow command (`file=`, `title=`): made
/// visible with [`term`], then escaped by GitHub's rules for properties
/// (`%`, CR, LF, `:`, `,`).
pub fn gh_prop(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in term(s).chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// ASCII characters escaped with a backslash wherever they are in
/// Markdown text: the inline syntax of CommonMark and GitHub (emphasis,
/// code, links and images, raw HTML and autolinks, entities, tables,
/// strikethrough, superscript, math, mentions and e-mail autolinks,
/// heading attributes).
const MD_ALWAYS: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '&', '!', '$', '@', '^', '{', '}',
];

/// Text for Markdown (inline, and safe at the start of a line): made
/// [`visible`] (so it has no line break, tab or CR), then every
/// character CommonMark or GitHub could read as syntax escaped. Whitespace
/// at either end is a character reference (`&#x20;`: no indented code, and
/// `*…*` around the text stays emphasis). At the start `-`, `+`, `=` and
/// `:` are escaped (no list, heading underline or definition) and so is a `.` or `)`
/// after leading digits that ends the text or comes before a space (no
/// numbered list); `www.` and `://` lose their
/// autolinks (GitHub links bare addresses).
pub fn md_text(s: &str) -> String {
    let visible = visible(s);
    let mut out = String::with_capacity(visible.len() + 8);
    let mut leading_digits = true;
    let mut prev: [char; 3] = [' '; 3];
    let mut chars = visible.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let at_start = i == 0;
        let scheme = c == ':' && chars.peek().is_some_and(|(_, n)| *n == '/');
        let www = c == '.' && prev.iter().all(|p| p.eq_ignore_ascii_case(&'w'));
        let numbered = leading_digits
            && i > 0
            && matches!(c, '.' | ')')
            && chars.peek().is_none_or(|(_, n)| *n == ' ');
        let at_end = chars.peek().is_none();
        if (at_start || at_end) && c.is_whitespace() {
            let _ = write!(out, "&#x{:X};", u32::from(c));
        } else {
            if MD_ALWAYS.contains(&c)
                || (at_start && matches!(c, '-' | '+' | '=' | ':'))
                || numbered
                || www
                || scheme
            {
                out.push('\\');
            }
            out.push(c);
        }
        leading_digits = leading_digits && c.is_ascii_digit();
        prev = [prev[1], prev[2], c];
    }
    out
}

/// A Markdown code span showing `s` literally (made [`visible`]):
/// fenced with more backticks than any run inside, padded when it starts
/// or ends with a backtick or a space.
pub fn md_code(s: &str) -> String {
    let visible = visible(s);
    let mut longest = 0;
    let mut run = 0;
    for c in visible.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad =
        visible.is_empty() || visible.starts_with(['`', ' ']) || visible.ends_with(['`', ' ']);
    if pad {
        format!("{fence} {visible} {fence}")
    } else {
        format!("{fence}{visible}{fence}")
    }
}

/// A Markdown link destination in angle brackets, for a URL that passed
/// [`safe_url`]: only `&` needs escaping there (no entity is decoded).
pub fn md_url(safe: &str) -> String {
    format!("<{}>", safe.replace('&', "\\&"))
}

/// Text for HTML, in element content or a double- or single-quoted
/// attribute value: made [`visible`], then `&`, `<`, `>`, `"` and
/// `'` as character references.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document at all.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn xml_escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser turns a raw CR into LF, and raw whitespace in an
            // attribute into spaces: references keep them.
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            c if !xml_allowed(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// XML element content: markup characters as references, CR as `&#13;`,
/// characters XML 1.0 does not allow (C0 but tab, LF and CR; U+FFFE,
/// U+FFFF) as visible escapes. Renderers pass user fields through [`term`]
/// first, so the line breaks left are their own.
pub fn xml_text(s: &str) -> String {
    xml_escape(s, false)
}

/// An XML attribute value in double or single quotes: as [`xml_text`],
/// and tab and LF as references too (a parser would make them spaces).
pub fn xml_attr(s: &str) -> String {
    xml_escape(s, true)
}

/// JSON text that can be pasted into `<script type="application/ld+json">`:
/// `<`, `>` and `&` (which can only occur inside JSON strings) as `\u003c`,
/// `\u003e`, `\u0026`, so no `</script>` or `<!--` closes the element, and
/// U+2028/U+2029 as `\u2028`/`\u2029` for old JavaScript parsers. The JSON
/// value is unchanged.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A file path as a relative URI reference (RFC 3986): `\` as `/`, every
/// byte but the unreserved characters and `/` percent-encoded (so `:` can
/// never read as a scheme, and `%`, `?`, `#` and spaces stay in the path).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'\\' => out.push('/'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A source's address as a link target, or `None` (then it is shown as
/// text). Only absolute `http` and `https` URLs with a host qualify: no
/// user information (`user@`), an optional numeric port, no whitespace, no
/// [`is_hidden`] character, no `<` or `>`, balanced `()` and `[]`, and `%`
/// only before two hex digits. Characters not allowed in a URI (`"`, `'`,
/// `` ` ``, `\`, `^`, `{`, `}`, `|`, `[`, `]` and non-ASCII) are
/// percent-encoded.
pub fn safe_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = (rest.get(..end)?, rest.get(end..)?);
    let (host, port) = if authority.starts_with('[') {
        let (h, after) = authority.split_at_checked(authority.find(']')? + 1)?;
        match after {
            "" => (h, None),
            a => (h, Some(a.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let host_ok = if let Some(ip) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !ip.is_empty()
            && ip
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'))
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '.')
                    || (!c.is_ascii() && c.is_alphanumeric())
            })
    };
    if !host_ok {
        return None;
    }
    let (mut parens, mut brackets) = (0i64, 0i64);
    let bytes = tail.as_bytes();
    for (i, c) in tail.char_indices() {
        if c.is_whitespace() || is_hidden(c) || matches!(c, '<' | '>') {
            return None;
        }
        match c {
            '(' => parens += 1,
            ')' => parens -= 1,
            '[' => brackets += 1,
            ']' => brackets -= 1,
            '%' => {
                let hex = |k: usize| bytes.get(i + k).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(1) && hex(2)) {
                    return None;
                }
            }
            _ => {}
        }
        if parens < 0 || brackets < 0 {
            return None;
        }
    }
    if parens != 0 || brackets != 0 {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(&scheme.to_ascii_lowercase());
    out.push_str("://");
    out.push_str(authority);
    for c in tail.chars() {
        if c.is_ascii()
            && !matches!(
                c,
                '"' | '\'' | '`' | '\\' | '^' | '{' | '}' | '|' | '[' | ']'
            )
        {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Some(out)
}

/// A sentence as a reader sees it: first letter upper-case.
pub fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Below U+0700 the hidden characters are exactly the C0 and C1
    /// controls, DEL and the Arabic letter mark (the fast path agrees with
    /// the list).
    #[test]
    fn the_first_code_points_are_hidden_exactly_when_listed() {
        for c in ('\0'..='\u{6ff}').chain(std::iter::once('\u{feff}')) {
            let listed =
                c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c) || c == '\u{61c}' || c == '\u{feff}';
            assert_eq!(is_hidden(c), listed, "{:x}", u32::from(c));
            let shown = visible(&c.to_string());
            assert_eq!(shown == c.to_string(), !listed, "{:x}", u32::from(c));
        }
    }

    proptest::proptest! {
        /// Copying runs gives what escaping character by character gives.
        #[test]
        fn visible_is_each_character_shown_or_escaped(
            s in "(\\PC|[\\x00-\\x1f\\x7f-\\x9f\u{61c}\u{200b}-\u{200f}\u{2028}\u{feff}\u{e0041}\u{fffe}])*"
        ) {
            let mut want = String::new();
            for c in s.chars() {
                if is_hidden(c) {
                    push_escape(&mut want, c);
                } else {
                    want.push(c);
                }
            }
            proptest::prop_assert_eq!(visible(&s), want);
        }
    }

    #[test]
    fn terminal_text_shows_controls_and_never_breaks_a_line() {
        assert_eq!(
            term("a\n::error::x\r\u{1b}[2K\u{7}\u{9b}\u{202e}\u{2028}\tz"),
            "a\\n::error::x\\r\\u{1b}[2K\\u{7}\\u{9b}\\u{202e}\\u{2028}\\tz"
        );
        assert_eq!(
            term("Año 78% “ok” \\ 👩\u{200d}💻"),
            "Año 78% “ok” \\ 👩\u{200d}💻"
        );
        // Runners trim the indentation before looking for a command.
        assert_eq!(term("::add-mask::x"), "\\u{3a}:add-mask::x");
        assert_eq!(term(" \u{3000}##[group]"), " \u{3000}\\u{23}#[group]");
        assert_eq!(term("a ::b"), "a ::b");
    }

    #[test]
    fn escaped_source_lines_keep_offsets_mappable() {
        let src = "a = \"\u{1b}[31mx\"\r\nb\u{202e}c\r\td\n";
        let e = Escaped::lines(src);
        assert_eq!(e.text, "a = \"\\u{1b}[31mx\"\r\nb\\u{202e}c\\r\td\n");
        for (orig, want) in [("x", "x"), ("b", "b"), ("c", "c"), ("d", "d")] {
            let o = src.find(orig).unwrap();
            let m = e.map(o);
            assert_eq!(e.text.get(m..m + 1), Some(want), "{orig}");
        }
        // The escape itself: its start maps to the backslash.
        let esc = src.find('\u{1b}').unwrap();
        assert_eq!(e.text.get(e.map(esc)..e.map(esc + 1)), Some("\\u{1b}"));
        assert_eq!(e.map(src.len()), e.text.len());
        assert_eq!(e.map(0), 0);
    }

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(gh_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(gh_prop("a:b,c\n%"), "a%3Ab%2Cc\\n%25");
    }

    #[test]
    fn xml_escapes_markup_and_illegal_characters() {
        assert_eq!(
            xml_text("a<b & \"c\"\u{1}\u{fffe}\r\n"),
            "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{fffe}&#13;\n"
        );
        assert_eq!(xml_attr("a\tb\nc"), "a&#9;b&#10;c");
    }

    #[test]
    fn noncharacters_are_hidden_in_every_plane() {
        for c in [
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in ['\u{fdcf}', '\u{fdf0}', '\u{fffd}', '\u{1fffd}', '\u{20000}'] {
            assert!(!is_hidden(c), "{c:?}");
        }
        assert_eq!(html("a\u{1fffe}b"), "a\\u{1fffe}b");
    }

    #[test]
    fn html_escapes_markup_and_controls() {
        assert_eq!(
            html("<img src=x onerror='a'>&\n"),
            "&lt;img src=x onerror=&apos;a&apos;&gt;&amp;\\n"
        );
    }

    #[test]
    fn markdown_escapes_syntax() {
        assert_eq!(md_text("*78%* [x](y)"), "\\*78%\\* \\[x\\](y)");
        assert_eq!(md_text("<img>&amp;"), "\\<img\\>\\&amp;");
        assert_eq!(md_text("a\n<b>"), "a\\\\n\\<b\\>");
        assert_eq!(md_text("- item"), "\\- item");
        assert_eq!(md_text(": def"), "\\: def");
        assert_eq!(md_text("12. item"), "12\\. item");
        assert_eq!(md_text("3)"), "3\\)");
        assert_eq!(md_text("78.5%"), "78.5%");
        assert_eq!(md_text("a 1. b - c"), "a 1. b - c");
        assert_eq!(md_text("    code "), "&#x20;   code&#x20;");
        assert_eq!(md_text("\u{3000}x"), "&#x3000;x");
        assert_eq!(
            md_text("see www.x.org or https://x.org"),
            "see www\\.x.org or https\\://x.org"
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(md_code("a.toml"), "`a.toml`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code("a\nb"), "`a\\nb`");
    }

    #[test]
    fn only_strict_web_urls_become_links() {
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "ftp://example.org",
            "https://example.org/a b",
            "https://example.org/a\nb",
            "https://example.org/a\tb",
            "https://example.org/<x>",
            "https://example.org/a)",
            "https://example.org/a[",
            "https://user@evil.example/",
            "https://example.org:80x/",
            "https://example.org/%zz",
            "https://exa mple.org/",
            "https://example.org/\u{202e}",
            " https://example.org/",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
        assert_eq!(
            safe_url("HTTPS://example.org:8080/a_(b)?q=1&r=[2]#f").as_deref(),
            Some("https://example.org:8080/a_(b)?q=1&r=%5B2%5D#f")
        );
        assert_eq!(
            safe_url("https://es.wikipedia.org/wiki/Año\"").as_deref(),
            Some("https://es.wikipedia.org/wiki/A%C3%B1o%22")
        );
        assert_eq!(
            safe_url("http://[::1]:80/").as_deref(),
            Some("http://[::1]:80/")
        );
        assert_eq!(safe_url("http://[::1]").as_deref(), Some("http://[::1]"));
        assert_eq!(safe_url("http://[::1]x/"), None);
        assert_eq!(
            md_url("https://x.org/?a=1&b=2"),
            "<https://x.org/?a=1\\&b=2>"
        );
    }

    #[test]
    fn json_for_scripts_hides_markup() {
        assert_eq!(
            script_json("{\"a\":\"</script><!--&\u{2028}\"}"),
            "{\"a\":\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"}"
        );
    }

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(uri_path("claims/a b.toml"), "claims/a%20b.toml");
        assert_eq!(uri_path("c:\\x%?#é"), "c%3A/x%25%3F%23%C3%A9");
    }
}

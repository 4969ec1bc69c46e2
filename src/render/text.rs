//! Escaping for the text formats.

/// Escape text for XML and HTML content and attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push('\u{FFFD}');
            }
            c => out.push(c),
        }
    }
    out
}

/// Escape text so Markdown shows it literally (inline context).
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~'
        ) {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A URL safe to put in a Markdown link or an `href`: only http(s), with
/// characters that would end the link percent-encoded.
pub fn safe_url(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            c => out.push(c),
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

/// Title-case label of a verdict for readers ("Not checkable").
pub fn verdict_title(v: crate::verdict::Verdict) -> &'static str {
    use crate::verdict::Verdict;
    match v {
        Verdict::Supported => "Supported",
        Verdict::Imprecise => "Imprecise",
        Verdict::Refuted => "Refuted",
        Verdict::Undetermined => "Undetermined",
        Verdict::NotCheckable => "Not checkable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
    }

    #[test]
    fn markdown_escapes_syntax() {
        assert_eq!(markdown("*78%* [x](y)"), "\\*78%\\* \\[x\\](y)");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(
            safe_url("https://example.org/a (b)").as_deref(),
            Some("https://example.org/a%20%28b%29")
        );
    }
}

//! Tokens of the expression language, each with its byte span.

use super::Span;

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword.
    Ident(String),
    /// Digits with an optional fraction, kept as written.
    Number(String),
    /// A string literal's value.
    Str(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `%`
    Percent,
    /// `==`
    EqEq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// End of input.
    Eof,
}

impl Tok {
    /// Description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Number(s) => format!("number `{s}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::Eof => "end of expression".to_string(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::Percent => "%",
            Tok::EqEq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            _ => "?",
        }
    }
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Kind.
    pub tok: Tok,
    /// Byte span.
    pub span: Span,
}

/// A lexical error.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// How to fix it.
    pub help: Option<String>,
}

/// Split an expression into tokens.
pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            // comment to end of line
            while let Some(&(_, c)) = chars.peek() {
                if c == '\n' {
                    break;
                }
                chars.next();
            }
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut end = i;
            while let Some(&(j, c)) = chars.peek() {
                if c.is_alphanumeric() || c == '_' {
                    end = j + c.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                tok: Tok::Ident(src.get(i..end).unwrap_or_default().to_string()),
                span: i..end,
            });
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i;
            let mut seen_dot = false;
            while let Some(&(j, c)) = chars.peek() {
                if c.is_ascii_digit() {
                    end = j + 1;
                    chars.next();
                } else if c == '.' && !seen_dot {
                    // only a decimal point if a digit follows
                    let next_is_digit = src
                        .get(j + 1..)
                        .and_then(|s| s.chars().next())
                        .is_some_and(|d| d.is_ascii_digit());
                    if !next_is_digit {
                        break;
                    }
                    seen_dot = true;
                    end = j + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                tok: Tok::Number(src.get(i..end).unwrap_or_default().to_string()),
                span: i..end,
            });
            continue;
        }
        if c == '"' || c == '\'' {
            let quote = c;
            chars.next();
            let mut value = String::new();
            let mut closed = None;
            while let Some((j, c)) = chars.next() {
                if c == quote {
                    closed = Some(j + 1);
                    break;
                }
                if c == '\\' {
                    match chars.next() {
                        Some((_, 'n')) => value.push('\n'),
                        Some((_, 't')) => value.push('\t'),
                        Some((_, other)) => value.push(other),
                        None => break,
                    }
                } else {
                    value.push(c);
                }
            }
            let Some(end) = closed else {
                return Err(LexError {
                    message: "unterminated string".to_string(),
                    span: i..src.len(),
                    help: Some(format!("close the string with {quote}")),
                });
            };
            out.push(Token {
                tok: Tok::Str(value),
                span: i..end,
            });
            continue;
        }
        chars.next();
        let next = chars.peek().map(|&(_, c)| c);
        let (tok, len) = match (c, next) {
            ('=', Some('=')) => (Tok::EqEq, 2),
            ('!', Some('=')) => (Tok::Ne, 2),
            ('<', Some('=')) => (Tok::Le, 2),
            ('>', Some('=')) => (Tok::Ge, 2),
            ('<', _) => (Tok::Lt, 1),
            ('>', _) => (Tok::Gt, 1),
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            ('[', _) => (Tok::LBracket, 1),
            (']', _) => (Tok::RBracket, 1),
            (',', _) => (Tok::Comma, 1),
            ('.', _) => (Tok::Dot, 1),
            ('%', _) => (Tok::Percent, 1),
            ('+', _) => (Tok::Plus, 1),
            ('-', _) => (Tok::Minus, 1),
            ('*', _) => (Tok::Star, 1),
            ('/', _) => (Tok::Slash, 1),
            ('=', _) => {
                return Err(LexError {
                    message: "unexpected `=`".to_string(),
                    span: i..i + 1,
                    help: Some("use `==` to compare".to_string()),
                })
            }
            _ => {
                return Err(LexError {
                    message: format!("unexpected character `{c}`"),
                    span: i..i + c.len_utf8(),
                    help: None,
                })
            }
        };
        if len == 2 {
            chars.next();
        }
        out.push(Token {
            tok,
            span: i..i + len,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: src.len()..src.len(),
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        lex(s)
            .map(|v| v.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn numbers_percent_and_spans() {
        let toks = lex("share(a, b) >= 78.5%").unwrap_or_default();
        assert_eq!(
            toks.get(7).map(|t| t.tok.clone()),
            Some(Tok::Number("78.5".into()))
        );
        assert_eq!(toks.get(7).map(|t| t.span.clone()), Some(15..19));
        assert_eq!(toks.get(8).map(|t| t.tok.clone()), Some(Tok::Percent));
    }

    #[test]
    fn field_access_after_number_is_not_a_decimal() {
        assert_eq!(
            kinds("x.y 3.5 4."),
            vec![
                Tok::Ident("x".into()),
                Tok::Dot,
                Tok::Ident("y".into()),
                Tok::Number("3.5".into()),
                Tok::Number("4".into()),
                Tok::Dot,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn errors_are_located() {
        let e = lex("a = 'b").err();
        assert_eq!(e.map(|e| e.span), Some(2..3));
        let e = lex("a == 'b").err();
        assert_eq!(
            e.map(|e| (e.message, e.span)),
            Some(("unterminated string".into(), 5..7))
        );
        let e = lex("a ~ b").err();
        assert_eq!(e.map(|e| e.span), Some(2..3));
    }
}

//! `factcheck timeline`: each claim's verdicts over time, as a compact
//! table (human) or JSON.

use std::fmt::Write;

use crate::escape::term;
use crate::judge::timeline::ClaimTimeline;

use super::verdict_title;

/// The human table: per claim, one line per run of days.
pub fn human(claims: &[ClaimTimeline]) -> String {
    let mut out = String::new();
    for c in claims {
        let states = c
            .states
            .as_ref()
            .map(|s| format!("  states \"{}\"", term(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{states}  (words dated {})",
            term(&c.id),
            term(&c.said_on)
        );
        if let Some(p) = &c.problem {
            let _ = writeln!(out, "  cannot be judged: {}", term(&p.text()));
        }
        for p in &c.periods {
            let days = match (&p.from, &p.to) {
                (None, None) => "every day".to_string(),
                (None, Some(t)) => format!("until {}", term(t)),
                (Some(f), None) => format!("from {}", term(f)),
                (Some(f), Some(t)) if f == t => format!("on {}", term(f)),
                (Some(f), Some(t)) => format!("{} .. {}", term(f), term(t)),
            };
            let what = match &p.problem {
                Some(problem) => format!("cannot be judged: {}", term(&problem.text())),
                None => verdict_title(p.verdict).to_string(),
            };
            let value = p
                .computed
                .as_ref()
                .map(|c| format!("  ({})", term(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "  {days:<28} {what}{value}");
        }
        out.push('\n');
    }
    out
}

/// The JSON form: `{"claims": [{id, states, said_on, periods: [...]}]}`.
pub fn json(claims: &[ClaimTimeline]) -> String {
    let v = serde_json::json!({ "claims": claims });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::timeline::Period;
    use crate::verdict::{Problem, Verdict};

    #[test]
    fn hostile_text_neither_controls_the_terminal_nor_starts_a_line() {
        let evil = "x\u{1b}[2J\n::error::pwned\r\u{7}";
        let c = ClaimTimeline {
            id: evil.into(),
            states: Some(evil.into()),
            said_on: evil.into(),
            periods: vec![
                Period {
                    from: None,
                    to: Some(evil.into()),
                    verdict: Verdict::Supported,
                    computed: Some(evil.into()),
                    problem: None,
                },
                Period {
                    from: Some(evil.into()),
                    to: None,
                    verdict: Verdict::Error,
                    computed: None,
                    problem: Some(Problem {
                        code: evil.into(),
                        message: evil.into(),
                        file: Some(evil.into()),
                        line: Some(1),
                        column: Some(1),
                        help: Some(evil.into()),
                    }),
                },
            ],
            problem: None,
        };
        let out = human(std::slice::from_ref(&c));
        assert!(!out.contains(['\u{1b}', '\r', '\u{7}']), "{out:?}");
        assert!(
            out.lines().all(|l| !l.trim_start().starts_with("::")),
            "{out}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&[c])).unwrap();
        assert_eq!(j["claims"][0]["id"], evil);
    }
}

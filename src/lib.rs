//! factcheck: verify an article's factual claims against a sourced evidence
//! dataset, with exact numbers, declared meanings for words, honest
//! uncertainty and provenance in every verdict.
//!
//! The source tree is grouped by layer ([`base`], [`language`], [`input`],
//! [`plan`], [`eval`], [`judge`], [`render`], [`engine`]), each importing
//! only from the layers below it; every module is also reachable under its
//! short name (`factcheck::evidence`, `factcheck::verdict`, …).
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`claims`] (read claim files with spans) → [`evidence`] (load typed,
//! sourced tables) → [`expr`] (parse expressions) → [`resolve`] (names and
//! types) → [`eval`] (evaluate soundly under uncertainty) → [`verdict`]
//! (decide, explain, cite) → [`render`] (human and JSON reports).
//! [`engine`] runs the pipeline as typed stages over a
//! [`engine::Workspace`] (files on disk, or texts in memory): load →
//! compile → execute → judge, composed into `verify`, `check`, `explain`
//! and `audit`, each with its own result type. The library never prints:
//! problems come back as diagnostics, progress goes to an
//! [`engine::Progress`] callback.
//!
//! ```
//! use factcheck::statement::{allowed, parse_number_statement, Stated};
//! use factcheck::verdict::{decide_number, Verdict};
//! use factcheck::interval::Interval;
//! use factcheck::num::Rational;
//! use factcheck::expr::Unit;
//!
//! // "78%" said of 11 of 14: right only if truncated.
//! let stated = parse_number_statement("78%").unwrap();
//! let Stated::Number { qualifier, value, dp, unit } = stated.clone() else { unreachable!() };
//! let rule = allowed(qualifier, value, dp, unit, false, None).unwrap();
//! let share = Interval::point(Rational::new(1100, 14).unwrap());
//! let decision = decide_number(&share, Unit::Percent, &rule, &stated, Some("11 of 14"));
//! assert_eq!(decision.verdict, Verdict::Imprecise);
//! assert_eq!(decision.allowed, "[77.5%, 78.5%)");
//! ```

#![warn(missing_docs)]

// The layers, bottom to top: each imports only from itself and the layers
// listed before it (docs/architecture.md; tests/layers.rs checks it).
pub mod base;
pub mod engine;
pub mod eval;
pub mod input;
pub mod judge;
pub mod language;
pub mod plan;
pub mod render;

// Every module under its short name, wherever its layer keeps it.
pub use base::{date, diag, escape, fsread, interval, lang, num};
pub use input::{anchor, claims, evidence};
pub use judge::{audit, explain, lint, skeleton, verdict};
pub use language::{expr, extract, statement};
pub use plan::resolve;

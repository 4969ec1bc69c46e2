//! factcheck: verify an article's factual claims against a sourced evidence
//! dataset, with exact numbers, declared meanings for words, honest
//! uncertainty and provenance in every verdict.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`claims`] (read claim files with spans) → [`evidence`] (load typed,
//! sourced tables) → [`expr`] (parse expressions) → [`resolve`] (names and
//! types) → [`eval`] (evaluate soundly under uncertainty) → [`verdict`]
//! (decide, explain, cite) → [`render`] (human and JSON reports).
//! [`engine`] runs the whole pipeline. The library never prints.

#![warn(missing_docs)]

pub mod claims;
pub mod date;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod evidence;
pub mod expr;
pub mod interval;
pub mod num;
pub mod render;
pub mod resolve;
pub mod statement;
pub mod verdict;

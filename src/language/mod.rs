//! The language layer: the words and expressions users write. The
//! expression language ([`expr`]: lexer and parser with byte spans), what an
//! article states and the interval its wording allows ([`statement`]), and
//! the quantities found in an article's text ([`extract`]).

pub mod expr;
pub mod extract;
pub mod statement;

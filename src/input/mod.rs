//! The input layer: the files a run reads, as typed data with their
//! places. The evidence dataset ([`evidence`]: sourced tables in typed
//! columns), claim files ([`claims`]) and the quotes of claims found in the
//! article's text ([`anchor`]), and the JSON Schemas of those files for
//! editors ([`schema`]).

pub mod anchor;
pub mod claims;
pub mod csvformat;
pub mod describe;
pub mod evidence;
pub mod schema;

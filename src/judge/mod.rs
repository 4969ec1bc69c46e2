//! The judging layer: what is concluded from values. Verdicts with their
//! reasons, witnesses and sources ([`verdict`]: the one report model every
//! format renders), the trace of one claim ([`explain`]), usage warnings
//! ([`lint`]), an article's coverage ([`audit`]), claim-file skeletons
//! ([`skeleton`]) and verdicts over time ([`timeline`]).

pub mod audit;
pub mod explain;
pub mod lint;
pub mod skeleton;
pub mod timeline;
pub mod verdict;

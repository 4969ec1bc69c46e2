//! The judging layer: what is concluded from values. Verdicts with their
//! reasons, witnesses and sources ([`verdict`]: the one report model every
//! format renders), the trace of one claim ([`explain`]), usage warnings
//! ([`lint`]), an article's coverage ([`audit`]) and claim-file skeletons
//! ([`skeleton`]).

pub mod audit;
pub mod explain;
pub mod lint;
pub mod skeleton;
pub mod verdict;

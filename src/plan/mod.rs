//! The plan layer: the typed tree every measure compiles to ([`tree`])
//! and the values it evaluates to ([`value`]). `resolve` builds trees,
//! `eval` executes them, `verdict` and `explain` read the values; all of
//! them import these types from here, downward.

pub mod tree;
pub mod value;

pub use tree::{AggKind, Arith, Between, CmpOp, Node, Program, Ty};
pub use value::{ListVal, RecSet, Value};

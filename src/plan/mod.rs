//! The plan layer: measures compiled. The typed tree every measure
//! compiles to ([`tree`]), the values it evaluates to ([`value`]) and the
//! compiler that resolves names and types into trees ([`resolve`]). The
//! execution layer (`eval`) runs the trees; it and the judging layer
//! import these types from here, downward.

pub mod resolve;
pub mod tree;
pub mod value;

pub use tree::{AggKind, Arith, Between, CmpOp, Node, Program, Ty};
pub use value::{ListVal, RecSet, Value};

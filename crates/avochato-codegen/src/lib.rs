//! Files generated from the operation list and the core's type descriptions.

pub mod python_stubs;

/// Where the generated Python stubs live, from the workspace root.
pub const PYTHON_STUBS: &str = "python/avochato/_avochato.pyi";

/// The plain-Python types module, from the workspace root.
pub const PYTHON_TYPES: &str = "python/avochato/_types.py";

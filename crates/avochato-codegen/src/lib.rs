//! Files generated from the operation list and the core's type descriptions.

pub mod decode_cases;
pub mod js;
pub mod python_stubs;

/// Where the generated Python stubs live, from the workspace root.
pub const PYTHON_STUBS: &str = "python/avochato/_avochato.pyi";

/// The plain-Python types module, from the workspace root.
pub const PYTHON_TYPES: &str = "python/avochato/_types.py";

/// The Python methods' docstrings (with their text signatures), from the workspace root.
pub const PYTHON_DOCS: &str = "bindings/python/src/docs.rs";

/// Every generated file: its path from the workspace root, and its text.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        (PYTHON_STUBS, python_stubs::render()),
        (PYTHON_TYPES, python_stubs::render_types()),
        ("python/avochato/_errors.py", python_stubs::render_errors()),
        (PYTHON_DOCS, python_stubs::render_docs()),
        ("js/src/generated/schema.mjs", js::render_schema()),
        ("js/src/generated/errors.mjs", js::render_errors()),
        ("js/src/generated/make-error.mjs", js::render_make_error()),
        ("js/src/generated/index.d.ts", js::render_types()),
    ]
}

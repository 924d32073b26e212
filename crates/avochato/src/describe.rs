//! Static descriptions of parameter and model types, written by `#[derive(Describe)]`.
//!
//! Hosts generate from these instead of restating types: the Python stubs, the CLI's flags.

use serde::Serialize;

/// Derives [`Describe`] (and, with `#[describe(builder)]`, `new` and setters).
pub use avochato_macros::Describe;

/// One field of a described type, under its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldInfo {
    /// The field's name on the wire (and in JavaScript and Python).
    pub name: &'static str,
    /// The Rust type, without spaces (`Option<String>`).
    pub ty: &'static str,
    /// Whether the field must be given.
    pub required: bool,
    /// The field's documentation.
    pub doc: &'static str,
    /// Whether the field is a map of free-form extra fields (contact custom fields).
    pub flatten: bool,
    /// Other names accepted by the command-line tool (`--to` for `phone`).
    pub aliases: &'static [&'static str],
    /// Whether the command-line tool takes the field as positional arguments.
    pub positional: bool,
}

/// A described type: a struct with fields, or a string enum with variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TypeInfo {
    /// The Rust type name.
    pub name: &'static str,
    /// The type's documentation.
    pub doc: &'static str,
    /// Fields, for structs.
    pub fields: &'static [FieldInfo],
    /// Wire values, for string enums.
    pub variants: &'static [&'static str],
}

/// Implemented by `#[derive(Describe)]`.
pub trait Describe {
    /// The static description of this type.
    fn describe() -> &'static TypeInfo;
}

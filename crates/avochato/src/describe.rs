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

impl FieldInfo {
    /// The field's type without `Option<>` and without its path (`Option<$crate::types::Ids>`
    /// → `Ids`; generics kept: `Vec<String>`).
    pub fn value_type(&self) -> &'static str {
        base_type(strip_option(self.ty).1)
    }
}

/// `Option<T>` → `(true, "T")`; any other type → `(false, ty)`.
pub fn strip_option(ty: &str) -> (bool, &str) {
    match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => (true, inner),
        None => (false, ty),
    }
}

/// A type's last path segment (`$crate::types::JsonMap` → `JsonMap`), generics kept.
pub fn base_type(ty: &str) -> &str {
    let head = ty.split('<').next().unwrap_or(ty);
    let start = head.rfind("::").map(|i| i + 2).unwrap_or(0);
    ty.get(start..).unwrap_or(ty)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_without_option_and_path() {
        assert_eq!(strip_option("Option<Vec<String>>"), (true, "Vec<String>"));
        assert_eq!(strip_option("String"), (false, "String"));
        assert_eq!(base_type("$crate::types::JsonMap"), "JsonMap");
        assert_eq!(
            base_type("Vec<crate::params::ContactInput>"),
            "Vec<crate::params::ContactInput>"
        );
        let f = FieldInfo {
            name: "ids",
            ty: "Option<$crate::types::Ids>",
            required: false,
            doc: "",
            flatten: false,
            aliases: &[],
            positional: false,
        };
        assert_eq!(f.value_type(), "Ids");
    }
}

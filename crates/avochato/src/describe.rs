//! Static descriptions of parameter and model types, written by `#[derive(Describe)]`.
//!
//! Every host generates from these instead of restating types: the Python stubs, the
//! JavaScript response tables and declarations, the CLI's flags. Types are described as
//! types ([`TypeRef`]), not as strings: a field of type `Vec<Contact>` is
//! `TypeRef::List(&TypeRef::Model(Contact::INFO))`, so a rename is a compile error and no
//! consumer parses type names. The same descriptions drive the generic parameter check
//! ([`crate::params::check`]) that every host's requests go through.

use serde::Serialize;

/// Derives [`Describe`] (and, with `#[describe(builder)]`, `new` and setters).
pub use avochato_macros::Describe;

/// What a value is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRef {
    /// A string.
    Text,
    /// A whole number in `min..=max`.
    Integer {
        /// The smallest value the type holds.
        min: i64,
        /// The largest value the type holds.
        max: i64,
    },
    /// A finite number.
    Number,
    /// A boolean (see [`FieldInfo::lenient`] and [`Wire`]).
    Bool,
    /// A point in time: seconds since the epoch; decodes from a number, a numeric string
    /// or an ISO-8601 string ([`crate::Timestamp`]).
    Time,
    /// A time window `{from, to}`, sent as `name[from]`/`name[to]` ([`crate::TimeRange`]).
    TimeRange,
    /// Ids for a `:ids` route: one string or a list of strings ([`crate::Ids`]).
    Ids,
    /// A list given as a list or one comma-separated string, sent comma-joined
    /// ([`crate::types::CsvList`]).
    CsvList,
    /// Any JSON value.
    Any,
    /// A list of values of one type.
    List(&'static TypeRef),
    /// An object of free-form fields with values of one type.
    Map(&'static TypeRef),
    /// One of a string enum's wire values.
    Enum(&'static TypeInfo),
    /// A described struct (or a union of structs, see [`TypeInfo::union`]).
    Model(&'static TypeInfo),
}

impl TypeRef {
    /// The described type this refers to, if any (through lists and maps).
    pub fn info(&self) -> Option<&'static TypeInfo> {
        match self {
            TypeRef::Enum(t) | TypeRef::Model(t) => Some(t),
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.info(),
            _ => None,
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match self {
            TypeRef::Text => m.serialize_entry("kind", "text")?,
            TypeRef::Integer { min, max } => {
                m.serialize_entry("kind", "integer")?;
                m.serialize_entry("min", min)?;
                m.serialize_entry("max", max)?;
            }
            TypeRef::Number => m.serialize_entry("kind", "number")?,
            TypeRef::Bool => m.serialize_entry("kind", "bool")?,
            TypeRef::Time => m.serialize_entry("kind", "time")?,
            TypeRef::TimeRange => m.serialize_entry("kind", "time_range")?,
            TypeRef::Ids => m.serialize_entry("kind", "ids")?,
            TypeRef::CsvList => m.serialize_entry("kind", "csv_list")?,
            TypeRef::Any => m.serialize_entry("kind", "any")?,
            TypeRef::List(inner) => {
                m.serialize_entry("kind", "list")?;
                m.serialize_entry("of", inner)?;
            }
            TypeRef::Map(inner) => {
                m.serialize_entry("kind", "map")?;
                m.serialize_entry("of", inner)?;
            }
            TypeRef::Enum(t) => {
                m.serialize_entry("kind", "enum")?;
                m.serialize_entry("name", t.name)?;
            }
            TypeRef::Model(t) => {
                m.serialize_entry("kind", "model")?;
                m.serialize_entry("name", t.name)?;
            }
        }
        m.end()
    }
}

/// How a value goes on the wire, where the examples write it in a particular form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wire {
    /// As JSON (the usual).
    Plain,
    /// A boolean as the string `"true"`/`"false"` (`mark_addressed`).
    Word,
    /// A boolean as the string `"1"`/`"0"` (`recursive`, `all`).
    Digit,
}

/// A rule a parameter must follow, checked before anything is sent (see
/// [`crate::params::check`]). Field rules apply to a value that is given; struct rules
/// ([`TypeInfo::checks`]) to the whole set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "args")]
pub enum Check {
    /// Text that is not empty or blank.
    NotBlank,
    /// A list (or ids) with at least one item; the text is the error message.
    NotEmpty(&'static str),
    /// A message body: not blank, at most 1,600 characters, no control characters but
    /// line breaks and tabs.
    Message,
    /// A phone number as the reference writes them (`+14155551234`, `(415) 555-1234`:
    /// 5 to 15 digits, `+` only first, spaces, `-`, `.`, parentheses), or a live-chat
    /// identifier (`avochato:...`).
    Phone,
    /// A phone number as [`Check::Phone`], or empty (which clears the value).
    PhoneOrEmpty,
    /// A live-chat identifier (`avochato:c:...`).
    LiveChat,
    /// An E.164 number (`+14155551234`).
    E164,
    /// An E.164 number, or empty (which clears the value).
    E164OrEmpty,
    /// An email address.
    Email,
    /// An email address, or empty (which clears the value).
    EmailOrEmpty,
    /// An `http(s)` URL.
    Url,
    /// A number in `min..=max`; the text says what the range is.
    Range(i64, i64),
    /// A value that names a command with its own method: refused here.
    Reserved(&'static [&'static str]),
    /// A time window: `from`, `to` or both, `from` not after `to`.
    Window,
    /// Map keys that can be custom field names (no brackets, no control characters).
    FieldNames,
    /// Struct rule: exactly one of two fields is given.
    OneOf(&'static str, &'static str),
    /// Struct rule: not both of two fields.
    NotBoth(&'static str, &'static str),
}

/// One field of a described type, under its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldInfo {
    /// The field's name on the wire (and in JavaScript and Python).
    pub name: &'static str,
    /// What the value is.
    pub ty: TypeRef,
    /// Whether the field must be given.
    pub required: bool,
    /// The field's documentation (native only: the WebAssembly build carries no docs).
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
    /// Whether the field is a map of free-form extra fields, written at the top level
    /// (contact custom fields, unknown response fields).
    pub flatten: bool,
    /// Booleans: whether `"true"`, `"1"`, `1`, ... are accepted as well as `true`.
    pub lenient: bool,
    /// How the value is sent.
    pub wire: Wire,
    /// Whether an absent value is sent as `null` (as one documented example does).
    pub send_null: bool,
    /// Rules the value follows (parameters).
    pub checks: &'static [Check],
    /// Other names accepted by the command-line tool (`--to` for `phone`; native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub aliases: &'static [&'static str],
    /// Whether the command-line tool takes the field as positional arguments (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub positional: bool,
}

/// A union of described structs, told apart by a tag field (events by `element_type`).
/// A value whose tag is unknown, or that does not fit its case, is kept as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Union {
    /// The tag field's name.
    pub tag: &'static str,
    /// Tag value → the struct it selects.
    #[serde(serialize_with = "case_names")]
    pub cases: &'static [(&'static str, &'static TypeInfo)],
}

fn case_names<S: serde::Serializer>(
    cases: &&'static [(&'static str, &'static TypeInfo)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(cases.iter().map(|(tag, t)| (*tag, t.name)))
}

/// A described type: a struct with fields, a string enum with variants, or a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TypeInfo {
    /// The Rust type name.
    pub name: &'static str,
    /// The type's documentation (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
    /// Fields, for structs.
    pub fields: &'static [FieldInfo],
    /// Wire values, for string enums.
    pub variants: &'static [&'static str],
    /// Rules over several fields, for parameter structs.
    pub checks: &'static [Check],
    /// Whether fields not listed are refused (parameters without custom fields).
    pub closed: bool,
    /// For a union of structs: how its cases are told apart.
    pub union: Option<Union>,
}

impl TypeInfo {
    /// A struct's field by wire name.
    pub fn field(&self, name: &str) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// The struct's field of free-form extra fields, if it has one.
    pub fn flatten_field(&self) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.flatten)
    }
    /// Whether this is a string enum.
    pub fn is_enum(&self) -> bool {
        !self.variants.is_empty()
    }
}

/// Implemented by `#[derive(Describe)]`: the static description of a struct or enum.
pub trait Describe {
    /// The description.
    const INFO: &'static TypeInfo;
    /// The description (for generic code that prefers a function).
    fn describe() -> &'static TypeInfo {
        Self::INFO
    }
}

/// The structural description of a field's Rust type: implemented for the value types
/// fields use, and by `#[derive(Describe)]` for structs (`Model`) and enums (`Enum`).
pub trait DescribeType {
    /// What the type is.
    const TYPE: TypeRef;
}

macro_rules! describe_types {
    ($($t:ty => $e:expr;)*) => {$(
        impl DescribeType for $t {
            const TYPE: TypeRef = $e;
        }
    )*};
}

describe_types! {
    String => TypeRef::Text;
    i64 => TypeRef::Integer { min: i64::MIN, max: i64::MAX };
    i32 => TypeRef::Integer { min: i32::MIN as i64, max: i32::MAX as i64 };
    u32 => TypeRef::Integer { min: 0, max: u32::MAX as i64 };
    u64 => TypeRef::Integer { min: 0, max: i64::MAX };
    f64 => TypeRef::Number;
    bool => TypeRef::Bool;
    crate::types::Timestamp => TypeRef::Time;
    crate::types::TimeRange => TypeRef::TimeRange;
    crate::types::Ids => TypeRef::Ids;
    crate::types::CsvList => TypeRef::CsvList;
    crate::types::JsonValue => TypeRef::Any;
    crate::types::JsonMap => TypeRef::Map(&TypeRef::Any);
}

impl<T: DescribeType> DescribeType for Option<T> {
    const TYPE: TypeRef = T::TYPE;
}

impl<T: DescribeType> DescribeType for Vec<T> {
    const TYPE: TypeRef = TypeRef::List(&T::TYPE);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Contact;
    use crate::params::{SendMessagesParams, UpsertManyContactsParams};

    #[test]
    fn fields_are_described_as_types() {
        let t = Contact::INFO;
        assert_eq!(
            t.field("id").map(|f| (f.ty, f.required)),
            Some((TypeRef::Text, true))
        );
        assert_eq!(t.field("created_at").map(|f| f.ty), Some(TypeRef::Time));
        assert_eq!(
            t.field("tags").map(|f| f.ty),
            Some(TypeRef::List(&TypeRef::Text))
        );
        let Some(TypeRef::List(TypeRef::Model(detail))) = t.field("tag_details").map(|f| f.ty)
        else {
            panic!("tag_details is a list of models");
        };
        assert_eq!(detail.name, "TagDetail");
        assert!(t.flatten_field().is_some_and(|f| f.name == "custom_fields"));
        let Some(TypeRef::List(TypeRef::Model(input))) = UpsertManyContactsParams::INFO
            .field("contacts")
            .map(|f| f.ty)
        else {
            panic!("contacts is a list of inputs");
        };
        assert_eq!(input.name, "ContactInput");
        let m = SendMessagesParams::INFO.field("mark_addressed");
        assert_eq!(
            m.map(|f| (f.ty, f.lenient, f.wire)),
            Some((TypeRef::Bool, true, Wire::Word))
        );
        assert!(SendMessagesParams::INFO.closed);
    }
}

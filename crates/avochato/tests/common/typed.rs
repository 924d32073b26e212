//! Any operation called by its name (`messages.send`) with typed parameters, as a Rust program
//! calls it: the fixture's JSON, with its markers for values JSON cannot hold (`{"$nan": true}`,
//! `{"$inf": 1}`, `{"$huge": true}`, `{"$bigint": "DIGITS"}`, `{"$repeat": ["x", N]}`), is
//! deserialized into the operation's parameter type (as `avochato::Error::params_from_json`
//! does, with Rust's own values for the markers) and run with `Client::execute`. For the shared
//! suites of `tests/fixtures/` (`fault_matrix.rs`, `bad_inputs.rs`).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use avochato::params::*;
use avochato::{Client, Error, RequestOptions};
use serde::de::value::{MapDeserializer, SeqDeserializer, StringDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;

/// A fixture value with its markers turned into Rust values.
#[derive(Clone, Debug)]
pub enum Marked {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Big(u128),
    Str(String),
    List(Vec<Marked>),
    Map(Vec<(String, Marked)>),
}

impl Marked {
    pub fn from_fixture(v: &Value) -> Marked {
        match v {
            Value::Null => Marked::Null,
            Value::Bool(b) => Marked::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Marked::Int(i),
                (None, Some(u)) => Marked::UInt(u),
                _ => Marked::Float(n.as_f64().unwrap()),
            },
            Value::String(s) => Marked::Str(s.clone()),
            Value::Array(items) => Marked::List(items.iter().map(Marked::from_fixture).collect()),
            Value::Object(m) => {
                if m.contains_key("$nan") {
                    Marked::Float(f64::NAN)
                } else if let Some(sign) = m.get("$inf") {
                    Marked::Float(f64::INFINITY * sign.as_f64().unwrap())
                } else if m.contains_key("$huge") {
                    Marked::Float(f64::MAX)
                } else if let Some(digits) = m.get("$bigint") {
                    Marked::Big(digits.as_str().unwrap().parse().unwrap())
                } else if let Some(r) = m.get("$repeat") {
                    Marked::Str(
                        r[0].as_str()
                            .unwrap()
                            .repeat(r[1].as_u64().unwrap() as usize),
                    )
                } else {
                    Marked::Map(
                        m.iter()
                            .map(|(k, v)| (k.clone(), Marked::from_fixture(v)))
                            .collect(),
                    )
                }
            }
        }
    }

    /// The value as JSON, as a Rust program reading the fixture's JSON would have it (a
    /// 64-bit-overflowing integer becomes a float, as serde_json reads it); `None` for NaN and
    /// the infinities, which JSON cannot hold.
    pub fn to_json(&self) -> Option<Value> {
        Some(match self {
            Marked::Null => Value::Null,
            Marked::Bool(b) => Value::Bool(*b),
            Marked::Int(i) => Value::from(*i),
            Marked::UInt(u) => Value::from(*u),
            Marked::Float(x) => Value::Number(serde_json::Number::from_f64(*x)?),
            Marked::Big(n) => serde_json::from_str(&n.to_string()).unwrap(),
            Marked::Str(s) => Value::String(s.clone()),
            Marked::List(items) => Value::Array(
                items
                    .iter()
                    .map(Marked::to_json)
                    .collect::<Option<Vec<_>>>()?,
            ),
            Marked::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| v.to_json().map(|v| (k.clone(), v)))
                    .collect::<Option<serde_json::Map<_, _>>>()?,
            ),
        })
    }
}

impl<'de> de::Deserializer<'de> for Marked {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Marked::Null => visitor.visit_unit(),
            Marked::Bool(b) => visitor.visit_bool(b),
            Marked::Int(i) => visitor.visit_i64(i),
            Marked::UInt(u) => visitor.visit_u64(u),
            Marked::Float(x) => visitor.visit_f64(x),
            Marked::Big(n) => visitor.visit_u128(n),
            Marked::Str(s) => visitor.visit_string(s),
            Marked::List(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            Marked::Map(entries) => visitor.visit_map(MapDeserializer::new(entries.into_iter())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Marked::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self {
            Marked::Str(s) => {
                let d: StringDeserializer<Self::Error> = s.into_deserializer();
                d.deserialize_enum(name, variants, visitor)
            }
            other => other.deserialize_any(visitor),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, de::value::Error> for Marked {
    type Deserializer = Marked;
    fn into_deserializer(self) -> Marked {
        self
    }
}

/// Typed parameters from a marked value, refused as a validation error naming the field (as
/// `Error::params_from_json` does for JSON).
pub fn typed<P: serde::de::DeserializeOwned>(params: Marked) -> Result<P, Error> {
    serde_path_to_error::deserialize(params)
        .map_err(|e| Error::invalid_params(&e.path().to_string(), e.inner()))
}

macro_rules! typed_calls {
    ($(
        $res:ident $Res:ident $(iter($IP:ident -> $IT:ident))? {
            $( $name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> $spec:tt )*
        }
    )*) => {
        /// Runs `operation` (`resource.method`) with typed parameters made from `params`.
        pub async fn call_typed(
            client: &Client,
            operation: &str,
            params: Marked,
            options: &RequestOptions,
        ) -> Result<(), Error> {
            $($(
                if operation == concat!(stringify!($res), ".", stringify!($name)) {
                    let p: $P = typed(params)?;
                    return client.execute(&p, options).await.map(|_| ());
                }
            )*)*
            panic!("no operation {operation}")
        }
    };
}

avochato::for_each_operation!(typed_calls);

/// Runs `operation` with JSON parameters through `Client::call_json` (the dynamic entry).
pub async fn call_json(
    client: &Client,
    operation: &str,
    params: Value,
    options: RequestOptions,
) -> Result<(), Error> {
    let (resource, name) = operation.split_once('.').unwrap();
    let spec = avochato::find_operation(resource, name)
        .unwrap_or_else(|| panic!("no operation {operation}"));
    client.call_json(spec, params, options).await.map(|_| ())
}

/// Writes to the test's stderr directly (not through `eprintln!`, which the test harness
/// captures): the runner shows it without `--nocapture`.
pub fn show(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{text}\n");
    let _ = err.flush();
}

//! Reading the response envelope `{"status", "data": {...}, "page", "limit"}` in one pass.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

use crate::page::Page;

/// Page metadata found in the envelope and in `data`.
#[derive(Default)]
struct Meta {
    page: Option<u32>,
    limit: Option<u32>,
    after_page: Option<String>,
    next_page: Option<String>,
    last_key: Option<String>,
    size: Option<u64>,
    total_count: Option<u64>,
}

/// What was taken out of `data`.
struct Taken<T> {
    value: Option<T>,
    /// Index into the requested keys of the key `value` came from.
    rank: usize,
    meta: Meta,
}

/// Reads `data`: the value under the first present of `keys` (or all of `data` when
/// `keys` is empty), plus page metadata.
struct DataSeed<'k, T> {
    keys: &'k [&'k str],
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for DataSeed<'_, T> {
    type Value = Taken<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.keys.is_empty() {
            return Ok(Taken {
                value: Some(T::deserialize(d)?),
                rank: 0,
                meta: Meta::default(),
            });
        }
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for DataSeed<'_, T> {
    type Value = Taken<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response's `data` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut taken = Taken {
            value: None,
            rank: usize::MAX,
            meta: Meta::default(),
        };
        while let Some(key) = map.next_key::<KeyStr<'de>>()? {
            let key = key.as_str();
            if let Some(rank) = self.keys.iter().position(|k| *k == key) {
                if rank < taken.rank {
                    taken.value = Some(map.next_value::<T>()?);
                    taken.rank = rank;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
                continue;
            }
            match key {
                "next_page" => taken.meta.next_page = map.next_value::<Lenient<String>>()?.0,
                "last_key" => taken.meta.last_key = map.next_value::<Lenient<String>>()?.0,
                "size" => taken.meta.size = map.next_value::<Lenient<u64>>()?.0,
                "total_count" => taken.meta.total_count = map.next_value::<Lenient<u64>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(taken)
    }
}

/// A map key, borrowed when possible.
struct KeyStr<'de>(std::borrow::Cow<'de, str>);

impl KeyStr<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for KeyStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KeyStr(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KeyStr(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A metadata value that may be a number, a numeric string, or something odd (→ absent).
struct Lenient<T>(Option<T>);

impl<'de> Deserialize<'de> for Lenient<u32> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Lenient(
            Lenient::<u64>::deserialize(d)?
                .0
                .and_then(|n| u32::try_from(n).ok()),
        ))
    }
}

impl<'de> Deserialize<'de> for Lenient<u64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(Lenient(match v {
            serde_json::Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Lenient<String> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(Lenient(match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }))
    }
}

/// Reads the envelope, handing `data` to the seed.
struct EnvelopeSeed<'k, T> {
    keys: &'k [&'k str],
    _t: PhantomData<T>,
}

struct Envelope<T> {
    status: Option<i64>,
    data: Option<Taken<T>>,
    page: Option<u32>,
    limit: Option<u32>,
    after_page: Option<String>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = Envelope<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = Envelope<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `data`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut env = Envelope {
            status: None,
            data: None,
            page: None,
            limit: None,
            after_page: None,
        };
        while let Some(key) = map.next_key::<KeyStr<'de>>()? {
            match key.as_str() {
                "data" => {
                    env.data = Some(map.next_value_seed(DataSeed::<T> {
                        keys: self.keys,
                        _t: PhantomData,
                    })?)
                }
                "status" => {
                    env.status = map
                        .next_value::<Lenient<u64>>()?
                        .0
                        .and_then(|s| i64::try_from(s).ok())
                }
                "page" => env.page = map.next_value::<Lenient<u32>>()?.0,
                "limit" => env.limit = map.next_value::<Lenient<u32>>()?.0,
                "after_page" => env.after_page = map.next_value::<Lenient<String>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(env)
    }
}

fn envelope<T: DeserializeOwned>(body: &[u8], keys: &[&str]) -> Result<Envelope<T>, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let env = EnvelopeSeed::<T> {
        keys,
        _t: PhantomData,
    }
    .deserialize(&mut de)
    .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(env)
}

/// The text of a missing `data` (or of none of its keys).
pub fn missing(keys: &[&str]) -> String {
    match keys {
        [] => "the response has no `data`".to_string(),
        _ => format!(
            "the response has no {}",
            keys.iter()
                .map(|k| format!("`data.{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// The value under `data[key]` (or all of `data`).
pub fn one<T: DeserializeOwned>(body: &[u8], keys: &[&str]) -> Result<T, String> {
    let env = envelope::<T>(body, keys)?;
    env.data.and_then(|d| d.value).ok_or_else(|| missing(keys))
}

/// A list under `data[key]`; a single object is taken as a list of one.
pub fn list<T: DeserializeOwned>(body: &[u8], keys: &[&str]) -> Result<Vec<T>, String> {
    one::<OneOrMany<T>>(body, keys).map(|o| o.0)
}

/// A page: the list under `data[key]` with the envelope's and `data`'s page metadata.
pub fn page<T: DeserializeOwned>(body: &[u8], keys: &[&str]) -> Result<Page<T>, String> {
    let env = envelope::<Vec<T>>(body, keys)?;
    let data = env.data.ok_or_else(|| missing(keys))?;
    let items = data.value.ok_or_else(|| missing(keys))?;
    let m = data.meta;
    Ok(Page {
        items,
        page: env.page.or(m.page),
        limit: env.limit.or(m.limit),
        next_page: m.next_page,
        after_page: env.after_page.or(m.after_page),
        last_key: m.last_key,
        size: m.size,
        total_count: m.total_count,
    })
}

/// A value that may come as one object or a list of them.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either<T> {
            Many(Vec<T>),
            One(T),
        }
        Ok(match Either::<T>::deserialize(d)? {
            Either::Many(v) => OneOrMany(v),
            Either::One(t) => OneOrMany(vec![t]),
        })
    }
}

/// The API's error messages in a body: `errors` as a list or a string (also `error`,
/// `message`). Empty when the body is not such JSON.
pub fn error_messages(body: &[u8]) -> Vec<String> {
    serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| error_messages_of(&v))
        .unwrap_or_default()
}

/// [`error_messages`] of a body already parsed (by the host, in JavaScript).
pub fn error_messages_of(body: &serde_json::Value) -> Vec<String> {
    let serde_json::Value::Object(map) = body else {
        return Vec::new();
    };
    for key in ["errors", "error", "message"] {
        match map.get(key) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => return vec![s.clone()],
            Some(serde_json::Value::Array(items)) => {
                return items
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => crate::text::json_text(other),
                    })
                    .collect();
            }
            Some(serde_json::Value::Object(o)) => {
                return o
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{k}: {}",
                            v.as_str()
                                .map_or_else(|| crate::text::json_text(v), str::to_string)
                        )
                    })
                    .collect();
            }
            _ => {}
        }
    }
    Vec::new()
}

/// For a 2xx answer whose body says it failed (`{"status": 400, "errors": ...}`).
pub fn embedded_error(body: &[u8]) -> Option<(u16, Vec<String>)> {
    embedded_error_of(&serde_json::from_slice(body).ok()?)
}

/// [`embedded_error`] of a body already parsed (by the host, in JavaScript).
pub fn embedded_error_of(body: &serde_json::Value) -> Option<(u16, Vec<String>)> {
    let status = match body.get("status")? {
        serde_json::Value::Number(n) => n.as_u64()?,
        serde_json::Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    let status = u16::try_from(status)
        .ok()
        .filter(|s| (400..600).contains(s))?;
    Some((status, error_messages_of(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Contact, Tag};

    /// A contact with every field the reference always sends.
    fn contact(id: &str, extra: &str) -> String {
        format!(
            r#"{{"id":"{id}","tags":[],"tag_details":[],"opted_out":false,"double_opted_in":false,"muted":false,"blocked":false{extra}}}"#
        )
    }

    #[test]
    fn page_takes_envelope_and_data_metadata() {
        let body = format!(
            r#"{{"status":200,"data":{{"contacts":[{},{}],"size":2,"next_page":"cur1"}},"page":1,"limit":30,"extra":{{"x":[1,2]}}}}"#,
            contact("a", ""),
            contact("b", r#","fav":"blue""#)
        );
        let p: Page<Contact> = page(body.as_bytes(), &["contacts"]).unwrap();
        assert_eq!(p.items.len(), 2);
        assert_eq!(
            p.items[1].custom_fields.get("fav"),
            Some(&serde_json::Value::from("blue"))
        );
        assert_eq!((p.page, p.limit, p.size), (Some(1), Some(30), Some(2)));
        assert_eq!(p.next_page.as_deref(), Some("cur1"));
    }

    #[test]
    fn null_cursor_and_tags_last_key() {
        let body = br#"{"status":200,"data":{"tags":[{"name":"x"}],"last_key":"x"},"limit":30}"#;
        let p: Page<Tag> = page(body, &["tags"]).unwrap();
        assert_eq!(p.last_key.as_deref(), Some("x"));
        let body = br#"{"data":{"contacts":[],"next_page":null}}"#;
        let p: Page<Contact> = page(body, &["contacts"]).unwrap();
        assert_eq!(p.next_page, None);
    }

    #[test]
    fn first_listed_key_wins_and_single_objects_become_lists() {
        let body = format!(r#"{{"data":{{"contact":{}}}}}"#, contact("one", ""));
        let v: Vec<Contact> = list(body.as_bytes(), &["contacts", "contact"]).unwrap();
        assert_eq!(v.len(), 1);
        let body = format!(
            r#"{{"data":{{"contact":{},"contacts":[{},{}]}}}}"#,
            contact("one", ""),
            contact("a", ""),
            contact("b", "")
        );
        let v: Vec<Contact> = list(body.as_bytes(), &["contacts", "contact"]).unwrap();
        assert_eq!(
            v.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn missing_data_and_trailing_garbage_are_errors() {
        assert!(
            one::<Contact>(br#"{"status":200}"#, &["contact"])
                .unwrap_err()
                .contains("data.contact")
        );
        let ok = format!(r#"{{"data":{{"contact":{}}}}}"#, contact("a", ""));
        assert!(one::<Contact>(ok.as_bytes(), &["contact"]).is_ok());
        assert!(one::<Contact>(format!("{ok} x").as_bytes(), &["contact"]).is_err());
        assert!(one::<Contact>(&ok.as_bytes()[..ok.len() - 3], &["contact"]).is_err());
        let missing =
            one::<Contact>(br#"{"data":{"contact":{"id":"a"}}}"#, &["contact"]).unwrap_err();
        assert!(missing.contains("missing field"), "{missing}");
    }

    #[test]
    fn error_messages_accept_string_or_list() {
        assert_eq!(
            error_messages(br#"{"status":401,"errors":["Unauthorized"]}"#),
            ["Unauthorized"]
        );
        assert_eq!(
            error_messages(br#"{"status":400,"errors":"+16505551234 is already opted out"}"#),
            ["+16505551234 is already opted out"]
        );
        assert!(error_messages(b"<html>502</html>").is_empty());
        assert_eq!(
            embedded_error(br#"{"status":400,"errors":"no"}"#),
            Some((400, vec!["no".to_string()]))
        );
        assert_eq!(embedded_error(br#"{"status":200,"data":{}}"#), None);
    }
}

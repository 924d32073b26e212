//! How the core's value types cross a uniffi boundary (the `uniffi` feature, used by the
//! JVM host in `bindings/uniffi`). Records and enums are annotated in place on their
//! declarations; these are the types with a representation of their own:
//!
//! * [`Timestamp`]: seconds since the epoch (`Double` in Kotlin);
//! * [`Ids`] and [`CsvList`]: lists of strings;
//! * [`JsonValue`]: JSON text (the Kotlin package reads it into `null`, `Boolean`, `Long`,
//!   `Double`, `String`, `List` and `Map` values, see `uniffi.toml`);
//! * [`JsonMap`] (custom contact fields, unknown response fields): a map from names to
//!   such values, in the order the API sent them.

use uniffi::{FfiConverter, MetadataBuffer};

use crate::types::CsvList;
use crate::types::{Ids, JsonMap, JsonValue, Timestamp};

uniffi::custom_type!(Timestamp, f64, {
    lower: |t| t.0,
    try_lift: |secs| Ok(Timestamp(secs)),
});

uniffi::custom_type!(Ids, Vec<String>, {
    lower: |ids| ids.0,
    try_lift: |ids| Ok(Ids(ids)),
});

uniffi::custom_type!(CsvList, Vec<String>, {
    lower: |list| list.0,
    try_lift: |list| Ok(CsvList(list)),
});

uniffi::custom_type!(JsonValue, String, {
    lower: |v| v.0.to_string(),
    try_lift: |text| Ok(JsonValue(serde_json::from_str(&text)?)),
});

type Tag = crate::UniFfiTag;

// A map type to the foreign side (`Map<String, JsonValue>`), written in its own order: a
// `HashMap` (what uniffi's map conversion takes) would shuffle the fields.
unsafe impl FfiConverter<Tag> for JsonMap {
    uniffi::ffi_converter_rust_buffer_lift_and_lower!(Tag);

    fn write(obj: JsonMap, buf: &mut Vec<u8>) {
        // At most i32::MAX entries, as for any uniffi map.
        let len = i32::try_from(obj.0.len()).unwrap_or(i32::MAX);
        <i32 as uniffi::Lower<Tag>>::write(len, buf);
        for (key, value) in obj.0.into_iter().take(usize::try_from(len).unwrap_or(0)) {
            <String as uniffi::Lower<Tag>>::write(key, buf);
            <JsonValue as uniffi::Lower<Tag>>::write(JsonValue(value), buf);
        }
    }

    fn try_read(buf: &mut &[u8]) -> uniffi::Result<JsonMap> {
        let len = <i32 as uniffi::Lift<Tag>>::try_read(buf)?;
        let len = usize::try_from(len)?;
        let mut map = serde_json::Map::with_capacity(len.min(1024));
        for _ in 0..len {
            let key = <String as uniffi::Lift<Tag>>::try_read(buf)?;
            let value = <JsonValue as uniffi::Lift<Tag>>::try_read(buf)?;
            map.insert(key, value.0);
        }
        Ok(JsonMap(map))
    }

    const TYPE_ID_META: MetadataBuffer =
        MetadataBuffer::from_code(uniffi::metadata::codes::TYPE_HASH_MAP)
            .concat(<String as uniffi::TypeId<Tag>>::TYPE_ID_META)
            .concat(<JsonValue as uniffi::TypeId<Tag>>::TYPE_ID_META);
}

uniffi::derive_ffi_traits!(local JsonMap);

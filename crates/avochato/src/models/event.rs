use serde::{Deserialize, Deserializer, Serialize};

use crate::types::{JsonMap, JsonValue, Timestamp};

use super::{Message, ScheduledMessage};

/// An event added through the API (`element_type` `CustomEvent`): a sale, a click...
#[avochato_macros::model]
pub struct CustomEvent {
    /// The user who added it.
    pub user_id: Option<String>,
    /// Inbox id.
    pub account_id: Option<String>,
    /// Conversation id.
    pub ticket_id: Option<String>,
    /// Contact id.
    pub contact_id: Option<String>,
    /// QA keyword id.
    pub qa_keyword_id: Option<JsonValue>,
    /// The kind of event (`sale`, `click`, ...).
    #[serde(rename = "type")]
    #[pyo3(name = "type")]
    pub event_type: Option<String>,
    /// What happened.
    pub context: Option<String>,
    /// Value created.
    pub revenue: Option<f64>,
    /// The event id.
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `CustomEvent`.
    pub element_type: String,
    /// When it was recorded.
    pub sent_at: Option<Timestamp>,
}

/// A ticket status change (`StatusChange`).
#[avochato_macros::model]
pub struct StatusChange {
    /// Inbox id.
    pub account_id: Option<String>,
    /// Conversation id.
    pub ticket_id: Option<String>,
    /// Who changed it.
    pub user_id: Option<String>,
    /// The new status.
    pub status: Option<String>,
    /// The event id.
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `StatusChange`.
    pub element_type: String,
    /// When it happened.
    pub sent_at: Option<Timestamp>,
}

/// A ticket owner change (`OwnerChange`).
#[avochato_macros::model]
pub struct OwnerChange {
    /// Inbox id.
    pub account_id: Option<String>,
    /// Conversation id.
    pub ticket_id: Option<String>,
    /// Who changed it.
    pub user_id: Option<String>,
    /// The new owner's id.
    pub owner_id: Option<String>,
    /// The previous owner's id.
    pub old_owner_id: Option<String>,
    /// The event id.
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `OwnerChange`.
    pub element_type: String,
    /// When it happened.
    pub sent_at: Option<Timestamp>,
}

/// A phone call (`Call`).
#[avochato_macros::model]
pub struct CallEvent {
    /// Inbox id.
    pub account_id: Option<String>,
    /// Caller.
    pub call_from: Option<String>,
    /// Called number.
    pub call_to: Option<String>,
    /// Voicemail.
    pub voicemail: Option<JsonValue>,
    /// `in` or `out`.
    pub direction: Option<String>,
    /// `completed`, `no-answer`, ...
    pub call_status: Option<String>,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// Length in seconds.
    pub duration: Option<i64>,
    /// Billing segments.
    pub segments: Option<i64>,
    /// Recording URL.
    pub recording_url: Option<String>,
    /// Recording status.
    pub recording_status: Option<String>,
    /// Transcript.
    pub transcript: Option<JsonValue>,
    /// Transcript status.
    pub transcript_status: Option<String>,
    /// Summary.
    pub summary: Option<JsonValue>,
    /// The event id.
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `Call`.
    pub element_type: String,
    /// When it happened.
    pub sent_at: Option<Timestamp>,
}

/// One entry of a conversation's event stream, by its `element_type`.
///
/// Types the SDK does not know yet, and events that do not fit their type, decode as
/// [`Event::Unknown`], with every field kept.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(untagged)]
pub enum Event {
    /// `CustomEvent`.
    CustomEvent(CustomEvent),
    /// `StatusChange`.
    StatusChange(StatusChange),
    /// `OwnerChange`.
    OwnerChange(OwnerChange),
    /// `Call`.
    Call(CallEvent),
    /// `SmsMessage`.
    SmsMessage(Message),
    /// `PendingMessage`.
    PendingMessage(ScheduledMessage),
    /// Any other `element_type`, kept as it came.
    Unknown(JsonMap),
}

impl Event {
    /// The event's `element_type`.
    pub fn element_type(&self) -> &str {
        match self {
            Event::CustomEvent(_) => "CustomEvent",
            Event::StatusChange(_) => "StatusChange",
            Event::OwnerChange(_) => "OwnerChange",
            Event::Call(_) => "Call",
            Event::SmsMessage(_) => "SmsMessage",
            Event::PendingMessage(_) => "PendingMessage",
            Event::Unknown(m) => m.get("element_type").and_then(|v| v.as_str()).unwrap_or(""),
        }
    }

    /// The event id, whatever the type.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            Event::CustomEvent(e) => Some(&e.event_id),
            Event::StatusChange(e) => Some(&e.event_id),
            Event::OwnerChange(e) => Some(&e.event_id),
            Event::Call(e) => Some(&e.event_id),
            Event::SmsMessage(e) => Some(&e.event_id),
            Event::PendingMessage(e) => Some(&e.event_id),
            Event::Unknown(m) => m.get("event_id").and_then(|v| v.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Keep the element's raw JSON, read its type, then decode it from the raw text with
        // the same (slice) deserializer the other responses use.
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        #[derive(Deserialize)]
        struct Kind<'a> {
            #[serde(borrow, default)]
            element_type: Option<std::borrow::Cow<'a, str>>,
        }
        let bytes = raw.get().as_bytes();
        let kind = serde_json::from_slice::<Kind<'_>>(bytes)
            .ok()
            .and_then(|k| k.element_type)
            .unwrap_or_default();
        let event = match kind.as_ref() {
            "CustomEvent" => serde_json::from_slice(bytes).map(Event::CustomEvent),
            "StatusChange" => serde_json::from_slice(bytes).map(Event::StatusChange),
            "OwnerChange" => serde_json::from_slice(bytes).map(Event::OwnerChange),
            "Call" => serde_json::from_slice(bytes).map(Event::Call),
            "SmsMessage" => serde_json::from_slice(bytes).map(Event::SmsMessage),
            "PendingMessage" => serde_json::from_slice(bytes).map(Event::PendingMessage),
            _ => Err(serde::de::Error::custom("unknown element_type")),
        };
        // Unknown types, and events that do not fit their type, are kept as they came: one
        // odd event does not make the whole stream unreadable.
        event.or_else(|e| {
            tracing::debug!(element_type = %kind, error = %e, "event kept as Event::Unknown");
            serde_json::from_slice::<JsonMap>(bytes)
                .map(Event::Unknown)
                .map_err(serde::de::Error::custom)
        })
    }
}

impl crate::describe::Describe for Event {
    const INFO: &'static crate::describe::TypeInfo = &crate::describe::TypeInfo {
        name: "Event",
        #[cfg(not(target_arch = "wasm32"))]
        doc: "One entry of a conversation's event stream, by its element_type.",
        fields: &[],
        variants: &[],
        checks: &[],
        closed: false,
        union: Some(crate::describe::Union {
            tag: "element_type",
            cases: &[
                ("CustomEvent", CustomEvent::INFO),
                ("StatusChange", StatusChange::INFO),
                ("OwnerChange", OwnerChange::INFO),
                ("Call", CallEvent::INFO),
                ("SmsMessage", Message::INFO),
                ("PendingMessage", ScheduledMessage::INFO),
            ],
        }),
    };
}

impl crate::describe::DescribeType for Event {
    const TYPE: crate::describe::TypeRef =
        crate::describe::TypeRef::Model(<Event as crate::describe::Describe>::INFO);
}

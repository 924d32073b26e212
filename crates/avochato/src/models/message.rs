use crate::types::{JsonValue, Timestamp};

/// A text or live-chat message (event type `SmsMessage`).
#[avochato_macros::model]
pub struct Message {
    /// Message UUID.
    pub uuid: Option<String>,
    /// Inbox id.
    pub account_id: Option<String>,
    /// Conversation (ticket) id.
    pub ticket_id: Option<String>,
    /// Contact id.
    pub contact_id: Option<String>,
    /// Sender's id.
    pub sender_id: Option<String>,
    /// Sender kind (`User`, ...).
    pub sender_type: Option<String>,
    /// The broadcast that sent it.
    pub broadcast_id: Option<String>,
    /// Salesforce activity id.
    pub salesforce_activity_id: Option<String>,
    /// Salesforce group activity id.
    pub salesforce_group_activity_id: Option<String>,
    /// Recipient (phone or live-chat id).
    pub to: Option<String>,
    /// Sender (phone or live-chat id).
    #[pyo3(name = "from_")]
    pub from: Option<String>,
    /// `in` (received) or `out` (sent).
    pub direction: Option<String>,
    /// Origin (`api`, ...).
    pub origin: Option<String>,
    /// Text.
    pub message: Option<String>,
    /// Attached contents.
    pub contents: Vec<JsonValue>,
    /// SMS segments.
    pub segments: Option<i64>,
    /// Carrier.
    pub carrier: Option<String>,
    /// Carrier's message id.
    pub external_id: Option<String>,
    /// `queued`, `delivered`, `undelivered`, `failed`.
    pub status: Option<String>,
    /// Delivery error code (0: none).
    pub error_code: Option<i64>,
    /// Delivery error text.
    pub error_description: Option<String>,
    /// Why it was not sent.
    pub reason: Option<String>,
    /// URL receiving delivery updates.
    pub status_callback: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Sent.
    pub sent_at: Option<Timestamp>,
    /// Why the content was blocked.
    pub content_blocked: Option<JsonValue>,
    /// Delivery speed multiplier.
    pub boost_multiplier: Option<f64>,
    /// The event id (pass it to `messages.get`).
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `SmsMessage`.
    pub element_type: String,
}

/// A message scheduled for later (event type `PendingMessage`).
#[avochato_macros::model]
pub struct ScheduledMessage {
    /// Inbox id.
    pub account_id: Option<String>,
    /// Conversation (ticket) id.
    pub ticket_id: Option<String>,
    /// Contact id.
    pub contact_id: Option<String>,
    /// Who scheduled it.
    pub sender: Option<String>,
    /// Text.
    pub message: Option<String>,
    /// MMS media URL.
    pub media_url: Option<String>,
    /// Whether it was cancelled.
    pub aborted: bool,
    /// The message it became once sent.
    pub sent: SentRef,
    /// When it goes out.
    pub scheduled_for: Option<Timestamp>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Condition that cancels it.
    pub cancel_on: Option<JsonValue>,
    /// Who cancelled it.
    pub aborter_id: Option<i64>,
    /// Name of who cancelled it.
    pub aborted_by: Option<String>,
    /// Why it was cancelled.
    pub abort_reason: Option<String>,
    /// URL receiving delivery updates.
    pub status_callback: Option<String>,
    /// The event id (pass it to `messages.cancel`).
    pub event_id: String,
    /// The element id.
    pub element_id: Option<String>,
    /// `PendingMessage`.
    pub element_type: String,
    /// When the event was recorded.
    pub sent_at: Option<Timestamp>,
}

/// The message a scheduled message became.
#[avochato_macros::model]
#[derive(Default)]
pub struct SentRef {
    /// Its element id.
    pub element_id: Option<String>,
    /// Its element type.
    pub element_type: Option<String>,
}

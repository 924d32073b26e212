//! The 64 documented operations, on the mock's state.

mod accounts;
mod broadcasts;
mod campaigns;
mod contacts;
mod events;
mod messages;
mod tags;
mod tickets;
mod users;

use serde_json::{Map, Value, json};

use crate::http::{ApiError, ApiResult, Params};
use crate::state::{EventKind, EventRow, Inbox, State, TicketRow};

/// What a handler knows about the request.
pub struct Ctx<'a> {
    pub params: Params<'a>,
    pub segments: &'a [String],
    pub user_id: String,
    pub inbox_id: String,
    pub now: f64,
}

impl Ctx<'_> {
    /// Path segment `i` (`/v1/contacts/:ids` has the ids at 2).
    pub fn seg(&self, i: usize) -> &str {
        self.segments.get(i).map(String::as_str).unwrap_or("")
    }

    /// The comma-separated ids in path segment `i`.
    pub fn ids(&self, i: usize) -> Vec<String> {
        self.seg(i)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

pub type Handler = fn(&mut State, &Ctx) -> ApiResult<Value>;

/// The routing table: method, path pattern (`:x` is any segment), handler.
pub const ROUTES: &[(&str, &[&str], Handler)] = &[
    ("GET", &["v1", "whoami"], accounts::whoami),
    ("GET", &["v1", "accounts"], accounts::list),
    ("GET", &["v1", "accounts", ":ids"], accounts::fetch),
    (
        "GET",
        &["v1", "broadcasts", ":id", "audience_count"],
        broadcasts::audience_count,
    ),
    ("POST", &["v1", "broadcasts"], broadcasts::create),
    ("GET", &["v1", "broadcasts"], broadcasts::list),
    ("GET", &["v1", "broadcasts", ":ids"], broadcasts::fetch),
    (
        "POST",
        &["v1", "broadcasts", ":id", "publish"],
        broadcasts::publish,
    ),
    ("POST", &["v1", "broadcasts", ":id"], broadcasts::update),
    ("POST", &["v1", "calls"], campaigns::call_token),
    ("GET", &["v1", "campaigns"], campaigns::list),
    ("GET", &["v1", "campaigns", ":ids"], campaigns::fetch),
    (
        "POST",
        &["v1", "campaigns", ":id", "cancel"],
        campaigns::cancel,
    ),
    (
        "DELETE",
        &["v1", "contacts", "remove_all"],
        contacts::remove_all,
    ),
    ("GET", &["v1", "contacts"], contacts::search),
    ("GET", &["v1", "contacts", ":ids"], contacts::fetch),
    ("POST", &["v1", "contacts"], contacts::upsert),
    (
        "POST",
        &["v1", "contacts", ":id", "events"],
        events::add_to_contact,
    ),
    ("POST", &["v1", "events"], events::add_by_phone),
    (
        "POST",
        &["v1", "tickets", ":id", "events"],
        events::add_to_ticket,
    ),
    ("GET", &["v1", "tickets", ":ids", "events"], events::fetch),
    (
        "GET",
        &["v1", "messages", "scheduled"],
        messages::search_scheduled,
    ),
    ("GET", &["v1", "messages"], messages::search),
    ("GET", &["v1", "messages", ":id"], messages::get),
    ("DELETE", &["v1", "messages", ":id"], messages::cancel),
    ("POST", &["v1", "messages"], messages::send),
    (
        "POST",
        &["v1", "contacts", ":ids", "tags"],
        tags::tag_contacts,
    ),
    (
        "DELETE",
        &["v1", "contacts", ":ids", "tags"],
        tags::untag_contacts,
    ),
    ("POST", &["v1", "tags"], tags::tag_phone),
    ("DELETE", &["v1", "tags"], tags::untag_phone),
    ("GET", &["v1", "tags"], tags::list),
    ("PUT", &["v1", "tickets", ":ids"], tickets::update),
    (
        "GET",
        &["v1", "tickets", ":id", "previous"],
        tickets::previous,
    ),
    ("GET", &["v1", "tickets"], tickets::search),
    ("GET", &["v1", "tickets", ":ids"], tickets::fetch),
    ("POST", &["v1", "users"], users::add),
    ("GET", &["v1", "users"], users::list),
    ("GET", &["v1", "users", ":id"], users::get),
    ("DELETE", &["v1", "users", ":id"], users::delete),
    ("PUT", &["v1", "users", ":id"], users::update_role),
    ("GET", &["v1", "users", ":id", "accounts"], users::accounts),
    ("POST", &["v1", "users", ":id", "disable"], users::disable),
    ("POST", &["v1", "users", ":id", "enable"], users::enable),
    (
        "POST",
        &["v1", "users", ":id", "mfa_phone"],
        users::mfa_phone,
    ),
    (
        "POST",
        &["v1", "users", ":id", "password_reset"],
        users::password_reset,
    ),
];

/// The handler for `method` and `segments`, if the route exists.
pub fn route(method: &str, segments: &[String]) -> Option<Handler> {
    ROUTES.iter().find_map(|(m, pattern, h)| {
        let fits = *m == method
            && pattern.len() == segments.len()
            && pattern
                .iter()
                .zip(segments)
                .all(|(p, s)| p.starts_with(':') || p == s);
        fits.then_some(*h)
    })
}

/// `{"status": 200, "data": data}`.
pub fn ok(data: Value) -> Value {
    json!({"status": 200, "data": data})
}

/// `{"status": 200, "data": data, "page": page}`.
pub fn ok_page(data: Value, page: usize) -> Value {
    json!({"status": 200, "data": data, "page": page})
}

/// `{"status": 200, "data": data, "page": page, "limit": 30}`.
pub fn ok_page_limit(data: Value, page: usize) -> Value {
    json!({"status": 200, "data": data, "page": page, "limit": crate::http::PAGE_SIZE})
}

pub fn inbox<'s>(state: &'s State, ctx: &Ctx) -> ApiResult<&'s Inbox> {
    state
        .inbox(&ctx.inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))
}

pub fn inbox_mut<'s>(state: &'s mut State, ctx: &Ctx) -> ApiResult<&'s mut Inbox> {
    state
        .inbox_mut(&ctx.inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))
}

/// The caller's role in the scoped inbox.
pub fn role(state: &State, ctx: &Ctx) -> String {
    state
        .inbox(&ctx.inbox_id)
        .and_then(|i| i.member(&ctx.user_id))
        .map(|m| m.role.clone())
        .unwrap_or_default()
}

/// The index of the contact with `phone`, created if missing.
pub fn ensure_contact(
    state: &mut State,
    inbox_id: &str,
    phone: &str,
    now: f64,
) -> ApiResult<usize> {
    let id = state.ids.next_id();
    let seq = state.ids.next_seq();
    let inbox = state
        .inbox_mut(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    if let Some(i) = inbox.contact_index(phone) {
        return Ok(i);
    }
    Ok(inbox.add_contact(crate::state::ContactRow {
        id,
        seq,
        phone: phone.to_string(),
        created_at: now,
        visible: true,
        due_for_compliance: true,
        ..Default::default()
    }))
}

/// The index of the contact's open ticket, or of a new one.
pub fn ensure_ticket(
    state: &mut State,
    inbox_id: &str,
    contact_id: &str,
    channel: &str,
    now: f64,
) -> ApiResult<usize> {
    let id = state.ids.next_id();
    let uuid = state.ids.uuid();
    let seq = state.ids.next_seq();
    let inbox = state
        .inbox_mut(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    if let Some(i) = inbox
        .tickets
        .iter()
        .rposition(|t| t.contact_id == contact_id && t.status != "Closed")
    {
        return Ok(i);
    }
    let owner = inbox
        .contacts
        .iter()
        .find(|c| c.id == contact_id)
        .and_then(|c| c.user_id.clone());
    inbox.tickets.push(TicketRow {
        id,
        seq,
        uuid,
        contact_id: contact_id.to_string(),
        user_id: owner,
        unaddressed: false,
        status: "Open".into(),
        origin: "Avochato".into(),
        channel: channel.into(),
        created_at: now,
        closed_at: None,
    });
    Ok(inbox.tickets.len() - 1)
}

/// Appends an event to a ticket's stream; returns its index.
pub fn push_event(
    state: &mut State,
    inbox_id: &str,
    ticket_id: &str,
    kind: EventKind,
    now: f64,
) -> ApiResult<usize> {
    let event_id = state.ids.next_id();
    let element_id = state.ids.next_id();
    let seq = state.ids.next_seq();
    let inbox = state
        .inbox_mut(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    let pending = matches!(kind, EventKind::Pending(_));
    inbox.events.push(EventRow {
        event_id,
        element_id,
        seq,
        ticket_id: ticket_id.to_string(),
        sent_at: now,
        kind,
    });
    let index = inbox.events.len() - 1;
    if pending {
        inbox.undelivered.push(index);
    }
    Ok(index)
}

/// Sends every scheduled message whose time has come (the mock's delivery).
pub fn deliver_due(state: &mut State, now: f64) {
    let mut due = Vec::new();
    for inbox in &mut state.inboxes {
        let events = &inbox.events;
        let id = &inbox.id;
        inbox
            .undelivered
            .retain(|&i| match events.get(i).map(|e| &e.kind) {
                Some(EventKind::Pending(p)) if p.aborted || p.sent_element_id.is_some() => false,
                Some(EventKind::Pending(p)) if p.scheduled_for <= now => {
                    due.push((id.clone(), i));
                    false
                }
                Some(EventKind::Pending(_)) => true,
                _ => false,
            });
    }
    for (inbox_id, index) in due {
        let uuid = state.ids.uuid();
        let Some(inbox) = state.inbox(&inbox_id) else {
            continue;
        };
        let Some(EventRow {
            ticket_id,
            kind: EventKind::Pending(p),
            ..
        }) = inbox.events.get(index).cloned()
        else {
            continue;
        };
        let msg = crate::state::MessageRow {
            uuid,
            contact_id: p.contact_id.clone(),
            sender_id: p.sender_id.clone(),
            broadcast_id: None,
            to: p.to.clone(),
            from: p.from.clone(),
            direction: "out".into(),
            origin: Some("api".into()),
            message: p.message.clone(),
            carrier: Some("mock".into()),
            external_id: None,
            status: "delivered".into(),
            status_callback: p.status_callback.clone(),
            media_url: p.media_url.clone(),
            created_at: now,
        };
        let Ok(sent) = push_event(state, &inbox_id, &ticket_id, EventKind::Sms(msg), now) else {
            continue;
        };
        if let Some(inbox) = state.inbox_mut(&inbox_id) {
            let element_id = inbox.events.get(sent).map(|e| e.element_id.clone());
            if let Some(EventRow {
                kind: EventKind::Pending(p),
                ..
            }) = inbox.events.get_mut(index)
            {
                p.sent_element_id = element_id;
            }
        }
    }
}

/// Renders a record for search matching.
pub fn as_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// An inbound text (control route).
pub fn inbound_message(
    state: &mut State,
    inbox_id: &str,
    from: &str,
    text: &str,
) -> ApiResult<Value> {
    messages::inbound(state, inbox_id, from, text, crate::state::now())
}

/// A finished phone call in a contact's conversation (control route); returns the ticket id.
pub fn record_call(
    state: &mut State,
    inbox_id: &str,
    phone: &str,
    direction: &str,
    duration: i64,
) -> ApiResult<String> {
    let now = crate::state::now();
    let ci = ensure_contact(state, inbox_id, phone, now)?;
    let inbox = state
        .inbox(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    let contact_id = inbox
        .contacts
        .get(ci)
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let number = inbox.numbers.first().cloned().unwrap_or_default();
    let ti = ensure_ticket(state, inbox_id, &contact_id, "sms", now)?;
    let ticket_id = state
        .inbox(inbox_id)
        .and_then(|i| i.tickets.get(ti))
        .map(|t| t.id.clone())
        .unwrap_or_default();
    let (from, to) = if direction == "out" {
        (number, phone.to_string())
    } else {
        (phone.to_string(), number)
    };
    let kind = EventKind::Call {
        from,
        to,
        direction: direction.to_string(),
        duration,
    };
    push_event(state, inbox_id, &ticket_id, kind, now)?;
    Ok(ticket_id)
}

/// Enrols phone numbers on a campaign step (control route).
pub fn enroll(state: &mut State, inbox_id: &str, key: &str, phones: &[String]) -> ApiResult<usize> {
    campaigns::enroll(state, inbox_id, key, phones, crate::state::now())
}

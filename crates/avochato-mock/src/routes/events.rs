use serde_json::{Value, json};

use super::{Ctx, ensure_contact, ensure_ticket, inbox, ok_page_limit, push_event};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, normalize_phone, page_of};
use crate::state::{EventKind, State, event_json};

fn add(state: &mut State, ctx: &Ctx, contact_id: String, ticket_id: String) -> ApiResult<Value> {
    let p = &ctx.params;
    let event_type = p.required("type")?;
    let kind = EventKind::Custom {
        user_id: ctx.user_id.clone(),
        contact_id,
        event_type,
        context: p.str("context"),
        revenue: p.f64("revenue")?,
    };
    let i = push_event(state, &ctx.inbox_id, &ticket_id, kind, ctx.now)?;
    let inbox = inbox(state, ctx)?;
    let event = inbox
        .events
        .get(i)
        .map(|e| event_json(e, &inbox.id))
        .unwrap_or(Value::Null);
    Ok(json!({"status": 200, "data": {"event": event}}))
}

pub fn add_to_contact(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let contact_id = ctx.seg(2).to_string();
    let channel = match inbox(state, ctx)?.contact(&contact_id) {
        Some(c) if c.phone.starts_with("avochato:") => "chat",
        Some(_) => "sms",
        None => return Err(ApiError::not_found("Contact")),
    };
    let t = ensure_ticket(state, &ctx.inbox_id, &contact_id, channel, ctx.now)?;
    let ticket_id = inbox(state, ctx)?
        .tickets
        .get(t)
        .map(|t| t.id.clone())
        .unwrap_or_default();
    add(state, ctx, contact_id, ticket_id)
}

pub fn add_by_phone(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let raw = ctx.params.required("phone")?;
    let phone =
        normalize_phone(&raw).ok_or_else(|| ApiError::bad(format!("phone {raw:?} is invalid")))?;
    ctx.params.required("type")?;
    let c = ensure_contact(state, &ctx.inbox_id, &phone, ctx.now)?;
    let contact_id = inbox(state, ctx)?
        .contacts
        .get(c)
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let t = ensure_ticket(state, &ctx.inbox_id, &contact_id, "sms", ctx.now)?;
    let ticket_id = inbox(state, ctx)?
        .tickets
        .get(t)
        .map(|t| t.id.clone())
        .unwrap_or_default();
    add(state, ctx, contact_id, ticket_id)
}

pub fn add_to_ticket(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let ticket_id = ctx.seg(2).to_string();
    let contact_id = inbox(state, ctx)?
        .ticket(&ticket_id)
        .map(|t| t.contact_id.clone())
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    add(state, ctx, contact_id, ticket_id)
}

/// The events of the tickets, newest first, 30 to a page.
pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let ids = ctx.ids(2);
    let inbox = inbox(state, ctx)?;
    let mut events: Vec<_> = inbox
        .events
        .iter()
        .filter(|e| ids.contains(&e.ticket_id))
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.seq));
    let rendered: Vec<Value> = events
        .into_iter()
        .map(|e| event_json(e, &inbox.id))
        .collect();
    Ok(ok_page_limit(
        json!({"events": page_of(rendered, page, PAGE_SIZE)}),
        page,
    ))
}

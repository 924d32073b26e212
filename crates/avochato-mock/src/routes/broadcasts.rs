use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{
    Ctx, ensure_contact, ensure_ticket, inbox, inbox_mut, ok, ok_page, ok_page_limit, push_event,
};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, Params, normalize_phone, page_of};
use crate::state::{BroadcastRow, EventKind, MessageRow, State, broadcast_json};

const MAX_CHARS: usize = 1600;

/// The contacts `via_tags`, `via_contact_ids`, `via_phone_numbers` and `via_field` name
/// (phone numbers without a contact get one).
fn audience(state: &mut State, ctx: &Ctx, p: &Params) -> ApiResult<BTreeSet<String>> {
    let mut ids = BTreeSet::new();
    let mut phones = Vec::new();
    for raw in p.list("via_phone_numbers") {
        phones.push(
            normalize_phone(&raw)
                .ok_or_else(|| ApiError::bad(format!("via_phone_numbers: {raw} is invalid")))?,
        );
    }
    for phone in phones {
        let i = ensure_contact(state, &ctx.inbox_id, &phone, ctx.now)?;
        if let Some(c) = inbox(state, ctx)?.contacts.get(i) {
            ids.insert(c.id.clone());
        }
    }
    let tags = p.list("via_tags");
    let contact_ids = p.list("via_contact_ids");
    let field = p
        .object("via_field")
        .map(|o| (Params(o).str("field"), Params(o).str("value")));
    let inbox = inbox(state, ctx)?;
    for c in inbox.contacts.iter().filter(|c| c.visible) {
        let by_tag = c.tags.iter().any(|t| tags.contains(t));
        let by_id = contact_ids.contains(&c.id);
        let by_field = match &field {
            Some((Some(f), Some(v))) => {
                let rendered = crate::state::contact_json(c);
                rendered
                    .get(f)
                    .and_then(|x| match x {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => Some(other.to_string()),
                    })
                    .is_some_and(|s| s == *v)
            }
            _ => false,
        };
        if by_tag || by_id || by_field {
            ids.insert(c.id.clone());
        }
    }
    Ok(ids)
}

fn render(state: &State, b: &BroadcastRow, detail: bool, pending: bool) -> Value {
    broadcast_json(b, state.user(&b.user_id), detail, pending)
}

pub fn create(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let message = p.required("message")?;
    if message.chars().count() > MAX_CHARS {
        return Err(ApiError::bad(format!(
            "message is longer than {MAX_CHARS} characters"
        )));
    }
    let audience = audience(state, ctx, p)?;
    let id = state.ids.next_id();
    let row = BroadcastRow {
        id,
        name: p.str("name"),
        message,
        media_url: p.str("media_url"),
        status_callback: p.str("status_callback"),
        status: "draft".into(),
        created_at: ctx.now,
        updated_at: ctx.now,
        scheduled_for: 0.0,
        completed_at: None,
        user_id: ctx.user_id.clone(),
        audience,
        attempted: 0,
        delivered: 0,
    };
    let rendered = render(state, &row, true, true);
    inbox_mut(state, ctx)?.broadcasts.push(row);
    Ok(ok(json!({"broadcast": rendered})))
}

pub fn update(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = ctx.seg(2).to_string();
    let p = &ctx.params;
    let status = inbox(state, ctx)?
        .broadcasts
        .iter()
        .find(|b| b.id == id)
        .map(|b| b.status.clone())
        .ok_or_else(|| ApiError::not_found("Broadcast"))?;
    if status != "draft" {
        return Err(ApiError::bad(format!(
            "A {status} broadcast cannot be changed"
        )));
    }
    if let Some(m) = p.str("message")
        && m.chars().count() > MAX_CHARS
    {
        return Err(ApiError::bad(format!(
            "message is longer than {MAX_CHARS} characters"
        )));
    }
    let more = audience(state, ctx, p)?;
    let now = ctx.now;
    let inbox = inbox_mut(state, ctx)?;
    let Some(b) = inbox.broadcasts.iter_mut().find(|b| b.id == id) else {
        return Err(ApiError::not_found("Broadcast"));
    };
    if let Some(m) = p.str("message") {
        b.message = m;
    }
    if let Some(n) = p.str("name") {
        b.name = Some(n);
    }
    if let Some(u) = p.str("media_url") {
        b.media_url = Some(u);
    }
    b.audience.extend(more);
    b.updated_at = now;
    let row = b.clone();
    Ok(ok(json!({"broadcast": render(state, &row, true, true)})))
}

pub fn publish(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = ctx.seg(2).to_string();
    let asap = ctx.params.bool("asap")?.unwrap_or(false);
    let when = ctx.params.f64("scheduled_for")?;
    if !asap && when.is_none() {
        return Err(ApiError::missing("scheduled_for or asap"));
    }
    let row = inbox(state, ctx)?
        .broadcasts
        .iter()
        .find(|b| b.id == id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Broadcast"))?;
    if row.status != "draft" {
        return Err(ApiError::bad(format!(
            "This broadcast is already {}",
            row.status
        )));
    }
    let send_now = asap || when.is_some_and(|t| t <= ctx.now);
    let mut sent = 0;
    if send_now {
        let from = inbox(state, ctx)?
            .numbers
            .first()
            .cloned()
            .unwrap_or_default();
        for contact_id in &row.audience {
            let Some(contact) = inbox(state, ctx)?.contact(contact_id).cloned() else {
                continue;
            };
            if contact.opted_out || contact.blocked {
                continue;
            }
            let t = ensure_ticket(state, &ctx.inbox_id, contact_id, "sms", ctx.now)?;
            let ticket_id = inbox(state, ctx)?
                .tickets
                .get(t)
                .map(|t| t.id.clone())
                .unwrap_or_default();
            let uuid = state.ids.uuid();
            let msg = MessageRow {
                uuid,
                contact_id: contact_id.clone(),
                sender_id: Some(row.user_id.clone()),
                broadcast_id: Some(row.id.clone()),
                to: contact.phone.clone(),
                from: from.clone(),
                direction: "out".into(),
                origin: Some("broadcast".into()),
                message: row.message.replace(
                    "$first_name",
                    contact
                        .name
                        .as_deref()
                        .and_then(|n| n.split_whitespace().next())
                        .unwrap_or(""),
                ),
                carrier: Some("mock".into()),
                external_id: None,
                status: "delivered".into(),
                status_callback: row.status_callback.clone(),
                media_url: row.media_url.clone(),
                created_at: ctx.now,
            };
            push_event(
                state,
                &ctx.inbox_id,
                &ticket_id,
                EventKind::Sms(msg),
                ctx.now,
            )?;
            sent += 1;
        }
    }
    let now = ctx.now;
    let inbox = inbox_mut(state, ctx)?;
    let Some(b) = inbox.broadcasts.iter_mut().find(|b| b.id == id) else {
        return Err(ApiError::not_found("Broadcast"));
    };
    b.scheduled_for = if asap { now } else { when.unwrap_or(now) };
    b.updated_at = now;
    if send_now {
        b.status = "completed".into();
        b.completed_at = Some(now);
        b.attempted = sent;
        b.delivered = sent;
    } else {
        b.status = "scheduled".into();
    }
    let row = b.clone();
    Ok(ok(json!({"broadcast": render(state, &row, true, false)})))
}

pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let ids = ctx.ids(2);
    let inbox = inbox(state, ctx)?;
    let found: Vec<Value> = ids
        .iter()
        .filter_map(|id| inbox.broadcasts.iter().find(|b| b.id == *id))
        .map(|b| render(state, b, true, false))
        .collect();
    Ok(ok_page(
        json!({"broadcasts": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn list(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let (from, to) = ctx.params.range("created_at")?;
    let inbox = inbox(state, ctx)?;
    let found: Vec<Value> = inbox
        .broadcasts
        .iter()
        .rev()
        .filter(|b| from.is_none_or(|f| b.created_at >= f) && to.is_none_or(|t| b.created_at <= t))
        .map(|b| render(state, b, false, false))
        .collect();
    Ok(ok_page_limit(
        json!({"broadcasts": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn audience_count(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let inbox = inbox(state, ctx)?;
    let b = inbox
        .broadcasts
        .iter()
        .find(|b| b.id == ctx.seg(2))
        .ok_or_else(|| ApiError::not_found("Broadcast"))?;
    Ok(json!({"data": {"count": b.audience.len()}}))
}

use serde_json::{Value, json};

use super::{Ctx, as_map, ensure_contact, ensure_ticket, inbox, ok, ok_page, push_event};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, normalize_phone, page_of};
use crate::search;
use crate::state::{
    EventKind, MessageRow, PendingRow, State, event_json, message_json, pending_json,
};

const MAX_CHARS: usize = 1600;
const YEAR: f64 = 365.0 * 86_400.0;

fn phone_filter(ctx: &Ctx, key: &str) -> Option<String> {
    ctx.params
        .str(key)
        .map(|p| normalize_phone(&p).unwrap_or(p))
}

pub fn search(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let page = p.page()?;
    let direction = p.str("direction");
    if direction
        .as_deref()
        .is_some_and(|d| d != "in" && d != "out")
    {
        return Err(ApiError::bad("direction must be in or out"));
    }
    let status = p.str("status");
    let (from, to) = (phone_filter(ctx, "from"), phone_filter(ctx, "to"));
    let (contact_id, ticket_id, sender_id) =
        (p.str("contact_id"), p.str("ticket_id"), p.str("sender_id"));
    let (after, before) = p.range("created_at")?;
    let query = search::parse(&p.str("query").unwrap_or_default());
    let inbox = super::inbox(state, ctx)?;
    let found: Vec<Value> = inbox
        .events
        .iter()
        .rev()
        .filter_map(|e| match &e.kind {
            EventKind::Sms(m) => Some((e, m)),
            _ => None,
        })
        .filter(|(e, m)| {
            direction.as_ref().is_none_or(|d| *d == m.direction)
                && status.as_ref().is_none_or(|s| *s == m.status)
                && from.as_ref().is_none_or(|f| *f == m.from)
                && to.as_ref().is_none_or(|t| *t == m.to)
                && contact_id.as_ref().is_none_or(|c| *c == m.contact_id)
                && ticket_id.as_ref().is_none_or(|t| *t == e.ticket_id)
                && sender_id
                    .as_ref()
                    .is_none_or(|s| m.sender_id.as_ref() == Some(s))
                && after.is_none_or(|a| m.created_at >= a)
                && before.is_none_or(|b| m.created_at <= b)
        })
        .filter(|(e, m)| query.is_all() || query.matches(&as_map(message_json(e, m, &inbox.id))))
        .skip((page - 1).saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .map(|(e, m)| message_json(e, m, &inbox.id))
        .collect();
    Ok(ok_page(json!({"messages": found}), page))
}

pub fn search_scheduled(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let page = p.page()?;
    let (from, to) = (phone_filter(ctx, "from"), phone_filter(ctx, "to"));
    let (contact_id, ticket_id, sender_id) =
        (p.str("contact_id"), p.str("ticket_id"), p.str("sender_id"));
    let (s_from, s_to) = p.range("scheduled_for")?;
    let (s_from, s_to) = (s_from.unwrap_or(ctx.now), s_to.unwrap_or(ctx.now + YEAR));
    let (c_from, c_to) = p.range("created_at")?;
    let query = search::parse(&p.str("query").unwrap_or_default());
    let inbox = super::inbox(state, ctx)?;
    let mut found: Vec<(f64, Value)> = inbox
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Pending(p) => Some((e, p)),
            _ => None,
        })
        .filter(|(e, m)| {
            from.as_ref().is_none_or(|f| *f == m.from)
                && to.as_ref().is_none_or(|t| *t == m.to)
                && contact_id.as_ref().is_none_or(|c| *c == m.contact_id)
                && ticket_id.as_ref().is_none_or(|t| *t == e.ticket_id)
                && sender_id
                    .as_ref()
                    .is_none_or(|s| m.sender_id.as_ref() == Some(s))
                && m.scheduled_for >= s_from
                && m.scheduled_for <= s_to
                && c_from.is_none_or(|a| m.created_at >= a)
                && c_to.is_none_or(|b| m.created_at <= b)
        })
        .map(|(e, m)| (m.scheduled_for, pending_json(e, m, &inbox.id)))
        .filter(|(_, v)| query.is_all() || query.matches(&as_map(v.clone())))
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rendered: Vec<Value> = found.into_iter().map(|(_, v)| v).collect();
    Ok(ok_page(
        json!({"messages": page_of(rendered, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn get(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = ctx.seg(2);
    let inbox = super::inbox(state, ctx)?;
    let found = inbox.events.iter().find_map(|e| match &e.kind {
        EventKind::Sms(m) if e.event_id == id => Some(message_json(e, m, &inbox.id)),
        _ => None,
    });
    found
        .map(|m| ok(json!({"message": m})))
        .ok_or_else(|| ApiError::not_found("Message"))
}

pub fn cancel(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = ctx.seg(2).to_string();
    let (name, number) = state
        .user(&ctx.user_id)
        .map(|u| (u.name.clone(), u.number))
        .unwrap_or_default();
    let inbox = super::inbox_mut(state, ctx)?;
    let account_id = inbox.id.clone();
    let event = inbox
        .events
        .iter_mut()
        .find(|e| e.event_id == id)
        .ok_or_else(|| ApiError::not_found("Scheduled message"))?;
    let EventKind::Pending(p) = &mut event.kind else {
        return Err(ApiError::bad("Only scheduled messages can be cancelled"));
    };
    if p.sent_element_id.is_some() {
        return Err(ApiError::bad("This message has already been sent"));
    }
    if p.aborted {
        return Err(ApiError::bad("This message has already been cancelled"));
    }
    p.aborted = true;
    p.aborted_by = name;
    p.aborter_id = Some(number);
    p.abort_reason = Some("manually cancelled".into());
    let rendered = event_json(event, &account_id);
    Ok(ok(json!({"message": rendered})))
}

pub fn send(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let raw_phone = p.required("phone")?;
    let text = p.required("message")?;
    if text.chars().count() > MAX_CHARS {
        return Err(ApiError::bad(format!(
            "message is longer than {MAX_CHARS} characters"
        )));
    }
    let live_chat = raw_phone.starts_with("avochato:");
    let phone = if live_chat {
        if !raw_phone.starts_with("avochato:c:") {
            return Err(ApiError::bad(format!(
                "{raw_phone} is not a live chat session"
            )));
        }
        raw_phone.clone()
    } else {
        normalize_phone(&raw_phone)
            .ok_or_else(|| ApiError::bad(format!("phone {raw_phone:?} is invalid")))?
    };
    let inbox_ref = inbox(state, ctx)?;
    let account_id = inbox_ref.id.clone();
    let account_name = inbox_ref.name.clone();
    let from_param = p.str("from");
    if let (Some(f), false) = (&from_param, live_chat)
        && !inbox_ref.numbers.contains(f)
    {
        return Err(ApiError::bad(format!(
            "from {f} is not a number of this account"
        )));
    }
    // Who sends: the credential's user, or send_as_user_id / send_as_user_email.
    let sender_id = match (p.str("send_as_user_id"), p.str("send_as_user_email")) {
        (Some(id), _) => state.user(&id).map(|u| u.id.clone()),
        (None, Some(email)) => state.user_by_email(&email).map(|u| u.id.clone()),
        (None, None) => Some(ctx.user_id.clone()),
    }
    .filter(|id| inbox_ref.member(id).is_some_and(|m| m.enabled))
    .ok_or_else(|| ApiError::bad("The user to send as does not belong to this account"))?;
    let sender_name = state
        .user(&sender_id)
        .and_then(|u| {
            u.email
                .as_ref()
                .and_then(|e| e.split('@').next().map(str::to_string))
                .or(u.name.clone())
        })
        .unwrap_or_default();
    let scheduled_for = p.f64("scheduled_for")?;
    if scheduled_for.is_some_and(|t| t <= ctx.now) {
        return Err(ApiError::bad("scheduled_for must be in the future"));
    }
    let mark_addressed = p.bool("mark_addressed")?.unwrap_or(false);
    let tags = p.list("tags");

    let ci = ensure_contact(state, &ctx.inbox_id, &phone, ctx.now)?;
    let inbox = super::inbox_mut(state, ctx)?;
    let Some(contact) = inbox.contacts.get_mut(ci) else {
        return Err(ApiError::not_found("Contact"));
    };
    if contact.opted_out {
        return Err(ApiError::plain(
            400,
            format!("{phone} is already opted out"),
        ));
    }
    if contact.blocked {
        return Err(ApiError::plain(400, format!("{phone} is blocked")));
    }
    if contact.landline && !live_chat {
        return Err(ApiError::plain(400, format!("{phone} is a landline")));
    }
    for t in &tags {
        if !contact.tags.contains(t) {
            contact.tags.push(t.clone());
        }
    }
    let contact_id = contact.id.clone();
    let stuck = contact.stuck_number.clone();
    let footer = !live_chat && scheduled_for.is_none() && contact.due_for_compliance;
    if footer {
        contact.due_for_compliance = false;
    }
    inbox.tags.extend(tags);
    let default_from = inbox.numbers.first().cloned().unwrap_or_default();
    let ti = ensure_ticket(
        state,
        &ctx.inbox_id,
        &contact_id,
        if live_chat { "chat" } else { "sms" },
        ctx.now,
    )?;
    let inbox = super::inbox_mut(state, ctx)?;
    let Some(ticket) = inbox.tickets.get_mut(ti) else {
        return Err(ApiError::not_found("Ticket"));
    };
    if mark_addressed {
        ticket.unaddressed = false;
    }
    let ticket_id = ticket.id.clone();
    let from = if live_chat {
        format!("avochato:a:{account_id}")
    } else {
        from_param.or(stuck).unwrap_or(default_from)
    };
    let status_callback = p.str("status_callback");
    let media_url = p.str("media_url");

    if let Some(when) = scheduled_for {
        let pending = PendingRow {
            contact_id,
            sender_id: Some(sender_id),
            sender: sender_name,
            to: phone,
            from,
            message: text,
            media_url,
            aborted: false,
            sent_element_id: None,
            scheduled_for: when.floor(),
            created_at: ctx.now,
            aborter_id: None,
            aborted_by: None,
            abort_reason: None,
            status_callback,
            campaign_key: None,
        };
        let i = push_event(
            state,
            &ctx.inbox_id,
            &ticket_id,
            EventKind::Pending(pending),
            ctx.now,
        )?;
        let inbox = super::inbox(state, ctx)?;
        let rendered = inbox
            .events
            .get(i)
            .map(|e| event_json(e, &inbox.id))
            .unwrap_or(Value::Null);
        return Ok(ok(json!({"message": rendered})));
    }

    let uuid = state.ids.uuid();
    let external = live_chat.then(|| format!("AVOSM{}", uuid.replace('-', "")));
    let body = if footer {
        format!("{text}\n({account_name}: Reply STOP to opt out)")
    } else {
        text
    };
    let msg = MessageRow {
        uuid,
        contact_id,
        sender_id: Some(sender_id),
        broadcast_id: None,
        to: phone,
        from,
        direction: "out".into(),
        origin: Some("api".into()),
        message: body,
        carrier: Some(if live_chat {
            "avochato".into()
        } else {
            "mock".into()
        }),
        external_id: external,
        status: "queued".into(),
        status_callback,
        media_url,
        created_at: ctx.now,
    };
    let i = push_event(
        state,
        &ctx.inbox_id,
        &ticket_id,
        EventKind::Sms(msg),
        ctx.now,
    )?;
    let inbox = super::inbox(state, ctx)?;
    let rendered = inbox
        .events
        .get(i)
        .and_then(|e| match &e.kind {
            EventKind::Sms(m) => Some(message_json(e, m, &inbox.id)),
            _ => None,
        })
        .unwrap_or(Value::Null);
    Ok(ok(json!({"message": rendered})))
}

/// An inbound text from a contact (control route `/__mock/inbound`).
pub fn inbound(
    state: &mut State,
    inbox_id: &str,
    raw_from: &str,
    text: &str,
    now: f64,
) -> ApiResult<Value> {
    let phone = normalize_phone(raw_from)
        .ok_or_else(|| ApiError::bad(format!("from {raw_from:?} is invalid")))?;
    let ci = ensure_contact(state, inbox_id, &phone, now)?;
    let inbox = state
        .inbox(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    let contact_id = inbox
        .contacts
        .get(ci)
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let to = inbox.numbers.first().cloned().unwrap_or_default();
    let ti = ensure_ticket(state, inbox_id, &contact_id, "sms", now)?;
    let inbox = state
        .inbox_mut(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    let Some(ticket) = inbox.tickets.get_mut(ti) else {
        return Err(ApiError::not_found("Ticket"));
    };
    ticket.unaddressed = true;
    let ticket_id = ticket.id.clone();
    let uuid = state.ids.uuid();
    let msg = MessageRow {
        uuid,
        contact_id,
        sender_id: None,
        broadcast_id: None,
        to,
        from: phone,
        direction: "in".into(),
        origin: None,
        message: text.to_string(),
        carrier: None,
        external_id: None,
        status: "delivered".into(),
        status_callback: None,
        media_url: None,
        created_at: now,
    };
    let i = push_event(state, inbox_id, &ticket_id, EventKind::Sms(msg), now)?;
    let inbox = state
        .inbox(inbox_id)
        .ok_or_else(|| ApiError::not_found("Account"))?;
    Ok(inbox
        .events
        .get(i)
        .and_then(|e| match &e.kind {
            EventKind::Sms(m) => Some(message_json(e, m, &inbox.id)),
            _ => None,
        })
        .unwrap_or(Value::Null))
}

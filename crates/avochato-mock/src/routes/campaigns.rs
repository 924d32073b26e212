use serde_json::{Value, json};

use super::{Ctx, ensure_contact, ensure_ticket, inbox, inbox_mut, ok, ok_page, push_event};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, normalize_phone, page_of};
use crate::state::{EventKind, PendingRow, State, campaign_json};

pub fn call_token(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let inbox = inbox(state, ctx)?;
    Ok(ok(
        json!({"twilio_token": Value::Null, "twilio_payload": {"account_hash_id": inbox.id}}),
    ))
}

pub fn list(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let inbox = inbox(state, ctx)?;
    Ok(ok(
        json!({"campaigns": inbox.campaigns.iter().map(campaign_json).collect::<Vec<_>>()}),
    ))
}

pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let wanted = ctx.ids(2);
    let inbox = inbox(state, ctx)?;
    let found: Vec<Value> = inbox
        .campaigns
        .iter()
        .filter(|c| wanted.contains(&c.key))
        .map(campaign_json)
        .collect();
    Ok(ok_page(
        json!({"campaigns": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

/// Enrols contacts on a campaign step: a follow-up message is scheduled for each.
pub fn enroll(
    state: &mut State,
    inbox_id: &str,
    key: &str,
    phones: &[String],
    now: f64,
) -> ApiResult<usize> {
    let follow_up = state
        .inbox(inbox_id)
        .and_then(|i| i.campaigns.iter().find(|c| c.key == key))
        .map(|c| c.follow_up_message.clone())
        .ok_or_else(|| ApiError::not_found("Campaign"))?;
    let from = state
        .inbox(inbox_id)
        .and_then(|i| i.numbers.first().cloned())
        .unwrap_or_default();
    for raw in phones {
        let phone = normalize_phone(raw)
            .ok_or_else(|| ApiError::bad(format!("{raw} is not a phone number")))?;
        let ci = ensure_contact(state, inbox_id, &phone, now)?;
        let contact_id = state
            .inbox(inbox_id)
            .and_then(|i| i.contacts.get(ci))
            .map(|c| c.id.clone())
            .unwrap_or_default();
        let ti = ensure_ticket(state, inbox_id, &contact_id, "sms", now)?;
        let ticket_id = state
            .inbox(inbox_id)
            .and_then(|i| i.tickets.get(ti))
            .map(|t| t.id.clone())
            .unwrap_or_default();
        let pending = PendingRow {
            contact_id: contact_id.clone(),
            sender_id: None,
            sender: format!("campaign:{key}"),
            to: phone.clone(),
            from: from.clone(),
            message: follow_up.clone(),
            media_url: None,
            aborted: false,
            sent_element_id: None,
            scheduled_for: now + 3600.0,
            created_at: now,
            aborter_id: None,
            aborted_by: None,
            abort_reason: None,
            status_callback: None,
            campaign_key: Some(key.to_string()),
        };
        push_event(
            state,
            inbox_id,
            &ticket_id,
            EventKind::Pending(pending),
            now,
        )?;
        if let Some(c) = state
            .inbox_mut(inbox_id)
            .and_then(|i| i.campaigns.iter_mut().find(|c| c.key == key))
        {
            c.enrolled.insert(contact_id);
        }
    }
    Ok(phones.len())
}

pub fn cancel(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let keys = ctx.ids(2);
    let p = &ctx.params;
    let all = p.bool("all")?.unwrap_or(false);
    let recursive = p.bool("recursive")?.unwrap_or(false);
    let phone = p.str("phone");
    let contacts = p.list("contacts");
    if all && (phone.is_some() || !contacts.is_empty()) {
        return Err(ApiError::bad("Cannot pass phone or contacts with all"));
    }
    if phone.is_some() && !contacts.is_empty() {
        return Err(ApiError::bad("Pass phone or contacts, not both"));
    }
    if !all && phone.is_none() && contacts.is_empty() {
        return Err(ApiError::missing("phone, contacts or all"));
    }
    let user_name = state.user(&ctx.user_id).and_then(|u| u.name.clone());
    let user_number = state.user(&ctx.user_id).map(|u| u.number);
    let inbox = inbox_mut(state, ctx)?;
    for k in &keys {
        if !inbox.campaigns.iter().any(|c| &c.key == k) {
            return Err(ApiError::not_found(&format!("Campaign {k}")));
        }
    }
    // Steps concerned: the named ones, and with `recursive` every later step.
    let mut steps: Vec<String> = keys.clone();
    if recursive {
        let mut i = 0;
        while let Some(k) = steps.get(i).cloned() {
            if let Some(next) = inbox
                .campaigns
                .iter()
                .find(|c| c.key == k)
                .and_then(|c| c.next_step.clone())
                && !steps.contains(&next)
            {
                steps.push(next);
            }
            i += 1;
        }
    }
    let wanted: Vec<String> = match (&phone, all) {
        (_, true) => Vec::new(),
        (Some(p), _) => vec![normalize_phone(p).unwrap_or_else(|| p.clone())],
        (None, _) => contacts
            .iter()
            .map(|p| normalize_phone(p).unwrap_or_else(|| p.clone()))
            .collect(),
    };
    let contact_ids: Vec<String> = if all {
        Vec::new()
    } else {
        inbox
            .contacts
            .iter()
            .filter(|c| wanted.contains(&c.phone))
            .map(|c| c.id.clone())
            .collect()
    };
    for c in inbox
        .campaigns
        .iter_mut()
        .filter(|c| steps.contains(&c.key))
    {
        if all {
            c.enrolled.clear();
        } else {
            c.enrolled.retain(|id| !contact_ids.contains(id));
        }
    }
    for e in &mut inbox.events {
        if let EventKind::Pending(p) = &mut e.kind {
            let step = p.campaign_key.as_ref().is_some_and(|k| steps.contains(k));
            if step
                && !p.aborted
                && p.sent_element_id.is_none()
                && (all || contact_ids.contains(&p.contact_id))
            {
                p.aborted = true;
                p.aborted_by = user_name.clone();
                p.aborter_id = user_number;
                p.abort_reason = Some("campaign cancelled".into());
            }
        }
    }
    let message = if all {
        format!(
            "Processing cancellation of all contacts from {} campaigns. This may take a moment.",
            keys.len()
        )
    } else if phone.is_some() {
        format!("Processing {} cancellations.", wanted.len())
    } else {
        format!("Processing up to {} cancellations.", wanted.len())
    };
    Ok(ok(
        json!({"campaigns": message, "contacts": wanted, "ids": keys}),
    ))
}

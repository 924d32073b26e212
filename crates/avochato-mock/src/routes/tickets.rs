use serde_json::{Value, json};

use super::{Ctx, as_map, inbox, inbox_mut, ok, ok_page, push_event};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, page_of};
use crate::search;
use crate::state::{EventKind, State, previous_ticket_json, ticket_json};

const STATUSES: &[&str] = &["New", "Open", "Pending", "Closed"];

/// `PUT /v1/tickets/:ids`: status, assignment (`user_id`, `user_email`, `autoassign`,
/// `unassign`) and `unaddressed`, each change recorded in the ticket's event stream.
pub fn update(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let status = p.str("status");
    let user_id = p.str("user_id");
    let user_email = p.str("user_email");
    let unaddressed = p.bool("unaddressed")?;
    if status.is_none() && user_id.is_none() && user_email.is_none() && unaddressed.is_none() {
        return Err(ApiError::missing(
            "status, user_id, user_email or unaddressed",
        ));
    }
    if let Some(s) = &status
        && !STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::bad(format!(
            "status must be one of New, Open, Pending, Closed (got {s})"
        )));
    }
    let inbox_ref = inbox(state, ctx)?;
    let enabled: Vec<String> = inbox_ref
        .members
        .iter()
        .filter(|m| m.enabled)
        .map(|m| m.user_id.clone())
        .collect();
    // None: leave the owner; Some(None): unassign; Some(Some(id)): assign.
    let assignment: Option<Option<String>> = match (user_id.as_deref(), user_email.as_deref()) {
        (Some("unassign"), _) => Some(None),
        (Some("autoassign"), _) => {
            if enabled.is_empty() {
                None
            } else {
                let n = inbox_ref.autoassign_next % enabled.len();
                enabled.get(n).cloned().map(Some)
            }
        }
        (Some(id), _) => {
            if !enabled.iter().any(|u| u == id) {
                return Err(ApiError::bad(format!(
                    "User {id} not found in this account"
                )));
            }
            Some(Some(id.to_string()))
        }
        (None, Some(email)) => {
            let user = state
                .user_by_email(email)
                .filter(|u| enabled.contains(&u.id));
            match user {
                Some(u) => Some(Some(u.id.clone())),
                None => {
                    return Err(ApiError::bad(format!(
                        "User {email} not found in this account"
                    )));
                }
            }
        }
        (None, None) => None,
    };
    if user_id.as_deref() == Some("autoassign") {
        inbox_mut(state, ctx)?.autoassign_next += 1;
    }
    let ids = ctx.ids(2);
    let mut changes = Vec::new();
    let inbox = super::inbox_mut(state, ctx)?;
    for t in inbox.tickets.iter_mut().filter(|t| ids.contains(&t.id)) {
        if let Some(owner) = &assignment
            && t.user_id != *owner
        {
            changes.push((
                t.id.clone(),
                EventKind::Owner {
                    user_id: Some(ctx.user_id.clone()),
                    owner_id: owner.clone(),
                    old_owner_id: t.user_id.clone(),
                },
            ));
            t.user_id = owner.clone();
        }
        if let Some(s) = &status {
            if t.status != *s {
                changes.push((
                    t.id.clone(),
                    EventKind::Status {
                        user_id: Some(ctx.user_id.clone()),
                        status: s.clone(),
                    },
                ));
                t.status = s.clone();
            }
            if s == "Closed" {
                t.unaddressed = false;
                t.closed_at = Some(ctx.now);
            } else {
                t.closed_at = None;
            }
        }
        if let Some(u) = unaddressed {
            t.unaddressed = u;
        }
    }
    for (ticket_id, kind) in changes {
        push_event(state, &ctx.inbox_id, &ticket_id, kind, ctx.now)?;
    }
    let inbox = super::inbox(state, ctx)?;
    let tickets: Vec<Value> = ids
        .iter()
        .filter_map(|id| inbox.ticket(id))
        .map(ticket_json)
        .collect();
    Ok(ok(json!({"tickets": tickets})))
}

pub fn previous(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let inbox = super::inbox(state, ctx)?;
    let source = inbox
        .ticket(ctx.seg(2))
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    let tags = inbox
        .contact(&source.contact_id)
        .map(|c| c.tags.clone())
        .unwrap_or_default();
    let previous: Vec<Value> = inbox
        .tickets
        .iter()
        .rev()
        .filter(|t| t.contact_id == source.contact_id && t.seq < source.seq)
        .map(|t| {
            previous_ticket_json(
                t,
                t.user_id.as_deref().and_then(|u| state.user(u)),
                &inbox.subdomain,
                &tags,
            )
        })
        .collect();
    Ok(ok(json!({"tickets": previous})))
}

pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let inbox = super::inbox(state, ctx)?;
    let found: Vec<Value> = ctx
        .ids(2)
        .iter()
        .filter_map(|id| inbox.ticket(id))
        .map(ticket_json)
        .collect();
    Ok(ok_page(
        json!({"tickets": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn search(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let query = search::parse(&ctx.params.str("query").unwrap_or_default());
    let inbox = inbox(state, ctx)?;
    let matching: Vec<&crate::state::TicketRow> = inbox
        .tickets
        .iter()
        .rev()
        .filter(|t| query.is_all() || query.matches(&as_map(ticket_json(t))))
        .collect();
    let total = matching.len();
    let rendered: Vec<Value> = page_of(matching, page, PAGE_SIZE)
        .into_iter()
        .map(ticket_json)
        .collect();
    Ok(json!({
        "status": 200,
        "data": {"tickets": rendered, "total_count": total},
        "page": page,
        "limit": PAGE_SIZE,
    }))
}

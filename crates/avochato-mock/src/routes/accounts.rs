use serde_json::{Value, json};

use super::{Ctx, inbox, ok, ok_page};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, page_of};
use crate::state::{State, iso8601, user_json};

/// The inboxes the caller belongs to.
fn accessible<'s>(state: &'s State, ctx: &Ctx) -> Vec<&'s crate::state::Inbox> {
    state
        .inboxes
        .iter()
        .filter(|i| i.member(&ctx.user_id).is_some_and(|m| m.enabled))
        .collect()
}

pub fn list(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let all: Vec<Value> = accessible(state, ctx)
        .iter()
        .map(|i| i.account_json(true))
        .collect();
    Ok(ok_page(
        json!({"accounts": page_of(all, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let wanted = ctx.ids(2);
    let found: Vec<Value> = accessible(state, ctx)
        .into_iter()
        .filter(|i| wanted.contains(&i.subdomain))
        .map(|i| i.account_json(true))
        .collect();
    Ok(ok_page(
        json!({"accounts": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn whoami(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let inbox = inbox(state, ctx)?;
    let user = state
        .user(&ctx.user_id)
        .ok_or_else(ApiError::unauthorized)?;
    let created = state
        .credentials
        .iter()
        .find(|c| c.user_id == ctx.user_id)
        .map(|c| c.created_at)
        .unwrap_or(ctx.now);
    Ok(ok(json!({
        "account": inbox.account_json(true),
        "user": user_json(user),
        "origin": "api",
        "created_at": iso8601(created),
    })))
}

use serde_json::{Value, json};

use super::{Ctx, ensure_contact, inbox_mut, ok};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, normalize_phone};
use crate::state::State;

fn retag(state: &mut State, ctx: &Ctx, ids: Vec<String>, add: bool) -> ApiResult<Value> {
    let tag = ctx.params.required("tag")?;
    let inbox = inbox_mut(state, ctx)?;
    let mut done = Vec::new();
    for id in ids {
        if let Some(c) = inbox
            .contact_by_id
            .get(&id)
            .copied()
            .and_then(|i| inbox.contacts.get_mut(i))
        {
            if add {
                if !c.tags.contains(&tag) {
                    c.tags.push(tag.clone());
                }
            } else {
                c.tags.retain(|t| *t != tag);
            }
            done.push(id);
        }
    }
    if add {
        inbox.tags.insert(tag.clone());
    }
    Ok(ok(
        json!({"action": if add { "tagged" } else { "untagged" }, "tag": tag, "ids": done}),
    ))
}

pub fn tag_contacts(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    retag(state, ctx, ctx.ids(2), true)
}

pub fn untag_contacts(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    retag(state, ctx, ctx.ids(2), false)
}

fn by_phone(state: &mut State, ctx: &Ctx, add: bool) -> ApiResult<Value> {
    let raw = ctx.params.required("phone")?;
    ctx.params.required("tag")?;
    let phone =
        normalize_phone(&raw).ok_or_else(|| ApiError::bad(format!("phone {raw:?} is invalid")))?;
    let id = if add {
        let i = ensure_contact(state, &ctx.inbox_id, &phone, ctx.now)?;
        inbox_mut(state, ctx)?.contacts.get(i).map(|c| c.id.clone())
    } else {
        inbox_mut(state, ctx)?
            .contact_by_phone(&phone)
            .map(|c| c.id.clone())
    };
    let id = id.ok_or_else(|| ApiError::not_found("Contact"))?;
    retag(state, ctx, vec![id], add)
}

pub fn tag_phone(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    by_phone(state, ctx, true)
}

pub fn untag_phone(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    by_phone(state, ctx, false)
}

/// Tags by name, 30 to a page: after `last_key` when given, else by `page`.
pub fn list(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let last_key = ctx.params.str("last_key");
    let inbox = inbox_mut(state, ctx)?;
    let names: Vec<&String> = match &last_key {
        Some(k) => inbox
            .tags
            .iter()
            .filter(|t| *t > k)
            .take(PAGE_SIZE)
            .collect(),
        None => inbox
            .tags
            .iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect(),
    };
    let last = names
        .last()
        .map(|s| Value::String((*s).clone()))
        .unwrap_or(Value::Null);
    let tags: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
    Ok(json!({"status": 200, "data": {"tags": tags, "last_key": last}, "limit": PAGE_SIZE}))
}

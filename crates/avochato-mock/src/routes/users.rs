use serde_json::{Value, json};

use super::{Ctx, inbox, inbox_mut, ok, ok_page, role};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, normalize_phone, page_of};
use crate::state::{Membership, State, user_details_json, user_json};

const ROLES: &[&str] = &["member", "manager", "owner"];

/// The user addressed by the `:id` segment (an id or an email), or by `email`.
fn target(state: &State, ctx: &Ctx) -> ApiResult<String> {
    let key = match ctx.seg(2) {
        "" => ctx.params.required("email")?,
        seg => seg.to_string(),
    };
    let by_param = ctx
        .params
        .str("email")
        .and_then(|e| state.user_by_email(&e));
    let user = state
        .user_ref(&key)
        .or(by_param)
        .ok_or_else(|| ApiError::not_found("User"))?;
    Ok(user.id.clone())
}

/// The target, as a member of the scoped inbox.
fn member_target(state: &State, ctx: &Ctx) -> ApiResult<String> {
    let id = target(state, ctx)?;
    if inbox(state, ctx)?.member(&id).is_none() {
        return Err(ApiError::not_found("User"));
    }
    Ok(id)
}

fn require_manager(state: &State, ctx: &Ctx) -> ApiResult<String> {
    let r = role(state, ctx);
    if r == "manager" || r == "owner" {
        Ok(r)
    } else {
        Err(ApiError::forbidden(
            "Managing users requires the manager or owner role",
        ))
    }
}

fn details(state: &State, ctx: &Ctx, user_id: &str) -> ApiResult<Value> {
    let user = state
        .user(user_id)
        .ok_or_else(|| ApiError::not_found("User"))?;
    let m = inbox(state, ctx)?
        .member(user_id)
        .ok_or_else(|| ApiError::not_found("User"))?;
    Ok(user_details_json(user, m))
}

pub fn add(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let caller_role = require_manager(state, ctx)?;
    let email = ctx.params.required("email")?;
    if !email.contains('@') {
        return Err(ApiError::bad(format!("{email} is not an email address")));
    }
    let role = ctx.params.str("role").unwrap_or_else(|| "member".into());
    if !ROLES.contains(&role.as_str()) {
        return Err(ApiError::bad("role must be member, manager or owner"));
    }
    if role == "owner" && caller_role != "owner" {
        return Err(ApiError::forbidden("Only owners can add owners"));
    }
    let phone = match ctx.params.str("phone") {
        Some(p) => Some(
            normalize_phone(&p)
                .filter(|n| n.starts_with('+'))
                .ok_or_else(|| ApiError::bad(format!("phone {p} is not E.164")))?,
        ),
        None => None,
    };
    let user_id = match state.user_by_email(&email) {
        Some(u) => u.id.clone(),
        None => state.create_user(&email, ctx.params.str("name").as_deref()),
    };
    if let (Some(p), Some(u)) = (phone, state.users.iter_mut().find(|u| u.id == user_id)) {
        u.mfa_phone = Some(p);
    }
    let inbox = inbox_mut(state, ctx)?;
    if inbox.member(&user_id).is_some() {
        return Err(ApiError::bad(format!(
            "{email} is already a member of this account"
        )));
    }
    inbox.members.push(Membership {
        user_id: user_id.clone(),
        role,
        enabled: true,
        added_at: ctx.now,
    });
    Ok(ok(json!({"user": details(state, ctx, &user_id)?})))
}

pub fn list(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let inbox = inbox(state, ctx)?;
    let users: Vec<Value> = inbox
        .members
        .iter()
        .filter_map(|m| state.user(&m.user_id))
        .map(user_json)
        .collect();
    Ok(ok_page(
        json!({"users": page_of(users, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn get(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = member_target(state, ctx)?;
    Ok(ok(json!({"user": details(state, ctx, &id)?})))
}

pub fn accounts(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let id = target(state, ctx)?;
    let visible: Vec<Value> = state
        .inboxes
        .iter()
        .filter(|i| i.member(&id).is_some() && i.member(&ctx.user_id).is_some())
        .map(|i| i.account_json(false))
        .collect();
    if visible.is_empty() {
        return Err(ApiError::not_found("User"));
    }
    Ok(ok(json!({"accounts": visible})))
}

fn set_enabled(state: &mut State, ctx: &Ctx, enabled: bool) -> ApiResult<Value> {
    let caller_role = require_manager(state, ctx)?;
    let id = member_target(state, ctx)?;
    let inbox = inbox_mut(state, ctx)?;
    if let Some(m) = inbox.members.iter_mut().find(|m| m.user_id == id) {
        if m.role == "owner" && caller_role != "owner" {
            return Err(ApiError::forbidden("Managers cannot change owners"));
        }
        m.enabled = enabled;
    }
    Ok(ok(json!({"user": details(state, ctx, &id)?})))
}

pub fn disable(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    set_enabled(state, ctx, false)
}

pub fn enable(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    set_enabled(state, ctx, true)
}

pub fn delete(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let caller_role = require_manager(state, ctx)?;
    let id = member_target(state, ctx)?;
    let name = state
        .user(&id)
        .and_then(|u| u.name.clone().or(u.email.clone()))
        .unwrap_or_default();
    let inbox = inbox_mut(state, ctx)?;
    if inbox.member(&id).is_some_and(|m| m.role == "owner") && caller_role != "owner" {
        return Err(ApiError::forbidden("Managers cannot remove owners"));
    }
    inbox.members.retain(|m| m.user_id != id);
    for t in inbox
        .tickets
        .iter_mut()
        .filter(|t| t.user_id.as_deref() == Some(id.as_str()))
    {
        t.user_id = None;
    }
    Ok(ok(
        json!({"message": format!("{name} has been removed from this account.")}),
    ))
}

pub fn update_role(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let caller_role = require_manager(state, ctx)?;
    let role = ctx.params.required("role")?;
    if !ROLES.contains(&role.as_str()) {
        return Err(ApiError::bad("role must be member, manager or owner"));
    }
    let id = member_target(state, ctx)?;
    let inbox = inbox_mut(state, ctx)?;
    if let Some(m) = inbox.members.iter_mut().find(|m| m.user_id == id) {
        if caller_role != "owner" && (role == "owner" || m.role == "owner") {
            return Err(ApiError::forbidden(
                "Managers cannot promote to owner or change owners",
            ));
        }
        m.role = role;
    }
    Ok(ok(json!({"user": details(state, ctx, &id)?})))
}

pub fn mfa_phone(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    require_manager(state, ctx)?;
    let raw = ctx.params.required("phone")?;
    if !raw.starts_with('+') {
        return Err(ApiError::bad(format!(
            "phone {raw} must be in E.164 format"
        )));
    }
    let phone = normalize_phone(&raw)
        .ok_or_else(|| ApiError::bad(format!("phone {raw} must be in E.164 format")))?;
    let id = member_target(state, ctx)?;
    if let Some(u) = state.users.iter_mut().find(|u| u.id == id) {
        u.mfa_phone = Some(phone);
    }
    Ok(ok(json!({
        "message": "MFA phone number has been set. User must verify via SMS code.",
        "user": details(state, ctx, &id)?,
    })))
}

pub fn password_reset(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    require_manager(state, ctx)?;
    let id = member_target(state, ctx)?;
    let email = state
        .user(&id)
        .and_then(|u| u.email.clone())
        .unwrap_or_default();
    Ok(ok(
        json!({"message": format!("Password reset email sent to {email}")}),
    ))
}

use serde_json::{Map, Value, json};

use super::{Ctx, as_map, inbox, inbox_mut, ok, ok_page};
use crate::http::{ApiError, ApiResult, PAGE_SIZE, Params, normalize_phone, page_of};
use crate::search;
use crate::state::{ContactRow, Inbox, State, contact_json};

/// Parameters that are not contact fields (anything else unknown is a custom field).
const RESERVED: &[&str] = &[
    "auth_id",
    "auth_secret",
    "subdomain",
    "contacts",
    "allow_empty_fields",
    "id",
];
const TEXT_FIELDS: &[&str] = &[
    "name",
    "email",
    "other_phone",
    "company",
    "street",
    "city",
    "state",
    "zip",
    "country",
    "salesforce_object_id",
    "salesforce_object_type",
];
const FLAG_FIELDS: &[&str] = &[
    "opted_out",
    "double_opted_in",
    "muted",
    "blocked",
    "visible",
    "landline",
];

fn cursor(seq: u64) -> String {
    format!("c{seq:x}")
}

fn parse_cursor(s: &str) -> ApiResult<u64> {
    s.strip_prefix('c')
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .ok_or_else(|| ApiError::bad(format!("after_page {s:?} is not a cursor from this API")))
}

pub fn search(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let p = &ctx.params;
    let limit = match p.i64("limit")? {
        None => PAGE_SIZE,
        Some(n) if (1..=100).contains(&n) => n as usize,
        Some(_) => return Err(ApiError::bad("limit must be 1 through 100")),
    };
    let visible_only = p.bool("visible")?.unwrap_or(true);
    let (from, to) = p.range("created_at")?;
    let after = p.str("after_page").map(|s| parse_cursor(&s)).transpose()?;
    let query = search::parse(&p.str("query").unwrap_or_default());
    let inbox = inbox(state, ctx)?;
    // Phone lookups (`phone:"+1..." OR ...`, as bulk importers send) use the index.
    let by_phone: Option<Vec<&ContactRow>> = query.only_field("phone").map(|phones| {
        let mut found: Vec<usize> = phones
            .iter()
            .filter_map(|p| normalize_phone(p).and_then(|p| inbox.contact_index(&p)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .iter()
            .filter_map(|&i| inbox.contacts.get(i))
            .collect()
    });
    let indexed = by_phone.is_some();
    let candidates: Box<dyn Iterator<Item = &ContactRow>> = match by_phone {
        Some(list) => Box::new(list.into_iter()),
        None => Box::new(inbox.contacts.iter()),
    };
    let mut matches = candidates.filter(|c| {
        (!visible_only || c.visible)
            && from.is_none_or(|f| c.created_at >= f)
            && to.is_none_or(|t| c.created_at <= t)
            && after.is_none_or(|a| c.seq > a)
            && (indexed || query.is_all() || query.matches(&as_map(contact_json(c))))
    });
    let page: Vec<&ContactRow> = matches.by_ref().take(limit).collect();
    let more = matches.next().is_some();
    let next_page = match (more, page.last()) {
        (true, Some(last)) => Value::String(cursor(last.seq)),
        _ => Value::Null,
    };
    let contacts: Vec<Value> = page.iter().map(|c| contact_json(c)).collect();
    let data = json!({"contacts": contacts, "size": contacts.len(), "next_page": next_page});
    Ok(match p.str("after_page") {
        Some(a) => json!({"status": 200, "data": data, "limit": limit, "after_page": a}),
        None => json!({"status": 200, "data": data, "page": 1, "limit": limit}),
    })
}

pub fn fetch(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let page = ctx.params.page()?;
    let wanted = ctx.ids(2);
    let inbox = inbox(state, ctx)?;
    let found: Vec<Value> = wanted
        .iter()
        .filter_map(|id| inbox.contact(id))
        .map(contact_json)
        .collect();
    Ok(ok_page(
        json!({"contacts": page_of(found, page, PAGE_SIZE)}),
        page,
    ))
}

pub fn remove_all(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let raw = ctx.params.str("query");
    let query = search::parse(raw.as_deref().unwrap_or(""));
    let inbox = inbox_mut(state, ctx)?;
    for c in inbox.contacts.iter_mut().filter(|c| c.visible) {
        if query.is_all() || query.matches(&as_map(contact_json(c))) {
            c.visible = false;
        }
    }
    Ok(ok(
        json!({"account": inbox.subdomain, "query": raw.unwrap_or_else(|| "*".into())}),
    ))
}

pub fn upsert(state: &mut State, ctx: &Ctx) -> ApiResult<Value> {
    let allow_empty = ctx.params.bool("allow_empty_fields")?.unwrap_or(false);
    let entries: Vec<Map<String, Value>> = match ctx.params.raw("contacts") {
        Some(Value::Array(items)) => {
            if items.is_empty() {
                return Err(ApiError::bad("contacts must not be empty"));
            }
            items
                .iter()
                .map(|v| {
                    v.as_object()
                        .cloned()
                        .ok_or_else(|| ApiError::bad("each contact must be an object"))
                })
                .collect::<ApiResult<_>>()?
        }
        Some(_) => return Err(ApiError::bad("contacts must be a list")),
        None => vec![ctx.params.0.clone()],
    };
    // Check every entry before changing anything.
    let mut prepared = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let p = Params(entry);
        let raw = p.str("phone").ok_or_else(|| {
            if entries.len() > 1 || ctx.params.has("contacts") {
                ApiError::missing(&format!("contacts[{i}][phone]"))
            } else {
                ApiError::missing("phone")
            }
        })?;
        let phone = normalize_phone(&raw)
            .ok_or_else(|| ApiError::bad(format!("phone {raw:?} is invalid")))?;
        prepared.push((phone, entry));
    }
    let mut last = Value::Null;
    for (phone, entry) in prepared {
        let idx = super::ensure_contact(state, &ctx.inbox_id, &phone, ctx.now)?;
        let members: Vec<(String, Option<String>)> = inbox(state, ctx)?
            .members
            .iter()
            .map(|m| {
                (
                    m.user_id.clone(),
                    state.user(&m.user_id).and_then(|u| u.email.clone()),
                )
            })
            .collect();
        let inbox = inbox_mut(state, ctx)?;
        apply_fields(inbox, idx, &Params(entry), allow_empty, &members)?;
        if let Some(c) = inbox.contacts.get(idx) {
            last = contact_json(c);
        }
    }
    Ok(ok(json!({"contact": last})))
}

fn apply_fields(
    inbox: &mut Inbox,
    idx: usize,
    p: &Params,
    allow_empty: bool,
    members: &[(String, Option<String>)],
) -> ApiResult<()> {
    let numbers = inbox.numbers.clone();
    let mut new_tags = Vec::new();
    let Some(c) = inbox.contacts.get_mut(idx) else {
        return Err(ApiError::not_found("Contact"));
    };
    for field in TEXT_FIELDS {
        if let Some(v) = p.str_or_empty(field) {
            let v = if v.is_empty() { None } else { Some(v) };
            match *field {
                "name" => c.name = v,
                "email" => c.email = v,
                "other_phone" => c.other_phone = v,
                "company" => c.company = v,
                "street" => c.street = v,
                "city" => c.city = v,
                "state" => c.state = v,
                "zip" => c.zip = v,
                "country" => c.country = v,
                "salesforce_object_id" => c.salesforce_object_id = v,
                _ => c.salesforce_object_type = v,
            }
        }
    }
    for field in FLAG_FIELDS {
        if let Some(b) = p.bool(field)? {
            match *field {
                "opted_out" => c.opted_out = b,
                "double_opted_in" => c.double_opted_in = b,
                "muted" => c.muted = b,
                "blocked" => c.blocked = b,
                "visible" => c.visible = b,
                _ => c.landline = b,
            }
        }
    }
    if let Some(pr) = p.i64("priority")? {
        if !(0..=5).contains(&pr) {
            return Err(ApiError::bad("priority must be 0 through 5"));
        }
        c.priority = pr;
    }
    if let Some(n) = p.str_or_empty("stuck_number") {
        if n.is_empty() {
            c.stuck_number = None;
        } else if numbers.contains(&n) {
            c.stuck_number = Some(n);
        } else {
            return Err(ApiError::bad(format!(
                "stuck_number {n} does not belong to this account"
            )));
        }
    }
    if let Some(u) = p.str("user_id") {
        let found = members.iter().find(|(id, email)| {
            *id == u || email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&u))
        });
        match found {
            Some((id, _)) => c.user_id = Some(id.clone()),
            None => return Err(ApiError::bad(format!("User {u} not found in this account"))),
        }
    }
    for t in p.list("tags") {
        if !c.tags.contains(&t) {
            c.tags.push(t.clone());
        }
        new_tags.push(t);
    }
    for (k, v) in p.0 {
        let known = RESERVED.contains(&k.as_str())
            || TEXT_FIELDS.contains(&k.as_str())
            || FLAG_FIELDS.contains(&k.as_str())
            || matches!(
                k.as_str(),
                "phone" | "priority" | "stuck_number" | "user_id" | "tags"
            );
        if known {
            continue;
        }
        let empty = v.is_null() || v.as_str().is_some_and(str::is_empty);
        if empty && !allow_empty {
            continue;
        }
        c.custom.insert(k.clone(), v.clone());
    }
    inbox.tags.extend(new_tags);
    Ok(())
}

//! Confirmation before the operations that destroy: `contacts remove-all`, `users delete`,
//! `campaigns remove-all-contacts` and `messages cancel`.
//!
//! On a terminal the command says what will go (the inbox, and how many contacts or which
//! query, user, campaign or message) and asks; removing every contact of an inbox asks for
//! the inbox's name to be typed. Off a terminal (scripts, CI) it refuses unless `--yes`.

use std::io::{BufRead, IsTerminal, Write};

use avochato::{Client, OperationSpec, RequestOptions};
use serde_json::{Value, json};

use crate::error::{CliError, Result};

/// Counting the contacts that would go stops after this many pages of 100.
const COUNT_PAGES: usize = 10;

pub fn destructive(op: &OperationSpec) -> bool {
    matches!(
        (op.resource, op.name),
        ("contacts", "remove_all")
            | ("users", "delete")
            | ("campaigns", "remove_all_contacts")
            | ("messages", "cancel")
    )
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(items) if !items.is_empty() => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// What the command will do, in words, with what can be known without sending anything.
fn what(op: &OperationSpec, params: &Value, inbox: &str) -> String {
    let id = text(&params["id"])
        .or_else(|| text(&params["email"]))
        .unwrap_or_default();
    match op.name {
        "remove_all" => match text(&params["query"]) {
            Some(q) => format!("remove the contacts of {inbox} matching {q:?}"),
            None => format!("remove every contact of {inbox}"),
        },
        "delete" => format!("delete user {id} from {inbox}"),
        "remove_all_contacts" => format!("remove every contact from campaign {id} of {inbox}"),
        _ => format!("cancel scheduled message {id} of {inbox}"),
    }
}

/// Asks (on a terminal) or requires `--yes` (elsewhere) before `op` runs.
pub async fn confirm(
    client: &Client,
    op: &'static OperationSpec,
    params: &Value,
    yes: bool,
    options: &RequestOptions,
) -> Result<()> {
    if !destructive(op) || yes {
        return Ok(());
    }
    let configured = client.config().subdomain().map(str::to_string);
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !terminal {
        let inbox =
            configured.map_or_else(|| "the credential's inbox".into(), |s| format!("inbox {s}"));
        return Err(CliError::usage(format!(
            "this would {}; not on a terminal, so nothing was done: pass --yes to do it",
            what(op, params, &inbox)
        )));
    }
    let inbox = match configured {
        Some(s) => Some(s),
        None => client.verify().await.ok().map(|me| me.account.subdomain),
    };
    let shown = inbox
        .as_ref()
        .map_or_else(|| "the credential's inbox".into(), |s| format!("inbox {s}"));
    let mut question = crate::term::clean(&what(op, params, &shown));
    if let Some(detail) = detail(client, op, params, options).await {
        question.push_str(&format!(" ({})", crate::term::clean(&detail)));
    }
    let everything = op.name == "remove_all" && text(&params["query"]).is_none();
    let expected = match (&inbox, everything) {
        (Some(name), true) => Some(name.clone()),
        _ => None,
    };
    match &expected {
        Some(name) => eprint!(
            "This will {question}.\nType the inbox name ({}) to confirm: ",
            crate::term::clean(name)
        ),
        None => eprint!("This will {question}. Continue? [y/N] "),
    }
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::io("reading the answer", e))?;
    let answer = answer.trim();
    let ok = match &expected {
        Some(name) => answer == name,
        None => matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"),
    };
    if ok {
        Ok(())
    } else {
        Err(CliError::usage("not confirmed; nothing was done"))
    }
}

/// How many contacts would go, who the user is, what the message says (best effort: a
/// failed look-up leaves it out).
async fn detail(
    client: &Client,
    op: &'static OperationSpec,
    params: &Value,
    options: &RequestOptions,
) -> Option<String> {
    let find = |r: &str, n: &str| avochato::find_operation(r, n);
    match op.name {
        "remove_all" => {
            let mut query = json!({"limit": 100});
            if let Some(q) = text(&params["query"]) {
                query["query"] = Value::String(q);
            }
            let mut pager = client
                .paginate_json(find("contacts", "search")?, query, options.clone())
                .ok()?;
            let mut n = 0usize;
            for _ in 0..COUNT_PAGES {
                match pager.next_page().await {
                    Ok(Some(page)) => n += page["items"].as_array().map_or(0, Vec::len),
                    Ok(None) => return Some(format!("{n} contact(s)")),
                    Err(_) => return None,
                }
            }
            Some(match pager.next_page().await {
                Ok(None) => format!("{n} contact(s)"),
                _ => format!("more than {n} contacts"),
            })
        }
        "delete" => {
            let user = client
                .call_json(find("users", "get")?, params.clone(), options.clone())
                .await
                .ok()?
                .data;
            let name = user["name"].as_str().unwrap_or_default();
            let email = user["email"].as_str().unwrap_or_default();
            Some(format!(
                "{name} <{email}>, {}",
                user["role"].as_str().unwrap_or("user")
            ))
        }
        "cancel" => {
            let m = client
                .call_json(find("messages", "get")?, params.clone(), options.clone())
                .await
                .ok()?
                .data;
            let to = m["to"].as_str().or(m["phone"].as_str()).unwrap_or("?");
            let body: String = m["message"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(40)
                .collect();
            Some(format!("to {to}: {body:?}"))
        }
        _ => None,
    }
}

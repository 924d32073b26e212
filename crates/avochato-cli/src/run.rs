//! Running one operation from its subcommand, and printing what it returns.

use std::io::IsTerminal;

use avochato::{HttpMethod, OperationSpec, Shape};
use clap::ArgMatches;
use serde_json::Value;

use crate::context::Globals;
use crate::error::Result;
use crate::output::{Format, Printer};
use crate::params;

pub async fn operation(g: &Globals, op: &'static OperationSpec, m: &ArgMatches) -> Result<()> {
    let info = op.params_info();
    let params = params::collect(m, info)?;
    // The core's checks, once, before credentials are even looked up: bad input never goes
    // out. What is sent is what was checked.
    let checked = avochato::params::check(op, params.clone())?;
    let client = g.client(op.http_method != HttpMethod::Get)?;
    let yes = m
        .try_get_one::<bool>("yes")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    crate::confirm::confirm(&client, op, &params, yes, &g.request_options()).await?;
    let all = op.pages.is_some() && m.get_flag("all");
    let stdout = std::io::stdout().lock();
    if all {
        let mut out =
            Printer::new(stdout, g.format, op.item, g.wide, true).epoch_times(g.epoch_times);
        let mut pager = client.paginate_json(op, params, g.request_options())?;
        while let Some(page) = pager.next_page().await? {
            out.rows(
                page["items"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )?;
        }
        return out.finish();
    }
    let data = client
        .call_checked(op, checked, g.request_options())
        .await?
        .data;
    match op.shape {
        // JSON keeps the page's cursor fields, for scripts that page by themselves.
        Shape::Page if g.format == Format::Json => {
            Printer::new(stdout, g.format, op.item, g.wide, false)
                .epoch_times(g.epoch_times)
                .object(&data)
        }
        Shape::Page => {
            let mut out =
                Printer::new(stdout, g.format, op.item, g.wide, true).epoch_times(g.epoch_times);
            out.rows(
                data["items"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )?;
            out.finish()?;
            more_hint(g, &data);
            Ok(())
        }
        Shape::List => {
            let mut out =
                Printer::new(stdout, g.format, op.item, g.wide, true).epoch_times(g.epoch_times);
            out.rows(data.as_array().map(Vec::as_slice).unwrap_or_default())?;
            out.finish()
        }
        Shape::One => Printer::new(stdout, g.format, op.item, g.wide, false)
            .epoch_times(g.epoch_times)
            .object(&data),
    }
}

/// On a terminal, how to get the next page.
fn more_hint(g: &Globals, page: &Value) {
    if g.format != Format::Table || !std::io::stderr().is_terminal() {
        return;
    }
    let text = |k: &str| {
        page.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(cursor) = text("next_page") {
        eprintln!("(more: --after-page {cursor}, or --all)");
    } else if let Some(key) = text("last_key") {
        eprintln!("(more: --last-key {key}, or --all)");
    } else if page["items"].as_array().is_some_and(|i| !i.is_empty()) && page.get("page").is_some()
    {
        eprintln!("(one page; --page N for another, or --all)");
    }
}

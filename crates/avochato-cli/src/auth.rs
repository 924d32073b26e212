//! `avochato auth ...`: add, list, default, disable, enable, verify, remove.

use std::io::{BufRead, IsTerminal, Write};

use avochato::{ClientBuilder, ErrorKind, Timestamp};
use clap::ArgMatches;
use serde_json::{Value, json};

use crate::context::Globals;
use crate::error::{CliError, Result};
use crate::output::{Format, Printer};
use crate::profiles::{Confirmation, Failure, Profile, Store, check_name};
use crate::secret_store::{self, Choice};

pub async fn run(g: &Globals, m: &ArgMatches) -> Result<()> {
    let (sub, args) = m
        .subcommand()
        .ok_or_else(|| CliError::usage("auth needs a subcommand"))?;
    let name = args.try_get_one::<String>("name").ok().flatten().cloned();
    let mut store = Store::load()?;
    match sub {
        "add" => add(&mut store, args, name.unwrap_or_default()),
        "list" => list(g, &store),
        "default" => {
            let name = name.unwrap_or_default();
            store.set_default(&name)?;
            store.save()?;
            say(&format!("{name} is now the default profile"))
        }
        "disable" | "enable" => {
            let name = name.unwrap_or_default();
            let enable = sub == "enable";
            store.get_mut(&name)?.enabled = enable;
            store.save()?;
            say(&format!(
                "profile {name} {}",
                if enable {
                    "enabled"
                } else {
                    "disabled: commands will refuse to use it"
                }
            ))
        }
        "remove" => {
            let name = name.unwrap_or_default();
            let removed = store.remove(&name)?;
            store.save()?;
            secret_store::forget(&name, &removed);
            say(&format!("removed profile {name}"))
        }
        "verify" => verify(g, &mut store, name).await,
        other => Err(CliError::usage(format!("unknown auth command {other}"))),
    }
}

fn say(line: &str) -> Result<()> {
    println!("{line}");
    Ok(())
}

/// One line typed by the user (prompted on stderr).
fn ask(prompt: &str) -> Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::io("reading the answer", e))?;
    Ok(line.trim().to_string())
}

fn add(store: &mut Store, m: &ArgMatches, name: String) -> Result<()> {
    check_name(&name)?;
    let interactive = std::io::stdin().is_terminal();
    let auth_id = match m.get_one::<String>("auth-id") {
        Some(id) => id.trim().to_string(),
        None if interactive => ask("Auth ID: ")?,
        None => {
            return Err(CliError::usage(
                "pass --auth-id (the secret is then read from stdin)",
            ));
        }
    };
    let secret = if interactive {
        rpassword::prompt_password("Auth Secret (not shown): ")
            .map_err(|e| CliError::io("reading the secret", e))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::io("reading the secret from stdin", e))?;
        line
    };
    let secret = secret.trim().to_string();
    if auth_id.is_empty() || secret.is_empty() {
        return Err(CliError::usage(
            "both the Auth ID and the Auth Secret are needed (Avochato: Settings > API Access)",
        ));
    }
    let base_url = m
        .get_one::<String>("api-url")
        .map(|u| avochato::config::normalize_base_url(u))
        .transpose()?;
    let choice = Choice::parse(
        m.get_one::<String>("secret-store")
            .cloned()
            .or_else(|| std::env::var("AVOCHATO_SECRET_STORE").ok())
            .as_deref(),
    )?;
    let old = store.profiles().get(&name).cloned();
    let replaced = old.is_some();
    let mut profile = Profile {
        auth_id,
        auth_secret: secret,
        in_keyring: false,
        subdomain: m.get_one::<String>("inbox").cloned(),
        base_url,
        enabled: true,
        created_at: Timestamp::now().as_secs(),
        confirmed: None,
        last_failure: None,
    };
    let place = secret_store::store(&name, &mut profile, choice)?;
    if let Some(old) = old.filter(|_| !profile.in_keyring) {
        secret_store::forget(&name, &old);
    }
    store.insert(&name, profile);
    if m.get_flag("default") {
        store.set_default(&name)?;
    }
    store.save()?;
    let is_default = store.default_name() == Some(name.as_str());
    say(&format!(
        "{} profile {name}{} in {} (secret in {place}); not confirmed yet: run avochato auth verify {name}",
        if replaced { "replaced" } else { "added" },
        if is_default { " (default)" } else { "" },
        store.path().display()
    ))
}

fn list(g: &Globals, store: &Store) -> Result<()> {
    let rows: Vec<Value> = store
        .profiles()
        .iter()
        .map(|(name, p)| {
            let status = match (&p.confirmed, &p.last_failure) {
                (_, Some(f)) => format!("failed: {}", f.error),
                (Some(c), None) => format!("confirmed {}", Timestamp(c.at).to_iso8601()),
                (None, None) => "not confirmed".to_string(),
            };
            json!({
                "name": name,
                "default": store.default_name() == Some(name.as_str()),
                "enabled": p.enabled,
                "auth_id": p.auth_id,
                "inbox": p.subdomain.clone().or_else(|| p.confirmed.as_ref().map(|c| c.inbox.clone())),
                "user": p.confirmed.as_ref().map(|c| c.user.clone()),
                "base_url": p.base_url,
                "secret": if p.in_keyring { "keyring" } else { "file" },
                "status": status,
            })
        })
        .collect();
    if rows.is_empty() && g.format == Format::Table {
        return say("no profiles yet: avochato auth add NAME");
    }
    let mut out = Printer::named(std::io::stdout().lock(), g.format, "Profile", g.wide, true);
    out.rows(&rows)?;
    out.finish()
}

async fn verify(g: &Globals, store: &mut Store, name: Option<String>) -> Result<()> {
    let name = match name
        .or_else(|| g.profile.clone())
        .or_else(|| store.default_name().map(str::to_string))
    {
        Some(n) => n,
        None if store.profiles().len() == 1 => {
            store.profiles().keys().next().cloned().unwrap_or_default()
        }
        None => return Err(CliError::usage("which profile? avochato auth verify NAME")),
    };
    let p = store.get(&name)?.clone();
    // The profile's secret goes to the profile's host only.
    let base = match g.base_url.clone().or_else(|| {
        std::env::var("AVOCHATO_BASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
    }) {
        Some(url) => {
            crate::context::same_host(&name, p.base_url.as_deref(), &url)?;
            Some(url)
        }
        None => p.base_url.clone(),
    };
    let mut b = ClientBuilder::new().auth(p.auth_id.clone(), secret_store::secret(&name, &p)?);
    if let Some(u) = base {
        b = b.base_url(u);
    }
    if let Some(s) = g.subdomain.clone().or(p.subdomain.clone()) {
        b = b.subdomain(s);
    }
    let client = b.build()?;
    match client.verify().await {
        Ok(me) => {
            let user = match (&me.user.name, &me.user.email) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (Some(n), None) => n.clone(),
                (None, Some(e)) => e.clone(),
                (None, None) => me.user.id.clone(),
            };
            let profile = store.get_mut(&name)?;
            profile.confirmed = Some(Confirmation {
                at: Timestamp::now().as_secs(),
                inbox: me.account.subdomain.clone(),
                user: user.clone(),
            });
            profile.last_failure = None;
            store.save()?;
            say(&format!(
                "profile {name} confirmed: inbox {}, user {}",
                crate::term::clean(&me.account.subdomain),
                crate::term::clean(&user)
            ))
        }
        Err(e) => {
            if matches!(
                e.kind(),
                ErrorKind::Authentication | ErrorKind::PermissionDenied
            ) {
                let profile = store.get_mut(&name)?;
                profile.confirmed = None;
                profile.last_failure = Some(Failure {
                    at: Timestamp::now().as_secs(),
                    error: e.kind().as_str().replace('_', " "),
                });
                store.save()?;
            }
            Err(CliError::Api(e))
        }
    }
}

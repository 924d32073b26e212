//! The global options, and the client they (with a profile and the environment) describe.

use std::io::IsTerminal;

use avochato::{Client, ClientBuilder, RequestOptions};
use clap::ArgMatches;

use crate::error::{CliError, Result};
use crate::output::Format;
use crate::profiles::Store;

/// Options every command takes.
#[derive(Clone, Debug)]
pub struct Globals {
    pub profile: Option<String>,
    pub subdomain: Option<String>,
    pub base_url: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<u32>,
    pub format: Format,
    pub wide: bool,
    /// Progress bars on stderr (a terminal) or plain progress lines.
    pub progress_bars: bool,
    /// Every request attempt and answer on stderr (`-v`).
    pub verbose: bool,
}

/// Watches the requests of a client: counts 429 answers, and with `-v` prints each
/// attempt and answer on stderr (the core's targets never carry credentials).
#[derive(Debug, Default)]
pub struct Events {
    pub verbose: bool,
    pub rate_limited: std::sync::atomic::AtomicU64,
}

impl Events {
    pub fn new(verbose: bool) -> Events {
        Events {
            verbose,
            ..Events::default()
        }
    }
}

impl avochato::Observer for Events {
    fn on_event(&self, event: &avochato::RequestEvent) {
        use avochato::RequestEvent as E;
        if let E::Received { status: 429, .. } = event {
            self.rate_limited
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if !self.verbose {
            return;
        }
        let line = match event {
            E::Sending {
                method,
                target,
                attempt,
            } => format!("> {method} {target} (attempt {attempt})"),
            E::Retrying {
                method,
                target,
                reason,
                wait,
                ..
            } => {
                format!(
                    "~ {method} {target}: {reason}, resending in {:.1} s",
                    wait.as_secs_f64()
                )
            }
            E::Received {
                method,
                target,
                status,
                request_id,
                elapsed_ms,
            } => format!(
                "< {method} {target}: {status} in {elapsed_ms:.0} ms{}",
                request_id
                    .as_deref()
                    .map(|r| format!(" [request id {r}]"))
                    .unwrap_or_default()
            ),
            E::Failed {
                method,
                target,
                error,
            } => format!("! {method} {target}: {error}"),
        };
        eprintln!("{}", crate::output::clean(&line));
    }
}

impl Globals {
    pub fn from_matches(m: &ArgMatches) -> Globals {
        let flag = |id: &str| m.get_flag(id);
        let format = if flag("table") {
            Format::Table
        } else if flag("json") {
            Format::Json
        } else if flag("csv") {
            Format::Csv
        } else if flag("quiet") {
            Format::Quiet
        } else if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        };
        Globals {
            profile: m.get_one::<String>("profile").cloned(),
            subdomain: m.get_one::<String>("subdomain").cloned(),
            base_url: m.get_one::<String>("base-url").cloned(),
            timeout: m.get_one::<f64>("timeout").copied(),
            max_retries: m.get_one::<u32>("max-retries").copied(),
            format,
            wide: flag("wide"),
            progress_bars: std::io::stderr().is_terminal() && !flag("no-progress"),
            verbose: flag("verbose"),
        }
    }

    pub fn request_options(&self) -> RequestOptions {
        let mut o = RequestOptions::new();
        if let Some(d) = self
            .timeout
            .and_then(|t| avochato::config::duration_from_secs("timeout", t).ok())
        {
            o = o.timeout(d);
        }
        if let Some(n) = self.max_retries {
            o = o.max_retries(n);
        }
        o
    }

    /// The client for a command: `write` says whether it changes anything (it then refuses
    /// to pick one of several profiles by itself).
    pub fn client(&self, write: bool) -> Result<Client> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut b = ClientBuilder::new()
            .user_agent_prefix(concat!("avochato-cli/", env!("CARGO_PKG_VERSION")));
        let env_credential =
            env("AVOCHATO_AUTH_ID").is_some() && env("AVOCHATO_AUTH_SECRET").is_some();
        if let Some(name) = self.profile_name(env_credential, write)? {
            let store = Store::load()?;
            let p = store.get(&name)?;
            if !p.enabled {
                return Err(CliError::usage(format!(
                    "profile {name:?} is disabled; enable it with: avochato auth enable {name}"
                )));
            }
            b = b.auth(p.auth_id.clone(), p.auth_secret.clone());
            if let Some(s) = &p.subdomain {
                b = b.subdomain(s.clone());
            }
            if let Some(u) = &p.base_url {
                b = b.base_url(u.clone());
            }
        }
        // The environment overrides the profile; the flags override both.
        if let Some(v) = env("AVOCHATO_AUTH_ID") {
            b = b.auth_id(v);
        }
        if let Some(v) = env("AVOCHATO_AUTH_SECRET") {
            b = b.auth_secret(v);
        }
        if let Some(v) = env("AVOCHATO_BASE_URL") {
            b = b.base_url(v);
        }
        if let Some(v) = env("AVOCHATO_SUBDOMAIN") {
            b = b.subdomain(v);
        }
        if let Some(v) = &self.base_url {
            b = b.base_url(v.clone());
        }
        if let Some(v) = &self.subdomain {
            b = b.subdomain(v.clone());
        }
        if let Some(t) = self.timeout {
            let d = avochato::config::duration_from_secs("timeout", t)
                .map_err(|e| CliError::usage(format!("--timeout {}", e.errors().join("; "))))?;
            b = b.timeout(d);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        let config = b.build_config()?;
        let client = Client::from_config(config)?;
        Ok(if self.verbose {
            client.with_observer(std::sync::Arc::new(Events::new(true)))
        } else {
            client
        })
    }

    /// Which profile to use: the chosen one, else none when the environment has a
    /// credential, else the default, else the only enabled one.
    fn profile_name(&self, env_credential: bool, write: bool) -> Result<Option<String>> {
        if let Some(p) = &self.profile {
            return Ok(Some(p.clone()));
        }
        if env_credential {
            return Ok(None);
        }
        let store = Store::load()?;
        if let Some(d) = store.default_name() {
            return Ok(Some(d.to_string()));
        }
        let enabled: Vec<&String> = store
            .profiles()
            .iter()
            .filter(|(_, p)| p.enabled)
            .map(|(n, _)| n)
            .collect();
        match enabled.as_slice() {
            [] => Ok(None),
            [only] => Ok(Some((*only).clone())),
            several => {
                let names: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
                let what = if write {
                    "refusing to guess which credential should make this change"
                } else {
                    "not guessing which credential to use"
                };
                Err(CliError::usage(format!(
                    "{what}: there are several profiles ({}) and no default; pass --profile NAME or run: avochato auth default NAME",
                    names.join(", ")
                )))
            }
        }
    }
}

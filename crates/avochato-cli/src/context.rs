//! The global options, and the client they (with a profile and the environment) describe.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// `--time epoch`: times in tables and CSV as Unix seconds (default ISO 8601).
    pub epoch_times: bool,
    pub wide: bool,
    /// Progress bars on stderr (a terminal) or plain progress lines.
    pub progress_bars: bool,
    /// Every request attempt and answer on stderr (`-v`).
    pub verbose: bool,
}

/// Watches the requests of a client: counts requests, 429 answers and the core's resends
/// after them, and with `-v` prints each attempt and answer on stderr (the core's targets
/// never carry credentials).
#[derive(Debug, Default)]
pub struct Events {
    pub verbose: bool,
    /// Every attempt sent (first sends and resends).
    pub requests: AtomicU64,
    /// Of those, GET requests.
    pub gets: AtomicU64,
    /// Answers of 429.
    pub rate_limited: AtomicU64,
    /// Resends the core made after a 429 (the bulk commands count their own).
    pub resent_after_429: AtomicU64,
}

impl Events {
    pub fn count(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
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
        match event {
            E::Sending { method, .. } => {
                self.requests.fetch_add(1, Ordering::Relaxed);
                if *method == "GET" {
                    self.gets.fetch_add(1, Ordering::Relaxed);
                }
            }
            E::Received { status: 429, .. } => {
                self.rate_limited.fetch_add(1, Ordering::Relaxed);
            }
            E::Retrying { reason, .. } if reason == "HTTP 429" => {
                self.resent_after_429.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
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
        eprintln!("{}", crate::term::clean(&line));
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
            epoch_times: m.get_one::<String>("time").map(String::as_str) == Some("epoch"),
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
        let client = Client::from_config(self.config(write)?)?;
        Ok(if self.verbose {
            client.with_observer(std::sync::Arc::new(Events::new(true)))
        } else {
            client
        })
    }

    /// The configuration a command would use (credentials, inbox, base URL, limits).
    ///
    /// A profile's secret goes only to the profile's own host (its API URL, or the
    /// default): a base URL from `--base-url` or `AVOCHATO_BASE_URL` that points elsewhere
    /// is refused unless the secret comes from `AVOCHATO_AUTH_SECRET` too.
    pub fn config(&self, write: bool) -> Result<avochato::Config> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut b = ClientBuilder::new()
            .user_agent_prefix(concat!("avochato-cli/", env!("CARGO_PKG_VERSION")));
        let env_id = env("AVOCHATO_AUTH_ID");
        let env_secret = env("AVOCHATO_AUTH_SECRET");
        let base_override = self.base_url.clone().or_else(|| env("AVOCHATO_BASE_URL"));
        let profile = self.profile_name(env_id.is_some() && env_secret.is_some(), write)?;
        match &profile {
            Some(name) => {
                let store = Store::load()?;
                let p = store.get(name)?;
                if !p.enabled {
                    return Err(CliError::usage(format!(
                        "profile {name:?} is disabled; enable it with: avochato auth enable {name}"
                    )));
                }
                if env_secret.is_none()
                    && let Some(url) = &base_override
                {
                    same_host(name, p.base_url.as_deref(), url)?;
                }
                let secret = match &env_secret {
                    Some(s) => s.clone(),
                    None => crate::secret_store::secret(name, p)?,
                };
                b = b.auth(p.auth_id.clone(), secret);
                if let Some(s) = &p.subdomain {
                    b = b.subdomain(s.clone());
                }
                if let Some(u) = &p.base_url {
                    b = b.base_url(u.clone());
                }
            }
            None if env_id.is_none() && env_secret.is_none() && base_override.is_none() => {
                return Err(CliError::usage(
                    "no credentials: add a profile with `avochato auth add NAME` (it asks for the Auth ID and secret from Avochato's Settings > API Access), or set AVOCHATO_AUTH_ID and AVOCHATO_AUTH_SECRET",
                ));
            }
            None => {}
        }
        // The environment overrides the profile; the flags override both.
        if let Some(v) = env_id {
            b = b.auth_id(v);
        }
        if let Some(v) = env_secret {
            b = b.auth_secret(v);
        }
        if let Some(v) = env("AVOCHATO_SUBDOMAIN") {
            b = b.subdomain(v);
        }
        if let Some(v) = base_override {
            b = b.base_url(v);
        }
        if let Some(v) = &self.subdomain {
            b = b.subdomain(v.clone());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(duration_option("--timeout", t)?);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        Ok(b.build_config()?)
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
            [] if !store.profiles().is_empty() => {
                let names: Vec<&str> = store.profiles().keys().map(String::as_str).collect();
                Err(CliError::usage(format!(
                    "every profile is disabled ({}); enable one with: avochato auth enable NAME",
                    names.join(", ")
                )))
            }
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

/// `--timeout` and the like: a number of seconds the core accepts, or a usage error naming
/// the option.
pub fn duration_option(option: &str, secs: f64) -> Result<std::time::Duration> {
    avochato::config::duration_from_secs(option, secs)
        .map_err(|e| CliError::usage(format!("{option} {}", e.errors().join("; "))))
}

/// `scheme://host:port` of a base URL.
fn origin(url: &str) -> Result<String> {
    let normalized = avochato::config::normalize_base_url(url)?;
    let u = url::Url::parse(&normalized)
        .map_err(|e| CliError::usage(format!("{url:?} is not a URL: {e}")))?;
    Ok(format!(
        "{}://{}:{}",
        u.scheme(),
        u.host_str().unwrap_or_default(),
        u.port_or_known_default().unwrap_or_default()
    ))
}

/// Refuses to send profile `name`'s secret anywhere but to its own host.
pub fn same_host(name: &str, profile_url: Option<&str>, url: &str) -> Result<()> {
    let own = profile_url.unwrap_or(avochato::config::DEFAULT_BASE_URL);
    let (want, have) = (origin(url)?, origin(own)?);
    if want == have {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "refusing to send the secret of profile {name} to {}: the profile is for {}. Use a profile made for that host (avochato auth add NAME --api-url URL), or give its credential in AVOCHATO_AUTH_ID and AVOCHATO_AUTH_SECRET",
        want.trim_end_matches(":443"),
        have.trim_end_matches(":443")
    )))
}

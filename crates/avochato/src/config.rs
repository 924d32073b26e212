//! Client configuration: explicit, or from `AVOCHATO_*` environment variables.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://www.avochato.com";
/// Total time allowed for one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed to open a connection (native only).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a request may be resent (see the retry rules in the README).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The longest `Retry-After` the client waits for; a longer one is returned as an error.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// The longest duration any option takes (timeouts, the longest `Retry-After` to wait):
/// one day.
pub const MAX_DURATION: Duration = Duration::from_secs(86_400);
/// The most resends a call may be allowed.
pub const MAX_RETRIES_LIMIT: u32 = 100;

/// A duration option given in seconds by a host (Python `timeout=`, JavaScript
/// `timeoutMs / 1000`, the CLI's `--timeout`): finite, above zero and at most
/// [`MAX_DURATION`]; otherwise a validation error naming `option`.
pub fn duration_from_secs(option: &str, secs: f64) -> Result<Duration> {
    if !secs.is_finite() || secs <= 0.0 {
        return Err(Error::validation(
            option,
            format!(
                "must be a number of seconds above 0, got {}",
                crate::text::number(secs)
            ),
        ));
    }
    if secs > MAX_DURATION.as_secs_f64() {
        return Err(Error::validation(
            option,
            format!(
                "must be at most {} seconds (one day), got {}",
                MAX_DURATION.as_secs(),
                crate::text::number(secs)
            ),
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| {
        Error::validation(
            option,
            format!("{} is not a duration", crate::text::number(secs)),
        )
    })
}

/// A duration option given as a [`Duration`]: above zero and at most [`MAX_DURATION`].
pub fn check_duration(option: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() || d > MAX_DURATION {
        return Err(Error::validation(
            option,
            format!(
                "must be above 0 and at most {} seconds (one day), got {} s",
                MAX_DURATION.as_secs(),
                crate::text::number(d.as_secs_f64())
            ),
        ));
    }
    Ok(d)
}

/// A resend count given by a host as a number: a whole number from 0 to
/// [`MAX_RETRIES_LIMIT`].
pub fn retries_from_number(option: &str, n: f64) -> Result<u32> {
    if !n.is_finite() || n < 0.0 || n.fract() != 0.0 || n > f64::from(MAX_RETRIES_LIMIT) {
        return Err(Error::validation(
            option,
            format!(
                "must be a whole number from 0 to {MAX_RETRIES_LIMIT}, got {}",
                crate::text::number(n)
            ),
        ));
    }
    Ok(n as u32)
}

/// Environment variable names read by [`ClientBuilder::from_env`].
pub mod env {
    /// The credential's id.
    pub const AUTH_ID: &str = "AVOCHATO_AUTH_ID";
    /// The credential's secret.
    pub const AUTH_SECRET: &str = "AVOCHATO_AUTH_SECRET";
    /// The API's base URL.
    pub const BASE_URL: &str = "AVOCHATO_BASE_URL";
    /// The inbox every request is scoped to.
    pub const SUBDOMAIN: &str = "AVOCHATO_SUBDOMAIN";
}

/// A validated configuration. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct Config {
    pub(crate) auth_id: Option<String>,
    pub(crate) auth_secret: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) subdomain: Option<String>,
    pub(crate) timeout: Duration,
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) max_retry_wait: Duration,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) user_agent: String,
}

impl Config {
    /// The credential id, if any (none in proxy mode).
    pub fn auth_id(&self) -> Option<&str> {
        self.auth_id.as_deref()
    }
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The inbox requests are scoped to by default.
    pub fn subdomain(&self) -> Option<&str> {
        self.subdomain.as_deref()
    }
    /// Total time allowed per attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// How many times a request may be resent.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
    /// The longest `Retry-After` waited for.
    pub fn max_retry_wait(&self) -> Duration {
        self.max_retry_wait
    }
    /// Extra headers sent with every request.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
    /// The user agent sent natively.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    /// Whether requests go out without credentials (a backend of the user's adds them).
    pub fn is_proxy_mode(&self) -> bool {
        self.auth_id.is_none()
    }
    /// The same configuration, scoped to inbox `subdomain`.
    pub fn with_subdomain(&self, subdomain: impl Into<String>) -> Result<Config> {
        let subdomain = subdomain.into();
        crate::validate::subdomain(&subdomain)?;
        let mut c = self.clone();
        c.subdomain = Some(subdomain);
        Ok(c)
    }

    /// The inbox a call goes to: the call's own (checked), else the client's.
    pub fn subdomain_for<'a>(
        &'a self,
        options: &'a crate::request::RequestOptions,
    ) -> Result<Option<&'a str>> {
        match options.subdomain.as_deref() {
            Some(s) => {
                crate::validate::subdomain(s)?;
                Ok(Some(s))
            }
            None => Ok(self.subdomain.as_deref()),
        }
    }

    /// A call's time per attempt and resends: its own (checked), else the client's.
    pub fn attempts_for(
        &self,
        options: &crate::request::RequestOptions,
    ) -> Result<(Duration, u32)> {
        let max_retries = match options.max_retries {
            Some(n) if n > MAX_RETRIES_LIMIT => {
                return Err(Error::validation(
                    "max_retries",
                    format!("must be at most {MAX_RETRIES_LIMIT}, got {n}"),
                ));
            }
            Some(n) => n,
            None => self.max_retries,
        };
        let timeout = match options.timeout {
            Some(t) => check_duration("timeout", t)?,
            None => self.timeout,
        };
        Ok((timeout, max_retries))
    }

    pub(crate) fn secret(&self) -> Option<&Secret> {
        self.auth_secret.as_ref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("auth_id", &self.auth_id)
            .field(
                "auth_secret",
                &self.auth_secret.as_ref().map(|_| crate::secret::REDACTED),
            )
            .field("base_url", &self.base_url)
            .field("subdomain", &self.subdomain)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Builds a [`crate::Client`]; [`ClientBuilder::build`] validates everything first.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    auth_id: Option<String>,
    auth_secret: Option<Secret>,
    base_url: Option<String>,
    subdomain: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_retry_wait: Option<Duration>,
    headers: Vec<(String, String)>,
    user_agent_prefix: Option<String>,
    camel_case: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("auth_id", &self.auth_id)
            .field(
                "auth_secret",
                &self.auth_secret.as_ref().map(|_| crate::secret::REDACTED),
            )
            .field("base_url", &self.base_url)
            .field("subdomain", &self.subdomain)
            .finish_non_exhaustive()
    }
}

/// The connection options a host may give, each optional ([`ClientBuilder::connection`]).
#[derive(Default)]
pub struct ConnectionOptions {
    /// The credential id.
    pub auth_id: Option<String>,
    /// The credential secret.
    pub auth_secret: Option<String>,
    /// The API's base URL.
    pub base_url: Option<String>,
    /// The inbox every request is scoped to.
    pub subdomain: Option<String>,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl ClientBuilder {
    /// An empty builder (nothing read from the environment).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder filled from `AVOCHATO_AUTH_ID`, `AVOCHATO_AUTH_SECRET`, `AVOCHATO_BASE_URL`
    /// and `AVOCHATO_SUBDOMAIN`; later calls override what it read.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        ClientBuilder {
            auth_id: non_empty(lookup(env::AUTH_ID)),
            auth_secret: non_empty(lookup(env::AUTH_SECRET)).map(Secret::new),
            base_url: non_empty(lookup(env::BASE_URL)),
            subdomain: non_empty(lookup(env::SUBDOMAIN)),
            ..Self::default()
        }
    }

    /// The credential pair (Settings > API Access).
    pub fn auth(self, auth_id: impl Into<String>, auth_secret: impl Into<Secret>) -> Self {
        self.auth_id(auth_id).auth_secret(auth_secret)
    }
    /// The credential id.
    pub fn auth_id(mut self, auth_id: impl Into<String>) -> Self {
        self.auth_id = non_empty(Some(auth_id.into()));
        self
    }
    /// The credential secret.
    pub fn auth_secret(mut self, auth_secret: impl Into<Secret>) -> Self {
        let secret: Secret = auth_secret.into();
        self.auth_secret = if secret.expose().trim().is_empty() {
            None
        } else {
            Some(secret)
        };
        self
    }
    /// The API's base URL (default `https://www.avochato.com`). `http://` is accepted only
    /// for loopback hosts.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = non_empty(Some(base_url.into()));
        self
    }
    /// The inbox every request is scoped to, unless a call names another.
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.subdomain = non_empty(Some(subdomain.into()));
        self
    }
    /// Each of the connection options that is given, over what the builder holds (hosts
    /// whose options are all optional: Python's keyword arguments, the JVM's `ClientOptions`).
    pub fn connection(self, given: ConnectionOptions) -> Self {
        let ConnectionOptions {
            auth_id,
            auth_secret,
            base_url,
            subdomain,
        } = given;
        let mut b = self;
        if let Some(v) = auth_id {
            b = b.auth_id(v);
        }
        if let Some(v) = auth_secret {
            b = b.auth_secret(v);
        }
        if let Some(v) = base_url {
            b = b.base_url(v);
        }
        if let Some(v) = subdomain {
            b = b.subdomain(v);
        }
        b
    }
    /// Total time allowed per attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Time allowed to connect, natively (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// How many times a request may be resent (default 2).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// The longest `Retry-After` to wait for before resending (default 60 s).
    pub fn max_retry_wait(mut self, d: Duration) -> Self {
        self.max_retry_wait = Some(d);
        self
    }
    /// An extra header sent with every request (for a proxy of your own).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// Name the options in messages as JavaScript does (`authId`, `authSecret`, `baseUrl`).
    pub fn camel_case_names(mut self) -> Self {
        self.camel_case = true;
        self
    }

    /// A product token put before `avochato-rust/<version>` in the user agent.
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.user_agent_prefix = non_empty(Some(prefix.into()));
        self
    }

    /// Validates the configuration.
    pub fn build_config(self) -> Result<Config> {
        let name = |snake: &'static str| -> &'static str {
            match (self.camel_case, snake) {
                (true, "auth_id") => "authId",
                (true, "auth_secret") => "authSecret",
                (true, "base_url") => "baseUrl",
                _ => snake,
            }
        };
        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let auth_id = self.auth_id;
        let auth_secret = self.auth_secret;
        match (&auth_id, &auth_secret) {
            (Some(_), Some(_)) => {}
            (Some(_), None) => {
                return Err(Error::config(format!(
                    "{} is missing (pass it, or set {})",
                    name("auth_secret"),
                    env::AUTH_SECRET
                )));
            }
            (None, Some(_)) => {
                return Err(Error::config(format!(
                    "{} is missing (pass it, or set {})",
                    name("auth_id"),
                    env::AUTH_ID
                )));
            }
            (None, None) => {
                if self.base_url.is_none() {
                    return Err(Error::config(format!(
                        "no credentials: pass {} and {} (or set {} and {}); \
                         to send requests without credentials through a backend of your own, \
                         set {} to that backend",
                        name("auth_id"),
                        name("auth_secret"),
                        env::AUTH_ID,
                        env::AUTH_SECRET,
                        name("base_url"),
                    )));
                }
            }
        }
        if let Some(sub) = &self.subdomain {
            crate::validate::subdomain(sub)?;
        }
        for (name, value) in &self.headers {
            check_header(name, value)?;
        }
        let timeout = check_duration("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = check_duration(
            "connect_timeout",
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        )?;
        let max_retry_wait = check_duration(
            "max_retry_wait",
            self.max_retry_wait.unwrap_or(DEFAULT_MAX_RETRY_WAIT),
        )?;
        let max_retries = self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
        if max_retries > MAX_RETRIES_LIMIT {
            return Err(Error::validation(
                "max_retries",
                format!("must be at most {MAX_RETRIES_LIMIT}, got {max_retries}"),
            ));
        }
        let version = env!("CARGO_PKG_VERSION");
        let user_agent = match self.user_agent_prefix {
            Some(p) => format!("{p} avochato-rust/{version}"),
            None => format!("avochato-rust/{version}"),
        };
        Ok(Config {
            auth_id,
            auth_secret,
            base_url,
            subdomain: self.subdomain,
            timeout,
            connect_timeout,
            max_retries,
            max_retry_wait,
            headers: self.headers,
            user_agent,
        })
    }
}

/// An extra header: a token name, a value without line breaks or NUL.
pub fn check_header(name: &str, value: &str) -> Result<()> {
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid_name || value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::validation(
            "headers",
            format!("invalid header {}", crate::text::quoted(name)),
        ));
    }
    Ok(())
}

/// Checks a base URL: absolute, `http(s)://host[:port][/path]` in ASCII, no credentials,
/// query or fragment, `http` only on loopback. Returns it with the scheme and host in lower
/// case and without a trailing `/`.
pub fn normalize_base_url(raw: &str) -> Result<String> {
    use crate::text::quoted;
    let text = raw.trim();
    // Every error names the option, `base_url`.
    // The URL is shown without what may be secret in it: credentials, query, fragment.
    let bad =
        |why: &str| Error::validation("base_url", format!("{} {why}", quoted(&shown_url(raw))));
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(bad("is not an absolute http(s) URL"));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(Error::validation(
            "base_url",
            format!("scheme {} is not http(s)", quoted(&scheme)),
        ));
    }
    if let Some(c) = rest
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_whitespace() || c.is_ascii_control())
    {
        return Err(bad(&format!(
            "contains {}; give the host in ASCII (punycode)",
            quoted(&c.to_string())
        )));
    }
    if rest.contains(['?', '#']) {
        // Not quoted: a query may hold a secret.
        return Err(Error::validation(
            "base_url",
            "must not contain a query or fragment",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(Error::validation(
            "base_url",
            "must not contain credentials",
        ));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']').ok_or_else(|| bad("has an unclosed ["))?;
            if ipv6(addr).is_none() {
                return Err(bad("has an invalid IPv6 address"));
            }
            (&authority[..addr.len() + 2], after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[')
            || host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    if !host_ok {
        return Err(bad("has no valid host"));
    }
    if let Some(p) = port
        && (p.is_empty()
            || p.len() > 5
            || !p.bytes().all(|b| b.is_ascii_digit())
            || p.parse::<u32>().map_or(true, |n| n > 65_535))
    {
        return Err(bad("has an invalid port"));
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(bad("must not contain . or .. in its path"));
    }
    let host = host.to_ascii_lowercase();
    if scheme == "http" && !is_loopback(&host) {
        return Err(bad("uses plain http on a non-loopback host; use https \
             (http is accepted only for localhost / 127.0.0.1 / ::1)"));
    }
    let mut out = format!("{scheme}://{host}");
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    out.push_str(path.trim_end_matches('/'));
    Ok(out)
}

/// A URL as an error message may show it: no user or password, no query or fragment.
fn shown_url(raw: &str) -> String {
    let t = raw.trim();
    let t = t.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match t.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, t),
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None if scheme.is_none() && path.is_empty() && authority.contains('@') => "***".into(),
        None => authority.to_string(),
    };
    match scheme {
        Some(s) => format!("{s}://{authority}{path}"),
        None => format!("{authority}{path}"),
    }
}

/// Whether `host` (as in a URL) is a loopback address.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") || h.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    if let Some(v4) = ipv4(h) {
        return v4[0] == 127;
    }
    ipv6(h) == Some([0, 0, 0, 0, 0, 0, 0, 1])
}

/// A dotted-quad IPv4 address (`127.0.0.1`; no leading zeros, as `std::net` reads it).
fn ipv4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for slot in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if p.len() > 1 && p.starts_with('0') {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// An IPv6 address (`::1`, `fe80::1:2`, `::ffff:127.0.0.1`), as its eight groups; written
/// by hand so that the WebAssembly build carries no `std::net` parser.
fn ipv6(s: &str) -> Option<[u16; 8]> {
    fn groups(part: &str, v4_allowed: bool) -> Option<Vec<u16>> {
        let mut out = Vec::new();
        if part.is_empty() {
            return Some(out);
        }
        let pieces: Vec<&str> = part.split(':').collect();
        for (i, p) in pieces.iter().enumerate() {
            if v4_allowed && i + 1 == pieces.len() && p.contains('.') {
                let [a, b, c, d] = ipv4(p)?;
                out.push(u16::from(a) << 8 | u16::from(b));
                out.push(u16::from(c) << 8 | u16::from(d));
            } else {
                if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u16::from_str_radix(p, 16).ok()?);
            }
        }
        Some(out)
    }
    let mut out = [0u16; 8];
    match s.split_once("::") {
        Some((head, tail)) => {
            if tail.contains("::") {
                return None;
            }
            let (head, tail) = (groups(head, false)?, groups(tail, true)?);
            if head.len() + tail.len() > 7 {
                return None;
            }
            for (slot, g) in out.iter_mut().zip(&head) {
                *slot = *g;
            }
            for (slot, g) in out.iter_mut().rev().zip(tail.iter().rev()) {
                *slot = *g;
            }
        }
        None => {
            let all = groups(s, true)?;
            if all.len() != 8 {
                return None;
            }
            for (slot, g) in out.iter_mut().zip(&all) {
                *slot = *g;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_base_url_is_shown_without_its_secrets() {
        for raw in [
            "https://user:p\u{e4}ssword@host/x",
            "https://user:pw-9876@host:99999",
            "http://user:pw-9876@example.com/",
            "https://host/x?auth_secret=pw-9876",
            "https://h\u{e9}st/#pw-9876",
        ] {
            let e = normalize_base_url(raw).unwrap_err().to_string();
            assert!(!e.contains("pw-9876") && !e.contains("ssword"), "{e}");
            assert!(e.contains("base_url"), "{e}");
        }
        assert_eq!(shown_url("https://u:p@h:1/a?b"), "https://***@h:1/a");
        assert_eq!(shown_url("h/x#y"), "h/x");
    }

    #[test]
    fn addresses_as_std_net_reads_them() {
        for s in [
            "::1",
            "::",
            "1::",
            "fe80::1:2",
            "2001:db8::8a2e:370:7334",
            "::ffff:127.0.0.1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "1::2:3:4:5:6:7",
            "1:2:3:4:5:6:7::",
            "1:2:3:4:5:6:7:8:9",
            "1:::2",
            "1::2::3",
            ":1",
            "1:",
            "12345::",
            "g::",
            "::1.2.3",
            "::01.2.3.4",
            "+1::",
            "1.2.3.4",
            "",
            "1:2:3:4:5:6:7",
            "::1.2.3.4:5",
            "fe80::1%eth0",
        ] {
            let want = s.parse::<std::net::Ipv6Addr>().ok().map(|a| a.segments());
            assert_eq!(ipv6(s), want, "{s}");
        }
        for s in [
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "256.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1..2.3",
            "a.b.c.d",
            "",
            "1.2.3.4 ",
        ] {
            let want = s.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets());
            assert_eq!(ipv4(s), want, "{s}");
        }
        for (h, want) in [
            ("127.0.0.1", true),
            ("127.1.2.3", true),
            ("[::1]", true),
            ("::1", true),
            ("localhost", true),
            ("a.localhost", true),
            ("10.0.0.1", false),
            ("::2", false),
            ("example.com", false),
            ("[::ffff:127.0.0.1]", false),
        ] {
            assert_eq!(is_loopback(h), want, "{h}");
        }
    }

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn reads_the_environment() {
        let cfg = ClientBuilder::from_lookup(lookup(&[
            ("AVOCHATO_AUTH_ID", "id1"),
            ("AVOCHATO_AUTH_SECRET", "secret-value-1"),
            ("AVOCHATO_BASE_URL", "http://127.0.0.1:9/"),
            ("AVOCHATO_SUBDOMAIN", "inbox-2"),
        ]))
        .build_config()
        .unwrap();
        assert_eq!(cfg.auth_id(), Some("id1"));
        assert_eq!(cfg.base_url(), "http://127.0.0.1:9");
        assert_eq!(cfg.subdomain(), Some("inbox-2"));
        assert!(!format!("{cfg:?}").contains("secret-value-1"));
    }

    #[test]
    fn explicit_values_override_the_environment() {
        let cfg = ClientBuilder::from_lookup(lookup(&[
            ("AVOCHATO_AUTH_ID", "env-id"),
            ("AVOCHATO_AUTH_SECRET", "env-secret"),
        ]))
        .auth("mine", "my-secret")
        .build_config()
        .unwrap();
        assert_eq!(cfg.auth_id(), Some("mine"));
        assert_eq!(cfg.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://[::1]:3000",
            "https://api.example.com/base/",
        ] {
            assert!(normalize_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            normalize_base_url(" HTTPS://API.Example.com/base/ ").unwrap(),
            "https://api.example.com/base"
        );
        assert_eq!(
            normalize_base_url("http://[::1]:3000/").unwrap(),
            "http://[::1]:3000"
        );
        for bad in [
            "http://example.com",
            "ftp://127.0.0.1",
            "/relative",
            "https://u:p@host",
            "https://h/?x=1",
            "javascript:alert(1)",
            "https://",
            "https://a b.com",
            "https://bücher.example",
            "https://h:99999",
            "https://h/a/../b",
            "http://127.0.0.1.example.com",
        ] {
            let e = normalize_base_url(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{bad}");
            assert_eq!(e.param(), Some("base_url"), "{bad}");
            assert!(!e.to_string().contains("u:p@"), "credentials echoed: {e}");
            let e = ClientBuilder::new()
                .auth("id", "secret-value")
                .base_url(bad)
                .build_config()
                .unwrap_err();
            assert_eq!(e.param(), Some("base_url"), "{bad}");
        }
    }

    #[test]
    fn out_of_range_durations_are_validation_errors() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e20, 1e300, 86_400.5] {
            let e = duration_from_secs("timeout", bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{bad}");
            assert_eq!(e.param(), Some("timeout"), "{bad}");
        }
        assert_eq!(
            duration_from_secs("timeout", 0.25).unwrap(),
            Duration::from_millis(250)
        );
        assert!(duration_from_secs("timeout", 86_400.0).is_ok());
        let e = ClientBuilder::new()
            .auth("id", "secret-value")
            .timeout(Duration::MAX)
            .build_config()
            .unwrap_err();
        assert_eq!(e.param(), Some("timeout"));
        let e = ClientBuilder::new()
            .auth("id", "secret-value")
            .max_retry_wait(Duration::ZERO)
            .build_config()
            .unwrap_err();
        assert_eq!(e.param(), Some("max_retry_wait"));
        for bad in [-1.0, 1.5, f64::NAN, 1e12] {
            assert!(retries_from_number("maxRetries", bad).is_err(), "{bad}");
        }
        assert_eq!(retries_from_number("maxRetries", 3.0).unwrap(), 3);
    }

    #[test]
    fn missing_credentials_are_reported_before_anything_is_sent() {
        let e = ClientBuilder::new().build_config().unwrap_err();
        assert!(e.to_string().contains("no credentials"), "{e}");
        let e = ClientBuilder::new()
            .auth_id("x")
            .build_config()
            .unwrap_err();
        assert!(e.to_string().contains("auth_secret"), "{e}");
        // Proxy mode: no credentials, but an explicit backend.
        let cfg = ClientBuilder::new()
            .base_url("https://my-backend.example.com/avochato")
            .build_config()
            .unwrap();
        assert!(cfg.is_proxy_mode());
    }
}

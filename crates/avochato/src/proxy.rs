//! The proxy's decision: what a web page may have a backend send on its behalf.
//!
//! A page can never hold `auth_secret`, so a widget calls a backend of the site that adds
//! the credentials (the clients' *proxy mode*). That backend must not forward whatever the
//! page asks for: any visitor could then call `users.delete` with the site's credential.
//! [`decide`] takes what the page sent (method, path below the mount point, query, body,
//! the names of its headers) and a [`Policy`] (the operations allowed, parameter values
//! pinned, a size limit), and answers either a [`Refusal`] (nothing is sent) or a
//! [`Forward`]: which documented operation this is and the request to send upstream, with
//! the credentials added where the reference puts them ([`WireRequest::to_http`]), and for
//! the site's `authorize` hook every operation the request fits and the parameters sent,
//! without the credentials (a live-chat message is also a `messages.send`: a hook that
//! allows both can still refuse a phone number).
//!
//! * The route is matched against the operation list (literal segments before `:id`/`:ids`
//!   placeholders, as the API routes `/v1/messages/scheduled`). Percent-encoded slashes,
//!   `.`/`..` segments, doubled slashes and method-override headers are refused (400); a
//!   route that is no documented operation is 404.
//! * The parameters (the query for GET, the JSON body otherwise, as the clients send them)
//!   go through the same [`crate::params::check`] as every client call. Operations sharing
//!   a route are told apart by which parameter types the request fits, constants included
//!   (`user_id=unassign` is `tickets.unassign`). A request fitting an allowed operation and
//!   one that is not allowed is refused (403), as is one fitting no allowed operation.
//! * Pinned parameters (`subdomain`, `from`, ...) are added when absent; sent with another
//!   value they are refused (403). `auth_id`/`auth_secret` from the page are refused (400).
//! * What is sent upstream is encoded anew from the checked parameters: nothing the page
//!   sent reaches the API unless an operation's parameter type holds it.
//!
//! [`answer`] turns the API's answer into what the page gets: status and body as they
//! came (the secret removed, should the API echo it), `content-type`, `x-request-id` and
//! `retry-after`, and a redirect as a 502 (never followed, never shown).

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::describe::{TypeInfo, TypeRef};
use crate::endpoint::{HttpMethod, OperationSpec};
use crate::error::{Error, ErrorKind};
use crate::text::quoted;
use crate::wire::HttpRequest;

/// The body size limit when none is set: 64 KiB (a message is at most 1,600 characters).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// Request headers that ask a server to take another method or path than the request
/// line's: refused, whatever their value.
pub const OVERRIDE_HEADERS: &[&str] = &[
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
    "x-original-method",
    "x-original-url",
    "x-rewrite-url",
];

/// Parameter names a page never sends: the credentials, and Rails' method override.
const RESERVED_PARAMS: &[&str] = &["auth_id", "auth_secret", "_method"];

/// What a page's requests may do: the operations allowed, the parameters pinned, the size
/// limit. Built by [`PolicyBuilder`], which checks every name and value.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Indexed by operation number ([`crate::operations`]).
    allowed: Vec<bool>,
    /// Pinned parameters other than `subdomain`, as given.
    pins: Vec<(String, Value)>,
    subdomain: Option<String>,
    max_body_bytes: usize,
    js_names: bool,
}

/// Builds a [`Policy`].
#[derive(Clone, Debug, Default)]
pub struct PolicyBuilder {
    allow: Vec<String>,
    pins: Vec<(String, Value)>,
    max_body_bytes: Option<usize>,
    js_names: bool,
}

impl PolicyBuilder {
    /// Allows an operation, named `resource.method` with the Rust/Python method name
    /// (`messages.send_live_chat`) or the JavaScript one (`messages.sendLiveChat`).
    #[must_use]
    pub fn allow(mut self, name: impl Into<String>) -> Self {
        self.allow.push(name.into());
        self
    }
    /// Pins a parameter: added to every request of an operation that has it, and a request
    /// that gives another value is refused. `subdomain` pins the inbox of every request.
    #[must_use]
    pub fn pin(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.pins.push((name.into(), value.into()));
        self
    }
    /// The largest body (and query string) accepted, in bytes (default 64 KiB).
    #[must_use]
    pub fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body_bytes = Some(n);
        self
    }
    /// Names operations in messages as JavaScript does (`messages.sendLiveChat`).
    #[must_use]
    pub fn js_names(mut self) -> Self {
        self.js_names = true;
        self
    }

    /// Checks the names and values: an unknown operation, a pin that no allowed operation
    /// has, or a pinned value its parameter refuses is a validation error.
    pub fn build(self) -> crate::Result<Policy> {
        let ops = crate::operations();
        let mut allowed = vec![false; ops.len()];
        for name in &self.allow {
            let found = ops.iter().position(|op| {
                name.split_once('.')
                    .is_some_and(|(r, m)| r == op.resource && (m == op.name || m == op.js_name))
            });
            match found.and_then(|i| allowed.get_mut(i)) {
                Some(slot) => *slot = true,
                None => {
                    let names = ops.iter().map(|op| {
                        if self.js_names {
                            format!("{}.{}", op.resource, op.js_name)
                        } else {
                            op.qualified_name()
                        }
                    });
                    let hint = crate::text::nearest(name, names)
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    return Err(Error::validation(
                        "allow",
                        format!(
                            "{} is not an operation{hint}; operations are named resource.method, \
                             as operations() lists them",
                            quoted(name)
                        ),
                    ));
                }
            }
        }
        let mut subdomain = None;
        let mut pins = Vec::new();
        for (name, value) in self.pins {
            let param = format!("pin.{name}");
            if RESERVED_PARAMS.contains(&name.as_str()) {
                return Err(Error::validation(
                    param,
                    "the credentials are the proxy's own options, not pins",
                ));
            }
            if name == "subdomain" {
                let Value::String(s) = value else {
                    return Err(Error::validation(param, "must be a string"));
                };
                crate::validate::subdomain(&s)?;
                subdomain = Some(s);
                continue;
            }
            let mut declared = false;
            for (i, op) in ops.iter().enumerate() {
                if !allowed.get(i).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(checked) = crate::params::check_field(op, &name, value.clone()) {
                    declared = true;
                    checked.map_err(|e| {
                        Error::validation(
                            param.clone(),
                            format!(
                                "{} (as a parameter of {})",
                                e.message(),
                                op.qualified_name()
                            ),
                        )
                    })?;
                }
            }
            if !declared {
                return Err(Error::validation(
                    param,
                    "is not a parameter of any allowed operation",
                ));
            }
            pins.push((name, value));
        }
        Ok(Policy {
            allowed,
            pins,
            subdomain,
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            js_names: self.js_names,
        })
    }
}

impl Policy {
    /// A policy to build: nothing allowed, nothing pinned, the default size limit.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }
    /// Whether an operation is allowed.
    pub fn allows(&self, op: &OperationSpec) -> bool {
        index_of(op).is_some_and(|i| self.allowed.get(i).copied().unwrap_or(false))
    }
    /// The largest body accepted, in bytes: a host reads no more than this (plus one).
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }
    /// The inbox every request is pinned to, if any.
    pub fn subdomain(&self) -> Option<&str> {
        self.subdomain.as_deref()
    }
    /// An operation's name as this policy's messages write it.
    pub fn name_of(&self, op: &OperationSpec) -> String {
        if self.js_names {
            format!("{}.{}", op.resource, op.js_name)
        } else {
            op.qualified_name()
        }
    }
}

fn index_of(op: &OperationSpec) -> Option<usize> {
    crate::operations()
        .iter()
        .position(|o| o.resource == op.resource && o.name == op.name)
}

/// What a page sent, as the host received it.
#[derive(Clone, Debug, Default)]
pub struct Incoming<'a> {
    /// The request method (`GET`, ...).
    pub method: &'a str,
    /// The path below the proxy's mount point, as sent (percent-encoded): `/v1/messages`.
    pub path: &'a str,
    /// The query string as sent, without `?` (empty: none).
    pub query: &'a str,
    /// The body's bytes.
    pub body: &'a [u8],
    /// The body as the host parsed it as JSON, if it did (`Err`: why it is not JSON).
    /// `None`: the core parses it; natively only: the WebAssembly build has no JSON parser
    /// (the JavaScript host parses with `JSON.parse`).
    pub parsed_body: Option<std::result::Result<Value, String>>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The names of the request's headers (any case): only whether a method-override
    /// header is among them matters.
    pub header_names: &'a [&'a str],
}

/// A request the policy allows: the operation and what to send upstream.
#[derive(Clone, Debug)]
pub struct Forward {
    /// The operation (the most specific, if the request fits several allowed ones).
    pub operation: &'static OperationSpec,
    /// Every operation the request fits (all allowed), in [`crate::operations`] order.
    pub fits: Vec<&'static OperationSpec>,
    /// The parameters as the API receives them, for the site's `authorize` hook: the path's
    /// values as text (`id`, `ids`) and the query (GET) or JSON body as sent upstream,
    /// pinned values and the operation's constants included. Never the credentials.
    pub params: Map<String, Value>,
    /// The request to send, credentials included: never logged or shown.
    pub request: HttpRequest,
    /// The path and query as sent upstream, without credentials (for log lines).
    pub target: String,
}

/// A request refused: nothing is sent. [`Refusal::body`] is what the page gets.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// 400 (malformed), 403 (not allowed), 404 (no such operation), 413 (too large).
    pub status: u16,
    /// The error, of the kind the status maps to, with the reason as its message.
    pub error: Error,
    /// The parameter at fault, if one is.
    pub param: Option<String>,
}

impl Refusal {
    fn new(status: u16, reason: impl Into<String>) -> Self {
        Refusal {
            status,
            error: Error::api(status, vec![reason.into()], b""),
            param: None,
        }
    }
    fn param(mut self, param: impl Into<String>) -> Self {
        let p = param.into();
        self.param = (!p.is_empty()).then_some(p);
        self
    }
    /// The reason, in one sentence.
    pub fn reason(&self) -> &str {
        self.error.errors().first().map_or("", String::as_str)
    }
    /// The JSON body answered: the API's error envelope (`status`, `errors`), which every
    /// client of the SDK reads into its error class, with `kind`, `param` and
    /// `source: "proxy"` (the API was not called).
    pub fn body(&self) -> String {
        error_body(
            self.status,
            self.error.kind(),
            self.reason(),
            self.param.as_deref(),
        )
    }
}

fn error_body(status: u16, kind: ErrorKind, reason: &str, param: Option<&str>) -> String {
    let mut m = Map::new();
    m.insert("status".into(), Value::from(status));
    m.insert("errors".into(), Value::from(vec![reason.to_string()]));
    m.insert("kind".into(), Value::from(kind.as_str()));
    if let Some(p) = param {
        m.insert("param".into(), Value::from(p));
    }
    m.insert("source".into(), Value::from("proxy"));
    let mut out = String::with_capacity(128);
    crate::text::json(&Value::Object(m), &mut out);
    out
}

/// Decides what to do with a page's request under `policy`; `config` holds the credential
/// and base URL (its `subdomain` is the inbox when neither the policy nor the page names
/// one).
pub fn decide(config: &Config, policy: &Policy, req: &Incoming<'_>) -> Result<Forward, Refusal> {
    if config.auth_id().is_none() {
        return Err(Refusal::new(
            500,
            "the proxy has no credentials (give authId and authSecret, or set AVOCHATO_AUTH_ID \
             and AVOCHATO_AUTH_SECRET)",
        ));
    }
    let limit = policy.max_body_bytes;
    if req.body.len() > limit || req.query.len() > limit {
        return Err(Refusal::new(
            413,
            format!("the request is larger than this proxy accepts ({limit} bytes)"),
        ));
    }
    if let Some(h) = req.header_names.iter().find(|h| {
        OVERRIDE_HEADERS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(h.trim()))
    }) {
        return Err(Refusal::new(
            400,
            format!(
                "the {} header is refused: the method and path are the request's own",
                quoted(&h.to_ascii_lowercase())
            ),
        ));
    }
    let method = match req.method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "DELETE" => HttpMethod::Delete,
        other => {
            return Err(Refusal::new(
                404,
                format!(
                    "no documented operation uses the method {}",
                    quoted(&other.chars().take(20).collect::<String>())
                ),
            ));
        }
    };
    let segments = path_segments(req.path)?;
    let route = routes(method, &segments);
    if route.is_empty() {
        return Err(Refusal::new(
            404,
            format!(
                "{} {} is not a documented operation",
                method.as_str(),
                shown_path(req.path)
            ),
        ));
    }
    let mut given = parameters(method, req)?;
    let subdomain = take_subdomain(&mut given, policy)?;

    let names = |ops: &[&'static OperationSpec]| {
        ops.iter()
            .map(|op| format!("`{}`", policy.name_of(op)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !route.iter().any(|(op, _)| policy.allows(op)) {
        let ops: Vec<_> = route.iter().map(|(op, _)| *op).collect();
        let what = if ops.len() == 1 {
            format!("{} is not allowed by this proxy", names(&ops))
        } else {
            format!(
                "{} {} is {}: none is allowed by this proxy",
                method.as_str(),
                shown_path(req.path),
                names(&ops).replace(", ", " or ")
            )
        };
        return Err(Refusal::new(403, what));
    }
    check_pins(policy, &route, &given)?;

    // Which operations the parameters fit.
    let mut fits: Vec<(&'static OperationSpec, Map<String, Value>)> = Vec::new();
    // The error shown when none fits: an allowed operation's first, one that knows every
    // name sent before one that does not.
    let mut first_error: Option<(u8, Error)> = None;
    for (op, values) in &route {
        match fit(op, values, &given, policy) {
            Ok(checked) => fits.push((op, checked)),
            Err(e) => {
                let knows_names = !e.message().contains("is not a parameter of");
                let rank = 2 * u8::from(policy.allows(op)) + u8::from(knows_names);
                if first_error.as_ref().is_none_or(|(r, _)| *r < rank) {
                    first_error = Some((rank, e));
                }
            }
        }
    }
    if fits.is_empty() {
        let e = first_error
            .map(|(_, e)| e)
            .unwrap_or_else(|| Error::validation("", "the parameters fit no operation"));
        let ops: Vec<_> = route.iter().map(|(op, _)| *op).collect();
        let reason = if ops.len() == 1 {
            format!("{}: {}", names(&ops), e.message())
        } else {
            format!(
                "the parameters fit none of {} ({})",
                names(&ops),
                e.message()
            )
        };
        return Err(Refusal::new(400, reason).param(e.param().unwrap_or_default()));
    }
    let refused: Vec<_> = fits
        .iter()
        .map(|(op, _)| *op)
        .filter(|op| !policy.allows(op))
        .collect();
    if !refused.is_empty() {
        let allowed: Vec<_> = fits
            .iter()
            .map(|(op, _)| *op)
            .filter(|op| policy.allows(op))
            .collect();
        let reason = if allowed.is_empty() {
            format!("{} is not allowed by this proxy", names(&refused))
        } else {
            format!(
                "this request is {} (allowed) but also {} (not allowed by this proxy): \
                 allow both, or send parameters that only the allowed one takes",
                names(&allowed).replace(", ", " and "),
                names(&refused).replace(", ", " or ")
            )
        };
        return Err(Refusal::new(403, reason));
    }
    // The most specific: the one whose constants the request carries, else the first.
    let best = fits
        .iter()
        .enumerate()
        .max_by_key(|(i, (op, _))| (op.constants.len(), usize::MAX - i))
        .map_or(0, |(i, _)| i);
    let all: Vec<_> = fits.iter().map(|(op, _)| *op).collect();
    let (operation, checked) = fits.swap_remove(best);
    let wire = crate::wire::encode_checked(operation, checked, subdomain.as_deref(), &[]).map_err(
        |e| {
            Refusal::new(
                400,
                format!("`{}`: {}", policy.name_of(operation), e.message()),
            )
        },
    )?;
    let target = wire.path_and_query();
    let mut params: Map<String, Value> = route
        .iter()
        .find(|(op, _)| std::ptr::eq(*op, operation))
        .into_iter()
        .flat_map(|(_, values)| values.iter())
        .map(|(k, v)| ((*k).to_string(), Value::String(v.clone())))
        .collect();
    params.extend(wire.params.iter().map(|(k, v)| (k.clone(), v.clone())));
    // Refused from the page and added only by `to_http`: never here, whatever changes.
    params.retain(|k, _| !RESERVED_PARAMS.contains(&k.as_str()));
    let request = wire
        .to_http(config)
        .map_err(|e| Refusal::new(500, config.redact(e.message())))?;
    Ok(Forward {
        operation,
        fits: all,
        params,
        request,
        target,
    })
}

impl Forward {
    /// [`Forward::params`] as JSON text, as the hosts hand it to their hook (`JSON.parse`,
    /// `json.loads`: the WebAssembly build has no JSON parser).
    pub fn params_json(&self) -> String {
        crate::text::json_text(&Value::Object(self.params.clone()))
    }
}

/// The path's segments, percent-decoded; tricks refused.
fn path_segments(path: &str) -> Result<Vec<String>, Refusal> {
    let bad = |why: &str| Refusal::new(400, format!("malformed path: {why}"));
    let Some(rest) = path.strip_prefix('/') else {
        return Err(bad("it must start with /"));
    };
    if path.contains('\\') || path.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad(
            "it contains a backslash, a space or a control character",
        ));
    }
    let mut out = Vec::new();
    for raw in rest.split('/') {
        if raw.is_empty() {
            return Err(bad("doubled or trailing slash"));
        }
        let lower = raw.to_ascii_lowercase();
        if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
            return Err(bad("a percent-encoded slash, backslash or NUL"));
        }
        let decoded = percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| bad("a segment is not UTF-8"))?
            .into_owned();
        if decoded == "." || decoded == ".." || raw == "." || raw == ".." {
            return Err(bad("a . or .. segment"));
        }
        if decoded.contains(['/', '\\']) || decoded.chars().any(char::is_control) {
            return Err(bad("a segment holds a slash or a control character"));
        }
        out.push(decoded);
    }
    Ok(out)
}

fn shown_path(path: &str) -> String {
    let shown: String = path.chars().take(80).collect();
    quoted(&shown)
}

/// The operations whose route the path matches, with the values of their placeholders;
/// only the most specific (most literal segments) are kept.
fn routes(
    method: HttpMethod,
    segments: &[String],
) -> Vec<(&'static OperationSpec, Vec<(&'static str, String)>)> {
    let mut found = Vec::new();
    let mut best = 0;
    for op in crate::operations() {
        if op.http_method != method {
            continue;
        }
        let template: Vec<&'static str> = op.path.split('/').skip(1).collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut values = Vec::new();
        let mut literals = 0;
        let matched = template.iter().zip(segments).all(|(t, s)| {
            if let Some(name) = t.strip_prefix(':') {
                values.push((name, s.clone()));
                true
            } else {
                literals += 1;
                *t == s
            }
        });
        if !matched {
            continue;
        }
        if literals > best {
            best = literals;
            found.clear();
        }
        if literals == best {
            found.push((op, values));
        }
    }
    found
}

/// The parameters as sent: the query for GET (values as text), the JSON body otherwise;
/// bracketed keys (`created_at[from]`, `tags[]`) nested back.
fn parameters(method: HttpMethod, req: &Incoming<'_>) -> Result<Map<String, Value>, Refusal> {
    let bad = |why: String| Refusal::new(400, why);
    let mut out = Map::new();
    if method == HttpMethod::Get {
        if !req.body.iter().all(u8::is_ascii_whitespace) {
            return Err(bad("a GET request has no body".into()));
        }
        for (k, v) in form_urlencoded::parse(req.query.as_bytes()) {
            reserved(&k)?;
            nest(&mut out, &k, Value::String(v.into_owned())).map_err(|why| bad(why).param(k))?;
        }
        return Ok(out);
    }
    if !req.query.is_empty() {
        return Err(bad(format!(
            "parameters of a {} request go in its JSON body, not the query string",
            method.as_str()
        )));
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(out);
    }
    let essence = req
        .content_type
        .and_then(|ct| ct.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence != "application/json" {
        return Err(bad(format!(
            "the body must be JSON (content-type: application/json), got {}",
            if essence.is_empty() {
                "no content-type".to_string()
            } else {
                quoted(&essence.chars().take(60).collect::<String>())
            }
        )));
    }
    let parsed = match &req.parsed_body {
        Some(parsed) => parsed.clone(),
        None => parse_json(req.body),
    }
    .map_err(|e| bad(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(map) = parsed else {
        return Err(bad("the body must be a JSON object".into()));
    };
    for (k, v) in map {
        reserved(&k)?;
        nest(&mut out, &k, v).map_err(|why| bad(why).param(k))?;
    }
    Ok(out)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_json(body: &[u8]) -> std::result::Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn parse_json(_body: &[u8]) -> std::result::Result<Value, String> {
    Err("the host did not parse it".to_string())
}

/// Refuses the credentials and the method override, under any bracketed form.
fn reserved(key: &str) -> Result<(), Refusal> {
    let base = key.split('[').next().unwrap_or(key).trim();
    if RESERVED_PARAMS.iter().any(|r| r.eq_ignore_ascii_case(base)) {
        let why = if base.eq_ignore_ascii_case("_method") {
            "`_method` is refused: the method is the request's own".to_string()
        } else {
            format!("`{base}` is refused: the proxy adds the credentials, a page never sends them")
        };
        return Err(Refusal::new(400, why).param(base));
    }
    Ok(())
}

/// Puts `key` (`a`, `a[b]`, `a[]`, `a[b][c]`) into `map`; a name given twice is refused.
fn nest(map: &mut Map<String, Value>, key: &str, value: Value) -> Result<(), String> {
    let (base, mut rest) = match key.find('[') {
        Some(i) => key.split_at(i),
        None => (key, ""),
    };
    let malformed = || format!("malformed parameter name {}", quoted(key));
    if base.is_empty() {
        return Err(malformed());
    }
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(malformed)?;
        let end = inner.find(']').ok_or_else(malformed)?;
        parts.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    put(map, base, &parts, value).map_err(|twice| {
        if twice {
            format!("`{base}` is given twice")
        } else {
            malformed()
        }
    })
}

/// `Err(true)`: given twice; `Err(false)`: a shape that cannot be (`a[]` and `a[b]`).
fn put(map: &mut Map<String, Value>, name: &str, parts: &[&str], value: Value) -> Result<(), bool> {
    match parts.split_first() {
        None => {
            if map.contains_key(name) {
                return Err(true);
            }
            map.insert(name.to_string(), value);
            Ok(())
        }
        Some((&"", [])) => match map
            .entry(name.to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => {
                items.push(value);
                Ok(())
            }
            _ => Err(false),
        },
        Some((&"", _)) => Err(false),
        Some((sub, rest)) => match map
            .entry(name.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(inner) => put(inner, sub, rest, value),
            _ => Err(false),
        },
    }
}

/// Takes `subdomain` out of the parameters: the page's, the pinned one, or none.
fn take_subdomain(
    given: &mut Map<String, Value>,
    policy: &Policy,
) -> Result<Option<String>, Refusal> {
    let sent = match given.shift_remove("subdomain") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            crate::validate::subdomain(&s)
                .map_err(|e| Refusal::new(400, e.message()).param("subdomain"))?;
            Some(s)
        }
        Some(_) => {
            return Err(Refusal::new(400, "`subdomain` must be a string").param("subdomain"));
        }
    };
    match (&policy.subdomain, sent) {
        (Some(pinned), Some(s)) if *pinned != s => Err(pinned_refusal("subdomain")),
        (Some(pinned), _) => Ok(Some(pinned.clone())),
        (None, sent) => Ok(sent),
    }
}

fn pinned_refusal(name: &str) -> Refusal {
    Refusal::new(
        403,
        format!("`{name}` is set by this proxy: leave it out, or send the value it is set to"),
    )
    .param(name)
}

/// Refuses a pinned parameter sent with another value (compared as each operation of the
/// route that has it reads it; as given where none has it).
fn check_pins(
    policy: &Policy,
    route: &[(&'static OperationSpec, Vec<(&'static str, String)>)],
    given: &Map<String, Value>,
) -> Result<(), Refusal> {
    for (name, pinned) in &policy.pins {
        let from_path = route
            .iter()
            .flat_map(|(_, values)| values.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone()));
        let Some(sent) = given
            .get(name)
            .filter(|v| !v.is_null())
            .cloned()
            .or(from_path)
        else {
            continue;
        };
        let mut compared = false;
        for (op, _) in route {
            let Some(field) = op.params.field(name).filter(|f| !f.flatten) else {
                continue;
            };
            compared = true;
            let sent = coerce(&field.ty, sent.clone());
            let a = crate::params::check_field(op, name, sent);
            let b = crate::params::check_field(op, name, pinned.clone());
            match (a, b) {
                (Some(Ok(a)), Some(Ok(b))) if same_pin(&a, &b) => {}
                _ => return Err(pinned_refusal(name)),
            }
        }
        if !compared && !same_pin(&sent, pinned) {
            return Err(pinned_refusal(name));
        }
    }
    Ok(())
}

/// Equal values, a one-item list equal to its item (ids), numbers as text equal to them.
fn same_pin(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), y) | (y, Value::Array(x)) if x.len() == 1 && !y.is_array() => {
            x.first().is_some_and(|x| same_pin(x, y))
        }
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            *s == n.to_string()
        }
        _ => a == b,
    }
}

/// The parameters as operation `op` reads them, checked: path values put in, pinned values
/// added, the operation's constants required and taken out (the encoder adds them again).
fn fit(
    op: &'static OperationSpec,
    path_values: &[(&'static str, String)],
    given: &Map<String, Value>,
    policy: &Policy,
) -> crate::Result<Map<String, Value>> {
    let info = op.params;
    let mut params = Map::with_capacity(given.len() + 2);
    for (k, v) in given {
        let v = match info.field(k).filter(|f| !f.flatten) {
            Some(f) => coerce(&f.ty, v.clone()),
            None => v.clone(),
        };
        params.insert(k.clone(), v);
    }
    for (k, v) in op.constants {
        match params.shift_remove(*k) {
            Some(Value::String(s)) if s == *v => {}
            Some(Value::Bool(true)) if *v == "1" || *v == "true" => {}
            Some(Value::Number(n)) if n.to_string() == *v => {}
            _ => {
                return Err(Error::validation(
                    *k,
                    format!("{} always sends {k}={}", op.qualified_name(), quoted(v)),
                ));
            }
        }
    }
    for (name, raw) in path_values {
        // A user addressed by email has the email as its path segment, and as a parameter.
        if *name == "id" && params.get("email").and_then(Value::as_str) == Some(raw.as_str()) {
            continue;
        }
        if params.contains_key(*name) {
            return Err(Error::validation(
                *name,
                "is given in the path and as a parameter",
            ));
        }
        let value = match info.field(name).map(|f| f.ty) {
            Some(TypeRef::Ids) => {
                Value::from(raw.split(',').map(str::to_string).collect::<Vec<_>>())
            }
            _ => Value::String(raw.clone()),
        };
        params.insert((*name).to_string(), value);
    }
    for (name, value) in &policy.pins {
        let absent = params.get(name).is_none_or(Value::is_null);
        if absent && info.field(name).is_some_and(|f| !f.flatten) {
            params.insert(name.clone(), value.clone());
        }
    }
    crate::params::check(op, Value::Object(params))
}

/// A value sent as text (a query string) or in its wire form (`"1"`, `"true"` for
/// booleans) as the field's type holds it; anything else is left for the check to refuse.
fn coerce(ty: &TypeRef, v: Value) -> Value {
    match (ty, v) {
        (TypeRef::Integer { .. }, Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(s),
        },
        (TypeRef::Number, Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => serde_json::Number::from_f64(x)
                .map(Value::Number)
                .unwrap_or(Value::String(s)),
            _ => Value::String(s),
        },
        (TypeRef::Bool, Value::String(s)) => match s.as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(s),
        },
        (TypeRef::List(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|i| coerce(inner, i)).collect())
        }
        (TypeRef::Map(inner), Value::Object(m)) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, coerce(inner, v))).collect())
        }
        (TypeRef::Model(info), Value::Object(m)) => Value::Object(coerce_fields(info, m)),
        (_, v) => v,
    }
}

fn coerce_fields(info: &TypeInfo, m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter()
        .map(|(k, v)| match info.field(&k).filter(|f| !f.flatten) {
            Some(f) => {
                let v = coerce(&f.ty, v);
                (k, v)
            }
            None => (k, v),
        })
        .collect()
}

/// What the page gets of the API's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The status (the API's; 502 for a redirect).
    pub status: u16,
    /// The headers passed on: `content-type`, `x-request-id`, `retry-after`.
    pub headers: Vec<(String, String)>,
    /// The body to send instead of the API's (`None`: the API's, unchanged).
    pub body: Option<String>,
}

/// The headers of an answer passed on to the page.
pub const PASSED_HEADERS: &[&str] = &["content-type", "x-request-id", "retry-after"];

/// The API's answer as the page gets it: the status and body as they came, the secret
/// removed wherever the API echoed it, only [`PASSED_HEADERS`]; a redirect (3xx) becomes a
/// 502 (it is not followed: it would carry the credentials on).
pub fn answer(config: &Config, status: u16, headers: &[(String, String)], body: &str) -> Answer {
    let mut passed: Vec<(String, String)> = headers
        .iter()
        .filter(|(k, _)| PASSED_HEADERS.iter().any(|p| p.eq_ignore_ascii_case(k)))
        .map(|(k, v)| (k.to_ascii_lowercase(), config.redact(v)))
        .collect();
    if (300..400).contains(&status) {
        passed.retain(|(k, _)| k == "x-request-id");
        passed.push(("content-type".into(), "application/json".into()));
        return Answer {
            status: 502,
            headers: passed,
            body: Some(error_body(
                502,
                ErrorKind::Server,
                &format!("the API answered with a redirect (HTTP {status}); it was not followed"),
                None,
            )),
        };
    }
    let redacted = config.redact(body);
    Answer {
        status,
        headers: passed,
        body: (redacted != body).then_some(redacted),
    }
}

/// The page's answer when the API gave none: 504 after `timeout` (`true`), else 502, with
/// the host's `detail` (the secret removed).
pub fn failure(config: &Config, timeout: bool, detail: &str) -> Refusal {
    let (status, error) = if timeout {
        (504, Error::timeout(Some(config.timeout())))
    } else {
        (502, Error::connection(config.redact(detail)))
    };
    let mut r = Refusal::new(status, error.message());
    r.error = error;
    r
}

impl Refusal {
    /// The reason and status as one log line (no secret: nothing the page sent is in it
    /// but names, and the credentials are refused before).
    pub fn log_line(&self) -> String {
        format!("refused ({}): {}", self.status, self.reason())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClientBuilder;
    use crate::endpoint::Endpoint;
    use serde_json::json;

    const SECRET: &str = "sk_proxy_test_0123456789";

    fn config() -> Config {
        ClientBuilder::new()
            .auth("AC_proxy", SECRET)
            .base_url("http://127.0.0.1:9")
            .build_config()
            .unwrap()
    }

    fn policy(allow: &[&str]) -> Policy {
        allow
            .iter()
            .fold(Policy::builder(), |b, a| b.allow(*a))
            .build()
            .unwrap()
    }

    fn get(p: &Policy, path: &str, query: &str) -> Result<Forward, Refusal> {
        decide(
            &config(),
            p,
            &Incoming {
                method: "GET",
                path,
                query,
                ..Incoming::default()
            },
        )
    }

    fn send(p: &Policy, method: &str, path: &str, body: Value) -> Result<Forward, Refusal> {
        let body = body.to_string();
        decide(
            &config(),
            p,
            &Incoming {
                method,
                path,
                body: body.as_bytes(),
                content_type: Some("application/json"),
                ..Incoming::default()
            },
        )
    }

    /// The refusal's status, checking that its body is the SDK's error envelope.
    fn refused(r: Result<Forward, Refusal>) -> (u16, String) {
        let r = r.expect_err("refused");
        let body: Value = serde_json::from_str(&r.body()).unwrap();
        assert_eq!(body["status"], json!(r.status));
        assert_eq!(body["source"], json!("proxy"));
        assert_eq!(
            crate::decode::error_messages_of(&body),
            vec![r.reason().to_string()]
        );
        assert_eq!(r.error.kind(), ErrorKind::from_status(r.status));
        assert!(!r.body().contains(SECRET) && !format!("{r:?}").contains(SECRET));
        (r.status, r.reason().to_string())
    }

    fn op(f: &Forward) -> String {
        f.operation.qualified_name()
    }

    fn body_of(f: &Forward) -> Value {
        serde_json::from_str(f.request.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn an_allowed_operation_goes_out_with_the_credentials() {
        let p = policy(&["messages.send", "messages.get"]);
        let f = send(
            &p,
            "POST",
            "/v1/messages",
            json!({"phone": "+14155550100", "message": "hi"}),
        )
        .unwrap();
        assert_eq!(op(&f), "messages.send");
        assert_eq!(f.request.method, HttpMethod::Post);
        assert_eq!(f.request.url, "http://127.0.0.1:9/v1/messages");
        let body = f.request.body.as_deref().unwrap();
        assert!(
            body.starts_with(&format!(
                r#"{{"auth_id":"AC_proxy","auth_secret":"{SECRET}","#
            )),
            "{body}"
        );
        assert_eq!(body_of(&f)["message"], json!("hi"));
        assert_eq!(f.target, "/v1/messages");

        let f = get(&p, "/v1/messages/m-1", "").unwrap();
        assert_eq!(op(&f), "messages.get");
        assert_eq!(
            f.request.url,
            format!("http://127.0.0.1:9/v1/messages/m-1?auth_id=AC_proxy&auth_secret={SECRET}")
        );
        assert_eq!(f.target, "/v1/messages/m-1");
        assert!(!format!("{f:?}").contains(SECRET));
    }

    #[test]
    fn operations_not_allowed_are_refused() {
        let p = policy(&["messages.send"]);
        for (method, path, body) in [
            ("DELETE", "/v1/users/u-1", json!({})),
            ("DELETE", "/v1/contacts/remove_all", json!({})),
            (
                "POST",
                "/v1/users/u-1/mfa_phone",
                json!({"phone": "+14155550100"}),
            ),
            ("GET", "/v1/whoami", Value::Null),
        ] {
            let r = if method == "GET" {
                get(&p, path, "")
            } else {
                send(&p, method, path, body)
            };
            let (status, why) = refused(r);
            assert_eq!(status, 403, "{method} {path}");
            assert!(why.contains("is not allowed by this proxy"), "{why}");
        }
        let (_, why) = refused(get(&p, "/v1/contacts", ""));
        assert!(
            why.contains("`contacts.list` or `contacts.paginate` or `contacts.search`"),
            "{why}"
        );
    }

    #[test]
    fn routes_that_are_no_operation_are_404() {
        let p = policy(&["messages.send", "messages.get"]);
        for (method, path) in [
            ("GET", "/v1/nothing"),
            ("GET", "/v2/messages"),
            ("GET", "/__mock/requests"),
            ("PUT", "/v1/messages"),
            ("PATCH", "/v1/messages"),
            ("HEAD", "/v1/messages/m-1"),
            ("GET", "/V1/messages/m-1"),
            ("GET", "/v1/messages/m-1/extra"),
        ] {
            let r = decide(
                &config(),
                &p,
                &Incoming {
                    method,
                    path,
                    ..Incoming::default()
                },
            );
            assert_eq!(refused(r).0, 404, "{method} {path}");
        }
    }

    #[test]
    fn path_tricks_are_refused() {
        let p = policy(&["messages.get", "messages.send"]);
        for path in [
            "/v1/messages/..%2Fusers",
            "/v1/messages/a%2fb",
            "/v1/messages/a%5Cb",
            "/v1//messages",
            "//v1/messages/m-1",
            "/v1/messages/m-1/",
            "/v1/messages/..",
            "/v1/messages/%2e%2e",
            "/v1/messages/%2E",
            "/v1/users/u/../../messages/m-1",
            "/v1/messages/./m-1",
            "/v1/messages\\m-1",
            "/v1/messages/m%00",
            "/v1/messages/m 1",
            "v1/messages/m-1",
            "",
            "/v1/messages/%FF",
        ] {
            let (status, why) = refused(get(&p, path, ""));
            assert_eq!(status, 400, "{path}: {why}");
            assert!(why.starts_with("malformed path"), "{path}: {why}");
        }
        // An id that is no id is the operation's own validation error.
        let (status, why) = refused(get(&p, "/v1/messages/a%3Fb", ""));
        assert_eq!(status, 400, "{why}");
    }

    #[test]
    fn method_override_headers_are_refused() {
        let p = policy(&["messages.send"]);
        for h in [
            "X-HTTP-Method-Override",
            "x-http-method",
            "X-Method-Override",
            "X-Original-URL",
        ] {
            let body = json!({"phone": "+14155550100", "message": "hi"}).to_string();
            let r = decide(
                &config(),
                &p,
                &Incoming {
                    method: "POST",
                    path: "/v1/messages",
                    body: body.as_bytes(),
                    content_type: Some("application/json"),
                    header_names: &["content-type", h],
                    ..Incoming::default()
                },
            );
            assert_eq!(refused(r).0, 400, "{h}");
        }
        let (status, why) = refused(send(
            &p,
            "POST",
            "/v1/messages",
            json!({"phone": "+14155550100", "message": "hi", "_method": "DELETE"}),
        ));
        assert_eq!(status, 400);
        assert!(why.contains("_method"), "{why}");
    }

    #[test]
    fn credentials_from_the_page_are_refused() {
        let p = policy(&["messages.send", "messages.list", "contacts.upsert"]);
        for q in [
            "auth_secret=x",
            "auth_id=AC_proxy",
            "page=1&auth_secret=sk",
            "auth_secret%5B%5D=x",
            "AUTH_SECRET=x",
        ] {
            let (status, why) = refused(get(&p, "/v1/messages", q));
            assert_eq!(status, 400, "{q}");
            assert!(why.contains("credentials"), "{why}");
        }
        for body in [
            json!({"phone": "+14155550100", "message": "hi", "auth_id": "AC_other", "auth_secret": "s"}),
            json!({"phone": "+14155550100", "message": "hi", "auth_secret": SECRET}),
        ] {
            assert_eq!(refused(send(&p, "POST", "/v1/messages", body)).0, 400);
        }
        // Not even as a custom contact field.
        let body = json!({"phone": "+14155550100", "auth_secret[x]": "s"});
        assert_eq!(refused(send(&p, "POST", "/v1/contacts", body)).0, 400);
    }

    #[test]
    fn bodies_over_the_limit_are_refused() {
        let p = Policy::builder()
            .allow("messages.send")
            .allow("messages.search")
            .max_body_bytes(200)
            .build()
            .unwrap();
        let (status, _) = refused(send(
            &p,
            "POST",
            "/v1/messages",
            json!({"phone": "+14155550100", "message": "x".repeat(300)}),
        ));
        assert_eq!(status, 413);
        let q = format!("query={}", "x".repeat(300));
        assert_eq!(refused(get(&p, "/v1/messages", &q)).0, 413);
        assert_eq!(policy(&[]).max_body_bytes(), DEFAULT_MAX_BODY_BYTES);
    }

    #[test]
    fn malformed_requests_are_400() {
        let p = policy(&["messages.send", "messages.search", "messages.get"]);
        let post = |body: &str, ct: Option<&str>, query: &str| {
            decide(
                &config(),
                &p,
                &Incoming {
                    method: "POST",
                    path: "/v1/messages",
                    query,
                    body: body.as_bytes(),
                    content_type: ct,
                    ..Incoming::default()
                },
            )
        };
        let ok = r#"{"phone":"+14155550100","message":"hi"}"#;
        assert!(post(ok, Some("application/json; charset=utf-8"), "").is_ok());
        for (body, ct, query) in [
            (ok, Some("text/plain"), ""),
            (ok, None, ""),
            (
                "phone=%2B14155550100&message=hi",
                Some("application/x-www-form-urlencoded"),
                "",
            ),
            ("{", Some("application/json"), ""),
            ("[1]", Some("application/json"), ""),
            (ok, Some("application/json"), "phone=%2B1"),
            (r#"{"phone":"+14155550100"}"#, Some("application/json"), ""),
            (
                r#"{"phone":"+14155550100","message":"hi","extra":1}"#,
                Some("application/json"),
                "",
            ),
            (
                r#"{"phone":"+14155550100","message":"hi","tags[":"x"}"#,
                Some("application/json"),
                "",
            ),
        ] {
            let (status, why) = refused(post(body, ct, query));
            assert_eq!(status, 400, "{body} {ct:?} {query}: {why}");
        }
        let (_, why) = refused(post(
            r#"{"phone":"+14155550100"}"#,
            Some("application/json"),
            "",
        ));
        assert!(why.contains("`message`"), "{why}");
        let r = post(r#"{"phone":"+14155550100"}"#, Some("application/json"), "").unwrap_err();
        assert_eq!(r.param.as_deref(), Some("message"));
        // GET: no body, no name twice.
        let r = decide(
            &config(),
            &p,
            &Incoming {
                method: "GET",
                path: "/v1/messages/m-1",
                body: b"{}",
                ..Incoming::default()
            },
        );
        assert_eq!(refused(r).0, 400);
        assert_eq!(refused(get(&p, "/v1/messages", "query=a&query=b")).0, 400);
        assert_eq!(refused(get(&p, "/v1/messages", "page=x")).0, 400);
    }

    #[test]
    fn a_request_that_also_fits_a_refused_operation_is_refused() {
        // Closing is a status update too: allowing the update does not allow closing.
        let p = policy(&["tickets.update_status"]);
        let f = send(&p, "PUT", "/v1/tickets/t-1", json!({"status": "Open"})).unwrap();
        assert_eq!(op(&f), "tickets.update_status");
        let (status, why) = refused(send(
            &p,
            "PUT",
            "/v1/tickets/t-1",
            json!({"status": "Closed"}),
        ));
        assert_eq!(status, 403);
        assert!(why.contains("`tickets.close` (not allowed"), "{why}");
        let p = policy(&["tickets.update_status", "tickets.close"]);
        let f = send(&p, "PUT", "/v1/tickets/t-1", json!({"status": "Closed"})).unwrap();
        assert_eq!(op(&f), "tickets.close", "the one whose constant it carries");
        assert_eq!(f.fits.len(), 2);
        assert_eq!(body_of(&f)["status"], json!("Closed"));

        // Listing and searching share GET /v1/contacts.
        let p = policy(&["contacts.search"]);
        let (status, why) = refused(get(&p, "/v1/contacts", "query=vip"));
        assert_eq!(status, 403);
        assert!(why.contains("`contacts.paginate`"), "{why}");
        let f = get(&p, "/v1/contacts", "created_at%5Bfrom%5D=1700000000").unwrap();
        assert_eq!(op(&f), "contacts.search", "only search takes created_at");
        let p = policy(&["contacts.search", "contacts.paginate", "contacts.list"]);
        let f = get(&p, "/v1/contacts", "").unwrap();
        assert_eq!(f.fits.len(), 3);
    }

    #[test]
    fn constants_tell_operations_apart() {
        let all = policy(&[
            "tickets.assign",
            "tickets.unassign",
            "tickets.autoassign",
            "tickets.assign_by_email",
        ]);
        let f = send(
            &all,
            "PUT",
            "/v1/tickets/t-1",
            json!({"user_id": "unassign"}),
        )
        .unwrap();
        assert_eq!(op(&f), "tickets.unassign");
        assert_eq!(f.fits.len(), 1, "user_id=unassign is a command, not a user");
        assert_eq!(body_of(&f)["user_id"], json!("unassign"));
        let f = send(
            &all,
            "PUT",
            "/v1/tickets/t-1%2Ct-2",
            json!({"user_id": "u-9"}),
        )
        .unwrap();
        assert_eq!(op(&f), "tickets.assign");
        assert_eq!(f.request.url, "http://127.0.0.1:9/v1/tickets/t-1%2Ct-2");
        let f = send(
            &all,
            "PUT",
            "/v1/tickets/t-1",
            json!({"user_email": "a@example.com"}),
        )
        .unwrap();
        assert_eq!(op(&f), "tickets.assign_by_email");
        let assign_only = policy(&["tickets.assign"]);
        let (status, why) = refused(send(
            &assign_only,
            "PUT",
            "/v1/tickets/t-1",
            json!({"user_id": "unassign"}),
        ));
        assert_eq!(status, 403);
        assert!(why.contains("`tickets.unassign` is not allowed"), "{why}");
        // No parameters: no operation of the route takes that.
        assert_eq!(
            refused(send(&all, "PUT", "/v1/tickets/t-1", json!({}))).0,
            400
        );

        // Four campaign operations share POST /v1/campaigns/:id/cancel.
        let c = policy(&[
            "campaigns.remove_contact",
            "campaigns.remove_contact_recursively",
            "campaigns.remove_all_contacts",
            "campaigns.remove_contacts",
        ]);
        let path = "/v1/campaigns/spring/cancel";
        let phone = "+14155550100";
        for (body, expected) in [
            (json!({"phone": phone}), "campaigns.remove_contact"),
            (
                json!({"phone": phone, "recursive": "1"}),
                "campaigns.remove_contact_recursively",
            ),
            (json!({"all": "1"}), "campaigns.remove_all_contacts"),
            (json!({"contacts": [phone]}), "campaigns.remove_contacts"),
        ] {
            let f = send(&c, "POST", path, body.clone()).unwrap();
            assert_eq!(op(&f), expected, "{body}");
            assert_eq!(f.fits.len(), 1, "{body}");
        }
        let one = policy(&["campaigns.remove_contact"]);
        assert_eq!(
            refused(send(&one, "POST", path, json!({"all": "1"}))).0,
            403
        );
        assert_eq!(
            refused(send(
                &one,
                "POST",
                path,
                json!({"phone": phone, "recursive": "1"})
            ))
            .0,
            403
        );
        assert!(send(&one, "POST", path, json!({"phone": phone})).is_ok());

        // Sending, scheduling and live chat share POST /v1/messages.
        let s = policy(&["messages.send"]);
        let scheduled = json!({"phone": phone, "message": "later", "scheduled_for": 1_900_000_000});
        assert_eq!(refused(send(&s, "POST", "/v1/messages", scheduled)).0, 403);
        let live = json!({"phone": "avochato:c:abc-def", "message": "hello"});
        let r = send(&s, "POST", "/v1/messages", live);
        assert!(
            r.as_ref()
                .map_or(true, |f| f.fits.iter().all(|o| s.allows(o)))
        );
    }

    #[test]
    fn the_hook_sees_the_parameters_sent_without_the_credentials() {
        let p = Policy::builder()
            .allow("messages.send")
            .allow("messages.get")
            .allow("tickets.update_status")
            .pin("subdomain", "main-inbox")
            .build()
            .unwrap();
        let no_credentials = |f: &Forward| {
            let text = f.params_json();
            assert!(
                !text.contains(SECRET) && !text.contains("AC_proxy"),
                "{text}"
            );
            assert!(
                f.params.keys().all(|k| !k.contains("auth_")),
                "{:?}",
                f.params
            );
            assert_eq!(
                serde_json::from_str::<Value>(&text).unwrap(),
                json!(f.params)
            );
        };
        // A body: as sent upstream, the pinned inbox added, the credentials not.
        let sms = json!({"phone": "+14155550100", "message": "hi"});
        let f = send(&p, "POST", "/v1/messages", sms).unwrap();
        no_credentials(&f);
        assert!(body_of(&f).get("auth_secret").is_some(), "sent upstream");
        assert_eq!(
            json!(f.params),
            json!({"phone": "+14155550100", "message": "hi", "subdomain": "main-inbox"})
        );
        // A query, and the path's values.
        let f = get(&p, "/v1/messages/m-1", "").unwrap();
        no_credentials(&f);
        assert!(f.request.url.contains(SECRET), "sent upstream");
        assert_eq!(
            json!(f.params),
            json!({"id": "m-1", "subdomain": "main-inbox"})
        );
        let f = send(&p, "PUT", "/v1/tickets/t-1", json!({"status": "Open"})).unwrap();
        no_credentials(&f);
        assert_eq!(
            json!(f.params),
            json!({"ids": "t-1", "status": "Open", "subdomain": "main-inbox"})
        );
        // An operation's constants are in, as the API receives them.
        let p = policy(&["tickets.update_status", "tickets.close"]);
        let f = send(&p, "PUT", "/v1/tickets/t-1", json!({"status": "Closed"})).unwrap();
        no_credentials(&f);
        assert_eq!(json!(f.params), json!({"ids": "t-1", "status": "Closed"}));
    }

    #[test]
    fn the_hook_sees_every_operation_a_shared_route_request_fits() {
        let names = |p: &Policy, f: &Forward| -> Vec<String> {
            f.fits.iter().map(|op| p.name_of(op)).collect()
        };
        let live = json!({"phone": "avochato:c:abc-def", "message": "hello"});
        let sms = json!({"phone": "+14155550100", "message": "hello"});
        let p = policy(&["messages.send_live_chat", "messages.send"]);
        let f = send(&p, "POST", "/v1/messages", live.clone()).unwrap();
        assert_eq!(names(&p, &f), ["messages.send_live_chat", "messages.send"]);
        assert_eq!(op(&f), "messages.send_live_chat");
        assert_eq!(f.params["phone"], json!("avochato:c:abc-def"));
        let f = send(&p, "POST", "/v1/messages", sms.clone()).unwrap();
        assert_eq!(
            names(&p, &f),
            ["messages.send"],
            "a phone number is no live chat"
        );
        assert_eq!(f.params["phone"], json!("+14155550100"));
        let js = Policy::builder()
            .js_names()
            .allow("messages.sendLiveChat")
            .allow("messages.send")
            .build()
            .unwrap();
        let f = send(&js, "POST", "/v1/messages", live).unwrap();
        assert_eq!(names(&js, &f), ["messages.sendLiveChat", "messages.send"]);

        let p = policy(&["tickets.update_status", "tickets.close"]);
        let f = send(&p, "PUT", "/v1/tickets/t-1", json!({"status": "Closed"})).unwrap();
        assert_eq!(names(&p, &f), ["tickets.close", "tickets.update_status"]);
        let p = policy(&["contacts.search", "contacts.paginate", "contacts.list"]);
        let f = get(&p, "/v1/contacts", "").unwrap();
        assert_eq!(
            names(&p, &f),
            ["contacts.list", "contacts.paginate", "contacts.search"]
        );
    }

    #[test]
    fn literal_routes_come_before_placeholders() {
        let p = policy(&["messages.get"]);
        let (status, why) = refused(get(&p, "/v1/messages/scheduled", ""));
        assert_eq!(status, 403, "{why}");
        assert!(why.contains("search_scheduled"), "{why}");
        let p = policy(&[
            "messages.search_scheduled",
            "messages.search_scheduled_by_date",
            "messages.search_scheduled_uncancelled",
        ]);
        let f = get(&p, "/v1/messages/scheduled", "query=aborted%3A+false").unwrap();
        assert_eq!(op(&f), "messages.search_scheduled_uncancelled");
    }

    #[test]
    fn users_are_addressed_by_id_or_email() {
        let p = policy(&["users.get"]);
        let f = get(&p, "/v1/users/a.b%40example.com", "email=a.b%40example.com").unwrap();
        assert_eq!(op(&f), "users.get");
        assert!(
            f.request
                .url
                .starts_with("http://127.0.0.1:9/v1/users/a.b%40example.com?")
        );
        let f = get(&p, "/v1/users/u-1", "").unwrap();
        assert!(
            f.request
                .url
                .starts_with("http://127.0.0.1:9/v1/users/u-1?")
        );
        assert_eq!(refused(get(&p, "/v1/users/u-1", "id=u-2")).0, 400);
    }

    #[test]
    fn query_values_are_read_as_their_types() {
        let p = policy(&[
            "messages.search",
            "messages.list",
            "messages.search_by_timestamp",
        ]);
        let f = get(
            &p,
            "/v1/messages",
            "query=hear&direction=in&created_at%5Bfrom%5D=1.5&created_at%5Bto%5D=2.0&page=2",
        )
        .unwrap();
        assert!(f.fits.iter().any(|o| o.name == "search"));
        assert!(f.target.contains("page=2"), "{}", f.target);
        assert!(
            f.target.contains("created_at%5Bfrom%5D=1.5"),
            "{}",
            f.target
        );
        // What goes out is encoded anew: sent again through the proxy, it is the same.
        let again = get(&p, "/v1/messages", f.target.split_once('?').unwrap().1).unwrap();
        assert_eq!(again.request, f.request);
    }

    #[test]
    fn pinned_parameters_are_added_or_refused() {
        let p = Policy::builder()
            .allow("messages.send")
            .allow("messages.get")
            .allow("contacts.upsert")
            .pin("subdomain", "main-inbox")
            .pin("from", "+14155550199")
            .build()
            .unwrap();
        let msg = |extra: Value| {
            let mut b = json!({"phone": "+14155550100", "message": "hi"});
            for (k, v) in extra.as_object().unwrap() {
                b[k] = v.clone();
            }
            send(&p, "POST", "/v1/messages", b)
        };
        let f = msg(json!({})).unwrap();
        let body = body_of(&f);
        assert_eq!(body["from"], json!("+14155550199"));
        assert_eq!(body["subdomain"], json!("main-inbox"));
        assert!(msg(json!({"from": "+14155550199", "subdomain": "main-inbox"})).is_ok());
        let f = msg(json!({"from": null})).unwrap();
        assert_eq!(body_of(&f)["from"], json!("+14155550199"), "null is absent");
        for extra in [
            json!({"from": "+14155550000"}),
            json!({"subdomain": "other-inbox"}),
            json!({"from": ["+14155550199"]}),
        ] {
            let (status, why) = refused(msg(extra.clone()));
            assert_eq!(status, 403, "{extra}");
            assert!(why.contains("is set by this proxy"), "{why}");
            assert!(
                !why.contains("+14155550199") && !why.contains("main-inbox"),
                "{why}"
            );
        }
        // GET: the pinned inbox in the query.
        let f = get(&p, "/v1/messages/m-1", "").unwrap();
        assert!(
            f.request.url.ends_with("&subdomain=main-inbox"),
            "{}",
            f.request.url
        );
        assert_eq!(refused(get(&p, "/v1/messages/m-1", "subdomain=x")).0, 403);
        // A contact's custom field of that name is compared as it is sent.
        let up = |v: &str| {
            send(
                &p,
                "POST",
                "/v1/contacts",
                json!({"phone": "+14155550100", "from": v}),
            )
        };
        assert_eq!(refused(up("+1999")).0, 403);
        assert!(up("+14155550199").is_ok());
        // A pin nothing allowed takes, or a value its parameter refuses, is a mistake.
        let e = Policy::builder()
            .allow("messages.get")
            .pin("from", "+14155550199")
            .build();
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("not a parameter of any allowed")
        );
        let e = Policy::builder()
            .allow("messages.list")
            .pin("page", "x")
            .build();
        assert_eq!(e.unwrap_err().param(), Some("pin.page"));
        let e = Policy::builder()
            .allow("messages.list")
            .pin("subdomain", "a b")
            .build();
        assert!(e.is_err());
        let e = Policy::builder()
            .allow("messages.list")
            .pin("auth_secret", "x")
            .build();
        assert!(e.is_err());
    }

    #[test]
    fn policies_name_operations_as_each_host_does() {
        let p = policy(&[
            "messages.sendLiveChat",
            "messages.send_live_chat",
            "users.setMfaPhone",
        ]);
        assert!(p.allows(&crate::params::SendLiveChatMessagesParams::SPEC));
        assert!(p.allows(&crate::params::SetMfaPhoneUsersParams::SPEC));
        let e = Policy::builder()
            .allow("messages.sned")
            .build()
            .unwrap_err();
        assert!(
            e.to_string().contains("did you mean `messages.send`"),
            "{e}"
        );
        let e = Policy::builder()
            .js_names()
            .allow("users.setMfaPhon")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("`users.setMfaPhone`"), "{e}");
        assert!(Policy::builder().allow("send").build().is_err());
        let p = Policy::builder()
            .js_names()
            .allow("messages.send")
            .build()
            .unwrap();
        let (_, why) = refused(send(
            &p,
            "POST",
            "/v1/users/u-1/mfa_phone",
            json!({"phone": "+14155550100"}),
        ));
        assert!(why.contains("`users.setMfaPhone`"), "{why}");
    }

    #[test]
    fn a_proxy_without_credentials_sends_nothing() {
        let cfg = ClientBuilder::new()
            .base_url("http://127.0.0.1:9")
            .build_config()
            .unwrap();
        let r = decide(
            &cfg,
            &policy(&["messages.get"]),
            &Incoming {
                method: "GET",
                path: "/v1/messages/m-1",
                ..Incoming::default()
            },
        );
        assert_eq!(r.unwrap_err().status, 500);
    }

    #[test]
    fn answers_pass_on_without_the_secret() {
        let cfg = config();
        let headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Request-Id".to_string(), "req-1".to_string()),
            ("Set-Cookie".to_string(), "session=1".to_string()),
            ("Retry-After".to_string(), "2".to_string()),
            (
                "Location".to_string(),
                format!("https://x/?auth_secret={SECRET}"),
            ),
        ];
        let a = answer(
            &cfg,
            429,
            &headers,
            r#"{"status":429,"errors":["slow down"]}"#,
        );
        assert_eq!(a.status, 429);
        assert_eq!(a.body, None, "unchanged");
        let names: Vec<_> = a.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["content-type", "x-request-id", "retry-after"]);
        let echoed = format!(r#"{{"status":400,"errors":["bad auth_secret {SECRET}"]}}"#);
        let a = answer(&cfg, 400, &headers, &echoed);
        assert!(
            a.body
                .as_deref()
                .is_some_and(|b| !b.contains(SECRET) && b.contains(crate::REDACTED))
        );
        let a = answer(&cfg, 302, &headers, "");
        assert_eq!(a.status, 502);
        assert!(
            a.headers
                .iter()
                .all(|(k, v)| k != "location" && !v.contains(SECRET))
        );
        assert!(a.body.as_deref().is_some_and(|b| b.contains("redirect")));
        let f = failure(
            &cfg,
            false,
            &format!("connect failed for ?auth_secret={SECRET}"),
        );
        assert_eq!(f.status, 502);
        assert!(!f.body().contains(SECRET));
        assert_eq!(failure(&cfg, true, "").status, 504);
    }
}

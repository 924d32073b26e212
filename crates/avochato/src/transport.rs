//! Sending a request: credentials, timeouts, and the retry rules.
//!
//! | what happened                  | GET    | POST / PUT / DELETE |
//! |--------------------------------|--------|---------------------|
//! | 429 (the API ignored it)       | resend | resend              |
//! | could not connect (nothing sent) | resend | resend            |
//! | 5xx, timeout, broken connection | resend | never              |
//!
//! Waits: `Retry-After` (seconds or an HTTP date) when given, up to the configured cap
//! (a longer one is returned as the error); otherwise exponential backoff with full jitter.

use std::time::Duration;

use bytes::Bytes;
#[cfg(not(target_arch = "wasm32"))]
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::client::{Client, RequestEvent, RequestOptions, ResponseMeta};
use crate::config::Config;
use crate::endpoint::HttpMethod;
use crate::error::{Error, Result};
use crate::rt;
use crate::wire::WireRequest;

/// First backoff step.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Largest backoff step.
const BACKOFF_CAP: Duration = Duration::from_secs(8);

#[derive(Clone)]
pub(crate) struct Transport {
    #[cfg(not(target_arch = "wasm32"))]
    http: reqwest::Client,
    /// Sent with every request (the host's `fetch` is called directly).
    #[cfg(target_arch = "wasm32")]
    headers: Vec<(String, String)>,
}

/// TLS for `https`: ring's provider handed to this client only (a library leaves the
/// process-wide default to its host), and the platform's verifier made on the first
/// handshake, since making it reads every root certificate of the system (about 150 files
/// on Debian): a client that only talks plain `http` to a loopback server never reads them.
#[cfg(not(target_arch = "wasm32"))]
mod lazy_tls {
    use std::sync::{Arc, OnceLock};

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};
    use rustls_platform_verifier::Verifier;

    pub(super) fn client_config() -> Result<rustls::ClientConfig, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(LazyVerifier {
            provider: provider.clone(),
            inner: OnceLock::new(),
        });
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous() // not weaker: the platform verifier, made later
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tls)
    }

    /// The platform's verifier (system roots, WebPKI), made when first needed.
    #[derive(Debug)]
    struct LazyVerifier {
        provider: Arc<CryptoProvider>,
        inner: OnceLock<Result<Verifier, rustls::Error>>,
    }

    impl LazyVerifier {
        fn get(&self) -> Result<&Verifier, rustls::Error> {
            self.inner
                .get_or_init(|| Verifier::new(self.provider.clone()))
                .as_ref()
                .map_err(Clone::clone)
        }
    }

    impl ServerCertVerifier for LazyVerifier {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            self.get()?.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            )
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.get()?.verify_tls12_signature(message, cert, dss)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.get()?.verify_tls13_signature(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            // What the platform verifier answers (its WebPKI verifier's), without the roots.
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    }
}

impl Transport {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn new(config: &Config) -> Result<Transport> {
        let tls = lazy_tls::client_config()
            .map_err(|e| Error::config(format!("could not set up TLS: {e}")))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .user_agent(config.user_agent.clone())
            .default_headers(extra_headers(config)?)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::config(format!("could not set up HTTP: {}", error_text(&e))))?;
        Ok(Transport { http })
    }

    #[cfg(target_arch = "wasm32")]
    pub(crate) fn new(config: &Config) -> Result<Transport> {
        // Browsers refuse to set User-Agent, so none is sent from WebAssembly.
        let mut headers = vec![("accept".to_string(), "application/json".to_string())];
        for (k, v) in &config.headers {
            check_header(k, v)?;
            headers.push((k.clone(), v.clone()));
        }
        Ok(Transport { headers })
    }

    /// Sends `request` with credentials, resending as the rules allow.
    pub(crate) async fn send(
        &self,
        client: &Client,
        request: &WireRequest,
        options: &RequestOptions,
    ) -> Result<(Bytes, ResponseMeta)> {
        let config = &client.inner.config;
        let redact = |e: Error| match config.secret() {
            Some(s) if !s.expose().is_empty() => e.redacted(s.expose()),
            _ => e,
        };
        // The target (path and query, no credentials) is only written out for an observer
        // or a log line.
        let target = std::sync::OnceLock::new();
        let target = || target.get_or_init(|| request.path_and_query()).clone();
        let method = request.method.as_str();
        let (url, body) = self.prepare(config, request)?;
        let max_retries = match options.max_retries {
            Some(n) if n > crate::config::MAX_RETRIES_LIMIT => {
                return Err(Error::validation(
                    "max_retries",
                    format!(
                        "must be at most {}, got {n}",
                        crate::config::MAX_RETRIES_LIMIT
                    ),
                ));
            }
            Some(n) => n,
            None => config.max_retries,
        };
        let timeout = match options.timeout {
            Some(t) => crate::config::check_duration("timeout", t)?,
            None => config.timeout,
        };
        let observer = client.inner.observer.as_ref();
        let emit = |event: &dyn Fn() -> RequestEvent| {
            if let Some(o) = observer {
                o.on_event(&event());
            }
        };

        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            tracing::debug!(method, target = %target(), attempt, "avochato request");
            emit(&|| RequestEvent::Sending {
                method,
                target: target(),
                attempt,
            });
            let started = rt::now_secs();
            let outcome = self
                .attempt(request.method, &url, body.as_ref(), timeout)
                .await;
            let elapsed_ms = (rt::now_secs() - started) * 1000.0;

            let (error, wait) = match outcome {
                Ok(resp) => {
                    let request_id = resp.header("x-request-id").map(str::to_string);
                    tracing::debug!(method, target = %target(), status = resp.status, request_id = ?request_id, elapsed_ms, "avochato response");
                    emit(&|| RequestEvent::Received {
                        method,
                        target: target(),
                        status: resp.status,
                        request_id: request_id.clone(),
                        elapsed_ms,
                    });
                    if (200..300).contains(&resp.status) {
                        let meta = ResponseMeta {
                            status: resp.status,
                            headers: resp.headers,
                            request_id,
                            attempts: attempt,
                        };
                        return Ok((resp.body, meta));
                    }
                    let retry_after = resp.header("retry-after").and_then(parse_retry_after);
                    let error = redact(
                        response_error(&resp)
                            .with_request_id(request_id)
                            .with_retry_after(retry_after),
                    );
                    let resend = match resp.status {
                        429 => true,
                        500..=599 => request.method.may_resend_after_sending(),
                        _ => false,
                    };
                    if !resend || attempt > max_retries {
                        return Err(error);
                    }
                    let wait = match (resp.status, retry_after) {
                        (429, Some(w)) => w,
                        _ => backoff(attempt),
                    };
                    if wait > config.max_retry_wait {
                        return Err(error);
                    }
                    (error, wait)
                }
                Err(failure) => {
                    let error = redact(failure.error);
                    emit(&|| RequestEvent::Failed {
                        method,
                        target: target(),
                        error: error.to_string(),
                    });
                    let resend = failure.nothing_sent || request.method.may_resend_after_sending();
                    if !resend || attempt > max_retries {
                        return Err(error);
                    }
                    (error, backoff(attempt))
                }
            };
            let reason = error
                .status()
                .map_or_else(|| error.kind().to_string(), |s| format!("HTTP {s}"));
            tracing::info!(method, target = %target(), attempt, reason = %reason, wait_ms = wait.as_millis() as u64, "avochato retry");
            emit(&|| RequestEvent::Retrying {
                method,
                target: target(),
                attempt,
                reason: reason.clone(),
                wait,
            });
            rt::sleep(wait).await;
        }
    }

    /// The URL (with the query and credentials for GET) and the JSON body (with the
    /// credentials first, as the examples send them).
    fn prepare(&self, config: &Config, request: &WireRequest) -> Result<(String, Option<Bytes>)> {
        let mut url = String::with_capacity(config.base_url.len() + request.path.len() + 64);
        url.push_str(&config.base_url);
        url.push_str(&request.path);
        let auth = config
            .auth_id
            .as_deref()
            .zip(config.secret().map(|s| s.expose()));
        if request.method == HttpMethod::Get {
            let mut query = form_urlencoded::Serializer::new(String::new());
            if let Some((id, secret)) = auth {
                query
                    .append_pair("auth_id", id)
                    .append_pair("auth_secret", secret);
            }
            for (k, v) in request.query_pairs() {
                query.append_pair(&k, &v);
            }
            let query = query.finish();
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
            return Ok((url, None));
        }
        let mut bytes = Vec::with_capacity(256);
        let written = (|| {
            use serde::ser::{SerializeMap, Serializer};
            let mut ser = serde_json::Serializer::new(&mut bytes);
            let mut map = ser.serialize_map(None)?;
            if let Some((id, secret)) = auth {
                map.serialize_entry("auth_id", id)?;
                map.serialize_entry("auth_secret", secret)?;
            }
            for (k, v) in &request.params {
                if !(auth.is_some() && (k == "auth_id" || k == "auth_secret")) {
                    map.serialize_entry(k, v)?;
                }
            }
            map.end()
        })();
        written
            .map_err(|e| Error::validation("", format!("parameters could not be encoded: {e}")))?;
        Ok((url, Some(Bytes::from(bytes))))
    }

    #[cfg(target_arch = "wasm32")]
    async fn attempt(
        &self,
        method: HttpMethod,
        url: &str,
        body: Option<&Bytes>,
        timeout: Duration,
    ) -> std::result::Result<RawResponse, Failure> {
        crate::fetch::attempt(&self.headers, method, url, body, timeout).await
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn attempt(
        &self,
        method: HttpMethod,
        url: &str,
        body: Option<&Bytes>,
        timeout: Duration,
    ) -> std::result::Result<RawResponse, Failure> {
        let m = match method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Delete => reqwest::Method::DELETE,
        };
        // One timer for the whole attempt (answer and body), not reqwest's two.
        match tokio::time::timeout(timeout, self.exchange(m, url, body, timeout)).await {
            Ok(result) => result,
            Err(_) => Err(Failure {
                error: Error::timeout(Some(timeout)),
                nothing_sent: false,
            }),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn exchange(
        &self,
        m: reqwest::Method,
        url: &str,
        body: Option<&Bytes>,
        timeout: Duration,
    ) -> std::result::Result<RawResponse, Failure> {
        let mut req = self.http.request(m, url);
        if let Some(b) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.clone());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| Failure::from_reqwest(&e, timeout, true))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp
            .bytes()
            .await
            .map_err(|e| Failure::from_reqwest(&e, timeout, false))?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An attempt that ended without a response.
pub(crate) struct Failure {
    pub(crate) error: Error,
    /// True when the request certainly did not reach the server (connecting failed).
    pub(crate) nothing_sent: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl Failure {
    fn from_reqwest(e: &reqwest::Error, timeout: Duration, before_response: bool) -> Failure {
        if e.is_timeout() {
            return Failure {
                error: Error::timeout(Some(timeout)),
                nothing_sent: false,
            };
        }
        if e.is_connect() && before_response {
            return Failure {
                error: Error::connection(error_text(e)),
                nothing_sent: true,
            };
        }
        let detail = if before_response {
            error_text(e)
        } else {
            format!("the response broke off: {}", error_text(e))
        };
        Failure {
            error: Error::connection(detail),
            nothing_sent: false,
        }
    }
}

/// An error's text with its causes, without the URL (which holds the credentials).
#[cfg(not(target_arch = "wasm32"))]
fn error_text(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !parts.contains(&text) && !text.contains("http") {
            parts.push(text);
        }
        source = s.source();
    }
    let head = if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "error reading the response"
    } else if e.is_request() {
        "error sending the request"
    } else if e.is_builder() {
        "invalid request"
    } else {
        "HTTP error"
    };
    match e.url().and_then(|u| {
        u.host_str()
            .map(|h| (h.to_string(), u.port_or_known_default()))
    }) {
        Some((host, Some(port))) if parts.is_empty() => format!("{head} ({host}:{port})"),
        Some((host, Some(port))) => format!("{head} ({host}:{port}): {}", parts.join(": ")),
        _ if parts.is_empty() => head.to_string(),
        _ => format!("{head}: {}", parts.join(": ")),
    }
}

fn response_error(resp: &RawResponse) -> Error {
    if (300..400).contains(&resp.status) {
        let location = resp
            .header("location")
            .map(|l| l.split(['?', '#']).next().unwrap_or_default().to_string())
            .unwrap_or_default();
        return Error::api(
            resp.status,
            vec![format!(
                "the server answered with a redirect to {location:?}; redirects are not followed \
                 (they would send the credentials on): check base_url"
            )],
            &[],
        );
    }
    Error::api(
        resp.status,
        crate::decode::error_messages(&resp.body),
        &resp.body,
    )
}

/// A header given in the configuration: a token name, a value without line breaks.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn check_header(name: &str, value: &str) -> Result<()> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(Error::config(format!("invalid header name {name:?}")));
    }
    if value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(Error::config(format!("invalid value for header {name:?}")));
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn extra_headers(config: &Config) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    map.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    for (k, v) in &config.headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| Error::config(format!("invalid header name {k:?}")))?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| Error::config(format!("invalid value for header {k:?}")))?;
        map.append(name, value);
    }
    Ok(map)
}

/// Exponential backoff with full jitter: uniform in `[0, min(cap, base * 2^(attempt-1))]`.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE.as_secs_f64() * 2f64.powi(attempt.saturating_sub(1).min(16) as i32);
    let ceiling = exp.min(BACKOFF_CAP.as_secs_f64());
    Duration::from_secs_f64(ceiling * rt::random_unit())
}

/// `Retry-After`: seconds (integer or decimal) or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    let when = when
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some(Duration::from_secs_f64(
        (when - rt::now_secs()).clamp(0.0, 86_400.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.25"), Some(Duration::from_millis(250)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        let future =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&future).unwrap();
        assert!(
            d <= Duration::from_secs(30) && d >= Duration::from_secs(28),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn backoff_is_jittered_and_capped() {
        for attempt in 1..40 {
            let d = backoff(attempt);
            assert!(d <= BACKOFF_CAP, "{attempt}: {d:?}");
        }
        let first: Vec<Duration> = (0..200).map(|_| backoff(1)).collect();
        assert!(first.iter().all(|d| *d <= BACKOFF_BASE));
        assert!(
            first.iter().any(|d| *d < BACKOFF_BASE / 2)
                && first.iter().any(|d| *d > BACKOFF_BASE / 2)
        );
    }
}

//! Sending a request natively (reqwest): credentials, timeouts, and the retry rules of
//! [`crate::retry`]. (In JavaScript the package's own `fetch` loop follows the same rules,
//! asking the core through the wasm layer.)

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::Config;
use crate::endpoint::HttpMethod;
use crate::error::{Error, Result};
use crate::request::{Observer, RequestEvent, RequestOptions, ResponseMeta};
use crate::retry::{self, Attempt, Next};
use crate::rt;
use crate::wire::WireRequest;

#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
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

    /// Sends `request` with credentials, resending as the rules allow.
    pub(crate) async fn send(
        &self,
        config: &Config,
        observer: Option<&dyn Observer>,
        request: &WireRequest,
        options: &RequestOptions,
    ) -> Result<(Bytes, ResponseMeta)> {
        let redact = |e: Error| match config.secret() {
            Some(s) if !s.expose().is_empty() => e.redacted(s.expose()),
            _ => e,
        };
        // The target (path and query, no credentials) is only written out for an observer
        // or a log line.
        let target = std::sync::OnceLock::new();
        let target = || target.get_or_init(|| request.path_and_query()).clone();
        let method = request.method.as_str();
        let http = request.to_http(config)?;
        let (url, body) = (http.url, http.body.map(Bytes::from));
        let (timeout, max_retries) = config.attempts_for(options)?;
        let headers = call_headers(&options.headers)?;
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
                .attempt(request.method, &url, body.as_ref(), &headers, timeout)
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
                    let error = config.answer_error(resp.status, &resp.headers, &resp.body, None);
                    let how = Attempt::Answered {
                        status: resp.status,
                        retry_after: resp.header("retry-after"),
                    };
                    match retry::next(
                        request.method,
                        attempt,
                        how,
                        max_retries,
                        config.max_retry_wait,
                    ) {
                        Next::Resend(wait) => (error, wait),
                        Next::Stop => return Err(error),
                    }
                }
                Err(failure) => {
                    let error = redact(failure.error);
                    emit(&|| RequestEvent::Failed {
                        method,
                        target: target(),
                        error: error.to_string(),
                    });
                    let how = Attempt::Failed {
                        nothing_sent: failure.nothing_sent,
                    };
                    match retry::next(
                        request.method,
                        attempt,
                        how,
                        max_retries,
                        config.max_retry_wait,
                    ) {
                        Next::Resend(wait) => (error, wait),
                        Next::Stop => return Err(error),
                    }
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

    async fn attempt(
        &self,
        method: HttpMethod,
        url: &str,
        body: Option<&Bytes>,
        headers: &HeaderMap,
        timeout: Duration,
    ) -> std::result::Result<RawResponse, Failure> {
        let m = match method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Delete => reqwest::Method::DELETE,
        };
        // One timer for the whole attempt (answer and body), not reqwest's two.
        match tokio::time::timeout(timeout, self.exchange(m, url, body, headers, timeout)).await {
            Ok(result) => result,
            Err(_) => Err(Failure {
                error: Error::timeout(Some(timeout)),
                nothing_sent: false,
            }),
        }
    }

    async fn exchange(
        &self,
        m: reqwest::Method,
        url: &str,
        body: Option<&Bytes>,
        headers: &HeaderMap,
        timeout: Duration,
    ) -> std::result::Result<RawResponse, Failure> {
        let mut req = self.http.request(m, url);
        if !headers.is_empty() {
            req = req.headers(headers.clone());
        }
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

/// One call's own headers ([`RequestOptions::headers`]), checked like the client's.
fn call_headers(headers: &[(String, String)]) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        crate::config::check_header(k, v)?;
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| Error::validation("headers", format!("invalid header name {k:?}")))?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| Error::validation("headers", format!("invalid value for header {k:?}")))?;
        map.append(name, value);
    }
    Ok(map)
}

fn extra_headers(config: &Config) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    map.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    // The SDK's identity, also where a runtime keeps the User-Agent for itself (browsers):
    // the same header from every host.
    if let Ok(v) = HeaderValue::from_str(&config.user_agent) {
        map.insert(HeaderName::from_static("x-avochato-client-user-agent"), v);
    }
    for (k, v) in &config.headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| Error::config(format!("invalid header name {k:?}")))?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| Error::config(format!("invalid value for header {k:?}")))?;
        map.append(name, value);
    }
    Ok(map)
}

//! The JVM host (Kotlin, Java): the core through uniffi.
//!
//! A mechanical wrapper, like the Python one: the resource classes are expanded from the
//! core's operation list ([`avochato::for_each_operation!`]); each method takes the
//! operation's parameter type (the core's own record, annotated in place), runs it through
//! the core's pipeline (the one generic check, encoding, resend rules, decoding) on a tokio
//! runtime, and returns the core's model. Every operation exists twice: a `suspend fun`
//! (`send`) and a blocking method for Java (`sendBlocking`). No API logic lives here.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// The exception crosses the boundary by value (uniffi lowers `Result<T, AvochatoError>`), so
// it is not boxed; errors are the slow path anyway.
#![allow(clippy::result_large_err)]

mod error;
mod pages;
mod runtime;

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use avochato::models::*;
use avochato::params::*;
use avochato::{ClientBuilder, Config, Endpoint, Pager, Paginated, RequestOptions};

pub use error::AvochatoError;
pub use pages::*;
use runtime::{Task, guard};

uniffi::setup_scaffolding!("avochato_jvm");

/// Options for one call, overriding the client's.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct CallOptions {
    /// Scope this call to another inbox.
    #[uniffi(default)]
    pub subdomain: Option<String>,
    /// Total time allowed per attempt.
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// How many times this call may be resent (0 to 100).
    #[uniffi(default)]
    pub max_retries: Option<i32>,
}

fn request_options(options: Option<CallOptions>) -> avochato::Result<RequestOptions> {
    let mut o = RequestOptions::new();
    let Some(c) = options else {
        return Ok(o);
    };
    if let Some(s) = c.subdomain {
        avochato::validate::subdomain(&s)?;
        o = o.subdomain(s);
    }
    if let Some(t) = c.timeout {
        o = o.timeout(avochato::config::check_duration("timeout", t)?);
    }
    if let Some(n) = c.max_retries {
        o = o.max_retries(avochato::config::retries_from_number(
            "max_retries",
            f64::from(n),
        )?);
    }
    Ok(o)
}

/// The client's settings, checked when made. Unset options default from the
/// `AVOCHATO_AUTH_ID`, `AVOCHATO_AUTH_SECRET`, `AVOCHATO_BASE_URL` and
/// `AVOCHATO_SUBDOMAIN` environment variables. `toString()` never shows the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct ClientOptions {
    config: Config,
}

#[uniffi::export]
impl ClientOptions {
    /// Checks the options (a bad one is a `ValidationException`).
    #[uniffi::constructor(default(
        auth_id = None,
        auth_secret = None,
        base_url = None,
        subdomain = None,
        timeout = None,
        max_retries = None,
        max_retry_wait = None,
        headers = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        auth_id: Option<String>,
        auth_secret: Option<String>,
        base_url: Option<String>,
        subdomain: Option<String>,
        timeout: Option<Duration>,
        max_retries: Option<i32>,
        max_retry_wait: Option<Duration>,
        headers: Option<HashMap<String, String>>,
    ) -> Result<Arc<Self>, AvochatoError> {
        guard(|| {
            let mut b = ClientBuilder::from_env()
                .user_agent_prefix(concat!("avochato-kotlin/", env!("CARGO_PKG_VERSION")));
            b = b.connection(avochato::config::ConnectionOptions {
                auth_id,
                auth_secret,
                base_url,
                subdomain,
            });
            if let Some(v) = timeout {
                b = b.timeout(v);
            }
            if let Some(n) = max_retries {
                b = b.max_retries(avochato::config::retries_from_number(
                    "max_retries",
                    f64::from(n),
                )?);
            }
            if let Some(v) = max_retry_wait {
                b = b.max_retry_wait(v);
            }
            let mut headers: Vec<(String, String)> =
                headers.unwrap_or_default().into_iter().collect();
            headers.sort();
            for (k, v) in headers {
                b = b.header(k, v);
            }
            Ok(Arc::new(ClientOptions {
                config: b.build_config()?,
            }))
        })
    }
}

/// `Name(authId="...", authSecret=[REDACTED], baseUrl="...", subdomain=...)`.
fn describe(f: &mut fmt::Formatter<'_>, class: &str, config: &Config) -> fmt::Result {
    let quote = |v: Option<&str>| match v {
        Some(s) => format!("{s:?}"),
        None => "null".to_string(),
    };
    let secret = if config.is_proxy_mode() {
        "null"
    } else {
        avochato::REDACTED
    };
    write!(
        f,
        "{class}(authId={}, authSecret={secret}, baseUrl={}, subdomain={})",
        quote(config.auth_id()),
        quote(Some(config.base_url())),
        quote(config.subdomain()),
    )
}

impl fmt::Display for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(f, "ClientOptions", &self.config)
    }
}

/// What every resource of one client shares.
struct Core {
    client: avochato::Client,
}

impl Core {
    /// One call as a task of the shared type: the runtime's spawning and waiting code
    /// exists once in the library, not once per operation.
    fn task<P, O>(&self, params: P, options: Option<CallOptions>) -> Result<Task, AvochatoError>
    where
        P: Endpoint,
        O: From<P::Output> + Send + 'static,
    {
        let options = request_options(options)?;
        let client = self.client.clone();
        Ok(Box::pin(async move {
            let data = client.execute(&params, &options).await?.data;
            Ok(Box::new(O::from(data)) as Box<dyn Any + Send>)
        }))
    }

    async fn call<P, O>(&self, params: P, options: Option<CallOptions>) -> Result<O, AvochatoError>
    where
        P: Endpoint,
        O: From<P::Output> + Send + 'static,
    {
        let task = guard(|| self.task::<P, O>(params, options))?;
        runtime::downcast(runtime::run(task).await?)
    }

    fn call_blocking<P, O>(
        &self,
        params: P,
        options: Option<CallOptions>,
    ) -> Result<O, AvochatoError>
    where
        P: Endpoint,
        O: From<P::Output> + Send + 'static,
    {
        guard(|| runtime::downcast(runtime::block(self.task::<P, O>(params, options)?)?))
    }

    fn pager<P: Paginated>(
        &self,
        params: P,
        options: Option<CallOptions>,
    ) -> Result<Arc<tokio::sync::Mutex<Pager<P>>>, AvochatoError> {
        guard(|| {
            let options = request_options(options)?;
            Ok(Arc::new(tokio::sync::Mutex::new(
                self.client.paginate_with(params, options),
            )))
        })
    }
}

/// The next page of a pager, as a task.
fn next_page<P, O>(pager: &Arc<tokio::sync::Mutex<Pager<P>>>) -> Task
where
    P: Paginated,
    O: From<avochato::Page<P::Item>> + Send + 'static,
{
    let pager = pager.clone();
    Box::pin(async move {
        let page = pager.lock().await.next_page().await?;
        Ok(Box::new(page.map(O::from)) as Box<dyn Any + Send>)
    })
}

/// The Avochato client. Resources are properties in Kotlin (`client.messages`) and methods
/// in Java (`client.messages()`); every operation is a `suspend fun` and a blocking
/// `...Blocking` method. Close it (`use { }`) to free it early. `toString()` never shows
/// the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct Avochato {
    core: Arc<Core>,
    config: Config,
}

impl Avochato {
    fn from_config(config: Config) -> Result<Arc<Avochato>, AvochatoError> {
        let client = avochato::Client::from_config(config.clone())?;
        Ok(Arc::new(Avochato {
            core: Arc::new(Core { client }),
            config,
        }))
    }
}

impl fmt::Display for Avochato {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(f, "Avochato", &self.config)
    }
}

#[uniffi::export]
impl Avochato {
    /// A client with these options.
    #[uniffi::constructor]
    pub fn new(options: Arc<ClientOptions>) -> Result<Arc<Self>, AvochatoError> {
        guard(|| Avochato::from_config(options.config.clone()))
    }

    /// A client configured from the `AVOCHATO_*` environment variables.
    #[uniffi::constructor]
    pub fn from_env() -> Result<Arc<Self>, AvochatoError> {
        guard(|| Avochato::from_config(ClientBuilder::from_env().build_config()?))
    }

    /// A client scoped to inbox `subdomain`, with the same settings and connections.
    pub fn with_subdomain(&self, subdomain: String) -> Result<Arc<Avochato>, AvochatoError> {
        guard(|| {
            let client = self.core.client.with_subdomain(subdomain)?;
            let config = client.config().clone();
            Ok(Arc::new(Avochato {
                core: Arc::new(Core { client }),
                config,
            }))
        })
    }

    /// Confirms the credential (`GET /v1/whoami`): its inbox and user.
    pub async fn verify(&self) -> Result<Whoami, AvochatoError> {
        self.core
            .call::<WhoamiAccountsParams, Whoami>(WhoamiAccountsParams::new(), None)
            .await
    }

    /// [`Avochato::verify`], blocking.
    pub fn verify_blocking(&self) -> Result<Whoami, AvochatoError> {
        self.core
            .call_blocking::<WhoamiAccountsParams, Whoami>(WhoamiAccountsParams::new(), None)
    }
}

/// What an operation returns across the boundary (pages by item type).
macro_rules! ffi_output {
    (one $T:ident) => { $T };
    (list $T:ident) => { Vec<$T> };
    (page $T:ident) => { pastey::paste! { [<$T Page>] } };
}

macro_rules! jvm_resources {
    ($(
        $res:ident $Res:ident $(iter($IP:ident -> $IT:ident))? {
            $(
                $name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> {
                    $M:ident $path:literal [$($key:literal),*]
                    $(pages($style:ident))?
                    $(const($($ck:ident = $cv:literal),*))?
                    $title:literal
                }
            )*
        }
    )*) => { pastey::paste! {
        $(
            #[doc = "The `" $res "` operations: `client." $res "` in Kotlin, `client." $res "()` in Java."]
            #[derive(uniffi::Object)]
            pub struct $Res {
                core: Arc<Core>,
            }

            #[uniffi::export]
            impl $Res {
                $(
                    #[doc = $title ": `" $M " " $path "`."]
                    #[uniffi::method(default(options = None))]
                    pub async fn $name(
                        &self,
                        params: $P,
                        options: Option<CallOptions>,
                    ) -> Result<ffi_output!($shape $T), AvochatoError> {
                        self.core.call::<$P, _>(params, options).await
                    }

                    #[doc = $title ": `" $M " " $path "`, blocking (for Java)."]
                    #[uniffi::method(default(options = None))]
                    pub fn [<$name _blocking>](
                        &self,
                        params: $P,
                        options: Option<CallOptions>,
                    ) -> Result<ffi_output!($shape $T), AvochatoError> {
                        self.core.call_blocking::<$P, _>(params, options)
                    }
                )*
                $(
                    /// Walks every page, one request per `nextPage()` (Kotlin: `iter(...)`
                    /// is the flow of every item).
                    #[uniffi::method(default(options = None))]
                    pub fn pager(
                        &self,
                        params: $IP,
                        options: Option<CallOptions>,
                    ) -> Result<Arc<[<$Res Pager>]>, AvochatoError> {
                        Ok(Arc::new([<$Res Pager>] { pager: self.core.pager(params, options)? }))
                    }
                )?
            }

            $(
                #[doc = "The pages of `" $res ".iter`: `nextPage()` until it returns null."]
                #[derive(uniffi::Object)]
                pub struct [<$Res Pager>] {
                    pager: Arc<tokio::sync::Mutex<Pager<$IP>>>,
                }

                #[uniffi::export]
                impl [<$Res Pager>] {
                    /// The next page, or null after the last one. After an error the same
                    /// page can be asked for again.
                    pub async fn next_page(&self) -> Result<Option<[<$IT Page>]>, AvochatoError> {
                        let task = next_page::<$IP, [<$IT Page>]>(&self.pager);
                        runtime::downcast(runtime::run(task).await?)
                    }

                    /// `nextPage()`, blocking (for Java).
                    pub fn next_page_blocking(&self) -> Result<Option<[<$IT Page>]>, AvochatoError> {
                        guard(|| runtime::downcast(runtime::block(next_page::<$IP, [<$IT Page>]>(&self.pager))?))
                    }
                }
            )?
        )*

        #[uniffi::export]
        impl Avochato {
            $(
                #[doc = "The `" $res "` operations."]
                pub fn $res(&self) -> Arc<$Res> {
                    Arc::new($Res { core: self.core.clone() })
                }
            )*
        }
    } };
}

avochato::for_each_operation!(jvm_resources);

/// One entry of the operation list.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Operation {
    /// The resource (`messages`): a property of the client.
    pub resource: String,
    /// The method in Kotlin and Java (`sendLiveChat`; `sendLiveChatBlocking` blocks).
    pub method: String,
    /// The method in Rust and Python (`send_live_chat`).
    pub name: String,
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub http_method: String,
    /// The route (`/v1/tickets/:ids`).
    pub path: String,
    /// The title in the API reference.
    pub title: String,
    /// Whether it returns pages.
    pub paginated: bool,
}

/// Every operation, in the core's order (`Avochato.operations()` in Kotlin).
#[uniffi::export]
pub fn operations() -> Vec<Operation> {
    avochato::operations()
        .iter()
        .map(|op| Operation {
            resource: op.resource.to_string(),
            method: op.js_name.to_string(),
            name: op.name.to_string(),
            http_method: op.http_method.as_str().to_string(),
            path: op.path.to_string(),
            title: op.title.to_string(),
            paginated: op.pages.is_some(),
        })
        .collect()
}

/// A phone number in E.164 (`(415) 555-1234` → `+14155551234`).
#[uniffi::export(default(default_country = "US"))]
pub fn normalize_phone(phone: String, default_country: String) -> Result<String, AvochatoError> {
    guard(|| Ok(avochato::normalize_phone(&phone, &default_country)?))
}

/// Panics inside the SDK's boundary, for the tests that prove a panic reaches the JVM as
/// `AvochatoException.InternalException`, never as a crash. `place`: `call` (on the
/// caller's thread) or `blocking` (on the runtime).
#[uniffi::export]
#[allow(clippy::panic)]
pub fn panic_for_tests(place: String) -> Result<(), AvochatoError> {
    match place.as_str() {
        "blocking" => guard(|| {
            runtime::downcast(runtime::block(Box::pin(async {
                panic!("a test panic on the runtime")
            }))?)
        }),
        _ => guard(|| panic!("a test panic in a call")),
    }
}

/// [`panic_for_tests`] in a `suspend fun`: the task panics on the runtime.
#[uniffi::export]
#[allow(clippy::panic)]
pub async fn panic_for_tests_async() -> Result<(), AvochatoError> {
    runtime::downcast(
        runtime::run(Box::pin(async { panic!("a test panic in a coroutine") })).await?,
    )
}

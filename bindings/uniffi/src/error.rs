//! The one exception hierarchy: `AvochatoException` with a subclass per core error kind.
//!
//! uniffi turns this enum into a sealed Kotlin class whose variants are its subclasses,
//! `Error` becoming `Exception`: `AvochatoException.AuthenticationException`, ... The
//! variants are the core's kinds under their class names (`ErrorKind::class_name`), in the
//! order of `ErrorKind::ALL`; the conversion from the core's error is an exhaustive match,
//! so a kind added to the core does not compile here until it has its class.

use std::fmt;
use std::time::Duration;

use avochato::{Error, ErrorKind};

macro_rules! error_kinds {
    ($($kind:ident => $Variant:ident,)*) => {
        /// An error from the Avochato SDK, one subclass per kind (see `ErrorKind` in the Rust
        /// core for what each means). Its texts never contain the secret.
        ///
        /// Every subclass carries the same fields: `detail` (what happened), `status` (the
        /// HTTP status, where an answer arrived), `requestId`, `errors` (the API's
        /// messages), `retryAfter` (429), `param` (validation: the parameter at fault) and
        /// `body` (the start of an unexpected answer). `toString()` reads like the other
        /// hosts' messages.
        #[derive(Debug, Clone, PartialEq, uniffi::Error)]
        #[uniffi::export(Display)]
        #[allow(clippy::enum_variant_names)]
        pub enum AvochatoError {
            $(
                $Variant {
                    /// What happened (the core's message, with the request id if any).
                    detail: String,
                    /// The HTTP status, where an answer arrived.
                    status: Option<i32>,
                    /// The `X-Request-Id` of the answer, for support.
                    request_id: Option<String>,
                    /// The API's messages (its `errors` field), or the validation message.
                    errors: Vec<String>,
                    /// For rate limiting: how long the API asked to wait.
                    retry_after: Option<Duration>,
                    /// For validation errors: the parameter at fault.
                    param: Option<String>,
                    /// The start of the answer (at most 200 characters), when it was not the
                    /// documented shape.
                    body: Option<String>,
                },
            )*
        }

        impl AvochatoError {
            /// The core's kind of this error.
            pub fn kind(&self) -> ErrorKind {
                match self {
                    $(AvochatoError::$Variant { .. } => ErrorKind::$kind,)*
                }
            }

            /// The text `toString()` shows.
            fn detail(&self) -> &str {
                match self {
                    $(AvochatoError::$Variant { detail, .. } => detail,)*
                }
            }

            /// The variant names, in declaration order (for the tests).
            #[cfg(test)]
            const NAMES: &[&str] = &[$(stringify!($Variant)),*];
        }

        impl From<Error> for AvochatoError {
            fn from(e: Error) -> Self {
                let detail = e.to_string();
                let status = e.status().map(i32::from);
                let request_id = e.request_id().map(str::to_string);
                let errors = e.errors().to_vec();
                let retry_after = e.retry_after();
                let param = e.param().map(str::to_string);
                let body = e.body_excerpt().map(str::to_string);
                match e.kind() {
                    $(ErrorKind::$kind => AvochatoError::$Variant {
                        detail, status, request_id, errors, retry_after, param, body,
                    },)*
                }
            }
        }
    };
}

error_kinds! {
    Authentication => AuthenticationError,
    PermissionDenied => PermissionDeniedError,
    NotFound => NotFoundError,
    InvalidRequest => InvalidRequestError,
    RateLimited => RateLimitError,
    Server => ServerError,
    Timeout => TimeoutError,
    Connection => ConnectionError,
    Decode => DecodeError,
    Validation => ValidationError,
    Internal => InternalError,
}

impl AvochatoError {
    /// A bug in the SDK caught at the boundary (a panic), as the internal-error exception.
    pub fn internal(detail: impl Into<String>) -> Self {
        Error::internal(detail).into()
    }
}

impl fmt::Display for AvochatoError {
    /// `AuthenticationException: authentication failed (HTTP 401): ... [request id: ...]`,
    /// the class as Kotlin names it and the core's message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = self.kind().class_name();
        let class = class.strip_suffix("Error").unwrap_or(class);
        write!(f, "{class}Exception: {}", self.detail())
    }
}

impl std::error::Error for AvochatoError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_class_per_core_kind_in_the_core_order_and_names() {
        let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.class_name()).collect();
        assert_eq!(AvochatoError::NAMES, names.as_slice());
        for kind in ErrorKind::ALL {
            let e = AvochatoError::from(Error::api(
                match kind {
                    ErrorKind::Authentication => 401,
                    ErrorKind::PermissionDenied => 403,
                    ErrorKind::NotFound => 404,
                    ErrorKind::RateLimited => 429,
                    ErrorKind::Server => 500,
                    _ => 400,
                },
                vec!["x".into()],
                b"{}",
            ));
            if matches!(
                kind,
                ErrorKind::Authentication
                    | ErrorKind::PermissionDenied
                    | ErrorKind::NotFound
                    | ErrorKind::InvalidRequest
                    | ErrorKind::RateLimited
                    | ErrorKind::Server
            ) {
                assert_eq!(e.kind(), kind);
            }
        }
        assert_eq!(AvochatoError::internal("boom").kind(), ErrorKind::Internal);
    }

    #[test]
    fn display_names_the_kotlin_class() {
        let e = AvochatoError::from(Error::validation("message", "must not be blank"));
        assert_eq!(
            e.to_string(),
            "ValidationException: `message`: must not be blank"
        );
        assert!(
            matches!(e, AvochatoError::ValidationError { ref param, .. } if param.as_deref() == Some("message"))
        );
    }
}

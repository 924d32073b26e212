/** What went wrong, in the names every host shares. */
export type ErrorKind =
  | "authentication" | "permission_denied" | "not_found" | "invalid_request" | "rate_limited"
  | "server" | "timeout" | "connection" | "decode" | "validation";

/** Base class: `status`, `requestId`, the API's `errors`, and the `kind`. */
export class AvochatoError extends Error {
  readonly kind: ErrorKind;
  /** HTTP status, when a response arrived. */
  readonly status: number | null;
  /** The `X-Request-Id` header, when a response arrived. */
  readonly requestId: string | null;
  /** The API's messages (its `errors` field), or the validation message. */
  readonly errors: string[];
  /** For validation errors: the parameter at fault. */
  readonly param: string | null;
  /** The start of an unexpected response body. */
  readonly body: string | null;
}
/** 401: missing or wrong credentials. */
export class AuthenticationError extends AvochatoError {}
/** 403: not allowed (also an inbox the credential cannot use). */
export class PermissionDeniedError extends AvochatoError {}
/** 404. */
export class NotFoundError extends AvochatoError {}
/** Any other 4xx. */
export class InvalidRequestError extends AvochatoError {}
/** 429: the API ignored the request. */
export class RateLimitError extends AvochatoError {
  /** Seconds the API asked to wait, if it said. */
  readonly retryAfter: number | null;
}
/** 5xx, or an HTML error page. */
export class ServerError extends AvochatoError {}
/** No complete answer within the timeout. */
export class TimeoutError extends AvochatoError {}
/** No connection, or it broke. */
export class ConnectionError extends AvochatoError {}
/** An answer that is not the documented shape. */
export class DecodeError extends AvochatoError {}
/** Refused before anything was sent: bad parameters or configuration. */
export class ValidationError extends AvochatoError {}

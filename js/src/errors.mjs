// The error classes of the package. Every error the client throws is an instance of one of
// them (the wasm layer builds them through makeError). Messages never contain the secret.

/** Base class: `status`, `requestId`, the API's `errors`, and the `kind`. */
export class AvochatoError extends Error {
  constructor(info = {}) {
    super(info.message ?? 'Avochato error');
    this.name = new.target.name;
    /** `authentication`, `permission_denied`, `not_found`, ... */
    this.kind = info.kind ?? 'unknown';
    /** HTTP status, when a response arrived. */
    this.status = info.status ?? null;
    /** The `X-Request-Id` header, when a response arrived. */
    this.requestId = info.requestId ?? null;
    /** The API's messages (its `errors` field), or the validation message. */
    this.errors = info.errors ?? [];
    /** For validation errors: the parameter at fault. */
    this.param = info.param ?? null;
    /** The start of an unexpected response body. */
    this.body = info.body ?? null;
  }
}

/** 401: missing or wrong credentials. */
export class AuthenticationError extends AvochatoError {}
/** 403: not allowed (also an inbox the credential cannot use). */
export class PermissionDeniedError extends AvochatoError {}
/** 404. */
export class NotFoundError extends AvochatoError {}
/** Any other 4xx. */
export class InvalidRequestError extends AvochatoError {}
/** 429: the API ignored the request; `retryAfter` is in seconds. */
export class RateLimitError extends AvochatoError {
  constructor(info = {}) {
    super(info);
    this.retryAfter = info.retryAfter ?? null;
  }
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

const BY_KIND = {
  authentication: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  invalid_request: InvalidRequestError,
  rate_limited: RateLimitError,
  server: ServerError,
  timeout: TimeoutError,
  connection: ConnectionError,
  decode: DecodeError,
  validation: ValidationError,
};

/** Builds the error for a kind (used by the wasm layer). */
export function makeError(info) {
  const Class = BY_KIND[info.kind] ?? AvochatoError;
  return new Class(info);
}

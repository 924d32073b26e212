// The npm package's client: the host's half of every call. The core (WebAssembly, through
// wasm-bindgen) checks and encodes parameters, decides about resending and words errors;
// this file does the I/O with the runtime's `fetch`, parses each answer once with
// `JSON.parse` and decodes it with the tables generated from the core (normalize.mjs).
import * as core from '../build/pkg/avochato_wasm.js';
import { AvochatoError, InternalError, ValidationError } from './generated/errors.mjs';
import { makeError } from './generated/make-error.mjs';
import { ITER, OPERATIONS } from './generated/schema.mjs';
import { Mismatch, decode } from './normalize.mjs';
import { TIMED_OUT, fetchTransport } from './transport.mjs';

const VERSION = '0.1.0';

/** The call was cancelled through its `signal` (`name` is `AbortError`, as `fetch`'s). */
export class AbortError extends AvochatoError {}
AbortError.NAME = 'AbortError';

// --- The WebAssembly instance -------------------------------------------------------------

const wasm = {
  /** The host: set by the entry (`node`, `browser`, `workerd`, `deno`, `bun`). */
  platform: { runtime: 'unknown', version: '', browser: false, env: () => undefined },
  ready: false,
  failed: null,
  /** A promise while the module is being instantiated asynchronously (browsers). */
  pending: null,
  /** Bumped each time a fresh instance replaces one stopped by a panic. */
  generation: 0,
};

/** Called by the entry once the module is instantiated. */
export function ready(platform) {
  wasm.platform = platform;
  core.__setErrorFactory(makeError);
  wasm.ready = true;
  wasm.pending = null;
}

/** Called by a browser entry while the module is being instantiated. */
export function loading(platform, promise) {
  wasm.platform = platform;
  wasm.pending = promise.then(
    () => ready(platform),
    (e) => {
      wasm.failed = e;
      wasm.pending = null;
    },
  );
}

function internal(message, cause) {
  return new InternalError({ kind: 'internal', message: `internal error in the avochato SDK (please report it): ${message}`, cause });
}

/**
 * Runs a synchronous call into the core. A trap (a panic: a bug) ends the instance: it
 * becomes an `InternalError`, and a fresh instance takes over for the next call.
 */
function guard(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || (e instanceof Error && /stale object|unreachable/i.test(e.message))) {
      try {
        core.__wbg_reset_state();
        core.__setErrorFactory(makeError);
        wasm.generation++;
      } catch (again) {
        wasm.failed = again;
      }
      throw internal(e.message, e);
    }
    throw e;
  }
}

async function instantiated() {
  if (!wasm.ready && wasm.pending) await wasm.pending;
  if (wasm.failed) throw internal(`the WebAssembly module could not start: ${wasm.failed}`, wasm.failed);
  if (!wasm.ready) throw internal('the WebAssembly module is not loaded');
}

/** For the test that proves a panic becomes an `InternalError` and the next call works. */
export function __panicForTests() {
  guard(() => core.__panicForTests());
}

/** A phone number in E.164 (`(415) 555-1234` → `+14155551234`); throws a `ValidationError`. */
export function normalizePhone(phone, defaultCountry) {
  if (!wasm.ready) throw internal('the WebAssembly module is still loading: await a call first, or use the Node entry');
  return guard(() => core.normalizePhone(String(phone), defaultCountry === undefined ? undefined : String(defaultCountry)));
}

// --- Options --------------------------------------------------------------------------------

const HOST_OPTIONS = ['fetch', 'dangerouslyAllowBrowser', 'logLevel', 'logger'];
const ENV = { authId: 'AVOCHATO_AUTH_ID', authSecret: 'AVOCHATO_AUTH_SECRET', baseUrl: 'AVOCHATO_BASE_URL', subdomain: 'AVOCHATO_SUBDOMAIN' };

function validation(param, message) {
  return new ValidationError({ kind: 'validation', message: param ? `\`${param}\`: ${message}` : message, param: param || null, errors: [message] });
}

/** The options split into the core's (with the environment's defaults) and the host's own. */
function readOptions(options) {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw validation('', 'options must be an object');
  }
  const given = options ?? {};
  const coreOptions = {};
  const host = {};
  for (const [k, v] of Object.entries(given)) {
    if (HOST_OPTIONS.includes(k)) host[k] = v;
    else coreOptions[k] = v;
  }
  const { platform } = wasm;
  if (!platform.browser) {
    for (const [k, name] of Object.entries(ENV)) {
      if (coreOptions[k] === undefined || coreOptions[k] === null) {
        const v = platform.env(name);
        if (typeof v === 'string' && v.trim() !== '') coreOptions[k] = v;
      }
    }
    if (host.logLevel === undefined) {
      const level = platform.env('AVOCHATO_LOG');
      if (typeof level === 'string' && level.trim() !== '') host.logLevel = level.trim().toLowerCase();
    }
  } else if (typeof coreOptions.baseUrl === 'string' && !coreOptions.baseUrl.includes('://') && typeof location !== 'undefined') {
    coreOptions.baseUrl = new URL(coreOptions.baseUrl, location.href).href;
  }
  if (platform.browser && coreOptions.authSecret && host.dangerouslyAllowBrowser !== true) {
    throw validation('authSecret',
      'refusing to use authSecret in a browser: every visitor of the page could read it and use your Avochato account. '
      + 'Call the API from your server, or use proxy mode (no credentials; baseUrl pointing to a backend of yours that adds them). '
      + 'If you understand the risk (an internal tool, say), pass dangerouslyAllowBrowser: true.');
  }
  if (host.fetch !== undefined && typeof host.fetch !== 'function') throw validation('fetch', 'must be a function');
  if (host.logger !== undefined && typeof host.logger !== 'function') throw validation('logger', 'must be a function');
  if (host.logLevel !== undefined && !['debug', 'info', 'off'].includes(host.logLevel)) {
    throw validation('logLevel', 'must be "debug", "info" or "off"');
  }
  const runtime = `${platform.runtime}${platform.version ? `/${platform.version}` : ''}`;
  coreOptions.userAgent = `avochato-js/${VERSION} ${runtime}`;
  if (!platform.browser || !coreOptions.authId) host.identify = true;
  if (!coreOptions.authId && !coreOptions.authSecret && !coreOptions.baseUrl && platform.envHidden) {
    throw validation('', 'no credentials: the AVOCHATO_* environment variables could not be read in this runtime '
      + '(Deno: run with --allow-env), and authId / authSecret were not given');
  }
  return { coreOptions, host };
}

/** What each client holds, out of sight of `JSON.stringify` and the console. */
const STATE = new WeakMap();

function stateOf(client) {
  const s = STATE.get(client);
  if (!s) throw validation('', 'this client has been freed; make a new one');
  return s;
}

/** The core's configuration for a client's state, made again after a fresh instance. */
function coreOf(s) {
  if (s.core === null || s.generation !== wasm.generation) {
    s.core = guard(() => {
      const c = new core.Core(s.coreOptions);
      return s.subdomain === undefined ? c : c.withSubdomain(s.subdomain);
    });
    s.generation = wasm.generation;
    const pairs = s.core.headers;
    s.headers = { accept: 'application/json' };
    for (let i = 0; i < pairs.length; i += 2) s.headers[pairs[i]] = pairs[i + 1];
    if (s.host.identify) {
      s.headers['x-avochato-client-user-agent'] = s.core.userAgent;
      if (!wasm.platform.browser) s.headers['user-agent'] = s.core.userAgent;
    }
    s.jsonHeaders = { ...s.headers, 'content-type': 'application/json' };
  }
  return s.core;
}

// --- One call -------------------------------------------------------------------------------

function log(s, level, line) {
  const want = s.host.logLevel;
  if (!want || want === 'off' || (want === 'info' && level === 'debug')) return;
  const out = s.host.logger ?? ((l) => console.error(l));
  out(`[avochato ${level}] ${line}`);
}

/** Path and query of a URL without the credentials (for log lines). */
function target(url) {
  try {
    const u = new URL(url);
    u.searchParams.delete('auth_id');
    u.searchParams.delete('auth_secret');
    return u.pathname + (u.search === '?' ? '' : u.search);
  } catch {
    return '?';
  }
}

function abortError(signal) {
  const reason = signal.reason;
  return new AbortError({
    kind: 'aborted',
    message: 'the call was cancelled (its signal was aborted)',
    cause: reason instanceof Error ? reason : undefined,
  });
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortError(signal));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Splits per-call options into the core's and the host's (`signal`, `headers`). */
function callOptions(options) {
  if (options === undefined || options === null) return { coreOptions: undefined, signal: undefined, headers: undefined };
  if (typeof options !== 'object' || Array.isArray(options)) return { coreOptions: options, signal: undefined, headers: undefined };
  const { signal, headers, ...coreOptions } = options;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw validation('signal', 'must be an AbortSignal');
  }
  if (headers !== undefined && (headers === null || typeof headers !== 'object')) throw validation('headers', 'must be an object of names and string values');
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v !== 'string') throw validation('headers', 'must map names to strings');
    guard(() => core.checkHeader(k, v));
  }
  return { coreOptions, signal, headers };
}

function headerPairs(res) {
  const pairs = [];
  res.headers.forEach((v, k) => pairs.push(k, v));
  return pairs;
}

/** A success: the data, and what came back besides it (read when asked for). */
class Answer {
  constructor(data, res, status, requestId, attempts) {
    this.data = data;
    this.res = res;
    this.status = status;
    this.requestId = requestId;
    this.attempts = attempts;
  }

  get meta() {
    const headers = {};
    this.res.headers.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
    return { status: this.status, headers, requestId: this.requestId, attempts: this.attempts };
  }
}

/** A `fetch` failure as the core words it: whether nothing was sent, and the detail. */
function failure(e) {
  const cause = e?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(e);
  const detail = `${message}${code ? ` (${code})` : ''}${cause?.message && cause.message !== message ? `: ${cause.message}` : ''}`;
  return { detail, nothingSent: code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' };
}

/**
 * Sends a prepared request (`[method, url, body, timeoutMs, maxRetries, maxRetryWaitMs]`)
 * with the core's retry rules; decodes the answer as operation `op`.
 */
async function send(s, c, op, prepared, signal, extraHeaders, decodeAs) {
  const [method, url, body, timeoutMs, maxRetries, maxRetryWaitMs] = prepared;
  const transport = transportOf(s);
  let headers = body === undefined ? s.headers : s.jsonHeaders;
  if (extraHeaders) headers = { ...headers, ...extraHeaders };
  const logging = s.host.logLevel && s.host.logLevel !== 'off';
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    const started = logging ? Date.now() : 0;
    if (logging) log(s, 'debug', `${method} ${target(url)} (attempt ${attempt})`);
    let res;
    let error;
    let nothingSent = false;
    try {
      res = await transport(url, method, headers, body, timeoutMs, signal);
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      if (e === TIMED_OUT) {
        error = c.failure('timeout', '', timeoutMs);
      } else {
        const f = failure(e);
        nothingSent = f.nothingSent;
        error = c.failure('connection', f.detail, 0);
        Object.defineProperty(error, 'cause', { value: redactedCause(c, e), enumerable: false, configurable: true, writable: true });
      }
      if (logging) log(s, 'debug', `${method} ${target(url)} failed: ${error.message}`);
    }
    let status = 0;
    let retryAfter;
    if (res !== undefined) {
      // A browser hides a redirect (`redirect: "manual"`): report it as one.
      status = res.redirected ? 307 : res.status;
      const requestId = res.headers.get('x-request-id');
      if (logging) log(s, 'debug', `${method} ${target(url)} -> ${status} in ${Date.now() - started} ms [request id ${requestId ?? '-'}]`);
      const parsed = parse(res.text);
      if (status >= 200 && status < 300) {
        return new Answer(decoded(c, status, res.text, parsed, requestId, decodeAs), res, status, requestId, attempt);
      }
      error = c.answerError(status, res.redirected ? [] : headerPairs(res), res.text, parsed);
      retryAfter = res.headers.get('retry-after') ?? undefined;
    }
    const wait = core.nextWait(method, attempt, status, nothingSent, retryAfter, maxRetries, maxRetryWaitMs);
    if (wait < 0) throw error;
    log(s, 'info', `retrying ${method} ${target(url)} after ${status ? `HTTP ${status}` : error.kind} in ${(wait / 1000).toFixed(2)} s (attempt ${attempt} failed)`);
    await sleep(wait, signal);
  }
}

/** The client's transport: its `fetch` option, else the runtime's own (Node), else `fetch`. */
function transportOf(s) {
  if (s.transport) return s.transport;
  if (s.host.fetch) {
    s.transport = fetchTransport(s.host.fetch);
  } else if (wasm.platform.transport) {
    s.transport = wasm.platform.transport;
  } else {
    if (typeof globalThis.fetch !== 'function') throw validation('fetch', 'this runtime has no fetch(): pass one as the `fetch` option');
    s.transport = fetchTransport((url, init) => globalThis.fetch(url, init));
  }
  return s.transport;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A success's data, decoded by the generated tables; else the core's error for it. */
function decoded(c, status, text, parsed, requestId, decodeAs) {
  const data = parsed === undefined ? Mismatch.whole('the response is not JSON') : decodeAs(parsed);
  if (data instanceof Mismatch) throw c.decodeFailure(status, data.reason, text, parsed, requestId ?? undefined);
  return data;
}

let testCore = null;
/**
 * For the differential test: operation number `op`'s answer `text` (HTTP 200) decoded as a
 * call decodes it — `{ ok: value }` or `{ error: { kind, message } }`.
 */
export function __decodeForTests(op, text) {
  testCore ??= guard(() => new core.Core({ authId: 'decode-cases', authSecret: 'decode-cases-secret', baseUrl: 'http://127.0.0.1:9' }));
  try {
    return { ok: decoded(testCore, 200, text, parse(text), null, (json) => decode(op, json)) };
  } catch (e) {
    return { error: { kind: e.kind, message: e.message } };
  }
}

/** The host's error as a connection error's `cause`, without the secret in its text. */
function redactedCause(c, e) {
  const text = `${e?.message ?? ''}\n${e?.stack ?? ''}\n${e?.cause?.message ?? ''}`;
  if (c.failure('connection', text, 0).message.includes('[REDACTED]')) {
    return new Error(c.failure('connection', String(e?.message ?? e), 0).message);
  }
  return e;
}

const dataOf = (answer) => answer.data;
const withMeta = (answer) => ({ data: answer.data, meta: answer.meta });

/** A call as a promise of its data, with `withResponse()` for the status and headers. */
function apiPromise(full) {
  const data = full.then(dataOf);
  data.withResponse = () => full.then(withMeta);
  return data;
}

async function run(client, op, params, options) {
  const s = stateOf(client);
  if (!wasm.ready) await instantiated();
  const c = coreOf(s);
  const { coreOptions, signal, headers } = callOptions(options);
  const prepared = guard(() => c.prepare(op, params, coreOptions));
  return send(s, c, op, prepared, signal, headers, (json) => decode(op, json));
}

function call(client, op, params, options) {
  return apiPromise(run(client, op, params, options));
}

// --- Pages ----------------------------------------------------------------------------------

function fingerprint(items) {
  return `${items.length}|${JSON.stringify(items[0])}|${JSON.stringify(items[items.length - 1])}`;
}

/** Every item of every page: `for await (const x of client.contacts.iter(...))`. */
export class PageIterator {
  #client;
  #op;
  #params;
  #options;
  #cursor = null;
  #buffer = [];
  #done = false;
  #queue = Promise.resolve();

  constructor(client, op, params, options) {
    this.#client = client;
    this.#op = op;
    this.#params = params;
    this.#options = options;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** The next item (calls wait for one another: never two requests at once). */
  next() {
    const step = this.#queue.then(() => this.#next());
    this.#queue = step.then(() => undefined, () => undefined);
    return step;
  }

  async return() {
    this.#done = true;
    this.#buffer = [];
    return { value: undefined, done: true };
  }

  async #next() {
    while (this.#buffer.length === 0 && !this.#done) await this.#fetchPage();
    if (this.#buffer.length > 0) return { value: this.#buffer.shift(), done: false };
    return { value: undefined, done: true };
  }

  async #fetchPage() {
    const s = stateOf(this.#client);
    if (!wasm.ready) await instantiated();
    const c = coreOf(s);
    const { coreOptions, signal, headers } = callOptions(this.#options);
    if (this.#cursor === null || this.#cursor.generation !== wasm.generation) {
      const cursor = guard(() => new core.Cursor(this.#op, this.#params));
      this.#cursor = { cursor, generation: wasm.generation };
    }
    const { cursor } = this.#cursor;
    const prepared = guard(() => cursor.prepare(c, coreOptions));
    let page;
    try {
      ({ data: page } = await send(s, c, this.#op, prepared, signal, headers, (json) => decode(this.#op, json)));
    } catch (e) {
      this.#done = true;
      throw e;
    }
    const style = OPERATIONS[this.#op][9];
    const keep = guard(() => cursor.advance(page.items.length, page.page ?? undefined, page.next_page ?? undefined,
      page.last_key ?? undefined, style === 'number' ? fingerprint(page.items) : ''));
    if (keep) this.#buffer.push(...page.items);
    if (cursor.done) this.#done = true;
  }
}

// --- Resources and the client ---------------------------------------------------------------

const RESOURCE_CLASSES = {};
for (let op = 0; op < OPERATIONS.length; op++) {
  const [resource, method] = OPERATIONS[op];
  const Class = RESOURCE_CLASSES[resource] ??= {
    [resource]: class {
      constructor(client) {
        Object.defineProperty(this, '_client', { value: client });
      }
    },
  }[resource];
  Object.defineProperty(Class.prototype, method, {
    value: { [method](params, options) { return call(this._client, op, params, options); } }[method],
    writable: true,
    configurable: true,
  });
}
for (const [resource, op] of Object.entries(ITER)) {
  Object.defineProperty(RESOURCE_CLASSES[resource].prototype, 'iter', {
    value: function iter(params, options) { return new PageIterator(this._client, op, params, options); },
    writable: true,
    configurable: true,
  });
}
const WHOAMI = OPERATIONS.findIndex((o) => o[0] === 'accounts' && o[1] === 'whoami');

/** The Avochato client. */
export class Avochato {
  constructor(options) {
    const { coreOptions, host } = readOptions(options);
    const s = { coreOptions, host, subdomain: undefined, core: null, generation: -1, headers: null, resources: {}, transport: null };
    STATE.set(this, s);
    // Check the options now where the module is ready (always, but in a browser just after
    // the page loaded: then at the first call).
    if (wasm.ready) coreOf(s);
  }

  /** Resolves once the SDK's WebAssembly module is ready (at once outside browsers). */
  static async ready() {
    await instantiated();
  }

  /** Every operation: resource, method name, HTTP method, path, documented title. */
  static operations() {
    return OPERATIONS.map(([resource, method, rustMethod, httpMethod, path, title, , , , style]) => ({
      resource, method, rustMethod, httpMethod, path, title, paginated: style !== null,
    }));
  }

  /** The same client scoped to inbox `subdomain`. */
  withSubdomain(subdomain) {
    return derive(this, {}, subdomain);
  }

  /** The same client with some options replaced (another credential, say). */
  withOptions(options) {
    return derive(this, options ?? {}, undefined);
  }

  /** Confirms the credential (`GET /v1/whoami`): its inbox and user. */
  verify(options) {
    return call(this, WHOAMI, undefined, options);
  }

  toString() {
    return '[object Avochato]';
  }

  toJSON() {
    return {};
  }
}

function derive(client, options, subdomain) {
  const base = stateOf(client);
  if (options !== null && (typeof options !== 'object' || Array.isArray(options))) throw validation('', 'options must be an object');
  const { coreOptions: given, host: givenHost } = splitOnly(options);
  const s = {
    coreOptions: { ...base.coreOptions, ...given },
    host: { ...base.host, ...givenHost },
    subdomain: subdomain ?? base.subdomain,
    core: null,
    generation: -1,
    headers: null,
    resources: {},
    transport: null,
  };
  if (given.authId !== undefined || given.authSecret !== undefined) {
    // Another credential: the inbox of the first does not carry over unless given.
    if (given.subdomain === undefined && subdomain === undefined) s.subdomain = undefined;
  }
  const out = Object.create(Avochato.prototype);
  STATE.set(out, s);
  if (wasm.ready) {
    if (subdomain !== undefined && Object.keys(given).length === 0 && base.core && base.generation === wasm.generation) {
      s.core = guard(() => base.core.withSubdomain(subdomain));
      s.generation = wasm.generation;
      s.headers = base.headers;
      s.jsonHeaders = base.jsonHeaders;
    } else {
      coreOf(s);
    }
  }
  return out;
}

function splitOnly(options) {
  const coreOptions = {};
  const host = {};
  for (const [k, v] of Object.entries(options)) {
    if (HOST_OPTIONS.includes(k)) host[k] = v;
    else coreOptions[k] = v;
  }
  return { coreOptions, host };
}

for (const resource of Object.keys(RESOURCE_CLASSES)) {
  Object.defineProperty(Avochato.prototype, resource, {
    get() {
      const s = stateOf(this);
      return (s.resources[resource] ??= new RESOURCE_CLASSES[resource](this));
    },
    configurable: true,
  });
}

/** Frees the client: later calls throw (kept for code written for earlier versions). */
function free() {
  STATE.delete(this);
}
Object.defineProperty(Avochato.prototype, 'free', { value: free, enumerable: false, writable: true, configurable: true });
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(Avochato.prototype, Symbol.dispose, { value: free, enumerable: false, writable: true, configurable: true });
}

// Class names that survive a minifier (the console shows them).
for (const [C, name] of [[Avochato, 'Avochato'], [PageIterator, 'PageIterator'], [AbortError, 'AbortError']]) {
  Object.defineProperty(C, 'name', { value: name });
}

export default Avochato;

// `avochato/proxy`: the back end of a widget in one line. A page in proxy mode (no
// credentials, `baseUrl` pointing here) sends its calls; the core decides, for each one,
// which documented operation it is, whether the policy allows it, and what to send upstream
// with the credentials added (avochato::proxy). This file does the I/O: reads the request
// (no more than the size limit), answers preflights and the Origin check, asks the site's
// `authorize` hook, forwards with `fetch` and hands the API's answer back.
import * as core from '../build/pkg-proxy/avochato_wasm.js';
import { InternalError, ValidationError } from './generated/errors.mjs';
import { makeError } from './generated/make-error.mjs';

const VERSION = '0.1.0';
const METHODS = 'GET, POST, PUT, DELETE';
const OVERRIDE = /^(x-http-method-override|x-http-method|x-method-override|x-original-method|x-original-url|x-rewrite-url)$/i;
const OPTIONS = ['authId', 'authSecret', 'baseUrl', 'subdomain', 'allow', 'pin', 'prefix', 'allowedOrigins', 'authorize',
  'maxBodyBytes', 'timeoutMs', 'fetch', 'log'];
const ENV = { authId: 'AVOCHATO_AUTH_ID', authSecret: 'AVOCHATO_AUTH_SECRET', baseUrl: 'AVOCHATO_BASE_URL', subdomain: 'AVOCHATO_SUBDOMAIN' };

const wasm = { platform: { runtime: 'unknown', version: '', env: () => undefined }, ready: false, pending: null, failed: null };

/** Called by the entry once the module is instantiated. */
export function proxyReady(platform) {
  wasm.platform = platform;
  core.__setErrorFactory(makeError);
  wasm.ready = true;
  wasm.pending = null;
}

/** Called by an entry that instantiates the module asynchronously. */
export function proxyLoading(platform, promise) {
  wasm.platform = platform;
  wasm.pending = promise.then(() => proxyReady(platform), (e) => {
    wasm.failed = e;
    wasm.pending = null;
  });
}

function validation(param, message) {
  return new ValidationError({ kind: 'validation', message: param ? `\`${param}\`: ${message}` : message, param: param || null, errors: [message] });
}

/** A refusal or failure made here, in the core's shape (the API's error envelope). */
function errorBody(status, kind, reason) {
  return JSON.stringify({ status, errors: [reason], kind, source: 'proxy' });
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw validation('', 'options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTIONS.includes(k)) throw validation(k, `is not one of the proxy options (${OPTIONS.join(', ')})`);
  }
  const { allow, prefix = '', allowedOrigins = [], authorize, fetch: fetchImpl, log, pin } = options;
  if (!Array.isArray(allow) || allow.length === 0 || !allow.every((a) => typeof a === 'string')) {
    throw validation('allow', 'must list the operations the page may call, as resource.method (Avochato.operations() lists them)');
  }
  if (typeof prefix !== 'string' || (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/') || /[?#\s]/.test(prefix)))) {
    throw validation('prefix', 'must be the mount path: "" or "/api/avochato" (a leading slash, no trailing slash)');
  }
  if (!Array.isArray(allowedOrigins) || !allowedOrigins.every((o) => o === '*' || (typeof o === 'string' && /^https?:\/\/[^/?#\s]+$/i.test(o)))) {
    throw validation('allowedOrigins', 'must list origins such as "https://www.example.com" (scheme and host, no path), or "*"');
  }
  for (const [name, f] of [['authorize', authorize], ['fetch', fetchImpl], ['log', log]]) {
    if (f !== undefined && typeof f !== 'function') throw validation(name, 'must be a function');
  }
  if (pin !== undefined && (pin === null || typeof pin !== 'object' || Array.isArray(pin))) throw validation('pin', 'must be an object of parameter names and values');
}

/** The core's decision maker for these options (the credential from the environment if not given). */
function makeCore(options) {
  const coreOptions = {};
  for (const k of ['authId', 'authSecret', 'baseUrl', 'subdomain', 'timeoutMs']) {
    if (options[k] !== undefined && options[k] !== null) coreOptions[k] = options[k];
  }
  for (const [k, name] of Object.entries(ENV)) {
    if (coreOptions[k] === undefined) {
      const v = wasm.platform.env(name);
      if (typeof v === 'string' && v.trim() !== '') coreOptions[k] = v;
    }
  }
  const runtime = `${wasm.platform.runtime}${wasm.platform.version ? `/${wasm.platform.version}` : ''}`;
  coreOptions.userAgent = `avochato-js-proxy/${VERSION} ${runtime}`;
  return new core.ProxyCore(coreOptions, options.allow, options.pin, options.maxBodyBytes);
}

function state(options) {
  checkOptions(options);
  const s = {
    options,
    core: null,
    prefix: options.prefix ?? '',
    origins: options.allowedOrigins ?? [],
    fetch: options.fetch,
    log: options.log,
    authorize: options.authorize,
  };
  if (wasm.ready) s.core = makeCore(options);
  return s;
}

async function coreOf(s) {
  if (s.core) return s.core;
  if (!wasm.ready && wasm.pending) await wasm.pending;
  if (wasm.failed) throw new InternalError({ kind: 'internal', message: `the avochato WebAssembly module could not start: ${wasm.failed}` });
  s.core = makeCore(s.options);
  return s.core;
}

function logLine(s, c, line) {
  if (!s.log) return;
  try {
    s.log(c ? c.redact(`avochato proxy: ${line}`) : `avochato proxy: ${line}`);
  } catch {
    // A logger that throws does not break the answer.
  }
}

/**
 * The CORS headers for a request's `Origin` (`[]`: none needed), or `null` when the origin
 * may not call: another site's page, not in `allowedOrigins`.
 */
function corsFor(s, origin, host) {
  if (!origin) return [];
  if (s.origins.includes(origin)) {
    return [['access-control-allow-origin', origin], ['access-control-allow-credentials', 'true'], ['vary', 'Origin'],
      ['access-control-expose-headers', 'x-request-id, retry-after']];
  }
  let sameOrigin = false;
  try {
    sameOrigin = host !== null && new URL(origin).host === host.toLowerCase();
  } catch {
    sameOrigin = false;
  }
  if (sameOrigin) return [['vary', 'Origin']];
  if (s.origins.includes('*')) {
    return [['access-control-allow-origin', '*'], ['access-control-expose-headers', 'x-request-id, retry-after']];
  }
  return null;
}

/** A plain answer: `{ status, headers: [[name, value]], body }`. */
function reply(status, body, headers = []) {
  return { status, headers: body === null ? headers : [['content-type', 'application/json'], ...headers], body };
}

/**
 * One request, whatever the runtime: `req` is `{ method, target (raw path and query), host,
 * header(name), headerNames(), readBody(limit) → Uint8Array (at most limit + 1 bytes),
 * original }`. Returns a plain answer, or a `Response` the authorize hook returned.
 */
async function handle(s, req) {
  const origin = req.header('origin');
  const cors = corsFor(s, origin, req.host);
  const method = req.method;
  if (cors === null) {
    logLine(s, null, `refused (403) ${method}: origin ${JSON.stringify(origin)} is not allowed`);
    return reply(403, errorBody(403, 'permission_denied', 'this origin may not call this proxy (allowedOrigins)'));
  }
  if (method === 'OPTIONS') {
    if (!origin || !req.header('access-control-request-method')) return reply(404, errorBody(404, 'not_found', 'OPTIONS is only for CORS preflights'), cors);
    const asked = (req.header('access-control-request-headers') ?? '').split(',').map((h) => h.trim().toLowerCase())
      .filter((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h) && !OVERRIDE.test(h));
    const headers = [...cors, ['access-control-allow-methods', METHODS], ['access-control-max-age', '600']];
    if (asked.length > 0) headers.push(['access-control-allow-headers', asked.join(', ')]);
    return reply(204, null, headers);
  }
  const c = await coreOf(s);
  const hash = req.target.indexOf('#');
  const target = hash < 0 ? req.target : req.target.slice(0, hash);
  const q = target.indexOf('?');
  const fullPath = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  const prefix = s.prefix;
  if (!(fullPath === prefix || fullPath.startsWith(`${prefix}/`))) {
    return reply(404, errorBody(404, 'not_found', 'not under this proxy\'s prefix'), cors);
  }
  const path = fullPath.slice(prefix.length);
  const limit = c.maxBodyBytes;
  const declared = Number(req.header('content-length') ?? 0);
  const body = declared > limit ? new Uint8Array(limit + 1) : await req.readBody(limit);
  // The body is parsed here, once (the module has no JSON parser); the core checks it.
  let parsed;
  let parseError;
  if (method !== 'GET' && body.length > 0 && body.length <= limit && !/^\s*$/.test(utf8(body))) {
    try {
      parsed = JSON.parse(utf8(body, true));
    } catch (e) {
      parseError = e?.message ?? String(e);
    }
  }
  const decision = c.decide(method, path, query, body, parsed, parseError, req.header('content-type') ?? undefined, req.headerNames());
  if (decision[0] !== 0) {
    const [status, text, reason] = decision;
    logLine(s, c, `refused (${status}) ${method} ${path.slice(0, 200)}: ${reason}`);
    return reply(status, text, status === 413 ? [...cors, ['connection', 'close']] : cors);
  }
  const [, operation, upMethod, url, upBody, logTarget, operations, paramsJson] = decision;
  if (s.authorize) {
    let verdict;
    try {
      // What is sent, without the credentials: a hook that allows `messages.send` for live
      // chat (a live-chat message is also one) can refuse a phone number.
      verdict = await s.authorize(req.original, { operation, operations, params: JSON.parse(paramsJson) });
    } catch (e) {
      logLine(s, c, `authorize threw for ${operation}: ${e?.message ?? e}`);
      return reply(500, errorBody(500, 'server', 'the site could not authorise this request'), cors);
    }
    if (typeof Response === 'function' && verdict instanceof Response) return verdict;
    if (verdict !== true) {
      logLine(s, c, `refused (403) ${operation}: not authorised by the site`);
      return reply(403, errorBody(403, 'permission_denied', 'not authorised by this site'), cors);
    }
  }
  const fetchImpl = s.fetch ?? globalThis.fetch;
  const headers = { accept: 'application/json', 'x-avochato-client-user-agent': c.userAgent };
  if (!wasm.platform.browser) headers['user-agent'] = c.userAgent;
  if (upBody !== undefined) headers['content-type'] = 'application/json';
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, c.timeoutMs);
  const started = Date.now();
  let res;
  let text;
  try {
    res = await fetchImpl(url, { method: upMethod, headers, body: upBody, redirect: 'manual', signal: controller.signal });
    text = await res.text();
  } catch (e) {
    const detail = `${e?.message ?? e}${e?.cause?.code ? ` (${e.cause.code})` : ''}`;
    const [status, failBody, reason] = c.failure(timedOut, timedOut ? '' : detail);
    logLine(s, c, `${operation}: ${upMethod} ${logTarget} failed (${status}): ${reason}`);
    return reply(status, failBody, cors);
  } finally {
    clearTimeout(timer);
  }
  const status = res.type === 'opaqueredirect' ? 307 : res.status;
  const pairs = [];
  res.headers.forEach((v, k) => pairs.push(k, v));
  const [outStatus, passed, replaced] = c.answer(status, pairs, text);
  const outHeaders = [];
  for (let i = 0; i < passed.length; i += 2) outHeaders.push([passed[i], passed[i + 1]]);
  const requestId = res.headers.get('x-request-id');
  logLine(s, c, `${operation}: ${upMethod} ${logTarget} -> ${outStatus} in ${Date.now() - started} ms [request id ${requestId ?? '-'}]`);
  return { status: outStatus, headers: [...outHeaders, ...cors], body: replaced ?? text };
}

/** A body as text (`fatal`: invalid UTF-8 throws). */
function utf8(bytes, fatal = false) {
  return new TextDecoder('utf-8', { fatal }).decode(bytes);
}

function toResponse(answer) {
  if (typeof Response === 'function' && answer instanceof Response) return answer;
  const empty = answer.body === null || answer.status === 204 || answer.status === 304;
  return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
}

function internalAnswer(s, e) {
  logLine(s, s.core, `internal error: ${e?.message ?? e}`);
  return reply(500, errorBody(500, 'internal', 'internal error in the avochato proxy'));
}

/** Reads a Fetch body: at most `limit + 1` bytes (more is refused, unread). */
async function readFetchBody(request, limit) {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.byteLength;
    if (n > limit) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const out = new Uint8Array(Math.min(n, limit + 1));
  let at = 0;
  for (const c of chunks) {
    const take = Math.min(c.byteLength, out.length - at);
    out.set(c.subarray(0, take), at);
    at += take;
    if (at >= out.length) break;
  }
  return out;
}

/**
 * A Fetch-API handler, `(request: Request) => Promise<Response>`: Cloudflare Workers, Deno,
 * Bun, Next.js route handlers.
 */
export function createProxyHandler(options) {
  const s = state(options);
  return async function avochatoProxy(request) {
    let answer;
    try {
      const url = String(request.url);
      const start = url.indexOf('/', url.indexOf('//') + 2);
      let host = null;
      try {
        host = new URL(url).host;
      } catch {
        host = null;
      }
      answer = await handle(s, {
        method: request.method.toUpperCase(),
        target: start < 0 ? '/' : url.slice(start),
        host: request.headers.get('host') ?? host,
        header: (name) => request.headers.get(name),
        headerNames: () => [...request.headers.keys()],
        readBody: (limit) => readFetchBody(request, limit),
        original: request,
      });
    } catch (e) {
      answer = internalAnswer(s, e);
    }
    return toResponse(answer);
  };
}

/** Reads a Node request body: at most `limit + 1` bytes (reading stops beyond). */
function readNodeBody(req, limit) {
  if (req.body !== undefined && (req.readableEnded || req.complete)) {
    // A body parser (express.json(), ...) ran first: its result, as the page sent it.
    const b = req.body;
    if (b instanceof Uint8Array) return Promise.resolve(b.subarray(0, limit + 1));
    const text = typeof b === 'string' ? b : b && typeof b === 'object' && Object.keys(b).length > 0 ? JSON.stringify(b) : '';
    return Promise.resolve(new TextEncoder().encode(text).subarray(0, limit + 1));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', done);
      req.off('error', reject);
      const all = new Uint8Array(Math.min(n, limit + 1));
      let at = 0;
      for (const c of chunks) {
        const take = Math.min(c.length, all.length - at);
        all.set(c.subarray(0, take), at);
        at += take;
      }
      resolve(all);
    };
    const onData = (chunk) => {
      const c = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      chunks.push(c);
      n += c.length;
      if (n > limit) {
        req.pause();
        done();
      }
    };
    req.on('data', onData);
    req.on('end', done);
    req.on('error', reject);
  });
}

/**
 * A Node `http` handler and Express/Connect middleware, `(req, res, next?)`. Mounted with
 * `app.use(prefix, ...)`, give the same `prefix`; requests outside it go to `next`.
 */
export function createNodeProxy(options) {
  const s = state(options);
  return async function avochatoProxy(req, res, next) {
    let answer;
    try {
      const target = req.originalUrl ?? req.url ?? '/';
      const q = target.indexOf('?');
      const path = q < 0 ? target : target.slice(0, q);
      if (typeof next === 'function' && !(path === s.prefix || path.startsWith(`${s.prefix}/`))) return next();
      answer = await handle(s, {
        method: String(req.method).toUpperCase(),
        target,
        host: req.headers.host ?? null,
        header: (name) => {
          const v = req.headers[name];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        },
        headerNames: () => Object.keys(req.headers),
        readBody: (limit) => readNodeBody(req, limit),
        original: req,
      });
    } catch (e) {
      answer = internalAnswer(s, e);
    }
    try {
      if (typeof Response === 'function' && answer instanceof Response) {
        const headers = {};
        answer.headers.forEach((v, k) => {
          headers[k] = v;
        });
        res.writeHead(answer.status, headers);
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      const headers = {};
      for (const [k, v] of answer.headers) headers[k] = v;
      res.writeHead(answer.status, headers);
      res.end(answer.body ?? undefined);
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody(500, 'internal', 'internal error in the avochato proxy'));
      } else {
        res.destroy(e);
      }
    }
  };
}

/** Resolves once the WebAssembly module is ready (at once outside browsers). */
export async function ready() {
  if (!wasm.ready && wasm.pending) await wasm.pending;
}

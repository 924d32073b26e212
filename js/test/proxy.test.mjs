// avochato/proxy against the mock: the shipped handler behind a Node http server (the Node
// adapter) and called directly (the Fetch handler). Every refusal checks the mock's recorder:
// 0 requests reached the API. Every answer, header and log line is searched for the secret.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { Avochato, PermissionDeniedError, NotFoundError, RateLimitError } from 'avochato';
import { createNodeProxy, createProxyHandler } from 'avochato/proxy';
import { createRequire } from 'node:module';
import { AUTH_ID, SECRET, startMock } from './helpers.mjs';

let mock;
let server;
let base;
const lines = [];
const seen = [];
const authorized = [];

const ALLOW = ['messages.send', 'messages.get', 'messages.search', 'contacts.upsert', 'tickets.updateStatus'];

function options(more = {}) {
  return {
    authId: AUTH_ID,
    authSecret: SECRET,
    baseUrl: mock.url,
    allow: ALLOW,
    prefix: '/api',
    pin: { subdomain: 'test-account' },
    allowedOrigins: ['https://shop.example.com'],
    maxBodyBytes: 4096,
    log: (l) => lines.push(l),
    ...more,
  };
}

before(async () => {
  mock = await startMock();
  const proxy = createNodeProxy(options({
    authorize: (req, info) => {
      authorized.push({ operation: info.operation, widget: req.headers['x-widget'] ?? null });
      return req.headers['x-visitor'] !== 'blocked';
    },
  }));
  server = createServer((req, res) => proxy(req, res));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server?.close();
  await mock?.stop();
  for (const l of lines) assert.ok(!l.includes(SECRET), `a log line holds the secret: ${l}`);
  for (const s of seen) assert.ok(!s.includes(SECRET), 'an answer holds the secret');
});

beforeEach(async () => {
  await mock.control('POST', '/__mock/reset');
});

/** A raw HTTP request (the path exactly as given, no URL normalisation). */
function raw(method, path, { headers = {}, body } = {}) {
  if (body !== undefined && headers['content-length'] === undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path.startsWith('/') ? '' : '/'}`, { method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        seen.push(text, JSON.stringify(res.headers));
        resolve({ status: res.statusCode, headers: res.headers, text, json: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const json = (method, path, body, headers = {}) => raw(method, path, {
  headers: { 'content-type': 'application/json', ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

/** A refusal: the status, the SDK's error envelope, and nothing sent to the API. */
async function refused(answer, status, pattern) {
  const r = await answer;
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.status, status);
  assert.equal(r.json.source, 'proxy');
  assert.ok(Array.isArray(r.json.errors) && r.json.errors.length === 1);
  if (pattern) assert.match(r.json.errors[0], pattern);
  assert.deepEqual(await mock.requests(), [], 'no request reached the API');
  return r;
}

const PHONE = '+14155550190';

test('an allowed operation goes through with the credentials and the pinned inbox', async () => {
  const r = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'via the shipped proxy' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.message.to, PHONE);
  assert.match(r.headers['x-request-id'], /^mock-/);
  const [sent] = await mock.requests('POST', '/v1/messages');
  assert.equal(sent.body.auth_id, AUTH_ID);
  assert.equal(sent.body.subdomain, 'test-account', 'the pinned inbox is added');
  assert.equal(sent.body.message, 'via the shipped proxy');
  const g = await raw('GET', `/api/v1/messages/${r.json.data.message.uuid ?? 'x'}`);
  assert.ok([200, 404].includes(g.status));
});

test('the SDK in proxy mode works through it, and gets refusals as its error classes', async () => {
  const c = new Avochato({ baseUrl: `${base}/api` });
  const contact = await c.contacts.upsert({ phone: PHONE, name: 'Proxy Visitor' });
  const sent = await c.messages.send({ phone: contact.phone, message: 'through the handler' });
  assert.equal(sent.to, PHONE);
  const found = await c.messages.search({ query: 'handler' });
  assert.equal(found.items.length, 1);
  await mock.control('POST', '/__mock/reset');
  await assert.rejects(c.users.delete({ id: 'u-1' }), (e) => e instanceof PermissionDeniedError && e.status === 403
    && /users\.delete` is not allowed/.test(e.message));
  await assert.rejects(c.contacts.removeAll(), PermissionDeniedError);
  await assert.rejects(c.users.setMfaPhone({ id: 'u-1', phone: '+14155550100' }), PermissionDeniedError);
  await assert.rejects(c.withSubdomain('other-inbox').messages.send({ phone: PHONE, message: 'x' }), PermissionDeniedError);
  assert.deepEqual(await mock.requests(), []);
});

test('operations not on the allow-list are refused (403), nothing sent', async () => {
  await refused(json('DELETE', '/api/v1/users/u-1', {}), 403, /`users\.delete` is not allowed/);
  await refused(json('DELETE', '/api/v1/contacts/remove_all', { query: null }), 403, /`contacts\.removeAll` is not allowed/);
  await refused(json('POST', '/api/v1/users/u-1/mfa_phone', { phone: '+14155550100' }), 403, /`users\.setMfaPhone`/);
  await refused(raw('GET', '/api/v1/whoami'), 403);
});

test('a request that also fits a refused operation is refused', async () => {
  // tickets.updateStatus is allowed; status=Closed is also tickets.close, which is not.
  await refused(json('PUT', '/api/v1/tickets/t-1', { status: 'Closed' }), 403, /`tickets\.close` \(not allowed/);
  // Listing is not allowed, and GET /v1/messages without a query is also messages.list.
  await refused(raw('GET', '/api/v1/messages?page=1'), 403, /messages\.list/);
});

test('routes that are no documented operation are 404', async () => {
  await refused(raw('GET', '/api/v1/nothing'), 404);
  await refused(raw('GET', '/api/__mock/requests'), 404);
  await refused(json('PATCH', '/api/v1/messages', {}), 404);
  await refused(raw('GET', '/elsewhere/v1/messages/m-1'), 404);
});

test('path tricks are refused (400)', async () => {
  for (const path of ['/api/v1/messages/..%2Fusers', '/api/v1/messages/a%2Fb', '/api/v1//messages',
    '/api/v1/users/u-1/../../contacts/remove_all', '/api/v1/messages/%2e%2e', '/api/v1/messages/m-1/']) {
    await refused(raw('GET', path), 400, /malformed path/);
  }
});

test('method override headers and _method are refused (400)', async () => {
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' }, { 'X-HTTP-Method-Override': 'DELETE' }), 400, /x-http-method-override/);
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x', _method: 'DELETE' }), 400, /_method/);
});

test('a request carrying its own credentials is refused (400)', async () => {
  await refused(raw('GET', `/api/v1/messages?query=x&auth_id=${AUTH_ID}&auth_secret=guess`), 400, /credentials/);
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x', auth_id: 'AC_other', auth_secret: 'other' }), 400, /credentials/);
});

test('bodies over the limit are refused (413)', async () => {
  await refused(json('POST', '/api/v1/contacts', { phone: PHONE, notes: 'x'.repeat(5000) }), 413);
  // Declared larger than the limit: refused before reading.
  await refused(raw('POST', '/api/v1/messages', { headers: { 'content-type': 'application/json', 'content-length': '100000' }, body: '{}' })
    .catch(() => ({ status: 413, json: { status: 413, source: 'proxy', errors: ['(connection closed)'] } })), 413);
});

test('pinned parameters sent with another value are refused (403)', async () => {
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x', subdomain: 'other-inbox' }), 403, /`subdomain` is set by this proxy/);
  await refused(raw('GET', '/api/v1/messages?query=x&subdomain=other-inbox'), 403);
  const ok = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'same inbox', subdomain: 'test-account' });
  assert.equal(ok.status, 200, ok.text);
});

test('malformed requests are refused (400)', async () => {
  await refused(raw('POST', '/api/v1/messages', { headers: { 'content-type': 'application/json' }, body: '{' }), 400, /not valid JSON/);
  await refused(raw('POST', '/api/v1/messages', { headers: { 'content-type': 'text/plain' }, body: '{}' }), 400, /must be JSON/);
  await refused(json('POST', '/api/v1/messages', { phone: PHONE }), 400, /`message`/);
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x', extra: 1 }), 400);
});

test('the Origin check and CORS', async () => {
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' }, { origin: 'https://evil.example.com' }), 403, /origin/);
  const pre = await raw('OPTIONS', '/api/v1/messages', {
    headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-widget, x-http-method-override' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'https://shop.example.com');
  assert.equal(pre.headers['access-control-allow-headers'], 'content-type, x-widget');
  assert.match(pre.headers['access-control-allow-methods'], /POST/);
  const evil = await raw('OPTIONS', '/api/v1/messages', { headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  const r = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'from the shop' }, { origin: 'https://shop.example.com' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['access-control-allow-origin'], 'https://shop.example.com');
  assert.match(r.headers['access-control-expose-headers'], /x-request-id/);
  // Same origin (the page served by this host) needs no list entry.
  const same = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'same origin' }, { origin: base });
  assert.equal(same.status, 200, same.text);
});

test('the authorize hook runs before anything is sent', async () => {
  authorized.length = 0;
  await refused(json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' }, { 'x-visitor': 'blocked' }), 403, /not authorised/);
  assert.deepEqual(authorized, [{ operation: 'messages.send', widget: null }]);
  // Refused by the policy: the hook is not even asked.
  authorized.length = 0;
  await refused(json('DELETE', '/api/v1/users/u-1', {}), 403);
  assert.deepEqual(authorized, []);
});

test('a live-chat widget: the hook reads the parameters, never the credentials', async () => {
  // A live-chat message is also a messages.send (a shared route): the policy allows both, and
  // the hook lets through only live-chat identifiers, not any phone number.
  const told = [];
  const hookSaw = [];
  const liveChat = {
    allow: ['messages.sendLiveChat', 'messages.send'],
    authorize: (request, info) => {
      told.push(info);
      const headers = request instanceof Request ? [...request.headers] : request.headers;
      hookSaw.push(JSON.stringify([request.url, headers, info]));
      return typeof info.params.phone === 'string' && info.params.phone.startsWith('avochato:');
    },
  };
  const node = createNodeProxy(options(liveChat));
  const nodeServer = createServer((req, res) => node(req, res));
  await new Promise((ok) => nodeServer.listen(0, '127.0.0.1', ok));
  const fetchHandler = createProxyHandler(options(liveChat));
  const hosts = {
    node: async (body) => {
      const res = await fetch(`http://127.0.0.1:${nodeServer.address().port}/api/v1/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    },
    fetch: async (body) => {
      const res = await fetchHandler(new Request('http://proxy.local/api/v1/messages', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      }));
      return { status: res.status, text: await res.text() };
    },
  };
  try {
    for (const [kind, post] of Object.entries(hosts)) {
      await mock.control('POST', '/__mock/reset');
      told.length = 0;
      const chat = await post({ phone: 'avochato:c:abc-def', message: `live chat via ${kind}` });
      seen.push(chat.text);
      assert.equal(chat.status, 200, `${kind}: ${chat.text}`);
      const upstream = await mock.requests();
      assert.equal(upstream.length, 1, kind);
      assert.equal(upstream[0].body.auth_id, AUTH_ID, 'the credential is added upstream');
      assert.deepEqual(told, [{
        operation: 'messages.sendLiveChat',
        operations: ['messages.sendLiveChat', 'messages.send'],
        params: { phone: 'avochato:c:abc-def', message: `live chat via ${kind}`, subdomain: 'test-account' },
      }], kind);

      await mock.control('POST', '/__mock/reset');
      told.length = 0;
      const sms = await post({ phone: '+14155550100', message: 'any number' });
      seen.push(sms.text);
      assert.equal(sms.status, 403, `${kind}: ${sms.text}`);
      assert.match(JSON.parse(sms.text).errors[0], /not authorised/);
      assert.deepEqual(await mock.requests(), [], `${kind}: nothing reached the API`);
      assert.deepEqual(told.map((t) => [t.operation, t.operations, t.params.phone]),
        [['messages.send', ['messages.send'], '+14155550100']], kind);
    }
    assert.equal(hookSaw.length, 4);
    for (const saw of hookSaw) {
      assert.ok(!saw.includes(SECRET) && !saw.includes(AUTH_ID) && !saw.includes('auth_'), saw);
    }
  } finally {
    nodeServer.close();
  }
});

test('upstream errors pass through with their status and request id', async () => {
  const nf = await raw('GET', '/api/v1/messages/nope');
  assert.equal(nf.status, 404);
  assert.match(nf.headers['x-request-id'], /^mock-/);
  assert.ok(nf.json.errors);
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 429, retry_after: '7', errors: ['Rate limit exceeded'] });
  const rl = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' });
  assert.equal(rl.status, 429);
  assert.equal(rl.headers['retry-after'], '7');
  assert.match(rl.headers['x-request-id'], /^mock-/);
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 500, errors: ['boom'] });
  const five = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' });
  assert.equal(five.status, 500);
  assert.deepEqual(five.json.errors, ['boom']);
  // The SDK in proxy mode reads them as it reads the API's.
  const c = new Avochato({ baseUrl: `${base}/api`, maxRetries: 0 });
  await assert.rejects(c.messages.get({ id: 'nope' }), (e) => e instanceof NotFoundError && /^mock-/.test(e.requestId));
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 429, retry_after: '99', errors: ['slow'] });
  await assert.rejects(c.messages.send({ phone: PHONE, message: 'x' }), (e) => e instanceof RateLimitError && e.retryAfter === 99);
});

test('an API that answers with the secret, or a redirect, does not hand it on', async () => {
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 400, errors: [`bad secret ${SECRET}`] });
  const r = await json('POST', '/api/v1/messages', { phone: PHONE, message: 'x' });
  assert.equal(r.status, 400);
  assert.ok(!r.text.includes(SECRET) && r.text.includes('[REDACTED]'), r.text);
  // A redirect: a 502, never followed (it would carry the credentials on).
  const redirecting = createServer((req, res) => {
    res.writeHead(302, { location: `https://elsewhere.example.com/?${req.url.split('?')[1] ?? ''}` });
    res.end();
  });
  await new Promise((ok) => redirecting.listen(0, '127.0.0.1', ok));
  const h = createProxyHandler(options({ baseUrl: `http://127.0.0.1:${redirecting.address().port}` }));
  const res = await h(new Request('http://proxy.local/api/v1/messages/m-1'));
  const text = await res.text();
  seen.push(text, JSON.stringify([...res.headers]));
  assert.equal(res.status, 502);
  assert.equal(res.headers.get('location'), null);
  assert.match(JSON.parse(text).errors[0], /redirect/);
  redirecting.close();
  // No answer at all: 502 (connection) and 504 (timeout).
  const down = createProxyHandler(options({ baseUrl: 'http://127.0.0.1:9' }));
  const d = await down(new Request('http://proxy.local/api/v1/messages/m-1'));
  const dt = await d.text();
  seen.push(dt);
  assert.equal(d.status, 502, dt);
});

test('the Fetch handler: same decisions, a Request in and a Response out', async () => {
  const h = createProxyHandler(options());
  const post = (path, body, headers = {}) => h(new Request(`http://proxy.local${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  }));
  const ok = await post('/api/v1/messages', { phone: PHONE, message: 'from a worker' });
  const okText = await ok.text();
  seen.push(okText);
  assert.equal(ok.status, 200, okText);
  assert.match(ok.headers.get('x-request-id'), /^mock-/);
  await mock.control('POST', '/__mock/reset');
  for (const [path, body, status] of [
    ['/api/v1/users/u-1/disable', {}, 403],
    ['/api/v1/nowhere', {}, 404],
    ['/api/v1/messages', { phone: PHONE, message: 'x', auth_secret: 'x' }, 400],
    ['/api/v1/messages', { phone: PHONE, message: 'x'.repeat(5000) }, 413],
  ]) {
    const r = await post(path, body);
    const t = await r.text();
    seen.push(t);
    assert.equal(r.status, status, `${path}: ${t}`);
  }
  const pre = await h(new Request('http://proxy.local/api/v1/messages', {
    method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
  }));
  assert.equal(pre.status, 204);
  assert.deepEqual(await mock.requests(), []);
});

test('options are checked when the handler is made', () => {
  assert.throws(() => createProxyHandler({ authId: AUTH_ID, authSecret: SECRET, baseUrl: mock.url }), /`allow`/);
  assert.throws(() => createProxyHandler(options({ allow: ['messages.sned'] })), /did you mean `messages\.send`/);
  assert.throws(() => createProxyHandler(options({ allow: ['users.delete'], pin: { from: '+14155550100' } })), /pin\.from/);
  assert.throws(() => createProxyHandler(options({ authId: undefined, authSecret: undefined })), /credential/);
  assert.throws(() => createProxyHandler(options({ prefix: 'api/' })), /prefix/);
  assert.throws(() => createProxyHandler(options({ allowedOrigins: ['https://x.com/path'] })), /allowedOrigins/);
  assert.throws(() => createProxyHandler(options({ bogus: 1 })), /bogus/);
  try {
    createProxyHandler(options({ allow: ['nope.nope'] }));
  } catch (e) {
    assert.ok(!String(e.message).includes(SECRET));
  }
});

test('Express-style mounting: requests outside the prefix go to next', async () => {
  const mw = createNodeProxy(options());
  let nexted = false;
  await mw({ method: 'GET', url: '/other', originalUrl: '/other', headers: {} }, {}, () => { nexted = true; });
  assert.equal(nexted, true);
});

test('require("avochato/proxy") gives the same functions', () => {
  const cjs = createRequire(import.meta.url)('avochato/proxy');
  assert.equal(typeof cjs.createProxyHandler, 'function');
  assert.equal(typeof cjs.createNodeProxy, 'function');
});

test('the declarations: tsc --strict accepts right calls and refuses wrong ones', async () => {
  const { execFileSync } = await import('node:child_process');
  const { join, resolve } = await import('node:path');
  const { root } = await import('./helpers.mjs');
  const js = resolve(root, 'js');
  try {
    execFileSync(join(js, 'node_modules/.bin/tsc'), ['-p', join(js, 'test/types-proxy/tsconfig.json')], { cwd: js, encoding: 'utf8' });
  } catch (e) {
    assert.fail(e.stdout || e.message);
  }
});

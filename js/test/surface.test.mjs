// The client as the best JavaScript SDKs are: cancellation, raw responses, a custom fetch,
// per-call headers, errors that keep their cause, logging, the phone normaliser, the SDK's
// identity on the wire, cheap derived clients.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as pkg from '../dist/node/index.mjs';
import { SECRET, root, startMock } from './helpers.mjs';

const { Avochato, AbortError, AvochatoError, ConnectionError, ValidationError, normalizePhone } = pkg;
let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

test('a signal cancels a call: it rejects with an AbortError and the answer is not waited for', async () => {
  const c = new Avochato(mock.options());
  await mock.fault({ method: 'GET', path: '/v1/whoami', kind: 'delay', delay_ms: 3000 });
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 100);
  const e = await c.verify({ signal: controller.signal }).then(() => null, (err) => err);
  assert.ok(e instanceof AbortError && e instanceof AvochatoError, String(e));
  assert.equal(e.name, 'AbortError');
  assert.ok(Date.now() - started < 1500, 'rejected at once');
  const already = AbortSignal.abort();
  await assert.rejects(c.verify({ signal: already }), AbortError);
  // Cancelling while a 429's resend waits: the resend never goes out.
  await mock.control('POST', '/__mock/reset');
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 429, retry_after: '1', count: 1 });
  const late = new AbortController();
  setTimeout(() => late.abort(), 200);
  await assert.rejects(c.messages.send({ phone: '+14155550100', message: 'never twice' }, { signal: late.signal }), AbortError);
  await new Promise((ok) => setTimeout(ok, 1200));
  assert.equal((await mock.requests('POST', '/v1/messages')).length, 1);
});

test('withResponse() gives the status, headers and request id with the data', async () => {
  const c = new Avochato(mock.options());
  const { data, meta } = await c.accounts.whoami().withResponse();
  assert.equal(data.account.subdomain, 'test-account');
  assert.equal(meta.status, 200);
  assert.equal(meta.attempts, 1);
  assert.match(meta.requestId, /^mock-/);
  assert.equal(meta.headers['x-request-id'], meta.requestId);
  assert.equal((await c.verify()).account.subdomain, 'test-account', 'the plain promise is the data');
});

test('a custom fetch is used for every request, and per-call headers reach the server', async () => {
  const seen = [];
  const c = new Avochato(mock.options({
    fetch: (url, init) => {
      seen.push({ url, method: init.method, headers: init.headers });
      return fetch(url, init);
    },
  }));
  await c.messages.send({ phone: '+14155550100', message: 'through my fetch' }, { headers: { 'x-trace-id': 'abc123' } });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].method, 'POST');
  const last = (await mock.requests('POST', '/v1/messages')).at(-1);
  assert.equal(last.headers['x-trace-id'], 'abc123');
  await assert.rejects(c.verify({ headers: { 'bad header': 'x' } }), ValidationError);
  assert.throws(() => new Avochato(mock.options({ fetch: 'no' })), ValidationError);
});

test('the SDK identifies itself in the User-Agent and X-Avochato-Client-User-Agent', async () => {
  await mock.control('POST', '/__mock/reset');
  await new Avochato(mock.options()).verify();
  const [r] = await mock.requests('GET', '/v1/whoami');
  const ua = `avochato-js/0.1.0 node/${process.versions.node} avochato-rust/0.1.0`;
  assert.equal(r.headers['x-avochato-client-user-agent'], ua);
  assert.equal(r.headers['user-agent'], ua);
});

test('a connection error keeps its cause; messages name the JavaScript options and functions', async () => {
  const c = new Avochato({ authId: 'id', authSecret: SECRET, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  const e = await c.verify().then(() => null, (err) => err);
  assert.ok(e instanceof ConnectionError, String(e));
  assert.ok(e.cause instanceof Error, 'the original failure is the cause');
  assert.ok(!JSON.stringify(e).includes(SECRET) && !String(e.cause?.stack).includes(SECRET));
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('AVOCHATO_')) delete process.env[k];
    const none = (() => { try { return new Avochato(); } catch (err) { return err; } })();
    assert.ok(none instanceof ValidationError);
    assert.match(none.message, /authId and authSecret/);
    assert.match(none.message, /baseUrl/);
    assert.doesNotMatch(none.message, /auth_id/);
  } finally {
    Object.assign(process.env, saved);
  }
  const phone = await c.messages.send({ phone: '+14155550100', message: 'hi', from: '510-555-1234' }).then(() => null, (err) => err);
  assert.match(phone.message, /normalizePhone/);
  assert.doesNotMatch(phone.message, /avochato::/);
  assert.equal(normalizePhone('(415) 555-1234'), '+14155551234');
  assert.throws(() => normalizePhone('not a phone'), ValidationError);
});

test('a freed client throws the SDK\'s own error, and free is not part of the typed API', async () => {
  const c = new Avochato(mock.options());
  c.free();
  await assert.rejects(c.verify(), (e) => e instanceof ValidationError && /freed/.test(e.message));
  assert.ok(!Object.keys(Avochato.prototype).includes('free'));
});

test('logging: off by default; AVOCHATO_LOG=debug logs each attempt, never the secret', async () => {
  const script = `
    import { Avochato } from ${JSON.stringify(`${root}/js/dist/node/index.mjs`)};
    const c = new Avochato();
    await c.verify();
    try { await c.messages.get({ id: 'nope' }); } catch {}
  `;
  const quiet = execFileSync(process.execPath, ['--input-type=module', '-e', script + '\nprocess.stderr.write("done")'], {
    env: { ...process.env, AVOCHATO_AUTH_ID: mock.authId, AVOCHATO_AUTH_SECRET: SECRET, AVOCHATO_BASE_URL: mock.url },
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(quiet, '');
  const lines = [];
  const c = new Avochato(mock.options({ logLevel: 'debug', logger: (l) => lines.push(l) }));
  await c.verify();
  await mock.fault({ method: 'GET', path: '/v1/whoami', kind: 'status', status: 429, retry_after: '0.05' });
  await c.verify();
  assert.ok(lines.some((l) => /\[avochato debug\] GET \/v1\/whoami \(attempt 1\)/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /-> 200 in \d+ ms \[request id mock-/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /\[avochato info\] retrying GET \/v1\/whoami after HTTP 429/.test(l)), lines.join('\n'));
  assert.ok(lines.every((l) => !l.includes(SECRET) && !l.includes('auth_secret')), lines.join('\n'));
});

test('many credentials: withOptions derives a client cheaply (200 clients)', async () => {
  const base = new Avochato(mock.options());
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const clients = Array.from({ length: 200 }, (_, i) => base.withOptions({ authId: mock.authId, authSecret: SECRET, subdomain: i % 2 ? 'second-inbox' : 'test-account' }));
  const ms = performance.now() - started;
  const kb = (process.memoryUsage().heapUsed - before) / 1024;
  console.log(`200 derived clients: ${ms.toFixed(1)} ms, ${kb.toFixed(0)} KiB of heap`);
  assert.equal((await clients[1].verify()).account.subdomain, 'second-inbox');
  assert.equal((await clients[2].verify()).account.subdomain, 'test-account');
  const wrong = base.withOptions({ authSecret: 'another-secret-value' });
  await assert.rejects(wrong.verify(), pkg.AuthenticationError);
});

test('the package exports the client, its errors and normalizePhone, and none of its internals', async () => {
  const names = Object.keys(pkg).sort();
  for (const internal of ['ready', 'loading', 'makeError', 'BY_KIND']) assert.ok(!names.includes(internal), internal);
  const errors = names.filter((n) => /Error$/.test(n));
  for (const n of errors) assert.ok(pkg[n].prototype instanceof Error, n);
  // The minified bundles keep the class names (err.constructor.name, console output).
  for (const n of [...errors, 'Avochato', 'PageIterator']) assert.equal(pkg[n].name, n);
  assert.deepEqual(names.filter((n) => !/Error$/.test(n)),
    ['Avochato', 'PageIterator', '__decodeForTests', '__panicForTests', 'default', 'normalizePhone']);
  const cjs = (await import('node:module')).createRequire(import.meta.url)('../dist/node/index.cjs');
  assert.deepEqual(Object.keys(cjs).filter((n) => n !== '__esModule').sort(), names);
});

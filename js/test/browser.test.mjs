// A real browser: headless Chromium (a fresh profile per launch) loads a page from another loopback origin that imports
// the browser build, and calls avochato-mock cross-origin (CORS) or through a proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { createNodeProxy } from 'avochato/proxy';
import { root, startMock } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dist = resolve(root, 'js/dist');
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

let mock;
let server;
let origin;
let browser;
const proxied = [];
const authorized = [];

const PAGE = `<!doctype html><meta charset="utf-8"><title>avochato widget test</title>
<script type="module">
  import * as avochato from '/dist/web/index.js';
  window.avochato = avochato;
  window.ready = true;
</script>`;

/** The site's back end: the shipped proxy (avochato/proxy) adds the credentials the page never sees. */
let proxy;
/** Taps what the page sends before the proxy reads it (as a body parser would: `req.body`). */
async function tap(req, res) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  req.body = Buffer.concat(chunks);
  const sent = `${req.url} ${req.body.toString()}`;
  proxied.push({ widget: req.headers['x-widget'] ?? null, sentSecret: sent.includes('auth_secret') || sent.includes(mock.authSecret) });
  return proxy(req, res);
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (make test installs Debian's chromium)`);
  mock = await startMock();
  proxy = createNodeProxy({
    authId: mock.authId,
    authSecret: mock.authSecret,
    baseUrl: mock.url,
    prefix: '/api',
    allow: ['contacts.upsert', 'messages.send', 'messages.search'],
    authorize: (req, { operation, params }) => {
      authorized.push({ operation, params, widget: req.headers['x-widget'] ?? null });
      return true;
    },
  });
  server = createServer(async (req, res) => {
    try {
      if (req.url === '/' || req.url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(PAGE);
      }
      if (req.url.startsWith('/api/')) return await tap(req, res);
      if (req.url.startsWith('/dist/')) {
        const file = normalize(join(dist, req.url.slice('/dist/'.length).split('?')[0]));
        if (file.startsWith(dist) && existsSync(file)) {
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
          return res.end(readFileSync(file));
        }
      }
      res.writeHead(404);
      res.end();
    } catch (e) {
      res.writeHead(500);
      res.end(String(e));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  await mock?.stop();
});

async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 15000 });
  assert.deepEqual(errors, []);
  return page;
}

test('in a browser, a secret is refused without dangerouslyAllowBrowser', async () => {
  const page = await openPage();
  const r = await page.evaluate(({ url, id, secret }) => {
    const { Avochato, ValidationError } = window.avochato;
    try {
      new Avochato({ authId: id, authSecret: secret, baseUrl: url });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, validation: e instanceof ValidationError, message: e.message };
    }
  }, { url: mock.url, id: mock.authId, secret: mock.authSecret });
  assert.equal(r.thrown, true);
  assert.equal(r.validation, true);
  assert.match(r.message, /dangerouslyAllowBrowser/);
  assert.match(r.message, /proxy mode/);
  assert.ok(!r.message.includes(mock.authSecret));
  await page.close();
});

test('with dangerouslyAllowBrowser the page calls the API cross-origin', async () => {
  const page = await openPage();
  const r = await page.evaluate(async ({ url, id, secret }) => {
    const { Avochato, NotFoundError } = window.avochato;
    const c = new Avochato({ authId: id, authSecret: secret, baseUrl: url, dangerouslyAllowBrowser: true });
    const me = await c.verify();
    const sent = await c.messages.send({ phone: '+14155550170', message: 'from the browser' });
    let notFound = false;
    try { await c.messages.get({ id: 'nope' }); } catch (e) { notFound = e instanceof NotFoundError && e.status === 404; }
    let n = 0;
    for await (const _ of c.contacts.iter()) n++;
    return { inbox: me.account.subdomain, to: sent.to, notFound, contacts: n, origin: location.origin };
  }, { url: mock.url, id: mock.authId, secret: mock.authSecret });
  assert.notEqual(new URL(mock.url).origin, r.origin, 'another origin');
  assert.deepEqual({ ...r, origin: undefined }, { inbox: 'test-account', to: '+14155550170', notFound: true, contacts: 1, origin: undefined });
  await page.close();
});

test('proxy mode: no credentials in the page, a backend adds them', async () => {
  const page = await openPage();
  proxied.length = 0;
  authorized.length = 0;
  const r = await page.evaluate(async () => {
    const { Avochato } = window.avochato;
    const c = new Avochato({ baseUrl: '/api', headers: { 'X-Widget': 'support-chat' } });
    const contact = await c.contacts.upsert({ phone: '+14155550171', name: 'Widget Visitor' });
    const sent = await c.messages.send({ phone: contact.phone, message: 'via my backend' });
    const found = await c.messages.search({ query: 'backend' });
    return { to: sent.to, found: found.items.length };
  });
  assert.deepEqual(r, { to: '+14155550171', found: 1 });
  assert.ok(proxied.length >= 3);
  assert.ok(proxied.every((p) => p.widget === 'support-chat'), 'the extra header reached the backend');
  assert.ok(proxied.every((p) => p.sentSecret === false), 'the page sent no secret');
  assert.deepEqual(authorized.map((a) => a.operation), ['contacts.upsert', 'messages.send', 'messages.search']);
  assert.ok(authorized.every((a) => a.widget === 'support-chat'), 'the site\'s hook sees the page\'s header');
  assert.deepEqual(authorized[1].params, { phone: '+14155550171', message: 'via my backend' }, 'the hook sees what is sent');
  assert.ok(authorized.every((a) => !JSON.stringify(a.params).includes(mock.authSecret) && !('auth_id' in a.params)), 'never the credential');
  const upstream = await mock.requests('POST', '/v1/messages');
  assert.ok(upstream.some((u) => u.body.auth_id === mock.authId && u.body.message === 'via my backend'), 'the proxy added the credential');

  // What the page may not do is refused by the proxy, as the SDK's error classes, and never sent.
  await mock.control('POST', '/__mock/reset');
  const refused = await page.evaluate(async () => {
    const { Avochato, PermissionDeniedError } = window.avochato;
    const c = new Avochato({ baseUrl: '/api', maxRetries: 0 });
    const out = [];
    for (const call of [() => c.users.delete({ id: 'u-1' }), () => c.contacts.removeAll(), () => c.users.setMfaPhone({ id: 'u-1', phone: '+14155550100' })]) {
      try {
        await call();
        out.push('sent');
      } catch (e) {
        out.push(e instanceof PermissionDeniedError ? `${e.status} ${e.errors[0]}` : `${e.name}: ${e.message}`);
      }
    }
    return out;
  });
  assert.deepEqual(refused, [
    '403 `users.delete` is not allowed by this proxy',
    '403 `contacts.removeAll` is not allowed by this proxy',
    '403 `users.setMfaPhone` is not allowed by this proxy',
  ]);
  assert.deepEqual(await mock.requests(), [], 'nothing reached the API');
  await page.close();
});

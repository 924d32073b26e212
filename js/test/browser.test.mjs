// A real browser: headless Chromium (a fresh profile per launch) loads a page from another loopback origin that imports
// the browser build, and calls avochato-mock cross-origin (CORS) or through a proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { root, startMock } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dist = resolve(root, 'js/dist');
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

let mock;
let server;
let origin;
let browser;
const proxied = [];

const PAGE = `<!doctype html><meta charset="utf-8"><title>avochato widget test</title>
<script type="module">
  import * as avochato from '/dist/web/index.js';
  window.avochato = avochato;
  window.ready = true;
</script>`;

/** The user's own backend: adds the credentials the page never sees. */
async function proxy(req, res) {
  const url = new URL(req.url, origin);
  const target = new URL(url.pathname.replace(/^\/api/, '') + url.search, mock.url);
  let body;
  if (req.method === 'GET') {
    target.searchParams.set('auth_id', mock.authId);
    target.searchParams.set('auth_secret', mock.authSecret);
  } else {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const json = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    proxied.push({ widget: req.headers['x-widget'] ?? null, sentSecret: 'auth_secret' in json });
    body = JSON.stringify({ ...json, auth_id: mock.authId, auth_secret: mock.authSecret });
  }
  if (req.method === 'GET') proxied.push({ widget: req.headers['x-widget'] ?? null, sentSecret: url.searchParams.has('auth_secret') });
  const answer = await fetch(target, { method: req.method, headers: { 'content-type': 'application/json' }, body });
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(Buffer.from(await answer.arrayBuffer()));
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (make test installs Debian's chromium)`);
  mock = await startMock();
  server = createServer(async (req, res) => {
    try {
      if (req.url === '/' || req.url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(PAGE);
      }
      if (req.url.startsWith('/api/')) return await proxy(req, res);
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
  await page.close();
});

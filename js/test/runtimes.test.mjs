// The package installed from its tarball (npm pack) and run, as a new user's first script, in
// every runtime users deploy to: Node (ESM and CommonJS), Bun, Deno (--allow-net only) and
// Cloudflare's workerd (a module Worker bundled by wrangler). Each runs the same scenario
// (fixtures/consumer/scenario.mjs: send, page through contacts, a wrong secret, a bad phone)
// against avochato-mock on loopback; the runtimes come from npm packages (devDependencies).
// Writes the Worker's size as wrangler reports it to js/build/worker-size.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startMock } from './helpers.mjs';
import { bin, cleanEnv, freePort, inlineProbe, lastJson, pack, project, run, start, unavailable, waitForServer, workspace, writeSizes } from './consumer.mjs';

const skip = {
  bun: unavailable('bun'),
  deno: unavailable('deno'),
  wrangler: unavailable('wrangler'),
  workerd: unavailable('workerd'),
};

let mock;
let ws;
let app;
before(async () => {
  mock = await startMock();
  ws = workspace('avochato-runtimes-');
  const { tarball } = pack(ws.dir);
  app = await project(join(ws.dir, 'app'), {
    type: 'module',
    tarball,
    files: ['scenario.mjs', 'main.mjs', 'main.cjs', 'worker.mjs', 'wrangler.jsonc', 'proxy-worker.mjs', 'wrangler-proxy.jsonc'],
  });
});
after(async () => {
  await mock?.stop();
  ws?.cleanup();
});

/** The scenario's options: credentials and the mock's address, never the environment. */
const options = (tag) => JSON.stringify({ baseUrl: mock.url, authId: mock.authId, authSecret: mock.authSecret, tag });

/** What every runtime must print, and what the mock must have seen from it. */
async function check(out, tag, runtime, contactPagesBefore) {
  assert.deepEqual(out, {
    sentTo: `+1415${tag}${tag}${tag}0000`,
    pagedContacts: 7,
    wrongSecret: { name: 'AuthenticationError', authentication: true, avochato: true, status: 401 },
    badPhone: { name: 'ValidationError', validation: true, avochato: true, param: 'phone' },
    normalized: '+14155550123',
  });
  const posted = await mock.requests('POST', '/v1/messages');
  const mine = posted.filter((r) => r.body.message === `hello from ${tag}`);
  assert.equal(mine.length, 1, 'sent once');
  assert.match(mine[0].headers['x-avochato-client-user-agent'], new RegExp(`^avochato-js/\\S+ ${runtime}\\b`), 'the runtime names itself');
  assert.ok(!posted.some((r) => r.body.message === 'never sent'), 'a bad phone is refused before sending');
  const pages = (await mock.requests('GET', '/v1/contacts')).length - contactPagesBefore;
  assert.ok(pages >= 3, `paged through contacts 3 at a time (${pages} requests)`);
}

const contactPages = async () => (await mock.requests('GET', '/v1/contacts')).length;

test('Node: ESM import', async () => {
  const before = await contactPages();
  const { stdout } = await run(process.execPath, ['main.mjs', options('2')], { cwd: app });
  await check(lastJson(stdout), '2', 'node', before);
});

test('Node: CommonJS require', async () => {
  const before = await contactPages();
  const { stdout } = await run(process.execPath, ['main.cjs', options('3')], { cwd: app });
  await check(lastJson(stdout), '3', 'node', before);
});

// Bun resolves the package's `node` condition, and its `import` of CommonJS follows `__esModule`
// (which is what broke the Node entry's ESM face there once).
const bunEnv = () => cleanEnv({ DO_NOT_TRACK: '1' });

test('Bun: ESM import', { skip: skip.bun }, async () => {
  const before = await contactPages();
  const { stdout } = await run(bin('bun'), ['--no-install', 'main.mjs', options('4')], { cwd: app, env: bunEnv() });
  await check(lastJson(stdout), '4', 'bun', before);
});

test('Bun: CommonJS require', { skip: skip.bun }, async () => {
  const before = await contactPages();
  const { stdout } = await run(bin('bun'), ['--no-install', 'main.cjs', options('5')], { cwd: app, env: bunEnv() });
  await check(lastJson(stdout), '5', 'bun', before);
});

test('Deno: --allow-net only (no --allow-read, no --allow-env)', { skip: skip.deno }, async () => {
  const before = await contactPages();
  const net = new URL(mock.url).host;
  const env = cleanEnv({
    DENO_DIR: join(ws.dir, 'deno-cache'),
    DENO_NO_UPDATE_CHECK: '1',
    // Nothing is fetched: the package is in node_modules (a registry here would be a mistake).
    NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
  });
  const { stdout } = await run(bin('deno'), ['run', '--no-prompt', `--allow-net=${net}`, 'main.mjs', options('6')], { cwd: app, env });
  await check(lastJson(stdout), '6', 'deno', before);
});

/** wrangler without telemetry, update checks or Cloudflare's network (all offline). */
const wranglerEnv = () => cleanEnv({
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true', // the banner is where it checks for updates
  CLOUDFLARE_CF_FETCH_ENABLED: 'false', // wrangler dev fetches Request.cf from Cloudflare
  XDG_CONFIG_HOME: join(ws.dir, 'xdg'), // its config and logs, not the user's
  npm_config_registry: 'http://127.0.0.1:9/', // its update check asks the npm registry
  CI: 'true',
});

/**
 * A workerd config (written beside the bundles) for a Worker bundled by wrangler into
 * `outdir`, with text bindings and outbound traffic to loopback only.
 */
function workerdConfig(name, outdir, wasmFile, bindings) {
  const script = readdirSync(outdir).find((f) => f.endsWith('.js'));
  const capnp = join(ws.dir, `${name}.capnp`);
  const date = /"compatibility_date":\s*"([\d-]+)"/.exec(readFileSync(join(app, 'wrangler.jsonc'), 'utf8'))[1];
  const rel = outdir.slice(ws.dir.length + 1);
  const texts = Object.entries(bindings).map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`);
  writeFileSync(capnp, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "${script}", esModule = embed "${rel}/${script}"),
    (name = "${wasmFile}", wasm = embed "${rel}/${wasmFile}"),
  ],
  bindings = [ ${texts.join(', ')} ],
  compatibilityDate = "${date}",
  globalOutbound = "loopback",
);
`);
  return capnp;
}

test('workerd: a module Worker bundled by wrangler, served by workerd', { skip: skip.wrangler || skip.workerd }, async () => {
  const outdir = join(ws.dir, 'worker-out');
  const { stdout } = await run(bin('wrangler'), ['deploy', '--dry-run', '--outdir', outdir], { cwd: app, env: wranglerEnv() });
  // "Total Upload: 225.58 KiB / gzip: 98.34 KiB"
  const reported = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(stdout);
  assert.ok(reported, `wrangler printed the bundle size:\n${stdout}`);
  const files = readdirSync(outdir).filter((f) => !f.endsWith('.map') && f !== 'README.md');
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'one module, imported as a module');
  assert.ok(files.includes('worker.js'));
  const bundle = readFileSync(join(outdir, 'worker.js'));
  const sizes = {
    wrangler: { totalUploadKiB: Number(reported[1]), gzipKiB: Number(reported[2]), line: reported[0] },
    files: Object.fromEntries(files.map((f) => {
      const bytes = readFileSync(join(outdir, f));
      return [f.endsWith('.wasm') ? 'avochato.wasm' : f, { bytes: statSync(join(outdir, f)).size, gzip: gzipSync(bytes, { level: 9 }).length }];
    })),
  };
  assert.ok(!bundle.includes(inlineProbe(join(app, 'node_modules/avochato'))), 'the Worker does not carry the inline copy of the module as well');
  const where = writeSizes('worker-size.json', sizes);
  console.log(`# Worker bundle (wrangler): ${reported[0]} — written to ${where}`);

  // workerd itself, on the bundle wrangler made: outbound traffic to loopback only.
  const capnp = workerdConfig('worker', outdir, wasm[0], {});
  const port = await freePort();
  const server = start(bin('workerd'), ['serve', capnp, '--socket-addr', `http=127.0.0.1:${port}`], { cwd: ws.dir, env: cleanEnv() });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, 20_000, server);
    const before = await contactPages();
    const res = await fetch(url, { method: 'POST', body: options('7') });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    await check(JSON.parse(text), '7', 'workerd', before);
  } finally {
    await server.stop();
  }
});

test('workerd: wrangler dev (local, offline)', { skip: skip.wrangler }, async () => {
  const port = await freePort();
  const inspector = await freePort();
  const dev = start(bin('wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
    '--show-interactive-dev-session=false', '--log-level', 'warn'], { cwd: app, env: wranglerEnv() });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, 60_000, dev);
    const before = await contactPages();
    const res = await fetch(url, { method: 'POST', body: options('8') });
    const text = await res.text();
    assert.equal(res.status, 200, `${text}\n${dev.output()}`);
    await check(JSON.parse(text), '8', 'workerd', before);
    assert.doesNotMatch(dev.output(), /Uncaught|Invalid URL/);
  } finally {
    await dev.stop();
  }
});

test('workerd: avochato/proxy as a Worker forwards what it allows and refuses the rest, 0 requests upstream', { skip: skip.wrangler || skip.workerd }, async () => {
  const outdir = join(ws.dir, 'proxy-out');
  await run(bin('wrangler'), ['deploy', '--dry-run', '--config', 'wrangler-proxy.jsonc', '--outdir', outdir], { cwd: app, env: wranglerEnv() });
  const wasm = readdirSync(outdir).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'the proxy\'s module, imported as a module');
  const capnp = workerdConfig('proxy', outdir, wasm[0], {
    AVOCHATO_AUTH_ID: mock.authId, AVOCHATO_AUTH_SECRET: mock.authSecret, AVOCHATO_BASE_URL: mock.url,
  });
  const port = await freePort();
  const server = start(bin('workerd'), ['serve', capnp, '--socket-addr', `http=127.0.0.1:${port}`], { cwd: ws.dir, env: cleanEnv() });
  try {
    const base = `http://127.0.0.1:${port}/api/avochato`;
    await waitForServer(`${base}/v1/whoami`, 20_000, server);
    await mock.control('POST', '/__mock/reset');
    const sent = await fetch(`${base}/v1/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+14155550199', message: 'from the Worker proxy' }),
    });
    const sentText = await sent.text();
    assert.equal(sent.status, 200, sentText);
    const up = await mock.requests('POST', '/v1/messages');
    assert.equal(up.length, 1);
    assert.equal(up[0].body.auth_id, mock.authId, 'the Worker added the credential');
    const refused = await fetch(`${base}/v1/users`);
    const refusedText = await refused.text();
    assert.equal(refused.status, 403, refusedText);
    assert.equal((await mock.requests('GET', '/v1/users')).length, 0, 'nothing refused reached the API');
    for (const t of [sentText, refusedText, server.output()]) assert.ok(!t.includes(mock.authSecret), 'no secret in answers or logs');
  } finally {
    await server.stop();
  }
});

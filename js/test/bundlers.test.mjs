// The package installed from its tarball (npm pack) and bundled as a new user would, with no
// configuration: a widget page by esbuild (its default iife format, --bundle --minify, in a
// "type": "module" and in a "type": "commonjs" project) and by Vite (`vite build`, an entry
// HTML and nothing else), each loaded in headless Chromium from a loopback server and calling
// avochato-mock cross-origin; and a CommonJS Node handler bundled by
// `esbuild --bundle --platform=node` into one file, run alone in a folder of its own.
// Also checks what the tarball carries. Writes the widget bundles' sizes to
// js/build/widget-sizes.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startMock } from './helpers.mjs';
import { bin, cleanEnv, inlineProbe, lastJson, pack, project, run, serveDir, unavailable, workspace, writeSizes } from './consumer.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipVite = unavailable('vite');

let mock;
let ws;
let packed;
let esm; // "type": "module" project
let cjs; // "type": "commonjs" project
let browser;
const sizes = {};

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (make test installs Debian's chromium)`);
  mock = await startMock();
  ws = workspace('avochato-bundlers-');
  packed = pack(ws.dir);
  esm = await project(join(ws.dir, 'esm'), { type: 'module', tarball: packed.tarball, files: ['scenario.mjs', 'widget.js', 'index.html'] });
  cjs = await project(join(ws.dir, 'cjs'), { type: 'commonjs', tarball: packed.tarball, files: ['scenario.mjs', 'widget.js', 'handler.js'] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  ws?.cleanup();
  if (Object.keys(sizes).length > 0) {
    const where = writeSizes('widget-sizes.json', sizes);
    console.log(`# widget bundle sizes written to ${where}: ${JSON.stringify(sizes)}`);
  }
});

const options = (tag) => ({ baseUrl: mock.url, authId: mock.authId, authSecret: mock.authSecret, tag });

/** What the scenario must give, and what the mock must have seen. */
async function check(out, tag) {
  assert.deepEqual(out, {
    sentTo: `+1415${tag}${tag}${tag}0000`,
    pagedContacts: 7,
    wrongSecret: { name: 'AuthenticationError', authentication: true, avochato: true, status: 401 },
    badPhone: { name: 'ValidationError', validation: true, avochato: true, param: 'phone' },
    normalized: '+14155550123',
  });
  const posted = await mock.requests('POST', '/v1/messages');
  assert.equal(posted.filter((r) => r.body.message === `hello from ${tag}`).length, 1);
  assert.ok(!posted.some((r) => r.body.message === 'never sent'), 'a bad phone is refused before sending');
}

/** Loads a built site in Chromium (from its own loopback origin) and runs the widget there. */
async function runInBrowser(site, tag) {
  const server = await serveDir(site);
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().startsWith(mock.url)) problems.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => typeof window.widget?.run === 'function', null, { timeout: 15000 });
    const out = await page.evaluate((o) => window.widget.run(o), options(tag));
    // The mock answers the wrong secret with 401: Chromium logs that response as an error.
    const unexpected = problems.filter((p) => !/status of 401/.test(p));
    assert.deepEqual(unexpected, []);
    assert.notEqual(new URL(mock.url).origin, server.origin, 'the API is another origin (CORS)');
    await check(out, tag);
  } finally {
    await page.close();
    await server.close();
  }
}

const gz = (file) => {
  const bytes = readFileSync(file);
  return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

test('the tarball carries dist/ (each module inline once, plus its .wasm for workerd) and the licences', () => {
  const files = packed.files;
  for (const f of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'dist/wasm.mjs', 'dist/avochato.wasm']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  for (const f of files) assert.match(f, /^(dist\/|package\.json$|README\.md$|LICENSE-(MIT|APACHE)$)/, `${f}: nothing outside the files list`);
  // The client's module, and avochato/proxy's (the core with the proxy's decision: a server's,
  // kept out of the module every page loads).
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')).sort(), ['dist/avochato.wasm', 'dist/proxy.wasm'], 'one .wasm file per module');

  const installed = join(esm, 'node_modules/avochato');
  // Every target of the exports map is in the package.
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const targets = [];
  (function walk(v) {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  })(pkg.exports);
  for (const t of new Set([...targets, pkg.main, pkg.module, pkg.browser, pkg.types])) {
    assert.ok(existsSync(join(installed, t)), `${t} (named in package.json) is in the package`);
  }
  // The module's inline text is in dist/wasm.mjs only: no entry carries a copy of its own.
  const probe = inlineProbe(installed);
  const carriers = files.filter((f) => /\.(m?js|cjs)$/.test(f) && readFileSync(join(installed, f), 'utf8').includes(probe));
  assert.deepEqual(carriers, ['dist/wasm.mjs']);
  console.log(`# tarball: ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${files.length} files`);
});

/** esbuild as a new user runs it for a page: default (iife) format, --bundle --minify. */
async function esbuildWidget(dir) {
  const site = join(dir, 'site');
  mkdirSync(site, { recursive: true });
  const { stderr } = await run(bin('esbuild'), ['widget.js', '--bundle', '--minify', `--outfile=${join(site, 'widget.js')}`, '--log-level=warning'], { cwd: dir });
  assert.equal(stderr.trim(), '', 'esbuild has no warning');
  writeFileSync(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>avochato widget (esbuild)</title>\n<script src="widget.js"></script>\n');
  assert.deepEqual(readdirSync(site).sort(), ['index.html', 'widget.js'], 'one script: nothing to copy beside it');
  return site;
}

test('esbuild: a widget page (iife, --bundle --minify) runs in Chromium', async () => {
  const site = await esbuildWidget(esm);
  sizes.esbuild = gz(join(site, 'widget.js'));
  await runInBrowser(site, '2');
});

test('esbuild: the same widget in a "type": "commonjs" project runs in Chromium', async () => {
  const site = await esbuildWidget(cjs);
  sizes.esbuildCommonjsProject = gz(join(site, 'widget.js'));
  await runInBrowser(site, '3');
});

test('Vite: vite build of an entry HTML runs in Chromium', { skip: skipVite }, async () => {
  await run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: esm, env: cleanEnv({ NO_COLOR: '1' }) });
  const site = join(esm, 'dist');
  const assets = readdirSync(join(site, 'assets'));
  assert.deepEqual(assets.filter((f) => !f.endsWith('.js')), [], 'only scripts: no .wasm asset');
  const scripts = assets.map((f) => gz(join(site, 'assets', f)));
  sizes.vite = { bytes: scripts.reduce((n, s) => n + s.bytes, 0), gzip: scripts.reduce((n, s) => n + s.gzip, 0), files: assets.length };
  await runInBrowser(site, '4');
});

test('esbuild --bundle --platform=node: a CommonJS handler runs alone, reading no file', async () => {
  const out = join(cjs, 'out/handler.js');
  const { stderr } = await run(bin('esbuild'), ['handler.js', '--bundle', '--platform=node', `--outfile=${out}`, '--log-level=warning'], { cwd: cjs });
  assert.equal(stderr.trim(), '', 'esbuild has no warning');
  const alone = join(ws.dir, 'deployed');
  mkdirSync(alone);
  copyFileSync(out, join(alone, 'handler.js'));
  // Node's permission model: the process may read its handler and nothing else.
  const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  const script = `require('./handler.js').handler(${JSON.stringify(options('5'))}).then((r) => console.log(JSON.stringify(r)))`;
  const { stdout } = await run(process.execPath, ['--no-warnings', permission, `--allow-fs-read=${join(alone, 'handler.js')}`, '-e', script], { cwd: alone });
  await check(lastJson(stdout), '5');
  assert.deepEqual(readdirSync(alone), ['handler.js'], 'the handler alone');
});

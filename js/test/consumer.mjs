// The package as a user installs it: `npm pack` of js/ into a tarball, `npm install` of that
// tarball (offline) into throwaway projects, so tests see exactly what is published (the
// `files` list and the `exports` map). Also: running a tool with a time limit, serving a
// folder on loopback, and a clean environment (no AVOCHATO_* variables: credentials are
// passed as options).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { root } from './helpers.mjs';

export const js = resolve(root, 'js');
export const fixtures = resolve(js, 'test/fixtures/consumer');
/** The package's own devDependencies' executables (esbuild, vite, bun, deno, wrangler, workerd). */
export const bin = (name) => resolve(js, 'node_modules/.bin', name);

/** A temp folder removed by `cleanup()`. */
export function workspace(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment a child gets: this one without AVOCHATO_*, without colours, plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AVOCHATO_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs a command; resolves with its output, rejects with both streams in the message. */
export function run(cmd, args, { cwd, env = cleanEnv(), timeout = 120_000 } = {}) {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { cwd, env, timeout, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        error.message = `${cmd} ${args.join(' ')} failed (${error.code ?? error.signal}):\n${stderr}\n${stdout}`;
        return fail(error);
      }
      ok({ stdout, stderr });
    });
  });
}

/** The last line of the output, as JSON (what the scenario printed). */
export function lastJson(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** `npm pack` of js/ into `dir`: the tarball's path and the list npm gives of its files. */
export function pack(dir) {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: js, encoding: 'utf8', env: cleanEnv({ npm_config_loglevel: 'error' }),
  });
  const [info] = JSON.parse(out);
  return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/**
 * A consumer project at `dir`: its package.json (`type`: "module" or "commonjs"), the named
 * fixture files copied in, and the tarball installed with `npm install --offline`.
 */
export async function project(dir, { type, tarball, files = [] }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }, null, 2) + '\n');
  for (const f of files) copyFileSync(join(fixtures, f), join(dir, f));
  await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return dir;
}

/** Serves the files of `dir` on a loopback port; `/` is index.html, 404 for the rest. */
export async function serveDir(dir) {
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204); // the browser asks for one: not a missing file of the package's
      return res.end();
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A loopback port free at the time of asking. */
export async function freePort() {
  const s = createNetServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/**
 * Starts a long-running command in its own process group (so its children end with it);
 * `stop()` ends that group. `output()` is what it printed so far.
 */
export function start(cmd, args, { cwd, env }) {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d) => { text += d; });
  child.stderr.on('data', (d) => { text += d; });
  const exited = new Promise((ok) => child.once('exit', ok));
  return {
    child,
    output: () => text,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls `url` until the server there answers (any status), or throws after `ms`. */
export async function waitForServer(url, ms, proc) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { method: 'HEAD' });
      return;
    } catch (e) {
      if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
        throw new Error(`the server exited before answering:\n${proc.output()}`);
      }
      if (Date.now() > deadline) throw new Error(`no answer from ${url} after ${ms} ms: ${e.message}\n${proc?.output() ?? ''}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
}

/** Why a tool cannot run here (its npm package missing or its binary not working), or false. */
export function unavailable(name, args = ['--version']) {
  const path = bin(name);
  if (!existsSync(path)) return `${name} is not installed (js/node_modules/.bin/${name}: run scripts/setup.sh node)`;
  try {
    execFileSync(path, args, { stdio: 'pipe', timeout: 30_000 });
    return false;
  } catch (e) {
    return `${name} does not run on this machine: ${String(e.stderr || e.message).trim().split('\n')[0]}`;
  }
}

/** Where the tests leave the sizes they measured, for the benchmark report (not in the package). */
export function writeSizes(name, sizes) {
  const dir = resolve(js, 'build');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ measured: new Date().toISOString(), ...sizes }, null, 2) + '\n');
  return file;
}

/** 200 characters from the middle of the module's inline (base64) text in an installed package. */
export function inlineProbe(installed) {
  const text = /"([A-Za-z0-9+/=]{400,})"/.exec(readFileSync(join(installed, 'dist/wasm.mjs'), 'utf8'))[1];
  const mid = Math.floor(text.length / 2);
  return text.slice(mid, mid + 200);
}

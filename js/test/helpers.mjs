// Starts the real avochato-mock binary on a free loopback port, for one test file.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SECRET = 'sk_js_test_5d4c3b2a1f_DO_NOT_LEAK';
export const AUTH_ID = 'AC_js_1';

export async function startMock(extraArgs = []) {
  const bin = process.env.AVOCHATO_MOCK_BIN ?? resolve(root, 'target/debug/avochato-mock');
  const child = spawn(bin, ['--port', '0', '--auth-id', AUTH_ID, '--auth-secret', SECRET, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', ok);
    child.once('exit', (code) => fail(new Error(`avochato-mock exited with ${code}`)));
  });
  const url = first.replace('listening on ', '');
  const control = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    authId: AUTH_ID,
    authSecret: SECRET,
    options: (more = {}) => ({ authId: AUTH_ID, authSecret: SECRET, baseUrl: url, ...more }),
    fault: (f) => control('POST', '/__mock/faults', f),
    requests: async (method, path) => {
      const q = new URLSearchParams();
      if (method) q.set('method', method);
      if (path) q.set('path', path);
      return (await control('GET', `/__mock/requests?${q}`)).requests;
    },
    control,
    stop: () => new Promise((ok) => {
      child.once('exit', ok);
      child.kill('SIGTERM');
    }),
  };
}

/** Records which `resource.method` a client's calls go to. */
export function tracked(client) {
  const seen = new Set();
  const wrap = (resource, obj) =>
    new Proxy(obj, {
      get(target, prop) {
        const v = target[prop];
        if (typeof v !== 'function') return v;
        return (...args) => {
          seen.add(`${resource}.${String(prop)}`);
          return v.apply(target, args);
        };
      },
    });
  const proxy = new Proxy(client, {
    get(target, prop) {
      const v = target[prop];
      if (v && typeof v === 'object' && typeof prop === 'string') return wrap(prop, v);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { client: proxy, seen };
}

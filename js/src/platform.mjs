// What each runtime is, for the client: its name and version (sent in the SDK's identity
// header), whether it is a browser, and how to read an environment variable.

/** A server runtime: Node, Deno or Bun (environment variables are read). */
export function server() {
  const g = globalThis;
  const platform = {
    runtime: 'node',
    version: '',
    browser: false,
    envHidden: false,
    env(name) {
      try {
        const env = g.process?.env;
        if (env) return env[name];
        return g.Deno?.env?.get(name);
      } catch {
        // Deno without --allow-env refuses to read the environment.
        platform.envHidden = true;
        return undefined;
      }
    },
  };
  if (g.Deno?.version?.deno) {
    platform.runtime = 'deno';
    platform.version = g.Deno.version.deno;
  } else if (g.Bun?.version) {
    platform.runtime = 'bun';
    platform.version = g.Bun.version;
  } else if (g.process?.versions?.node) {
    platform.version = g.process.versions.node;
  }
  return platform;
}

/** A browser page or worker, or a runtime without an environment (workerd). */
export function web(runtime) {
  const g = globalThis;
  const isBrowser = runtime === undefined
    && ((typeof g.window !== 'undefined' && typeof g.document !== 'undefined') || typeof g.importScripts === 'function');
  return {
    runtime: runtime ?? (isBrowser ? 'browser' : 'web'),
    version: '',
    browser: isBrowser,
    envHidden: false,
    env: () => undefined,
  };
}

/**
 * The bytes of the module, from its base64 text (one copy in the package, `dist/wasm.mjs`;
 * `module` is that module as imported, or as `require` of an ES module gives it).
 */
export function fromBase64(module) {
  let text = module;
  while (text !== null && typeof text === 'object') text = text.default;
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  if (typeof globalThis.Buffer?.from === 'function') {
    const b = globalThis.Buffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

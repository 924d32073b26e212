// `avochato/proxy` in Node, Bun and Deno: the module is inflated and compiled synchronously
// at import, from the package's one inline copy (as the client's entry does).
import { inflateRawSync } from 'node:zlib';
import * as inline from 'avochato:wasm-base64';
import { initSync } from '../../build/pkg-proxy/avochato_wasm.js';
import { fromBase64, server } from '../platform.mjs';
import { proxyReady } from '../proxy.mjs';

initSync({ module: inflateRawSync(fromBase64(inline)) });
proxyReady(server());

export { createNodeProxy, createProxyHandler, ready } from '../proxy.mjs';

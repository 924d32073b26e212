// Node, Bun and Deno: the module is inflated and compiled synchronously at import, from the
// package's one inline copy (no file to read: bundled handlers and Deno need no permission).
import { inflateRawSync } from 'node:zlib';
import * as inline from 'avochato:wasm-base64';
import { initSync } from '../../build/pkg/avochato_wasm.js';
import { ready } from '../client.mjs';
import { nodeTransport } from '../node-transport.mjs';
import { fromBase64, server } from '../platform.mjs';

initSync({ module: inflateRawSync(fromBase64(inline)) });
const platform = server();
// Node: its own HTTP client (Bun and Deno keep their native fetch).
if (platform.runtime === 'node') platform.transport = nodeTransport();
ready(platform);

export * from '../public.mjs';
export { default } from '../public.mjs';

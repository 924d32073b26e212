// `avochato/proxy` in Cloudflare Workers (workerd): the module is imported as a module, as
// the client's entry does (compiling from bytes is not allowed there).
import wasmModule from 'avochato:wasm-module';
import { initSync } from '../../build/pkg-proxy/avochato_wasm.js';
import { web } from '../platform.mjs';
import { proxyReady } from '../proxy.mjs';

initSync({ module: wasmModule });
proxyReady(web('workerd'));

export { createNodeProxy, createProxyHandler, ready } from '../proxy.mjs';

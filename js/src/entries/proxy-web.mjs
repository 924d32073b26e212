// `avochato/proxy` where the module is compiled asynchronously (the `import` and `default`
// conditions: a runtime that is none of Node, Deno, Bun or workerd). A handler's first
// request waits for it.
import * as inline from 'avochato:wasm-base64';
import init from '../../build/pkg-proxy/avochato_wasm.js';
import { fromBase64, web } from '../platform.mjs';
import { proxyLoading } from '../proxy.mjs';

async function load() {
  const stream = new Blob([fromBase64(inline)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return init({ module_or_path: await new Response(stream).arrayBuffer() });
}
proxyLoading(web(), load());

export { createNodeProxy, createProxyHandler, ready } from '../proxy.mjs';

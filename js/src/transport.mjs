// How a request goes out and its answer comes back: `fetch` (every runtime, and any `fetch`
// option), or Node's own HTTP client (node-transport.mjs). A transport takes
// (url, method, headers, body, timeoutMs, signal) and resolves to an `Exchange`; it rejects
// with `TIMED_OUT` after `timeoutMs`, with `signal.reason` wrapped by the caller when the
// signal aborts, or with the runtime's error when the connection fails.

/** What a transport rejects with when the attempt ran past its timeout. */
export const TIMED_OUT = Symbol('timed out');

/** An answer: status, headers (`get`, `forEach`), the body's text, and `redirected`. */
export class Exchange {
  constructor(status, headers, text, redirected) {
    this.status = status;
    this.headers = headers;
    this.text = text;
    /** A browser's opaque redirect (`redirect: "manual"` hides it). */
    this.redirected = redirected;
  }
}

/** Through a `fetch` function: an `AbortController` per attempt stops it at the timeout. */
export function fetchTransport(fetchImpl) {
  return async (url, method, headers, body, timeoutMs, signal) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await fetchImpl(url, { method, headers, body, redirect: 'manual', signal: controller.signal });
      const text = await res.text();
      return new Exchange(res.status, res.headers, text, res.type === 'opaqueredirect');
    } catch (e) {
      if (timedOut && !signal?.aborted) throw TIMED_OUT;
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
}

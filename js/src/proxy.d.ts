// Declarations of `avochato/proxy` (hand-written; the operation names come from the
// generated declarations of the client).
import type { Avochato } from './index.js';

type Resource = { [K in keyof Avochato]: Avochato[K] extends (...args: never[]) => unknown ? never : K }[keyof Avochato];

/** An operation, as `resource.method` (`messages.send`, `tickets.updateStatus`). */
export type OperationName = { [R in Resource]: `${R & string}.${Exclude<keyof Avochato[R], 'iter'> & string}` }[Resource];

/** What the `authorize` hook is told about a request the policy allows. */
export interface ProxyRequestInfo {
  /** The operation the request is (`messages.send`); the most specific of `operations`. */
  operation: OperationName;
  /**
   * Every operation the request fits, all allowed (`['messages.sendLiveChat', 'messages.send']`
   * for a live-chat message: operations sharing a route are told apart by their parameters).
   */
  operations: readonly OperationName[];
  /**
   * The parameters as the API receives them, never the credentials: the path's values (`id`,
   * `ids`) and the query or JSON body as sent upstream, pinned values included
   * (`{ phone: 'avochato:c:...', message: 'Hi', subdomain: 'support' }`). A copy: changing it
   * changes nothing sent.
   */
  params: Record<string, unknown>;
}

export interface ProxyOptions<Req = Request> {
  /** The operations the page may call. A request that also fits another operation of its route is refused. */
  allow: readonly OperationName[];
  /** The credential id (default: AVOCHATO_AUTH_ID where there is an environment). */
  authId?: string;
  /** The credential secret (default: AVOCHATO_AUTH_SECRET). Never sent to the page, never logged. */
  authSecret?: string;
  /** The API's address (default: AVOCHATO_BASE_URL, else https://www.avochato.com). */
  baseUrl?: string;
  /** The inbox when neither `pin.subdomain` nor the page names one (default: AVOCHATO_SUBDOMAIN). */
  subdomain?: string;
  /** Parameter values forced on every call (`{ subdomain: 'support', from: '+14155550100' }`): added when absent, refused (403) when sent with another value. */
  pin?: Record<string, string | number | boolean | readonly string[]>;
  /** The mount path (`/api/avochato`); the page's `baseUrl`. Default: "". */
  prefix?: string;
  /** Origins of pages that may call from another origin (CORS); same-origin pages always may. `"*"`: any. */
  allowedOrigins?: readonly string[];
  /** Decides, before anything is sent, whether this visitor may make this request (its operations and parameters in `info`): `true` to go on, a `Response` to answer with, anything else for a 403. */
  authorize?: (request: Req, info: ProxyRequestInfo) => boolean | Response | Promise<boolean | Response>;
  /** The largest body accepted, in bytes (default 65536); larger is a 413. */
  maxBodyBytes?: number;
  /** Time allowed for the API's answer, in milliseconds (default 30000); then a 504. */
  timeoutMs?: number;
  /** The `fetch` to forward with (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Receives one line per request (what was decided, the status, the request id): never the secret. */
  log?: (line: string) => void;
}

/** A Fetch-API handler: Cloudflare Workers, Deno, Bun, Next.js route handlers. Throws a `ValidationError` for bad options. */
export function createProxyHandler(options: ProxyOptions<Request>): (request: Request) => Promise<Response>;

/** Node `http` server and Express/Connect middleware; requests outside `prefix` go to `next`. */
export function createNodeProxy<Req = unknown, Res = unknown>(
  options: ProxyOptions<Req>,
): (req: Req, res: Res, next?: (error?: unknown) => void) => Promise<void>;

/** Resolves once the WebAssembly module is ready (at once in Node, Deno, Bun and workerd). */
export function ready(): Promise<void>;

// avochato/proxy's declarations under tsc --strict: right calls accepted, wrong ones refused.
import { createNodeProxy, createProxyHandler, ready } from 'avochato/proxy';
import type { OperationName } from 'avochato/proxy';

const handler: (request: Request) => Promise<Response> = createProxyHandler({
  allow: ['messages.send', 'tickets.updateStatus', 'messages.sendLiveChat'],
  pin: { subdomain: 'support', from: '+14155550100' },
  prefix: '/api/avochato',
  allowedOrigins: ['https://www.example.com'],
  authorize: async (request, { operation }) => request.headers.has('cookie') && operation !== 'users.delete',
  maxBodyBytes: 8192,
  timeoutMs: 10_000,
  log: (line) => console.log(line),
});
void handler;
const node = createNodeProxy<{ headers: Record<string, string> }>({ allow: ['contacts.upsert'], authorize: (req) => req.headers['x-user'] !== undefined });
void node;
const name: OperationName = 'campaigns.removeContactRecursively';
void name;
void ready();

// @ts-expect-error not an operation
createProxyHandler({ allow: ['messages.sned'] });
// @ts-expect-error allow is required
createProxyHandler({ prefix: '/api' });
// @ts-expect-error not an option
createProxyHandler({ allow: ['messages.send'], origins: [] });

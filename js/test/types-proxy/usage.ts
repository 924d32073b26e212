// avochato/proxy's declarations under tsc --strict: right calls accepted, wrong ones refused.
import { createNodeProxy, createProxyHandler, ready } from 'avochato/proxy';
import type { OperationName, ProxyRequestInfo } from 'avochato/proxy';

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
// A live-chat widget: a live-chat message is also a messages.send, so the hook reads the phone.
const liveChat = createProxyHandler({
  allow: ['messages.sendLiveChat', 'messages.send'],
  authorize: (_request, { operations, params }) => {
    const first: OperationName | undefined = operations[0];
    void first;
    return typeof params.phone === 'string' && params.phone.startsWith('avochato:');
  },
});
void liveChat;
const info: ProxyRequestInfo = { operation: 'messages.send', operations: ['messages.send'], params: { phone: '+14155550100' } };
void info;
// @ts-expect-error params are unknown until checked
createProxyHandler({ allow: ['messages.send'], authorize: (_r, { params }) => params.phone.startsWith('avochato:') });
// @ts-expect-error operations is read-only
createProxyHandler({ allow: ['messages.send'], authorize: (_r, { operations }) => operations.push('users.delete') > 0 });
const name: OperationName = 'campaigns.removeContactRecursively';
void name;
void ready();

// @ts-expect-error not an operation
createProxyHandler({ allow: ['messages.sned'] });
// @ts-expect-error allow is required
createProxyHandler({ prefix: '/api' });
// @ts-expect-error not an option
createProxyHandler({ allow: ['messages.send'], origins: [] });

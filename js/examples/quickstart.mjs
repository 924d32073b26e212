// The Node quickstart: node examples/quickstart.mjs
// Reads AVOCHATO_AUTH_ID, AVOCHATO_AUTH_SECRET, AVOCHATO_BASE_URL (make demo points them at avochato-mock).
import { Avochato, ValidationError } from 'avochato';

const client = new Avochato();

const me = await client.verify();
console.log(`node: signed in to inbox ${me.account.subdomain} as ${me.user.name}`);

const contact = await client.contacts.upsert({ phone: '+14155550124', name: 'Grace Hopper', plan: 'gold' });
console.log(`node: contact ${contact.id} (${contact.phone}) plan=${contact.plan}`);

const sent = await client.messages.send({ phone: contact.phone, message: 'Hello from Node!' });
console.log(`node: sent message ${sent.event_id} to ${sent.to}`);

let count = 0;
for await (const c of client.contacts.iter()) count += c.id ? 1 : 0;
console.log(`node: ${count} contact(s) in the inbox`);

try {
  await client.messages.send({ phone: contact.phone, message: '' });
} catch (e) {
  if (!(e instanceof ValidationError)) throw e;
  console.log(`node: refused before sending: ${e.message}`);
}

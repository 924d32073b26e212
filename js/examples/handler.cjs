// A serverless-style function (for example next to Salesforce): CommonJS, credentials from
// the function's environment (AVOCHATO_AUTH_ID, AVOCHATO_AUTH_SECRET, AVOCHATO_BASE_URL).
const { Avochato, AvochatoError } = require('avochato');

const client = new Avochato();

exports.handler = async (event) => {
  try {
    const message = await client.messages.send({ phone: event.phone, message: event.text });
    return { statusCode: 200, body: JSON.stringify({ id: message.event_id, to: message.to }) };
  } catch (e) {
    if (!(e instanceof AvochatoError)) throw e;
    return { statusCode: e.status ?? 400, body: JSON.stringify({ error: e.kind, message: e.message }) };
  }
};

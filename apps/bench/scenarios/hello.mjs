/* hello: the smallest response, 13 bytes of text. It measures what the server itself costs. */
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'text/plain';
const BODY = Buffer.from('Hello, World!');

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'hello',
  summary: 'a 13-byte text body',
  load: { method: 'GET', connections: 64 },
  expected: { status: 200, contentType: TYPE, body: BODY },
};

/** @type {import('../src/scenario.js').ScenarioModule['node']} */
export function node(_req, res) {
  sendNode(res, TYPE, BODY);
}

/** @type {import('../src/scenario.js').ScenarioModule['fetch']} */
export function fetch() {
  return sendFetch(TYPE, BODY);
}

/** @type {import('../src/scenario.js').ScenarioModule['uws']} */
export function uws(res) {
  sendUws(res, TYPE, BODY);
}

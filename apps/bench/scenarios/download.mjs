/* download: a 1 MiB body from memory; it measures how a server pushes bytes and copes with
   back-pressure. */
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'application/octet-stream';
const BODY = Buffer.alloc(1024 * 1024, 'narwhal ');

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'download',
  summary: 'a 1 MiB body',
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

/* cpu: about 10 ms of CPU per request, the case Gunicorn answers with more processes or threads.
   The work is PBKDF2-SHA256 (OpenSSL in Node and in Python alike), so every target burns the
   same CPU and returns the same 64 hex digits. It blocks the event loop, as JavaScript work would. */
import { pbkdf2Sync } from 'node:crypto';
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'text/plain';
/** About 10 ms on this project's machine (0.42 µs per iteration). */
const ITERATIONS = 24_000;

function work() {
  return pbkdf2Sync('narwhal', 'bench', ITERATIONS, 32, 'sha256').toString('hex');
}

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'cpu',
  summary: 'about 10 ms of CPU per request (PBKDF2)',
  load: { method: 'GET', connections: 64 },
  expected: { status: 200, contentType: TYPE, body: Buffer.from(work()) },
};

/** @type {import('../src/scenario.js').ScenarioModule['node']} */
export function node(_req, res) {
  sendNode(res, TYPE, work());
}

/** @type {import('../src/scenario.js').ScenarioModule['fetch']} */
export function fetch() {
  return sendFetch(TYPE, work());
}

/** @type {import('../src/scenario.js').ScenarioModule['uws']} */
export function uws(res) {
  sendUws(res, TYPE, work());
}

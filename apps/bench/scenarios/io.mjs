/* io: every request awaits 20 ms (a database or an upstream call) with 512 clients connected,
   the case Gunicorn answers with gevent: throughput comes from how many requests wait at once. */
import { setTimeout as sleep } from 'node:timers/promises';
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'text/plain';
const BODY = Buffer.from('waited 20 ms');
const WAIT_MS = 20;

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'io',
  summary: 'an await of 20 ms per request, 512 connections',
  load: { method: 'GET', connections: 512 },
  expected: { status: 200, contentType: TYPE, body: BODY },
};

/** @type {import('../src/scenario.js').ScenarioModule['node']} */
export async function node(_req, res) {
  await sleep(WAIT_MS);
  sendNode(res, TYPE, BODY);
}

/** @type {import('../src/scenario.js').ScenarioModule['fetch']} */
export async function fetch() {
  await sleep(WAIT_MS);
  return sendFetch(TYPE, BODY);
}

/** @type {import('../src/scenario.js').ScenarioModule['uws']} */
export function uws(res) {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  setTimeout(() => {
    if (!aborted) sendUws(res, TYPE, BODY);
  }, WAIT_MS);
}

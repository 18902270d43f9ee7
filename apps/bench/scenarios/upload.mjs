/* upload: a 64 KiB POST body, read to the end and answered with its length; it measures how a
   server reads request bodies. */
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'text/plain';
const BODY_BYTES = 64 * 1024;

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'upload',
  summary: 'a 64 KiB POST echoed as its length',
  load: { method: 'POST', connections: 64, requestBodyBytes: BODY_BYTES },
  expected: { status: 200, contentType: TYPE, body: Buffer.from(String(BODY_BYTES)) },
};

/** @type {import('../src/scenario.js').ScenarioModule['node']} */
export function node(req, res) {
  let length = 0;
  req.on('data', (/** @type {Buffer} */ chunk) => {
    length += chunk.length;
  });
  req.on('end', () => sendNode(res, TYPE, String(length)));
}

/** @type {import('../src/scenario.js').ScenarioModule['fetch']} */
export async function fetch(request) {
  let length = 0;
  if (request.body) for await (const chunk of request.body) length += chunk.byteLength;
  return sendFetch(TYPE, String(length));
}

/** @type {import('../src/scenario.js').ScenarioModule['uws']} */
export function uws(res) {
  let length = 0;
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  res.onData((chunk, isLast) => {
    length += chunk.byteLength;
    if (isLast && !aborted) sendUws(res, TYPE, String(length));
  });
}

/* json: a ~1 KB JSON document built and serialised for every request, as an API handler does. */
import { sendFetch, sendNode, sendUws } from './respond.mjs';

const TYPE = 'application/json';

/** A fresh catalogue page; wsgi_apps.py builds the same one, so the bytes match. */
export function buildDocument() {
  const items = [];
  for (let id = 1; id <= 10; id++) {
    items.push({ id, name: `item-${id}`, sku: `NW-${1000 + id}`, priceCents: 100 * id + 99, inStock: id % 3 !== 0, tags: ['narwhal', 'bench'] });
  }
  return { service: 'narwhal-bench', page: 1, count: items.length, items };
}

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  name: 'json',
  summary: 'a ~1 KB JSON document built per request',
  load: { method: 'GET', connections: 64 },
  expected: { status: 200, contentType: TYPE, body: Buffer.from(JSON.stringify(buildDocument())) },
};

/** @type {import('../src/scenario.js').ScenarioModule['node']} */
export function node(_req, res) {
  sendNode(res, TYPE, JSON.stringify(buildDocument()));
}

/** @type {import('../src/scenario.js').ScenarioModule['fetch']} */
export function fetch() {
  return sendFetch(TYPE, JSON.stringify(buildDocument()));
}

/** @type {import('../src/scenario.js').ScenarioModule['uws']} */
export function uws(res) {
  sendUws(res, TYPE, JSON.stringify(buildDocument()));
}

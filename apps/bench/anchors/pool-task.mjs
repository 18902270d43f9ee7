/* A pool-server.mjs thread: runs the scenario's Fetch handler on one request head and returns
   the answer as plain data, which piscina posts back to the main thread. */
import { workerData } from 'piscina';

/** @type {import('../src/scenario.js').ScenarioModule} */
const scenario = await import(new URL(`../scenarios/${workerData.scenario}.mjs`, import.meta.url).href);

export default async function run({ method, url, headers }) {
  const init = new Headers();
  for (let index = 0; index < headers.length; index += 2) init.append(headers[index], headers[index + 1]);
  const response = await scenario.fetch(new Request(`http://${init.get('host') ?? 'localhost'}${url}`, { method, headers: init }));
  return { status: response.status, headers: [...response.headers].flat(), body: new Uint8Array(await response.arrayBuffer()) };
}

/* The bare uWebSockets.js anchor: one process serving a scenario's uWS handler. The harness
   starts N of them on one port; uWS sets SO_REUSEPORT and the kernel spreads connections. With
   --cert and --key it is uWS's SSLApp (the TLS workloads). */
import uWS from 'uWebSockets.js';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' } } });
// This build falls back to a slow JavaScript imitation on a Node without its binary; measuring
// that would be a lie, so refuse.
if (!/native code/.test(uWS.App.toString())) {
  process.stderr.write('uWebSockets.js has no native binary for this Node version\n');
  process.exit(2);
}
/** @type {import('../src/scenario.js').ScenarioModule} */
const scenario = await import(new URL(`../scenarios/${values.scenario}.mjs`, import.meta.url).href);

(values.cert ? uWS.SSLApp({ cert_file_name: values.cert, key_file_name: values.key }) : uWS.App())
  .any('/*', scenario.uws)
  .listen('127.0.0.1', Number(values.port), (token) => {
    if (!token) {
      process.stderr.write(`uWS could not listen on port ${values.port}\n`);
      process.exit(1);
    }
  });

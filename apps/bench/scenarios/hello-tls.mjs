/* hello-tls: hello over TLS, with a certificate the harness makes at start. It measures what the
   TLS layer costs each server: every TLS target serves the same handlers as on hello. */
import { fetch, node, scenario as hello, uws } from './hello.mjs';

export { fetch, node, uws };

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  ...hello,
  name: 'hello-tls',
  summary: 'a 13-byte text body over TLS (kept-alive connections: the handshakes are in the warm-up)',
  load: { ...hello.load, tls: true },
};

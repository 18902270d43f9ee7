/* hello-h2: hello over HTTP/2, cleartext with prior knowledge (h2c), measured with h2load: 64
   connections of 10 concurrent streams each. It measures what the HTTP/2 layer costs each server:
   every HTTP/2 target serves the same handlers as on hello. */
import { fetch, node, scenario as hello, uws } from './hello.mjs';

export { fetch, node, uws };

/** @type {import('../src/scenario.js').ScenarioInfo} */
export const scenario = {
  ...hello,
  name: 'hello-h2',
  summary: 'a 13-byte text body over h2c (64 connections × 10 concurrent streams, h2load)',
  load: { ...hello.load, http2: true },
};

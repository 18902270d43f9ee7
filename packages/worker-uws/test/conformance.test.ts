import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';
import { ENGINE_DEVIATIONS } from './engine-deviations.js';

const ECHO_STALLS = "uWebSockets.js's pause() stops a socket's writes as well as its reads, so a response streamed while a large request body is still read can stall (packages/worker-uws/README.md, Known limits)";

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  // uWebSockets.js can neither share a unix socket between processes nor adopt an inherited one.
  refuses: { binds: ['unix', 'fd'] },
  deviations: ENGINE_DEVIATIONS,
  skip: {
    'expect-continue/mixed-case': 'uWebSockets.js sends 100 Continue only for the lower-case spelling, and its API cannot send one',
    'large-bodies/echo-node': ECHO_STALLS,
    'large-bodies/echo-fetch': ECHO_STALLS,
  },
});

import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';
import { ENGINE_DEVIATIONS } from './engine-deviations.js';

const ECHO_STALLS = "uWebSockets.js's pause() stops a socket's writes as well as its reads, so a response streamed while a large request body is still read can stall (packages/worker-uws/README.md, Known limits)";

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  // uWebSockets.js can neither share a unix socket between processes nor adopt an inherited one,
  // and its PROXY parser reads a header at every request and none over 36 bytes (src/index.ts).
  refuses: { binds: ['unix', 'fd'], proxyProtocol: true },
  deviations: ENGINE_DEVIATIONS,
  skip: {
    'expect-continue/mixed-case': 'uWebSockets.js sends 100 Continue only for the lower-case spelling, and its API cannot send one',
    'large-bodies/echo-node': ECHO_STALLS,
    'large-bodies/echo-fetch': ECHO_STALLS,
    'tls/cert-reqs-2': 'uWebSockets.js lets a client without a certificate through and cannot tell the app, so -k uws refuses --cert-reqs 2 at startup (test/tls-refusals.test.ts)',
    'tls/handshake-timeout': "uWebSockets.js closes a connection whose handshake is not over after its own 10 s idle timeout; --header-timeout does not change it (README, Known limits)",
  },
});

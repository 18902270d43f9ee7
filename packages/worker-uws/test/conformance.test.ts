import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';
import { ENGINE_DEVIATIONS } from './engine-deviations.js';

const ECHO_STALLS = "uWebSockets.js's pause() stops a socket's writes as well as its reads, so a response streamed while a large request body is still read can stall (packages/worker-uws/README.md, Known limits)";

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  // uWebSockets.js can neither share a unix socket between processes nor adopt an inherited one.
  refuses: { binds: ['unix', 'fd'], proxyProtocolV1: true, proxyProtocolTls: true },
  deviations: ENGINE_DEVIATIONS,
  skip: {
    'expect-continue/mixed-case': 'uWebSockets.js sends 100 Continue only for the lower-case spelling, and its API cannot send one',
    'large-bodies/echo-node': ECHO_STALLS,
    'large-bodies/echo-fetch': ECHO_STALLS,
    'tls/cert-reqs-2': 'uWebSockets.js lets a client without a certificate through and cannot tell the app, so -k uws refuses --cert-reqs 2 at startup (test/tls-refusals.test.ts)',
    'proxy-protocol/no-header': 'uWebSockets.js reports no client for a missing header as for a LOCAL one (a health check), so -k uws serves both with the peer\'s own address (settings.md, proxyProtocol)',
    'proxy-protocol/long-v2': "uWebSockets.js reads at most 36 bytes of addresses and TLVs (an IPv6 header's addresses alone): a longer header is never complete, and the connection waits for its idle timeout (README, Known limits)",
    'proxy-protocol/second-v2-header': 'uWebSockets.js reads a PROXY header at the start of every request, not only the first on a connection, and takes its client (README, Known limits)',
    'proxy-protocol/malformed-v2': "uWebSockets.js reads the PROXY header itself and takes any command byte of version 2 for PROXY",
    'proxy-protocol/header-timeout': "uWebSockets.js reads the PROXY header itself and closes a connection that stalls in it after its own idle timeout; --header-timeout does not change it",
    'tls/handshake-timeout': "uWebSockets.js closes a connection whose handshake is not over after its own 10 s idle timeout; --header-timeout does not change it (README, Known limits)",
  },
});

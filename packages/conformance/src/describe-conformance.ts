// Design: the kit's one entry point. A class's test file calls it with what the class is and
// what its model cannot do; it registers every suite as vitest describe blocks under one
// title, and owns the cleanup of every process those suites spawn, whether a test passed or not.

import { afterAll, afterEach, describe } from 'vitest';
import { removeFixtures } from './fixtures.js';
import { createKit, SUITE_IDS, type ConformanceOptions, type Kit } from './kit.js';
import { stopAll } from './start-narwhal.js';
import { accessLogSuite } from './suites/access-log.js';
import { appContractsSuite } from './suites/app-contracts.js';
import { bindsSuite } from './suites/binds.js';
import { bootSuite } from './suites/boot.js';
import { chaosSuite } from './suites/chaos.js';
import { corpusSuite } from './suites/corpus.js';
import { expectContinueSuite } from './suites/expect-continue.js';
import { faultsSuite } from './suites/faults.js';
import { fuzzSuite } from './suites/fuzz.js';
import { halfCloseSuite } from './suites/half-close.js';
import { heartbeatTimeoutSuite } from './suites/heartbeat-timeout.js';
import { largeBodiesSuite } from './suites/large-bodies.js';
import { limitsSuite } from './suites/limits.js';
import { loopLagSuite } from './suites/loop-lag.js';
import { maxRequestsSuite } from './suites/max-requests.js';
import { metricsSuite } from './suites/metrics.js';
import { pipeliningSuite } from './suites/pipelining.js';
import { requestTimeoutSuite } from './suites/request-timeout.js';
import { retireUnderLoadSuite } from './suites/retire-under-load.js';
import { slowClientsSuite } from './suites/slow-clients.js';
import { statusSuite } from './suites/status.js';
import { stopSuite } from './suites/stop.js';
import { supervisionSuite } from './suites/supervision.js';
import { tlsSuite } from './suites/tls.js';
import { proxyProtocolSuite } from './suites/proxy-protocol.js';
import { websocketSuite } from './suites/websocket.js';

/** In the order of SUITE_IDS. */
const SUITES: readonly ((kit: Kit) => void)[] = [
  bootSuite,
  appContractsSuite,
  corpusSuite,
  halfCloseSuite,
  pipeliningSuite,
  expectContinueSuite,
  largeBodiesSuite,
  slowClientsSuite,
  limitsSuite,
  heartbeatTimeoutSuite,
  requestTimeoutSuite,
  loopLagSuite,
  maxRequestsSuite,
  stopSuite,
  accessLogSuite,
  metricsSuite,
  statusSuite,
  supervisionSuite,
  bindsSuite,
  retireUnderLoadSuite,
  faultsSuite,
  chaosSuite,
  fuzzSuite,
  tlsSuite,
  proxyProtocolSuite,
  websocketSuite,
];

/**
 * Registers the conformance suites for one worker class: boot, both app contracts, the request
 * corpus (every case under both contracts), half-close, pipelining, `Expect: 100-continue`,
 * large bodies, slow clients, limits, heartbeat and timeout, request deadlines, load shedding,
 * max-requests, graceful and quick stop, the access log, the metrics, `narwhal status`,
 * supervision, the refusals the class declares, HTTPS, the PROXY protocol, and the Fetch
 * contract's WebSockets. Each spawns the real
 * `narwhal` CLI with `-k options.workerClass` on `127.0.0.1:0`.
 *
 * @example
 * describeConformance({ workerClass: '@acme/narwhal-worker-fast', refuses: { binds: ['unix'] } });
 */
export function describeConformance(options: ConformanceOptions): void {
  for (const key of Object.keys(options.skip ?? {})) {
    if (!(SUITE_IDS as readonly string[]).includes(key) && !key.includes('/')) throw new Error(`skip: ${key} is neither a suite (${SUITE_IDS.join(', ')}) nor a corpus case id`);
  }
  describe(`narwhal conformance: -k ${options.workerClass}`, () => {
    const kit = createKit(options);
    afterEach(async () => {
      await stopAll();
    });
    afterAll(async () => {
      await stopAll('all');
      removeFixtures();
    });
    for (const suite of SUITES) suite(kit);
  });
}

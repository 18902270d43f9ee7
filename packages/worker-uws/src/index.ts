// Design: `-k uws`, the fastest class: uWebSockets.js in every worker. It cannot adopt
// inherited sockets, so it declares `inheritsListeners: false`: the arbiter binds nothing,
// resolves port 0 once, and each worker binds the same addresses with SO_REUSEPORT. Closing a
// reuseport listener resets the connections still in its queue unless the kernel migrates them
// (net.ipv4.tcp_migrate_req=1), which the arbiter checks and explains at startup.

import { readFileSync } from 'node:fs';
import { defineWorkerClass, listedProtocols, minimumTlsVersion, NarwhalError, parseBindAddress, refuseParserLeniency, type LeniencyRefusals } from '@narwhal/core/worker-class';
import { uwsTlsProblem } from './ssl-app-options.js';

const MIGRATE_REQ = '/proc/sys/net/ipv4/tcp_migrate_req';
const HEAD_CEILING = 4 * 1024 * 1024;
/** uWS answers 431 past this many header fields (UWS_HTTP_MAX_HEADERS_COUNT, fixed when the binary is built). */
const ENGINE_MAX_FIELDS = 98;
const DEFAULT_MAX_FIELDS = 100;
/** uWebSockets.js refuses (and aborts the process on) a shorter WebSocket idle timeout. */
const UWS_MIN_IDLE_TIMEOUT = 8;
/** uWebSockets.js 20.51 passes any method through (so the method switches are honoured) and decides the rest itself. */
const UWS_REFUSALS: LeniencyRefusals = {
  permitObsoleteFolding: 'uWebSockets.js answers 400 to obs-fold before JavaScript runs',
  stripHeaderSpaces: 'uWebSockets.js answers 400 to whitespace before the colon before JavaScript runs',
  permitUnconventionalHttpVersion: 'uWebSockets.js serves HTTP/1.1 only and answers 505 to any other version before JavaScript runs',
};

/** uWebSockets.js parses PROXY headers itself, before JavaScript sees a byte, so its flaws cannot be worked around. */
const PROXY_REFUSAL =
  "--proxy-protocol: -k uws cannot read PROXY headers safely: uWebSockets.js's own parser takes one at the start of every request on a connection, so a client behind a TCP balancer could name any address, and never completes one over 36 bytes (IPv6 with TLVs, AWS PrivateLink); use -k async";

/** `-k uws`: uWebSockets.js, SO_REUSEPORT binds in each worker, both app contracts. */
export const UwsWorker = defineWorkerClass({
  name: 'uws',
  tls: true,
  nativeInterface: 'fetch',
  inheritsListeners: false,
  // uWS has WebSockets of its own, but no Node sockets to hand to an app's upgrade listeners.
  upgrades: ['fetch'],
  checkConfig(settings, log) {
    refuseParserLeniency(settings, 'uws', UWS_REFUSALS);
    // Refused here rather than by the arbiter's generic line (the class does not declare
    // proxyProtocol), to say why: uWS's parser is the only way in, and it cannot be made safe.
    if (settings.proxyProtocol !== 'off') throw new NarwhalError('NARWHAL_E_SETTING', PROXY_REFUSAL);
    if (listedProtocols(settings.httpProtocols).includes('h2')) {
      throw new NarwhalError('NARWHAL_E_SETTING', '--http-protocols h2: -k uws serves HTTP/1.1 only: uWebSockets.js has no HTTP/2; use -k async');
    }
    for (const text of settings.bind) {
      const address = parseBindAddress(text);
      if (address.kind === 'unix') throw new NarwhalError('NARWHAL_E_SETTING', `bind: -k uws cannot serve ${text}: uWebSockets.js unix sockets cannot be shared, so a second worker would silently take the path over; use a TCP address, or -k async`);
      if (address.kind === 'fd') throw new NarwhalError('NARWHAL_E_SETTING', `bind: -k uws cannot serve ${text}: uWebSockets.js cannot adopt an inherited socket; use a TCP address, or -k async`);
    }
    if (settings.certfile !== null) {
      // The files themselves are checked by core; what uWS can do with them is checked here.
      const problem = uwsTlsProblem({ minVersion: minimumTlsVersion(settings.sslVersion), requestCert: settings.certReqs > 0, rejectUnauthorized: settings.certReqs === 2, ca: settings.caCerts ?? undefined });
      if (problem !== undefined) throw new NarwhalError('NARWHAL_E_TLS', problem);
    }
    const idle = settings.websocketIdleTimeout;
    if (idle > 0 && idle < UWS_MIN_IDLE_TIMEOUT) throw new NarwhalError('NARWHAL_E_SETTING', `--websocket-idle-timeout: -k uws needs 0 or at least ${UWS_MIN_IDLE_TIMEOUT} seconds, not ${idle} (uWebSockets.js counts in 4-second steps)`);
    // Only a limit raised above the default is worth a line: the default's last 2 fields are noise.
    if (settings.limitRequestFields === 0 || settings.limitRequestFields > DEFAULT_MAX_FIELDS) {
      log.warning(`--limit-request-fields ${settings.limitRequestFields}: uWebSockets.js answers 431 to requests with more than ${ENGINE_MAX_FIELDS} header fields, whatever this setting says; use -k async for more`);
    }
    if (readMigrateReq() === '0') {
      log.warning(
        'net.ipv4.tcp_migrate_req is 0: when a uws worker closes its listener (reload, TTOU, max-requests, a crash), connections still queued on it are reset; `sysctl -w net.ipv4.tcp_migrate_req=1` lets the kernel hand them to a sibling',
      );
    }
  },
  async serve(context) {
    // uWS must buffer a whole request head before core's limits can answer 414/431 for it; heads
    // beyond this ceiling are dropped by uWS itself. It reads the variable once, at load.
    process.env.UWS_HTTP_MAX_HEADERS_SIZE ??= String(HEAD_CEILING);
    // Imported here: the arbiter imports this module to check the class and must not load uWS or the service.
    const [{ loadEngine }, { UwsService }] = await Promise.all([import('./engine.js'), import('./service.js')]);
    const { engine, name } = loadEngine();
    context.log.debug(`uws engine: ${name}`);
    const service = new UwsService(context, engine);
    await service.start();
    return service;
  },
});

function readMigrateReq(): string | undefined {
  try {
    return readFileSync(MIGRATE_REQ, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export default UwsWorker;

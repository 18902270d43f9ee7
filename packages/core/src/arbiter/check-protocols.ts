// Design: HTTP/2 and the PROXY protocol are proved possible once in the arbiter, before any
// worker is spawned, as TLS is (check-tls.ts): the class must declare them (a class that would
// ignore them half-works), and h2 needs a way in (ALPN over TLS, or h2c with prior knowledge).
// Each problem is one line naming the setting.

import { NarwhalError } from '../errors.js';
import { listedProtocols } from '../config/settings.js';
import type { Settings } from '../config/types.js';
import type { WorkerClass } from '../worker/contract.js';

export function checkProtocols(settings: Readonly<Settings>, workerClass: WorkerClass): void {
  if (settings.proxyProtocol !== 'off' && workerClass.proxyProtocol !== true) {
    throw settingError(`--proxy-protocol: -k ${workerClass.name} cannot read PROXY headers (its worker class does not declare \`proxyProtocol: true\`); use -k sync, gthread or async`);
  }
  const h2 = listedProtocols(settings.httpProtocols).includes('h2');
  if (settings.http2Cleartext === 'prior-knowledge' && !h2) throw settingError('--http2-cleartext prior-knowledge: add h2 to --http-protocols (--http-protocols h1,h2)');
  if (!h2) return;
  if (workerClass.http2 !== true) throw settingError(`--http-protocols h2: -k ${workerClass.name} serves HTTP/1.1 only (its worker class does not declare \`http2: true\`); use -k async`);
  if (settings.certfile === null && settings.http2Cleartext !== 'prior-knowledge') throw settingError('--http-protocols h2: HTTP/2 needs TLS (--certfile, negotiated by ALPN) or --http2-cleartext prior-knowledge');
}

function settingError(message: string): NarwhalError {
  return new NarwhalError('NARWHAL_E_SETTING', message);
}

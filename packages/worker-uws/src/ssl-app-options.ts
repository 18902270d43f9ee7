// Design: uWebSockets.js's SSLApp reads its certificate, key and CA from files, once, when the
// app is built, while core hands every class the TLS options as contents (read from the files
// as the worker booted, then adjusted by the sslContext hook). So the contents are written to
// files only this process can read, in a directory removed as soon as the app is built. What
// uWS cannot carry (anything the hook adds beyond cert, key, ca, passphrase and ciphers, or an
// optional client certificate) fails the boot in one line rather than be dropped silently.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NarwhalError, type SecureOptions } from '@narwhal/core/worker';
import type { AppOptions } from 'uWebSockets.js';

/** What uWS honours of SecureOptions; the rest must be left unset. */
const CARRIED = new Set(['cert', 'key', 'ca', 'passphrase', 'ciphers', 'minVersion', 'requestCert', 'rejectUnauthorized']);

type Pem = SecureOptions['cert'] | SecureOptions['key'];

/** Why uWS cannot serve `options`, or undefined. */
export function uwsTlsProblem(options: SecureOptions): string | undefined {
  const extra = Object.keys(options).filter((key) => !CARRIED.has(key) && (options as unknown as Record<string, unknown>)[key] !== undefined);
  if (extra.length > 0) return `-k uws cannot carry the TLS option${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (uWebSockets.js takes cert, key, ca, passphrase and ciphers); drop ${extra.length > 1 ? 'them' : 'it'} from the sslContext hook, or use -k async`;
  if (options.minVersion !== 'TLSv1.2') return `-k uws offers TLS 1.2 and 1.3 and cannot make ${options.minVersion} the minimum; use --ssl-version TLSv1_2, or -k async`;
  if (options.rejectUnauthorized && options.ca === undefined) return '-k uws verifies client certificates only against --ca-certs (it has no bundled roots): give --ca-certs with --cert-reqs 2';
  if (options.requestCert !== options.rejectUnauthorized) return '-k uws cannot make a client certificate optional (uWebSockets.js requires one whenever it verifies them): use --cert-reqs 2 or 0, or -k async';
  return undefined;
}

/** Builds uWS's SSLApp from `options` through files that exist only while `build` runs. */
export function withSslAppOptions<T>(options: SecureOptions, build: (appOptions: AppOptions) => T): T {
  const problem = uwsTlsProblem(options);
  if (problem !== undefined) throw new NarwhalError('NARWHAL_E_TLS', problem);
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-uws-tls-'));
  try {
    const file = (name: string, pem: Pem): string => {
      const path = join(dir, name);
      writeFileSync(path, pemText(pem), { mode: 0o600 });
      return path;
    };
    const appOptions: AppOptions = { cert_file_name: file('cert.pem', options.cert), key_file_name: file('key.pem', options.key) };
    // uWS asks for and verifies a client certificate exactly when it is given CA certificates.
    if (options.rejectUnauthorized && options.ca !== undefined) appOptions.ca_file_name = file('ca.pem', options.ca);
    if (options.passphrase !== undefined) appOptions.passphrase = options.passphrase;
    if (options.ciphers !== undefined) appOptions.ssl_ciphers = options.ciphers;
    return build(appOptions);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PEM contents as Node accepts them (a string, a Buffer, or a list of either) joined into one file. */
function pemText(pem: Pem): string {
  if (pem === undefined) return '';
  const parts = Array.isArray(pem) ? pem : [pem];
  return parts.map((part) => (typeof part === 'string' ? part : Buffer.isBuffer(part) ? part.toString('latin1') : String((part as { pem: unknown }).pem))).join('\n');
}

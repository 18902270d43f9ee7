// Design: uWebSockets.js's SSLApp reads its certificate, key and CA from files, once, when the
// app is built, while core hands every class the TLS options as contents (read from the files
// as the worker booted, then adjusted by the sslContext hook). So the contents are written to
// files only this process can read, in a directory removed as soon as the app is built. What
// uWS cannot carry (anything the hook adds beyond cert, key, ca, passphrase and ciphers, a
// minimum other than TLS 1.2, a required client certificate) fails the boot in one line rather
// than be dropped silently.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NarwhalError, type SecureOptions } from '@narwhal/core/worker-class';
import type { AppOptions } from 'uWebSockets.js';

/** What uWS honours of SecureOptions; the rest must be left unset. */
const CARRIED = new Set(['cert', 'key', 'ca', 'passphrase', 'ciphers', 'minVersion', 'requestCert', 'rejectUnauthorized']);

type Pem = SecureOptions['cert'] | SecureOptions['key'];

/** Why uWS cannot serve `options`, or undefined. */
export function uwsTlsProblem(options: SecureOptions): string | undefined {
  const extra = Object.keys(options).filter((key) => !CARRIED.has(key) && (options as unknown as Record<string, unknown>)[key] !== undefined);
  if (extra.length > 0) return `-k uws cannot carry the TLS option${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (uWebSockets.js takes cert, key, ca, passphrase and ciphers); drop ${extra.length > 1 ? 'them' : 'it'} from the sslContext hook, or use -k async`;
  if (options.minVersion !== 'TLSv1.2') return `-k uws offers TLS 1.2 and 1.3 and cannot make ${options.minVersion} the minimum; use --ssl-version TLSv1_2, or -k async`;
  if (options.rejectUnauthorized) return '-k uws cannot require a client certificate (--cert-reqs 2): uWebSockets.js verifies one a client sends against --ca-certs, but lets a client that sends none through and cannot tell the app; use --cert-reqs 1, or -k async';
  if (options.requestCert && options.ca === undefined) return '-k uws asks for client certificates only with --ca-certs, the CAs it verifies them against: give --ca-certs with --cert-reqs 1';
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
    // Given CA certificates, uWS asks for a client certificate and verifies one that is sent, but
    // lets a client that sends none through: Python's CERT_OPTIONAL, --cert-reqs 1.
    if (options.requestCert && options.ca !== undefined) appOptions.ca_file_name = file('ca.pem', options.ca);
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

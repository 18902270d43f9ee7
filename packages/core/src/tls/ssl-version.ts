// Design: Gunicorn's `--ssl-version` names a Python `ssl.PROTOCOL_*` constant (by name or
// number). Node has no protocol methods, only a range of versions, so each name becomes the
// minimum version offered; names with no such meaning (SSL, client methods) are refused.

import type { SecureVersion } from 'node:tls';

/** Python's names and numbers, and the minimum version each means here. */
const MINIMUMS: Readonly<Record<string, SecureVersion>> = {
  TLS_SERVER: 'TLSv1.2',
  '17': 'TLSv1.2',
  TLS: 'TLSv1.2',
  SSLv23: 'TLSv1.2',
  '2': 'TLSv1.2',
  TLSv1: 'TLSv1',
  '3': 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  'TLSv1.1': 'TLSv1.1',
  '4': 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  'TLSv1.2': 'TLSv1.2',
  '5': 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
  'TLSv1.3': 'TLSv1.3',
};

const REFUSED: Readonly<Record<string, string>> = {
  SSLv2: 'Node has no SSL 2',
  SSLv3: 'Node has no SSL 3',
  '1': 'Node has no SSL 3 (PROTOCOL_SSLv3)',
  TLS_CLIENT: 'a client method cannot serve',
  '16': 'a client method (PROTOCOL_TLS_CLIENT) cannot serve',
};

/** Why `value` is no `--ssl-version`, or undefined. */
export function sslVersionProblem(value: string): string | undefined {
  const name = value.replace(/^(ssl\.)?PROTOCOL_/, '');
  if (MINIMUMS[name] !== undefined) return undefined;
  const refused = REFUSED[name];
  if (refused !== undefined) return `'${value}' cannot be served: ${refused}`;
  return `'${value}' is not one of TLS_SERVER, TLS, SSLv23, TLSv1, TLSv1_1, TLSv1_2, TLSv1_3 (or their numbers)`;
}

/** The minimum TLS version a valid `--ssl-version` means. */
export function minimumTlsVersion(value: string): SecureVersion {
  return MINIMUMS[value.replace(/^(ssl\.)?PROTOCOL_/, '')] ?? 'TLSv1.2';
}

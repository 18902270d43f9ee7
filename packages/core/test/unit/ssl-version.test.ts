import { describe, expect, it } from 'vitest';
import { minimumTlsVersion, sslVersionProblem } from '../../src/tls/ssl-version.js';

describe("--ssl-version: Gunicorn's ssl.PROTOCOL_* values as the minimum TLS version", () => {
  it.each([
    ['TLS_SERVER', 'TLSv1.2'],
    ['17', 'TLSv1.2'],
    ['SSLv23', 'TLSv1.2'],
    ['TLSv1', 'TLSv1'],
    ['4', 'TLSv1.1'],
    ['TLSv1_2', 'TLSv1.2'],
    ['ssl.PROTOCOL_TLSv1_2', 'TLSv1.2'],
    ['PROTOCOL_TLSv1_3', 'TLSv1.3'],
    ['TLSv1.3', 'TLSv1.3'],
  ])('%s means %s or newer', (value, minimum) => {
    expect(sslVersionProblem(value)).toBeUndefined();
    expect(minimumTlsVersion(value)).toBe(minimum);
  });

  it.each([
    ['SSLv3', /'SSLv3' cannot be served: Node has no SSL 3/],
    ['TLS_CLIENT', /a client method cannot serve/],
    ['TLSv2', /'TLSv2' is not one of TLS_SERVER, TLS, SSLv23, TLSv1, TLSv1_1, TLSv1_2, TLSv1_3/],
  ])('refuses %s, saying why', (value, why) => {
    expect(sslVersionProblem(value)).toMatch(why);
  });
});

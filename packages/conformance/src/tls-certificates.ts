// Design: TLS tests need a CA, certificates it issued, one it did not, and a key that matches
// nothing, made fresh at test time by the openssl command so that no private key is ever
// committed. EC P-256 keys: the whole set is made in a few tens of milliseconds.

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fixtureDir } from './fixtures.js';

export interface CertificatePair {
  /** The certificate's PEM file. */
  readonly cert: string;
  /** Its private key's PEM file. */
  readonly key: string;
}

export interface TestCertificates {
  readonly dir: string;
  /** The CA's certificate file; the CA issued `server`, `renewed` and `client`. */
  readonly ca: string;
  /** For 127.0.0.1 and localhost. */
  readonly server: CertificatePair;
  /** Another certificate for the same names, as a renewal brings. */
  readonly renewed: CertificatePair;
  /** A client certificate. */
  readonly client: CertificatePair;
  /** Self-signed: no CA the server knows issued it. */
  readonly stranger: CertificatePair;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];

/** A fresh CA and certificates in a temporary directory (removed with the kit's fixtures). */
export function makeTestCertificates(): TestCertificates {
  const dir = fixtureDir({});
  const make = (name: string, subject: string, issued: boolean, extensions: string[] = []): CertificatePair => {
    const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
    const issuer = issued ? ['-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key')] : [];
    execFileSync('openssl', ['req', '-x509', ...EC_KEY, '-keyout', pair.key, '-out', pair.cert, '-subj', subject, ...issuer, ...extensions], { stdio: 'ignore' });
    return pair;
  };
  const ca = make('ca', '/CN=narwhal test CA', false);
  const serverNames = ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];
  return {
    dir,
    ca: ca.cert,
    server: make('server', '/CN=localhost', true, serverNames),
    renewed: make('renewed', '/CN=localhost', true, serverNames),
    client: make('client', '/CN=narwhal test client', true, ['-addext', 'extendedKeyUsage=clientAuth']),
    stranger: make('stranger', '/CN=narwhal test stranger', false),
  };
}

/** The SHA-256 fingerprint of a PEM certificate file, as node:tls writes it. */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}

/** Connects to `port` over TLS and resolves with the fingerprint of the certificate the server presents. */
export function servedFingerprint(port: number, ca: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(ca), timeout: timeoutMs }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('timeout', () => socket.destroy(new Error(`no TLS handshake with 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.on('error', reject);
  });
}

// Design: the TLS workloads need a certificate; one is made at first use with the openssl
// command (EC P-256, self-signed, for 127.0.0.1) into a temporary directory, so no key is kept.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
}

let made: CertificateFiles | undefined;

/** The bench's certificate and key files, made on first call. */
export function benchCertificate(): CertificateFiles {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-bench-tls-'));
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', files.key, '-out', files.cert], { stdio: 'ignore' });
  return (made = files);
}

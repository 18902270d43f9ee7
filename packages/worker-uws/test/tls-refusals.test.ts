import { fixtureDir, makeTestCertificates, runNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const certs = makeTestCertificates();
const dir = fixtureDir({
  'app.mjs': "export default { fetch: () => new Response('ok') };",
  // node:tls would honour this option; uWebSockets.js has no way to.
  'narwhal.config.mjs': 'export default { sslContext: (settings, options) => ({ ...options, sessionTimeout: 60 }) };',
});
const uws = ['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '--certfile', certs.server.cert, '--keyfile', certs.server.key];

/** The one NARWHAL_E_TLS line of a run that must have failed, with no stack trace and no worker serving. */
async function refusal(args: string[], config = false): Promise<string> {
  const result = await runNarwhal([...uws, ...args, ...(config ? ['-c', 'narwhal.config.mjs'] : []), 'app.mjs'], { cwd: dir });
  expect(result.code).not.toBe(0);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/Worker \(pid:\d+\) ready/);
  const lines = result.stderr.trim().split('\n').filter((line) => line.includes('NARWHAL_E_TLS'));
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0]!;
}

describe('-k uws refuses the TLS it cannot carry, in one line', () => {
  it('--cert-reqs 2: uWebSockets.js would let a client without a certificate through', async () => {
    expect(await refusal(['--ca-certs', certs.ca, '--cert-reqs', '2'])).toMatch(/-k uws cannot require a client certificate \(--cert-reqs 2\)/);
  });

  it('--cert-reqs 1 without --ca-certs, and --ssl-version TLSv1_3', async () => {
    expect(await refusal(['--cert-reqs', '1'])).toMatch(/only with --ca-certs/);
    expect(await refusal(['--ssl-version', 'TLSv1_3'])).toMatch(/cannot make TLSv1\.3 the minimum/);
  });

  it('an option the sslContext hook adds', async () => {
    expect(await refusal([], true)).toMatch(/-k uws cannot carry the TLS option sessionTimeout/);
  });
});

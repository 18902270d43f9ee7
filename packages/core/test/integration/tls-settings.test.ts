import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Agent } from 'node:https';
import { fingerprintOf, fixtureDir, makeTestCertificates, request, runNarwhal, servedFingerprint, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';
import { ephemeral } from './helpers.js';

const certs = makeTestCertificates();
const dir = fixtureDir({
  'app.mjs': "export default (req, res) => res.end('ok');\n",
  'not-a-key.pem': 'this is not a PEM key\n',
  'scheme.mjs': "export default (req, res) => res.end(req.socket.encrypted === true ? 'https' : 'http');\n",
  // The hook sees the files' contents and --ssl-version's minimum, and caps the version.
  'capped.config.mjs': `export default {
  sslContext(settings, options) {
    if (!Buffer.isBuffer(options.cert) || !Buffer.isBuffer(options.key) || options.minVersion !== 'TLSv1.2' || options.requestCert !== false) throw new Error('unexpected options');
    options.maxVersion = 'TLSv1.2';
  },
};
`,
});
const pair = ['--certfile', certs.server.cert, '--keyfile', certs.server.key];

/** Writes `bytes` over TLS and resolves with what the server sends until it closes. */
function rawOverTls(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), timeout: 3000 }, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('timeout', () => socket.destroy());
    socket.on('error', reject);
  });
}

/** The TLS version a default node:tls client negotiates with the server on `port`, or the error's code. */
function negotiated(port: number, maxVersion?: 'TLSv1.2'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), maxVersion, timeout: 3000 }, () => {
      resolve(socket.getProtocol() ?? 'none');
      socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
  });
}

describe('TLS settings', () => {
  it.each([
    ['a missing certificate file', ['--certfile', 'missing.pem'], /--certfile missing\.pem: cannot be read \(no such file\)/],
    ['--keyfile without --certfile', ['--keyfile', certs.server.key], /--keyfile \S+server\.key: needs --certfile/],
    ['a key that is not a key', ['--certfile', certs.server.cert, '--keyfile', 'not-a-key.pem'], /--keyfile not-a-key\.pem: not a PEM private key/],
    ['a key that does not match the certificate', ['--certfile', certs.server.cert, '--keyfile', certs.renewed.key], /--keyfile \S+renewed\.key does not match --certfile \S+server\.pem \(key values mismatch\)/],
    ['the same, under --check-config', ['--check-config', '--certfile', certs.server.cert, '--keyfile', certs.renewed.key], /does not match/],
  ])('refuses %s in one line naming the setting and file, exit 2, before any worker', async (_what, args, message) => {
    const result = await runNarwhal([...ephemeral, ...args, 'app.mjs'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/Booting worker|^\s+at /m);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/\[NARWHAL_E_TLS\]$/);
  });

  it('--ssl-version TLSv1_3 refuses a TLS 1.2 client; the sslContext hook adjusts the options (here: at most TLS 1.2)', async () => {
    const strict = await startNarwhal([...ephemeral, ...pair, '--ssl-version', 'TLSv1_3', 'app.mjs'], { cwd: dir });
    expect(await negotiated(strict.port)).toBe('TLSv1.3');
    expect(await negotiated(strict.port, 'TLSv1.2')).toMatch(/ERR_SSL|ECONNRESET/);
    const hooked = await startNarwhal([...ephemeral, ...pair, '-c', 'capped.config.mjs', 'app.mjs'], { cwd: dir });
    expect(await negotiated(hooked.port)).toBe('TLSv1.2');
  }, 30_000);

  it('a HUP that finds a mismatched pair on disk fails in one line, and the workers keep serving the old certificate', async () => {
    const live = fixtureDir({});
    const files = { cert: join(live, 'cert.pem'), key: join(live, 'key.pem') };
    copyFileSync(certs.server.cert, files.cert);
    copyFileSync(certs.server.key, files.key);
    const narwhal = await startNarwhal([...ephemeral, '--certfile', files.cert, '--keyfile', files.key, 'app.mjs'], { cwd: dir });
    // A renewal half done: the new certificate, the old key.
    copyFileSync(certs.renewed.cert, files.cert);
    narwhal.signal('SIGHUP');
    const [line] = await narwhal.waitForLog(/Reload failed: .*/);
    expect(line).toMatch(/--keyfile \S+key\.pem does not match --certfile \S+cert\.pem/);
    expect(await servedFingerprint(narwhal.port, certs.ca)).toBe(fingerprintOf(certs.server.cert));
    expect((await request(narwhal.url, { tls: { ca: certs.ca } })).body).toBe('ok');
  }, 30_000);

  it('keeps the front door over TLS: a malformed request line is answered 400 before node:http parses it', async () => {
    const narwhal = await startNarwhal([...ephemeral, ...pair, 'app.mjs'], { cwd: dir });
    expect((await rawOverTls(narwhal.port, 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect((await rawOverTls(narwhal.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  }, 30_000);

  it("on a kept-alive TLS connection, a trusted proxy's X-Forwarded-Proto: http holds for its request only", async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), ...ephemeral, ...pair, 'scheme.mjs'], { cwd: dir });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const over = async (headers: Record<string, string> = {}): Promise<string> => (await request(narwhal.url, { agent, headers, tls: { ca: certs.ca } })).body;
      expect(await over()).toBe('https');
      expect(await over({ 'x-forwarded-proto': 'http' })).toBe('http');
      expect(await over()).toBe('https');
    } finally {
      agent.destroy();
    }
  }, 30_000);
});

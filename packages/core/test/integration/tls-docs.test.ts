// apps/docs/tls.md's commands and config, run as the page shows them (a free port in place of 8443),
// with the curl command its text gives; the npm project around them is documented-commands.test.ts's
// (apps/examples).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureDir, request, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const page = readFileSync(new URL('../../../../apps/docs/tls.md', import.meta.url), 'utf8');
const block = (language: string, after: string): string => new RegExp(`${after}[\\s\\S]*?\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(page)![1]!;
const APP = "module.exports = (req, res) => res.end(`hello over ${req.socket.encrypted ? 'https' : 'http'}\\n`);\n";

describe('apps/docs/tls.md', () => {
  it('"Try it": openssl makes the certificate, narwhal serves it, curl trusts it', async () => {
    const [, openssl, narwhal] = block('sh', '## Try it').trim().split('\n');
    const curl = /`(curl [^`]+)`/.exec(page)![1]!;
    const dir = fixtureDir({ 'app.js': APP });
    execFileSync('/bin/sh', ['-c', openssl!], { cwd: dir, stdio: 'ignore' });
    const args = narwhal!.split(' ').slice(2).map((arg) => (arg === '127.0.0.1:8443' ? '127.0.0.1:0' : arg));
    const server = await startNarwhal(args, { cwd: dir });
    expect(server.url).toMatch(/^https:/);
    const answer = execFileSync('/bin/sh', ['-c', curl.replace(':8443', `:${server.port}`)], { cwd: dir, timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(answer).toBe('hello over https\n');
  }, 30_000);

  it("the sslContext hook's config file serves", async () => {
    const dir = fixtureDir({ 'app.js': APP, 'narwhal.config.mjs': block('js', '## The sslContext hook') });
    execFileSync('/bin/sh', ['-c', block('sh', '## Try it').split('\n')[1]!], { cwd: dir, stdio: 'ignore' });
    const server = await startNarwhal(['-b', '127.0.0.1:0', 'app.js'], { cwd: dir });
    expect((await request(server.url, { tls: { ca: join(dir, 'cert.pem') } })).body).toBe('hello over https\n');
  }, 30_000);
});


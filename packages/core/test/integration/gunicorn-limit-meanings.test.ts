import { describeEachWorker, fixtureDir, rawRequest, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';

const app = { 'app.mjs': "export default (req, res) => res.end(String(req.rawHeaders.length / 2));" };
const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const get = (path: string, fields = 0): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${'X-F: v\r\n'.repeat(fields)}Connection: close\r\n\r\n`;

describeEachWorker("request limits mean what Gunicorn's parser makes of them", (worker) => {
  const uwsFieldCap = worker.name === 'uws';
  it('--limit-request-line 0 is unlimited (a 9000-byte line is served); above 8190 it is 8190', async () => {
    const dir = fixtureDir(app);
    const unlimited = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--limit-request-line', '0', 'app.mjs'], { cwd: dir });
    expect(statusOf(await rawRequest({ port: unlimited.port }, get(`/${'a'.repeat(9000)}`)))).toBe(200);
    await unlimited.stop();
    const clamped = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--limit-request-line', '20000', 'app.mjs'], { cwd: dir });
    // 'GET ' + target + ' HTTP/1.1' is 8190 bytes with a 8177-byte target
    expect(statusOf(await rawRequest({ port: clamped.port }, get(`/${'a'.repeat(8176)}`)))).toBe(200);
    expect(statusOf(await rawRequest({ port: clamped.port }, get(`/${'a'.repeat(8177)}`)))).toBe(414);
  });

  it('--limit-request-fields 0 is 32768 (150 fields are served), and Gunicorn\'s --limit-request-field_size spelling works', async () => {
    const dir = fixtureDir(app);
    const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '--limit-request-fields', '0', '--limit-request-field_size', '40', 'app.mjs'], { cwd: dir });
    const served = await rawRequest({ port: narwhal.port }, get('/', 150));
    if (uwsFieldCap) {
      // uWebSockets.js stops at 98 fields whatever the setting (packages/worker-uws/README.md), and says so at startup.
      expect(narwhal.output()).toContain('--limit-request-fields 0: uWebSockets.js answers 431 to requests with more than 98 header fields');
      expect(statusOf(served)).toBe(431);
    } else {
      expect(statusOf(served)).toBe(200);
      expect(served).toMatch(/\r\n\r\n152$/);
    }
    expect(statusOf(await rawRequest({ port: narwhal.port }, `GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${'v'.repeat(40)}\r\n\r\n`))).toBe(431);
  });
});

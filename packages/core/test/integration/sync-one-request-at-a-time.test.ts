import { fileURLToPath } from 'node:url';
import { fixtureDir, makeTestCertificates, request, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = fixtureDir({
  'app.mjs': `
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    export default async (req, res) => {
      if (req.url === '/slow') await sleep(300);
      res.end('pid ' + process.pid);
    };`,
});
const args = ['-k', 'sync', '-b', '127.0.0.1:0'];

describe('-k sync serves one request at a time per worker', () => {
  it('leaves a second connection to an idle sibling: two 300 ms requests on -w 2 both finish within 450 ms in at least 19 of 20 trials', async () => {
    const narwhal = await startNarwhal([...args, '-w', '2', 'app.mjs'], { cwd: app });
    const trials: number[] = [];
    const pidsSeen = new Set<string>();
    for (let trial = 0; trial < 20; trial++) {
      const started = performance.now();
      const answers = await Promise.all([request(`${narwhal.url}/slow`), request(`${narwhal.url}/slow`)]);
      trials.push(performance.now() - started);
      for (const answer of answers) pidsSeen.add(answer.body);
    }
    const fast = trials.filter((ms) => ms < 450).length;
    expect(fast, `durations: ${trials.map((ms) => Math.round(ms)).join(', ')}`).toBeGreaterThanOrEqual(19);
    expect(pidsSeen.size).toBe(2);
  });

  it('does so over TLS too: a connection in its handshake or its request leaves the next one to the idle sibling (9 of 10 trials within 450 ms)', async () => {
    const certs = makeTestCertificates();
    const narwhal = await startNarwhal([...args, '-w', '2', '--certfile', certs.server.cert, '--keyfile', certs.server.key, 'app.mjs'], { cwd: app });
    const tls = { ca: certs.ca };
    const trials: number[] = [];
    const pidsSeen = new Set<string>();
    for (let trial = 0; trial < 10; trial++) {
      const started = performance.now();
      const answers = await Promise.all([request(`${narwhal.url}/slow`, { tls }), request(`${narwhal.url}/slow`, { tls })]);
      trials.push(performance.now() - started);
      for (const answer of answers) pidsSeen.add(answer.body);
    }
    const fast = trials.filter((ms) => ms < 450).length;
    expect(fast, `durations: ${trials.map((ms) => Math.round(ms)).join(', ')}`).toBeGreaterThanOrEqual(9);
    expect(pidsSeen.size).toBe(2);
  });

  it('closes the connection after every response, whatever --keep-alive says', async () => {
    const narwhal = await startNarwhal([...args, '-w', '1', '--keep-alive', '30', 'app.mjs'], { cwd: app });
    const response = await request(`${narwhal.url}/`, { headers: { connection: 'keep-alive' } });
    expect(response.headers.connection).toBe('close');
  });

  it('is the default worker class, as in Gunicorn, and comes with core', async () => {
    const example = fileURLToPath(new URL('../../../../apps/examples/hello-node/app.js', import.meta.url));
    const narwhal = await startNarwhal(['-b', '127.0.0.1:0', '-w', '1', example]);
    expect(narwhal.output()).toContain('Using worker: sync (@narwhal/core)');
    const response = await request(narwhal.url);
    expect(response.body).toMatch(/^Hello from pid \d+\n$/);
    expect(response.headers.connection).toBe('close');
  });
});

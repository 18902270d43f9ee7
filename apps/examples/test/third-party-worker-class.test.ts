// The example third-party class, narwhal-worker-hello (apps/examples/custom-worker), installed from
// its tarball like any npm package: `-k hello` finds it by its short name, `-k narwhal-worker-hello`
// by its full name; it serves, counts requests for --max-requests, and stops gracefully.

import { join } from 'node:path';
import { request, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = join(process.env.NARWHAL_FIRST_CONTACT!, 'project', 'hello-node');

describe('a third-party worker class from npm', () => {
  it.each(['hello', 'narwhal-worker-hello'])('-k %s resolves to narwhal-worker-hello and serves', async (spec) => {
    const narwhal = await startNarwhal(['-k', spec, '-w', '2', '-b', '127.0.0.1:0', 'app.js'], { cwd: app });
    expect(narwhal.output()).toContain('Using worker: hello (narwhal-worker-hello)');
    // Its peer range (0.x) covers this core: no version warning.
    expect(narwhal.output()).not.toMatch(/NARWHAL_W_/);
    const json = await request(`${narwhal.url}/json`);
    expect(json.headers['x-worker-class']).toBe('hello');
    expect(JSON.parse(json.body)).toMatchObject({ framework: 'node' });
    const failed = await request(`${narwhal.url}/error`);
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('500 Internal Server Error\n');
  });

  it('calls requestDone, so --max-requests recycles its workers', async () => {
    const narwhal = await startNarwhal(['-k', 'hello', '--max-requests', '3', '-b', '127.0.0.1:0', 'app.js'], { cwd: app });
    for (let index = 0; index < 3; index++) expect((await request(`${narwhal.url}/json`)).status).toBe(200);
    await narwhal.waitForLog(/Autorestarting worker after current request \(pid:\d+, 3 requests\)/);
    await narwhal.waitForMoreLogs(/Worker \(pid:\d+\) ready/, 1);
    expect((await request(`${narwhal.url}/json`)).status).toBe(200);
  });

  it('stops gracefully on TERM', async () => {
    const narwhal = await startNarwhal(['-k', 'hello', '-b', '127.0.0.1:0', 'app.js'], { cwd: app });
    expect((await request(`${narwhal.url}/json`)).status).toBe(200);
    narwhal.signal('SIGTERM');
    expect(await narwhal.exited).toEqual({ code: 0, signal: null });
    expect(narwhal.output()).toMatch(/stopped on shutdown/);
  });
});

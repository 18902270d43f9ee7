import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { describeEachWorker, reuseportResetReason, eventually, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral, loopRequests } from './helpers.js';

const app = (greeting: string): string => `export default (req, res) => res.end('${greeting} ' + process.pid);\n`;

describeEachWorker('HUP reload under load', (worker) => {
  it('replaces every worker with new code while a client loops without a failed request', async () => {
    const dir = fixtureDir({ 'app.mjs': app('v1') });
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', 'app.mjs'], { cwd: dir });
    const before = narwhal.readyPids();
    const client = loopRequests(narwhal.url);
    writeFileSync(join(dir, 'app.mjs'), app('v2'));
    narwhal.signal('SIGHUP');
    await narwhal.waitForLog(/Reload complete/, 20_000);
    const { ok, failed } = await client.stop();
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(10);
    const after = narwhal.readyPids().slice(before.length);
    expect(after).toHaveLength(2);
    for (const pid of after) expect(before).not.toContain(pid);
    expect(await get(narwhal.url)).toMatch(/^v2 \d+$/);
  });
}, { uws: reuseportResetReason() });

describeEachWorker('HUP reload', (worker) => {
  it('keeps the old workers serving when the new code cannot boot', async () => {
    const dir = fixtureDir({ 'app.mjs': app('v1') });
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', 'app.mjs'], { cwd: dir });
    writeFileSync(join(dir, 'app.mjs'), 'export default (req, res) => { syntax error here');
    narwhal.signal('SIGHUP');
    await narwhal.waitForLog(/Reload failed: .*SyntaxError.*the previous workers keep serving/, 20_000);
    for (let index = 0; index < 5; index++) expect(await get(narwhal.url)).toMatch(/^v1 \d+$/);
    writeFileSync(join(dir, 'app.mjs'), app('v3'));
    narwhal.signal('SIGHUP');
    await narwhal.waitForLog(/Reload complete/, 20_000);
    expect(await get(narwhal.url)).toMatch(/^v3 \d+$/);
  });
});

describeEachWorker('HUP reload of the settings', (worker) => {
  it('binds new addresses, releases dropped ones once their workers are gone, and applies the new worker count', async () => {
    const dir = fixtureDir({ 'app.mjs': app('v1') });
    const config = (binds: string[], workers: number): string => `export default { bind: ${JSON.stringify(binds)}, workers: ${workers}, workerClass: ${JSON.stringify(worker.args[1])} };`;
    const [oldSocket, newSocket] = [join(dir, 'old.sock'), join(dir, 'new.sock')];
    writeFileSync(join(dir, 'narwhal.config.mjs'), config([`unix:${oldSocket}`], 1));
    const narwhal = await startNarwhal(['app.mjs'], { cwd: dir, readyWorkers: 1 });
    expect((await request('http://x/', { socketPath: oldSocket })).body).toMatch(/^v1 /);
    writeFileSync(join(dir, 'narwhal.config.mjs'), config([`unix:${newSocket}`], 2));
    narwhal.signal('SIGHUP');
    await narwhal.waitForLog(/Reload complete/, 20_000);
    expect(narwhal.output()).toContain(`Listening at: unix:${newSocket}`);
    expect((await request('http://x/', { socketPath: newSocket })).body).toMatch(/^v1 /);
    await eventually(() => (existsSync(oldSocket) ? undefined : true));
    expect(narwhal.readyPids()).toHaveLength(3);
  });
}, { uws: 'uWebSockets.js cannot share unix sockets between processes (see worker-uws README)' });

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, fixtureDir, get, runNarwhal, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

const async = workerClassPath('async');

describe('server hooks from the config file', () => {
  it('run in the arbiter and in workers at Gunicorn\'s moments', async () => {
    const dir = fixtureDir({});
    const trace = join(dir, 'trace.log');
    const config = `
      import { appendFileSync } from 'node:fs';
      const note = (what) => appendFileSync(${JSON.stringify(trace)}, what + '\\n');
      export default {
        bind: ['127.0.0.1:0'],
        workerClass: ${JSON.stringify(async)},
        onStarting: (server) => note('onStarting ' + server.pid),
        whenReady: () => note('whenReady'),
        nworkersChanged: (server, now, before) => note('nworkersChanged ' + now + ' ' + before),
        preFork: (server, worker) => note('preFork ' + worker.age),
        postFork: (server, worker) => note('postFork ' + worker.pid + ' ' + (server === null)),
        postWorkerInit: (worker) => note('postWorkerInit ' + worker.pid),
        workerExit: (server, worker) => note('workerExit ' + worker.pid),
        childExit: (server, worker) => note('childExit ' + worker.pid),
        onExit: () => note('onExit'),
      };`;
    writeFileSync(join(dir, 'hooks.mjs'), config);
    const server = await startNarwhal(['-c', join(dir, 'hooks.mjs'), fixture('routes-node.mjs')], { cwd: dir });
    const workerPid = server.readyPids()[0]!;
    expect(await get(server.url)).toBe('ok');
    await server.stop();
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      `onStarting ${server.pid}`,
      'whenReady',
      'nworkersChanged 1 null',
      'preFork 1',
      `postFork ${workerPid} true`,
      `postWorkerInit ${workerPid}`,
      `workerExit ${workerPid}`,
      `childExit ${workerPid}`,
      'onExit',
    ]);
  });

  it('stop the server with one line when onStarting throws', async () => {
    const dir = fixtureDir({ 'narwhal.config.mjs': `export default { workerClass: ${JSON.stringify(async)}, onStarting() { throw new Error('not today'); } };` });
    const result = await runNarwhal([fixture('routes-node.mjs')], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('narwhal: the onStarting hook failed: not today [NARWHAL_E_HOOK]\n');
  });
});

describe('pid file', () => {
  it('is written at start, refuses a second arbiter, and is removed on exit', async () => {
    const dir = fixtureDir({});
    const pidfile = join(dir, 'narwhal.pid');
    const first = await startNarwhal(['-k', async, '-b', '127.0.0.1:0', '--pid', pidfile, fixture('routes-node.mjs')]);
    expect(readFileSync(pidfile, 'utf8').trim()).toBe(String(first.pid));
    const second = await runNarwhal(['-k', async, '-b', '127.0.0.1:0', '--pid', pidfile, fixture('routes-node.mjs')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`narwhal: pid file ${pidfile} names process ${first.pid}, which is still running [NARWHAL_E_PIDFILE]\n`);
    await first.stop();
    await eventually(() => (existsSync(pidfile) ? undefined : true));
  });
});

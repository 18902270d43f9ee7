// Every worker shares its first listener (fd 0) as one open file description, O_NONBLOCK
// included. libuv makes fds 0-2 blocking in each child it spawns, and Node puts fd 0 back as
// it found it when a process exits; after a HUP the new workers' listener was blocking, and a
// worker that lost the race for a connection to its sibling sat in accept() until the next
// connection came, its keep-alive connections unanswered (worker/nonblocking-listener.ts).

import { readFileSync } from 'node:fs';
import { connectTo, describeEachWorker, fixtureDir, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { askOnce, ephemeral } from './helpers.js';

const O_NONBLOCK = 0o4000;
const APP = { 'app.mjs': 'export default (req, res) => res.end(String(process.pid));\n' };

function listenerFlags(pid: number): number {
  return Number.parseInt(/flags:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/0`, 'utf8'))![1]!, 8);
}

describeEachWorker(
  'the listener every worker shares stays non-blocking',
  (worker) => {
    it('after a HUP, kept-alive connections are answered while new connections come and go', async () => {
      const narwhal = await startNarwhal([...worker.args, ...ephemeral, '-w', '2', 'app.mjs'], { cwd: fixtureDir(APP) });
      narwhal.signal('SIGHUP');
      await narwhal.waitForLog(/stopped for a reload[\s\S]*stopped for a reload/, 20_000);
      const fresh = narwhal.readyPids().slice(2);
      for (const pid of fresh) expect(listenerFlags(pid) & O_NONBLOCK, `worker ${pid}'s listener`).not.toBe(0);
      if (worker.name === 'sync') return; // sync closes every connection: nothing stays open to starve.
      const kept = await Promise.all(Array.from({ length: 6 }, () => connectTo(narwhal.port)));
      try {
        for (const socket of kept) await askOnce(socket, 2000);
        for (let round = 0; round < 15; round++) {
          const passing = await connectTo(narwhal.port);
          await askOnce(passing, 2000);
          passing.destroy();
          for (const socket of kept) expect(fresh).toContain(Number(await askOnce(socket, 2000)));
        }
      } finally {
        for (const socket of kept) socket.destroy();
      }
    }, 40_000);
  },
  { uws: 'uws workers bind their own listeners (SO_REUSEPORT): none is shared' },
);

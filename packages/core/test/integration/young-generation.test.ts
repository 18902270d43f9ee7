// A class's young generation (WorkerClass.semiSpaceMiB): sync's workers run with V8's semi-space
// capped at 4 MiB, unless the operator sized it in NODE_OPTIONS; the other classes keep V8's
// default (apps/docs/deployment.md#what-a-worker-weighs).

import { describeEachWorker, fixtureDir, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral } from './helpers.js';

// Keeps a window of objects alive across scavenges, as open connections do, so that V8 grows the
// young generation as far as it may, then tells the node flags and the new space's size.
const APP = {
  'app.mjs': `import v8 from 'node:v8';
export default (req, res) => {
  const ring = new Array(40_000);
  for (let i = 0; i < 1_500_000; i++) ring[i % ring.length] = { i, s: 'x' + i };
  const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
  res.end(JSON.stringify({ flags: process.execArgv.filter((flag) => flag.includes('semi')), newSpaceMiB: newSpace / 1048576 }));
};
`,
};

interface Answer {
  readonly flags: string[];
  readonly newSpaceMiB: number;
}

async function youngGeneration(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Answer> {
  const server = await startNarwhal([...args, ...ephemeral, '-w', '1', 'app.mjs'], { cwd: fixtureDir(APP), env });
  return JSON.parse((await request(server.url)).body) as Answer;
}

describeEachWorker('the young generation a worker class asks for', (worker) => {
  // A semi-space of N MiB makes a new space of at most 2N.
  it(worker.name === 'sync' ? 'caps the semi-space at 4 MiB' : "keeps V8's default, which grows past 8 MiB under this churn", async () => {
    const answer = await youngGeneration(worker.args);
    if (worker.name === 'sync') {
      expect(answer.flags).toEqual(['--max-semi-space-size=4']);
      expect(answer.newSpaceMiB).toBeLessThanOrEqual(8);
    } else {
      expect(answer.flags).toEqual([]);
      expect(answer.newSpaceMiB).toBeGreaterThan(8);
    }
  }, 30_000);

  it("leaves the operator's NODE_OPTIONS size alone", async () => {
    const answer = await youngGeneration(worker.args, { ...process.env, NODE_OPTIONS: '--max-semi-space-size=2' });
    expect(answer.flags).toEqual([]);
    expect(answer.newSpaceMiB).toBeLessThanOrEqual(4);
  }, 30_000);
});

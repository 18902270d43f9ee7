// Design: issue 15 part 8, a bounded, seeded fuzz step. Inputs come from fuzz.ts (half mutated
// corpus requests, half random bytes), each sent on its own connection with a deadline, to two
// servers (the kit's echo apps, one per contract) in turn; a fixed count and a time budget
// bound the step. It judges survival, not answers: no worker may die (no exit line, no
// replacement booted), whatever comes back must be HTTP, and afterwards both servers answer a
// normal request exactly. The outcomes (statuses, closes, resets, timeouts) are printed.

import { expect, it } from 'vitest';
import { expandRepeats, latin1Bytes, loadCorpus } from '../corpus.js';
import { fuzzInput } from '../fuzz.js';
import { request } from '../http.js';
import { describeSuite, kitApp, type Kit } from '../kit.js';
import { Prng, seedFromEnv } from '../prng.js';
import { connectTo } from '../run-case.js';
import { startNarwhal, type NarwhalProcess } from '../start-narwhal.js';
import { workerExitLines } from '../worker-processes.js';

const REQUESTS = 800;
const BUDGET_MS = 8_000;
/** How long an input has, from its write, to be answered or closed before the kit closes it ('timeout'). */
const DEADLINE_MS = 1000;
const CONCURRENCY = 16;

/** Sends `bytes` on a fresh connection; the outcome is the first status code, or how the connection ended without one. */
async function sendOnce(port: number, bytes: Buffer): Promise<{ outcome: string; received: Buffer }> {
  let socket;
  try {
    socket = await connectTo(port);
  } catch (error) {
    return { outcome: `no connection (${(error as NodeJS.ErrnoException).code ?? 'error'})`, received: Buffer.alloc(0) };
  }
  const chunks: Buffer[] = [];
  const ending = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), DEADLINE_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNRESET' ? 'reset' : (error.code ?? 'error'));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('close');
    });
    socket.write(bytes);
  });
  socket.destroy();
  const received = Buffer.concat(chunks);
  if (received.length === 0) return { outcome: ending, received };
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(received.toString('latin1', 0, 16));
  return { outcome: status ? status[1]! : 'not HTTP', received };
}

/** The echo apps describe what they saw: a normal request must arrive exactly as sent. */
async function answersNormally(narwhal: NarwhalProcess, contract: 'node' | 'fetch'): Promise<void> {
  const response = await request(`${narwhal.url}/after-fuzz?n=1`, { method: 'POST', body: 'still here', timeoutMs: 2000 });
  expect(response.status, `${contract}: status`).toBe(200);
  const seen = JSON.parse(response.body) as { method: string; target?: string; url?: string; body: string };
  expect(seen.method).toBe('POST');
  expect(contract === 'node' ? seen.target : new URL(seen.url!).pathname + new URL(seen.url!).search).toBe('/after-fuzz?n=1');
  expect(seen.body).toBe('still here');
}

export function fuzzSuite(kit: Kit): void {
  const seed = seedFromEnv();
  describeSuite(kit, 'fuzz', 'fuzz', () => {
    it(`survives ${REQUESTS} mutated and random requests (or ${BUDGET_MS / 1000} s of them) under both contracts, and answers normally after (seed ${seed}, NARWHAL_FUZZ_SEED)`, async () => {
      const servers = await Promise.all((['node', 'fetch'] as const).map((contract) => startNarwhal([...kit.serverArgs, '-w', '2', kitApp(`echo-${contract}.mjs`)])));
      const corpus = loadCorpus(kit.options.corpusDir).map((testCase) => ({ id: testCase.id, bytes: latin1Bytes(expandRepeats(testCase.request)) }));
      const prng = new Prng(seed);
      const outcomes = new Map<string, number>();
      const notHttp: string[] = [];
      const started = performance.now();
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < REQUESTS && performance.now() - started < BUDGET_MS) {
          // Inputs are drawn in index order (synchronously), whichever lane sends them: the seed fixes them.
          const index = next++;
          const input = fuzzInput(prng, corpus, index);
          const { outcome, received } = await sendOnce(servers[Math.floor(index / 2) % 2]!.port, input.bytes);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (outcome === 'not HTTP') notHttp.push(`#${index} (${input.label}): ${JSON.stringify(received.toString('latin1', 0, 80))}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      const elapsed = Math.round(performance.now() - started);
      const summary = [...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, count]) => `${outcome}: ${count}`).join(', ');
      console.info(`fuzz -k ${kit.options.workerClass} (seed ${seed}): ${next} requests in ${elapsed} ms; ${summary}`);
      for (const [index, narwhal] of servers.entries()) {
        expect(workerExitLines(narwhal.output()), 'no worker exited').toEqual([]);
        expect(narwhal.spawnedPids(), 'no worker was replaced').toHaveLength(2);
        await answersNormally(narwhal, index === 0 ? 'node' : 'fetch');
      }
      expect(notHttp, 'bytes that are not an HTTP response').toEqual([]);
      // The budget must leave room for a real step: a server that stalls every input would show here.
      expect(next).toBeGreaterThanOrEqual(REQUESTS / 5);
    }, BUDGET_MS + 30_000);
  });
}

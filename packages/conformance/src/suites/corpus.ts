// Design: every corpus case runs under both app contracts, against one server per contract,
// all cases at once on their own connections, so the whole corpus takes seconds. The cases run
// in the suite's beforeAll and each test judges its recorded exchange: a case's 1 s deadline
// then measures the server, not the test runner's scheduling.

import { beforeAll, it } from 'vitest';
import { loadCorpus, type CorpusCase } from '../corpus.js';
import { judgeCase, type AppContract } from '../judge-case.js';
import { describeSuite, kitApp, type Kit } from '../kit.js';
import type { Exchange } from '../raw-response.js';
import { runCases } from '../run-case.js';
import { startNarwhal } from '../start-narwhal.js';

const ECHO_APP: Record<AppContract, string> = { node: kitApp('echo-node.mjs'), fetch: kitApp('echo-fetch.mjs') };

export function corpusSuite(kit: Kit): void {
  const cases = loadCorpus(kit.options.corpusDir);
  const known = new Set(cases.map((testCase) => testCase.id));
  for (const id of Object.keys(kit.options.deviations ?? {})) if (!known.has(id)) throw new Error(`deviations: no corpus case has the id ${id}`);

  for (const contract of ['node', 'fetch'] as const) {
    describeSuite(kit, 'corpus', `request corpus [${contract} app]`, () => {
      const applicable = cases.filter((testCase) => testCase.contracts === undefined || testCase.contracts.includes(contract));
      const runnable = applicable.filter((testCase) => kit.skipReason(testCase.id) === undefined);
      let exchanges = new Map<string, Exchange | Error>();
      beforeAll(async () => {
        const server = await startNarwhal([...kit.serverArgs, '-w', '2', ECHO_APP[contract]]);
        try {
          // Requests that must reach the app go first, on a server no bad input has touched
          // yet: a class that lets a bad request stall a worker then fails the bad case, not
          // the innocent ones queued behind it.
          const reachesApp = (testCase: CorpusCase): boolean => !('status' in testCase.expect);
          const options = { port: server.port, keepAlive: kit.keepAlive, concurrency: kit.options.corpusConcurrency ?? (kit.keepAlive ? 12 : 2) };
          exchanges = await runCases(runnable.filter(reachesApp), options);
          for (const [id, exchange] of await runCases(runnable.filter((testCase) => !reachesApp(testCase)), options)) exchanges.set(id, exchange);
        } finally {
          await server.stop(2000);
        }
      }, 60_000);

      for (const testCase of applicable) {
        const skip = kit.skipReason(testCase.id);
        if (skip !== undefined) {
          it.skip(`${testCase.id} (skipped: ${skip})`, () => {});
          continue;
        }
        const deviation = kit.options.deviations?.[testCase.id];
        it(`${testCase.id}${deviation ? ` (declared: ${deviation.outcome})` : ''}`, () => {
          const exchange = exchanges.get(testCase.id);
          if (exchange instanceof Error) throw exchange;
          if (exchange === undefined) throw new Error('the case did not run (the corpus server failed to start)');
          const verdict = judgeCase(testCase, exchange, { contract, keepAlive: kit.keepAlive, deviation });
          if (verdict !== undefined) throw new Error(`${verdict}\n  rule: ${testCase.rfc}: ${testCase.why}\n  request: ${JSON.stringify(testCase.request.slice(0, 300))}`);
        });
      }
    });
  }
}

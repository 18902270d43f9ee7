// Design: `narwhal status` reads the same on every class. Each worker's requests served is the
// max_requests counter every class feeds (`requestDone`), its requests in flight the metrics'
// counter (on here with --metrics-bind), its class the one it runs; the worker answers the
// arbiter's question over IPC whatever its engine (issue 20: narwhal status).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually, request } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { runNarwhal, startNarwhal } from '../start-narwhal.js';

const REQUESTS = 6;

interface StatusRow {
  readonly workerClass: string;
  readonly state: string;
  readonly requests: number | null;
  readonly inFlight: number | null;
  readonly rss: number | null;
}

export function statusSuite(kit: Kit): void {
  describeSuite(kit, 'status', 'narwhal status', () => {
    it(`counts each worker's requests served and in flight (${REQUESTS} requests, then one slow one)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'narwhal-status-'));
      const socket = join(dir, 'narwhal.ctl');
      try {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', '--metrics-bind', '127.0.0.1:0', '--control-socket', socket, ROUTES_APP.node]);
        for (let index = 0; index < REQUESTS; index++) expect((await request(`${narwhal.url}/pid`, { timeoutMs: 2000 })).status).toBe(200);
        const slow = request(`${narwhal.url}/slow?ms=2000`, { timeoutMs: 10_000 });
        const workers = await eventually(async () => {
          const { stdout } = await runNarwhal(['status', '--json', '--control-socket', socket]);
          const rows = (JSON.parse(stdout) as { workers: StatusRow[] }).workers;
          return rows.reduce((sum, row) => sum + (row.inFlight ?? 0), 0) === 1 ? rows : undefined;
        }, 5000);
        expect(workers.map((row) => row.state)).toEqual(['ready', 'ready']);
        expect(new Set(workers.map((row) => row.workerClass)).size).toBe(1);
        expect(workers.reduce((sum, row) => sum + row.requests!, 0)).toBe(REQUESTS + 1);
        expect(workers.every((row) => row.rss! > 1e6)).toBe(true);
        expect((await slow).status).toBe(200);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  });
}

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { latencies, parseH2load } from '../src/h2load.js';
import { parseWrk } from '../src/wrk.js';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('the bench harness', () => {
  it('parses wrk\'s report, errors and non-2xx included', () => {
    const text = `Running 2s test @ http://127.0.0.1:1/
  Latency Distribution
     50%  412.00us
     75%  1.20ms
     90%  2.00ms
     99%   1.50s
  Socket errors: connect 1, read 2, write 3, timeout 4
  24691 requests in 2.00s, 30.27MB read
  Non-2xx or 3xx responses: 7
Requests/sec:  12345.67
`;
    expect(parseWrk(text)).toEqual({ requestsPerSecond: 12345.67, p50Ms: 0.412, p99Ms: 1500, errors: 10, non2xx: 7, bytesPerResponse: expect.closeTo((30.27 * 1024 ** 2) / 24691, 3) });
  });

  it('parses h2load\'s summary, failures and 4xx/5xx included, and the latencies of its request log', () => {
    const text = `finished in 5.00s, 61234.50 req/s, 2.00MB/s
requests: 306180 total, 306820 started, 306180 done, 306100 succeeded, 80 failed, 30 errored, 50 timeout
status codes: 306100 2xx, 0 3xx, 5 4xx, 3 5xx
traffic: 14.28MB (14973420) total, 2.34MB (2449440) headers (space savings 89.88%), 3.94MB (3979300) data
`;
    expect(parseH2load(text)).toEqual({ requestsPerSecond: 61234.5, p50Ms: NaN, p99Ms: NaN, errors: 80, non2xx: 8, bytesPerResponse: 14973420 / 306100 });
    const log = Array.from({ length: 100 }, (_, index) => `1796061536598463\t200\t${(index + 1) * 1000}`).join('\n');
    expect(latencies(`${log}\n`)).toEqual({ p50Ms: 51, p99Ms: 100 });
    expect(() => parseH2load('connect failed')).toThrow(/finished in/);
  });

  it('lists its flags with --help, and answers a bad flag in one line with a non-zero exit', async () => {
    const bench = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: BENCH, timeout: 30_000 });
    const { stdout } = await bench('--help');
    for (const flag of ['--workload', '--target', '--rounds', '--seconds', '--warmup', '--quick', '--out', '--docs', '--update', '--help']) expect(stdout).toContain(`  ${flag}`);
    const failed = await bench('--rounds', '3', '--bogus').then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim()).toBe("bench: Unknown option '--bogus'");
  });

  it('measures a Narwhal class and an anchor in quick mode and writes the table, the JSON and a chart', async () => {
    const out = mkdtempSync(join(tmpdir(), 'narwhal-bench-smoke-'));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--quick', '--workload', 'hello', '--target', 'async,node-http-2,gunicorn-gevent', '--seconds', '1', '--out', out], { cwd: BENCH, timeout: 120_000 });
    const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { cells: { target: string; requestsPerSecond: number; errors: number; peakRssMiB: number }[]; skipped: { target: string; reason: string }[]; startup: { firstResponseMs: number } };
    const measured = new Map(result.cells.map((cell) => [cell.target, cell]));
    for (const target of ['async', 'node-http-2']) {
      expect(measured.get(target)?.requestsPerSecond).toBeGreaterThan(100);
      expect(measured.get(target)?.peakRssMiB).toBeGreaterThan(10);
    }
    // Gunicorn is measured when Debian's packages are installed, and otherwise reported with the reason.
    expect(measured.has('gunicorn-gevent') || result.skipped.some((skip) => skip.target === 'gunicorn-gevent' && skip.reason.length > 0)).toBe(true);
    expect(result.startup.firstResponseMs).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'latest.md'), 'utf8')).toMatch(/\| narwhal -k async -w 2 \| \d+ \|/);
    expect(readFileSync(join(out, 'hello.svg'), 'utf8')).toMatch(/^<svg /);
    expect(existsSync(join(out, 'hello.svg'))).toBe(true);
    expect(stdout).toContain('Ratios');
  }, 150_000);
});

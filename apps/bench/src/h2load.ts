// Design: h2load (Debian's nghttp2-client) is the load generator of the HTTP/2 workloads, as wrk
// is of the others: one thread, h2c with prior knowledge, LoadShape.connections connections with
// STREAMS_PER_CONNECTION streams in flight on each. Its summary gives the rate, the failures, the
// status codes and the bytes; it prints no percentiles, so the latencies come from its per-request
// log (--log-file), read once the run is over. The result has wrk's shape, so the report treats
// both alike.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { WrkOptions, WrkResult } from './wrk.js';

const run = promisify(execFile);

/** Concurrent streams on each connection (h2load -m): what a browser or a proxy keeps open on one. */
export const STREAMS_PER_CONNECTION = 10;

/** Runs h2load once over h2c and parses its report and its request log. */
export async function runH2load(options: WrkOptions): Promise<WrkResult> {
  if (options.method !== 'GET') throw new Error('the HTTP/2 workloads send GET only (h2load -d is not wired)');
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-bench-h2load-'));
  const log = join(dir, 'requests.log');
  try {
    const args = ['-t1', `-c${options.connections}`, `-m${STREAMS_PER_CONNECTION}`, `-D${options.seconds}`, '--log-file', log, options.url];
    const { stdout } = await run('h2load', args, { timeout: (options.seconds + 30) * 1000, maxBuffer: 16 * 2 ** 20 });
    return { ...parseH2load(stdout), ...latencies(readFileSync(log, 'latin1')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The summary h2load prints; the latencies are NaN here (they come from its log). */
export function parseH2load(text: string): WrkResult {
  const rate = /^finished in [\d.]+\w+, ([\d.]+) req\/s/m.exec(text);
  if (!rate) throw new Error(`h2load printed no "finished in …, … req/s":\n${text}`);
  const requests = /^requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m.exec(text);
  if (!requests) throw new Error(`h2load printed no "requests:" line:\n${text}`);
  const codes = /^status codes: \d+ 2xx, \d+ 3xx, (\d+) 4xx, (\d+) 5xx/m.exec(text);
  const traffic = /^traffic: [\d.]+\w*B \((\d+)\) total/m.exec(text);
  const succeeded = Number(requests[1]);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: NaN,
    p99Ms: NaN,
    // "failed" counts the errored and timed-out ones too.
    errors: Number(requests[2]),
    non2xx: codes ? Number(codes[1]) + Number(codes[2]) : 0,
    bytesPerResponse: traffic && succeeded > 0 ? Number(traffic[1]) / succeeded : NaN,
  };
}

/** p50 and p99 from h2load's log: one line per request, `start (µs since the epoch) TAB status TAB latency (µs)`. */
export function latencies(log: string): { p50Ms: number; p99Ms: number } {
  const micros: number[] = [];
  let start = 0;
  while (start < log.length) {
    let end = log.indexOf('\n', start);
    if (end === -1) end = log.length;
    const tab = log.lastIndexOf('\t', end);
    if (tab > start) micros.push(Number(log.slice(tab + 1, end)));
    start = end + 1;
  }
  if (micros.length === 0) return { p50Ms: NaN, p99Ms: NaN };
  const sorted = Float64Array.from(micros).sort();
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]! / 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

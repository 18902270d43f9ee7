// Design: wrk (Debian's package) is the load generator, run as a separate process on loopback.
// Its text output is parsed for what the report needs; a Lua script supplies POST bodies.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connect, read, write and timeout errors. */
  readonly errors: number;
  readonly non2xx: number;
  /** Bytes read per response, headers included: a server that sends short bodies shows here. */
  readonly bytesPerResponse: number;
}

export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly method: 'GET' | 'POST';
  readonly bodyBytes?: number;
}

function toMs(value: string, unit: string): number {
  const number = Number(value);
  return unit === 'us' ? number / 1000 : unit === 's' ? number * 1000 : unit === 'm' ? number * 60_000 : number;
}

function scriptFor(options: WrkOptions): string | undefined {
  if (options.method === 'GET') return undefined;
  const file = join(tmpdir(), `narwhal-bench-post-${options.bodyBytes ?? 0}.lua`);
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = string.rep("x", ${options.bodyBytes ?? 0})\nwrk.headers["Content-Type"] = "application/octet-stream"\n`);
  return file;
}

/** Runs wrk once and parses its report. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const script = scriptFor(options);
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s', ...(script ? ['-s', script] : []), options.url];
  const { stdout } = await run('wrk', args, { timeout: (options.seconds + 30) * 1000 });
  return parseWrk(stdout);
}

export function parseWrk(text: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!rps) throw new Error(`wrk printed no Requests/sec:\n${text}`);
  const latency = (percent: string): number => {
    const match = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s|m)`, 'm').exec(text);
    return match ? toMs(match[1]!, match[2]!) : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0;
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const read = /(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read/.exec(text);
  const bytesPerResponse = read ? (Number(read[2]) * 1024 ** 'BKMGT'.indexOf(read[3]![0]!)) / Number(read[1]) : NaN;
  return { requestsPerSecond: Number(rps[1]), p50Ms: latency('50'), p99Ms: latency('99'), errors, non2xx: non2xx ? Number(non2xx[1]) : 0, bytesPerResponse };
}

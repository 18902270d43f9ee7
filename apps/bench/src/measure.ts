// Design: one cell = one target serving one workload, measured in rounds. For each round the
// harness starts the target, checks it answers exactly the scenario's expected response (status,
// content-type, body), warms it up, runs wrk (h2load for HTTP/2) once while sampling the tree's
// memory, and checks the answers again; mergeRounds keeps the median round of a cell.

import { request } from 'node:http';
import { connect } from 'node:http2';
import { request as secureRequest } from 'node:https';
import { benchCertificate } from './certificate.js';
import { createServer } from 'node:net';
import type { ScenarioInfo } from './scenario.js';
import { samplePeakRss, treeRss } from './process-tree.js';
import type { Target } from './targets.js';
import { runWrk, type WrkResult } from './wrk.js';
import { runH2load } from './h2load.js';

export interface RoundOptions {
  readonly warmupSeconds: number;
  readonly seconds: number;
}

/** RSS in MiB of the processes a target started (an arbiter, a primary, or the servers themselves) and of their children (workers), largest first. */
export interface ProcessRss {
  readonly roots: number[];
  readonly children: number[];
}

export interface Cell extends WrkResult {
  readonly target: string;
  readonly workload: string;
  /** Peak RSS of the whole process tree during the rounds, MiB. */
  readonly peakRssMiB: number;
  /** RSS of each process at rest, before any load, MiB (largest first). */
  readonly restRssMiB: number[];
  /** The same by role, at rest and right after the measured load (absent in results from before it was recorded). */
  readonly rss?: { readonly rest: ProcessRss; readonly loaded: ProcessRss };
  readonly rounds: number[];
}

export interface Skipped {
  readonly target: string;
  readonly workload: string;
  readonly reason: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer;
}

/** One request, as the check before measuring. */
function fetchOnce(url: string, info: ScenarioInfo): Promise<Answer> {
  if (info.load.http2 === true) return fetchOnceOverHttp2(url, info);
  return new Promise((resolve, reject) => {
    const body = info.load.requestBodyBytes ? Buffer.alloc(info.load.requestBodyBytes, 'x') : undefined;
    // The harness's own self-signed certificate: nothing to verify it against.
    const send = info.load.tls === true ? secureRequest : request;
    const req = send(url, { method: info.load.method, agent: false, timeout: 5000, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** One request on its own h2c connection (prior knowledge), as h2load sends it. */
function fetchOnceOverHttp2(url: string, info: ScenarioInfo): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    const fail = (error: Error): void => {
      session.destroy();
      reject(error);
    };
    session.on('error', fail);
    session.setTimeout(5000, () => fail(new Error('timeout')));
    const stream = session.request({ ':method': info.load.method, ':path': new URL(url).pathname });
    let status = 0;
    let type = '';
    const chunks: Buffer[] = [];
    stream.on('response', (head) => {
      status = Number(head[':status']);
      type = String(head['content-type'] ?? '');
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve({ status, type, body: Buffer.concat(chunks) });
    });
    stream.on('error', fail);
    stream.end(info.load.requestBodyBytes ? Buffer.alloc(info.load.requestBodyBytes, 'x') : undefined);
  });
}

/** Throws 'wrong answer…' unless the target answers exactly what the scenario expects. */
async function expectAnswer(url: string, info: ScenarioInfo): Promise<void> {
  const answer = await fetchOnce(url, info);
  const expected = info.expected;
  if (answer.status !== expected.status || !answer.type.startsWith(expected.contentType) || !answer.body.equals(expected.body)) {
    throw new Error(`wrong answer: ${answer.status} ${answer.type} ${answer.body.length} bytes (expected ${expected.status} ${expected.contentType} ${expected.body.length} bytes)`);
  }
}

/**
 * A fast cell is only worth reporting if every response carried the whole body. wrk prints the
 * bytes read with three significant digits, hence the 1% allowance; a short body is far below.
 */
function expectWholeBodies(result: WrkResult, info: ScenarioInfo): void {
  if (result.bytesPerResponse < info.expected.body.length * 0.99) {
    throw new Error(`wrong answer under load: ${Math.round(result.bytesPerResponse)} bytes read per response, the body alone is ${info.expected.body.length}`);
  }
}

async function waitUntilServing(url: string, info: ScenarioInfo, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await expectAnswer(url, info);
      return;
    } catch (error) {
      last = error;
      if (error instanceof Error && error.message.startsWith('wrong answer')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`not serving after ${timeoutMs} ms: ${String(last)}`);
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const largestFirst = (values: Iterable<number>): number[] => [...values].filter((mib) => mib > 0).sort((a, b) => b - a);

function rssByRole(roots: readonly number[]): ProcessRss {
  const tree = treeRss(roots);
  return { roots: largestFirst(roots.map((pid) => tree.get(pid) ?? 0)), children: largestFirst([...tree].filter(([pid]) => !roots.includes(pid)).map(([, mib]) => mib)) };
}

/** Measures one round of one target on one workload, from a fresh start; a Cell of that round alone. */
export async function measureRound(target: Target, info: ScenarioInfo, options: RoundOptions): Promise<Cell> {
  const port = await freePort();
  const running = target.start(info.name, port, info.load.tls === true ? benchCertificate() : undefined, info.load.http2 === true);
  try {
    const url = `${info.load.tls === true ? 'https' : 'http'}://127.0.0.1:${port}/`;
    await waitUntilServing(url, info);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rest = rssByRole(running.roots);
    const load = { url, connections: info.load.connections, method: info.load.method, bodyBytes: info.load.requestBodyBytes };
    const runLoad = info.load.http2 === true ? runH2load : runWrk;
    if (options.warmupSeconds > 0) await runLoad({ ...load, seconds: options.warmupSeconds });
    const memory = samplePeakRss(() => running.roots);
    const result = await runLoad({ ...load, seconds: options.seconds });
    const peakRssMiB = memory.stop();
    const loaded = rssByRole(running.roots);
    expectWholeBodies(result, info);
    await expectAnswer(url, info);
    return { ...result, target: target.id, workload: info.name, peakRssMiB, restRssMiB: largestFirst([...rest.roots, ...rest.children]), rss: { rest, loaded }, rounds: [result.requestsPerSecond] };
  } finally {
    await running.stop();
  }
}

/** Per position (largest, second largest…), the median over the rounds. */
function medianRss(samples: readonly ProcessRss[]): ProcessRss {
  const at = (pick: (sample: ProcessRss) => number[]): number[] => Array.from({ length: Math.min(...samples.map((sample) => pick(sample).length)) }, (_, index) => median(samples.map((sample) => pick(sample)[index]!)));
  return { roots: at((sample) => sample.roots), children: at((sample) => sample.children) };
}

/** One cell from a target's rounds taken at different times: the median round, the highest peak memory. */
export function mergeRounds(parts: readonly Cell[]): Cell {
  const rounds = parts.flatMap((part) => part.rounds);
  const middle = parts.find((part) => part.requestsPerSecond === median(rounds))!;
  return { ...middle, peakRssMiB: Math.max(...parts.map((part) => part.peakRssMiB)), restRssMiB: parts[0]!.restRssMiB, rss: parts[0]!.rss === undefined ? undefined : { rest: medianRss(parts.map((part) => part.rss!.rest)), loaded: medianRss(parts.map((part) => part.rss!.loaded)) }, rounds };
}

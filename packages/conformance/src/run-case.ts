// Design: a case runs on a connection of its own, so cases can run side by side and one that
// hangs or kills its connection cannot disturb another. The deadline bounds the whole case:
// a server that neither answers nor closes in time has no outcome, which is itself a failure.

import { connect, type Socket } from 'node:net';
import { latin1Bytes, type CorpusCase } from './corpus.js';
import { readResponses, type Exchange } from './raw-response.js';

export interface RunCaseOptions {
  readonly port: number;
  readonly host?: string;
  /** The class keeps connections open between responses (false: it closes after each, as sync). */
  readonly keepAlive: boolean;
  /** How long after its last write a case has to reach its outcome (default 1000 ms). */
  readonly deadlineMs?: number;
  /** The pause between the writes of a case's `parts` (default 50 ms). */
  readonly partPauseMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A connected TCP socket to `host:port` (from `localAddress`, when given), or an error after `timeoutMs`. */
export function connectTo(port: number, host = '127.0.0.1', timeoutMs = 2000, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, localAddress });
    const timer = setTimeout(() => socket.destroy(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** How many final responses a case waits for, and whether it then waits for the close too. */
export function awaitedResponses(testCase: CorpusCase, keepAlive: boolean): { responses: number; untilClose: boolean } {
  if (!('statuses' in testCase.expect)) return { responses: 1, untilClose: false };
  // A class without keep-alive answers the first request of a pipeline and closes.
  return keepAlive ? { responses: testCase.expect.statuses.length, untilClose: false } : { responses: 1, untilClose: true };
}

/** Sends one case's bytes on a fresh connection and reads what the server makes of them. */
export async function runCase(testCase: CorpusCase, options: RunCaseOptions): Promise<Exchange> {
  const socket = await connectTo(options.port, options.host);
  socket.on('error', () => {
    // A reset is an outcome, recorded by readResponses; writes after the server closed fail too.
  });
  const parts = testCase.parts ?? [testCase.request];
  const pauseMs = options.partPauseMs ?? 50;
  const answersHead = (index: number): boolean => index === 0 && testCase.request.startsWith('HEAD ');
  const reading = readResponses(socket, { ...awaitedResponses(testCase, options.keepAlive), answersHead, deadlineMs: (options.deadlineMs ?? 1000) + pauseMs * (parts.length - 1) });
  try {
    for (let index = 0; index < parts.length && !socket.destroyed; index++) {
      if (index > 0) await sleep(pauseMs);
      socket.write(latin1Bytes(parts[index]!));
    }
    if (testCase.halfClose === true && !socket.destroyed) socket.end();
    return await reading;
  } finally {
    socket.destroy();
  }
}

/**
 * Runs `cases` with at most `concurrency` connections open at once; resolves with each
 * case's exchange by id (a case that could not even connect gets the error instead).
 */
export async function runCases(cases: readonly CorpusCase[], options: RunCaseOptions & { readonly concurrency?: number }): Promise<Map<string, Exchange | Error>> {
  const results = new Map<string, Exchange | Error>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cases.length) {
      const testCase = cases[next++]!;
      try {
        results.set(testCase.id, await runCase(testCase, options));
      } catch (error) {
        results.set(testCase.id, error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, cases.length) }, lane));
  return results;
}

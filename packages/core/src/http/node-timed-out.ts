// Design: what --request-timeout leaves on a node:http response it answered 504 (or 503): the
// reason a Fetch handler's request.signal aborts with (node-request.ts reads it when the
// response closes), and an app-facing response whose writes are ignored from then on, since
// the app may still answer: a late writeHead or setHeader would otherwise throw, and a throw
// from the app's own timer would end the worker. Only timed-out responses pay for any of it.

import type { ServerResponse } from 'node:http';
import { requestTimeoutReason } from './deadline-queue.js';

const TIMED_OUT = Symbol('narwhal.timedOut');
type TimedOutResponse = ServerResponse & { [TIMED_OUT]?: DOMException };

function returnThis<T>(this: T): T {
  return this;
}
const ignoredWrite = (): boolean => true;

/** Marks `res` as answered by the deadline, and from now on ignores what the app writes to it. */
export function markTimedOut(res: ServerResponse, seconds: number): void {
  (res as TimedOutResponse)[TIMED_OUT] = requestTimeoutReason(seconds);
  const inert = res as unknown as Record<string, unknown>;
  for (const name of ['writeHead', 'setHeader', 'setHeaders', 'appendHeader', 'removeHeader', 'flushHeaders', 'writeContinue', 'writeEarlyHints', 'addTrailers', 'end']) inert[name] = returnThis;
  inert.write = ignoredWrite;
}

/** The abort reason when `res` was answered by the deadline, else undefined. */
export function timedOutReason(res: ServerResponse): DOMException | undefined {
  return (res as TimedOutResponse)[TIMED_OUT];
}

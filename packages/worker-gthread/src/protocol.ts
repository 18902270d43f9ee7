// Design: what crosses between a process's main thread and its pool threads. Plain data only,
// so structured cloning stays cheap; bodies are Uint8Arrays (transferred when large, see
// port-stream.ts) and only requests with a body or responses that stream get a MessagePort.
// Each message carries a turn's worth: RequestTask[] to a thread, TaskResult[] back
// (thread-pool.ts).

import type { MessagePort } from 'node:worker_threads';

/** The app to load in each thread (its workerData). */
export interface ThreadData {
  readonly app: string;
  readonly chdir: string;
  readonly interface: 'auto' | 'node' | 'fetch';
  /** The TaskSlots table (task-slots.ts). */
  readonly slots: SharedArrayBuffer;
  /**
   * The BroadcastChannel on which the main thread names requests whose client is gone (a task
   * id), or that --request-timeout answered (the id negated).
   */
  readonly cancellations: string;
  /** --request-timeout in seconds, for the abort reason; 0 for none. */
  readonly requestTimeout: number;
  /** With --max-loop-lag: where each thread stamps its event loop's time (thread-lag.ts); else null. */
  readonly loopStamps: SharedArrayBuffer | null;
}

/** One request, handed to a pool thread. */
export interface RequestTask {
  /** Unique in this process, so that a cancellation names this request and no later one. */
  readonly id: number;
  readonly method: string;
  /** `/path?query`, as on the request line. */
  readonly url: string;
  /** node:http's rawHeaders: name, value, name, value… */
  readonly headers: readonly string[];
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** https when a trusted proxy said so (core's NodeForwarding). */
  readonly scheme: 'http' | 'https';
  /** The request body arrives on this port (port-stream.ts); null when there is none. */
  readonly body: MessagePort | null;
  /** Where the thread says it started this request (task-slots.ts), or NO_SLOT. */
  readonly slot: number;
  /** Date.now() past which the request is not started any more; 0 for none. */
  readonly deadline: number;
}

/** The thread's answer: the head, and the body whole or as a stream. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Flat name, value… list, Content-Length included when the body is whole. */
  readonly headers: string[];
  /** The whole body; or, when `stream` is set, its first chunk. */
  readonly body: Uint8Array | null;
  /** The rest of the body arrives here; the thread keeps producing it after the task ends. */
  readonly stream: MessagePort | null;
  /** The thread producing `stream`, so that a deadline can terminate it. */
  readonly threadId: number;
}

/** A thread's answer to one task: the head, or the error the app failed with. */
export type TaskResult = { readonly id: number; readonly head: ResponseHead | null; readonly error?: undefined } | { readonly id: number; readonly error: Error };

/** What a thread posts once it has loaded the app. */
export const THREAD_READY = 'ready';

/** A message from a thread. */
export type ThreadMessage = typeof THREAD_READY | readonly TaskResult[];

/** The thread's answer to a request whose deadline passed before it could start. */
export const SKIPPED = null;

// Design: the process's `--threads` worker_threads and the hand-off of requests to them. No task
// library sits in between: a thread's requests of one event-loop turn go out as one message,
// and its answers of one turn of its own come back as one, so under load each message (and each
// wake-up of the other side) carries many requests; an idle server still answers at once, the
// turn being over as soon as the request is parsed. One of several threads holds at most
// TASKS_PER_THREAD requests, a lone thread all of them (task-slots.ts) but for requests with a
// body, which it takes only while it holds fewer than TASKS_PER_THREAD: their bytes would stream
// into its queue early, and be lost with it if it were terminated. The rest wait here in order
// and go to the thread holding the fewest.
// A thread that exits (the app ended it, or a deadline terminated it) fails the requests it
// holds with a ThreadExit and is replaced; pool-dispatcher.ts runs again those it never started.

import { Worker, type TransferListItem } from 'node:worker_threads';
import type { Logger } from '@narwhal/core/worker';
import { THREAD_READY, type RequestTask, type ResponseHead, type TaskResult, type ThreadData, type ThreadMessage } from './protocol.js';
import { TASKS_PER_THREAD } from './task-slots.js';

/** The rejection of every request a thread held when it exited. */
export class ThreadExit extends Error {}

interface Job {
  readonly task: RequestTask;
  readonly transfer: readonly TransferListItem[];
  readonly resolve: (head: ResponseHead | null) => void;
  readonly reject: (error: Error) => void;
}

interface PoolThread {
  readonly worker: Worker;
  ready: boolean;
  /** Delivered or about to be, by task id. */
  readonly jobs: Map<number, Job>;
  /** Delivered at the end of this turn. */
  outbox: Job[];
}

export interface ThreadPoolOptions {
  readonly entry: string;
  readonly size: number;
  readonly workerData: ThreadData;
  readonly log: Logger;
}

export class ThreadPool {
  readonly #options: ThreadPoolOptions;
  readonly #threads: PoolThread[] = [];
  /** How many requests one thread holds at most. */
  readonly #depth: number;
  readonly #waiting: Job[] = [];
  #flushing = false;
  #destroyed = false;

  constructor(options: ThreadPoolOptions) {
    this.#options = options;
    this.#depth = options.size === 1 ? Infinity : TASKS_PER_THREAD;
  }

  /** Starts every thread; resolves once each has loaded the app, rejects with the first failure. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.size }, () => this.#spawn()));
  }

  /** Runs `task` on a thread; `transfer` moves with it. */
  run(task: RequestTask, transfer: readonly TransferListItem[]): Promise<ResponseHead | null> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ task, transfer, resolve, reject });
      this.#dispatch();
    });
  }

  /** Takes `task` out of the queue if no thread has it yet, settling it as `head`; false when a thread has it. */
  withdraw(task: RequestTask, head: ResponseHead | null): boolean {
    const index = this.#waiting.findIndex((job) => job.task === task);
    if (index < 0) return false;
    this.#waiting.splice(index, 1)[0]!.resolve(head);
    return true;
  }

  /** Terminates the thread with this id; a replacement starts. */
  async terminate(threadId: number): Promise<void> {
    await this.#threads.find((thread) => thread.worker.threadId === threadId)?.worker.terminate();
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (const job of this.#waiting.splice(0)) job.reject(new ThreadExit('the pool was stopped'));
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
  }

  #spawn(): Promise<void> {
    const worker = new Worker(this.#options.entry, { workerData: this.#options.workerData });
    // Requests in flight keep the process alive, not an idle pool.
    worker.unref();
    const thread: PoolThread = { worker, ready: false, jobs: new Map(), outbox: [] };
    this.#threads.push(thread);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: ThreadMessage) => {
        if (message !== THREAD_READY) return this.#answered(thread, message);
        thread.ready = true;
        resolve();
        this.#dispatch();
      });
      worker.on('error', (error: Error) => {
        if (!thread.ready) return reject(error);
        this.#options.log.error({ err: error }, `A pool thread failed (pid:${process.pid}): ${error.message}`);
      });
      worker.once('exit', (code) => {
        this.#threads.splice(this.#threads.indexOf(thread), 1);
        const exit = new ThreadExit(`the thread exited with code ${code}`);
        reject(exit);
        for (const job of thread.jobs.values()) job.reject(exit);
        // One that failed to load the app would fail again.
        if (thread.ready && !this.#destroyed) this.#spawn().catch((error: Error) => this.#options.log.error({ err: error }, `A pool thread failed to start (pid:${process.pid}): ${error.message}`));
      });
    });
  }

  #answered(thread: PoolThread, results: readonly TaskResult[]): void {
    for (const result of results) {
      const job = thread.jobs.get(result.id);
      if (job === undefined) continue;
      thread.jobs.delete(result.id);
      if (result.error === undefined) job.resolve(result.head);
      else job.reject(result.error);
    }
    this.#dispatch();
  }

  /** Hands waiting requests to the threads holding the fewest, up to #depth each. */
  #dispatch(): void {
    while (this.#waiting.length > 0) {
      let freest: PoolThread | undefined;
      for (const thread of this.#threads) if (thread.ready && (freest === undefined || thread.jobs.size < freest.jobs.size)) freest = thread;
      if (freest === undefined || freest.jobs.size >= (this.#waiting[0]!.task.body === null ? this.#depth : TASKS_PER_THREAD)) return;
      const job = this.#waiting.shift()!;
      freest.jobs.set(job.task.id, job);
      freest.outbox.push(job);
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(this.#flush);
      }
    }
  }

  readonly #flush = (): void => {
    this.#flushing = false;
    for (const thread of this.#threads) {
      if (thread.outbox.length === 0) continue;
      const jobs = thread.outbox;
      thread.outbox = [];
      const transfer = jobs.flatMap((job) => job.transfer);
      thread.worker.postMessage(
        jobs.map((job) => job.task),
        transfer,
      );
    }
  };
}

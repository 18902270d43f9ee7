// Design: the main thread's side of gthread. node:http (core's NodeHttpService) owns the
// connections; this listener turns each request into a RequestTask for the piscina pool and
// writes the thread's answer back. It enforces `timeout` per request, since the main thread's
// heartbeat cannot see a stuck thread: past the deadline the task is aborted, which makes
// piscina terminate that thread and start a fresh one, and the client gets a 504. A request
// whose connection ends before its answer (the client left, or the parser refused its body) is
// named on the cancellation channel, and its thread moves on at once (thread.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { MessageChannel, type BroadcastChannel, type MessagePort } from 'node:worker_threads';
import { schemeOf, sendError, type Logger } from '@narwhal/core/worker';
import type { Piscina } from 'piscina';
import { sendChunks, type ChunkMessage } from './port-stream.js';
import { SKIPPED, type RequestTask, type ResponseHead } from './protocol.js';
import { NO_SLOT, type TaskSlots } from './task-slots.js';

export interface PoolDispatcherOptions {
  readonly pool: Piscina;
  readonly slots: TaskSlots;
  readonly log: Logger;
  /** Seconds; 0 disables the deadline. */
  readonly timeout: number;
  /** Where the ids of requests whose client is gone are posted. */
  readonly cancellations: BroadcastChannel;
}

/** A Node request listener that runs every request in `pool`; it rejects when the app failed, so the service answers 500. */
export function poolDispatcher({ pool, slots, log, timeout, cancellations }: PoolDispatcherOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const deadlineMs = timeout * 1000;
  let lastId = 0;

  return async (req, res) => {
    const body = hasBody(req) ? new MessageChannel() : null;
    const slot = slots.acquire();
    const task: RequestTask = {
      id: ++lastId,
      method: req.method!,
      url: req.url!,
      headers: req.rawHeaders,
      remoteAddress: req.socket.remoteAddress,
      remotePort: req.socket.remotePort,
      scheme: schemeOf(req.socket),
      body: body?.port2 ?? null,
      slot,
      deadline: deadlineMs > 0 ? Date.now() + deadlineMs : 0,
    };
    // Without a slot the deadline falls back to piscina's abort, which runs the task alone on its thread.
    const abort = deadlineMs > 0 && slot === NO_SLOT ? new AbortController() : undefined;
    let head: ResponseHead | null | undefined;
    let timedOut = false;
    const onDeadline = (): void => {
      // Threads compare against Date.now(): act only once it too says the deadline passed.
      const early = task.deadline - Date.now();
      if (early > 0) {
        timer = setTimeout(onDeadline, early);
        return;
      }
      timedOut = true;
      log.error(`Request exceeded the ${timeout}s timeout; its thread is terminated and replaced (pid:${process.pid}): "${req.method} ${req.url} HTTP/${req.httpVersion}"`);
      if (head) {
        void terminateThread(pool, head.threadId).finally(() => res.destroy());
        return;
      }
      abort?.abort();
      const runner = slots.runner(slot);
      if (runner !== 0) void terminateThread(pool, runner);
      sendError(res, 'requestTimeout');
    };
    let timer = deadlineMs > 0 ? setTimeout(onDeadline, deadlineMs) : undefined;
    let settled = false;
    res.once('close', () => {
      // A request no thread started yet is marked in its slot; one already running is named on the channel.
      if (!settled && !timedOut && !slots.cancelBeforeStart(slot)) cancellations.postMessage(task.id);
    });
    // node:http made these chunks for this request alone: they can move.
    if (body) void sendChunks(body.port1, req, true).catch(() => undefined);
    try {
      head = await runTask(pool, slots, task, body, abort?.signal);
    } catch (error) {
      clearTimeout(timer);
      body?.port1.close();
      if (timedOut) return;
      throw error;
    } finally {
      settled = true;
      slots.release(slot);
    }
    if (timedOut || head === SKIPPED) {
      clearTimeout(timer);
      return;
    }
    res.writeHead(head.status, head.statusText || undefined, head.headers);
    if (head.stream === null) {
      clearTimeout(timer);
      res.end(head.body);
      return;
    }
    if (head.body) res.write(head.body);
    relayStream(head.stream, res, () => clearTimeout(timer), log);
  };
}

/**
 * Runs `task` on the pool. A bodiless request that was only waiting on a thread another request's
 * deadline terminated never started, so it runs again on another thread.
 */
async function runTask(pool: Piscina, slots: TaskSlots, task: RequestTask, body: MessageChannel | null, signal: AbortSignal | undefined): Promise<ResponseHead | null> {
  for (;;) {
    try {
      return (await pool.run(task, body ? { transferList: [body.port2] as never, signal } : { signal })) as ResponseHead | null;
    } catch (error) {
      if (body !== null || task.slot === NO_SLOT || slots.runner(task.slot) !== 0 || !isThreadTermination(error)) throw error;
    }
  }
}

/** piscina's errors for the tasks of a thread that was terminated (by itself, or by us behind its back). */
function isThreadTermination(error: unknown): boolean {
  return error instanceof Error && (error.message === 'Terminating worker thread' || error.message.startsWith('worker exited with code'));
}

/** HTTP/1.1: a request has a body only when it says so. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Writes the chunks arriving on `port` to `res`, acknowledging each once `res` takes more. */
function relayStream(port: MessagePort, res: ServerResponse, done: () => void, log: Logger): void {
  const ack = (): void => port.postMessage(true);
  port.on('message', (message: ChunkMessage) => {
    if (message instanceof Uint8Array) {
      if (res.write(message)) ack();
      else res.once('drain', ack);
      return;
    }
    port.close();
    done();
    if (message === null) res.end();
    else {
      log.error(`Error while streaming a response body: ${message}`);
      res.destroy();
    }
  });
  res.once('close', () => {
    if (res.writableFinished) return;
    done();
    // The client is gone: the thread stops producing the body.
    port.postMessage(false);
    port.close();
  });
}

/** Terminates the pool thread with this id; piscina starts a replacement. */
async function terminateThread(pool: Piscina, threadId: number): Promise<void> {
  await pool.threads.find((thread) => thread.threadId === threadId)?.terminate();
}

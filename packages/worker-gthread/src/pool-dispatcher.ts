// Design: the main thread's side of gthread. node:http (core's NodeHttpService) owns the
// connections; this listener turns each request into a RequestTask for the thread pool and
// writes the thread's answer back. A request whose connection ends before its answer (the client
// left, the parser refused its body, or --request-timeout answered for it) is named on the
// cancellation channel, and its thread moves on at once (thread.ts); one still waiting for a
// thread is taken out of the queue, and one a thread holds but has not started is marked in its
// slot and never starts. --request-timeout is core's (NodeHttpService): this
// listener tells it which requests still wait for a thread (503, not 504), and terminates a
// thread that does not let go of a timed-out request within STUCK_THREAD_GRACE_MS, since only a
// thread whose event loop is blocked cannot hear the cancellation; the pool replaces it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { MessageChannel, type BroadcastChannel, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { schemeOf, timedOutReason, type Logger } from '@narwhal/core/worker';
import { sendChunks, type ChunkMessage } from './port-stream.js';
import { SKIPPED, type RequestTask, type ResponseHead } from './protocol.js';
import { NO_SLOT, type TaskSlots } from './task-slots.js';
import { ThreadExit, type ThreadPool } from './thread-pool.js';

/** How long a thread has to let go of a request past --request-timeout before it is terminated. */
const STUCK_THREAD_GRACE_MS = 1000;

export interface PoolDispatcherOptions {
  readonly pool: ThreadPool;
  readonly slots: TaskSlots;
  readonly log: Logger;
  /** --request-timeout in seconds; 0 for none. */
  readonly requestTimeout: number;
  /** Where the ids of requests whose client is gone are posted. */
  readonly cancellations: BroadcastChannel;
}

export interface PoolDispatcher {
  /** A Node request listener that runs every request in the pool; it rejects when the app failed, so the service answers 500. */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Whether `res`'s request still waits for a thread (NodeHttpServiceOptions.isQueued). */
  readonly isQueued: (res: ServerResponse) => boolean;
}

const SLOT = Symbol('narwhal.slot');
type SlottedResponse = ServerResponse & { [SLOT]?: number };

export function poolDispatcher({ pool, slots, log, requestTimeout, cancellations }: PoolDispatcherOptions): PoolDispatcher {
  const deadlineMs = requestTimeout * 1000;
  let lastId = 0;

  const listener = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
    if (deadlineMs > 0) (res as SlottedResponse)[SLOT] = slot;
    let settled = false;
    res.once('close', () => {
      if (settled) return;
      // A request still queued leaves the queue; one a thread holds but has not started is marked in its slot; one already running is named on the channel.
      if (pool.withdraw(task, SKIPPED) || slots.cancelBeforeStart(slot)) return;
      const timedOut = timedOutReason(res) !== undefined;
      cancellations.postMessage(timedOut ? -task.id : task.id);
      if (!timedOut) return;
      setTimeout(() => {
        const runner = slots.runner(slot);
        if (settled || runner === 0) return;
        log.error(`A thread did not let go of a request past --request-timeout within ${STUCK_THREAD_GRACE_MS} ms (its event loop is blocked); it is terminated and replaced (pid:${process.pid}): "${req.method} ${req.url} HTTP/${req.httpVersion}"`);
        void pool.terminate(runner);
      }, STUCK_THREAD_GRACE_MS).unref();
    });
    // node:http made these chunks for this request alone: they can move.
    if (body) void sendChunks(body.port1, req, true).catch(() => undefined);
    let head: ResponseHead | null;
    try {
      head = await runTask(pool, slots, task, body);
    } catch (error) {
      body?.port1.close();
      if (res.writableEnded || res.destroyed) return;
      throw error;
    } finally {
      settled = true;
      slots.release(slot);
    }
    if (head === SKIPPED) return;
    if (res.writableEnded || res.destroyed) {
      // Answered already (the deadline), or the client left: a streaming thread stops producing.
      head.stream?.postMessage(false);
      head.stream?.close();
      return;
    }
    res.writeHead(head.status, head.statusText || undefined, head.headers);
    if (head.stream === null) {
      res.end(head.body);
      return;
    }
    if (head.body) res.write(head.body);
    relayStream(head.stream, res, log);
  };

  return {
    listener,
    isQueued: (res) => {
      const slot = (res as SlottedResponse)[SLOT];
      return slot !== undefined && slot !== NO_SLOT && slots.runner(slot) === 0;
    },
  };
}

const NOTHING_TO_MOVE: readonly TransferListItem[] = [];

/**
 * Runs `task` on the pool. A bodiless request that was only waiting on a thread another request's
 * deadline terminated never started, so it runs again on another thread.
 */
async function runTask(pool: ThreadPool, slots: TaskSlots, task: RequestTask, body: MessageChannel | null): Promise<ResponseHead | null> {
  for (;;) {
    try {
      return await pool.run(task, body ? [body.port2] : NOTHING_TO_MOVE);
    } catch (error) {
      if (body !== null || task.slot === NO_SLOT || slots.runner(task.slot) !== 0 || !(error instanceof ThreadExit)) throw error;
    }
  }
}

/** HTTP/1.1: a request has a body only when it says so. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Writes the chunks arriving on `port` to `res`, acknowledging each once `res` takes more. */
function relayStream(port: MessagePort, res: ServerResponse, log: Logger): void {
  const ack = (): void => port.postMessage(true);
  port.on('message', (message: ChunkMessage) => {
    if (message instanceof Uint8Array) {
      if (res.write(message)) ack();
      else res.once('drain', ack);
      return;
    }
    port.close();
    if (message === null) res.end();
    else {
      log.error(`Error while streaming a response body: ${message}`);
      res.destroy();
    }
  });
  res.once('close', () => {
    if (res.writableFinished) return;
    // The client is gone: the thread stops producing the body.
    port.postMessage(false);
    port.close();
  });
}

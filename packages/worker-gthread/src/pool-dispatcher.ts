// Design: the main thread's side of gthread. node:http (core's NodeHttpService) owns the
// connections; this listener turns each request into a RequestTask for the piscina pool and
// writes the thread's answer back. It enforces `timeout` per request, since the main thread's
// heartbeat cannot see a stuck thread: past the deadline the task is aborted, which makes
// piscina terminate that thread and start a fresh one, and the client gets a 504.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { sendError, type Logger } from '@narwhal/core/worker';
import type { Piscina } from 'piscina';
import { sendChunks, type ChunkMessage } from './port-stream.js';
import type { RequestTask, ResponseHead } from './protocol.js';

export interface PoolDispatcherOptions {
  readonly pool: Piscina;
  readonly log: Logger;
  /** Seconds; 0 disables the deadline. */
  readonly timeout: number;
}

/** A Node request listener that runs every request in `pool`; it rejects when the app failed, so the service answers 500. */
export function poolDispatcher({ pool, log, timeout }: PoolDispatcherOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const deadlineMs = timeout * 1000;

  return async (req, res) => {
    const body = hasBody(req) ? new MessageChannel() : null;
    const task: RequestTask = {
      method: req.method!,
      url: req.url!,
      headers: req.rawHeaders,
      remoteAddress: req.socket.remoteAddress,
      remotePort: req.socket.remotePort,
      body: body?.port2 ?? null,
    };
    const abort = deadlineMs > 0 ? new AbortController() : undefined;
    let head: ResponseHead | undefined;
    const timer =
      abort &&
      setTimeout(() => {
        log.error(`Request exceeded the ${timeout}s timeout; its thread is terminated and replaced (pid:${process.pid}): "${req.method} ${req.url} HTTP/${req.httpVersion}"`);
        if (head === undefined) abort.abort();
        else void terminateThread(pool, head.threadId).finally(() => res.destroy());
      }, deadlineMs);
    if (body) void sendChunks(body.port1, req).catch(() => undefined);
    try {
      head = (await pool.run(task, body ? { transferList: [body.port2] as never, signal: abort?.signal } : { signal: abort?.signal })) as ResponseHead;
    } catch (error) {
      clearTimeout(timer);
      body?.port1.close();
      if (abort?.signal.aborted) {
        sendError(res, 'requestTimeout');
        return;
      }
      throw error;
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

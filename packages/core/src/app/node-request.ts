// Design: the Fetch Request a node:http class hands a Fetch handler is core's lazy Request
// (lazy-request.ts), as on gthread and uws: building a platform Request, its Headers, an
// AbortController and a web stream over the IncomingMessage cost more than a hello handler.
// The init below is the request's only object of its own; the body stream and the signal are
// made on first use, by methods the lazy Request calls on it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LazyRequestInit } from './lazy-request.js';
import { schemeOf } from '../http/node-forwarded.js';
import { timedOutReason } from '../http/node-timed-out.js';
import { overHttp2 } from '../http/over-http2.js';
import { requestUrl } from './request-url.js';

/**
 * HTTP/1.1: a request carries content only when its framing says so (RFC 9112 §6.3); HTTP/2:
 * unless its HEADERS frame ended the stream.
 */
function hasContent(req: IncomingMessage): boolean {
  if (overHttp2(req)) return (req as unknown as { stream: { endAfterHeaders: boolean } }).stream.endAfterHeaders !== true;
  const headers = req.headers;
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

class NodeRequestInit implements LazyRequestInit {
  readonly method: string;
  readonly url: string;
  readonly target: string;
  readonly headers: readonly string[];
  readonly body: (() => ReadableStream<Uint8Array>) | null;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.method = req.method!;
    this.target = req.url!;
    this.url = requestUrl(req.headers.host, this.target, schemeOf(req.socket));
    this.headers = req.rawHeaders;
    this.body = hasContent(req) ? this.#bodyStream : null;
    this.#req = req;
    this.#res = res;
  }

  // A prototype method shared by every request: the lazy Request calls it as `init.body()`.
  #bodyStream(this: NodeRequestInit): ReadableStream<Uint8Array> {
    return bodyStream(this.#req);
  }

  /**
   * Aborts when the connection closes before the response is complete (the client went away),
   * or when --request-timeout answered for the app (with a TimeoutError as the reason).
   */
  signal(): AbortSignal {
    const res = this.#res;
    const controller = new AbortController();
    const onClose = (): void => {
      const timedOut = timedOutReason(res);
      if (timedOut !== undefined) controller.abort(timedOut);
      else if (!res.writableFinished) controller.abort();
    };
    if (res.closed) onClose();
    else res.once('close', onClose);
    return controller.signal;
  }
}

const BODY_HIGH_WATER_MARK = 64 * 1024;

/**
 * The request body as a web stream, paused at 64 KiB unread: what Readable.toWeb does, at a
 * fraction of its cost per chunk (measured: a 64 KiB upload to a Fetch handler on -k async).
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let over = false;
        const fail = (error: Error): void => {
          if (over) return;
          over = true;
          controller.error(error);
        };
        req.on('data', (chunk: Buffer) => {
          if (over) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          if (over) return;
          over = true;
          controller.close();
        });
        req.once('error', fail);
        // The client left mid-body: the reader sees an error, not a silently short body.
        req.once('aborted', () => fail(new Error('the client closed the connection')));
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.destroy();
      },
    },
    { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

/** What a lazy Request for `req` is made of; `res` tells when the client went away. */
export function nodeRequestInit(req: IncomingMessage, res: ServerResponse): LazyRequestInit {
  return new NodeRequestInit(req, res);
}

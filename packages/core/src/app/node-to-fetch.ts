// Design: run a Node request listener as a Fetch handler, for worker classes that serve Fetch
// natively (gthread inside its threads, uws). The listener gets an emulated req/res pair
// (emulated-request.ts, emulated-response.ts) complete enough for Express. The Response comes
// as soon as the app commits its head, so streaming works: returned at once when the app
// answered synchronously (most do; no promise, no extra turn), else through a promise. A
// listener that throws, or rejects before its head is out, rejects the call, so the caller answers 500 as for any other app error.

import type { FetchHandler, NodeListener } from './app.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatedSocket, emulateIncomingMessage, type GoneWatcher, type Peer, type SocketWatcher } from './emulated-request.js';
import { clientGone, emulateServerResponse, type ResponseSink } from './emulated-response.js';
import { abortSignalOf } from './lazy-request.js';

/** A Fetch handler that also takes the peer's address, which a Request cannot carry. */
export type EmulatedFetchHandler = (request: Request, peer?: Peer) => Response | Promise<Response>;

/**
 * One request's emulation: where the emulated response delivers its outcome (kept until
 * someone waits for it), and what hears that the client or the socket went away. A method of
 * one object per request, not closures, so a synchronous answer allocates nothing more.
 */
class Emulation implements ResponseSink, GoneWatcher, SocketWatcher {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly #socket: EmulatedSocket;
  response: Response | undefined;
  error: unknown;
  failed = false;
  #resolve: ((response: Response) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  constructor(request: Request, peer: Peer | undefined) {
    this.#socket = new EmulatedSocket(peer, this);
    this.req = emulateIncomingMessage(request, this.#socket);
    this.res = emulateServerResponse(this.req, this);
  }

  get settled(): boolean {
    return this.response !== undefined || this.failed;
  }

  respond(response: Response): void {
    if (this.settled) return;
    this.response = response;
    this.#resolve?.(response);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.failed = true;
    this.error = error;
    this.#reject?.(error);
  }

  /** The listener threw, or its promise rejected. */
  failBeforeHead(error: unknown): void {
    if (this.settled) {
      // The head is out: the client sees a cut-off body, the error goes to the error log.
      this.res.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.fail(error);
  }

  clientGone(): void {
    clientGone(this.res);
    this.#socket.destroy();
    // As node:http's own req when its client leaves: 'aborted' if it was not read to its end, then 'close'.
    this.req.destroy();
  }

  socketClosed(): void {
    if (!this.res.writableEnded) clientGone(this.res);
  }

  /** The outcome now, or a promise of it while the app is still working. */
  result(): Response | Promise<Response> {
    if (this.response !== undefined) return this.response;
    if (this.failed) return Promise.reject(this.error);
    return new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }
}

/** `listener` as a Fetch handler running on emulated req/res. */
export function nodeToFetchHandler(listener: NodeListener): EmulatedFetchHandler & FetchHandler {
  return (request: Request, peer?: Peer) => {
    const emulation = new Emulation(request, peer);
    // A serving side that can say so directly spares the request its AbortSignal.
    if (peer?.whenGone !== undefined) peer.whenGone(emulation);
    else abortSignalOf(request)?.addEventListener('abort', () => emulation.clientGone(), { once: true });
    try {
      const result = listener(emulation.req, emulation.res);
      if (isPromise(result)) result.then(undefined, (error: unknown) => emulation.failBeforeHead(error));
    } catch (error) {
      emulation.failBeforeHead(error);
    }
    return emulation.result();
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

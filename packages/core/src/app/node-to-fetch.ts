// Design: run a Node request listener as a Fetch handler, for worker classes that serve Fetch
// natively (gthread inside its threads, uws). The listener gets an emulated req/res pair
// (emulated-request.ts, emulated-response.ts) complete enough for Express. The Response comes
// as soon as the app commits its head, so streaming works: returned at once when the app
// answered synchronously (most do; no promise, no extra turn), else through a promise. A
// listener that throws, or rejects before its head is out, rejects the call, so the caller answers 500 as for any other app error.

import type { FetchHandler, NodeListener } from './app.js';
import { EmulatedSocket, emulateIncomingMessage, type Peer } from './emulated-request.js';
import { emulateServerResponse, type ResponseSink } from './emulated-response.js';
import { abortSignalOf } from './lazy-request.js';

/** A Fetch handler that also takes the peer's address, which a Request cannot carry. */
export type EmulatedFetchHandler = (request: Request, peer?: Peer) => Response | Promise<Response>;

/** Where the emulated response delivers its outcome: kept until someone waits for it. */
class Outcome implements ResponseSink {
  response: Response | undefined;
  error: unknown;
  failed = false;
  #resolve: ((response: Response) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

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
    const socket = new EmulatedSocket(peer);
    const req = emulateIncomingMessage(request, socket);
    const outcome = new Outcome();
    const { res, clientGone } = emulateServerResponse(req, outcome);
    const failBeforeHead = (error: unknown): void => {
      if (outcome.settled) {
        // The head is out: the client sees a cut-off body, the error goes to the error log.
        res.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      outcome.fail(error);
    };
    const onGone = (): void => {
      clientGone();
      socket.destroy();
      // As node:http's own req when its client leaves: 'aborted' if it was not read to its end, then 'close'.
      req.destroy();
    };
    // A serving side that can say so directly spares the request its AbortSignal.
    if (peer?.whenGone !== undefined) peer.whenGone(onGone);
    else abortSignalOf(request)?.addEventListener('abort', onGone, { once: true });
    socket.once('close', () => {
      if (!res.writableEnded) clientGone();
    });
    try {
      const result = listener(req, res);
      if (isPromise(result)) result.then(undefined, failBeforeHead);
    } catch (error) {
      failBeforeHead(error);
    }
    return outcome.result();
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

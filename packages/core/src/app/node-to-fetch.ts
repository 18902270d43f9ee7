// Design: run a Node request listener as a Fetch handler, for worker classes that serve Fetch
// natively (gthread inside its threads, uws). The listener gets an emulated req/res pair
// (emulated-request.ts, emulated-response.ts) complete enough for Express; the promise resolves
// with the Response as soon as the app commits its head, so streaming works, and rejects when
// the app throws or rejects before that, so the caller answers 500 as for any other app error.

import type { FetchHandler, NodeListener } from './app.js';
import { EmulatedSocket, emulateIncomingMessage, type Peer } from './emulated-request.js';
import { emulateServerResponse } from './emulated-response.js';
import { abortSignalOf } from './lazy-request.js';

/** A Fetch handler that also takes the peer's address, which a Request cannot carry. */
export type EmulatedFetchHandler = (request: Request, peer?: Peer) => Promise<Response>;

/** `listener` as a Fetch handler running on emulated req/res. */
export function nodeToFetchHandler(listener: NodeListener): EmulatedFetchHandler & FetchHandler {
  return (request: Request, peer?: Peer) =>
    new Promise<Response>((resolve, reject) => {
      const socket = new EmulatedSocket(peer);
      const req = emulateIncomingMessage(request, socket);
      let settled = false;
      const { res, clientGone } = emulateServerResponse(req, {
        respond(response) {
          settled = true;
          resolve(response);
        },
        fail(error) {
          settled = true;
          reject(error);
        },
      });
      const failBeforeHead = (error: unknown): void => {
        if (settled) {
          // The head is out: the client sees a cut-off body, the error goes to the error log.
          res.destroy(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        settled = true;
        reject(error);
      };
      abortSignalOf(request)?.addEventListener(
        'abort',
        () => {
          clientGone();
          socket.destroy();
        },
        { once: true },
      );
      socket.once('close', () => {
        if (!res.writableEnded) clientGone();
      });
      try {
        const result = listener(req, res);
        if (isPromise(result)) result.then(undefined, failBeforeHead);
      } catch (error) {
        failBeforeHead(error);
      }
    });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

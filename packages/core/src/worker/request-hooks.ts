// Design: Gunicorn's pre_request and post_request, called by the worker classes around each
// request that reaches the app. Both see the same neutral view of the request on every class
// and under both app contracts (Gunicorn passes its own parsed request, not the WSGI environ).
// When neither hook is configured the WorkerContext carries null and the classes keep the path
// they had: no wrapper, no view, no listener per request.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeListener } from '../app/app.js';
import type { Hooks, WorkerView } from '../config/types.js';
import type { Logger } from '../log/create-logger.js';

/** What preRequest and postRequest see of a request. */
export interface HookRequest {
  readonly method: string;
  /** The request-target as sent: `/path?query`. */
  readonly uri: string;
  readonly path: string;
  /** Without the `?`; empty when there is none. */
  readonly query: string;
  /** `1.1`, `1.0`. */
  readonly version: string;
  /** name, value, name, value… in the order received, names in lower case (uWebSockets.js keeps no other). */
  readonly headers: readonly string[];
  /** The client, or a trusted proxy's word for it (`--forwarded-allow-ips`); undefined on a unix socket. */
  readonly remoteAddress: string | undefined;
}

/** What postRequest sees of the response. */
export interface HookResponse {
  readonly status: number;
}

/** The configured hooks, bound to this worker; null in the context when neither is set. */
export interface RequestHooks {
  /** Runs preRequest; a throw propagates, and the class answers 500 as for an app error. */
  before(request: HookRequest): void;
  /** Runs postRequest, after the response is over; a throw is logged and swallowed. */
  after(request: HookRequest, response: HookResponse): void;
}

export function createRequestHooks(hooks: Partial<Pick<Hooks, 'preRequest' | 'postRequest'>>, worker: WorkerView, log: Logger): RequestHooks | null {
  const { preRequest, postRequest } = hooks;
  if (preRequest === undefined && postRequest === undefined) return null;
  return {
    before: (request) => {
      if (preRequest === undefined) return;
      const result = preRequest(worker, request) as unknown;
      if (result instanceof Promise) result.catch((error: unknown) => log.error({ err: error }, 'The preRequest hook failed'));
    },
    after: (request, response) => {
      if (postRequest === undefined) return;
      try {
        const result = postRequest(worker, request, response) as unknown;
        if (result instanceof Promise) result.catch((error: unknown) => log.error({ err: error }, 'The postRequest hook failed'));
      } catch (error) {
        log.error({ err: error }, 'The postRequest hook failed');
      }
    },
  };
}

/** A request view from its parts. */
export function hookRequest(method: string, uri: string, version: string, headers: readonly string[], remoteAddress: string | undefined): HookRequest {
  const mark = uri.indexOf('?');
  return { method, uri, path: mark < 0 ? uri : uri.slice(0, mark), query: mark < 0 ? '' : uri.slice(mark + 1), version, headers, remoteAddress };
}

/** `listener` with the hooks around it, or `listener` itself when there are none. */
export function withRequestHooks(listener: NodeListener, hooks: RequestHooks | null): NodeListener {
  if (hooks === null) return listener;
  return (req: IncomingMessage, res: ServerResponse) => {
    const request = hookRequest(req.method!, req.url!, req.httpVersion, lowerCaseNames(req.rawHeaders), req.socket.remoteAddress);
    // Registered first, so that a preRequest that throws (answered 500 by the class) still gets its postRequest.
    res.once('close', () => hooks.after(request, { status: res.statusCode }));
    hooks.before(request);
    return listener(req, res);
  };
}

export function lowerCaseNames(rawHeaders: readonly string[]): string[] {
  const headers = rawHeaders.slice();
  for (let index = 0; index < headers.length; index += 2) headers[index] = headers[index]!.toLowerCase();
  return headers;
}

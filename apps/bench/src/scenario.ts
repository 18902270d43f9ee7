// Design: a scenario (workload) is one plain ESM file in ../scenarios, loaded unchanged by
// every Node target (Narwhal, node:http, node:cluster, PM2, uWS) so that no loader or build
// step sits between a server and the code it serves. Each file exports the same response in
// every API (Node listener, Fetch handler, bare uWS handler) plus what wrk sends and what the
// harness expects back; Gunicorn's twin of each lives in ../anchors/gunicorn/wsgi_apps.py.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';

/** The load wrk (or h2load) puts on a target. */
export interface LoadShape {
  readonly method: 'GET' | 'POST';
  /** Concurrent connections (wrk -c). */
  readonly connections: number;
  /** Bytes of request body wrk sends with each request (upload). */
  readonly requestBodyBytes?: number;
  /** Served over TLS, by the targets that declare `tls`, with the harness's certificate (certificate.ts). */
  readonly tls?: boolean;
  /** Served over h2c with prior knowledge, by the targets that declare `http2`; h2load puts the load, not wrk. */
  readonly http2?: boolean;
}

/** The one response every target must give, checked before measuring. */
export interface ExpectedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface ScenarioInfo {
  readonly name: string;
  /** One line for tables and the docs. */
  readonly summary: string;
  readonly load: LoadShape;
  readonly expected: ExpectedResponse;
}

/** What each file in ../scenarios exports. */
export interface ScenarioModule {
  readonly scenario: ScenarioInfo;
  readonly node: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly uws: (res: HttpResponse, req: HttpRequest) => void;
}

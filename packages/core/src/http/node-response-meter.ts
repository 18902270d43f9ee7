// Design: request metrics on node:http, when they are on. A response records its start time as a
// property, and adding a property to node:http's own responses after they are made gives them a
// second shape in every inline cache of node:http's code that sees them before and after (about
// 3–5% of a hello request's CPU, measured with statsd-cost.sh, against 0.4% of samples in the
// meter's own functions). So HTTP/1.1 responses are made by a subclass given to createServer,
// which records the start in its constructor: one shape for all. HTTP/2's responses, made by
// node:http2, are metered the plain way. One 'close' listener serves every response (node:http
// calls it with the response as `this`); when metrics are off there is no meter and no subclass.

import { ServerResponse, type IncomingMessage } from 'node:http';
import type { RequestMetrics } from '../metrics/request-metrics.js';

const STARTED = Symbol('narwhal.startedAt');
type MeteredResponse = ServerResponse & { [STARTED]: number };

export interface ResponseMeter {
  /** node:http's response class for createServer: each response meters itself. */
  readonly ServerResponse: typeof ServerResponse;
  /** Meters a response made elsewhere (node:http2's). */
  meter(res: ServerResponse): void;
}

/** The meter, or null when metrics are off. */
export function nodeResponseMeter(metrics: RequestMetrics): ResponseMeter | null {
  if (!metrics.enabled) return null;
  function onClose(this: MeteredResponse): void {
    metrics.finished(this.statusCode, performance.now() - this[STARTED]);
  }
  const start = (res: ServerResponse): void => {
    metrics.started();
    (res as MeteredResponse)[STARTED] = performance.now();
    res.on('close', onClose);
  };
  // node:http passes (req, options) though the types know only req.
  const Base = ServerResponse as unknown as new (req: IncomingMessage, options: unknown) => ServerResponse;
  class SelfMeteringResponse extends Base {
    constructor(req: IncomingMessage, options: unknown) {
      super(req, options);
      start(this);
    }
  }
  return { ServerResponse: SelfMeteringResponse as unknown as typeof ServerResponse, meter: start };
}

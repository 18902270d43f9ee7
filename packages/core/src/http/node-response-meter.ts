// Design: request metrics on node:http, when they are on. One 'close' listener serves every
// response (node:http calls it with the response as `this`), so a request costs a start time
// stored on its response and two calls, and no closure; when metrics are off there is no meter.

import type { ServerResponse } from 'node:http';
import type { RequestMetrics } from '../metrics/request-metrics.js';

const STARTED = Symbol('narwhal.startedAt');
type MeteredResponse = ServerResponse & { [STARTED]: number };

/** Starts metering a response; null when metrics are off. */
export type ResponseMeter = (res: ServerResponse) => void;

export function nodeResponseMeter(metrics: RequestMetrics): ResponseMeter | null {
  if (!metrics.enabled) return null;
  function onClose(this: MeteredResponse): void {
    metrics.finished(this.statusCode, performance.now() - this[STARTED]);
  }
  return (res) => {
    metrics.started();
    (res as MeteredResponse)[STARTED] = performance.now();
    res.on('close', onClose);
  };
}

// Design: node:http parses a chunked body's trailer section and hands it to the request's
// `_addHeaderLines` just before it ends the body. An own property of that name sees the
// trailers first, so that one carrying a field no trailer may carry (request-head.ts) is
// refused before the app can take the body as complete. Installed only on chunked requests.

import { IncomingMessage } from 'node:http';
import { hasForbiddenTrailer } from './request-head.js';

type AddHeaderLines = (this: IncomingMessage, fields: string[], length: number) => void;

const addHeaderLines = (IncomingMessage.prototype as unknown as { _addHeaderLines: AddHeaderLines })._addHeaderLines;

/** Calls `refuse` instead of completing `req` when its trailers carry a forbidden field. */
export function guardTrailers(req: IncomingMessage, refuse: () => void): void {
  (req as unknown as { _addHeaderLines: AddHeaderLines })._addHeaderLines = function (fields, length) {
    if (this.complete && hasForbiddenTrailer(fields, length)) refuse();
    else addHeaderLines.call(this, fields, length);
  };
}

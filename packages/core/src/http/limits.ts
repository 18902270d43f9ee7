// Design: Gunicorn's three request limits, the same on every worker class. node:http enforces
// only a total header size (set from these limits) and silently drops headers beyond
// `maxHeadersCount`, so the per-field checks run in checkRequestHead (request-head.ts), once
// per request, on data the parser already produced.

import type { PlainSettings } from '../config/types.js';
import type { HttpErrorCode } from './status-table.js';

/** Gunicorn's hard ceiling for a request line and the default for a header field. */
const MAX_LINE = 8190;

export interface RequestLimits {
  /** Bytes in `METHOD SP TARGET SP HTTP/x.y`. */
  readonly requestLine: number;
  readonly fields: number;
  /** Bytes in `name: value` of one field. */
  readonly fieldSize: number;
  /** The whole request head, for parsers that take a single total (node:http's maxHeaderSize). */
  readonly headerBytes: number;
}

export function requestLimits(settings: Pick<PlainSettings, 'limitRequestLine' | 'limitRequestFields' | 'limitRequestFieldSize'>): RequestLimits {
  const requestLine = settings.limitRequestLine === 0 ? MAX_LINE : settings.limitRequestLine;
  const fieldSize = settings.limitRequestFieldSize === 0 ? MAX_LINE : settings.limitRequestFieldSize;
  const fields = settings.limitRequestFields;
  return { requestLine, fields, fieldSize, headerBytes: requestLine + 2 + fields * (fieldSize + 2) + 2 };
}

/**
 * Which limit an over-long head broke, from the chunk node:http was parsing when it gave up.
 * A chunk that starts a request line without ending it within the limit means the request
 * line; anything else is taken as the header fields (a request line longer than the whole
 * header budget, around 800 KB by default, arriving in several chunks, is reported as 431).
 */
export function classifyHeaderOverflow(limits: RequestLimits, rawPacket: Buffer | undefined): HttpErrorCode {
  if (rawPacket === undefined || !REQUEST_LINE_START.test(rawPacket.toString('latin1', 0, 32))) return 'headerFieldTooLarge';
  const lineEnd = rawPacket.indexOf('\r\n');
  return lineEnd < 0 || lineEnd > limits.requestLine ? 'requestLineTooLong' : 'headerFieldTooLarge';
}

const REQUEST_LINE_START = /^[A-Z]+ \S/;

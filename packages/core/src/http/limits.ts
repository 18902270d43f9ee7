// Design: Gunicorn's three request limits, checked the same way by every worker class.
// node:http enforces only a total header size (set from these limits) and silently drops
// headers beyond `maxHeadersCount`, so the per-field checks happen here, once per request,
// on data the parser already produced: no allocation, a handful of comparisons.

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

const VERSION_AND_SPACES = ' HTTP/1.1'.length + 1;

/**
 * The limit a parsed request breaks, or undefined.
 * @param rawHeaders name, value, name, value… as node:http's `req.rawHeaders`
 */
export function checkRequestLimits(limits: RequestLimits, method: string, url: string, rawHeaders: readonly string[]): HttpErrorCode | undefined {
  if (method.length + url.length + VERSION_AND_SPACES > limits.requestLine) return 'requestLineTooLong';
  if (rawHeaders.length > limits.fields * 2) return 'tooManyHeaders';
  const maxField = limits.fieldSize - 1; // the colon
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.length + rawHeaders[index + 1]!.length > maxField) return 'headerFieldTooLarge';
  }
  return undefined;
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

// Design: Gunicorn's three request limits, the same on every worker class. node:http enforces
// only a total header size (set from these limits) and silently drops headers beyond
// `maxHeadersCount`, so the per-field checks run in checkRequestHead (request-head.ts), once
// per request, on data the parser already produced.

import type { PlainSettings } from '../config/types.js';
import type { HttpErrorCode } from './status-table.js';

/** Gunicorn's ceiling for a request line (larger values are lowered to it) and its field size for 0. */
const MAX_LINE = 8190;
/**
 * `--limit-request-line 0` means unlimited in Gunicorn; its C parser still stops at 1 MiB, and
 * node:http needs a finite total for the head, so 0 means this here.
 */
const UNLIMITED_LINE = 1024 * 1024;
/** Gunicorn's ceiling for the number of fields, also what 0 means. */
const MAX_FIELDS = 32768;

export interface RequestLimits {
  /** Bytes in `METHOD SP TARGET SP HTTP/x.y`. */
  readonly requestLine: number;
  readonly fields: number;
  /** Bytes in `name: value` of one field. */
  readonly fieldSize: number;
  /** The whole request head, for parsers that take a single total (node:http's maxHeaderSize). */
  readonly headerBytes: number;
  /** `--permit-unconventional-http-method`: any token is served as a method, not only http.METHODS. */
  readonly anyTokenMethod: boolean;
}

/** The limits as Gunicorn's parser applies the settings (gunicorn/http/message.py), values past a ceiling lowered to it. */
export function requestLimits(settings: Pick<PlainSettings, 'limitRequestLine' | 'limitRequestFields' | 'limitRequestFieldSize'> & Partial<Pick<PlainSettings, 'permitUnconventionalHttpMethod'>>): RequestLimits {
  const requestLine = settings.limitRequestLine === 0 ? UNLIMITED_LINE : Math.min(settings.limitRequestLine, MAX_LINE);
  // Gunicorn's docs say 0 is unlimited here; its code uses 8190, and so does Narwhal.
  const fieldSize = settings.limitRequestFieldSize === 0 ? MAX_LINE : settings.limitRequestFieldSize;
  const fields = settings.limitRequestFields === 0 ? MAX_FIELDS : Math.min(settings.limitRequestFields, MAX_FIELDS);
  return { requestLine, fields, fieldSize, headerBytes: requestLine + 2 + fields * (fieldSize + 2) + 2, anyTokenMethod: settings.permitUnconventionalHttpMethod === true };
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

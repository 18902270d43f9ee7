// Design: the access log line of a request the front door refused before node:http or the app
// made anything of it (a malformed head, CONNECT). Gunicorn logs no line for those; a proxy like
// nginx does, and so do we: an operator sees the 400s in the same log as everything else. The
// record reads what it can from the refused bytes' first line, and only when there is one: a
// connection that never sent a line leaves no line.

import type { AccessRecord } from '../log/access-format.js';
import { errorResponse } from './error-response.js';
import type { HttpErrorCode } from './status-table.js';

const MAX_LINE_SCAN = 8192;
const VERSION = /^HTTP\/(\d\.\d)$/;
/** A token and a space: the start of a request line, not of a header field or of random bytes. */
const LOOKS_LIKE_REQUEST_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /;

class RefusedRecord implements AccessRecord {
  readonly remoteAddress: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly requestLine: string;
  readonly status: number;
  readonly bodyBytes: number;
  readonly durationMs = 0;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(remoteAddress: string | undefined, code: HttpErrorCode, requestLine: string) {
    const prepared = errorResponse(code);
    const [method, url, version] = requestLine.split(' ');
    this.remoteAddress = remoteAddress;
    this.requestLine = requestLine;
    this.method = method || '-';
    this.url = url ?? '-';
    this.httpVersion = VERSION.exec(version ?? '')?.[1] ?? '-';
    this.status = prepared.status;
    this.bodyBytes = prepared.body.length;
    this.#headers = prepared.headers;
  }

  requestHeader(): string | undefined {
    return undefined;
  }

  responseHeader(name: string): string | undefined {
    return this.#headers[name];
  }
}

/**
 * The record of refusing the request whose bytes `packet` holds, with `code`: its request line is
 * the last line at or before `offset` (where the parser stopped) that reads like one. Undefined
 * when there is none (a silent connection, random bytes).
 */
export function refusedRecord(remoteAddress: string | undefined, code: HttpErrorCode, packet: Uint8Array, offset = 0): AccessRecord | undefined {
  let lineEnd = Math.min(packet.length, offset + MAX_LINE_SCAN);
  for (let index = offset; index < lineEnd; index++) {
    if (packet[index] === 0x0a) {
      lineEnd = index;
      break;
    }
  }
  for (;;) {
    const lineStart = lineEnd === 0 ? 0 : packet.lastIndexOf(0x0a, lineEnd - 1) + 1;
    const end = lineEnd > lineStart && packet[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
    const line = Buffer.from(packet.buffer, packet.byteOffset + lineStart, Math.min(end - lineStart, MAX_LINE_SCAN)).toString('latin1');
    if (LOOKS_LIKE_REQUEST_LINE.test(line)) return new RefusedRecord(remoteAddress, code, line);
    if (lineStart === 0) return undefined;
    lineEnd = lineStart - 1;
  }
}

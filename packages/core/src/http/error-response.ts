// Design: error responses are built once at load time (pino-style prepared fragments), so
// answering a bad request allocates nothing. The body is a short text line: never a stack trace.

import type { ServerResponse } from 'node:http';
import { HTTP_ERRORS, type HttpErrorCode } from './status-table.js';

interface PreparedError {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** The whole response, for answering on a raw socket before any request object exists. */
  readonly raw: Buffer;
}

function prepare(code: HttpErrorCode): PreparedError {
  const entry: { status: number; reason: string; retryAfter?: number } = HTTP_ERRORS[code];
  const { status, reason } = entry;
  const body = Buffer.from(`${status} ${reason}\n`);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) };
  if (entry.retryAfter !== undefined) headers['retry-after'] = String(entry.retryAfter);
  const retryAfter = entry.retryAfter === undefined ? '' : `Retry-After: ${entry.retryAfter}\r\n`;
  const raw = Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: ${headers['content-type']}\r\nContent-Length: ${body.length}\r\n${retryAfter}\r\n${body.toString()}`,
  );
  return { status, body, headers, raw };
}

const PREPARED = Object.fromEntries(Object.keys(HTTP_ERRORS).map((code) => [code, prepare(code as HttpErrorCode)])) as Record<HttpErrorCode, PreparedError>;

/** The prepared status, headers and body of an error response. */
export function errorResponse(code: HttpErrorCode): PreparedError {
  return PREPARED[code];
}

/** Answers on a node:http response, or ends the connection when headers already went out. */
export function sendError(res: ServerResponse, code: HttpErrorCode, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const prepared = PREPARED[code];
  if (close) res.shouldKeepAlive = false;
  res.writeHead(prepared.status, prepared.headers);
  res.end(prepared.body);
}

/** The same error as a Fetch Response, for worker classes that run the Fetch contract natively. */
export function errorAsResponse(code: HttpErrorCode): Response {
  const prepared = PREPARED[code];
  return new Response(prepared.body, { status: prepared.status, headers: prepared.headers });
}

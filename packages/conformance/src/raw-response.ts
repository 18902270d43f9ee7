// Design: the kit judges a server by the bytes it sends, so it reads responses itself instead of
// trusting an HTTP client's leniency: the status line, the fields, a body framed by
// Content-Length, chunked coding or the close, and interim 1xx responses kept apart from final
// ones. Parsing is pure (bytes in, responses out); reading a socket is a thin loop around it.

import type { Socket } from 'node:net';

/** One response as it came over the wire. */
export interface RawResponse {
  /** `HTTP/1.1`, as sent. */
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** The fields in order, names as sent, values without surrounding whitespace (latin-1). */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The decoded body (chunked coding removed). */
  readonly body: Buffer;
  /** A 1xx interim response (`100 Continue`), which a final response follows. */
  readonly interim: boolean;
}

/** What a byte stream holds so far. */
export interface ParsedResponses {
  /** Every complete response, interim ones included, in order. */
  readonly responses: RawResponse[];
  /** Bytes after the last complete response: a response still arriving, or garbage. */
  readonly rest: Buffer;
  /** Why the bytes at `rest` can never become a response, when they cannot. */
  readonly malformed?: string;
}

export interface ParseOptions {
  /** The server closed: a body framed by neither length nor chunking ends here. */
  readonly closed?: boolean;
  /** Whether the final response with this index (0-based) answers a HEAD request, so has no body. */
  readonly answersHead?: (finalIndex: number) => boolean;
}

const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3})(?: ([^\r\n]*))?$/;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** The value of the first field named `name` (case-insensitive), or undefined. */
export function headerValue(response: RawResponse, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return response.headers.find(([field]) => field.toLowerCase() === wanted)?.[1];
}

/** Parses every complete response at the start of `bytes`. */
export function parseResponses(bytes: Buffer, options: ParseOptions = {}): ParsedResponses {
  const responses: RawResponse[] = [];
  let offset = 0;
  let finals = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf(HEAD_END, offset);
    if (headEnd < 0) break;
    const [statusLine = '', ...fieldLines] = bytes.toString('latin1', offset, headEnd).split('\r\n');
    const match = STATUS_LINE.exec(statusLine);
    if (!match) return { responses, rest: bytes.subarray(offset), malformed: `not a status line: ${JSON.stringify(statusLine.slice(0, 80))}` };
    const headers = fieldLines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const status = Number(match[2]);
    const head = { version: match[1]!, status, reason: match[3] ?? '', headers };
    const bodyStart = headEnd + HEAD_END.length;
    if (status >= 100 && status < 200 && status !== 101) {
      responses.push({ ...head, body: Buffer.alloc(0), interim: true });
      offset = bodyStart;
      continue;
    }
    const framed = frameBody(bytes, bodyStart, head.headers, status, options.answersHead?.(finals) ?? false, options.closed ?? false);
    if (framed === 'incomplete') break;
    if (typeof framed === 'string') return { responses, rest: bytes.subarray(offset), malformed: framed };
    responses.push({ ...head, body: framed.body, interim: false });
    finals++;
    offset = framed.end;
  }
  return { responses, rest: bytes.subarray(offset) };
}

type Framed = { body: Buffer; end: number } | 'incomplete' | string;

function frameBody(bytes: Buffer, start: number, headers: readonly (readonly [string, string])[], status: number, answersHead: boolean, closed: boolean): Framed {
  if (answersHead || status === 204 || status === 304) return { body: Buffer.alloc(0), end: start };
  const field = (name: string): string | undefined => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const transferEncoding = field('transfer-encoding');
  if (transferEncoding !== undefined && /(^|,)\s*chunked\s*$/i.test(transferEncoding)) return decodeChunked(bytes, start);
  const contentLength = field('content-length');
  if (contentLength !== undefined) {
    if (!/^\d+$/.test(contentLength)) return `bad Content-Length ${JSON.stringify(contentLength)}`;
    const end = start + Number(contentLength);
    return bytes.length < end ? 'incomplete' : { body: bytes.subarray(start, end), end };
  }
  return closed ? { body: bytes.subarray(start), end: bytes.length } : 'incomplete';
}

function decodeChunked(bytes: Buffer, start: number): Framed {
  const chunks: Buffer[] = [];
  let cursor = start;
  for (;;) {
    const lineEnd = bytes.indexOf(CRLF, cursor);
    if (lineEnd < 0) return 'incomplete';
    const sizeText = bytes.toString('latin1', cursor, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) return `bad chunk size ${JSON.stringify(sizeText)}`;
    const size = parseInt(sizeText, 16);
    cursor = lineEnd + CRLF.length;
    if (size === 0) {
      // Trailer fields, then the empty line that ends the message.
      for (;;) {
        const trailerEnd = bytes.indexOf(CRLF, cursor);
        if (trailerEnd < 0) return 'incomplete';
        const empty = trailerEnd === cursor;
        cursor = trailerEnd + CRLF.length;
        if (empty) return { body: Buffer.concat(chunks), end: cursor };
      }
    }
    if (bytes.length < cursor + size + CRLF.length) return 'incomplete';
    chunks.push(bytes.subarray(cursor, cursor + size));
    cursor += size;
    if (bytes[cursor] !== 0x0d || bytes[cursor + 1] !== 0x0a) return 'chunk data not followed by CRLF';
    cursor += CRLF.length;
  }
}

/** What one connection produced before it ended, or before the deadline. */
export interface Exchange extends ParsedResponses {
  /** The server closed the connection (FIN or reset) before the deadline. */
  readonly closed: boolean;
  /** The close was a reset (ECONNRESET) rather than an orderly FIN. */
  readonly reset: boolean;
  /** The deadline passed with the exchange still undecided. */
  readonly timedOut: boolean;
  /** From the start of reading to the outcome. */
  readonly elapsedMs: number;
}

export interface ReadOptions extends Pick<ParseOptions, 'answersHead'> {
  /** Stop once this many final responses are complete (default 1)… */
  readonly responses?: number;
  /** …and, if so, once the server also closed; a final 4xx/5xx always waits for the close. */
  readonly untilClose?: boolean;
  /** Stop at the first interim (1xx) response instead, as a client waiting for `100 Continue` does. */
  readonly untilInterim?: boolean;
  /** Give up after this long (default 1000 ms): the exchange is then `timedOut`. */
  readonly deadlineMs?: number;
  /** Bytes an earlier read on this socket received past what it parsed (its `rest`): they come first. */
  readonly after?: Buffer;
}

/**
 * Reads responses from `socket` until the exchange is decided: the wanted number of final
 * responses arrived (and the close, after an error status or with `untilClose`), the server
 * closed, the bytes cannot be a response, or the deadline passed. Leaves the socket open and
 * paused, so that a later call reads what arrives next; the caller destroys it.
 */
export function readResponses(socket: Socket, options: ReadOptions = {}): Promise<Exchange> {
  const wanted = options.responses ?? 1;
  const started = Date.now();
  const received: Buffer[] = options.after === undefined || options.after.length === 0 ? [] : [options.after];
  let reset = false;
  return new Promise((resolve) => {
    const finish = (closed: boolean, timedOut: boolean): void => {
      clearTimeout(timer);
      socket.off('data', onData).off('close', onClose).off('error', onError);
      socket.pause();
      const parsed = parseResponses(Buffer.concat(received), { answersHead: options.answersHead, closed });
      resolve({ ...parsed, closed, reset, timedOut, elapsedMs: Date.now() - started });
    };
    const decided = (): boolean => {
      const parsed = parseResponses(Buffer.concat(received), { answersHead: options.answersHead });
      if (parsed.malformed !== undefined) return true;
      if (options.untilInterim === true && parsed.responses.some((response) => response.interim)) return true;
      const finals = parsed.responses.filter((response) => !response.interim);
      const last = finals.at(-1);
      return finals.length >= wanted && last !== undefined && last.status < 400 && options.untilClose !== true;
    };
    const onData = (chunk: Buffer): void => {
      received.push(chunk);
      if (decided()) finish(false, false);
    };
    const onClose = (): void => finish(true, false);
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
    };
    const timer = setTimeout(() => finish(false, true), options.deadlineMs ?? 1000);
    socket.on('data', onData).on('close', onClose).on('error', onError);
    socket.resume();
    if (socket.destroyed) finish(true, false);
    else if (received.length > 0 && decided()) finish(false, false);
  });
}

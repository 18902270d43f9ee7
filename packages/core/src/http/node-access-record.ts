// Design: an AccessRecord read off node:http's req/res, built only when the access log is on.
// node:http counts no body bytes, so the record wraps this response's write() and end() to
// count what the app sends (chunk framing excluded); that per-request wrapping is the cost of
// turning the access log on, and none is paid when it is off.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AccessRecord } from '../log/access-format.js';
import { schemeOf } from './node-forwarded.js';

type WriteArgs = [chunk?: unknown, encoding?: unknown, callback?: unknown];

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array | null | undefined)?.byteLength ?? 0;
}

/** A field's value in a rendered response head, by lower-case name. */
export function fieldOfHead(head: string, name: string): string | undefined {
  return new RegExp(`\\r\\n${name.replace(/[^a-z0-9-]/gi, '')}:[ \\t]*([^\\r]*)`, 'i').exec(head)?.[1];
}

/** What a record reads off the request: shared with the upgrade record (node-upgrade-record.ts). */
export abstract class NodeRequestRecord implements AccessRecord {
  protected readonly req: IncomingMessage;
  readonly #socket: Socket;
  readonly #start = performance.now();
  durationMs = 0;
  abstract readonly bodyBytes: number | undefined;
  abstract readonly status: number;

  /** `socket`: the connection, when `req.socket` is not it (HTTP/2's is a proxy that forgets it once the stream ends). */
  constructor(req: IncomingMessage, socket: Socket = req.socket) {
    this.req = req;
    this.#socket = socket;
    // Read now: the line is written when the response is over, and a socket already closed by
    // then (a client that hung up, HTTP/1.1 on an h2 TLS port) no longer knows its peer unless
    // net.Socket has cached it, which this first read does.
    void socket.remoteAddress;
  }

  /** Stamps the duration once the response is over. */
  finish(): this {
    this.durationMs = performance.now() - this.#start;
    return this;
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  get scheme(): string {
    return schemeOf(this.#socket);
  }

  get method(): string {
    return this.req.method ?? '-';
  }

  get url(): string {
    return this.req.url ?? '-';
  }

  get httpVersion(): string {
    return this.req.httpVersion;
  }

  requestHeader(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  abstract responseHeader(name: string): string | undefined;
}

export class NodeAccessRecord extends NodeRequestRecord {
  readonly #res: ServerResponse;
  #ending = false;
  bodyBytes = 0;

  constructor(req: IncomingMessage, res: ServerResponse, socket: Socket = req.socket) {
    super(req, socket);
    this.#res = res;
    // node:http sends no body for HEAD, whatever the app writes.
    if (req.method === 'HEAD') return;
    const write = res.write as (...args: WriteArgs) => boolean;
    const end = res.end as (...args: WriteArgs) => ServerResponse;
    res.write = ((...args: WriteArgs) => {
      if (!this.#ending) this.bodyBytes += byteLength(args[0], args[1]);
      return write.apply(res, args);
    }) as ServerResponse['write'];
    res.end = ((...args: WriteArgs) => {
      if (typeof args[0] !== 'function') this.bodyBytes += byteLength(args[0], args[1]);
      // HTTP/2's end() writes its chunk with write(): counted once, here.
      this.#ending = true;
      try {
        return end.apply(res, args);
      } finally {
        this.#ending = false;
      }
    }) as ServerResponse['end'];
  }

  get status(): number {
    return this.#res.statusCode;
  }

  responseHeader(name: string): string | undefined {
    const value = this.#res.getHeader(name);
    if (value !== undefined) return Array.isArray(value) ? value.join(', ') : String(value);
    // Headers given to writeHead() are kept only in the head node:http already rendered.
    const head = (this.#res as unknown as { _header?: string | null })._header;
    if (typeof head !== 'string') return undefined;
    return fieldOfHead(head, name);
  }
}

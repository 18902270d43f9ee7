// Design: an AccessRecord read off node:http's req/res, built only when the access log is on.
// Body bytes come from what the socket wrote minus the response head, since node:http counts
// no body bytes of its own; with chunked encoding the chunk framing is included.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessRecord } from '../log/access-format.js';

export class NodeAccessRecord implements AccessRecord {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #start = performance.now();
  readonly #writtenBefore: number;
  durationMs = 0;
  bodyBytes: number | undefined;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
    this.#writtenBefore = req.socket.bytesWritten;
  }

  /** Stamps the duration and the body size once the response is over. */
  finish(): this {
    this.durationMs = performance.now() - this.#start;
    const head = (this.#res as unknown as { _header?: string | null })._header;
    const declared = this.#res.getHeader('content-length');
    if (declared !== undefined) this.bodyBytes = Number(declared);
    else if (typeof head === 'string') this.bodyBytes = Math.max(0, this.#req.socket.bytesWritten - this.#writtenBefore - Buffer.byteLength(head));
    return this;
  }

  get remoteAddress(): string | undefined {
    return this.#req.socket.remoteAddress;
  }

  get method(): string {
    return this.#req.method ?? '-';
  }

  get url(): string {
    return this.#req.url ?? '-';
  }

  get httpVersion(): string {
    return this.#req.httpVersion;
  }

  get status(): number {
    return this.#res.statusCode;
  }

  requestHeader(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  responseHeader(name: string): string | undefined {
    const value = this.#res.getHeader(name);
    return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
  }
}

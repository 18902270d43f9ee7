// Design: one request/response pair on uWebSockets.js. uWS invalidates `res` once the response
// ends or the client aborts, and aborts the process if it is used after that, so every touch of
// `res` goes through this object, which knows whether it is still valid. Writes after the
// synchronous part of the handler are corked (one syscall for status, headers and body).
// Bodies: the request body is a ReadableStream fed by onData, paused when its reader falls
// behind; the response body goes out whole with end() or chunk by chunk with write(), waiting
// for onWritable under back-pressure.

import { STATUS_CODES } from 'node:http';
import { listHasToken, responseParts, restOfBody, startBody, type AccessRecord, type GoneWatcher, type HookRequest, type Peer, type ResponseParts, type StreamingBody } from '@narwhal/core/worker';
import type { HttpResponse, us_socket_context_t } from 'uWebSockets.js';
import type { Handshake } from './fetch-websockets.js';

/** The serving worker, read when a response goes out. */
export interface DrainState {
  /** A graceful stop began: every response from now on is its connection's last. */
  readonly draining: boolean;
}

const BODY_HIGH_WATER_MARK = 64 * 1024;
const SKIPPED_RESPONSE_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive', 'date']);
const statusLines = new Map<number, string>();

function statusLine(status: number, text: string): string {
  if (text !== '') return `${status} ${text}`;
  let line = statusLines.get(status);
  if (line === undefined) statusLines.set(status, (line = `${status} ${STATUS_CODES[status] ?? 'Unknown'}`));
  return line;
}

function byteLengthOf(body: ResponseParts['body']): number {
  return body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

export class Exchange implements AccessRecord, Peer {
  readonly res: HttpResponse;
  readonly method: string;
  readonly url: string;
  /** name, value… as uWS listed them, lower-case names. */
  readonly headers: string[];
  readonly #started = performance.now();
  readonly #onDone: (exchange: Exchange) => void;
  #controller: AbortController | undefined;
  #whenGone: GoneWatcher | undefined;
  /** The request body's stream, errored when the client leaves (no AbortSignal needed for that). */
  #bodyController: ReadableStreamDefaultController<Uint8Array> | undefined;
  #writable: (() => void) | undefined;
  #response: Response | undefined;
  #errorHeaders: Readonly<Record<string, string>> | undefined;
  #parts: ResponseParts | undefined;
  aborted = false;
  done = false;
  /** --request-timeout passed: the app's signal aborted with #abortReason. */
  timedOut = false;
  #abortReason: DOMException | undefined;
  /** A streamed response's head is out: past the deadline the connection can only be cut. */
  #headSent = false;
  #closeConnection: boolean;
  /** uWS's handler has not returned yet: it keeps the socket corked, so writes need no cork() of their own. */
  #inHandler = true;
  readonly #worker: DrainState;
  status = 0;
  bodyBytes: number | undefined = 0;
  durationMs = 0;
  readonly httpVersion = '1.1';
  #remoteAddress: string | undefined;
  /** https over TLS (set by the service), or when a trusted proxy said so. */
  scheme: 'http' | 'https' = 'http';
  /** What the preRequest and postRequest hooks see, when they are configured. */
  hookRequest: HookRequest | undefined;
  /** A WebSocket handshake the app may claim (fetch-websockets.ts). */
  handshake: Handshake | undefined;

  constructor(res: HttpResponse, method: string, url: string, headers: string[], closeConnection: boolean, worker: DrainState, onDone: (exchange: Exchange) => void) {
    this.res = res;
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.#closeConnection = closeConnection;
    this.#worker = worker;
    this.#onDone = onDone;
  }

  /**
   * uWS's handler is returning. A response still open needs onAborted from now on (uWS
   * requires it then); one answered in the handler never does, so it costs no closure.
   */
  handlerReturned(): void {
    this.#inHandler = false;
    if (!this.done) this.res.onAborted(() => this.#onAborted());
  }

  /**
   * Close the connection after this response: keep-alive 0, an error, or a worker that is
   * stopping, including for a request that arrived before the stop began, so that its client
   * learns the connection ends with this response rather than from a close.
   */
  get closeConnection(): boolean {
    return this.#closeConnection || this.#worker.draining;
  }

  /**
   * Before a whole response's end(…, true): uWS writes `Connection: close` itself then, unless
   * the client's request said close, when it stays silent; so the field goes out once either way.
   */
  #sayClosingIfSilent(): void {
    const headers = this.headers;
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i] === 'connection' && listHasToken(headers[i + 1]!, 'close')) {
        this.res.writeHeader('connection', 'close');
        return;
      }
    }
  }

  /**
   * The client's address (or a trusted proxy's client), asked of uWS on first use (a system
   * call: about 5 µs here, a third of what a Node listener's hello costs) while `res` is valid;
   * after the response is over, what was read before, else undefined. The access log reads it
   * at the start of every request.
   */
  get remoteAddress(): string | undefined {
    if (this.#remoteAddress === undefined && !this.done) this.#remoteAddress = Buffer.from(this.res.getRemoteAddressAsText()).toString();
    return this.#remoteAddress;
  }

  /** A trusted proxy's client, in place of the peer. */
  set remoteAddress(address: string | undefined) {
    this.#remoteAddress = address;
  }

  /** Peer: https when a trusted proxy said so. */
  get encrypted(): boolean {
    return this.scheme === 'https';
  }

  /** The signal a Request carries; created only when asked for. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted || this.timedOut) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /** Peer: a Node listener's emulation learns here that the client left, without a signal. */
  whenGone(watcher: GoneWatcher): void {
    this.#whenGone = watcher;
  }

  #onAborted(): void {
    this.aborted = true;
    this.#controller?.abort();
    this.#bodyController?.error(new Error('the client closed the connection'));
    this.#whenGone?.clientGone();
    this.#writable?.();
    this.#finish();
  }

  /**
   * --request-timeout: tells the app as when its client leaves (the signal aborts with `reason`).
   * True when the response had started and the connection was cut; else the caller answers.
   */
  timeOut(reason: DOMException): boolean {
    this.timedOut = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.#bodyController?.error(reason);
    this.#whenGone?.clientGone();
    if (!this.#headSent) return false;
    this.#finish();
    this.res.close();
    // A write waiting for the socket to drain learns the response is over.
    this.#writable?.();
    return true;
  }

  #finish(): void {
    if (this.done) return;
    this.done = true;
    this.durationMs = performance.now() - this.#started;
    this.#onDone(this);
  }

  /** The request body as a stream that pauses uWS when its reader falls behind. */
  requestBody(): ReadableStream<Uint8Array> {
    let paused = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (streamController) => {
          controller = streamController;
        },
        pull: () => {
          if (paused && !this.done) {
            paused = false;
            this.res.resume();
          }
        },
      },
      { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
    this.#bodyController = controller;
    this.res.onData((data, isLast) => {
      // `data` is only valid during this call: copied into memory of our own, not zero-filled first.
      const copy = Buffer.allocUnsafe(data.byteLength);
      copy.set(new Uint8Array(data));
      controller.enqueue(new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength));
      if (isLast) controller.close();
      else if ((controller.desiredSize ?? 0) <= 0 && !paused) {
        paused = true;
        this.res.pause();
      }
    });
    return stream;
  }

  /**
   * Answers 101 and hands the connection to uWS's WebSocket behaviour. `res` is gone after it;
   * the exchange stays in flight until the socket closes (`socketClosed`).
   */
  upgrade(userData: unknown, key: string, protocol: string, extensions: string, context: us_socket_context_t): void {
    if (this.done) return;
    this.status = 101;
    this.done = true;
    this.res.cork(() => this.res.upgrade(userData, key, protocol, extensions, context));
  }

  /** The upgraded socket closed: the exchange is over, its duration the socket's lifetime. */
  socketClosed(): void {
    this.durationMs = performance.now() - this.#started;
    this.#onDone(this);
  }

  /** Answers with one of core's prepared errors (limits, app failure) and closes the connection. */
  sendError(statusLine: string, prepared: { readonly status: number; readonly body: Uint8Array; readonly headers: Readonly<Record<string, string>> }): void {
    if (this.done) return;
    this.status = prepared.status;
    this.bodyBytes = prepared.body.byteLength;
    this.#errorHeaders = prepared.headers;
    this.res.cork(() => {
      this.res.writeStatus(statusLine);
      for (const name in prepared.headers) if (name !== 'content-length') this.res.writeHeader(name, prepared.headers[name]!);
      this.#sayClosingIfSilent();
      this.res.end(prepared.body, true);
    });
    this.#finish();
  }

  /**
   * Writes `response`: at once when it was built the simple way (no promise), else whole when
   * its body is complete or streamed; the promise rejects when the app's body stream fails.
   */
  respond(response: Response): Promise<void> | undefined {
    if (this.done) {
      void response.body?.cancel();
      return undefined;
    }
    const parts = responseParts(response);
    if (parts === undefined) return this.#respondReal(response);
    this.#respondParts(parts);
    return undefined;
  }

  async #respondReal(response: Response): Promise<void> {
    this.#response = response;
    this.status = response.status;
    const body = response.body;
    if (body === null || this.method === 'HEAD') {
      void body?.cancel();
      const length = response.headers.get('content-length');
      this.res.cork(() => {
        this.#writeHead(response);
        if (this.closeConnection) this.#sayClosingIfSilent();
        if (length !== null) this.res.endWithoutBody(Number(length), this.closeConnection);
        else this.res.end(undefined, this.closeConnection);
      });
      return this.#finish();
    }
    const start = await startBody(body);
    if (this.done) {
      void ('reader' in start ? start.reader.cancel() : undefined);
      return;
    }
    if ('whole' in start) {
      this.bodyBytes = start.whole?.byteLength ?? 0;
      this.res.cork(() => {
        this.#writeHead(response);
        if (this.closeConnection) this.#sayClosingIfSilent();
        this.res.end(start.whole ?? undefined, this.closeConnection);
      });
      return this.#finish();
    }
    await this.#stream(response, start);
  }

  /** The fast path: a response built from a string or bytes with plain headers, written as recorded. */
  #respondParts(parts: ResponseParts): void {
    this.#parts = parts;
    this.status = parts.status;
    this.bodyBytes = this.method === 'HEAD' ? 0 : byteLengthOf(parts.body);
    // Inside uWS's handler the socket is corked already: no closure for cork() on the common path.
    if (this.#inHandler) this.#writeParts();
    else this.res.cork(() => this.#writeParts());
    this.#finish();
  }

  #writeParts(): void {
    const parts = this.#parts!;
    const res = this.res;
    res.writeStatus(statusLine(parts.status, ''));
    const headers = parts.headers;
    if (headers !== undefined) {
      for (const name in headers) if (!SKIPPED_RESPONSE_HEADERS.has(name.toLowerCase())) res.writeHeader(name, headers[name]!);
    }
    if (parts.defaultContentType !== undefined) res.writeHeader('content-type', parts.defaultContentType);
    const closing = this.closeConnection;
    if (closing) this.#sayClosingIfSilent();
    const body = parts.body;
    if (this.method === 'HEAD') res.endWithoutBody(byteLengthOf(body), closing);
    else res.end(body ?? undefined, closing);
  }

  #writeHead(response: Response): void {
    this.res.writeStatus(statusLine(response.status, response.statusText));
    for (const [name, value] of response.headers) {
      if (!SKIPPED_RESPONSE_HEADERS.has(name)) this.res.writeHeader(name, value);
    }
  }

  /**
   * A streamed body. uWS's end(…, true) writes `Connection: close` itself, which is right for a
   * whole response and corrupts a chunked one (the field lands in the body): a stream says so
   * in its head and ends without it. A stop that begins mid-stream closes the connection once
   * the response is over, with the other idle ones.
   */
  async #stream(response: Response, start: StreamingBody): Promise<void> {
    const closing = this.closeConnection;
    this.res.cork(() => {
      this.#writeHead(response);
      if (closing) this.res.writeHeader('connection', 'close');
    });
    this.#headSent = true;
    this.res.onWritable(() => {
      const wake = this.#writable;
      this.#writable = undefined;
      wake?.();
      return true;
    });
    try {
      if (!(await this.#write(start.first))) return;
      for await (const chunk of restOfBody(start)) if (!(await this.#write(chunk))) return;
      if (this.done) return;
      this.res.cork(() => this.res.end(undefined, false));
      this.#finish();
    } catch (error) {
      // The app's stream failed mid-body: the head is out, so cut the connection.
      if (!this.done) {
        this.res.close();
        this.#finish();
      }
      throw error;
    } finally {
      if (this.aborted || this.timedOut) void start.reader.cancel();
    }
  }

  /** Writes one chunk; resolves false when the client is gone. */
  async #write(chunk: Uint8Array): Promise<boolean> {
    if (this.done) return false;
    this.bodyBytes! += chunk.byteLength;
    let accepted = true;
    this.res.cork(() => {
      accepted = this.res.write(chunk);
    });
    if (!accepted) await new Promise<void>((resolve) => (this.#writable = resolve));
    return !this.done;
  }

  requestHeader(name: string): string | undefined {
    for (let index = 0; index < this.headers.length; index += 2) if (this.headers[index] === name) return this.headers[index + 1];
    return undefined;
  }

  responseHeader(name: string): string | undefined {
    if (this.#parts !== undefined) {
      if (name === 'content-type' && this.#parts.defaultContentType !== undefined) return this.#parts.defaultContentType;
      for (const key in this.#parts.headers) if (key.toLowerCase() === name) return this.#parts.headers[key];
      return undefined;
    }
    return this.#errorHeaders?.[name] ?? this.#response?.headers.get(name) ?? undefined;
  }
}

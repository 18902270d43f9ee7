// Design: the `req` half of running a Node request listener without node:http (in a worker
// thread, on uWebSockets.js). It is a real `http.IncomingMessage`, because frameworks replace
// its prototype with their own subclass of IncomingMessage.prototype (Express does) and then
// call Node's own methods on it; only what would touch a socket is replaced, as own
// properties, which survive that prototype swap. The body is pulled from the Request's stream
// on demand, so a large upload is never buffered whole.

import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { lazyRequestInit, requestBodyStream, requestTargetOf } from './lazy-request.js';

/**
 * Who is on the other end of the connection, when the serving side knows it. The emulated
 * socket reads `remoteAddress` and `remotePort` on first use only (a getter may ask the engine).
 */
export interface Peer {
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** True behind TLS, so `req.protocol` (Express) says https. */
  readonly encrypted?: boolean;
  /**
   * Tells `watcher` once if the client goes away before the response is over. A serving side
   * that knows this directly (uws's exchange, gthread's cancellation) saves the emulation from
   * watching `request.signal`, whose AbortController costs more than the rest of a hello.
   */
  whenGone?(watcher: GoneWatcher): void;
}

/** What a Peer tells when its client goes away (an object, so no closure per request). */
export interface GoneWatcher {
  clientGone(): void;
}

/** The emulation's own ear on the stand-in socket, told before any listener the app added. */
export interface SocketWatcher {
  socketClosed(): void;
}

/**
 * The stand-in for `req.socket`: frameworks read the peer address and `encrypted` from it and
 * destroy it to abort; the response side listens for its `close`. An EventEmitter by its
 * prototype only: EventEmitter's methods set up its listener table on first use, so the
 * socket of a request nobody listens to costs none (the constructor's would, every request).
 */
export class EmulatedSocket {
  readonly #peer: Peer | undefined;
  readonly #watcher: SocketWatcher;
  // on-finished (Express, body parsers) takes a socket that is not readable as a finished request.
  readable = true;
  writable = true;
  destroyed = false;

  constructor(peer: Peer | undefined, watcher: SocketWatcher) {
    this.#peer = peer;
    this.#watcher = watcher;
  }

  // Read when the app asks: on uws the address costs a system call, and most requests never ask.
  get remoteAddress(): string | undefined {
    return this.#peer?.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#peer?.remotePort;
  }

  get remoteFamily(): string | undefined {
    const address = this.remoteAddress;
    return address === undefined ? undefined : address.includes(':') ? 'IPv6' : 'IPv4';
  }

  get encrypted(): boolean {
    return this.#peer?.encrypted ?? false;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.readable = false;
    this.writable = false;
    this.#watcher.socketClosed();
    emit.call(this, 'close', true);
    return this;
  }

  // Timeouts and keep-alive belong to the real connection, which the serving side owns.
  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  address(): object {
    return {};
  }
}

Object.setPrototypeOf(EmulatedSocket.prototype, EventEmitter.prototype);
const emit = EventEmitter.prototype.emit;

/** An IncomingMessage for `request`, its body streamed from `request.body` as it is read. */
export function emulateIncomingMessage(request: Request, socket: EmulatedSocket): IncomingMessage {
  const req = new IncomingMessage(socket as never);
  req.method = request.method;
  req.url = requestTargetOf(request) ?? pathOf(request.url);
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  const lazy = lazyRequestInit(request);
  let rawHeaders = lazy === undefined ? rawHeadersOf(request.headers) : lazy.headers;
  const body = requestBodyStream(request);
  // On the wire a body always has one of the two, and body parsers look for them.
  if (body !== null && !hasFraming(rawHeaders)) rawHeaders = [...rawHeaders, 'transfer-encoding', 'chunked'];
  // What node:http's parser calls: it keeps the list (the server's own, shared, not copied), and
  // Node builds `req.headers` from it on first read, with its own rules for repeated fields, so
  // a listener that never reads them (a hello) costs no object for them.
  (req as unknown as NodeParserSide)._addHeaderLines(rawHeaders, rawHeaders.length);
  if (body === null) {
    req.complete = true;
    // Ended when first read, as the end of a body is only seen then: a listener that never
    // reads its bodiless request costs no stream work (and no tick) for it.
    req._read = endOfBody;
    return req;
  }
  // Own property, as `_read` below: Node's own _destroy waits for the socket with
  // stream.finished(), which refuses the stand-in socket. This does what it does otherwise: an
  // unfinished body is aborted, and the error reaches 'error' listeners only when there are some.
  req._destroy = (error, callback) => {
    if (!req.readableEnded || !req.complete) {
      req.aborted = true;
      req.emit('aborted');
    }
    socket.destroy();
    callback(req.listenerCount('error') > 0 ? error : null);
  };
  const reader = body.getReader();
  let reading = false;
  // IncomingMessage starts with `readingMore` set so that Readable waits for the socket; Node's
  // own _read clears it, and so must this one, or a 'data' consumer never sees the end.
  (req as unknown as { _readableState: { readingMore: boolean } })._readableState.readingMore = false;
  // Own property: survives a framework's prototype swap, and replaces Node's read from the socket.
  req._read = () => {
    if (reading) return;
    reading = true;
    reader.read().then(
      ({ done, value }) => {
        reading = false;
        if (done) {
          req.complete = true;
          req.push(null);
        } else {
          req.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        }
      },
      (error: unknown) => req.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  };
  return req;
}

/** `_read` of a request without a body (own property, as for one with a body). */
function endOfBody(this: IncomingMessage): void {
  this.push(null);
}

/** What node:http's parser calls on an IncomingMessage when the head is parsed. */
interface NodeParserSide {
  _addHeaderLines(rawHeaders: readonly string[], length: number): void;
}

/** name, value… of Fetch Headers, as a raw list (set-cookie one entry each, as sent). */
function rawHeadersOf(fetchHeaders: Headers): string[] {
  const rawHeaders: string[] = [];
  for (const [name, value] of fetchHeaders) if (name !== 'set-cookie') rawHeaders.push(name, value);
  for (const cookie of fetchHeaders.getSetCookie()) rawHeaders.push('set-cookie', cookie);
  return rawHeaders;
}

/** True when the request says how its body is framed (Content-Length or Transfer-Encoding). */
function hasFraming(raw: readonly string[]): boolean {
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    if (name === 'content-length' || name === 'transfer-encoding') return true;
  }
  return false;
}

/** `/path?query` of an absolute URL, without parsing the whole URL. */
function pathOf(url: string): string {
  const authority = url.indexOf('//');
  const path = url.indexOf('/', authority === -1 ? 0 : authority + 2);
  return path === -1 ? '/' : url.slice(path);
}

// Design: the Fetch contract's `websocket` handler (Bun's shape, core's websocket/handler.ts) on
// node:http, over the `ws` package, which is imported only when an app has such a handler. A
// handshake that passed core's front door is turned into a Request for the app's `fetch`; if the
// app claims it with `server.upgrade()`, ws answers 101 and the socket is wrapped in a small
// ServerWebSocket, else the app's Response is written on the socket, which then closes.
// Liveness: one sweep per worker every third of --websocket-idle-timeout, never a timer per
// socket: a socket that received nothing since the last sweep is pinged, and closed at the next
// if still nothing came, pongs included.

import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { describeError, errorResponse, isWebSocketUpgrade, sentBytes, WebSocketHandlers, lazyRequest, requestUrl, schemeOf, writeFetchResponse, type FetchHandler, type FetchWebSocket, type Logger, type NodeUpgrades, type PlainSettings, type ServerWebSocket } from '@narwhal/core/worker';
import type * as WsModule from 'ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** A probe written on a socket whose queue should be watched: nothing reaches the wire. */
const NOTHING = Buffer.alloc(0);
/** ws's send options, one object per combination rather than one per message. */
const SEND_OPTIONS = [
  { binary: true, compress: true },
  { binary: true, compress: false },
  { binary: false, compress: true },
  { binary: false, compress: false },
] as const;

class NodeServerWebSocket implements ServerWebSocket {
  data: unknown;
  readonly #ws: WebSocket;
  readonly #socket: Socket;
  readonly #owner: FetchWebSockets;
  /**
   * permessage-deflate was negotiated (the only extension ws has): ws then queues frames while it
   * compresses, out of the socket's sight, so every send carries the callback that sees the
   * queue empty. Otherwise frames go straight to the socket, and a send passes no callback: with
   * one, node:stream allocates and schedules a tick per message (a few percent of the echo
   * workload's CPU); a send that queued writes a probe behind its frame instead.
   */
  readonly #deflates: boolean;
  /** Something arrived since the last idle sweep; `pinged`: the last sweep pinged. */
  seen = true;
  pinged = false;
  #needsDrain = false;

  constructor(ws: WebSocket, socket: Socket, data: unknown, owner: FetchWebSockets) {
    this.#ws = ws;
    this.#socket = socket;
    this.data = data;
    this.#owner = owner;
    this.#deflates = ws.extensions !== '';
  }

  get remoteAddress(): string {
    return this.#socket.remoteAddress ?? '';
  }

  send(message: string | ArrayBufferView | ArrayBuffer, compress = true): number {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN || ws.bufferedAmount > this.#owner.backpressureLimit) return 0;
    const binary = typeof message !== 'string';
    const options = SEND_OPTIONS[binary ? (compress ? 0 : 1) : compress ? 2 : 3]!;
    if (this.#deflates) ws.send(message, options, this.#afterWrite);
    else ws.send(message, options);
    if (ws.bufferedAmount === 0) return sentBytes(message);
    if (!this.#needsDrain) {
      this.#needsDrain = true;
      if (!this.#deflates) this.#socket.write(NOTHING, this.#afterWrite);
    }
    return -1;
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  ping(data?: string | ArrayBufferView | ArrayBuffer): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.ping(data);
  }

  getBufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  terminate(): void {
    this.#ws.terminate();
  }

  /**
   * A frame (or the probe behind one) left the socket: the queue that made send() return -1 may
   * be empty now. A probe that finds frames queued after it goes behind them.
   */
  readonly #afterWrite = (error?: Error | null): void => {
    if (!this.#needsDrain) return;
    if (this.#ws.bufferedAmount === 0) {
      this.#needsDrain = false;
      this.#owner.handlers.drain(this);
    } else if (!this.#deflates && error == null && this.#ws.readyState === this.#ws.OPEN) this.#socket.write(NOTHING, this.#afterWrite);
  };
}

export class FetchWebSockets implements NodeUpgrades {
  readonly backpressureLimit: number;
  readonly #server: WebSocketServer;
  readonly #fetch: FetchHandler;
  readonly #websocket: FetchWebSocket;
  readonly handlers: WebSocketHandlers<NodeServerWebSocket>;
  readonly #log: Logger;
  /** The subprotocol the app chose, per handshake in progress. */
  readonly #protocols = new WeakMap<IncomingMessage, string>();
  readonly #sweep: NodeJS.Timeout | undefined;

  constructor(wsModule: typeof WsModule, fetch: FetchHandler, websocket: FetchWebSocket, settings: Readonly<PlainSettings>, log: Logger) {
    this.#fetch = fetch;
    this.#websocket = websocket;
    this.handlers = new WebSocketHandlers(websocket.handler, log);
    this.#log = log;
    this.backpressureLimit = settings.websocketBackpressureLimit;
    this.#server = new wsModule.WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: settings.websocketMaxPayload,
      perMessageDeflate: settings.websocketCompression,
      // The app chooses (server.upgrade's headers); ws alone would take the client's first.
      handleProtocols: (offered, req) => {
        const chosen = this.#protocols.get(req);
        return chosen !== undefined && offered.has(chosen) ? chosen : false;
      },
    });
    if (settings.websocketIdleTimeout > 0) this.#sweep = setInterval(this.#sweepIdle, (settings.websocketIdleTimeout * 1000) / 3).unref();
  }

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const request = lazyRequest({ method: req.method!, url: requestUrl(req.headers.host, req.url!, schemeOf(socket)), target: req.url!, headers: req.rawHeaders, body: null });
    // Only a WebSocket handshake can be claimed; any other upgrade gets the app's Response.
    if (isWebSocketUpgrade(req.headers.upgrade)) this.#websocket.claims.expect(request);
    let result: Response | Promise<Response>;
    try {
      result = this.#fetch(request);
    } catch (error) {
      return this.#failed(error, req, socket);
    }
    if (result instanceof Promise) result.then((response) => this.#answer(req, socket, head, request, response), (error: unknown) => this.#failed(error, req, socket));
    else this.#answer(req, socket, head, request, result);
  }

  goingAway(): void {
    clearInterval(this.#sweep);
    this.handlers.goingAway();
  }

  #answer(req: IncomingMessage, socket: Socket, head: Buffer, request: Request, response: Response | undefined): void {
    const claim = this.#websocket.claims.take(request);
    if (socket.destroyed) return;
    if (claim === undefined) {
      if (!(response instanceof Response)) return this.#failed(new TypeError('the fetch handler neither upgraded the request nor returned a Response'), req, socket);
      return this.#respond(req, socket, response);
    }
    this.#protocols.set(req, claim.protocol);
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#opened(ws, socket, claim.data));
  }

  #opened(ws: WebSocket, socket: Socket, data: unknown): void {
    const wrapper = new NodeServerWebSocket(ws, socket, data, this);
    ws.on('message', (message: RawData, isBinary: boolean) => {
      wrapper.seen = true;
      this.handlers.message(wrapper, isBinary ? (message as Buffer) : (message as Buffer).toString());
    });
    ws.on('pong', () => (wrapper.seen = true));
    ws.on('ping', () => (wrapper.seen = true));
    ws.on('error', (error: Error) => this.#log.debug(`WebSocket from ${wrapper.remoteAddress} failed: ${error.message}`));
    ws.once('close', (code: number, reason: Buffer) => this.handlers.close(wrapper, code, reason.toString()));
    this.handlers.open(wrapper);
  }

  /** The app answered the handshake with a Response: written on the socket, which then closes. */
  #respond(req: IncomingMessage, socket: Socket, response: Response): void {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.destroySoon());
    try {
      writeFetchResponse(response, req, res)?.then(undefined, (error: unknown) => this.#failed(error, req, socket));
    } catch (error) {
      this.#failed(error, req, socket);
    }
  }

  #failed(error: unknown, req: IncomingMessage, socket: Socket): void {
    this.#log.error({ err: error }, `Error handling request ${req.method} ${req.url}: ${describeError(error)}`);
    if (socket.writable) socket.end(errorResponse('appError').raw);
    socket.destroySoon();
  }

  #sweepIdle = (): void => {
    for (const ws of this.handlers.sockets) {
      if (ws.seen) {
        ws.seen = false;
        ws.pinged = false;
      } else if (ws.pinged) ws.terminate();
      else {
        ws.pinged = true;
        ws.ping();
      }
    }
  };
}

/** The upgrade handler for an app with a `websocket` member; loads `ws` now, and only then. */
export async function fetchWebSockets(fetch: FetchHandler, websocket: FetchWebSocket, settings: Readonly<PlainSettings>, log: Logger): Promise<FetchWebSockets> {
  return new FetchWebSockets(await import('ws'), fetch, websocket, settings, log);
}

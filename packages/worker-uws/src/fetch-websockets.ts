// Design: the Fetch contract's `websocket` handler (Bun's shape, core's websocket/handler.ts) on
// uWS's own WebSockets, the fastest there are. A handshake runs the service's request path (the
// same checks, hooks and accounting as any request) and the app's `fetch`; if the app claims it,
// the exchange upgrades and stays in flight until the socket closes, so a graceful stop, the
// access log and --worker-connections see it as one long request. uWS's settings come from
// the same --websocket-* settings as on `async`.

import type { FetchWebSocket, Logger, PlainSettings, ServerWebSocket } from '@narwhal/core/worker';
import { sentBytes, WebSocketHandlers } from '@narwhal/core/worker';
import type { HttpRequest, HttpResponse, RecognizedString, us_socket_context_t, WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import type { Engine } from './engine.js';
import type { Exchange } from './exchange.js';

/**
 * uWS cuts a socket whose message is over its own limit without a close frame (its client sees
 * 1006). Its limit is set to twice --websocket-max-payload, and a message over ours is refused
 * here with 1009 (Message Too Big, RFC 6455 §7.4.1), as ws does on async; one over twice the
 * limit is still cut by uWS, which thus bounds what a socket buffers.
 */
const ENGINE_PAYLOAD_FACTOR = 2;
/** uWebSockets.js reads maxPayloadLength as a signed 32-bit integer. */
const ENGINE_PAYLOAD_CEILING = 2 ** 31 - 1;
const MESSAGE_TOO_BIG = 1009;

/** uWS.WebSocket.send's statuses. */
const BACKPRESSURE = 0;
const DROPPED = 2;

/** What uWS keeps for each socket (its user data). */
interface SocketState {
  readonly exchange: Exchange;
  readonly data: unknown;
  wrapper?: UwsServerWebSocket;
}

class UwsServerWebSocket implements ServerWebSocket {
  data: unknown;
  readonly remoteAddress: string;
  readonly #ws: WebSocket<SocketState>;
  /** uWS throws on a closed socket; the app may still hold this one. */
  closed = false;

  constructor(ws: WebSocket<SocketState>, state: SocketState) {
    this.#ws = ws;
    this.data = state.data;
    this.remoteAddress = state.exchange.remoteAddress ?? '';
  }

  send(message: string | ArrayBufferView | ArrayBuffer, compress = true): number {
    if (this.closed) return 0;
    const binary = typeof message !== 'string';
    const status = this.#ws.send(message as RecognizedString, binary, compress);
    if (status === DROPPED) return 0;
    if (status === BACKPRESSURE) return -1;
    return sentBytes(message);
  }

  close(code?: number, reason?: string): void {
    if (!this.closed) this.#ws.end(code, reason);
  }

  ping(data?: string | ArrayBufferView | ArrayBuffer): void {
    if (!this.closed) this.#ws.ping(data as RecognizedString | undefined);
  }

  getBufferedAmount(): number {
    return this.closed ? 0 : this.#ws.getBufferedAmount();
  }
}

/** A handshake in progress: what uWS's upgrade needs, read while its request was valid. */
export interface Handshake {
  readonly request: Request;
  readonly key: string;
  readonly extensions: string;
  readonly context: us_socket_context_t;
}

export class UwsWebSockets {
  readonly #websocket: FetchWebSocket;
  readonly #handlers: WebSocketHandlers<UwsServerWebSocket>;

  constructor(websocket: FetchWebSocket, log: Logger) {
    this.#websocket = websocket;
    this.#handlers = new WebSocketHandlers(websocket.handler, log);
  }

  /** uWS's behaviour for the `.ws()` route; `upgrade` runs the service's request path. */
  behavior(engine: Engine, settings: Readonly<PlainSettings>, upgrade: (res: HttpResponse, req: HttpRequest, context: us_socket_context_t) => void): WebSocketBehavior<SocketState> {
    const maxPayload = settings.websocketMaxPayload;
    return {
      compression: settings.websocketCompression ? engine.SHARED_COMPRESSOR : engine.DISABLED,
      maxPayloadLength: Math.min(maxPayload * ENGINE_PAYLOAD_FACTOR, ENGINE_PAYLOAD_CEILING),
      idleTimeout: settings.websocketIdleTimeout,
      maxBackpressure: settings.websocketBackpressureLimit,
      closeOnBackpressureLimit: false,
      sendPingsAutomatically: true,
      upgrade,
      open: (ws) => {
        const state = ws.getUserData();
        const wrapper = new UwsServerWebSocket(ws, state);
        state.wrapper = wrapper;
        this.#handlers.open(wrapper);
      },
      message: (ws, message, isBinary) => {
        if (message.byteLength > maxPayload) return ws.end(MESSAGE_TOO_BIG);
        // uWS's message buffer is valid only during the call: both forms copy it.
        this.#handlers.message(ws.getUserData().wrapper!, isBinary ? Buffer.from(new Uint8Array(message)) : Buffer.from(message).toString());
      },
      drain: (ws) => this.#handlers.drain(ws.getUserData().wrapper!),
      close: (ws, code, message) => {
        const state = ws.getUserData();
        const wrapper = state.wrapper!;
        wrapper.closed = true;
        this.#handlers.close(wrapper, code, Buffer.from(message).toString());
        state.exchange.socketClosed();
      },
    };
  }

  /** Marks a handshake request claimable by the app's `server.upgrade()`. */
  expect(request: Request): void {
    this.#websocket.claims.expect(request);
  }

  /** After the app's fetch: upgrades when it claimed the handshake; false when it answered with a Response. */
  finish(exchange: Exchange, handshake: Handshake): boolean {
    const claim = this.#websocket.claims.take(handshake.request);
    if (claim === undefined) return false;
    const state: SocketState = { exchange, data: claim.data };
    exchange.upgrade(state, handshake.key, claim.protocol, handshake.extensions, handshake.context);
    return true;
  }

  goingAway(): void {
    this.#handlers.goingAway();
  }
}

// Design: the Fetch contract's WebSockets, shaped like Bun's so that a Bun app runs unchanged:
// `export default { fetch(request, server) { if (server.upgrade(request, { data })) return; … },
// websocket: { open, message, close, drain } }`. ServerWebSocket is a small subset of Bun's
// (apps/docs/websockets.md lists it); `async` implements it over `ws`, `uws` over uWS's own
// sockets, and the conformance kit's websocket suite proves both behave alike.

import { describeError } from '../app/describe-error.js';
import { listHasToken } from '../http/field-list.js';
import type { Logger } from '../log/create-logger.js';

/** One open WebSocket, as the `websocket` handlers see it. */
export interface ServerWebSocket<Data = unknown> {
  /** What the app passed as `data` to `server.upgrade()`. */
  data: Data;
  /** The client's address (a trusted proxy's client included), or '' on a unix socket. */
  readonly remoteAddress: string;
  /**
   * Sends a text (string) or binary message. Returns the bytes sent, -1 when the message was
   * queued behind a slow client (`drain` follows), or 0 when it was dropped because the queue
   * was already past `--websocket-backpressure-limit`.
   */
  send(message: string | ArrayBufferView | ArrayBuffer, compress?: boolean): number;
  /** Starts the closing handshake (code 1000 unless given). */
  close(code?: number, reason?: string): void;
  /** Sends a ping; the client's pong keeps the socket from idling out. */
  ping(data?: string | ArrayBufferView | ArrayBuffer): void;
  /** Bytes queued for sending. */
  getBufferedAmount(): number;
}

/** The close code a graceful stop gives every open WebSocket (RFC 6455 §7.4.1: going away). */
const GOING_AWAY = 1001;

/**
 * Runs the app's `websocket` handlers for a class and keeps its open sockets: what a handler
 * throws or rejects with is logged, and the socket lives on; once a graceful stop began, every
 * open socket, and any that opens later (its handshake was still in the app's fetch), gets 1001.
 * A class calls `open` and `close` exactly once per socket. Nothing is allocated per message.
 */
export class WebSocketHandlers<Socket extends ServerWebSocket = ServerWebSocket> {
  /** The sockets between `open` and `close`. */
  readonly sockets = new Set<Socket>();
  readonly #handler: WebSocketHandler;
  readonly #log: Logger;
  readonly #messageFailed = (error: unknown): void => this.#failed('message', error);
  #goingAway = false;

  constructor(handler: WebSocketHandler, log: Logger) {
    this.#handler = handler;
    this.#log = log;
  }

  open(ws: Socket): void {
    this.sockets.add(ws);
    if (this.#handler.open !== undefined) this.#run('open', () => this.#handler.open!(ws));
    if (this.#goingAway) ws.close(GOING_AWAY, 'server going away');
  }

  message(ws: Socket, message: string | Buffer): void {
    try {
      const result = this.#handler.message(ws, message);
      if (result instanceof Promise) result.then(undefined, this.#messageFailed);
    } catch (error) {
      this.#failed('message', error);
    }
  }

  close(ws: Socket, code: number, reason: string): void {
    this.sockets.delete(ws);
    if (this.#handler.close !== undefined) this.#run('close', () => this.#handler.close!(ws, code, reason));
  }

  drain(ws: Socket): void {
    if (this.#handler.drain !== undefined) this.#run('drain', () => this.#handler.drain!(ws));
  }

  /** A graceful stop began: every open socket gets 1001 now, and any that opens later. */
  goingAway(): void {
    this.#goingAway = true;
    for (const ws of this.sockets) ws.close(GOING_AWAY, 'server going away');
  }

  #run(name: string, call: () => unknown): void {
    try {
      const result = call();
      if (result instanceof Promise) result.then(undefined, (error: unknown) => this.#failed(name, error));
    } catch (error) {
      this.#failed(name, error);
    }
  }

  #failed(name: string, error: unknown): void {
    this.#log.error({ err: error }, `Error in the websocket ${name} handler: ${describeError(error)}`);
  }
}

/** What `ServerWebSocket.send` returns for a message sent at once: its payload's bytes. */
export function sentBytes(message: string | ArrayBufferView | ArrayBuffer): number {
  return typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength;
}

/** The `websocket` member of a Fetch app. */
export interface WebSocketHandler<Data = unknown> {
  open?(ws: ServerWebSocket<Data>): unknown;
  /** A text message arrives as a string, a binary one as a Buffer. */
  message(ws: ServerWebSocket<Data>, message: string | Buffer): unknown;
  close?(ws: ServerWebSocket<Data>, code: number, reason: string): unknown;
  /** The queue that made `send()` return -1 has been written out. */
  drain?(ws: ServerWebSocket<Data>): unknown;
}

export interface UpgradeOptions<Data = unknown> {
  data?: Data;
  /**
   * Response headers of the handshake. Only `Sec-WebSocket-Protocol` is honoured: the
   * subprotocol the app chose among those the client offered (none is chosen otherwise).
   */
  headers?: Record<string, string> | Headers;
}

/** The second argument of a Fetch app's `fetch` when the app has a `websocket` member. */
export interface UpgradeServer {
  /**
   * Claims a WebSocket handshake request: true when `request` is one and the worker will answer
   * it with 101 once `fetch` returns (its return value is then ignored); false otherwise.
   */
  upgrade(request: Request, options?: UpgradeOptions): boolean;
}

/** An accepted claim: what the class needs to finish the handshake. */
export interface UpgradeClaim {
  readonly data: unknown;
  /** The subprotocol the app chose, or '' for none. */
  readonly protocol: string;
}

const NO_CLAIM: UpgradeClaim = { data: undefined, protocol: '' };

/**
 * The `server` a Fetch app with `websocket` gets: a class marks a handshake request with
 * `expect` before calling `fetch`, and `take`s the app's claim after; `upgrade()` on any other
 * request returns false.
 */
export class UpgradeClaims {
  readonly #pending = new WeakMap<Request, UpgradeClaim | null>();
  readonly server: UpgradeServer = {
    upgrade: (request, options) => {
      if (this.#pending.get(request) !== null) return false;
      this.#pending.set(request, options === undefined ? NO_CLAIM : { data: options.data, protocol: protocolOf(options.headers) });
      return true;
    },
  };

  expect(request: Request): void {
    this.#pending.set(request, null);
  }

  /** The claim on `request`, or undefined when the app answered it with a Response instead. */
  take(request: Request): UpgradeClaim | undefined {
    const claim = this.#pending.get(request);
    this.#pending.delete(request);
    return claim ?? undefined;
  }
}

function protocolOf(headers: UpgradeOptions['headers']): string {
  if (headers === undefined) return '';
  if (headers instanceof Headers) return headers.get('sec-websocket-protocol') ?? '';
  for (const name in headers) if (name.toLowerCase() === 'sec-websocket-protocol') return headers[name]!;
  return '';
}

/** True for a handshake request: `Upgrade: websocket` (RFC 6455 §4.2.1), case-insensitive. */
export function isWebSocketUpgrade(upgrade: string | undefined): boolean {
  return upgrade !== undefined && listHasToken(upgrade, 'websocket');
}


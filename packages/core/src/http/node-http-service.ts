// Design: the node:http serving loop shared by the worker classes built on node:http (sync,
// async, gthread), so that request validation, limits, error responses, keep-alive, the access
// log, connection caps and graceful draining behave identically in each. A class picks the
// policy:
//   maxConnections  stop accepting at this many open connections
//   oneAtATime      sync: one request at a time, `timeout` as its deadline; requests whose head
//                   completes meanwhile wait their turn, and accepting pauses while one runs
//   keepAlive       false closes the connection after every response (sync, as Gunicorn)
// The front door: a connection reaches node:http with its first bytes, once they arrive (so a
// silent or trickling client holds no request slot), after the request line's grammar is
// checked on those bytes; every head node:http parses is then checked by checkRequestHead
// before the app sees it. The request path allocates nothing of its own unless the access log
// or a deadline is on.
// With --request-timeout, one DeadlineQueue answers the requests past it (504, or 503 for one still
// waiting its turn) and tells the app; with --max-loop-lag, a shedding worker answers new
// requests 503 before the app sees them.
// With TLS (context.tls), a connection goes through core's TlsFront first: its handshake, then
// the same front door on its first decrypted bytes, with the header timeout still measured from
// the accept, so a handshake that never completes holds a connection slot, never a worker.
// Connections are tracked by the socket accepted; #served maps it to the TLS socket node:http
// serves.
// With --proxy-protocol, a connection goes through core's ProxyFront before anything else (TLS
// included): its PROXY header, bounded by the header timeout from the accept like the rest of
// the head, names the client; the bytes after it go on to TLS or to the front door.
// With h2 in --http-protocols, a connection that chose HTTP/2 (by ALPN, or by the h2c preface
// on its first bytes) goes to core's Http2Front instead of node:http (imported by start(), and
// only then: a worker without h2 never loads node:http2); its streams come back to
// #admit as requests shaped like HTTP/1.1 ones, so the front door, limits, hooks, max_requests
// and the access log are the same. A graceful stop sends them GOAWAY.
// Upgrades (WebSockets): a class that carries them (async) gives `upgrades`; a handshake then
// passes the same front door, counts as one request for max_requests, and gets one access log
// line when its socket closes. A graceful stop tells those sockets the server is going away and
// waits for them within the graceful timeout. A class that cannot carry them (sync, gthread)
// sets `refusesWebSockets`: a WebSocket handshake is answered 501 before the app sees it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { asNodeListener } from '../app/adapt.js';
import { fetchCannotCarry } from '../app/fetch-methods.js';
import { describeError } from '../app/load-app.js';
import type { NodeListener } from '../app/app.js';
import type { WorkerContext, WorkerStopOptions } from '../worker/contract.js';
import { hookRequest, lowerCaseNames, withRequestHooks } from '../worker/request-hooks.js';
import { connectionCeiling } from '../worker/descriptor-limit.js';
import { LOOK_AGAIN_MS, type ConnectionBoard } from '../worker/connection-board.js';
import { InheritedListeners } from '../worker/inherited-listeners.js';
import type { TlsFront } from '../tls/tls-front.js';
import { ProxyFront, proxiedSocket, type ProxyRefusal } from './proxy-front.js';
import type { Http2Front } from './http2-front.js';
import { overHttp2 } from './over-http2.js';
import { listedProtocols } from '../config/settings.js';
import { NodeAccessRecord } from './node-access-record.js';
import { NodeUpgradeRecord } from './node-upgrade-record.js';
import { isWebSocketUpgrade } from '../websocket/handler.js';
import { nodeResponseMeter, type ResponseMeter } from './node-response-meter.js';
import { errorResponse, sendError } from './error-response.js';
import { requestLimits, type RequestLimits } from './limits.js';
import { NodeForwarding } from './node-forwarded.js';
import { guardTrailers } from './node-trailers.js';
import { DeadlineQueue } from './deadline-queue.js';
import { markTimedOut, timedOutReason } from './node-timed-out.js';
import { classifyParseError, type ParseError } from './parse-error.js';
import { refusedRecord } from './refused-record.js';
import { checkRequestHead, expectationVerdict, LLHTTP_CHECKS, rawFieldOf, type EngineChecks } from './request-head.js';
import { readRequestLine } from './request-line.js';
import type { HttpErrorCode } from './status-table.js';

export interface NodeHttpServiceOptions {
  /**
   * Stop accepting at this many open connections; the rest wait in the kernel queue. Lowered to
   * stay clear of the process's descriptor limit (descriptor-limit.ts).
   */
  readonly maxConnections: number;
  /**
   * One request at a time, with `timeout` as its deadline (the heartbeat stops during it).
   * Accepting pauses while a request runs, and after each accept until the new connection's
   * first bytes arrive, so that idle siblings take the next connections.
   */
  readonly oneAtATime?: boolean;
  /** Keep connections open between requests for `keepalive` seconds. */
  readonly keepAlive: boolean;
  /** Serve with this listener instead of the app's (gthread hands requests to its pool). */
  readonly listener?: NodeListener;
  /** Who takes over upgraded connections; without it, an Upgrade request is served as any other. */
  readonly upgrades?: NodeUpgrades;
  /** Answer a WebSocket handshake 501 Not Implemented (a class that cannot carry WebSockets). */
  readonly refusesWebSockets?: boolean;
  /**
   * With --request-timeout: whether the listener still holds `res`'s request in a queue of its
   * own, where the app has not seen it (gthread: waiting for a thread); it is then answered 503.
   */
  readonly isQueued?: (res: ServerResponse) => boolean;
}

/** Takes over the connections of Upgrade requests the front door let through. */
export interface NodeUpgrades {
  /** The socket is the handler's from now on: it answers the handshake and speaks the protocol. */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void;
  /** A graceful stop began: close the sockets it speaks for with 1001 (Going Away). */
  goingAway(): void;
}

const DRAIN_POLL_MS = 50;
/**
 * During a graceful stop, a keep-alive connection is closed once it has been quiet this long;
 * a request arriving sooner is answered with `Connection: close`. Closing at once would race
 * a close against a request already on its way, which the client sees as a failure.
 */
const QUIET_BEFORE_CLOSE_MS = 500;
/**
 * When the whole server stops, a graceful stop first takes the connections the kernel already
 * queued, polling this often, until a poll finds none new or the bound passes: a connection left
 * in the queue when the listener closes is reset when the last process holding the socket exits,
 * though its client may have sent its request before the stop.
 */
const TAKE_QUEUED_POLL_MS = 20;
const TAKE_QUEUED_MAX_MS = 250;
/** oneAtATime: how long accepting waits for a new connection's first bytes before taking another. */
const FIRST_BYTES_GRACE_MS = 10;

/** nghttp2 (node:http2) refuses field names that are not lower-case tokens, and CR, LF and NUL in values. */
const HTTP2_CHECKS: EngineChecks = { knownMethod: false, fieldNames: true, fieldValues: false, framing: false };

type SocketWithResponse = Socket & { _httpMessage?: (ServerResponse & { req: IncomingMessage }) | null };

const ignore = (): void => {};

function requestLineOf(req: IncomingMessage): Buffer {
  return Buffer.from(`${req.method} ${req.url} HTTP/${req.httpVersion}`, 'latin1');
}

export class NodeHttpService {
  readonly server: Server;
  readonly #ctx: WorkerContext;
  readonly #options: NodeHttpServiceOptions;
  readonly #limits: RequestLimits;
  readonly #forwarding: NodeForwarding;
  readonly #listener: NodeListener;
  /** Request metrics, or null when they are off. */
  readonly #meter: ResponseMeter | null;
  readonly #acceptor: InheritedListeners;
  readonly #headerTimeoutMs: number;
  /** options.maxConnections, lowered to what the descriptor limit allows. */
  readonly #maxConnections: number;
  readonly #sockets = new Set<Socket>();
  /** Connections that sent nothing yet, by accept time (performance.now), oldest first. */
  readonly #unread = new Map<Socket, number>();
  readonly #sweep: NodeJS.Timeout;
  /** oneAtATime: the connection of the request running, and the requests whose head arrived meanwhile. */
  #running: Socket | null = null;
  readonly #waiting: (IncomingMessage | ServerResponse)[] = [];
  /** oneAtATime: the connection accepted last, while accepting waits for its first bytes. */
  #fresh: Socket | null = null;
  /** Not for oneAtATime, which takes one connection at a time anyway. */
  readonly #board: ConnectionBoard | null;
  #lookAgain: NodeJS.Timeout | undefined;
  readonly #freshTimer: NodeJS.Timeout | undefined;
  /** Connections being answered an error and closed: node:http may report their parse error again. */
  readonly #refused = new WeakSet<Socket>();
  #closing = false;
  /** Connections accepted so far: how a graceful stop sees that the kernel's queue is empty. */
  #accepted = 0;
  /** With TLS: the handshakes, and each accepted connection's TLS socket once it is secure (made by start(), after #h2). */
  #tls: TlsFront | null = null;
  readonly #served = new WeakMap<Socket, TLSSocket>();
  /** With --proxy-protocol: the PROXY headers. */
  readonly #proxy: ProxyFront | null;
  /** With h2 in --http-protocols: the connections that chose HTTP/2 (made by start()). */
  #h2: Http2Front | null = null;
  /** Served sockets an upgrade took over: a graceful stop waits for them instead of closing them. */
  readonly #upgraded = new WeakSet<Socket>();
  readonly #upgrades: NodeUpgrades | undefined;
  /** With --request-timeout: the responses not over yet, by arrival; and how each leaves the queue. */
  readonly #deadlines: DeadlineQueue<ServerResponse> | null;
  readonly #leaveDeadlines: ((this: ServerResponse) => void) | undefined;

  constructor(ctx: WorkerContext, options: NodeHttpServiceOptions) {
    this.#ctx = ctx;
    this.#options = options;
    this.#limits = requestLimits(ctx.settings);
    this.#forwarding = new NodeForwarding(ctx.settings);
    this.#listener = withRequestHooks(options.listener ?? asNodeListener(ctx.app), ctx.requestHooks);
    this.#headerTimeoutMs = ctx.settings.headerTimeout * 1000;
    this.#maxConnections = connectionCeiling(options.maxConnections);
    this.#meter = nodeResponseMeter(ctx.metrics);
    const deadlines = ctx.settings.requestTimeout > 0 ? new DeadlineQueue(ctx.settings.requestTimeout * 1000, this.#onDeadline) : null;
    this.#deadlines = deadlines;
    // One function for every response ('close' calls it with the response as `this`): no closure per request.
    if (deadlines !== null) this.#leaveDeadlines = function (this: ServerResponse) {
      deadlines.delete(this);
    };
    if (this.#meter !== null) ctx.metrics.countConnections(() => this.#sockets.size);
    this.server = createServer({
      ServerResponse: this.#meter?.ServerResponse,
      maxHeaderSize: this.#limits.headerBytes,
      keepAliveTimeout: ctx.settings.keepalive * 1000,
      requestTimeout: 0,
      headersTimeout: this.#headerTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, this.#headerTimeoutMs),
      // checkRequestHead answers a missing Host, with the same response as every other error.
      requireHostHeader: false,
      noDelay: true,
    });
    // A client that half-closes after its request still gets the response; the connection ends after it.
    (this.server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    this.server.maxHeadersCount = this.#limits.fields + 1;
    this.server.on('request', this.#onRequest);
    this.server.on('checkContinue', this.#onCheckContinue);
    this.server.on('checkExpectation', this.#onCheckExpectation);
    this.server.on('connect', this.#onConnect);
    this.#upgrades = options.upgrades;
    if (this.#upgrades !== undefined) this.server.on('upgrade', this.#onUpgrade);
    this.server.on('clientError', this.#onClientError);
    // Connection tracking (keep-alive and head timeouts) starts on 'listening'; this server
    // never listens itself, since connections come from the inherited sockets.
    this.server.emit('listening');
    this.#proxy = ProxyFront.create(ctx.settings, { onHeader: this.#afterProxyHeader, onRefused: this.#refuseProxied });
    this.#acceptor = new InheritedListeners(ctx.listeners, { backlog: ctx.settings.backlog, onAcceptError: this.#onAcceptError }, this.#onConnection);
    // `?? null`: a class built on this core may be served by an older arbiter's worker, whose context has no board.
    this.#board = options.oneAtATime === true ? null : (ctx.connectionBoard ?? null);
    this.#sweep = setInterval(this.#expireUnread, Math.min(1000, this.#headerTimeoutMs)).unref();
    if (options.oneAtATime === true) this.#freshTimer = setTimeout(this.#stopWaitingForFresh, FIRST_BYTES_GRACE_MS).unref();
  }

  /** Accept on the inherited listeners, once the HTTP/2 and TLS fronts the settings ask for are made. */
  async start(): Promise<void> {
    const settings = this.#ctx.settings;
    if (listedProtocols(settings.httpProtocols).includes('h2')) {
      // Imported only here: node:http2 costs a worker about 0.5 MiB at rest (apps/docs/http2.md).
      const { Http2Front } = await import('./http2-front.js');
      this.#h2 = new Http2Front(settings, (req, res, expectsContinue) => this.#admit(req as unknown as IncomingMessage, res as unknown as ServerResponse, expectsContinue));
    }
    // TLS offers by ALPN the protocols the HTTP/2 front serves.
    const tls = this.#ctx.tls === null || this.#h2 === null ? this.#ctx.tls : { ...this.#ctx.tls, ALPNProtocols: this.#h2.alpnProtocols };
    if (tls !== null) {
      // Imported only here, as node:tls and OpenSSL cost a worker about 1 MiB.
      const { TlsFront } = await import('../tls/tls-front.js');
      this.#tls = new TlsFront(tls, { handshakeTimeoutMs: this.#headerTimeoutMs, verifyPresented: settings.certReqs === 1, log: this.#ctx.log }, this.#onSecure);
    }
    await this.#acceptor.start();
    this.#board?.join();
  }

  /** The number of open client connections. */
  get connections(): number {
    return this.#sockets.size;
  }

  async stop({ graceful, serverStopping = false }: WorkerStopOptions): Promise<void> {
    this.#closing = true;
    this.#board?.leave();
    clearTimeout(this.#lookAgain);
    // A worker retiring on its own leaves the queue to its siblings (and a reload's new code).
    if (graceful && serverStopping) await this.#takeQueued();
    this.#acceptor.close();
    if (graceful) this.#h2?.close();
    clearInterval(this.#sweep);
    clearTimeout(this.#freshTimer);
    if (!graceful) {
      for (const socket of this.#sockets) socket.destroy();
      this.#deadlines?.close();
      return;
    }
    this.#upgrades?.goingAway();
    // Responses still being prepared tell their clients this connection ends with them.
    for (const socket of this.#sockets) {
      const response = (this.#servedBy(socket) as SocketWithResponse)._httpMessage;
      if (response && !response.headersSent) response.shouldKeepAlive = false;
    }
    const quiet = new Map<Socket, { bytes: number; since: number }>();
    while (this.#sockets.size > 0) {
      const now = performance.now();
      for (const socket of this.#sockets) {
        const served = this.#servedBy(socket);
        // HTTP/2 connections close themselves after GOAWAY, once their streams are over.
        if (this.#h2?.serves(served) === true) continue;
        if ((served as SocketWithResponse)._httpMessage || this.#upgraded.has(served)) {
          quiet.delete(socket);
          continue;
        }
        const seen = quiet.get(socket);
        if (seen === undefined || seen.bytes !== socket.bytesRead) quiet.set(socket, { bytes: socket.bytesRead, since: now });
        else if (now - seen.since >= QUIET_BEFORE_CLOSE_MS) served.destroySoon();
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    this.#deadlines?.close();
  }

  /** Accepts what the kernel queued before the stop (TAKE_QUEUED_POLL_MS); those are answered with `Connection: close`. */
  async #takeQueued(): Promise<void> {
    if (this.#sockets.size < this.#maxConnections) this.#acceptor.resume();
    const deadline = performance.now() + TAKE_QUEUED_MAX_MS;
    let seen = -1;
    while (seen !== this.#accepted && performance.now() < deadline) {
      seen = this.#accepted;
      await new Promise((resolve) => setTimeout(resolve, TAKE_QUEUED_POLL_MS));
    }
  }

  // ---- connections

  #onConnection = (socket: Socket): void => {
    this.#accepted++;
    this.#sockets.add(socket);
    this.#board?.holds(this.#sockets.size);
    this.#unread.set(socket, performance.now());
    // Until node:http takes the connection it has no error listener: a client that resets before
    // its first byte (ECONNRESET) would be an uncaught exception, and one such client a dead worker.
    // The socket is destroyed by the error; 'close' then forgets it.
    socket.on('error', ignore);
    socket.once('close', () => this.#forget(socket));
    if (this.#proxy !== null) this.#proxy.accept(socket);
    else if (this.#tls === null) socket.once('data', (chunk: Buffer) => this.#onFirstBytes(socket, socket, chunk));
    else this.#tls.accept(socket);
    if (this.#freshTimer !== undefined) {
      this.#fresh = socket;
      this.#freshTimer.refresh();
    }
    this.#updateAccepting();
  };

  /** --proxy-protocol: `socket`'s header is read; `rest` (it is paused) goes on to TLS or the front door. */
  #afterProxyHeader = (socket: Socket, rest: Buffer): void => {
    if (this.#tls !== null) {
      // node:tls takes what the socket holds unread as the start of the handshake.
      if (rest.length > 0) socket.unshift(rest);
      this.#tls.accept(socket);
      return;
    }
    socket.resume();
    if (rest.length > 0) this.#onFirstBytes(socket, socket, rest);
    else socket.once('data', (chunk: Buffer) => this.#onFirstBytes(socket, socket, chunk));
  };

  /** --proxy-protocol: a peer not allowed (403), or no valid header (400); with TLS there is no channel to answer on. */
  #refuseProxied = (socket: Socket, why: ProxyRefusal, bytes: Buffer): void => {
    this.#unread.delete(socket);
    this.#ctx.log.debug(`Invalid request from ${socket.remoteAddress ?? 'unix socket'}: ${why === 'forbidden' ? 'a PROXY header from a peer not in --proxy-allow-from' : 'no valid PROXY header'}`);
    if (this.#tls !== null) socket.destroy();
    else this.#refuse(socket, why, why === 'badRequest' ? bytes : undefined);
  };

  /** TLS: the handshake of `accepted` is over; its first decrypted bytes go through the front door. */
  #onSecure = (accepted: Socket, secure: TLSSocket): void => {
    // Expired (its header timeout passed) or closed during the handshake.
    if (!this.#unread.has(accepted)) {
      secure.destroy();
      return;
    }
    this.#served.set(accepted, secure);
    if (this.#proxy !== null) proxiedSocket(accepted, secure);
    if (this.#h2 !== null) {
      if (secure.alpnProtocol === 'h2') {
        this.#unread.delete(accepted);
        this.#h2.serve(secure);
        return;
      }
      // h2 alone: a client that did not choose it by ALPN is not served.
      if (!this.#h2.http1) {
        secure.destroy();
        return;
      }
    }
    secure.once('data', (chunk: Buffer) => this.#onFirstBytes(accepted, secure, chunk));
  };

  /**
   * Checks the request line's grammar, then hands the connection (`served`: the accepted socket,
   * or its TLS socket) and its first bytes to node:http.
   */
  #onFirstBytes(accepted: Socket, served: Socket, chunk: Buffer): void {
    this.#unread.delete(accepted);
    if (this.#fresh === accepted) this.#fresh = null;
    if (this.#h2 !== null && this.#tls === null) {
      // As in Gunicorn, h2c is for trusted peers (--forwarded-allow-ips): another's preface is an HTTP/1.1 error.
      if (this.#h2.cleartext && this.#h2.startsWithPreface(chunk) && this.#forwarding.trusts(accepted)) {
        this.#h2.serve(served, chunk);
        this.#updateAccepting();
        return;
      }
      // h2c alone: bytes that are not its preface are a bad request (Gunicorn's InvalidH2CPreface).
      if (!this.#h2.http1) return this.#refuse(served, 'badRequest', chunk);
    }
    const verdict = readRequestLine(chunk, this.#limits.requestLine);
    if (verdict === 'ok' || verdict === 'incomplete') {
      // A client that half-closes after its request still gets the response. (Until now a client
      // that closed without a word had its connection, and its descriptor, closed at once.)
      served.allowHalfOpen = true;
      this.server.emit('connection', served);
      served.emit('data', chunk);
    } else {
      this.#refuse(served, verdict, chunk);
    }
    this.#updateAccepting();
  }

  /** The socket node:http serves for an accepted connection. */
  #servedBy(accepted: Socket): Socket {
    return this.#served.get(accepted) ?? accepted;
  }

  #forget(socket: Socket): void {
    this.#sockets.delete(socket);
    this.#board?.holds(this.#sockets.size);
    this.#unread.delete(socket);
    if (this.#fresh === socket) this.#fresh = null;
    this.#updateAccepting();
  }

  /** A connection silent for the header timeout never reached node:http, whose own timeout would close it. */
  #expireUnread = (): void => {
    const now = performance.now();
    for (const [socket, since] of this.#unread) {
      if (now - since < this.#headerTimeoutMs) break;
      this.#unread.delete(socket);
      // A PROXY header or a handshake not over: there is no channel to answer on.
      if (this.#proxy?.reading(socket) === true || (this.#tls !== null && !this.#served.has(socket))) socket.destroy();
      else this.#refuse(this.#servedBy(socket), 'requestHeadTimeout');
    }
  };

  #stopWaitingForFresh = (): void => {
    this.#fresh = null;
    this.#updateAccepting();
  };

  #updateAccepting(): void {
    if (this.#closing) return;
    const full = this.#sockets.size >= this.#maxConnections;
    const busy = this.#running !== null || this.#fresh !== null || this.#waiting.length > 0;
    if (full || busy || this.#yieldsToSibling()) this.#acceptor.pause();
    else this.#acceptor.resume();
  }

  /** Whether a sibling holding fewer connections should take the next ones (connection-board.ts). */
  #yieldsToSibling(): boolean {
    if (this.#board === null || !this.#board.yields(performance.now())) return false;
    this.#lookAgain ??= setTimeout(() => {
      this.#lookAgain = undefined;
      this.#updateAccepting();
    }, LOOK_AGAIN_MS);
    return true;
  }

  #onAcceptError = (error: NodeJS.ErrnoException, backoffMs: number): void => {
    this.#ctx.log.warning(`Cannot accept connections (${error.code ?? error.message}); pausing for ${backoffMs} ms (pid:${process.pid})`);
  };

  /**
   * Answers bytes no request object was made of, and ends the connection; `bytes` (the refused
   * request's line at or before `offset`) give the access log its line.
   */
  #refuse(socket: Socket, code: HttpErrorCode, bytes?: Uint8Array, offset?: number): void {
    if (this.#refused.has(socket)) return;
    this.#refused.add(socket);
    if (bytes !== undefined && this.#ctx.accessLog.enabled) {
      const record = refusedRecord(socket.remoteAddress, code, bytes, offset);
      if (record !== undefined) this.#ctx.accessLog.write(record);
    }
    if (bytes !== undefined && this.#meter !== null) {
      this.#ctx.metrics.started();
      this.#ctx.metrics.finished(errorResponse(code).status, 0);
    }
    if (socket.writable) socket.end(errorResponse(code).raw);
    socket.destroySoon();
  }

  // ---- requests

  #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#admit(req, res, false);
  };

  #onCheckContinue = (req: IncomingMessage, res: ServerResponse): void => {
    this.#admit(req, res, true);
  };

  #onCheckExpectation = (req: IncomingMessage, res: ServerResponse): void => {
    this.#instrument(req, res);
    sendError(res, this.#headVerdict(req) ?? 'expectationFailed', true);
  };

  /** Validates a parsed head and serves it, or answers the error. */
  #admit(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
    this.#instrument(req, res);
    const broken =
      this.#headVerdict(req) ??
      (this.#ctx.app.interface === 'fetch' && fetchCannotCarry(req.method!) ? 'notImplemented' : undefined) ??
      (this.#options.refusesWebSockets === true && isWebSocketUpgrade(rawFieldOf(req.rawHeaders, 'upgrade')) ? 'notImplemented' : undefined) ??
      (this.#forwarding.apply(req, this.#connectionOf(req)) ? undefined : 'badRequest');
    if (broken !== undefined) {
      sendError(res, broken, true);
      return;
    }
    if (expectsContinue) {
      // node:http's test for 100-continue is looser than RFC 9110's.
      const refused = expectationVerdict(req.headers.expect!);
      if (refused !== undefined) {
        sendError(res, refused, true);
        return;
      }
    }
    if (this.#ctx.loopLag?.shedding === true) {
      this.#ctx.metrics.shed();
      sendError(res, 'retryLater', true);
      return;
    }
    if (rawFieldOf(req.rawHeaders, 'transfer-encoding') !== undefined) guardTrailers(req, () => this.#refuseTrailers(req, res));
    if (this.#deadlines !== null) {
      this.#deadlines.add(res);
      res.once('close', this.#leaveDeadlines!);
    }
    if (this.#closing || !this.#options.keepAlive || this.#ctx.settings.keepalive === 0) res.shouldKeepAlive = false;
    if (expectsContinue) res.writeContinue();
    if (this.#options.oneAtATime === true) {
      if (this.#running !== null) {
        this.#waiting.push(req, res);
        this.#updateAccepting();
        return;
      }
      this.#startTurn(req, res);
      return;
    }
    this.#serve(req, res);
  }

  /** The socket a request came on: `req.socket`, but for HTTP/2's, which is a proxy. */
  #connectionOf(req: IncomingMessage): Socket {
    return overHttp2(req) ? this.#h2!.socketOf(req) : req.socket;
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    this.#ctx.requestDone();
    try {
      const result = this.#listener(req, res) as Promise<unknown> | undefined;
      if (result !== undefined && typeof result.then === 'function') result.then(undefined, (error: unknown) => this.#appFailed(error, req, res));
    } catch (error) {
      this.#appFailed(error, req, res);
    }
  }

  /** oneAtATime: runs `req`, with `timeout` as its deadline; the next waiting request follows when it is over. */
  #startTurn(req: IncomingMessage, res: ServerResponse): void {
    this.#running = req.socket;
    this.#updateAccepting();
    this.#ctx.heartbeat.busy(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
    res.once('close', this.#endTurn);
    this.#serve(req, res);
  }

  #endTurn = (): void => {
    this.#ctx.heartbeat.idle();
    // Without keep-alive the finished request's connection is closing: what was pipelined behind it is never answered.
    const closing = this.#options.keepAlive ? null : this.#running;
    this.#running = null;
    while (this.#waiting.length > 0) {
      const req = this.#waiting.shift() as IncomingMessage;
      const res = this.#waiting.shift() as ServerResponse;
      if (!req.socket.destroyed && req.socket !== closing) {
        this.#startTurn(req, res);
        return;
      }
    }
    this.#updateAccepting();
  };

  /** The access log record and the metrics of a request, taken when its response is over; nothing when both are off. */
  #instrument(req: IncomingMessage, res: ServerResponse): void {
    // HTTP/1.1 responses meter themselves (node-response-meter.ts).
    if (this.#meter !== null && overHttp2(req)) this.#meter.meter(res);
    if (!this.#ctx.accessLog.enabled) return;
    const record = new NodeAccessRecord(req, res, this.#connectionOf(req));
    res.once('close', () => this.#ctx.accessLog.write(record.finish()));
  }

  /** A trailer carried a field that must come before the body: the body never completes for the app. */
  #refuseTrailers(req: IncomingMessage, res: ServerResponse): void {
    if (!res.headersSent) {
      sendError(res, 'badRequest', true);
      // The app may still write to the response it was given; that is now a no-op, not an error.
      res.on('error', ignore);
    }
    req.destroy(new Error('a trailer field carried a field that must precede the body'));
  }

  /**
   * --request-timeout: answers for the app (504, or 503 while it never saw the request) and tells
   * it as a client's leaving would; a response already started is cut off.
   */
  #onDeadline = (res: ServerResponse): void => {
    const req = (res as ServerResponse & { req: IncomingMessage }).req;
    const seconds = this.#ctx.settings.requestTimeout;
    this.#ctx.metrics.timedOut();
    if (res.headersSent) {
      this.#ctx.log.error(`Request exceeded --request-timeout ${seconds}s after its response started; connection closed (pid:${process.pid}): "${req.method} ${req.url} HTTP/${req.httpVersion}"`);
      markTimedOut(res, seconds);
      res.destroy();
      return;
    }
    const queued = this.#dequeue(res) || this.#options.isQueued?.(res) === true;
    sendError(res, queued ? 'retryLater' : 'requestTimeout', true);
    markTimedOut(res, seconds);
  };

  /** oneAtATime: takes `res` out of the requests waiting their turn; false when it is not there. */
  #dequeue(res: ServerResponse): boolean {
    const index = this.#waiting.indexOf(res);
    if (index === -1) return false;
    this.#waiting.splice(index - 1, 2);
    return true;
  }

  /** The front door's verdict on a parsed head. HTTP/2's version is its framing, checked by nghttp2; its head follows HTTP/1.1's rules (RFC 9113 §8.2). */
  #headVerdict(req: IncomingMessage): HttpErrorCode | undefined {
    return overHttp2(req)
      ? checkRequestHead(this.#limits, HTTP2_CHECKS, req.method!, req.url!, 1, 1, req.rawHeaders)
      : checkRequestHead(this.#limits, LLHTTP_CHECKS, req.method!, req.url!, req.httpVersionMajor, req.httpVersionMinor, req.rawHeaders);
  }

  #appFailed(error: unknown, req: IncomingMessage, res: ServerResponse): void {
    // The deadline answered already: what the app does after it is not the client's concern.
    if (timedOutReason(res) !== undefined) return;
    this.#ctx.log.error({ err: error }, `Error handling request ${req.method} ${req.url}: ${describeError(error)}`);
    sendError(res, 'appError');
  }

  /** CONNECT: Narwhal is an origin server and does not tunnel. */
  #onConnect = (req: IncomingMessage, socket: Socket): void => {
    const code = this.#headVerdict(req) ?? 'notImplemented';
    this.#refuse(socket, code, requestLineOf(req));
  };

  /** An Upgrade request (options.upgrades): the front door, the accounting, then the handler takes the socket. */
  #onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const broken =
      this.#headVerdict(req) ??
      (this.#forwarding.apply(req) ? undefined : 'badRequest') ??
      (this.#closing ? 'serviceUnavailable' : undefined);
    if (broken !== undefined) return this.#refuse(socket, broken, requestLineOf(req));
    this.#ctx.requestDone();
    this.#upgraded.add(socket);
    if (this.#meter !== null || this.#ctx.accessLog.enabled || this.#ctx.requestHooks !== null) {
      try {
        this.#recordUpgrade(req, socket);
      } catch (error) {
        // preRequest threw: answered 500, as any request whose hook fails.
        this.#ctx.log.error({ err: error }, `Error handling request ${req.method} ${req.url}: ${describeError(error)}`);
        socket.end(errorResponse('appError').raw);
        return;
      }
    }
    this.#upgrades!.upgrade(req, socket, head);
  };

  /**
   * One access log line, one metrics sample and postRequest per upgrade, when its socket closes;
   * preRequest now (what it throws propagates).
   */
  #recordUpgrade(req: IncomingMessage, socket: Socket): void {
    const record = new NodeUpgradeRecord(req, socket);
    const hooks = this.#ctx.requestHooks;
    const hooked = hooks === null ? undefined : hookRequest(req.method!, req.url!, req.httpVersion, lowerCaseNames(req.rawHeaders), socket.remoteAddress);
    if (this.#meter !== null) this.#ctx.metrics.started();
    socket.once('close', () => {
      record.finish();
      if (this.#meter !== null) this.#ctx.metrics.finished(record.status, record.durationMs);
      if (this.#ctx.accessLog.enabled) this.#ctx.accessLog.write(record);
      if (hooked !== undefined) hooks!.after(hooked, { status: record.status });
    });
    if (hooked !== undefined) hooks!.before(hooked);
  }

  #onClientError = (error: NodeJS.ErrnoException & ParseError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    this.#ctx.log.debug(`Invalid request from ${socket.remoteAddress ?? 'unix socket'}: ${error.code ?? error.message}`);
    const code = classifyParseError(this.#limits, error);
    const refuse = (): void => this.#refuse(socket, code, error.rawPacket, error.bytesParsed);
    const pending = (socket as SocketWithResponse)._httpMessage;
    if (pending == null) return refuse();
    if (!pending.req.complete) {
      // The refused bytes are in the body of the request being answered: a response already
      // begun is its only answer, cut short; else the error is.
      if (pending.headersSent) socket.destroySoon();
      else refuse();
      return;
    }
    // A request pipelined behind complete ones: those are answered first (RFC 9112 §9.3.2).
    this.#afterResponses(socket, refuse);
  };

  /** Calls `then` once the responses queued on `socket` are over. */
  #afterResponses(socket: Socket, then: () => void): void {
    const pending = (socket as SocketWithResponse)._httpMessage;
    if (pending == null || socket.destroyed) then();
    // node:http hands the socket to the next queued response when one finishes: look again after it.
    else pending.once('close', () => setImmediate(() => this.#afterResponses(socket, then)));
  }
}

// Design: the uws serving loop. Each worker binds every --bind address itself (uWS cannot
// adopt the arbiter's sockets; reference/feasibility.md §5) with SO_REUSEPORT, which uWS sets
// by default, so the kernel spreads connections over the workers. A request becomes a Fetch
// Request with nothing of node:http in between; a Node request listener runs on core's
// emulated req/res. Limits, error statuses and the access log follow core's tables, so a client
// sees the same answers as from the other classes. uWS retries accept() in a busy loop when the
// process is out of descriptors, so the worker counts its connections (uWS's filter) and closes
// its listeners near the limit, as core's node:http classes stop accepting there: siblings, or
// this worker once connections close, take the new ones. With TLS it is uWS's SSLApp
// (ssl-app-options.ts), decided once when the app is built.

import { checkRequestHead, connectionCeiling, DeadlineQueue, requestTimeoutReason, hookRequest, describeError, expectationVerdict, fetchCannotCarry, lazyRequest, errorResponse, HTTP_ERRORS, nodeToFetchHandler, parseBindAddress, proxyTrust, readForwarded, requestLimits, requestUrl, schemeHeaders, type EngineChecks, type ForwardedView, type HttpErrorCode, type Peer, type ProxyTrust, type RequestLimits, type SchemeHeaders, type WorkerContext, type WorkerHandle } from '@narwhal/core/worker';
import type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket, us_socket_context_t } from 'uWebSockets.js';
import { UwsWebSockets } from './fetch-websockets.js';
import type { Engine } from './engine.js';
import { Exchange, type DrainState } from './exchange.js';
import { withSslAppOptions } from './ssl-app-options.js';

const DRAIN_POLL_MS = 25;
/**
 * After the listeners close, connections the kernel handed over just before may not have sent
 * their request yet; closing every connection at once would reset them. Wait until no request
 * arrived for this long (graceful_timeout still bounds the whole stop).
 */
const QUIET_BEFORE_CLOSE_MS = 250;
const ERROR_STATUS_LINES = Object.fromEntries(Object.entries(HTTP_ERRORS).map(([code, { status, reason }]) => [code, `${status} ${reason}`])) as Record<HttpErrorCode, string>;

/**
 * What uWebSockets.js 20.51 refuses itself before the handler runs (the conformance kit's
 * corpus proves each): field names that are not tokens, control characters below 0x20 in
 * values. It lets DEL through, any method, and duplicate or malformed framing fields.
 */
const UWS_CHECKS: EngineChecks = { knownMethod: false, fieldNames: true, fieldValues: 'except-del', framing: false };

const NON_ASCII = /[^\x00-\x7f]/;
// uWS's forEach takes a callback; one shared function, request and target array avoid a closure per request.
let collecting: string[] = [];
let collectingFrom: HttpRequest;
const collectHeader = (name: string, value: string): void => {
  // forEach decodes values as UTF-8, getHeader as latin-1, the ByteString convention of Node and
  // Fetch (obs-text, RFC 9110 §5.5): take the latter when there is something to decode.
  collecting.push(name, NON_ASCII.test(value) ? collectingFrom.getHeader(name) : value);
};

export class UwsService implements WorkerHandle, DrainState {
  readonly #ctx: WorkerContext;
  readonly #engine: Engine;
  readonly #app: TemplatedApp;
  readonly #limits: RequestLimits;
  readonly #casefold: boolean;
  readonly #trust: ProxyTrust;
  readonly #secure: SchemeHeaders;
  readonly #forwarded: ForwardedView = { clientAddress: undefined, scheme: undefined, conflict: false };
  readonly #serve: (request: Request, peer?: Peer) => Response | Promise<Response>;
  readonly #logsAccess: boolean;
  readonly #metered: boolean;
  readonly #listenSockets: us_listen_socket[] = [];
  readonly #onDone = (exchange: Exchange): void => this.#done(exchange);
  readonly #webSockets: UwsWebSockets | null;
  #inFlight = 0;
  /** Open connections, and how many this process can hold (descriptor-limit.ts in core). */
  #connections = 0;
  readonly #maxConnections = connectionCeiling(Infinity);
  #accepting = false;
  #draining = false;
  #lastRequestAt = 0;

  get draining(): boolean {
    return this.#draining;
  }

  /** With --request-timeout: the requests with the app, by arrival. */
  readonly #deadlines: DeadlineQueue<Exchange> | null;
  /** https with TLS: every request's scheme unless a trusted proxy says otherwise. */
  readonly #scheme: 'http' | 'https';

  constructor(ctx: WorkerContext, engine: Engine) {
    this.#ctx = ctx;
    this.#engine = engine;
    this.#limits = requestLimits(ctx.settings);
    this.#casefold = ctx.settings.casefoldHttpMethod;
    this.#trust = proxyTrust(ctx.settings.forwardedAllowIps);
    this.#secure = schemeHeaders(ctx.settings.secureSchemeHeaders);
    const app = ctx.app;
    this.#serve = app.interface === 'node' ? nodeToFetchHandler(app.listener) : (request) => app.fetch(request);
    this.#logsAccess = ctx.accessLog.enabled;
    this.#metered = ctx.metrics.enabled;
    this.#deadlines = ctx.settings.requestTimeout > 0 ? new DeadlineQueue(ctx.settings.requestTimeout * 1000, this.#onDeadline) : null;
    if (this.#metered) ctx.metrics.countConnections(() => this.#connections);
    // uWS calls the filter with +1 for a connection opened and -1 for one closed (its typings say Number).
    this.#scheme = ctx.tls === null ? 'http' : 'https';
    this.#app = ctx.tls === null ? engine.App() : withSslAppOptions(ctx.tls, (options) => engine.SSLApp(options));
    // Handshakes first: uWS's ws route passes any other GET on to the next route.
    this.#webSockets = app.interface === 'fetch' && app.websocket !== undefined ? new UwsWebSockets(app.websocket, ctx.log) : null;
    if (this.#webSockets !== null) this.#app.ws('/*', this.#webSockets.behavior(engine, ctx.settings, this.#onHandshake));
    this.#app.any('/*', this.#onRequest).filter((res, change) => this.#onConnections(Number(change)));
  }

  /** Binds every address; throws with the address that could not be bound. */
  async start(): Promise<void> {
    this.#listen();
  }

  #listen(): void {
    for (const text of this.#ctx.settings.bind) {
      const address = parseBindAddress(text);
      if (address.kind !== 'tcp') throw new Error(`-k uws cannot serve ${text}`);
      // uWS calls back before listen() returns.
      let socket: us_listen_socket | false = false;
      this.#app.listen(address.host, address.port, (listening) => {
        socket = listening;
      });
      if (socket === false) throw new Error(`-k uws could not bind ${text} (in use by a process that did not set SO_REUSEPORT, or not a local address)`);
      this.#listenSockets.push(socket);
    }
    this.#accepting = true;
  }

  #closeListeners(): void {
    for (const socket of this.#listenSockets.splice(0)) this.#engine.us_listen_socket_close(socket);
    this.#accepting = false;
  }

  #onConnections(change: number): void {
    this.#connections += change;
    if (change > 0) this.#ctx.heartbeat.connectionOpened();
    if (this.#draining) return;
    if (this.#accepting && this.#connections >= this.#maxConnections) {
      this.#ctx.log.warning(`${this.#connections} connections, near the open-file limit: stopped accepting until some close (pid:${process.pid})`);
      this.#closeListeners();
    } else if (!this.#accepting && this.#connections < this.#maxConnections * 0.9) {
      try {
        this.#listen();
      } catch (error) {
        this.#ctx.log.error({ err: error }, `Could not listen again (pid:${process.pid}): ${describeError(error)}`);
      }
    }
  }

  async stop({ graceful }: { graceful: boolean }): Promise<void> {
    this.#draining = true;
    this.#lastRequestAt = performance.now();
    this.#closeListeners();
    this.#webSockets?.goingAway();
    if (graceful) {
      while (this.#inFlight > 0 || performance.now() - this.#lastRequestAt < QUIET_BEFORE_CLOSE_MS) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    // Idle keep-alive connections and anything left: close them all (the typings lack close()).
    (this.#app as TemplatedApp & { close(): void }).close();
    this.#deadlines?.close();
  }

  #onRequest = (res: HttpResponse, req: HttpRequest): void => {
    this.#handle(res, req, undefined);
  };

  /** A WebSocket handshake (the app has a `websocket` handler): a request the app may claim. */
  #onHandshake = (res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void => {
    this.#handle(res, req, context);
  };

  #handle(res: HttpResponse, req: HttpRequest, handshakeContext: us_socket_context_t | undefined): void {
    const sent = req.getCaseSensitiveMethod();
    // --casefold-http-method: upper-cased once accepted (the check below reads the method as sent), as in Gunicorn.
    const method = this.#casefold ? sent.toUpperCase() : sent;
    const query = req.getQuery();
    const url = query ? `${req.getUrl()}?${query}` : req.getUrl();
    collecting = [];
    collectingFrom = req;
    req.forEach(collectHeader);
    const exchange = new Exchange(res, method, url, collecting, this.#ctx.settings.keepalive === 0, this, this.#onDone);
    exchange.scheme = this.#scheme;
    this.#admit(exchange, sent, req, handshakeContext);
    exchange.handlerReturned();
  }

  /** Checks the request and hands it to the app; `sent` is the method as the client spelled it. */
  #admit(exchange: Exchange, sent: string, req: HttpRequest, handshakeContext: us_socket_context_t | undefined): void {
    const { method, url, headers } = exchange;
    const settings = this.#ctx.settings;
    this.#inFlight++;
    if (this.#metered) this.#ctx.metrics.started();
    if (this.#draining) this.#lastRequestAt = performance.now();
    // The access log needs the address after the response, when uWS can no longer tell it.
    if (this.#logsAccess) void exchange.remoteAddress;
    // uWebSockets.js parses HTTP/1.1 only.
    const broken = checkRequestHead(this.#limits, UWS_CHECKS, sent, url, 1, 1, headers) ?? (this.#ctx.app.interface === 'fetch' && fetchCannotCarry(method) ? 'notImplemented' : undefined);
    if (broken !== undefined) return this.#sendError(exchange, broken);
    if (!this.#applyForwarded(exchange)) return this.#sendError(exchange, 'badRequest');
    // uWS sends 100 Continue itself for the lower-case spelling only (a mixed-case one gets none:
    // its API cannot send an interim response); any other expectation is refused, as on node:http.
    const expectation = exchange.requestHeader('expect');
    if (expectation !== undefined && expectation !== '') {
      const refused = expectationVerdict(expectation);
      if (refused !== undefined) return this.#sendError(exchange, refused);
    }
    if (this.#inFlight > settings.workerConnections) return this.#sendError(exchange, 'serviceUnavailable');
    if (this.#ctx.loopLag?.shedding === true) {
      this.#ctx.metrics.shed();
      return this.#sendError(exchange, 'retryLater');
    }
    if (this.#ctx.requestHooks !== null && !this.#beforeRequest(exchange)) return;
    this.#deadlines?.add(exchange);
    this.#ctx.requestDone();
    let request: Request;
    try {
      request = this.#toRequest(exchange);
    } catch {
      return this.#sendError(exchange, 'badRequest');
    }
    if (handshakeContext !== undefined) {
      // A socket opened now would miss the stop's 1001.
      if (this.#draining) return this.#sendError(exchange, 'serviceUnavailable');
      // uWS's request is valid only until this handler returns.
      exchange.handshake = { request, key: req.getHeader('sec-websocket-key'), extensions: req.getHeader('sec-websocket-extensions'), context: handshakeContext };
      this.#webSockets!.expect(request);
    }
    let result: Response | Promise<Response>;
    try {
      result = this.#serve(request, exchange);
    } catch (error) {
      return this.#appFailed(exchange, error);
    }
    // A handler that answers synchronously is written while uWS still has the socket corked.
    if (result instanceof Promise) result.then((response) => this.#respond(exchange, response), (error: unknown) => this.#appFailed(exchange, error));
    else this.#respond(exchange, result);
  }

  /**
   * A trusted proxy's word on the client and the scheme (core's forwarded.ts); false when its
   * scheme headers disagree. The peer's address is read only when the request carries such fields.
   */
  #applyForwarded(exchange: Exchange): boolean {
    const view = readForwarded(this.#trust, this.#secure, exchange.headers, this.#forwarded);
    if (view.clientAddress === undefined && view.scheme === undefined && !view.conflict) return true;
    const peer = exchange.remoteAddress;
    if (peer === undefined || !this.#trust.trusts(peer)) return true;
    if (view.conflict) return false;
    exchange.remoteAddress = view.clientAddress ?? peer;
    if (view.scheme !== undefined) exchange.scheme = view.scheme;
    return true;
  }

  /** preRequest; false when it threw, and the request was answered 500 (postRequest follows in #done). */
  #beforeRequest(exchange: Exchange): boolean {
    exchange.hookRequest = hookRequest(exchange.method, exchange.url, exchange.httpVersion, exchange.headers, exchange.remoteAddress);
    try {
      this.#ctx.requestHooks!.before(exchange.hookRequest);
      return true;
    } catch (error) {
      this.#appFailed(exchange, error);
      return false;
    }
  }

  #respond(exchange: Exchange, response: Response): void {
    if (exchange.handshake !== undefined && this.#webSockets!.finish(exchange, exchange.handshake)) return;
    if (!(response instanceof Response)) return this.#appFailed(exchange, new TypeError('the fetch handler did not return a Response'));
    exchange.respond(response)?.then(undefined, (error: unknown) => this.#appFailed(exchange, error));
  }

  #toRequest(exchange: Exchange): Request {
    const length = exchange.requestHeader('content-length');
    const hasBody = exchange.requestHeader('transfer-encoding') !== undefined || (length !== undefined && length !== '' && length !== '0');
    // The body must be subscribed to now, while uWS still lets us (onData); the Request itself is built lazily.
    const body = hasBody ? exchange.requestBody() : null;
    return lazyRequest({
      method: exchange.method,
      url: requestUrl(exchange.requestHeader('host') ?? '', exchange.url, exchange.scheme),
      target: exchange.url,
      headers: exchange.headers,
      body: body === null ? null : () => body,
      signal: () => exchange.signal,
    });
  }

  /** --request-timeout: the app is told, and the client gets 504 (uWS has no queue of its own: the app has every request). */
  #onDeadline = (exchange: Exchange): void => {
    const seconds = this.#ctx.settings.requestTimeout;
    this.#ctx.metrics.timedOut();
    if (exchange.timeOut(requestTimeoutReason(seconds))) {
      this.#ctx.log.error(`Request exceeded --request-timeout ${seconds}s after its response started; connection closed (pid:${process.pid}): "${exchange.method} ${exchange.url} HTTP/1.1"`);
      return;
    }
    this.#sendError(exchange, 'requestTimeout');
  };

  #appFailed(exchange: Exchange, error: unknown): void {
    if (exchange.aborted || exchange.timedOut) return;
    this.#ctx.log.error({ err: error }, `Error handling request ${exchange.method} ${exchange.url}: ${describeError(error)}`);
    this.#sendError(exchange, 'appError');
  }

  #sendError(exchange: Exchange, code: HttpErrorCode): void {
    exchange.sendError(ERROR_STATUS_LINES[code], errorResponse(code));
  }

  #done(exchange: Exchange): void {
    this.#inFlight--;
    this.#deadlines?.delete(exchange);
    if (this.#logsAccess) this.#ctx.accessLog.write(exchange);
    if (this.#metered) this.#ctx.metrics.finished(exchange.status, exchange.durationMs);
    if (exchange.hookRequest !== undefined) this.#ctx.requestHooks!.after(exchange.hookRequest, { status: exchange.status });
  }
}

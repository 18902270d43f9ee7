// Design: the node:http serving loop shared by the worker classes built on node:http (sync,
// async, gthread), so that limits, error responses, keep-alive, the access log, connection
// caps and graceful draining behave identically in each. A class picks the policy:
//   maxConnections  stop accepting at this many open connections (sync: 1)
//   keepAlive       false closes the connection after every response (sync, as Gunicorn)
//   requestDeadline each request brackets the heartbeat, so `timeout` bounds it (sync)
// The request path allocates nothing of its own unless the access log is on.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { asNodeListener } from '../app/adapt.js';
import { describeError } from '../app/load-app.js';
import type { NodeListener } from '../app/app.js';
import type { WorkerContext } from '../worker/contract.js';
import { InheritedListeners } from '../worker/inherited-listeners.js';
import { NodeAccessRecord } from './node-access-record.js';
import { errorResponse, sendError } from './error-response.js';
import { checkRequestLimits, classifyHeaderOverflow, requestLimits, type RequestLimits } from './limits.js';

export interface NodeHttpServiceOptions {
  /** Stop accepting at this many open connections; the rest wait in the kernel queue. */
  readonly maxConnections: number;
  /** Keep connections open between requests for `keepalive` seconds. */
  readonly keepAlive: boolean;
  /** Stop the heartbeat during each request, so that `timeout` is its deadline. */
  readonly requestDeadline?: boolean;
  /** Serve with this listener instead of the app's (gthread hands requests to its pool). */
  readonly listener?: NodeListener;
}

const DRAIN_POLL_MS = 50;

export class NodeHttpService {
  readonly server: Server;
  readonly #ctx: WorkerContext;
  readonly #options: NodeHttpServiceOptions;
  readonly #limits: RequestLimits;
  readonly #listener: NodeListener;
  readonly #acceptor: InheritedListeners;
  readonly #sockets = new Set<Socket>();
  #closing = false;

  constructor(ctx: WorkerContext, options: NodeHttpServiceOptions) {
    this.#ctx = ctx;
    this.#options = options;
    this.#limits = requestLimits(ctx.settings);
    this.#listener = options.listener ?? asNodeListener(ctx.app);
    const keepAliveMs = ctx.settings.keepalive * 1000;
    // With a request deadline the worker has room for one connection at a time, so a client
    // that connects and never finishes its request head must not hold it longer than `timeout`.
    const headDeadlineMs = options.requestDeadline === true && ctx.settings.timeout > 0 ? ctx.settings.timeout * 1000 : undefined;
    this.server = createServer({
      maxHeaderSize: this.#limits.headerBytes,
      keepAliveTimeout: keepAliveMs,
      requestTimeout: 0,
      noDelay: true,
      ...(headDeadlineMs !== undefined && { headersTimeout: headDeadlineMs, connectionsCheckingInterval: Math.min(1000, headDeadlineMs) }),
    });
    this.server.maxHeadersCount = this.#limits.fields + 1;
    this.server.on('request', this.#ctx.accessLog.enabled || options.requestDeadline ? this.#onInstrumentedRequest : this.#onRequest);
    this.server.on('clientError', this.#onClientError);
    // Connection tracking (closeIdleConnections, header timeouts) starts on 'listening'; this
    // server never listens itself, since connections come from the inherited sockets.
    this.server.emit('listening');
    this.#acceptor = new InheritedListeners(ctx.listeners, { backlog: ctx.settings.backlog }, this.#onConnection);
  }

  /** Accept on the inherited listeners. */
  start(): Promise<void> {
    return this.#acceptor.start();
  }

  /** The number of open client connections. */
  get connections(): number {
    return this.#sockets.size;
  }

  async stop({ graceful }: { graceful: boolean }): Promise<void> {
    this.#closing = true;
    this.#acceptor.close();
    if (!graceful) {
      for (const socket of this.#sockets) socket.destroy();
      return;
    }
    // Responses still being prepared tell their clients this connection ends with them.
    for (const socket of this.#sockets) {
      const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (response && !response.headersSent) response.shouldKeepAlive = false;
    }
    while (this.#sockets.size > 0) {
      this.server.closeIdleConnections();
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  #onConnection = (socket: Socket): void => {
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      if (this.#acceptor.paused && this.#sockets.size < this.#options.maxConnections) this.#acceptor.resume();
    });
    if (this.#sockets.size >= this.#options.maxConnections) this.#acceptor.pause();
    this.server.emit('connection', socket);
  };

  #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const broken = checkRequestLimits(this.#limits, req.method!, req.url!, req.rawHeaders);
    if (broken !== undefined) {
      sendError(res, broken, true);
      return;
    }
    if (this.#closing || !this.#options.keepAlive || this.#ctx.settings.keepalive === 0) res.shouldKeepAlive = false;
    this.#ctx.requestDone();
    try {
      const result = this.#listener(req, res) as Promise<unknown> | undefined;
      if (result !== undefined && typeof result.then === 'function') result.then(undefined, (error: unknown) => this.#appFailed(error, req, res));
    } catch (error) {
      this.#appFailed(error, req, res);
    }
  };

  /** The request path with the access log and/or a request deadline: a record per request. */
  #onInstrumentedRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const record = new NodeAccessRecord(req, res);
    const deadline = this.#options.requestDeadline === true;
    if (deadline) this.#ctx.heartbeat.busy(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
    res.once('close', () => {
      if (deadline) this.#ctx.heartbeat.idle();
      if (this.#ctx.accessLog.enabled) this.#ctx.accessLog.write(record.finish());
    });
    this.#onRequest(req, res);
  };

  #appFailed(error: unknown, req: IncomingMessage, res: ServerResponse): void {
    this.#ctx.log.error({ err: error }, `Error handling request ${req.method} ${req.url}: ${describeError(error)}`);
    sendError(res, 'appError');
  }

  #onClientError = (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = error.code === 'HPE_HEADER_OVERFLOW' ? classifyHeaderOverflow(this.#limits, error.rawPacket) : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'requestHeadTimeout' : 'badRequest';
    this.#ctx.log.debug(`Invalid request from ${socket.remoteAddress ?? 'unix socket'}: ${error.code ?? error.message}`);
    socket.end(errorResponse(code).raw);
    socket.destroySoon();
  };
}

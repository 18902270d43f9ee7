// Design: HTTP/2 for NodeHttpService (--http-protocols h2). One node:http2 server that never
// listens: the service hands it the connections that chose h2, a TLS socket whose ALPN said `h2`
// or, with --http2-cleartext prior-knowledge, a cleartext one whose first bytes are the
// connection preface (given back to the socket unread). Everything else stays HTTP/1.1 on
// node:http, so one port serves both. node:http2's compatibility API makes each stream a
// request/response pair shaped like node:http's; asHttp1Head then gives the request the head an
// HTTP/1.1 one would have (no pseudo-headers; `host` from `:authority`), so the service's front
// door, both app contracts and the access log take it unchanged. A graceful stop sends GOAWAY on
// every session and lets their open streams finish.

import { createServer, Http2ServerResponse as NodeHttp2ServerResponse, type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listedProtocols } from '../config/settings.js';
import { startsLike } from './proxy-protocol.js';
import type { PlainSettings } from '../config/types.js';

type Http2Settings = Pick<PlainSettings, 'httpProtocols' | 'http2Cleartext' | 'http2MaxConcurrentStreams' | 'http2InitialWindowSize' | 'http2MaxFrameSize' | 'http2MaxHeaderListSize' | 'keepalive'>;

/** The connection preface every HTTP/2 client sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** SETTINGS_MAX_HEADER_LIST_SIZE's largest value, for Gunicorn's 0 (no limit). */
const UNLIMITED_HEADER_LIST = 2 ** 32 - 1;

/**
 * Fields that belong to an HTTP/1.1 connection, which node:http2 refuses with a throw (RFC 9113
 * §8.2.2). An app written for HTTP/1.1 sets them (`Connection: close` on an error): dropped here,
 * as Gunicorn drops hop-by-hop headers.
 */
const CONNECTION_FIELDS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings', 'te']);

const isConnectionField = (name: unknown): boolean => typeof name === 'string' && CONNECTION_FIELDS.has(name.toLowerCase());

type HeadFields = Record<string, unknown> | unknown[];

/** node:http2's response, dropping HTTP/1.1 connection fields instead of throwing on them. */
class Http1TolerantResponse extends NodeHttp2ServerResponse {
  override setHeader(name: string, value: number | string | readonly string[]): void {
    if (!isConnectionField(name)) super.setHeader(name, value);
  }

  override writeHead(status: number, message?: string | HeadFields, fields?: HeadFields): this {
    if (typeof message === 'string') return super.writeHead(status, message, withoutConnectionFields(fields) as never);
    return super.writeHead(status, withoutConnectionFields(message) as never);
  }
}

function withoutConnectionFields(fields: HeadFields | undefined): HeadFields | undefined {
  if (fields === undefined || fields === null) return fields;
  if (!Array.isArray(fields)) {
    if (!Object.keys(fields).some(isConnectionField)) return fields;
    return Object.fromEntries(Object.entries(fields).filter(([name]) => !isConnectionField(name)));
  }
  // [[name, value], …] or [name, value, name, value, …]
  if (Array.isArray(fields[0])) return fields.filter((pair) => !isConnectionField((pair as unknown[])[0]));
  const kept: unknown[] = [];
  for (let index = 0; index < fields.length; index += 2) if (!isConnectionField(fields[index])) kept.push(fields[index], fields[index + 1]);
  return kept;
}

export type Http2Listener = (req: Http2ServerRequest, res: Http2ServerResponse, expectsContinue: boolean) => void;

const ignore = (): void => {};

export class Http2Front {
  /** h2c: a cleartext connection that starts with the preface is served HTTP/2. */
  readonly cleartext: boolean;
  /** HTTP/1.1 is served beside HTTP/2 (h1 in --http-protocols). */
  readonly http1: boolean;
  /** What TLS offers by ALPN, HTTP/2 first. */
  readonly alpnProtocols: string[];
  readonly #server: Http2Server<typeof IncomingMessage, typeof ServerResponse, typeof Http2ServerRequest, typeof Http1TolerantResponse>;
  readonly #sessions = new Set<ServerHttp2Session>();
  /** The sockets HTTP/2 serves: the service leaves their draining to GOAWAY. */
  readonly #served = new WeakSet<Socket>();
  /** Each session's connection (its own `socket` is a proxy that takes no defined properties). */
  readonly #sockets = new WeakMap<ServerHttp2Session, Socket>();
  /** The socket being handed to node:http2, whose session is made synchronously. */
  #adopting: Socket | undefined;
  readonly #idleMs: number;
  #closing = false;

  /** For h2 in --http-protocols (the service imports this module only then: node:http2 costs a worker 1.3 MiB). */
  constructor(settings: Http2Settings, listener: Http2Listener) {
    const http1 = listedProtocols(settings.httpProtocols).includes('h1');
    this.cleartext = settings.http2Cleartext === 'prior-knowledge';
    this.http1 = http1;
    this.alpnProtocols = http1 ? ['h2', 'http/1.1'] : ['h2'];
    this.#idleMs = settings.keepalive * 1000;
    this.#server = createServer({
      Http2ServerResponse: Http1TolerantResponse,
      settings: {
        maxConcurrentStreams: settings.http2MaxConcurrentStreams,
        initialWindowSize: settings.http2InitialWindowSize,
        maxFrameSize: settings.http2MaxFrameSize,
        maxHeaderListSize: settings.http2MaxHeaderListSize === 0 ? UNLIMITED_HEADER_LIST : settings.http2MaxHeaderListSize,
      },
    });
    this.#server.on('session', this.#onSession);
    this.#server.on('sessionError', ignore);
    this.#server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => listener(asHttp1Head(req), res, false));
    this.#server.on('checkContinue', (req: Http2ServerRequest, res: Http2ServerResponse) => listener(asHttp1Head(req), res, true));
  }

  /** True when `chunk`, a connection's first bytes, begins (or is the start of) the preface. */
  startsWithPreface(chunk: Buffer): boolean {
    return startsLike(chunk, PREFACE);
  }

  /** Serves `socket` HTTP/2; `unread`, bytes already taken from it, are given back first. */
  serve(socket: Socket, unread?: Buffer): void {
    this.#served.add(socket);
    if (unread !== undefined) {
      socket.pause();
      socket.unshift(unread);
    }
    this.#adopting = socket;
    this.#server.emit('connection', socket);
    this.#adopting = undefined;
  }

  /** The connection an HTTP/2 request came on. */
  socketOf(req: object): Socket {
    return this.#sockets.get((req as Http2ServerRequest).stream.session as ServerHttp2Session)!;
  }

  /** True for a connection HTTP/2 serves. */
  serves(socket: Socket): boolean {
    return this.#served.has(socket);
  }

  /** Graceful stop: GOAWAY on every session; each closes once its open streams are over. */
  close(): void {
    this.#closing = true;
    for (const session of this.#sessions) session.close();
  }

  #onSession = (session: ServerHttp2Session): void => {
    if (this.#closing) {
      session.close();
      return;
    }
    this.#sessions.add(session);
    this.#sockets.set(session, this.#adopting!);
    session.once('close', () => this.#sessions.delete(session));
    session.on('error', ignore);
    // Idle for --keep-alive: GOAWAY, as node:http closes an idle keep-alive connection. A
    // session with a stream open is not idle, however long the app takes.
    if (this.#idleMs === 0) return;
    let open = 0;
    session.on('stream', (stream: ServerHttp2Stream) => {
      open++;
      stream.once('close', () => open--);
    });
    session.setTimeout(this.#idleMs, () => {
      if (open === 0) session.close();
    });
  };
}

/**
 * Gives an HTTP/2 request the head of an HTTP/1.1 one, as own properties: method and url as
 * node:http2 read them, headers and rawHeaders without pseudo-headers, and `host` from
 * `:authority` when the client sent no Host (RFC 9113 §8.3.1).
 */
function asHttp1Head(req: Http2ServerRequest): Http2ServerRequest {
  const method = req.method;
  const url = req.url;
  const authority = req.authority;
  const given = req.headers;
  const headers: Record<string, string | string[] | undefined> = {};
  for (const name in given) if (name.charCodeAt(0) !== 0x3a) headers[name] = given[name];
  const raw = req.rawHeaders;
  const rawHeaders: string[] = [];
  if (headers.host === undefined && authority) {
    headers.host = authority;
    rawHeaders.push('host', authority);
  }
  for (let index = 0; index < raw.length; index += 2) if (raw[index]!.charCodeAt(0) !== 0x3a) rawHeaders.push(raw[index]!, raw[index + 1]!);
  Object.defineProperties(req, {
    method: { value: method, writable: true, configurable: true },
    url: { value: url, writable: true, configurable: true },
    headers: { value: headers, writable: true, configurable: true },
    rawHeaders: { value: rawHeaders, writable: true, configurable: true },
  });
  return req;
}

// Design: HTTP/2 for NodeHttpService (--http-protocols h2). One node:http2 server that never
// listens: the service hands it the connections that chose h2, a TLS socket whose ALPN said `h2`
// or, with --http2-cleartext prior-knowledge, a cleartext one whose first bytes are the
// connection preface (given back to the socket unread). Everything else stays HTTP/1.1 on
// node:http, so one port serves both. node:http2's compatibility API makes each stream a
// request/response pair shaped like node:http's; Http1ShapedRequest gives the request the head an
// HTTP/1.1 one would have (no pseudo-headers; `host` from `:authority`), so the service's front
// door, both app contracts and the access log take it unchanged. Per stream, nothing is made that
// node:http2 does not make already, but for the one copy of the head a request without pseudo-
// headers needs (and the field object only when something reads it). A graceful stop sends GOAWAY on
// every session and lets their open streams finish.

import {
  createServer,
  Http2ServerRequest as NodeHttp2ServerRequest,
  Http2ServerResponse as NodeHttp2ServerResponse,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReadableOptions } from 'node:stream';
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
class Http1TolerantResponse extends NodeHttp2ServerResponse<Http1ShapedRequest> {
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
    if (!hasConnectionField(fields)) return fields;
    return Object.fromEntries(Object.entries(fields).filter(([name]) => !isConnectionField(name)));
  }
  // [[name, value], …] or [name, value, name, value, …]
  if (Array.isArray(fields[0])) return fields.filter((pair) => !isConnectionField((pair as unknown[])[0]));
  const kept: unknown[] = [];
  for (let index = 0; index < fields.length; index += 2) if (!isConnectionField(fields[index])) kept.push(fields[index], fields[index + 1]);
  return kept;
}

/** Without a copy of the names: this runs on every writeHead. */
function hasConnectionField(fields: Record<string, unknown>): boolean {
  for (const name in fields) if (isConnectionField(name)) return true;
  return false;
}

const isPseudoHeader = (name: string): boolean => name.charCodeAt(0) === 0x3a;

/**
 * node:http2's request with the head of an HTTP/1.1 one: `headers` and `rawHeaders` without
 * pseudo-headers, and `host` from `:authority` when the client sent no Host (RFC 9113 §8.3.1).
 * Each is made when first read: the front door reads rawHeaders, and an app that never reads
 * `headers` costs no copy of them. `method` and `url` stay node:http2's, read from the
 * pseudo-headers. Both may be assigned, as on node:http.
 */
class Http1ShapedRequest extends NodeHttp2ServerRequest {
  readonly #given: IncomingHttpHeaders;
  readonly #givenRaw: readonly string[];
  #headers: IncomingHttpHeaders | undefined;
  #rawHeaders: string[] | undefined;

  constructor(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, options: ReadableOptions, rawHeaders: readonly string[]) {
    super(stream, headers, options, rawHeaders);
    this.#given = headers;
    this.#givenRaw = rawHeaders;
  }

  /** `:authority`, when the client sent no Host: what an HTTP/1.1 request's Host would say. */
  #hostFromAuthority(): string | undefined {
    return this.#given.host === undefined ? this.#given[':authority'] : undefined;
  }

  // @types/node declares headers and rawHeaders properties; node:http2 defines them as getters,
  // which an accessor here overrides.
  static {
    Object.defineProperties(this.prototype, {
      headers: {
        get(this: Http1ShapedRequest): IncomingHttpHeaders {
          if (this.#headers !== undefined) return this.#headers;
          const given = this.#given;
          const headers: IncomingHttpHeaders = {};
          for (const name in given) if (!isPseudoHeader(name)) headers[name] = given[name];
          const host = this.#hostFromAuthority();
          if (host !== undefined) headers.host = host;
          return (this.#headers = headers);
        },
        set(this: Http1ShapedRequest, headers: IncomingHttpHeaders) {
          this.#headers = headers;
        },
        configurable: true,
      },
      rawHeaders: {
        get(this: Http1ShapedRequest): string[] {
          if (this.#rawHeaders !== undefined) return this.#rawHeaders;
          const raw = this.#givenRaw;
          const host = this.#hostFromAuthority();
          const rawHeaders: string[] = host === undefined ? [] : ['host', host];
          for (let index = 0; index < raw.length; index += 2) if (!isPseudoHeader(raw[index]!)) rawHeaders.push(raw[index]!, raw[index + 1]!);
          return (this.#rawHeaders = rawHeaders);
        },
        set(this: Http1ShapedRequest, rawHeaders: string[]) {
          this.#rawHeaders = rawHeaders;
        },
        configurable: true,
      },
    });
  }
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
  readonly #server: Http2Server<typeof IncomingMessage, typeof ServerResponse, typeof Http1ShapedRequest, typeof Http1TolerantResponse>;
  readonly #sessions = new Set<ServerHttp2Session>();
  /** The sockets HTTP/2 serves: the service leaves their draining to GOAWAY. */
  readonly #served = new WeakSet<Socket>();
  /** Each session's connection (its own `socket` is a proxy that takes no defined properties). */
  readonly #sockets = new WeakMap<ServerHttp2Session, Socket>();
  /** The socket being handed to node:http2, whose session is made synchronously. */
  #adopting: Socket | undefined;
  readonly #idleMs: number;
  #closing = false;

  /** For h2 in --http-protocols (the service imports this module only then: node:http2 costs a worker about 0.5 MiB). */
  constructor(settings: Http2Settings, listener: Http2Listener) {
    const http1 = listedProtocols(settings.httpProtocols).includes('h1');
    this.cleartext = settings.http2Cleartext === 'prior-knowledge';
    this.http1 = http1;
    this.alpnProtocols = http1 ? ['h2', 'http/1.1'] : ['h2'];
    this.#idleMs = settings.keepalive * 1000;
    this.#server = createServer({
      Http2ServerRequest: Http1ShapedRequest,
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
    this.#server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => listener(req, res, false));
    this.#server.on('checkContinue', (req: Http2ServerRequest, res: Http2ServerResponse) => listener(req, res, true));
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
    // One listener for all the session's streams ('close' comes once): no closure per stream.
    const closed = (): void => {
      open--;
    };
    session.on('stream', (stream: ServerHttp2Stream) => {
      open++;
      stream.on('close', closed);
    });
    session.setTimeout(this.#idleMs, () => {
      if (open === 0) session.close();
    });
  };
}

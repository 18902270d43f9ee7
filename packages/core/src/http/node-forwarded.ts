// Design: where a Node request listener finds what a trusted proxy said. Express (`req.ip`,
// `req.protocol`, `req.secure`), Koa, Fastify and plain handlers read the client from
// `req.socket.remoteAddress` and https from `req.socket.encrypted`; so, for each request from a
// trusted proxy, those two are set as own properties of the connection's socket, shadowing
// the real ones, and removed again when the next request on it carries no forwarded fields.
// (A keep-alive connection from a proxy carries many clients, one request at a time; node:http
// admits a pipelined request before the one ahead of it is answered, and proxies do not
// pipeline to their upstreams.) Trust is the real peer's, when a PROXY header named another
// client (proxy-front.ts). The Fetch adapter builds `request.url` with that scheme.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PlainSettings } from '../config/types.js';
import { proxiedAddress, realPeerAddress } from './proxy-front.js';
import { proxyTrust, readForwarded, schemeHeaders, type ForwardedView, type ProxyTrust, type SchemeHeaders } from './forwarded.js';

type ForwardableSocket = Socket & { encrypted?: boolean };

/** Per connection: null when its peer is not trusted; else the view its last request set. */
const views = new WeakMap<Socket, ForwardedView | null>();

export class NodeForwarding {
  readonly #trust: ProxyTrust;
  readonly #secure: SchemeHeaders;
  readonly #scratch: ForwardedView = { clientAddress: undefined, scheme: undefined, conflict: false };

  constructor(settings: Pick<PlainSettings, 'forwardedAllowIps' | 'secureSchemeHeaders'>) {
    this.#trust = proxyTrust(settings.forwardedAllowIps);
    this.#secure = schemeHeaders(settings.secureSchemeHeaders);
  }

  /** Whether the connection's peer is one of --forwarded-allow-ips (a unix socket peer always is). */
  trusts(socket: Socket): boolean {
    return this.#trust.trusts(realPeerAddress(socket));
  }

  /**
   * Applies a trusted proxy's fields to the connection's socket (`req.socket`, or the one given:
   * an HTTP/2 request's is a proxy); false when its scheme headers disagree (400).
   */
  apply(req: IncomingMessage, connection: Socket = req.socket): boolean {
    const socket = connection as ForwardableSocket;
    let view = views.get(socket);
    if (view === undefined) {
      // Until a request on this connection carries forwarded fields, there is nothing to apply,
      // and the peer's address (a system call per connection: 5% of -k sync's hello) is not read.
      if (!carriesForwarded(readForwarded(this.#trust, this.#secure, req.rawHeaders, this.#scratch))) return true;
      view = this.trusts(socket) ? { clientAddress: undefined, scheme: undefined, conflict: false } : null;
      views.set(socket, view);
    }
    if (view === null) return true;
    const before = view.clientAddress;
    const beforeScheme = view.scheme;
    readForwarded(this.#trust, this.#secure, req.rawHeaders, view);
    if (view.clientAddress !== before) {
      // Without forwarded fields the client is the connection's: its PROXY header's, else its peer.
      const client = view.clientAddress ?? proxiedAddress(socket);
      if (client === undefined) delete (socket as { remoteAddress?: string }).remoteAddress;
      else Object.defineProperty(socket, 'remoteAddress', { value: client, configurable: true, enumerable: true });
    }
    if (view.scheme !== beforeScheme) {
      // A TLS socket's own `encrypted` is true: it comes back rather than go.
      if (view.scheme === undefined) {
        if (isTlsSocket(socket)) socket.encrypted = true;
        else delete socket.encrypted;
      } else socket.encrypted = view.scheme === 'https';
    }
    return !view.conflict;
  }
}

/** Without loading node:tls for an instanceof: only a TLS socket has a peer certificate to ask for. */
function isTlsSocket(socket: object): socket is TLSSocket {
  return typeof (socket as Partial<TLSSocket>).getPeerCertificate === 'function';
}

function carriesForwarded(view: ForwardedView): boolean {
  return view.clientAddress !== undefined || view.scheme !== undefined || view.conflict;
}

/** The scheme of a request served over `socket`: https over TLS, unless a trusted proxy said otherwise. */
export function schemeOf(socket: Socket): 'http' | 'https' {
  return (socket as ForwardableSocket).encrypted === true ? 'https' : 'http';
}

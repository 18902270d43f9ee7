// Design: the PROXY protocol stage of a node:http class's connection (--proxy-protocol), before
// TLS and before HTTP: it reads the header off the accepted socket's first bytes
// (proxy-protocol.ts), makes its client the socket's remote address, and hands the socket on,
// paused, with the bytes that followed the header. Only a peer in --proxy-allow-from may speak
// for clients; any other, and bytes that are no header, are refused (the service answers or
// closes). The header is read once per connection: a keep-alive request after it is HTTP.
// Apps read the client where Node puts the peer: `req.socket.remoteAddress`/`remotePort`, set
// here as own properties of the connection's socket (and of its TLS socket: proxiedSocket), so
// Express's `req.ip`, the access log's `%(h)s` and hooks see it; the real peer stays readable
// for the forwarded-header trust (realPeerAddress).

import type { Socket } from 'node:net';
import { proxyTrust, type ProxyTrust } from './forwarded.js';
import { readProxyHeader, type ProxiedClient, type ProxyProtocolMode } from './proxy-protocol.js';

export interface ProxyFrontSettings {
  readonly proxyProtocol: ProxyProtocolMode | 'off';
  readonly proxyAllowIps: readonly string[];
}

/** Why a connection is refused: its peer may not send a header (403), or it sent no valid one (400). */
export type ProxyRefusal = 'forbidden' | 'badRequest';

export interface ProxyFrontCallbacks {
  /** The header is read; `socket` is paused and `rest` holds the bytes after it. */
  readonly onHeader: (socket: Socket, rest: Buffer) => void;
  /** `bytes`: what the connection sent so far. */
  readonly onRefused: (socket: Socket, why: ProxyRefusal, bytes: Buffer) => void;
}

/** Each proxied connection's client, and its real peer, by socket (accepted and TLS). */
const clients = new WeakMap<Socket, { client: ProxiedClient; peer: string | undefined }>();

export class ProxyFront {
  readonly #mode: ProxyProtocolMode;
  readonly #trust: ProxyTrust;
  readonly #callbacks: ProxyFrontCallbacks;
  /** Connections whose header is not read yet. */
  readonly #reading = new WeakSet<Socket>();

  /** Null when --proxy-protocol is off. */
  static create(settings: ProxyFrontSettings, callbacks: ProxyFrontCallbacks): ProxyFront | null {
    return settings.proxyProtocol === 'off' ? null : new ProxyFront(settings.proxyProtocol, proxyTrust(settings.proxyAllowIps), callbacks);
  }

  private constructor(mode: ProxyProtocolMode, trust: ProxyTrust, callbacks: ProxyFrontCallbacks) {
    this.#mode = mode;
    this.#trust = trust;
    this.#callbacks = callbacks;
  }

  /** True while `socket`'s header is awaited. */
  reading(socket: Socket): boolean {
    return this.#reading.has(socket);
  }

  /** Reads the header of a connection just accepted. */
  accept(socket: Socket): void {
    const peer = socket.remoteAddress;
    const allowed = this.#trust.trusts(peer);
    this.#reading.add(socket);
    let received: Buffer | undefined;
    const onData = (chunk: Buffer): void => {
      received = received === undefined ? chunk : Buffer.concat([received, chunk]);
      const verdict = allowed ? readProxyHeader(received, this.#mode) : 'forbidden';
      if (verdict === 'incomplete') return;
      socket.pause();
      socket.off('data', onData);
      this.#reading.delete(socket);
      if (typeof verdict === 'string') return this.#callbacks.onRefused(socket, verdict === 'forbidden' ? 'forbidden' : 'badRequest', received);
      if (verdict.client !== undefined) {
        clients.set(socket, { client: verdict.client, peer });
        showClient(socket, verdict.client);
      }
      this.#callbacks.onHeader(socket, received.subarray(verdict.length));
    };
    socket.on('data', onData);
  }
}

function showClient(socket: Socket, client: ProxiedClient): void {
  Object.defineProperties(socket, {
    remoteAddress: { value: client.address, configurable: true, enumerable: true },
    remotePort: { value: client.port, configurable: true, enumerable: true },
    remoteFamily: { value: client.address.includes(':') ? 'IPv6' : 'IPv4', configurable: true, enumerable: true },
  });
}

/** Gives `secure`, the TLS socket over `accepted`, the client `accepted`'s PROXY header named. */
export function proxiedSocket(accepted: Socket, secure: Socket): void {
  const proxied = clients.get(accepted);
  if (proxied === undefined) return;
  clients.set(secure, proxied);
  showClient(secure, proxied.client);
}

/** The client a PROXY header named for this connection, if any. */
export function proxiedAddress(socket: Socket): string | undefined {
  return clients.get(socket)?.client.address;
}

/** The connection's own peer, whatever a PROXY header said. */
export function realPeerAddress(socket: Socket): string | undefined {
  const proxied = clients.get(socket);
  return proxied === undefined ? socket.remoteAddress : proxied.peer;
}

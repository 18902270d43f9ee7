// Design: the TLS layer of the node:http classes, built as node:https is (a tls.Server whose
// secure connections go to node:http) but with the service in between: the tls.Server never
// listens; the service hands it each connection it accepts from the inherited sockets, and it
// runs the handshake, the client-certificate check and their errors, then gives the connection
// back once it is secure, for the service's first-bytes front door. The TLS branch is taken
// once per connection; requests on a secure connection take node:http's ordinary path.

import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { Logger } from '../log/create-logger.js';
import type { SecureOptions } from './secure-options.js';

export interface TlsFrontOptions {
  /** Closes a handshake not over by then (the service's own sweep, from accept, is the real bound). */
  readonly handshakeTimeoutMs: number;
  /**
   * --cert-reqs 1 (Python's CERT_OPTIONAL): a client may send no certificate, but one it sends
   * must verify. node:tls asks for one without rejecting (requestCert without
   * rejectUnauthorized) and reports the failure; the connection is closed here.
   */
  readonly verifyPresented: boolean;
  readonly log: Logger;
}

type AcceptedTlsSocket = TLSSocket & { _parent?: Socket };

export class TlsFront {
  readonly #server: Server;
  readonly #verifyPresented: boolean;
  readonly #onSecure: (accepted: Socket, secure: TLSSocket) => void;

  /** `onSecure` gets the connection as accepted and as secured, once its handshake is over. */
  constructor(options: SecureOptions, front: TlsFrontOptions, onSecure: (accepted: Socket, secure: TLSSocket) => void) {
    this.#verifyPresented = front.verifyPresented;
    this.#onSecure = onSecure;
    this.#server = createServer({ ...options, handshakeTimeout: front.handshakeTimeoutMs });
    this.#server.on('secureConnection', this.#secured);
    this.#server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      front.log.debug(`TLS handshake with ${socket.remoteAddress ?? 'a client'} failed: ${error.code ?? error.message}`);
      socket.destroy();
    });
  }

  /** Starts the handshake on a connection just accepted. */
  accept(socket: Socket): void {
    this.#server.emit('connection', socket);
  }

  #secured = (secure: AcceptedTlsSocket): void => {
    // Until node:http takes it, nothing else listens for its errors (a reset would throw).
    secure.on('error', ignore);
    if (this.#verifyPresented && !secure.authorized && secure.getPeerCertificate().raw !== undefined) {
      secure.destroy();
      return;
    }
    // node:tls keeps the accepted socket it wraps as _parent; the service tracks connections by it.
    this.#onSecure(secure._parent ?? secure, secure);
  };
}

function ignore(): void {}

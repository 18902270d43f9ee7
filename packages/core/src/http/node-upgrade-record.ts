// Design: the access log line of an upgraded connection (a WebSocket): one line when the socket
// closes, its duration the socket's lifetime. Whoever answers the handshake (the app's own
// upgrade listener, or the class's WebSocket server) writes its response head straight to the
// socket, so the record reads the status and the response fields from the first bytes written.
// Built only when the access log or the metrics are on.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { fieldOfHead, NodeRequestRecord } from './node-access-record.js';

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

export class NodeUpgradeRecord extends NodeRequestRecord {
  status = 0;
  #head = '';
  #headBytes = 0;
  readonly #socket: Socket;
  // Read now: a closed socket no longer tells its peer, and the line is written at the close.
  readonly #remoteAddress: string | undefined;
  readonly #remotePort: number | undefined;

  constructor(req: IncomingMessage, socket: Socket) {
    super(req);
    this.#socket = socket;
    this.#remoteAddress = socket.remoteAddress;
    this.#remotePort = socket.remotePort;
    const write = socket.write as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      // The head is the first write; after it, the socket's own write again.
      socket.write = write as Socket['write'];
      const chunk = args[0];
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('latin1') : '';
      const end = text.indexOf('\r\n\r\n');
      this.#head = end < 0 ? text : text.slice(0, end);
      this.#headBytes = end < 0 ? 0 : end + 4;
      this.status = Number(STATUS_LINE.exec(this.#head)?.[1] ?? 0);
      return write.apply(socket, args);
    }) as Socket['write'];
  }

  override get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  override get remotePort(): number | undefined {
    return this.#remotePort;
  }

  /** Bytes written after the response head (WebSocket frames included). */
  get bodyBytes(): number {
    return Math.max(0, this.#socket.bytesWritten - this.#headBytes);
  }

  responseHeader(name: string): string | undefined {
    return fieldOfHead(this.#head, name);
  }
}

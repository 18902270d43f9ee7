// Design: statsd lines out of the arbiter, packed into datagrams of at most MAX_DATAGRAM bytes
// (newline-separated, which statsd, statsd_exporter and DogStatsD all read), so that a second's
// metrics of many workers go out in a few sends that fit an Ethernet frame. One connected UDP
// socket, unref'd; sending is fire-and-forget: a datagram that cannot go is dropped, and the first
// failure is said once in the log. A host name that does not resolve is tried again every
// RECONNECT_MS, meanwhile datagrams are dropped; nothing here ever throws into the arbiter.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from '../log/create-logger.js';
import type { StatsdAddress } from './statsd-address.js';

export const MAX_DATAGRAM = 1400;
/** Datagrams kept while the socket connects; a host that never resolves must not grow the queue. */
const MAX_QUEUED = 64;
const RECONNECT_MS = 30_000;

export class StatsdSender {
  readonly #socket: Socket;
  readonly #log: Logger;
  readonly #address: StatsdAddress;
  readonly #where: string;
  #reconnect: NodeJS.Timeout | undefined;
  /** Datagrams waiting for the socket to connect (dgram refuses sends until then); null once it is. */
  #queued: Buffer[] | null = [];
  #pending = '';
  #failed = false;
  #closed = false;

  constructor(address: StatsdAddress, log: Logger) {
    this.#log = log;
    this.#address = address;
    this.#where = `${address.host}:${address.port}`;
    this.#socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
    this.#socket.on('error', (error) => this.#report(error));
    this.#socket.unref();
    this.#connect();
  }

  /** Connected once: each send is then a plain send(2), with no name lookup. */
  #connect(): void {
    this.#socket.connect(this.#address.port, this.#address.host, (error?: Error) => {
      if (this.#closed) return;
      if (error) {
        this.#report(error);
        this.#queued = [];
        this.#reconnect = setTimeout(() => this.#connect(), RECONNECT_MS).unref();
        return;
      }
      const queued = this.#queued ?? [];
      this.#queued = null;
      for (const datagram of queued) this.#send(datagram);
    });
  }

  /** Adds one line; a datagram goes out when the next line would not fit. */
  add(line: string): void {
    if (this.#pending !== '' && this.#pending.length + 1 + line.length > MAX_DATAGRAM) this.flush();
    this.#pending = this.#pending === '' ? line : `${this.#pending}\n${line}`;
  }

  /** Sends what is pending. */
  flush(): void {
    if (this.#pending === '' || this.#closed) return;
    const datagram = Buffer.from(this.#pending);
    this.#pending = '';
    if (this.#queued === null) this.#send(datagram);
    else if (this.#queued.length < MAX_QUEUED) this.#queued.push(datagram);
  }

  close(): void {
    this.flush();
    this.#closed = true;
    clearTimeout(this.#reconnect);
    // Sends already handed to the socket complete before it closes.
    setImmediate(() => this.#socket.close());
  }

  #send(datagram: Buffer): void {
    try {
      this.#socket.send(datagram, (error) => {
        if (error) this.#report(error);
      });
    } catch (error) {
      this.#report(error as Error);
    }
  }

  #report(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#log.warning(`statsd: cannot send to ${this.#where} (${(error as NodeJS.ErrnoException).code ?? error.message}); metrics are dropped until it answers`);
  }
}

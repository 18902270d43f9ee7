// Design: a real statsd server's view, for the metrics suite: a UDP socket on 127.0.0.1 that
// keeps every datagram, and sums of the lines by metric name.

import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface StatsdListener {
  readonly port: number;
  /** Every datagram received so far. */
  readonly datagrams: Buffer[];
  /** Every line received so far. */
  lines(): string[];
  /** The values of the lines named `name` (the part before `:`), summed. */
  sum(name: string): number;
  close(): Promise<void>;
}

export async function listenForStatsd(): Promise<StatsdListener> {
  const socket = createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const lines = (): string[] => datagrams.flatMap((datagram) => datagram.toString().split('\n'));
  return {
    port: (socket.address() as AddressInfo).port,
    datagrams,
    lines,
    sum: (name) => lines().reduce((total, line) => (line.startsWith(`${name}:`) ? total + Number(line.slice(name.length + 1).split('|', 1)[0]) : total), 0),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

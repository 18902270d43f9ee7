// Design: Gunicorn's syslog output (`--log-syslog`), framed as its handler (Python's
// SysLogHandler) frames it, so that syslog rules written for Gunicorn match:
//   <PRI>narwhal.PREFIX.error: [PID] message\0
// PRI is facility × 8 + severity (RFC 3164 §4.1.1); no timestamp or hostname, which the syslog
// daemon adds; the NUL ends every message on every transport, as Python's does. Each process
// (the arbiter, every worker) sends its own lines. UDP and TCP go to a host and port; a unix
// socket is a stream one: Node cannot send unix datagrams, so `unix://PATH#dgram` is refused
// when the settings are read. Nothing is awaited: a line that cannot be sent is dropped, and
// the first failure of a sender is reported once on stderr.

import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';

export type SyslogAddress = { readonly kind: 'udp' | 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** Gunicorn's SYSLOG_FACILITIES (Python's SysLogHandler.facility_names). */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  auth: 4,
  authpriv: 10,
  cron: 9,
  daemon: 3,
  ftp: 11,
  kern: 0,
  lpr: 6,
  mail: 2,
  news: 7,
  security: 4,
  syslog: 5,
  user: 1,
  uucp: 8,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** RFC 5424 §6.2.1 severities, by Narwhal's level label (Python's SysLogHandler.mapPriority). */
export const SYSLOG_SEVERITIES: Readonly<Record<string, number>> = { CRITICAL: 2, ERROR: 3, WARNING: 4, INFO: 6, DEBUG: 7, TRACE: 7 };

const DEFAULT_PORT = 514;

/** Gunicorn's parse_syslog_address: `udp://HOST[:PORT]`, `tcp://HOST[:PORT]`, `unix://PATH[#stream]`; throws the problem. */
export function parseSyslogAddress(text: string): SyslogAddress {
  if (text.startsWith('unix://')) {
    const [path, type] = text.slice('unix://'.length).split('#', 2) as [string, string | undefined];
    if (type === 'dgram') throw new Error(`'${text}': Node cannot send to a unix datagram socket; use unix://${path}#stream, or udp://localhost:514 (rsyslog's imudp)`);
    if (type !== undefined && type !== 'stream') throw new Error(`'${text}': the socket type after # is stream or dgram`);
    if (path === '') throw new Error(`'${text}' names no socket path`);
    return { kind: 'unix', path };
  }
  const scheme = /^(udp|tcp):\/\//.exec(text)?.[1] as 'udp' | 'tcp' | undefined;
  if (scheme === undefined) throw new Error(`'${text}' is not udp://HOST:PORT, tcp://HOST:PORT or unix://PATH`);
  const rest = text.slice(scheme.length + 3);
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  const colon = rest.lastIndexOf(':');
  const host = bracketed ? bracketed[1]! : colon < 0 ? rest : rest.slice(0, colon);
  const portText = bracketed ? bracketed[2] : colon < 0 ? undefined : rest.slice(colon + 1);
  if (portText !== undefined && !/^\d+$/.test(portText)) throw new Error(`'${text}': '${portText}' is not a port number`);
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (port < 1 || port > 65535) throw new Error(`'${text}': port ${port} is out of range`);
  return { kind: scheme, host: host === '' ? 'localhost' : host.toLowerCase(), port };
}

/** `<PRI>TAG: [PID] message\0`, Gunicorn's frame. */
export function syslogFrame(facility: number, severity: number, tag: string, pid: number, message: string): Buffer {
  return Buffer.from(`<${facility * 8 + severity}>${tag}: [${pid}] ${message}\0`);
}

/** Sends frames to one syslog address; connects once, lazily, and never blocks or throws. */
export class SyslogSender {
  readonly #address: SyslogAddress;
  #udp: DatagramSocket | undefined;
  /** Frames sent before the UDP socket is connected (dgram refuses them until then); null once it is. */
  #udpQueue: Buffer[] | null = [];
  #stream: Socket | undefined;
  #failed = false;

  constructor(address: SyslogAddress) {
    this.#address = address;
  }

  send(frame: Buffer): void {
    const address = this.#address;
    if (address.kind === 'udp') {
      this.#udp ??= this.#openUdp(address.host, address.port);
      if (this.#udpQueue !== null) this.#udpQueue.push(frame);
      else this.#udp.send(frame);
    } else {
      if (this.#stream === undefined || this.#stream.destroyed) this.#stream = this.#openStream(address);
      this.#stream.write(frame);
    }
  }

  close(): void {
    this.#udp?.close();
    this.#stream?.end();
  }

  #openUdp(host: string, port: number): DatagramSocket {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', (error) => this.#report(error));
    // Connected once: each send is then a plain send(2), with no name lookup per line.
    socket.connect(port, host, () => {
      const queued = this.#udpQueue ?? [];
      this.#udpQueue = null;
      for (const frame of queued) socket.send(frame);
    });
    socket.unref();
    return socket;
  }

  #openStream(address: SyslogAddress): Socket {
    const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
    socket.on('error', (error) => this.#report(error));
    socket.unref();
    return socket;
  }

  #report(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    process.stderr.write(`narwhal: syslog: cannot send to ${describeAddress(this.#address)} (${(error as NodeJS.ErrnoException).code ?? error.message}); lines are dropped (pid:${process.pid})\n`);
  }
}

function describeAddress(address: SyslogAddress): string {
  return address.kind === 'unix' ? `unix://${address.path}` : `${address.kind}://${address.host}:${address.port}`;
}

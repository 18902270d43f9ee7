// Design: Gunicorn's `--statsd-host` forms (validate_statsd_address): `HOST:PORT`, `HOST` (port
// 8125), `[::1]:PORT`, and `unix:NNN`, which Gunicorn reads as the host named `unix` on port NNN.
// A unix datagram socket (`unix://PATH`, `unix:PATH`) is refused: node:dgram has no unix
// datagram sockets, so Narwhal cannot send to one.

export interface StatsdAddress {
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORT = 8125;

/** Parses a `--statsd-host` value; throws the problem in one line. */
export function parseStatsdAddress(text: string): StatsdAddress {
  const unixPort = /^unix:(\d+)$/.exec(text);
  if (unixPort !== null) return { host: 'unix', port: checkedPort(unixPort[1]!, text) };
  if (text.startsWith('unix:')) throw new Error(`'${text}': Node cannot send to a unix datagram socket (node:dgram has none); give the statsd server's UDP address, HOST:PORT`);
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed !== null) return { host: bracketed[1]!.toLowerCase(), port: bracketed[2] === undefined ? DEFAULT_PORT : checkedPort(bracketed[2], text) };
  const colon = text.lastIndexOf(':');
  if (colon >= 0 && text.indexOf(':') !== colon) throw new Error(`'${text}' looks like a bare IPv6 address; write it as [${text}]:PORT`);
  const host = colon < 0 ? text : text.slice(0, colon);
  if (host === '') throw new Error(`'${text}' names no host; give HOST:PORT`);
  return { host: host.toLowerCase(), port: colon < 0 ? DEFAULT_PORT : checkedPort(text.slice(colon + 1), text) };
}

function checkedPort(digits: string, text: string): number {
  const port = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`'${text}' has port '${digits}', which is not a number from 1 to 65535`);
  return port;
}

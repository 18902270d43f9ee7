// Design: the PROXY protocol header (HAProxy's spec, versions 1 and 2) a load balancer sends
// before anything else on a connection, read from the connection's first bytes. Pure: bytes in,
// a verdict out; proxy-front.ts feeds it as bytes arrive. Version 1 is one text line
// (`PROXY TCP4 src dst sport dport\r\n`, at most 107 bytes); version 2 a 16-byte binary head
// with its length, then the addresses and TLVs (skipped). A LOCAL command (v2) or an UNKNOWN
// protocol (v1) carries no client: the connection's own peer stays the remote address, as the
// spec says. The spec forbids guessing whether a header is there, so bytes that do not start
// with one are invalid, not HTTP.

import { isIP } from 'node:net';

export type ProxyProtocolMode = 'v1' | 'v2' | 'auto';

/** The client a PROXY header names; undefined for LOCAL and UNKNOWN. */
export interface ProxiedClient {
  readonly address: string;
  readonly port: number;
}

export interface ProxyHeader {
  /** The header's length in bytes: the connection's own bytes start there. */
  readonly length: number;
  readonly client: ProxiedClient | undefined;
}

/** A header, more bytes needed, or bytes that are not a header this mode accepts. */
export type ProxyVerdict = ProxyHeader | 'incomplete' | 'invalid';

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V1_MAX_LENGTH = 107;
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_HEAD_LENGTH = 16;
const V2_COMMAND_LOCAL = 0x20;
const V2_COMMAND_PROXY = 0x21;
const V2_INET = 0x1;
const V2_INET6 = 0x2;
const V2_STREAM = 0x1;
const V2_UNSPEC = 0x0;
const PORT = /^(0|[1-9]\d{0,4})$/;

/** Reads the PROXY header at the start of `bytes`, all the bytes received so far. */
export function readProxyHeader(bytes: Buffer, mode: ProxyProtocolMode): ProxyVerdict {
  if (mode !== 'v2' && startsLike(bytes, V1_PREFIX)) return bytes.length < V1_PREFIX.length ? 'incomplete' : readV1(bytes);
  if (mode !== 'v1' && startsLike(bytes, V2_SIGNATURE)) return bytes.length < V2_HEAD_LENGTH ? 'incomplete' : readV2(bytes);
  return 'invalid';
}

/** True when `bytes` and `prefix` agree on their common length (more bytes may still disagree). */
export function startsLike(bytes: Buffer, prefix: Buffer): boolean {
  const length = Math.min(bytes.length, prefix.length);
  return bytes.compare(prefix, 0, length, 0, length) === 0;
}

function readV1(bytes: Buffer): ProxyVerdict {
  const end = bytes.indexOf('\r\n', 0, 'latin1');
  if (end < 0) return bytes.length < V1_MAX_LENGTH ? 'incomplete' : 'invalid';
  if (end + 2 > V1_MAX_LENGTH) return 'invalid';
  const fields = bytes.toString('latin1', 0, end).split(' ');
  const length = end + 2;
  // UNKNOWN may be followed by anything, which the receiver ignores.
  if (fields[1] === 'UNKNOWN') return { length, client: undefined };
  if (fields.length !== 6) return 'invalid';
  const [, protocol, source, destination, sourcePort, destinationPort] = fields as [string, string, string, string, string, string];
  const family = protocol === 'TCP4' ? 4 : protocol === 'TCP6' ? 6 : 0;
  if (family === 0 || isIP(source) !== family || isIP(destination) !== family) return 'invalid';
  if (!isPort(sourcePort) || !isPort(destinationPort)) return 'invalid';
  return { length, client: { address: source, port: Number(sourcePort) } };
}

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65535;
}

function readV2(bytes: Buffer): ProxyVerdict {
  const command = bytes[12]!;
  if (command !== V2_COMMAND_LOCAL && command !== V2_COMMAND_PROXY) return 'invalid';
  const family = bytes[13]! >> 4;
  const transport = bytes[13]! & 0x0f;
  const length = V2_HEAD_LENGTH + bytes.readUInt16BE(14);
  if (bytes.length < length) return 'incomplete';
  // LOCAL (a health check by the proxy itself) and unspecified or unix addresses name no client.
  if (command === V2_COMMAND_LOCAL || family === V2_UNSPEC) return { length, client: undefined };
  if (transport !== V2_STREAM) return 'invalid';
  if (family === V2_INET) {
    if (length < V2_HEAD_LENGTH + 12) return 'invalid';
    return { length, client: { address: ipAddressText(bytes.subarray(16, 20)), port: bytes.readUInt16BE(24) } };
  }
  if (family === V2_INET6) {
    if (length < V2_HEAD_LENGTH + 36) return 'invalid';
    return { length, client: { address: ipAddressText(bytes.subarray(16, 32)), port: bytes.readUInt16BE(48) } };
  }
  // AF_UNIX: 216 bytes of paths, no address an HTTP app could use.
  if (family === 0x3) return length < V2_HEAD_LENGTH + 216 ? 'invalid' : { length, client: undefined };
  return 'invalid';
}

/**
 * An address in network order, 4 or 16 bytes, as the text Node reports for a peer (`10.0.0.1`,
 * `::1`, `2001:db8::5`, `::ffff:10.0.0.1`); empty for any other length.
 */
function ipAddressText(bytes: Buffer): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) return '';
  if (bytes.readUInt32BE(0) === 0 && bytes.readUInt32BE(4) === 0 && bytes.readUInt32BE(8) === 0xffff) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(bytes.readUInt16BE(index).toString(16));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== '0') {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === '0') end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

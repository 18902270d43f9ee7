// Design: who the client is, and whether it came over https, when a proxy says so. Gunicorn's
// rule: only a peer in `forwarded_allow_ips` (or on a unix socket) is believed; its
// `secure_scheme_headers` decide the scheme, and scheme headers that disagree are a 400.
// Narwhal goes one step further for the client address, which Gunicorn leaves to the app:
// `X-Forwarded-For` (else `Forwarded: for=`) is read from the right, skipping trusted proxies,
// and the first address not trusted is the client, so a client cannot forge it by sending its
// own header through a proxy that appends. Everything here runs only for a trusted peer; an
// untrusted one costs one cached lookup per connection.

import { BlockList, isIP, SocketAddress } from 'node:net';

/** Who may speak for clients, compiled once from `--forwarded-allow-ips`. */
export interface ProxyTrust {
  /** True for a peer whose forwarded headers are believed (unix socket peers, with no address, are). */
  trusts(address: string | undefined): boolean;
}

const TRUST_ALL: ProxyTrust = { trusts: () => true };

/** Every entry of the setting, split on commas: `*`, an address, or a CIDR block. */
export function allowEntries(list: readonly string[]): string[] {
  return list.flatMap((item) => item.split(',')).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** The BlockList family of an address: its colons tell, as they do for isIP. */
const blockFamily = (address: string): 'ipv4' | 'ipv6' => (address.includes(':') ? 'ipv6' : 'ipv4');

/**
 * 4, 6 or 0, as node:net's isIP answers, but parsed by inet_pton: isIP's IPv6 pattern costs V8
 * about 12 ms to compile on first use, and the default `127.0.0.1,::1` put that on the start-up
 * path of the arbiter and of every worker.
 */
function addressFamily(text: string): 0 | 4 | 6 {
  const family = blockFamily(text);
  try {
    new SocketAddress({ address: text, family });
  } catch {
    return 0;
  }
  return family === 'ipv6' ? 6 : 4;
}

/** The problem with an entry of `--forwarded-allow-ips`, or undefined. */
export function allowEntryProblem(entry: string): string | undefined {
  if (entry === '*' || addressFamily(entry) !== 0) return undefined;
  const [address, bits, extra] = entry.split('/');
  const family = addressFamily(address ?? '');
  const max = family === 4 ? 32 : 128;
  if (family !== 0 && extra === undefined && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= max) return undefined;
  return `'${entry}' is not an IP address, a CIDR block (10.0.0.0/8) or *`;
}

/** An IPv4 address as Node reports it on a dual-stack socket (`::ffff:10.0.0.1`), unwrapped. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.', 7) ? address.slice(7) : address;
}

export function proxyTrust(list: readonly string[]): ProxyTrust {
  const entries = allowEntries(list);
  if (entries.includes('*')) return TRUST_ALL;
  const blocks = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = blockFamily(address);
    if (bits === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, Number(bits), family);
  }
  return {
    trusts(address) {
      if (address === undefined) return true;
      const plain = plainAddress(address);
      // False for anything that is not an address of that family.
      return blocks.check(plain, blockFamily(plain));
    },
  };
}

/** What a trusted proxy says about a request; fields it did not set stay undefined. */
export interface ForwardedView {
  clientAddress: string | undefined;
  /** `https`, `http`, or undefined when no scheme header was sent. */
  scheme: 'http' | 'https' | undefined;
  /** True when scheme headers disagree (Gunicorn answers 400). */
  conflict: boolean;
}

/** `secure_scheme_headers` with lower-case names, for lookups in raw headers. */
export type SchemeHeaders = ReadonlyMap<string, string>;

export function schemeHeaders(settings: Readonly<Record<string, string>>): SchemeHeaders {
  return new Map(Object.entries(settings).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * Reads a trusted peer's forwarded fields from raw headers (name, value…) into `out`, which is
 * reset first (one object reused per connection).
 */
export function readForwarded(trust: ProxyTrust, secure: SchemeHeaders, rawHeaders: readonly string[], out: ForwardedView): ForwardedView {
  out.clientAddress = undefined;
  out.scheme = undefined;
  out.conflict = false;
  let forwardedFor: string | undefined;
  let forwarded: string | undefined;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    const value = rawHeaders[index + 1]!;
    if (name === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? value : `${forwardedFor},${value}`;
    else if (name === 'forwarded') forwarded = forwarded === undefined ? value : `${forwarded},${value}`;
    const expected = secure.get(name);
    if (expected !== undefined) {
      const scheme = value.trim() === expected ? 'https' : 'http';
      if (out.scheme !== undefined && out.scheme !== scheme) out.conflict = true;
      out.scheme = scheme;
    }
  }
  const hops = forwardedFor !== undefined ? forwardedFor.split(',').map((hop) => hop.trim()) : forwarded !== undefined ? forwardedElements(forwarded, 'for') : [];
  out.clientAddress = clientOf(trust, hops);
  if (out.scheme === undefined && forwarded !== undefined) {
    const proto = forwardedElements(forwarded, 'proto').at(-1)?.toLowerCase();
    if (proto === 'https' || proto === 'http') out.scheme = proto;
  }
  return out;
}

/** The rightmost hop no trusted proxy accounts for; the leftmost when every hop is trusted. */
function clientOf(trust: ProxyTrust, hops: readonly string[]): string | undefined {
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!;
    if (isIP(hop) === 0) return index === hops.length - 1 ? undefined : hops[index + 1];
    if (!trust.trusts(hop) || index === 0) return hop;
  }
  return undefined;
}

/** The values of `param` in each element of an RFC 7239 Forwarded field, addresses unwrapped from quotes, brackets and ports. */
function forwardedElements(field: string, param: string): string[] {
  const values: string[] = [];
  for (const element of field.split(',')) {
    for (const pair of element.split(';')) {
      const equals = pair.indexOf('=');
      if (equals < 0 || pair.slice(0, equals).trim().toLowerCase() !== param) continue;
      let value = pair.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
      if (param === 'for') value = value.startsWith('[') ? value.slice(1, value.indexOf(']')) : value.replace(/:\d+$/, '');
      values.push(value);
    }
  }
  return values;
}

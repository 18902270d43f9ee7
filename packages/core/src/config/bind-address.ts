// Design: Gunicorn's bind forms, parsed once. Hostnames are kept as written here and resolved
// by the arbiter when it binds, so that parsing stays pure and `--check-config` needs no DNS.

export type BindAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly text: string }
  | { readonly kind: 'unix'; readonly path: string; readonly text: string }
  | { readonly kind: 'fd'; readonly fd: number; readonly text: string };

const DEFAULT_PORT = 8000;

/** Parses `HOST:PORT`, `HOST`, `[::1]:PORT`, `tcp://…`, `unix:PATH`, `unix://PATH` or `fd://N`; throws a plain Error naming the problem. */
export function parseBindAddress(text: string): BindAddress {
  if (text.startsWith('unix:')) {
    const path = text.slice(text.startsWith('unix://') ? 7 : 5);
    if (path === '') throw new Error(`'${text}' has no socket path after unix:`);
    return { kind: 'unix', path, text };
  }
  if (text.startsWith('fd://')) {
    const digits = text.slice(5);
    if (!/^\d+$/.test(digits)) throw new Error(`'${text}' is not fd://N with N a file descriptor number`);
    return { kind: 'fd', fd: Number(digits), text };
  }
  const rest = text.startsWith('tcp://') ? text.slice(6) : text;
  const { host, port } = splitHostPort(rest, text);
  return { kind: 'tcp', host, port, text };
}

function splitHostPort(rest: string, text: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw new Error(`'${text}' opens an IPv6 address with [ but never closes it`);
    host = rest.slice(1, end);
    const after = rest.slice(end + 1);
    if (after !== '' && !after.startsWith(':')) throw new Error(`'${text}' has text after the IPv6 address that is not :PORT`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf(':') !== colon) {
      throw new Error(`'${text}' looks like a bare IPv6 address; write it as [${rest}]:PORT`);
    }
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  return { host: host === '' ? '0.0.0.0' : host.toLowerCase(), port: parsePort(portText, text) };
}

function parsePort(portText: string | undefined, text: string): number {
  if (portText === undefined) return DEFAULT_PORT;
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`'${text}' has port '${portText}', which is not a number from 0 to 65535`);
  return port;
}

/** How an address is shown in "Listening at" lines and the access log. */
export function describeBindAddress(address: BindAddress, actualPort?: number): string {
  switch (address.kind) {
    case 'unix':
      return `unix:${address.path}`;
    case 'fd':
      return `fd://${address.fd}`;
    case 'tcp': {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      return `http://${host}:${actualPort ?? address.port}`;
    }
  }
}

// Design: `--access-logformat` is compiled once into a list of literal strings and atom
// getters; rendering a line is one loop of concatenations. Values that come from the client
// are escaped (backslash, double quote, control bytes as \xHH) so that a line stays one line
// and quoted fields stay parseable; Gunicorn escapes only the double quote. Unknown atoms
// render as `-`, as in Gunicorn. `{name}e` reads the request's variables (environ-atoms.ts).

import { decodedPathOf, environValue } from './environ-atoms.js';
import { formatAccessTime } from './log-time.js';

/** What a worker class reports about one finished request. */
export interface AccessRecord {
  /** The client address; empty on unix sockets. */
  readonly remoteAddress: string | undefined;
  /** The client port, when known (`%({remote_port}e)s`). */
  readonly remotePort?: number | undefined;
  /** `http` or `https` as the app sees it (a trusted proxy's word included); `http` when absent. */
  readonly scheme?: string;
  readonly method: string;
  /** The request target as sent: path and query. */
  readonly url: string;
  /** `1.1`, `1.0`. */
  readonly httpVersion: string;
  /** The request line as received, for a request refused before it could be parsed; `%(r)s` prints it. */
  readonly requestLine?: string;
  readonly status: number;
  /** Response body bytes, when known. */
  readonly bodyBytes: number | undefined;
  /** From the first byte of the request to the end of the response. */
  readonly durationMs: number;
  /** A request header by lower-case name. */
  requestHeader(name: string): string | undefined;
  /** A response header by lower-case name. */
  responseHeader(name: string): string | undefined;
}

type Atom = (record: AccessRecord) => string;

const UNSAFE = /[\x00-\x1f\x7f"\\]/;

/** Escapes what would break a quoted log field; returns the same string when nothing needs it. */
export function escapeLogValue(value: string): string {
  if (!UNSAFE.test(value)) return value;
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out;
}

const orDash = (value: string | undefined): string => (value === undefined || value === '' ? '-' : escapeLogValue(value));

function queryOf(url: string): string {
  const mark = url.indexOf('?');
  return mark < 0 ? '' : url.slice(mark + 1);
}

function basicAuthUser(record: AccessRecord): string | undefined {
  const header = record.requestHeader('authorization');
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

const ATOMS: Record<string, Atom> = {
  h: (r) => orDash(r.remoteAddress),
  l: () => '-',
  u: (r) => orDash(basicAuthUser(r)),
  t: () => formatAccessTime(Date.now()),
  r: (r) => escapeLogValue(r.requestLine ?? `${r.method} ${r.url} HTTP/${r.httpVersion}`),
  m: (r) => escapeLogValue(r.method),
  U: (r) => escapeLogValue(decodedPathOf(r.url)),
  q: (r) => escapeLogValue(queryOf(r.url)),
  H: (r) => `HTTP/${r.httpVersion}`,
  s: (r) => String(r.status),
  B: (r) => String(r.bodyBytes ?? 0),
  b: (r) => (r.bodyBytes === undefined ? '-' : String(r.bodyBytes)),
  f: (r) => orDash(r.requestHeader('referer')),
  a: (r) => orDash(r.requestHeader('user-agent')),
  // Gunicorn truncates every duration to whole units: T seconds, M ms, D µs, L seconds.microseconds.
  T: (r) => String(Math.floor(r.durationMs / 1000)),
  M: (r) => String(Math.floor(r.durationMs)),
  D: (r) => String(Math.floor(r.durationMs * 1000)),
  L: (r) => {
    const micros = Math.floor(r.durationMs * 1000);
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  },
  p: () => `<${process.pid}>`,
};

function braceAtom(name: string, kind: string): Atom {
  const key = name.toLowerCase();
  if (kind === 'i') return (r) => orDash(r.requestHeader(key));
  if (kind === 'o') return (r) => orDash(r.responseHeader(key));
  const value = environValue(name);
  return (r) => orDash(value(r));
}

const ATOM_PATTERN = /%\((\{([^}]*)\}([ioe])|[A-Za-z])\)s/g;

/** Compiles a Gunicorn access-log format into a function from a record to a line (without newline). */
export function compileAccessFormat(format: string): (record: AccessRecord) => string {
  const parts: (string | Atom)[] = [];
  let last = 0;
  for (const match of format.matchAll(ATOM_PATTERN)) {
    if (match.index > last) parts.push(format.slice(last, match.index));
    parts.push(match[2] !== undefined ? braceAtom(match[2], match[3]!) : (ATOMS[match[1]!] ?? (() => '-')));
    last = match.index + match[0].length;
  }
  if (last < format.length) parts.push(format.slice(last));
  return (record) => {
    let line = '';
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      line += typeof part === 'string' ? part : part(record);
    }
    return line;
  };
}

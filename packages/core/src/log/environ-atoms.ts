// Design: Gunicorn's `%({name}e)s` reads the request's WSGI environ, case-insensitively: CGI
// variables (REQUEST_METHOD, RAW_URI, REMOTE_ADDR, HTTP_*…) and `wsgi.url_scheme`. Node has no
// environ per request, so each variable with a Node meaning is mapped to the record it comes
// from; any other name reads the worker's environment (process.env), a Narwhal addition, by its
// exact name or else case-insensitively, as Gunicorn looks names up.

import { VERSION } from '../version.js';
import type { AccessRecord } from './access-format.js';

export type EnvironValue = (record: AccessRecord) => string | undefined;

function queryOf(url: string): string {
  const mark = url.indexOf('?');
  return mark < 0 ? '' : url.slice(mark + 1);
}

/** PATH_INFO: the path, percent-decoded, as WSGI gives it. */
export function decodedPathOf(url: string): string {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The Host field split as Gunicorn splits it for SERVER_NAME and SERVER_PORT. */
function hostPart(record: AccessRecord, part: 'name' | 'port'): string | undefined {
  const host = record.requestHeader('host');
  if (host === undefined) return undefined;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host);
  if (match === null) return undefined;
  if (part === 'name') return match[1];
  return match[2] || ((record.scheme ?? 'http') === 'https' ? '443' : '80');
}

/** The request variables of Gunicorn's environ that have a Node meaning, by lower-case name. */
export const ENVIRON_VARIABLES: Readonly<Record<string, EnvironValue>> = {
  request_method: (r) => r.method,
  raw_uri: (r) => r.url,
  path_info: (r) => decodedPathOf(r.url),
  query_string: (r) => queryOf(r.url),
  script_name: () => process.env.SCRIPT_NAME ?? '',
  server_protocol: (r) => `HTTP/${r.httpVersion}`,
  remote_addr: (r) => r.remoteAddress,
  remote_port: (r) => (r.remotePort === undefined ? undefined : String(r.remotePort)),
  server_name: (r) => hostPart(r, 'name'),
  server_port: (r) => hostPart(r, 'port'),
  server_software: () => `narwhal/${VERSION}`,
  content_type: (r) => r.requestHeader('content-type'),
  content_length: (r) => r.requestHeader('content-length'),
  'wsgi.url_scheme': (r) => r.scheme ?? 'http',
};

/** How `%({name}e)s` finds its value; compiled once per format. */
export function environValue(name: string): EnvironValue {
  const lower = name.toLowerCase();
  const known = ENVIRON_VARIABLES[lower];
  if (known !== undefined) return known;
  if (lower.startsWith('http_')) {
    const header = lower.slice(5).replace(/_/g, '-');
    return (r) => r.requestHeader(header);
  }
  return () => process.env[name] ?? process.env[Object.keys(process.env).find((key) => key.toLowerCase() === lower) ?? ''];
}

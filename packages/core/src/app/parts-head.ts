// Design: the head of a response recorded by fast-response.ts, as the flat `name, value…` list
// node:http's writeHead takes and gthread posts from its threads: the app's fields as it named
// them, the Content-Type the platform would have added to a string body, and a Content-Length
// unless the app framed the body itself, as a real Response written whole gets.

import type { ResponseParts } from './fast-response.js';

/** `parts`' fields, flat, for a body of `length` bytes. */
export function partsHeaderList(parts: ResponseParts, length: number): string[] {
  const list: string[] = [];
  let framed = false;
  const headers = parts.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      list.push(name, headers[name]!);
      if ((name.length === 14 || name.length === 17) && isFraming(name)) framed = true;
    }
  }
  if (parts.defaultContentType !== undefined) list.push('content-type', parts.defaultContentType);
  if (!framed) list.push('content-length', String(length));
  return list;
}

function isFraming(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'content-length' || lower === 'transfer-encoding';
}

/** The bytes a recorded body takes on the wire. */
export function partsBodyLength(parts: ResponseParts): number {
  const body = parts.body;
  return body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

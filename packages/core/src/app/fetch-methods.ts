// Design: the Fetch standard forbids three methods in a Request (CONNECT, TRACE, TRACK):
// `new Request(url, { method: 'TRACE' })` throws. A Fetch handler therefore cannot be given such
// a request, on any class; it is answered 501, as a method the server does not implement.

const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** True when a request with `method` cannot be handed to a Fetch handler. */
export function fetchCannotCarry(method: string): boolean {
  return FORBIDDEN.has(method);
}

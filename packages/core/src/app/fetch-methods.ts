// Design: the Fetch standard forbids three methods in a Request (CONNECT, TRACE, TRACK):
// `new Request(url, { method: 'TRACE' })` throws. A Fetch handler therefore cannot be given such
// a request, on any class; it is answered 501, as a method the server does not implement.

const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** True when a request with `method` cannot be handed to a Fetch handler (the standard compares without case). */
export function fetchCannotCarry(method: string): boolean {
  if (FORBIDDEN.has(method)) return true;
  // Only a method starting with c or t can match; the others allocate nothing here.
  const first = method.charCodeAt(0) | 0x20;
  return (first === 0x63 || first === 0x74) && method.length <= 7 && FORBIDDEN.has(method.toUpperCase());
}

// Whether a request came through Http2Front as a stream rather than through node:http. Told by
// its stream, not by `httpVersionMajor`: on an HTTP/1.1 connection, llhttp also parses a request
// line that says HTTP/2.0 (after the connection's first, which the front door reads itself), and
// such a request must get HTTP/1's answer (505), not be taken for a stream.

import type { IncomingMessage } from 'node:http';

export function overHttp2(req: IncomingMessage): boolean {
  return (req as { stream?: unknown }).stream !== undefined;
}

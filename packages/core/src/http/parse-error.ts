// Design: node:http reports a request its parser (llhttp) refused as a `clientError` with an
// llhttp code; this maps each to the status every worker class answers for the same bytes
// (apps/docs/http-conformance.md). llhttp knows only "invalid method" and "invalid version", so
// the rejected line is read again to tell a method it does not serve (501) or a version it
// does not speak (505) from a malformed line (400).

import { classifyHeaderOverflow, type RequestLimits } from './limits.js';
import { readRequestLine } from './request-line.js';
import type { HttpErrorCode } from './status-table.js';

/** What node:http attaches to a parse error. */
export interface ParseError {
  readonly code?: string;
  /** The packet the parser was working on. */
  readonly rawPacket?: Buffer;
  /** Where in `rawPacket` the parser stopped. */
  readonly bytesParsed?: number;
}

export function classifyParseError(limits: RequestLimits, error: ParseError): HttpErrorCode {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return classifyHeaderOverflow(limits, error.rawPacket);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'requestHeadTimeout';
    case 'HPE_INVALID_METHOD':
    case 'HPE_INVALID_VERSION': {
      const line = rejectedLine(error);
      if (line === undefined) return 'badRequest';
      const verdict = readRequestLine(line, limits.requestLine);
      // A line that reads well but was refused for its method names one llhttp does not serve.
      if (verdict === 'ok') return error.code === 'HPE_INVALID_METHOD' ? 'notImplemented' : 'badRequest';
      return verdict === 'incomplete' ? 'badRequest' : verdict;
    }
    default:
      return 'badRequest';
  }
}

/** The line the parser stopped in: from the line start before the error to the end of the packet. */
function rejectedLine({ rawPacket, bytesParsed }: ParseError): Buffer | undefined {
  if (rawPacket === undefined) return undefined;
  const stop = Math.min(bytesParsed ?? 0, rawPacket.length);
  const start = stop === 0 ? 0 : rawPacket.lastIndexOf(0x0a, stop - 1) + 1;
  return rawPacket.subarray(start);
}

// Design: the HTTP errors Narwhal itself answers, one table for every worker class, so a
// malformed request gets the same status whichever class serves it. Gunicorn's WSGI workers
// answer 400 for an over-long request line; we use the standard 414, as its asgi worker does.

export const HTTP_ERRORS = {
  badRequest: { status: 400, reason: 'Bad Request' },
  forbidden: { status: 403, reason: 'Forbidden' },
  requestHeadTimeout: { status: 408, reason: 'Request Timeout' },
  expectationFailed: { status: 417, reason: 'Expectation Failed' },
  requestLineTooLong: { status: 414, reason: 'URI Too Long' },
  tooManyHeaders: { status: 431, reason: 'Request Header Fields Too Large' },
  headerFieldTooLarge: { status: 431, reason: 'Request Header Fields Too Large' },
  appError: { status: 500, reason: 'Internal Server Error' },
  notImplemented: { status: 501, reason: 'Not Implemented' },
  serviceUnavailable: { status: 503, reason: 'Service Unavailable' },
  /** Shed (--max-loop-lag), or past --request-timeout before the app saw it: another try, here or at a sibling, may succeed. */
  retryLater: { status: 503, reason: 'Service Unavailable', retryAfter: 1 },
  requestTimeout: { status: 504, reason: 'Gateway Timeout' },
  versionNotSupported: { status: 505, reason: 'HTTP Version Not Supported' },
} as const satisfies Record<string, { status: number; reason: string; retryAfter?: number }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

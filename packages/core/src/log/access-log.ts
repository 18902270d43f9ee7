// Design: when `--access-logfile` is not set, `enabled` is false and worker classes take a
// request path that never builds a record (pino's noop-when-off rule). When it is set, lines
// are buffered by sonic-boom and written asynchronously, flushed on exit.

import type { PlainSettings } from '../config/types.js';
import { compileAccessFormat, type AccessRecord } from './access-format.js';
import { openLogDestination } from './create-logger.js';

export interface AccessLog {
  /** False when access logging is off: skip building records entirely. */
  readonly enabled: boolean;
  write(record: AccessRecord): void;
  /** Reopen the file (USR1). */
  reopen(): void;
  flush(): void;
}

const DISABLED: AccessLog = { enabled: false, write: () => {}, reopen: () => {}, flush: () => {} };

export function createAccessLog(settings: Pick<PlainSettings, 'accesslog' | 'accessLogFormat'>): AccessLog {
  if (settings.accesslog === null) return DISABLED;
  const render = compileAccessFormat(settings.accessLogFormat);
  const destination = openLogDestination(settings.accesslog, 1, false);
  const target = settings.accesslog;
  return {
    enabled: true,
    write: (record) => {
      destination.write(`${render(record)}\n`);
    },
    reopen: () => {
      if (target !== '-') destination.reopen();
    },
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // sonic-boom throws when a write is in flight; that write completes on its own.
      }
    },
  };
}

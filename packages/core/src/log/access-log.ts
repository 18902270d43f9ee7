// Design: when `--access-logfile` is not set, `enabled` is false and worker classes take a
// request path that never builds a record (pino's noop-when-off rule). When it is set, lines
// are buffered by sonic-boom and written asynchronously, flushed on exit. As in Gunicorn,
// `--log-syslog` sends access lines to syslog too (and so turns the access log on), unless
// `--disable-redirect-access-to-syslog`.

import type { PlainSettings } from '../config/types.js';
import { compileAccessFormat, type AccessRecord } from './access-format.js';
import { openLogDestination } from './create-logger.js';
import { createSyslogSink } from './syslog-sink.js';

export interface AccessLog {
  /** False when access logging is off: skip building records entirely. */
  readonly enabled: boolean;
  write(record: AccessRecord): void;
  /** Reopen the file (USR1). */
  reopen(): void;
  flush(): void;
}

const DISABLED: AccessLog = { enabled: false, write: () => {}, reopen: () => {}, flush: () => {} };

export function createAccessLog(settings: Pick<PlainSettings, 'accesslog' | 'accessLogFormat' | 'disableRedirectAccessToSyslog'> & Partial<Pick<PlainSettings, 'syslog' | 'syslogAddr' | 'syslogPrefix' | 'syslogFacility' | 'procName' | 'app'>>): AccessLog {
  const syslog = settings.disableRedirectAccessToSyslog ? null : createSyslogSink(settings, 'access');
  if (settings.accesslog === null && syslog === null) return DISABLED;
  const render = compileAccessFormat(settings.accessLogFormat);
  const target = settings.accesslog;
  const destination = target === null ? null : openLogDestination(target, 1, false);
  return {
    enabled: true,
    write: (record) => {
      const line = render(record);
      destination?.write(`${line}\n`);
      syslog?.write('INFO', line);
    },
    reopen: () => {
      if (target !== '-') destination?.reopen();
    },
    flush: () => {
      try {
        destination?.flushSync();
      } catch {
        // sonic-boom throws when a write is in flight; that write completes on its own.
      }
    },
  };
}

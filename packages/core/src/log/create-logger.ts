// Design: the error log is a pino logger with Gunicorn's level names (warning, critical) beside
// pino's own. `text` renders Gunicorn's line, `[time] [pid] [LEVEL] message`; `json` is pino's
// output untouched. Both write through sonic-boom; files are opened in append mode and reopened
// on USR1 so that logrotate works. The error log is low-volume, so it writes synchronously:
// nothing is lost when a process exits right after logging.

import pino, { type Logger as PinoLogger } from 'pino';
import type { LogFormat, LogLevel } from '../config/types.js';
import { formatLogTime } from './log-time.js';
import { createSyslogSink, type SyslogSettings, type SyslogSink } from './syslog-sink.js';

export type Logger = PinoLogger<'warning' | 'critical'>;

export interface LogOutput {
  readonly logger: Logger;
  /** Reopen the log file (USR1). A no-op for stderr. */
  reopen(): void;
  flush(): void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'CRITICAL' };

export type LogDestination = ReturnType<typeof pino.destination>;

/** Opens `-` (the given standard fd) or a file path for appending, with sonic-boom (pino.destination). */
export function openLogDestination(target: string, standardFd: 1 | 2, sync: boolean): LogDestination {
  // maxWrite at PIPE_BUF keeps each write() to whole lines, so lines from several worker
  // processes sharing one pipe never interleave mid-line.
  return pino.destination(target === '-' ? { fd: standardFd, sync, maxWrite: 4096 } : { dest: target, sync, append: true, mkdir: true, maxWrite: 4096 });
}

/** The error log; with `--log-syslog` every line also goes to syslog (`settings` then carries the syslog settings). */
export function createLogger(settings: { loglevel: LogLevel; errorlog: string; logFormat: LogFormat } & Partial<SyslogSettings>): LogOutput {
  const destination = openLogDestination(settings.errorlog, 2, true);
  const stream = errorLogStream(destination, settings.logFormat, createSyslogSink(settings, 'error'));
  const logger = pino(
    {
      level: settings.loglevel,
      customLevels: { warning: 40, critical: 60 },
      base: { pid: process.pid },
      formatters: { level: (_label: string, number: number) => ({ level: LEVEL_NAMES[number] ?? String(number) }) },
    },
    stream,
  ) as Logger;
  return {
    logger,
    reopen: () => {
      if (settings.errorlog !== '-') destination.reopen();
    },
    flush: () => destination.flushSync(),
  };
}

const SKIPPED_FIELDS = new Set(['level', 'time', 'pid', 'msg', 'err']);

type LogEntry = Record<string, unknown>;

/** What pino writes its JSON lines to: the destination as is, or through Gunicorn's text line and syslog. */
function errorLogStream(destination: LogDestination, format: LogFormat, syslog: SyslogSink | null): { write(line: string): void } {
  if (format === 'json' && syslog === null) return destination;
  return {
    write: (line: string) => {
      const entry = JSON.parse(line) as LogEntry;
      destination.write(format === 'json' ? line : renderTextLine(entry));
      syslog?.write(entry.level as string, renderMessage(entry));
    },
  };
}

/** Gunicorn's error-log line from one pino entry. */
function renderTextLine(entry: LogEntry): string {
  return `[${formatLogTime(entry.time as number)}] [${entry.pid}] [${entry.level}] ${renderMessage(entry)}\n`;
}

/** The message, its extra fields as JSON, and the error's stack, as the text line and syslog carry them. */
function renderMessage(entry: LogEntry): string {
  let line = `${entry.msg ?? ''}`;
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const key of Object.keys(entry)) {
    if (!SKIPPED_FIELDS.has(key)) {
      extra[key] = entry[key];
      hasExtra = true;
    }
  }
  if (hasExtra) line += ` ${JSON.stringify(extra)}`;
  const stack = (entry.err as { stack?: string } | undefined)?.stack;
  if (stack) line += `\n${stack}`;
  return line;
}

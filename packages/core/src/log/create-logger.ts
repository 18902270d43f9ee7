// Design: the error log, with Gunicorn's level names (warning, critical) beside pino's own.
// `text` renders Gunicorn's line, `[time] [pid] [LEVEL] message`, without loading pino for the
// level methods (text-logger.ts: pino weighs about 7 MiB per process, and the arbiter loads only
// what it runs); `json` is pino's output untouched. Files are opened in append mode and reopened
// on USR1 so that logrotate works. The error log is low-volume, so it writes synchronously:
// nothing is lost when a process exits right after logging.

import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import type { Logger as PinoLogger } from 'pino';
import type { LogFormat, LogLevel } from '../config/types.js';
import { formatLogTime } from './log-time.js';
import { createSyslogSink, type SyslogSettings, type SyslogSink } from './syslog-sink.js';
import { fieldsSuffix, LEVEL_NAMES, LEVEL_VALUES, LineSink, renderLine } from './text-logger.js';

export type Logger = PinoLogger<'warning' | 'critical'>;

export interface LogOutput {
  readonly logger: Logger;
  /** Reopen the log file (USR1). A no-op for stderr. */
  reopen(): void;
  flush(): void;
}

type Pino = typeof pinoModule;
export type LogDestination = ReturnType<Pino['destination']>;

const requireHere = createRequire(import.meta.url);
/** pino, loaded when first needed: the JSON format, the access log, or a logger method beyond the level ones. */
const loadPino = (): Pino => requireHere('pino') as Pino;

/** Opens `-` (the given standard fd) or a file path for appending, with sonic-boom (pino.destination). */
export function openLogDestination(target: string, standardFd: 1 | 2, sync: boolean): LogDestination {
  // maxWrite at PIPE_BUF keeps each write() to whole lines, so lines from several worker
  // processes sharing one pipe never interleave mid-line.
  return loadPino().destination(target === '-' ? { fd: standardFd, sync, maxWrite: 4096 } : { dest: target, sync, append: true, mkdir: true, maxWrite: 4096 });
}

function pinoLogger(level: LogLevel, stream: { write(line: string): void }): Logger {
  return loadPino()(
    {
      level,
      customLevels: { warning: 40, critical: 60 },
      base: { pid: process.pid },
      formatters: { level: (_label: string, number: number) => ({ level: LEVEL_NAMES[number] ?? String(number) }) },
    },
    stream,
  ) as Logger;
}

/** The error log; with `--log-syslog` every line also goes to syslog (`settings` then carries the syslog settings). */
export function createLogger(settings: { loglevel: LogLevel; errorlog: string; logFormat: LogFormat } & Partial<SyslogSettings>): LogOutput {
  const syslog = createSyslogSink(settings, 'error');
  if (settings.logFormat === 'json' || syslog !== null) {
    const destination = openLogDestination(settings.errorlog, 2, true);
    return {
      logger: pinoLogger(settings.loglevel, errorLogStream(destination, settings.logFormat, syslog)),
      reopen: () => {
        if (settings.errorlog !== '-') destination.reopen();
      },
      flush: () => destination.flushSync(),
    };
  }
  const sink = new LineSink(settings.errorlog, 2);
  return { logger: textLogger(settings.loglevel, sink), reopen: () => sink.reopen(), flush: () => {} };
}

/** The level methods render and write here; anything else goes to a pino logger built on first use, writing the same lines. */
function textLogger(level: LogLevel, sink: LineSink): Logger {
  let threshold = LEVEL_VALUES[level]!;
  let real: Logger | undefined;
  const pino = (): Logger => (real ??= pinoLogger(level, { write: (json) => sink.write(renderTextLine(JSON.parse(json) as LogEntry)) }));
  const own: Record<string, unknown> = {
    isLevelEnabled: (name: string) => (LEVEL_VALUES[name] ?? Infinity) >= threshold,
  };
  for (const [name, value] of Object.entries(LEVEL_VALUES)) {
    own[name] = (...args: unknown[]): void => {
      if (value >= threshold) sink.write(renderLine(value, args));
    };
  }
  return new Proxy(own, {
    get(target, property) {
      if (property === 'level') return real?.level ?? level;
      if (typeof property === 'string' && Object.hasOwn(target, property)) return target[property];
      const logger = pino();
      const value = Reflect.get(logger, property, logger) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, property, value) {
      if (property === 'level') {
        threshold = LEVEL_VALUES[value as string] ?? threshold;
        level = value as LogLevel;
      }
      return Reflect.set(pino(), property, value);
    },
  }) as unknown as Logger;
}

type LogEntry = Record<string, unknown>;

/** What pino writes its JSON lines to: the destination as is, or through Gunicorn's text line and syslog. */
function errorLogStream(destination: LogDestination, format: LogFormat, syslog: SyslogSink | null): { write(line: string): void } {
  if (syslog === null) return destination;
  return {
    write: (line: string) => {
      const entry = JSON.parse(line) as LogEntry;
      destination.write(format === 'json' ? line : renderTextLine(entry));
      syslog.write(entry.level as string, renderMessage(entry));
    },
  };
}

/** Gunicorn's error-log line from one pino entry. */
function renderTextLine(entry: LogEntry): string {
  return `[${formatLogTime(entry.time as number)}] [${entry.pid}] [${entry.level}] ${renderMessage(entry)}\n`;
}

/** The message, its extra fields as JSON, and the error's stack, as the text line and syslog carry them. */
function renderMessage(entry: LogEntry): string {
  return `${entry.msg ?? ''}${fieldsSuffix(entry)}`;
}

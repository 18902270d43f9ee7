// Design: the text error log without pino. pino and its dependencies weigh about 7 MiB in every
// process, and the arbiter and a quiet worker only ever write a few of Gunicorn's lines,
// `[time] [pid] [LEVEL] message {fields}` and an error's stack. So the level methods (pino's
// call forms: a message; fields, then a message; an Error, then a message; printf arguments)
// render the line here and write it synchronously; anything else a caller asks of the logger
// (child, bindings, flush…) builds the pino logger the JSON format uses, with this output,
// on first use. Levels below the configured one return at once.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';
import { formatLogTime } from './log-time.js';

/** pino's numbers, with Gunicorn's names beside pino's own. */
export const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, warning: 40, error: 50, fatal: 60, critical: 60 };
export const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'CRITICAL' };

const MAX_WAIT_MS = 1000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Where the lines go: `-` (a standard fd) or a file opened for appending, reopened on USR1. */
export class LineSink {
  readonly #target: string;
  #fd: number;

  constructor(target: string, standardFd: 1 | 2) {
    this.#target = target;
    this.#fd = target === '-' ? standardFd : openAppend(target);
  }

  write(line: string): void {
    // One write per line: up to PIPE_BUF, lines from processes sharing a pipe never interleave.
    const bytes = Buffer.from(line);
    let waitedMs = 0;
    for (let written = 0; written < bytes.length; ) {
      try {
        written += writeSync(this.#fd, bytes, written);
      } catch (error) {
        // A full non-blocking pipe: wait for its reader, as sonic-boom does, for up to a second;
        // any other failure (the reader is gone) loses the line. Logging never throws at its caller.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waitedMs >= MAX_WAIT_MS) return;
        Atomics.wait(PAUSE, 0, 0, 1);
        waitedMs++;
      }
    }
  }

  reopen(): void {
    if (this.#target === '-') return;
    const previous = this.#fd;
    this.#fd = openAppend(this.#target);
    closeSync(previous);
  }
}

function openAppend(path: string): number {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, 'a');
}

const SKIPPED_FIELDS = new Set(['level', 'time', 'pid', 'msg', 'err']);

/** What follows the message: the other fields as JSON, then the stack of `err`, if any. */
export function fieldsSuffix(fields: Readonly<Record<string, unknown>>): string {
  let suffix = '';
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const key of Object.keys(fields)) {
    if (!SKIPPED_FIELDS.has(key)) {
      extra[key] = fields[key];
      hasExtra = true;
    }
  }
  if (hasExtra) suffix += ` ${safeJson(extra)}`;
  const stack = (fields.err as { stack?: unknown } | undefined)?.stack;
  if (typeof stack === 'string' && stack !== '') suffix += `\n${stack}`;
  return suffix;
}

/** Gunicorn's line for one call of a level method, in pino's call forms. */
export function renderLine(level: number, args: readonly unknown[]): string {
  let fields: Record<string, unknown> | undefined;
  let rest = args;
  const first = args[0];
  if (first instanceof Error) {
    fields = { err: first };
    rest = args.length > 1 ? args.slice(1) : [first.message];
  } else if (typeof first === 'object' && first !== null) {
    fields = first as Record<string, unknown>;
    rest = args.slice(1);
  }
  const message = rest.length === 0 ? '' : rest.length === 1 ? String(rest[0] ?? '') : format(...(rest as [unknown, ...unknown[]]));
  return `[${formatLogTime(Date.now())}] [${process.pid}] [${LEVEL_NAMES[level]}] ${message}${fields === undefined ? '' : fieldsSuffix(fields)}\n`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '"[unserializable]"';
  }
}

// Design: Gunicorn's `gunicorn.log.{warning,error,critical,exception}` counters. Its statsd logger
// counts each call of those methods, whatever the log level; `exception` is its name for an error
// logged with its traceback, which here is an error-level line that carries an Error (`{ err }`
// or an Error first). The logger is wrapped only when metrics are on.

import type { Logger } from '../log/create-logger.js';

/** Slots of LogLevelCounts. */
const SLOTS: Readonly<Record<string, number>> = { warn: 0, warning: 0, error: 1, critical: 2, fatal: 2 };
export const EXCEPTION_SLOT = 3;
export const LOG_LEVEL_NAMES = ['warning', 'error', 'critical', 'exception'] as const;

function carriesError(first: unknown): boolean {
  return first instanceof Error || (typeof first === 'object' && first !== null && (first as { err?: unknown }).err instanceof Error);
}

/** `logger`, counting into `counts` (indexed as LOG_LEVEL_NAMES) each warning, error and critical line. */
export function countingLogger(logger: Logger, counts: Uint32Array): Logger {
  const wrapped = new Map<string, (...args: unknown[]) => void>();
  return new Proxy(logger, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const slot = typeof property === 'string' ? SLOTS[property] : undefined;
      if (slot === undefined) return (value as (...args: unknown[]) => unknown).bind(target);
      let method = wrapped.get(property as string);
      if (method === undefined) {
        method = (...args: unknown[]): void => {
          counts[slot === 1 && carriesError(args[0]) ? EXCEPTION_SLOT : slot]!++;
          // Looked up on each call: pino swaps its level methods for no-ops when the level changes.
          (Reflect.get(target, property, target) as (...args: unknown[]) => void).apply(target, args);
        };
        wrapped.set(property as string, method);
      }
      return method;
    },
  });
}

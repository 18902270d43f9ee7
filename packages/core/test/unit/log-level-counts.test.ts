import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/create-logger.js';
import { countingLogger, LOG_LEVEL_NAMES } from '../../src/metrics/log-level-counts.js';

const dir = mkdtempSync(join(tmpdir(), 'narwhal-log-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function counted(level: 'info' | 'error', logFormat: 'text' | 'json'): { log: ReturnType<typeof countingLogger>; counts: Uint32Array; file: string } {
  const file = join(dir, `${level}-${logFormat}.log`);
  const counts = new Uint32Array(LOG_LEVEL_NAMES.length);
  return { log: countingLogger(createLogger({ loglevel: level, errorlog: file, logFormat }).logger, counts), counts, file };
}

describe("gunicorn.log.* counts, as Gunicorn's statsd logger counts them", () => {
  it.each(['text', 'json'] as const)('counts warning, error, critical, and an error with its Error as exception (%s), and still logs', (format) => {
    const { log, counts, file } = counted('info', format);
    log.info('not counted');
    log.warning('w');
    log.warn('w again');
    log.error('e');
    log.error({ err: new Error('boom') }, 'with its error');
    log.critical('c');
    expect([...counts]).toEqual([2, 1, 1, 1]);
    const text = readFileSync(file, 'utf8');
    for (const message of ['not counted', 'w again', 'with its error', 'boom']) expect(text).toContain(message);
  });

  it('counts lines below the log level too, as Gunicorn does, without writing them', () => {
    const { log, counts, file } = counted('error', 'text');
    log.warning('quiet');
    expect([...counts]).toEqual([1, 0, 0, 0]);
    expect(readFileSync(file, 'utf8')).not.toContain('quiet');
  });
});

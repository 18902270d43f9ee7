import { describe, expect, it } from 'vitest';
import { classifyExit, describeExit, restartReason, type ExitFacts } from '../../src/arbiter/exit-reasons.js';

const facts = (overrides: Partial<ExitFacts>): ExitFacts => ({ code: 0, signal: null, booted: true, timedOut: false, bootTimedOut: false, retired: null, bootError: null, ...overrides });

describe('every worker exit is classified once, in Gunicorn\'s words', () => {
  it.each([
    [facts({}), 'info', 'Worker exiting (pid: 7)'],
    [facts({ retired: 'maxRequests' }), 'info', 'Worker (pid:7) stopped after max requests'],
    [facts({ retired: 'memory', signal: 'SIGTERM', code: null }), 'info', 'Worker (pid:7) stopped over the memory limit'],
    [facts({ retired: 'lifetime' }), 'info', 'Worker (pid:7) stopped at the end of its lifetime'],
    [facts({ retired: 'reload', signal: 'SIGKILL', code: null }), 'info', 'Worker (pid:7) stopped for a reload'],
    [facts({ timedOut: true, signal: 'SIGKILL', code: null }), 'error', 'Worker (pid:7) was killed after WORKER TIMEOUT'],
    [facts({ booted: false, bootTimedOut: true, signal: 'SIGKILL', code: null }), 'error', 'WORKER BOOT TIMEOUT'],
    [facts({ signal: 'SIGKILL', code: null }), 'error', 'Worker (pid:7) was sent SIGKILL! Perhaps out of memory?'],
    [facts({ signal: 'SIGTERM', code: null }), 'info', 'Worker (pid:7) was sent SIGTERM!'],
    [facts({ signal: 'SIGSEGV', code: null }), 'warning', 'Worker (pid:7) was sent SIGSEGV!'],
    [facts({ code: 1 }), 'error', 'Worker (pid:7) exited with code 1'],
    [facts({ booted: false, code: 4, bootError: { code: 'NARWHAL_E_APP_EXPORT', message: 'app.js has no export named x' } }), 'error', 'failed to boot: app.js has no export named x [NARWHAL_E_APP_EXPORT]'],
  ])('%j', (input, level, message) => {
    const described = describeExit(7, classifyExit(input));
    expect(described.level).toBe(level);
    expect(described.message).toContain(message);
  });
});

describe('narwhal_worker_restarts_total counts each recycle under its reason', () => {
  it.each([
    ['maxRequests', 'max_requests'],
    ['memory', 'memory'],
    ['lifetime', 'lifetime'],
    ['reload', 'reload'],
    ['scaleDown', null],
    ['shutdown', null],
  ] as const)('%s → %s', (retired, label) => {
    expect(restartReason(classifyExit(facts({ retired })))).toBe(label);
  });
});

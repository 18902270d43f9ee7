// Design: every worker exit is classified once and logged once, with Gunicorn's wording where
// Gunicorn has one, so that operators' greps keep working ("WORKER TIMEOUT (pid:N)",
// "Worker (pid:N) was sent SIGKILL! Perhaps out of memory?").

import type { ErrorCode } from '../errors.js';

export type ExitReason =
  | { readonly kind: 'normal' }
  | { readonly kind: 'retired'; readonly why: RetireReason }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'bootTimeout' }
  | { readonly kind: 'bootError'; readonly code: ErrorCode; readonly message: string }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'exitCode'; readonly code: number };

/** Why a healthy worker is replaced (arbiter/recycling.ts): one policy for the three. */
export type RecycleReason = 'maxRequests' | 'memory' | 'lifetime';

/** Why the arbiter stopped a worker on purpose. */
export type RetireReason = RecycleReason | 'reload' | 'scaleDown' | 'shutdown' | 'reloadAborted';

export interface ExitFacts {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly booted: boolean;
  /** Set when the arbiter killed it for a missed heartbeat. */
  readonly timedOut: boolean;
  readonly bootTimedOut: boolean;
  readonly retired: RetireReason | null;
  /** What the worker said before it exited, if it could not boot. */
  readonly bootError: { readonly code: ErrorCode; readonly message: string } | null;
}

export function classifyExit(facts: ExitFacts): ExitReason {
  if (facts.bootError !== null) return { kind: 'bootError', ...facts.bootError };
  if (facts.bootTimedOut) return { kind: 'bootTimeout' };
  if (facts.timedOut) return { kind: 'timeout' };
  if (facts.retired !== null && (facts.code === 0 || facts.signal === 'SIGTERM' || facts.signal === 'SIGKILL')) return { kind: 'retired', why: facts.retired };
  if (facts.signal !== null) return { kind: 'signal', signal: facts.signal };
  if (facts.code === 0) return { kind: 'normal' };
  return { kind: 'exitCode', code: facts.code ?? -1 };
}

export type LogLevelName = 'debug' | 'info' | 'warning' | 'error' | 'critical';

const RETIRED: Record<RetireReason, string> = {
  maxRequests: 'after max requests',
  memory: 'over the memory limit',
  lifetime: 'at the end of its lifetime',
  reload: 'for a reload',
  scaleDown: 'to scale down',
  shutdown: 'on shutdown',
  reloadAborted: 'after a failed reload',
};

/** The `reason` label a recycle is counted under in `narwhal_worker_restarts_total`. */
const RESTART_LABELS: Partial<Record<RetireReason, string>> = { maxRequests: 'max_requests', memory: 'memory', lifetime: 'lifetime', reload: 'reload' };

/** The one log line for an exit. */
export function describeExit(pid: number, reason: ExitReason): { level: LogLevelName; message: string } {
  switch (reason.kind) {
    case 'normal':
      return { level: 'info', message: `Worker exiting (pid: ${pid})` };
    case 'retired':
      return { level: 'info', message: `Worker (pid:${pid}) stopped ${RETIRED[reason.why]}` };
    case 'timeout':
      return { level: 'error', message: `Worker (pid:${pid}) was killed after WORKER TIMEOUT` };
    case 'bootTimeout':
      return { level: 'error', message: `Worker (pid:${pid}) was killed: not ready within the timeout (WORKER BOOT TIMEOUT)` };
    case 'bootError':
      return { level: 'error', message: `Worker (pid:${pid}) failed to boot: ${reason.message} [${reason.code}]` };
    case 'signal':
      if (reason.signal === 'SIGKILL') return { level: 'error', message: `Worker (pid:${pid}) was sent SIGKILL! Perhaps out of memory?` };
      return { level: reason.signal === 'SIGTERM' ? 'info' : 'warning', message: `Worker (pid:${pid}) was sent ${reason.signal}!` };
    case 'exitCode':
      return { level: 'error', message: `Worker (pid:${pid}) exited with code ${reason.code}` };
  }
}

/** Why a worker that never reported ready is gone, as the one line a halted start prints. */
export function describeBootFailure(pid: number, reason: ExitReason, timeout: number): string {
  switch (reason.kind) {
    case 'bootTimeout':
      return `worker (pid:${pid}) did not report ready within ${timeout}s (WORKER BOOT TIMEOUT)`;
    case 'signal':
      return `worker (pid:${pid}) was killed by ${reason.signal} before it was ready`;
    case 'exitCode':
      return `worker (pid:${pid}) exited with code ${reason.code} before it was ready`;
    default:
      return `worker (pid:${pid}) exited before it was ready`;
  }
}

/**
 * The `reason` label of `narwhal_worker_restarts_total` for an exit the arbiter replaces, or null
 * for one it does not (the server stops, TTOU, a failed reload's workers).
 */
export function restartReason(reason: ExitReason): string | null {
  switch (reason.kind) {
    case 'retired':
      return RESTART_LABELS[reason.why] ?? null;
    case 'normal':
      return 'exit';
    case 'exitCode':
      return 'crash';
    case 'signal':
      return 'signal';
    case 'timeout':
      return 'timeout';
    case 'bootTimeout':
      return 'boot_timeout';
    case 'bootError':
      return 'boot_error';
  }
}

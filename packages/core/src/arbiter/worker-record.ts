import type { ChildProcess } from 'node:child_process';
import type { WorkerInfo } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import type { RetireReason } from './exit-reasons.js';

/** The arbiter's bookkeeping for one worker process (Gunicorn's Worker object, arbiter side). */
export interface WorkerRecord extends WorkerInfo {
  readonly child: ChildProcess;
  readonly heartbeatFd: number;
  /** Its slot on the connection board, freed when it exits; null for none. */
  readonly boardSlot: number | null;
  /** The worker class's `-k` name, as the metrics label it. */
  readonly className: string;
  /** The HUP generation it was spawned in. */
  readonly generation: number;
  /** Monotonic seconds at spawn. */
  readonly spawnedAt: number;
  booted: boolean;
  /** Set when the arbiter wants it gone; it keeps serving until TERM is sent. */
  retire: RetireReason | null;
  /** Monotonic seconds when TERM or QUIT was sent. */
  stopSentAt: number | null;
  /** Monotonic seconds when SIGABRT was sent for a missed heartbeat. */
  abortedAt: number | null;
  killed: boolean;
  bootTimedOut: boolean;
  bootError: { readonly code: ErrorCode; readonly message: string } | null;
}

/** The read-only view hooks get. */
export function workerInfo(record: WorkerRecord): WorkerInfo {
  return { pid: record.pid, age: record.age, booted: record.booted };
}

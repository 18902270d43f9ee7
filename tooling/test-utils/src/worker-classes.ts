// Design: behaviour tests run once per worker class (DESIGN.md §2.4: what users see must not
// depend on the class). A class joins the matrix when its package is built in this repository;
// until then its suite is skipped with the reason shown.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const PACKAGES_DIR = fileURLToPath(new URL('../../../packages/', import.meta.url));

/** The built-in worker classes, in the order the matrix runs them. */
export const WORKER_CLASSES = ['sync', 'gthread', 'async', 'uws'] as const;
export type WorkerClassName = (typeof WORKER_CLASSES)[number];

/** The package directory of an in-repo worker class, usable as `-k PATH`. */
export function workerClassPath(name: WorkerClassName): string {
  return `${PACKAGES_DIR}worker-${name}`;
}

export function isWorkerClassBuilt(name: WorkerClassName): boolean {
  return existsSync(`${workerClassPath(name)}/dist/index.js`);
}

export interface WorkerClassCase {
  readonly name: WorkerClassName;
  /** `-k PATH` arguments selecting this class. */
  readonly args: readonly string[];
}

/**
 * Runs `suite` once per worker class. `skip` maps a class to the documented reason its model
 * forbids the behaviour; unbuilt classes are skipped with that fact as the reason.
 */
export function describeEachWorker(title: string, suite: (worker: WorkerClassCase) => void, skip: Partial<Record<WorkerClassName, string>> = {}): void {
  for (const name of WORKER_CLASSES) {
    const reason = skip[name] ?? (isWorkerClassBuilt(name) ? undefined : `@narwhal/worker-${name} is not built`);
    const label = `${title} [-k ${name}]${reason ? ` (skipped: ${reason})` : ''}`;
    (reason ? describe.skip : describe)(label, () => suite({ name, args: ['-k', workerClassPath(name)] }));
  }
}

/**
 * Why a zero-loss reload test cannot hold for `uws` on this machine, or undefined when it can:
 * closing a SO_REUSEPORT listener resets its queued connections unless the kernel migrates them
 * (net.ipv4.tcp_migrate_req=1). packages/worker-uws measures the loss either way.
 */
export function reuseportResetReason(): string | undefined {
  let value = 'unknown';
  try {
    value = readFileSync('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8').trim();
  } catch {
    // not Linux, or no /proc
  }
  return value === '1' ? undefined : `net.ipv4.tcp_migrate_req is ${value}, so a closing uws listener resets its queued connections (measured in packages/worker-uws)`;
}

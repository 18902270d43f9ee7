// Design: behaviour tests run once per worker class (DESIGN.md §2.4: what users see must not
// depend on the class). A class joins the matrix when its package is built in this repository;
// until then its suite is skipped with the reason shown.

import { existsSync } from 'node:fs';
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

/** @module @narwhal/test-utils: spawn the real CLI, speak real HTTP, clean up. */
export { startNarwhal, launchNarwhal, runNarwhal, stopAll, NARWHAL_CLI } from './start-narwhal.js';
export type { NarwhalProcess, StartOptions, RunResult } from './start-narwhal.js';
export { request, get, rawRequest, sleep, eventually } from './http.js';
export type { Response, RequestOptions } from './http.js';
export { fixtureDir, removeFixtures } from './fixtures.js';
export { describeEachWorker, workerClassPath, isWorkerClassBuilt, reuseportResetReason, WORKER_CLASSES } from './worker-classes.js';
export type { WorkerClassCase, WorkerClassName } from './worker-classes.js';

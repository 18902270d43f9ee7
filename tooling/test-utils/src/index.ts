/** @module @narwhal/test-utils: spawn the real CLI, speak real HTTP, clean up. */
export { startNarwhal, launchNarwhal, runNarwhal, stopAll, NARWHAL_CLI } from './start-narwhal.ts';
export type { NarwhalProcess, StartOptions, RunResult } from './start-narwhal.ts';
export { request, get, rawRequest, sleep, eventually } from './http.ts';
export type { Response, RequestOptions } from './http.ts';
export { fixtureDir, removeFixtures } from './fixtures.ts';
export { describeEachWorker, workerClassPath, isWorkerClassBuilt, WORKER_CLASSES } from './worker-classes.ts';
export type { WorkerClassCase, WorkerClassName } from './worker-classes.ts';

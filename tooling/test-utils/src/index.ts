/** @module @narwhal/test-utils: the repository's test helpers; the reusable ones live in @narwhal/conformance. */
export { startNarwhal, launchNarwhal, runNarwhal, stopAll, narwhalCli, request, get, rawRequest, readResponses, connectTo, sleep, eventually, fixtureDir, removeFixtures, kitApp, makeTestCertificates, fingerprintOf, servedFingerprint, listenForStatsd, parsePrometheusText, sumSamples } from '@narwhal/conformance';
export type { NarwhalProcess, StartOptions, RunResult, Response, RequestOptions, TestCertificates, CertificatePair, StatsdListener, Sample } from '@narwhal/conformance';
export { describeEachWorker, workerClassPath, isWorkerClassBuilt, reuseportResetReason, WORKER_CLASSES } from './worker-classes.js';
export type { WorkerClassCase, WorkerClassName } from './worker-classes.js';

/**
 * @module @narwhal/conformance: the conformance kit for Narwhal worker classes. A class's test
 * file calls {@link describeConformance}; the rest is exported for suites of one's own.
 */
export { describeConformance } from './describe-conformance.js';
export { SUITE_IDS, kitApp, ROUTES_APP } from './kit.js';
export type { ConformanceOptions, BindForm, FaultModel, SuiteId } from './kit.js';
export { loadCorpus, expandRepeats, latin1Bytes, CORPUS_DIR } from './corpus.js';
export type { CorpusCase, CaseExpectation, AppExpectation } from './corpus.js';
export { connectTo, runCase, runCases } from './run-case.js';
export type { RunCaseOptions } from './run-case.js';
export { judgeCase, describeExchange } from './judge-case.js';
export type { AppContract, Deviation, JudgeOptions } from './judge-case.js';
export { parseResponses, readResponses, headerValue } from './raw-response.js';
export type { RawResponse, ParsedResponses, ParseOptions, Exchange, ReadOptions } from './raw-response.js';
export { startNarwhal, launchNarwhal, runNarwhal, stopAll, narwhalCli } from './start-narwhal.js';
export type { NarwhalProcess, StartOptions, RunResult } from './start-narwhal.js';
export { findNarwhalCli } from './find-cli.js';
export { request, get, rawRequest, sleep, eventually } from './http.js';
export type { Response, RequestOptions } from './http.js';
export { fixtureDir, removeFixtures } from './fixtures.js';
export { makeTestCertificates, fingerprintOf, servedFingerprint } from './tls-certificates.js';
export type { CertificatePair, TestCertificates } from './tls-certificates.js';
export { Load, formatPhases, describeFailures } from './load.js';
export type { LoadOptions, PhaseCounts, PhaseOptions, FailedRequest, InFlightRequest } from './load.js';
export { openWebSocket, within } from './websocket-client.js';
export type { ClientSocket, Received } from './websocket-client.js';
export { Prng, seedFromEnv, DEFAULT_SEED } from './prng.js';
export { fuzzInput } from './fuzz.js';
export type { FuzzInput } from './fuzz.js';
export { liveChildren, cpuSeconds, isRunning, reapedAt, workerExitLines } from './worker-processes.js';
export { reuseportResetReason, migrateReq } from './reuseport.js';
export { listenForStatsd } from './statsd-listener.js';
export type { StatsdListener } from './statsd-listener.js';
export { parsePrometheusText, sumSamples } from './prometheus-text.js';
export type { Sample } from './prometheus-text.js';

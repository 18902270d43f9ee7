/**
 * @module @narwhal/core/worker: the WorkerClass contract and the building blocks worker classes share,
 * so that limits, error responses, keep-alive, the access log and the app adapters behave the
 * same under every class.
 */
export { defineWorkerClass } from './worker/contract.js';
export type { WorkerClass, WorkerContext, WorkerHandle, WorkerStopOptions, InheritedListener } from './worker/contract.js';
export type { Heartbeat } from './worker/heartbeat.js';
export { hookRequest, withRequestHooks } from './worker/request-hooks.js';
export type { HookRequest, HookResponse, RequestHooks } from './worker/request-hooks.js';
export { InheritedListeners } from './worker/inherited-listeners.js';
export { connectionCeiling, openFileLimit } from './worker/descriptor-limit.js';
export { WORKER_PACKAGES } from './worker/resolve-worker-class.js';
export { SyncWorker } from './worker/sync-worker.js';
export { NodeHttpService } from './http/node-http-service.js';
export type { NodeHttpServiceOptions } from './http/node-http-service.js';
export { HTTP_ERRORS } from './http/status-table.js';
export type { HttpErrorCode } from './http/status-table.js';
export { errorResponse, sendError, errorAsResponse } from './http/error-response.js';
export { classifyHeaderOverflow, requestLimits } from './http/limits.js';
export { checkRequestHead, expectationVerdict, transferCodingVerdict, LLHTTP_CHECKS, NO_ENGINE_CHECKS } from './http/request-head.js';
export type { EngineChecks } from './http/request-head.js';
export { readRequestLine } from './http/request-line.js';
export { LLHTTP_REFUSALS, refuseParserLeniency } from './http/parser-leniency.js';
export type { LeniencyRefusals, LeniencySwitch } from './http/parser-leniency.js';
export { proxyTrust, readForwarded, schemeHeaders } from './http/forwarded.js';
export { ipAddressText } from './http/proxy-protocol.js';
export type { ForwardedView, ProxyTrust, SchemeHeaders } from './http/forwarded.js';
export { schemeOf } from './http/node-forwarded.js';
export type { RequestLineVerdict } from './http/request-line.js';
export type { RequestLimits } from './http/limits.js';
export { asNodeListener, asFetchHandler } from './app/adapt.js';
export { nodeToFetchHandler } from './app/node-to-fetch.js';
export { startBody, restOfBody } from './app/response-body.js';
export { installFastResponse, responseParts } from './app/fast-response.js';
export { warmFetchPlatform } from './app/warm-fetch-platform.js';
export { partsHeaderList } from './app/parts-head.js';
export { lazyRequest } from './app/lazy-request.js';
export { requestUrl } from './app/request-url.js';
export { fetchCannotCarry } from './app/fetch-methods.js';
export type { LazyRequestInit } from './app/lazy-request.js';
export type { ResponseParts } from './app/fast-response.js';
export type { WholeBody, StreamingBody } from './app/response-body.js';
export type { EmulatedFetchHandler } from './app/node-to-fetch.js';
export type { Peer } from './app/emulated-request.js';
export { describeError, loadApp } from './app/load-app.js';
export type { App, NodeListener, FetchHandler } from './app/app.js';
export { compileAccessFormat, escapeLogValue } from './log/access-format.js';
export type { AccessRecord } from './log/access-format.js';
export type { AccessLog } from './log/access-log.js';
export { NO_METRICS } from './metrics/request-metrics.js';
export type { RequestMetrics } from './metrics/request-metrics.js';
export type { Logger } from './log/create-logger.js';
export { parseBindAddress, describeBindAddress } from './config/bind-address.js';
export type { BindAddress } from './config/bind-address.js';
export type { PlainSettings } from './config/types.js';
export type { SecureOptions } from './tls/secure-options.js';
export { minimumTlsVersion } from './tls/ssl-version.js';
export { NarwhalError } from './errors.js';

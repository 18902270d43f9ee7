/**
 * @module @narwhal/core/worker-class: what a worker class's entry module needs to declare itself
 * and check settings. The arbiter imports that module to read the class's capabilities and run
 * its `checkConfig`, so it should import only this light entry and load the serving building
 * blocks of `@narwhal/core/worker` inside `serve` (with `import()`): the arbiter then never loads
 * node:http, the app adapters or the class's engine (writing-a-worker-class.md).
 */
export { defineWorkerClass } from './worker/contract.js';
export type { WorkerClass, WorkerContext, WorkerHandle, WorkerStopOptions, InheritedListener } from './worker/contract.js';
export { LLHTTP_REFUSALS, refuseParserLeniency } from './http/parser-leniency.js';
export type { LeniencyRefusals, LeniencySwitch } from './http/parser-leniency.js';
export { parseBindAddress } from './config/bind-address.js';
export { listedProtocols } from './config/settings.js';
export type { BindAddress } from './config/bind-address.js';
export type { PlainSettings } from './config/types.js';
export type { Logger } from './log/create-logger.js';
export { minimumTlsVersion } from './tls/ssl-version.js';
export type { SecureOptions } from './tls/secure-options.js';
export { NarwhalError } from './errors.js';

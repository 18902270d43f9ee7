/**
 * @module @narwhal/core: the `narwhal` CLI's programmatic face: config helpers, settings types and errors.
 * Worker-class authors import `@narwhal/core/worker`.
 */
export { defineConfig } from './config/define-config.js';
export type { HookRequest, HookResponse } from './worker/request-hooks.js';
export type { Hooks, HookName, LogLevel, LogFormat, InterfaceSetting, AppInterface, ServerView, WorkerView, WorkerInfo, Settings, UserConfig, PlainSettings } from './config/types.js';
export { SETTINGS } from './config/settings.js';
export type { SettingSpec, Section } from './config/settings.js';
export { NarwhalError, ERROR_CODES, EXIT, isNarwhalError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { SecureOptions } from './tls/secure-options.js';
export type { App, NodeListener, FetchHandler } from './app/app.js';
export type { ServerWebSocket, WebSocketHandler, UpgradeOptions, UpgradeServer } from './websocket/handler.js';

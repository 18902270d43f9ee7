// Design: loading the app is the only place app code runs, and it runs only in workers.
// The arbiter calls `locateApp` (locate-app.ts) to fail fast on a missing module without importing it.
// JavaScript loads with import(), TypeScript (.ts, .mts, .cts) through jiti as the config file
// does; an app with a ready step (Fastify) is made ready before it is handed to a worker class.

import { pathToFileURL } from 'node:url';
import { NarwhalError } from '../errors.js';
import type { InterfaceSetting } from '../config/types.js';
import type { App } from './app.js';
import type { AppSpec } from './app-spec.js';
import { describeError, explainModuleFormat } from './describe-error.js';
import { detectInterface } from './detect-interface.js';
import { importTypeScript, isTypeScript } from './import-typescript.js';
import { locateApp } from './locate-app.js';
import { awaitReadyStep } from './ready-step.js';

export { describeError };

export async function loadApp(text: string, fromDir: string, interfaceSetting: InterfaceSetting): Promise<App> {
  const { spec, file } = await locateApp(text, fromDir);
  let namespace: Record<string, unknown>;
  try {
    namespace = isTypeScript(file) ? await importTypeScript(file) : ((await import(pathToFileURL(file).href)) as Record<string, unknown>);
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_APP_LOAD', `app module ${spec.module} failed to load: ${explainModuleFormat(error) ?? describeError(error)}`, { cause: error });
  }
  let exported = pickExport(namespace, spec);
  if (spec.args !== null) {
    if (typeof exported !== 'function') throw new NarwhalError('NARWHAL_E_APP_EXPORT', `${spec.text}: ${exportName(spec)} is not a function, so it cannot be called`);
    try {
      exported = await (exported as (...args: unknown[]) => unknown)(...spec.args);
    } catch (error) {
      throw new NarwhalError('NARWHAL_E_APP_LOAD', `${spec.text}: the factory threw: ${describeError(error)}`, { cause: error });
    }
  }
  try {
    await awaitReadyStep(exported);
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_APP_LOAD', `${spec.text}: the app's ready() failed: ${describeError(error)}`, { cause: error });
  }
  return detectInterface(exported, interfaceSetting, spec.exportPath.length === 0 && spec.args === null ? `the default export of ${spec.module}` : spec.text);
}

function pickExport(namespace: Record<string, unknown>, spec: AppSpec): unknown {
  if (spec.exportPath.length === 0) {
    if (namespace.default === undefined) {
      const names = Object.keys(namespace).filter((name) => name !== 'default');
      throw new NarwhalError('NARWHAL_E_APP_EXPORT', `${spec.module} has no default export${names.length ? `; name one of its exports: ${names.map((name) => `${spec.module}:${name}`).join(', ')}` : ''}`);
    }
    return namespace.default;
  }
  const [first, ...rest] = spec.exportPath as [string, ...string[]];
  // CommonJS modules expose their properties on `default`; the named view is best-effort.
  let value: unknown = first in namespace ? namespace[first] : (namespace.default as Record<string, unknown> | undefined)?.[first];
  for (const name of rest) value = (value as Record<string, unknown> | null | undefined)?.[name];
  if (value === undefined) throw new NarwhalError('NARWHAL_E_APP_EXPORT', `${spec.module} has no export named ${exportName(spec)}`);
  return value;
}

function exportName(spec: AppSpec): string {
  return spec.exportPath.join('.') || 'default';
}

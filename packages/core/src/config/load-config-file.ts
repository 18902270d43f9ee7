// Design: a config file is a module whose default export is an object of settings, or a
// function (sync or async) returning one. JavaScript loads with import(); TypeScript goes
// through jiti (app/import-typescript.ts). Each key is validated by
// the schema and an unknown key is an error with a suggestion, since a typo would
// otherwise be silently ignored.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTypeScript, isTypeScript } from '../app/import-typescript.js';
import { NarwhalError } from '../errors.js';
import { settingKeyFor, suggestSettingKey } from './setting-names.js';
import { validateSetting } from './validate-setting.js';
import type { SettingKey, UserConfig } from './types.js';

export const DEFAULT_CONFIG_NAMES = ['narwhal.config.js', 'narwhal.config.mjs', 'narwhal.config.cjs', 'narwhal.config.ts', 'narwhal.config.mts'];

/** The first default config file present in `dir`, or null. */
export function findDefaultConfigFile(dir: string): string | null {
  for (const name of DEFAULT_CONFIG_NAMES) {
    const path = resolve(dir, name);
    if (existsSync(path)) return path;
  }
  return null;
}

export async function loadConfigFile(path: string): Promise<UserConfig> {
  if (!existsSync(path)) throw new NarwhalError('NARWHAL_E_CONFIG_FILE', `config file ${path} does not exist`);
  let exported: unknown;
  try {
    exported = await importModule(path);
    if (typeof exported === 'function') exported = await (exported as () => unknown)();
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_CONFIG_FILE', `config file ${path} failed to load: ${describe(error)}`, { cause: error });
  }
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    throw new NarwhalError('NARWHAL_E_CONFIG_FILE', `config file ${path} must export an object of settings, not ${exported === null ? 'null' : typeof exported}`);
  }
  const config: Record<string, unknown> = {};
  const spelledAs = new Map<SettingKey, string>();
  for (const [name, raw] of Object.entries(exported)) {
    const key = settingKeyFor(name);
    if (key === undefined) {
      const hint = suggestSettingKey(name);
      throw new NarwhalError('NARWHAL_E_SETTING', `${name} in ${path}: unknown setting${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    const earlier = spelledAs.get(key);
    if (earlier !== undefined) throw new NarwhalError('NARWHAL_E_SETTING', `${name} in ${path}: ${earlier} already sets ${key}; keep one of them`);
    spelledAs.set(key, name);
    if (raw === undefined) continue;
    config[key] = validateSetting(key, raw, `${name} in ${path}`);
  }
  return config as UserConfig;
}

let loads = 0;

/** Imports afresh on every call, so that HUP sees an edited file: ESM by a new URL, CommonJS by evicting the cache. */
async function importModule(path: string): Promise<unknown> {
  loads++;
  if (isTypeScript(path)) {
    const namespace = await importTypeScript(path);
    return namespace.default ?? namespace;
  }
  delete createRequire(import.meta.url).cache[path];
  const url = `${pathToFileURL(path).href}${loads > 1 ? `?reload=${loads}` : ''}`;
  const namespace = (await import(url)) as { default?: unknown };
  return namespace.default ?? namespace;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

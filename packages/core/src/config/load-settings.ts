// Design: the settings come from four sources, merged in Gunicorn's precedence, lowest first:
// defaults (some from the environment), the config file, NARWHAL_CMD_ARGS, the command line.
// The source of every value is kept for `--print-config`. The arbiter calls this at start and
// again on HUP, with the same argv and environment.

import { dirname, resolve } from 'node:path';
import { NarwhalError } from '../errors.js';
import { parseArgv, type ParsedArgv } from '../cli/parse-argv.js';
import { findDefaultConfigFile, loadConfigFile } from './load-config-file.js';
import { SETTING_KEYS, specOf, type SettingSpec } from './settings.js';
import { shellSplit } from './shell-split.js';
import { validateSetting } from './validate-setting.js';
import type { SettingKey, Settings, UserConfig } from './types.js';

export type SettingSource = 'default' | 'environment' | 'config file' | 'NARWHAL_CMD_ARGS' | 'command line';

export interface LoadedSettings {
  readonly settings: Settings;
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
  /** The config file that was loaded, absolute, or null. */
  readonly configFile: string | null;
  readonly help: boolean;
  readonly version: boolean;
}

export interface SettingsInput {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The directory the command was started in. */
  readonly cwd: string;
}

export async function loadSettings({ argv, env, cwd }: SettingsInput): Promise<LoadedSettings> {
  const cli = parseArgv(argv);
  const cmdArgs = parseCmdArgs(env.NARWHAL_CMD_ARGS);
  const layers: [SettingSource, UserConfig][] = [
    ['command line', cli.values],
    ['NARWHAL_CMD_ARGS', cmdArgs.values],
  ];
  const early = (key: SettingKey): unknown => cli.values[key] ?? cmdArgs.values[key];

  const startDir = resolve(cwd, (early('chdir') as string | undefined) ?? '.');
  const explicitConfig = early('config') as string | undefined;
  const configFile = explicitConfig !== undefined ? resolve(cwd, explicitConfig) : cli.help || cli.version ? null : findDefaultConfigFile(startDir);
  const fileValues = configFile === null ? {} : await loadConfigFile(configFile);
  layers.push(['config file', fileValues]);

  const settings: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const key of SETTING_KEYS) {
    const layer = layers.find(([, values]) => values[key] !== undefined);
    if (layer) {
      settings[key] = layer[1][key];
      sources[key] = layer[0];
    } else {
      const fromEnv = defaultFromEnvironment(key, env);
      settings[key] = fromEnv ?? defaultValue(specOf(key), env);
      sources[key] = fromEnv === undefined ? 'default' : 'environment';
    }
  }
  // A chdir from the config file is relative to the file, the others to where the command ran.
  settings.chdir = sources.chdir === 'config file' ? resolve(dirname(configFile!), settings.chdir as string) : startDir;
  settings.config = configFile;
  // Gunicorn: more than one thread with the default class means the threaded class.
  if (sources.workerClass === 'default' && (settings.threads as number) > 1) settings.workerClass = 'gthread';

  return { settings: settings as unknown as Settings, sources: sources as Record<SettingKey, SettingSource>, configFile, help: cli.help, version: cli.version };
}

function parseCmdArgs(text: string | undefined): ParsedArgv {
  if (!text) return { values: {}, help: false, version: false };
  let words: string[];
  try {
    words = shellSplit(text);
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_USAGE', `NARWHAL_CMD_ARGS: ${(error as Error).message}`);
  }
  return parseArgv(words, ' in NARWHAL_CMD_ARGS');
}

function defaultFromEnvironment(key: SettingKey, env: NodeJS.ProcessEnv): unknown {
  const name = specOf(key).env;
  const raw = name === undefined ? undefined : env[name];
  return raw === undefined || raw === '' ? undefined : validateSetting(key, raw, name!);
}

function defaultValue(spec: SettingSpec<unknown>, env: NodeJS.ProcessEnv): unknown {
  return typeof spec.default === 'function' && spec.type !== 'hook' ? (spec.default as (env: NodeJS.ProcessEnv) => unknown)(env) : spec.default;
}

/** The settings with every default, for tests and for the docs. */
export function defaultSettings(env: NodeJS.ProcessEnv = {}): Settings {
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) settings[key] = defaultValue(specOf(key), env);
  return settings as unknown as Settings;
}

// Design: the argv parser is generated from the settings schema: every flag spelling in
// SETTINGS is accepted, nothing else is. It takes Gunicorn's shapes: `-w 4`, `-w4`, `--workers 4`,
// `--workers=4`, repeatable list flags, and `--` to end the options.

import { NarwhalError } from '../errors.js';
import { SETTINGS } from '../config/settings.js';
import { closestName } from '../config/setting-names.js';
import { validateSetting } from '../config/validate-setting.js';
import type { SettingKey, Settings, UserConfig } from '../config/types.js';

export interface ParsedArgv {
  readonly values: UserConfig;
  readonly help: boolean;
  readonly version: boolean;
}

const ACTIONS: Record<string, 'help' | 'version'> = { '-h': 'help', '--help': 'help', '-v': 'version', '--version': 'version' };

const FLAG_TO_KEY = new Map<string, SettingKey>();
for (const key of Object.keys(SETTINGS) as SettingKey[]) {
  for (const flag of [...SETTINGS[key].flags, ...(SETTINGS[key].flagAliases ?? [])]) FLAG_TO_KEY.set(flag, key);
}

/**
 * True when `flag` (one of narwhal's spellings, without `=VALUE`) takes `next` as its value;
 * false for a switch, an unknown flag, a short flag with its value attached (`-w4`) or a flag
 * that stands alone when `next` is not one of its values (valueWhenBare).
 */
export function flagTakesValue(flag: string, next: string | undefined): boolean {
  const key = FLAG_TO_KEY.get(flag.startsWith('--') ? flag : flag.slice(0, 2));
  return key !== undefined && (flag.startsWith('--') || flag.length === 2) && takesNext(key, next);
}

/** Whether the flag of `key`, written without `=VALUE`, takes the next argument as its value. */
function takesNext(key: SettingKey, next: string | undefined): boolean {
  const spec = SETTINGS[key];
  if (spec.type === 'boolean' || next === undefined) return false;
  return spec.valueWhenBare === undefined || spec.values?.includes(next) === true;
}

/**
 * @param where appended to labels for values that did not come from the command line itself,
 *   e.g. ' in NARWHAL_CMD_ARGS'
 */
export function parseArgv(argv: readonly string[], where = ''): ParsedArgv {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  let version = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    const action = ACTIONS[arg];
    if (action === 'help') help = true;
    else if (action === 'version') version = true;
    else if (arg.startsWith('-') && arg !== '-') {
      const { flag, key, inline } = splitFlag(arg, where);
      const spec = SETTINGS[key];
      let raw: string | boolean;
      if (spec.type === 'boolean') {
        if (inline !== undefined) throw usage(`${flag} takes no value${where}`);
        raw = true;
      } else if (inline !== undefined) {
        raw = inline;
      } else if (takesNext(key, argv[index + 1])) {
        raw = argv[++index]!;
      } else if (spec.valueWhenBare !== undefined) {
        raw = spec.valueWhenBare;
      } else {
        throw usage(`${flag} needs a value${where}`);
      }
      const value = validateSetting(key, raw, flag + where);
      values[key] = spec.type === 'list' ? [...((values[key] as string[] | undefined) ?? []), ...(value as string[])] : value;
    } else positionals.push(arg);
  }
  if (positionals.length > 1) throw usage(`one APP expected${where}, got ${positionals.length}: ${positionals.join(' ')}`);
  if (positionals[0] !== undefined) values.app = positionals[0];
  return { values: values as Partial<Settings>, help, version };
}

function splitFlag(arg: string, where: string): { flag: string; key: SettingKey; inline: string | undefined } {
  if (arg.startsWith('--')) {
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const key = FLAG_TO_KEY.get(flag);
    if (key === undefined) throw unknownOption(flag, where);
    return { flag, key, inline: equals < 0 ? undefined : arg.slice(equals + 1) };
  }
  // Short flags: `-w4` and `-w=4` carry the value in the same word, as with argparse.
  const flag = arg.slice(0, 2);
  const key = FLAG_TO_KEY.get(flag);
  if (key === undefined) throw unknownOption(flag, where);
  const rest = arg.slice(2);
  return { flag, key, inline: rest === '' ? undefined : rest.replace(/^=/, '') };
}

function unknownOption(flag: string, where: string): NarwhalError {
  const hint = flag.startsWith('--') ? closestName(flag, [...FLAG_TO_KEY.keys()].filter((known) => known.startsWith('--'))) : undefined;
  return usage(`unknown option ${flag}${where}${hint ? ` (did you mean ${hint}?)` : ''}`);
}

function usage(message: string): NarwhalError {
  return new NarwhalError('NARWHAL_E_USAGE', message);
}

// Design: a config key is the camelCase of Gunicorn's setting name (`keepalive`, `accesslog`,
// `accessLogFormat`): that is the one rule. The other spellings people write are accepted
// silently, all derived from the schema: each record's `aliases`, its long flags in camelCase
// (`keepAlive` from `--keep-alive`, `logLevel` from `--log-level`), Gunicorn's snake_case name
// (as in gunicorn.conf.py), and the snake_case of all of these. Anything else is
// unknown and answered with the closest name by edit distance.

import { SETTING_KEYS, specOf } from './settings.js';
import type { SettingKey } from './types.js';

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const camelCase = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Every accepted spelling of `key` other than the key itself. */
export function aliasesOf(key: SettingKey): string[] {
  const spec = specOf(key);
  const camel = [key, ...(spec.aliases ?? []), ...spec.flags.filter((flag) => flag.startsWith('--')).map(camelCase)];
  const names = [...camel, ...(spec.gunicorn === null ? [] : [spec.gunicorn]), ...camel.map(snakeCase)];
  return [...new Set(names)].filter((name) => name !== key);
}

const NAME_TO_KEY = new Map<string, SettingKey>();
for (const key of SETTING_KEYS) NAME_TO_KEY.set(key, key);
for (const key of SETTING_KEYS) {
  for (const alias of aliasesOf(key)) {
    const taken = NAME_TO_KEY.get(alias);
    if (taken !== undefined && taken !== key) throw new Error(`settings schema: '${alias}' names both ${taken} and ${key}`);
    NAME_TO_KEY.set(alias, key);
  }
}

/** The setting a config-file key names, by its key or an alias; undefined when none. */
export function settingKeyFor(name: string): SettingKey | undefined {
  return NAME_TO_KEY.get(name);
}

/** The closest of `known` to a misspelt name, for "did you mean" hints, or undefined when none is close. */
export function closestName(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(unknown.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(unknown.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** The setting key closest to a misspelt config-file key (aliases count, the key is suggested). */
export function suggestSettingKey(unknown: string): SettingKey | undefined {
  const name = closestName(unknown, NAME_TO_KEY.keys());
  return name === undefined ? undefined : NAME_TO_KEY.get(name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

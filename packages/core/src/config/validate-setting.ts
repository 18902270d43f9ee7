// Design: one validator for every source. Command-line and environment values arrive as strings
// and config-file values as JavaScript values; both are coerced and checked against the schema
// record, and a failure is one NARWHAL_E_SETTING line that names where the value came from.

import { NarwhalError } from '../errors.js';
import { specOf, type SettingSpec } from './settings.js';
import type { SettingKey, Settings } from './types.js';

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/**
 * Coerces and checks one value.
 * @param label how the user wrote the setting: `--workers`, `workers in narwhal.config.js`
 */
export function validateSetting<K extends SettingKey>(key: K, raw: unknown, label: string): Settings[K] {
  const spec = specOf(key);
  const problem = (text: string): NarwhalError => new NarwhalError('NARWHAL_E_SETTING', `${label}: ${text}`);
  if (raw === null && spec.nullable) return null as Settings[K];
  const value = coerce(spec, raw, problem);
  const extra = spec.check?.(value);
  if (extra !== undefined) throw problem(extra);
  return value as Settings[K];
}

function coerce(spec: SettingSpec<unknown>, raw: unknown, problem: (text: string) => NarwhalError): unknown {
  switch (spec.type) {
    case 'int':
    case 'number':
      return coerceNumber(spec, raw, problem);
    case 'string':
      if (typeof raw !== 'string') throw problem(`${show(raw)} is not a string`);
      return raw;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw problem(`${show(raw)} is not true or false`);
    case 'enum':
      if (raw === true && spec.valueWhenBare !== undefined) return spec.valueWhenBare;
      if (typeof raw !== 'string' || !spec.values?.includes(raw)) throw problem(`${show(raw)} is not one of ${spec.values?.join(', ')}`);
      return raw;
    case 'list': {
      const list = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) throw problem(`${show(raw)} is not a string or a list of strings`);
      return [...list];
    }
    case 'map': {
      const entries = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? Object.entries(raw) : undefined;
      if (entries === undefined || entries.some(([, value]) => typeof value !== 'string')) throw problem(`${show(raw)} is not an object of strings`);
      return Object.fromEntries(entries);
    }
    case 'hook':
      if (typeof raw !== 'function') throw problem(`${show(raw)} is not a function`);
      if (spec.arity !== undefined && raw.length > spec.arity) {
        throw problem(`the hook declares ${raw.length} parameters; it receives ${spec.arity}`);
      }
      return raw;
  }
}

function coerceNumber(spec: SettingSpec<unknown>, raw: unknown, problem: (text: string) => NarwhalError): number {
  const integer = spec.type === 'int';
  const kind = integer ? 'an integer' : 'a number';
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && (integer ? INTEGER : DECIMAL).test(raw.trim())) value = Number(raw);
  else throw problem(`${show(raw)} is not ${kind}`);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) throw problem(`${show(raw)} is not ${kind}`);
  if (spec.min !== undefined && value < spec.min) throw problem(`${show(raw)} is below the minimum of ${spec.min}`);
  if (spec.max !== undefined && value > spec.max) throw problem(`${show(raw)} is above the maximum of ${spec.max}`);
  return value;
}

function show(raw: unknown): string {
  if (typeof raw === 'string') return `'${raw}'`;
  if (typeof raw === 'function') return 'a function';
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

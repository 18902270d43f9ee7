import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc, renderMigratingDoc, renderSettingsDoc } from '../../src/config/render-docs.js';
import { GUNICORN_SETTINGS, NOT_IN_NARWHAL } from '../../src/config/gunicorn-parity.js';
import { ERROR_CODES, WARNING_CODES } from '../../src/errors.js';
import { SETTING_KEYS, specOf } from '../../src/config/settings.js';

const docs = (name: string): string => readFileSync(new URL(`../../../../apps/docs/${name}`, import.meta.url), 'utf8');

describe('generated docs are up to date (run `pnpm docs:gen` when this fails)', () => {
  it('apps/docs/settings.md documents every setting as the schema says', () => {
    expect(docs('settings.md')).toBe(renderSettingsDoc());
    for (const key of SETTING_KEYS) expect(docs('settings.md')).toContain(`### \`${key}\``);
  });

  it('apps/docs/errors.md has one row per error and warning code, and no other', () => {
    const text = docs('errors.md');
    expect(text).toBe(renderErrorsDoc());
    const documented = [...text.matchAll(/`(NARWHAL_[EW]_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(new Set(documented)).toEqual(new Set([...Object.keys(ERROR_CODES), ...Object.keys(WARNING_CODES)]));
  });

  it('apps/docs/migrating-from-gunicorn.md accounts for every Gunicorn setting once: built, or absent with the reason', () => {
    expect(docs('migrating-from-gunicorn.md')).toBe(renderMigratingDoc());
    const built = new Set(SETTING_KEYS.map((key) => specOf(key).gunicorn).filter((name) => name !== null));
    const gunicorn = GUNICORN_SETTINGS.map(([name]) => name);
    expect(gunicorn.filter((name) => built.has(name) === (NOT_IN_NARWHAL[name] !== undefined))).toEqual([]);
    expect([...built].filter((name) => !gunicorn.includes(name!))).toEqual([]);
    expect(Object.keys(NOT_IN_NARWHAL).filter((name) => !gunicorn.includes(name))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc, renderSettingsDoc } from '../../src/config/render-docs.js';
import { ERROR_CODES, WARNING_CODES } from '../../src/errors.js';
import { SETTING_KEYS } from '../../src/config/settings.js';

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
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandRepeats, loadCorpus } from '../src/corpus.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function corpusOf(group: string, cases: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-corpus-'));
  made.push(dir);
  writeFileSync(join(dir, `${group}.json`), JSON.stringify(cases));
  return dir;
}

const valid = { id: 'g/one', rfc: 'RFC 9112 §3', why: 'a reason', request: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', expect: { status: 400 } };

describe('the corpus', () => {
  it('ships at least 180 well-formed cases with unique ids', () => {
    const cases = loadCorpus();
    expect(cases.length).toBeGreaterThanOrEqual(180);
    expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
  });

  it('expands {{repeat:N:TEXT}} so that limit-sized requests stay readable', () => {
    expect(expandRepeats('a{{repeat:3:xy}}b')).toBe('axyxyxyb');
    expect(loadCorpus().find((testCase) => testCase.id === 'limits/request-line-at-limit')?.request.split('\r\n')[0]).toHaveLength(4094);
  });

  it.each([
    ['an id outside its group', { ...valid, id: 'other/one' }, /must start with "g\/"/],
    ['a character above U+00FF', { ...valid, request: 'GET /\u20ac HTTP/1.1\r\n\r\n' }, /above U\+00FF/],
    ['parts that do not join to the request', { ...valid, parts: ['GET', ' /x'] }, /join/],
    ['two expectations', { ...valid, expect: { status: 400, statuses: [200, 200] } }, /exactly one/],
    ['an unknown key', { ...valid, expected: {} }, /unknown key/],
    ['an app expectation with a typo', { ...valid, expect: { app: { targte: '/' } } }, /unknown key expect\.app\.targte/],
  ])('refuses %s', (_, entry, message) => {
    expect(() => loadCorpus(corpusOf('g', [entry]))).toThrow(message);
  });

  it('refuses a duplicate id', () => {
    expect(() => loadCorpus(corpusOf('g', [valid, valid]))).toThrow(/duplicate id g\/one/);
  });
});

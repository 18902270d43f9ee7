// Design: Gunicorn's three request limits with custom values, at the boundary and one past it,
// judged like corpus cases (the corpus covers the defaults); then the server still serves.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CorpusCase } from '../corpus.js';
import { get } from '../http.js';
import { judgeCase } from '../judge-case.js';
import { describeSuite, kitApp, type Kit } from '../kit.js';
import { runCase } from '../run-case.js';
import { startNarwhal, type NarwhalProcess } from '../start-narwhal.js';

const LINE = 200;
const FIELDS = 5;
const FIELD_SIZE = 100;
const RULE = 'Gunicorn limit_request_* with custom values';

function limitCase(name: string, why: string, request: string, expect: CorpusCase['expect']): CorpusCase {
  return { id: `limits/${name}`, rfc: RULE, why, request, expect };
}

const host = 'Host: example.com\r\n';
const CASES: readonly CorpusCase[] = [
  // `GET /…a HTTP/1.1` is 4 + 1 + n + 9 bytes.
  limitCase('line-at-limit', `a ${LINE}-byte request line is within --limit-request-line ${LINE}`, `GET /${'a'.repeat(LINE - 14)} HTTP/1.1\r\n${host}\r\n`, { app: { method: 'GET' } }),
  limitCase('line-past-limit', `a ${LINE + 1}-byte request line → 414`, `GET /${'a'.repeat(LINE - 13)} HTTP/1.1\r\n${host}\r\n`, { status: 414 }),
  limitCase('fields-at-limit', `${FIELDS} fields (Host included) are within --limit-request-fields ${FIELDS}`, `GET / HTTP/1.1\r\n${host}${'X-F: v\r\n'.repeat(FIELDS - 1)}\r\n`, { app: { method: 'GET' } }),
  limitCase('fields-past-limit', `${FIELDS + 1} fields → 431`, `GET / HTTP/1.1\r\n${host}${'X-F: v\r\n'.repeat(FIELDS)}\r\n`, { status: 431 }),
  // `X-Big: …` is 7 + n bytes.
  limitCase('field-at-limit', `a ${FIELD_SIZE}-byte field line is within --limit-request-field-size ${FIELD_SIZE}`, `GET / HTTP/1.1\r\n${host}X-Big: ${'b'.repeat(FIELD_SIZE - 7)}\r\n\r\n`, { app: { header: ['X-Big', 'b'.repeat(FIELD_SIZE - 7)] } }),
  limitCase('field-past-limit', `a ${FIELD_SIZE + 1}-byte field line → 431`, `GET / HTTP/1.1\r\n${host}X-Big: ${'b'.repeat(FIELD_SIZE - 6)}\r\n\r\n`, { status: 431 }),
];

export function limitsSuite(kit: Kit): void {
  describeSuite(kit, 'limits', `request limits (--limit-request-line ${LINE} --limit-request-fields ${FIELDS} --limit-request-field-size ${FIELD_SIZE})`, () => {
    let narwhal: NarwhalProcess;
    beforeAll(async () => {
      const limits = ['--limit-request-line', String(LINE), '--limit-request-fields', String(FIELDS), '--limit-request-field-size', String(FIELD_SIZE)];
      narwhal = await startNarwhal([...kit.serverArgs, ...limits, kitApp('echo-node.mjs')], { lifetime: 'suite' });
    }, 30_000);
    afterAll(() => narwhal?.stop(2000));

    it.each(CASES.map((testCase) => [testCase.id, testCase] as const))('%s', async (_, testCase) => {
      const verdict = judgeCase(testCase, await runCase(testCase, { port: narwhal.port, keepAlive: kit.keepAlive }), { contract: 'node', keepAlive: kit.keepAlive });
      expect(verdict, testCase.why).toBeUndefined();
      expect(JSON.parse(await get(`${narwhal.url}/after`, { timeoutMs: 1000 })).target, 'the server still serves').toBe('/after');
    });
  });
}

// Every example app under every worker class, from the npm-installed tarballs (npm-project.ts):
// the JSON route, a JSON body round trip, and an error route that answers 500 without a stack
// trace. A combination that cannot work is listed in UNSUPPORTED with its reason, and the docs
// (apps/docs/examples.md) say the same.

import { join } from 'node:path';
import { request, startNarwhal, type NarwhalProcess } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';
import { exampleNames } from './npm-project.js';

const CLASSES = ['sync', 'gthread', 'async', 'uws'] as const;
const project = join(process.env.NARWHAL_FIRST_CONTACT!, 'project');
const appFile = (example: string): string => (example === 'nestjs' ? 'app.ts' : 'app.js');

/** Example × class pairs that do not combine, and why. None so far. */
const UNSUPPORTED: Partial<Record<string, string>> = {};

describe.each(exampleNames())('the %s example', (example) => {
  it.each(CLASSES)('serves under -k %s', async (workerClass) => {
    const reason = UNSUPPORTED[`${example} ${workerClass}`];
    if (reason !== undefined) return void expect(reason).not.toBe('');
    const narwhal = await startNarwhal(['-k', workerClass, '-b', '127.0.0.1:0', appFile(example)], { cwd: join(project, example), timeoutMs: 30_000 });
    expect(narwhal.output()).toContain(`Using worker: ${workerClass} (${workerClass === 'sync' ? '@narwhal/core' : `@narwhal/worker-${workerClass}`})`);
    await checkRoutes(narwhal, example);
  });
});

async function checkRoutes(narwhal: NarwhalProcess, example: string): Promise<void> {
  const json = await request(`${narwhal.url}/json`);
  expect(json.status).toBe(200);
  expect(json.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(json.body)).toMatchObject({ framework: example.replace(/^hello-/, '') });

  const body = { name: 'narwhal', tusks: [1, 2], nested: { ok: true, text: 'é ✓' } };
  const echoed = await request(`${narwhal.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(echoed.status).toBe(200);
  expect(JSON.parse(echoed.body)).toEqual(body);

  const failed = await request(`${narwhal.url}/error`);
  expect(failed.status).toBe(500);
  expect(failed.body).not.toMatch(/\bat .*:\d+:\d+|\/app\.[jt]s|Error: boom/);
}

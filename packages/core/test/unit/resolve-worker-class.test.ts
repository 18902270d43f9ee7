import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkerClass } from '../../src/worker/resolve-worker-class.js';

const CLASS_SOURCE = (name: string): string => `export default { name: '${name}', nativeInterface: 'node', serve() { return { stop: async () => {} }; } };\nexport const Other = { name: 'other-${name}', nativeInterface: 'fetch', serve() { return { stop: async () => {} }; } };\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-resolve-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, type: 'module', ...extra });

describe('-k resolution', () => {
  const dir = project({
    'node_modules/@narwhal/worker-fast/package.json': pkg('@narwhal/worker-fast', { exports: { '.': { import: './dist/index.js' } } }),
    'node_modules/@narwhal/worker-fast/dist/index.js': CLASS_SOURCE('fast'),
    'node_modules/narwhal-worker-foo/package.json': pkg('narwhal-worker-foo', { main: 'main.js' }),
    'node_modules/plain/package.json': pkg('plain', { peerDependencies: { '@narwhal/core': '^0.1.0' } }),
    'node_modules/plain/index.js': CLASS_SOURCE('plain'),
    'node_modules/@narwhal/worker-future/package.json': pkg('@narwhal/worker-future', { peerDependencies: { '@narwhal/core': '^99.0.0' } }),
    'node_modules/@narwhal/worker-future/index.js': CLASS_SOURCE('future'),
    'node_modules/narwhal-worker-foo/main.js': CLASS_SOURCE('foo'),
    'node_modules/@acme/narwhal-worker-bar/package.json': pkg('@acme/narwhal-worker-bar', { exports: './index.js' }),
    'node_modules/@acme/narwhal-worker-bar/index.js': CLASS_SOURCE('bar'),
    'workers/local.mjs': CLASS_SOURCE('local'),
    'workers/bad.mjs': 'export default function serve() {}',
    'node_modules/not-a-worker/package.json': pkg('not-a-worker'),
    'node_modules/not-a-worker/index.js': 'export default { hello: 1 };',
  });

  it.each([
    ['fast', 'fast'],
    ['foo', 'foo'],
    ['narwhal-worker-foo', 'foo'],
    ['@acme/narwhal-worker-bar', 'bar'],
    ['./workers/local.mjs', 'local'],
    ['./workers/local.mjs:Other', 'other-local'],
    ['narwhal-worker-foo:Other', 'other-foo'],
    ['plain', 'plain'],
  ])('-k %s finds the %s class', async (spec, name) => {
    const resolved = await resolveWorkerClass(spec, dir);
    expect(resolved.workerClass.name).toBe(name);
  });

  it('warns when the class was built for another @narwhal/core', async () => {
    expect((await resolveWorkerClass('future', dir)).versionWarning).toMatch(/^worker class 'future' expects @narwhal\/core \^99\.0\.0; this is \d+\.\d+\.\d+ \[NARWHAL_W_WORKER_CLASS_VERSION\]$/);
    expect((await resolveWorkerClass('plain', dir)).versionWarning).toBeNull();
  });

  it('names what it tried and the install command when nothing is found', async () => {
    await expect(resolveWorkerClass('nonesuch', dir)).rejects.toMatchObject({
      code: 'NARWHAL_E_WORKER_CLASS',
      message: "worker class 'nonesuch' not found (tried @narwhal/worker-nonesuch, narwhal-worker-nonesuch, nonesuch); install it with `npm i @narwhal/worker-nonesuch`",
    });
  });

  it('refuses a module that is not a WorkerClass', async () => {
    await expect(resolveWorkerClass('not-a-worker', dir)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: expect.stringContaining('not-a-worker: not a Narwhal worker package); install it with `npm i @narwhal/worker-not-a-worker`') });
    await expect(resolveWorkerClass('./workers/bad.mjs', dir)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: "worker class './workers/bad.mjs': its default export is not a WorkerClass (an object with a name and a serve function)" });
  });
});

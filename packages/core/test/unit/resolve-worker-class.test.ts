import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkerClass } from '../../src/worker/resolve-worker-class.js';
import { SyncWorker } from '../../src/worker/sync-worker.js';

const CLASS_SOURCE = (name: string): string => `export default { name: '${name}', nativeInterface: 'node', serve() { return { stop: async () => {} }; } };\nexport const Other = { name: 'other-${name}', nativeInterface: 'fetch', serve() { return { stop: async () => {} }; } };\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-resolve-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const PEER = { peerDependencies: { '@narwhal/core': '>=0.1.0' } };
const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, type: 'module', ...PEER, ...extra });

describe('-k resolution', () => {
  const dir = project({
    // ESM-only: an `exports` with the import condition alone, which require.resolve cannot read.
    'app/node_modules/@narwhal/worker-fast/package.json': pkg('@narwhal/worker-fast', { exports: { '.': { import: './dist/index.js' } } }),
    'app/node_modules/@narwhal/worker-fast/dist/index.js': CLASS_SOURCE('fast'),
    'app/node_modules/narwhal-worker-foo/package.json': pkg('narwhal-worker-foo', { main: 'main.js' }),
    'app/node_modules/narwhal-worker-foo/main.js': CLASS_SOURCE('foo'),
    'app/node_modules/plain/package.json': pkg('plain', { peerDependencies: { '@narwhal/core': '^0.1.0 || >=0.2.0' } }),
    'app/node_modules/plain/index.js': CLASS_SOURCE('plain'),
    'app/node_modules/@narwhal/worker-future/package.json': pkg('@narwhal/worker-future', { peerDependencies: { '@narwhal/core': '^99.0.0' } }),
    'app/node_modules/@narwhal/worker-future/index.js': CLASS_SOURCE('future'),
    'app/node_modules/@acme/narwhal-worker-bar/package.json': pkg('@acme/narwhal-worker-bar', { exports: './index.js' }),
    'app/node_modules/@acme/narwhal-worker-bar/index.js': CLASS_SOURCE('bar'),
    // Several classes in one package, as subpath exports.
    'app/node_modules/@acme/narwhal-workers/package.json': pkg('@acme/narwhal-workers', { exports: { './hello': { import: './hello.js' }, './package.json': './package.json' } }),
    'app/node_modules/@acme/narwhal-workers/hello.js': CLASS_SOURCE('hello'),
    // A class whose package says nothing about @narwhal/core: used, with a warning.
    'app/node_modules/narwhal-worker-loose/package.json': JSON.stringify({ name: 'narwhal-worker-loose', type: 'module', exports: './index.js' }),
    'app/node_modules/narwhal-worker-loose/index.js': CLASS_SOURCE('loose'),
    'app/node_modules/not-a-worker/package.json': pkg('not-a-worker'),
    'app/node_modules/not-a-worker/index.js': 'export default { hello: 1 };',
    'app/node_modules/not-a-worker-at-all/package.json': JSON.stringify({ name: 'not-a-worker-at-all', main: 'index.js' }),
    'app/node_modules/not-a-worker-at-all/index.js': 'throw new Error("this must never run");',
    'app/node_modules/keyworded/package.json': JSON.stringify({ name: 'keyworded', type: 'module', main: 'index.js', keywords: ['narwhal-worker'] }),
    'app/node_modules/keyworded/index.js': CLASS_SOURCE('keyworded'),
    // Paths are taken from the directory narwhal runs in, not the app's.
    'workers/local.mjs': CLASS_SOURCE('local'),
    'app/workers/local.mjs': CLASS_SOURCE('wrong-local'),
    'workers/bad.mjs': 'export default function serve() {}',
    'workers/half-mebibyte.mjs': "export default { name: 'half', nativeInterface: 'node', semiSpaceMiB: 0.5, serve() {} };",
    'workers/pkg/package.json': pkg('in-a-directory', { exports: { '.': { import: './lib/entry.js' } } }),
    'workers/pkg/lib/entry.js': CLASS_SOURCE('directory'),
  });
  const from = { appDir: join(dir, 'app'), cwd: dir };

  it.each([
    ['fast', 'fast'],
    ['foo', 'foo'],
    ['narwhal-worker-foo', 'foo'],
    ['@acme/narwhal-worker-bar', 'bar'],
    ['@acme/narwhal-workers/hello', 'hello'],
    ['@acme/narwhal-workers/hello:Other', 'other-hello'],
    ['./workers/local.mjs', 'local'],
    ['./workers/local', 'local'],
    [join(dir, 'workers/local.mjs'), 'local'],
    ['./workers/pkg', 'directory'],
    ['./workers/local.mjs:Other', 'other-local'],
    ['narwhal-worker-foo:Other', 'other-foo'],
    ['plain', 'plain'],
  ])('-k %s finds the %s class', async (spec, name) => {
    const resolved = await resolveWorkerClass(spec, from);
    expect(resolved.workerClass.name).toBe(name);
    expect(resolved.versionWarning).toBeNull();
  });

  it('serves -k sync from core itself, whatever is installed', async () => {
    const resolved = await resolveWorkerClass('sync', from);
    expect(resolved.workerClass).toBe(SyncWorker);
    expect(resolved.location).toEqual({ builtIn: 'sync' });
  });

  it('warns when the class was built for another @narwhal/core', async () => {
    expect((await resolveWorkerClass('future', from)).versionWarning).toMatch(/^worker class 'future' expects @narwhal\/core \^99\.0\.0; this is \d+\.\d+\.\d+ \[NARWHAL_W_WORKER_CLASS_VERSION\]$/);
  });

  it('accepts a package that does not declare @narwhal/core, with a warning', async () => {
    const resolved = await resolveWorkerClass('loose', from);
    expect(resolved.workerClass.name).toBe('loose');
    expect(resolved.versionWarning).toMatch(/^worker class 'loose' \(narwhal-worker-loose\) does not declare @narwhal\/core as a peer dependency, so nothing says it works with \S+ \[NARWHAL_W_WORKER_CLASS_PEER\]$/);
  });

  it('names what it tried and the install command when nothing is found', async () => {
    await expect(resolveWorkerClass('nonesuch', from)).rejects.toMatchObject({
      code: 'NARWHAL_E_WORKER_CLASS',
      message: "worker class 'nonesuch' not found (tried @narwhal/worker-nonesuch, narwhal-worker-nonesuch, nonesuch); install it with `npm i @narwhal/worker-nonesuch`",
    });
    await expect(resolveWorkerClass('gthread', { appDir: dir, cwd: dir })).rejects.toMatchObject({ message: expect.stringContaining('install it with `npm i @narwhal/worker-gthread`') });
    await expect(resolveWorkerClass('@acme/other-workers/hello', from)).rejects.toMatchObject({ message: expect.stringContaining('install it with `npm i @acme/other-workers`') });
    await expect(resolveWorkerClass('./workers/nope.js', from)).rejects.toMatchObject({ message: `worker class './workers/nope.js' not found (tried ./workers/nope.js); no such file from ${dir}` });
  });

  it('says so when a package is there but does not export the subpath', async () => {
    await expect(resolveWorkerClass('@acme/narwhal-workers/bye', from)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: expect.stringMatching(/^worker class '@acme\/narwhal-workers\/bye': .*'\.\/bye' is not defined by "exports"/) });
  });

  it('imports a same-named package for a short name only when it says it is a worker class', async () => {
    await expect(resolveWorkerClass('not-a-worker-at-all', from)).rejects.toMatchObject({
      message: "worker class 'not-a-worker-at-all' not found (tried @narwhal/worker-not-a-worker-at-all, narwhal-worker-not-a-worker-at-all, not-a-worker-at-all); not-a-worker-at-all is installed but neither depends on @narwhal/core nor has the narwhal-worker keyword; `-k not-a-worker-at-all:default` uses it anyway; install it with `npm i @narwhal/worker-not-a-worker-at-all`",
    });
    expect((await resolveWorkerClass('keyworded', from)).workerClass.name).toBe('keyworded');
  });

  it('refuses a module that is not a WorkerClass', async () => {
    await expect(resolveWorkerClass('not-a-worker', from)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: "worker class 'not-a-worker': its default export is not a WorkerClass (an object with a name and a serve function)" });
    await expect(resolveWorkerClass('./workers/bad.mjs', from)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: "worker class './workers/bad.mjs': its default export is not a WorkerClass (an object with a name and a serve function)" });
  });

  it("refuses a young generation node's --max-semi-space-size cannot take", async () => {
    await expect(resolveWorkerClass('./workers/half-mebibyte.mjs', from)).rejects.toMatchObject({ code: 'NARWHAL_E_WORKER_CLASS', message: "worker class './workers/half-mebibyte.mjs': semiSpaceMiB must be a whole number of MiB, 1 or more, not 0.5" });
  });
});

// Design: `-k` resolution, in the documented order (README, apps/docs/writing-a-worker-class.md):
//   1. a class built into core (`sync`, the default), as Gunicorn's SUPPORTED_WORKERS;
//   2. a short name NAME → @narwhal/worker-NAME, then narwhal-worker-NAME, then NAME as a package;
//   3. a package name, with a subpath if its `exports` has one (`@acme/narwhal-workers/hello`);
//   4. MODULE:EXPORT, for a class that is not the module's default export.
// A path (`./my-worker.js`, `/abs/worker`) is taken from the directory narwhal runs in (`--chdir`),
// as a user typing a path expects. Packages are resolved as `import()` would from the app's
// directory, then from that directory, then from core's own install, so a worker package installed
// beside the app or beside core is found. A miss names every candidate and the install command.
// The arbiter resolves (the class's capabilities decide how it binds); the worker imports the
// same location.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NarwhalError } from '../errors.js';
import { isPathLike, packageName, resolvePackage, resolvePath } from '../app/resolve-module.js';
import type { WorkerClass } from './contract.js';
import type { WorkerClassLocation } from './protocol.js';
import { SyncWorker } from './sync-worker.js';
import { satisfiesRange } from './version-range.js';
import { VERSION } from '../version.js';

/** The classes core itself provides, by `-k` name. */
const BUILT_IN_CLASSES: Readonly<Record<string, WorkerClass>> = { sync: SyncWorker };

/** The package that provides each first-party class (`sync` comes with core). */
export const WORKER_PACKAGES: Readonly<Record<string, string>> = {
  sync: '@narwhal/core',
  gthread: '@narwhal/worker-gthread',
  async: '@narwhal/worker-async',
  uws: '@narwhal/worker-uws',
};

const SHORT_NAME = /^[a-z0-9][a-z0-9._-]*$/i;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

export interface ResolvedWorkerClass {
  readonly workerClass: WorkerClass;
  readonly location: WorkerClassLocation;
  /** What `-k` said and where it led, for the "Using worker" line. */
  readonly description: string;
  /** Set when the class may not match the running core (NARWHAL_W_WORKER_CLASS_VERSION, _PEER). */
  readonly versionWarning: string | null;
}

/** Where to look: the app's directory, the directory narwhal runs in. */
export interface ResolveFrom {
  readonly appDir: string;
  readonly cwd: string;
}

interface Candidate {
  readonly module: string;
  readonly exportName: string | null;
}

function candidatesFor(spec: string): Candidate[] {
  const colon = spec.lastIndexOf(':');
  if (colon > 0 && EXPORT_NAME.test(spec.slice(colon + 1))) return [{ module: spec.slice(0, colon), exportName: spec.slice(colon + 1) }];
  if (SHORT_NAME.test(spec) && !spec.startsWith('narwhal-worker-')) {
    return [...new Set([`@narwhal/worker-${spec}`, `narwhal-worker-${spec}`, spec])].map((module) => ({ module, exportName: null }));
  }
  return [{ module: spec, exportName: null }];
}

const coreDir = dirname(fileURLToPath(import.meta.url));

/** Finds, imports and checks the worker class named by `-k`. */
export async function resolveWorkerClass(spec: string, from: ResolveFrom): Promise<ResolvedWorkerClass> {
  const builtIn = BUILT_IN_CLASSES[spec];
  if (builtIn !== undefined) return { workerClass: builtIn, location: { builtIn: spec }, description: `${spec} (@narwhal/core)`, versionWarning: null };
  const candidates = candidatesFor(spec);
  const notes: string[] = [];
  for (const candidate of candidates) {
    const file = await locate(spec, candidate.module, from);
    if (file === null) continue;
    // A short name that falls through to a package of the same name imports only a package that
    // says it is a worker class, or `-k turbo` would run the build tool's CLI in the arbiter.
    // Named explicitly (`-k turbo:default`, a full name), any package is tried.
    if (candidates.length > 1 && candidate.module === spec && !looksLikeWorkerPackage(packageManifest(file))) {
      notes.push(`${spec} is installed but neither depends on @narwhal/core nor has the narwhal-worker keyword; \`-k ${spec}:default\` uses it anyway`);
      continue;
    }
    const location = { url: pathToFileURL(file).href, exportName: candidate.exportName };
    const workerClass = await importWorkerClass(location, spec);
    return {
      workerClass,
      location,
      description: `${workerClass.name} (${candidate.module}${candidate.exportName ? `:${candidate.exportName}` : ''})`,
      versionWarning: isPathLike(candidate.module) ? null : versionWarning(spec, candidate.module, file),
    };
  }
  const tried = candidates.map((candidate) => candidate.module).join(', ');
  const first = candidates[0]!.module;
  const hint = isPathLike(first) ? `no such file from ${from.cwd}` : `install it with \`npm i ${WORKER_PACKAGES[spec] ?? packageName(first)}\``;
  throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}' not found (tried ${tried}); ${[...notes, hint].join('; ')}`);
}

/** The file a candidate names, or null when it is not there. */
async function locate(spec: string, module: string, from: ResolveFrom): Promise<string | null> {
  if (isPathLike(module)) return resolvePath(module, from.cwd);
  try {
    for (const dir of new Set([from.appDir, from.cwd, coreDir])) {
      const file = await resolvePackage(module, dir);
      if (file !== null) return file;
    }
    return null;
  } catch (error) {
    // Installed, but unusable as named (e.g. a subpath its `exports` does not list): say so.
    throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}': ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

interface Manifest {
  readonly name?: string;
  readonly keywords?: string[];
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

function looksLikeWorkerPackage(manifest: Manifest | undefined): boolean {
  return coreRange(manifest) !== undefined || (Array.isArray(manifest?.keywords) && manifest.keywords.includes('narwhal-worker'));
}

/** The @narwhal/core range a package declares, as a peer or a plain dependency. */
function coreRange(manifest: Manifest | undefined): string | undefined {
  return manifest?.peerDependencies?.['@narwhal/core'] ?? manifest?.dependencies?.['@narwhal/core'];
}

/** The package.json of the package holding `file` (the nearest one with a name). */
function packageManifest(file: string): Manifest | undefined {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (typeof manifest.name === 'string') return manifest;
  }
  return undefined;
}

function versionWarning(spec: string, module: string, file: string): string | null {
  const manifest = packageManifest(file);
  const range = coreRange(manifest);
  // A class from core itself (`-k @narwhal/core/worker:SyncWorker`) matches it by definition.
  if (manifest?.name === '@narwhal/core') return null;
  if (range === undefined) {
    return `worker class '${spec}' (${manifest?.name ?? packageName(module)}) does not declare @narwhal/core as a peer dependency, so nothing says it works with ${VERSION} [NARWHAL_W_WORKER_CLASS_PEER]`;
  }
  if (satisfiesRange(VERSION, range) !== false) return null;
  return `worker class '${spec}' expects @narwhal/core ${range}; this is ${VERSION} [NARWHAL_W_WORKER_CLASS_VERSION]`;
}

/** Imports a resolved worker class and checks that it implements the contract. */
export async function importWorkerClass(location: WorkerClassLocation, spec: string): Promise<WorkerClass> {
  if ('builtIn' in location) return BUILT_IN_CLASSES[location.builtIn]!;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(location.url)) as Record<string, unknown>;
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}' failed to load: ${(error as Error).message?.split('\n')[0]}`, { cause: error });
  }
  const exported = location.exportName === null ? namespace.default : namespace[location.exportName];
  const candidate = exported as Partial<WorkerClass> | undefined;
  if (typeof candidate?.serve !== 'function' || typeof candidate.name !== 'string') {
    const what = location.exportName === null ? 'its default export' : `its export ${location.exportName}`;
    throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}': ${what} is not a WorkerClass (an object with a name and a serve function)`);
  }
  const semiSpace = candidate.semiSpaceMiB;
  if (semiSpace !== undefined && !(Number.isInteger(semiSpace) && semiSpace >= 1)) {
    throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}': semiSpaceMiB must be a whole number of MiB, 1 or more, not ${String(semiSpace)}`);
  }
  return candidate as WorkerClass;
}

// Design: `-k` resolution, in the order DESIGN.md §2.3 gives:
//   1. a short name → @narwhal/worker-NAME (then narwhal-worker-NAME, then NAME as a package)
//   2. a package name (`narwhal-worker-foo`, `@acme/narwhal-worker-foo`)
//   3. MODULE:EXPORT
//   4. a relative or absolute file path
// Each candidate is looked up from the app's directory, then from core's own install, so a
// worker package installed beside the app or beside core is found. A miss names every
// candidate and the install command. The arbiter resolves (the class's capabilities decide how
// it binds); the worker imports the same file URL.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NarwhalError } from '../errors.js';
import { isPathLike, resolveModule } from '../app/resolve-module.js';
import type { WorkerClass } from './contract.js';
import type { WorkerClassLocation } from './protocol.js';
import { satisfiesRange } from './version-range.js';
import { VERSION } from '../version.js';

/** The built-in classes, as Gunicorn's SUPPORTED_WORKERS. */
export const WORKER_PACKAGES: Readonly<Record<string, string>> = {
  sync: '@narwhal/worker-sync',
  gthread: '@narwhal/worker-gthread',
  async: '@narwhal/worker-async',
  uws: '@narwhal/worker-uws',
};

const SHORT_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

export interface ResolvedWorkerClass {
  readonly workerClass: WorkerClass;
  readonly location: WorkerClassLocation;
  /** What `-k` said and where it led, for the "Using worker" line. */
  readonly description: string;
  /** Set when the class was built for another @narwhal/core (NARWHAL_W_WORKER_CLASS_VERSION). */
  readonly versionWarning: string | null;
}

interface Candidate {
  readonly module: string;
  readonly exportName: string | null;
}

function candidatesFor(spec: string): Candidate[] {
  const colon = spec.lastIndexOf(':');
  if (colon > 0 && /^[A-Za-z_$][\w$]*$/.test(spec.slice(colon + 1))) return [{ module: spec.slice(0, colon), exportName: spec.slice(colon + 1) }];
  if (isPathLike(spec) || spec.startsWith('narwhal-worker-')) return [{ module: spec, exportName: null }];
  if (SHORT_NAME.test(spec)) {
    const names = [WORKER_PACKAGES[spec] ?? `@narwhal/worker-${spec}`, `narwhal-worker-${spec}`, spec];
    return [...new Set(names)].map((module) => ({ module, exportName: null }));
  }
  return [{ module: spec, exportName: null }];
}

function installHint(candidates: readonly Candidate[]): string {
  const first = candidates[0]!.module;
  return isPathLike(first) ? 'check the path' : `install it with \`npm i ${first}\``;
}

const coreDir = dirname(fileURLToPath(import.meta.url));

/** Finds, imports and checks the worker class named by `-k`. */
export async function resolveWorkerClass(spec: string, appDir: string): Promise<ResolvedWorkerClass> {
  const candidates = candidatesFor(spec);
  const tried: string[] = [];
  for (const candidate of candidates) {
    const file = resolveModule(candidate.module, appDir) ?? (isPathLike(candidate.module) ? null : resolveModule(candidate.module, coreDir));
    if (file === null) {
      tried.push(candidate.module);
      continue;
    }
    // A short name that falls through to a package of the same name must be a Narwhal worker
    // package, or `-k turbo` would import the build tool: never run an unrelated package's code.
    const manifest = nearestManifest(file);
    const isLastResort = candidates.length > 1 && candidate === candidates[candidates.length - 1];
    if (isLastResort && coreRange(manifest) === undefined) {
      tried.push(`${candidate.module}: not a Narwhal worker package`);
      continue;
    }
    const location = { url: pathToFileURL(file).href, exportName: candidate.exportName };
    const workerClass = await importWorkerClass(location, spec);
    return {
      workerClass,
      location,
      description: `${workerClass.name} (${candidate.module}${candidate.exportName ? `:${candidate.exportName}` : ''})`,
      versionWarning: versionWarning(spec, coreRange(manifest)),
    };
  }
  throw new NarwhalError('NARWHAL_E_WORKER_CLASS', `worker class '${spec}' not found (tried ${tried.join(', ')}); ${installHint(candidates)}`);
}

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/** The package.json of the package holding `file`. */
function nearestManifest(file: string): Manifest | undefined {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  }
  return undefined;
}

/** The @narwhal/core range a package declares, as a peer or a plain dependency. */
function coreRange(manifest: Manifest | undefined): string | undefined {
  return manifest?.peerDependencies?.['@narwhal/core'] ?? manifest?.dependencies?.['@narwhal/core'];
}

function versionWarning(spec: string, range: string | undefined): string | null {
  if (range === undefined || satisfiesRange(VERSION, range) !== false) return null;
  return `worker class '${spec}' expects @narwhal/core ${range}; this is ${VERSION} [NARWHAL_W_WORKER_CLASS_VERSION]`;
}

/** Imports a resolved worker class and checks that it implements the contract. */
export async function importWorkerClass(location: WorkerClassLocation, spec: string): Promise<WorkerClass> {
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
  return candidate as WorkerClass;
}

// The common case of Node's ESM package resolution, decided by hand: a bare specifier naming a
// package's main entry (no subpath) whose `exports` maps it to one file through plain
// conditions. That covers every worker class package we know of. The arbiter resolves `-k` once
// at start-up and on HUP, and import-meta-resolve (the full algorithm) costs it about 5 MiB of
// RSS, measured by loading it into a `-k sync` arbiter at rest: 49.6 → 54.8 MiB. Anything else (a
// subpath, patterns, arrays, `main` without `exports`, a target that is not there) returns
// undefined and goes to the full algorithm, which also words the errors. A unit test checks
// this path against import-meta-resolve over every package installed in the repository.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The conditions `import()` matches in a worker, in the order Node checks a conditions object. */
const CONDITIONS = new Set(['node', 'import', 'default']);

/**
 * The file `import(specifier)` from a module in `fromDir` loads; null when no such package is
 * installed there (the `-k` candidates that are not installed are the usual case); undefined when
 * this path cannot tell.
 */
export function resolvePackageEntry(specifier: string, fromDir: string): string | null | undefined {
  if (!isPackageName(specifier) || isOwnScope(specifier, fromDir)) return undefined;
  const packageDir = findPackageDir(specifier, fromDir);
  if (packageDir === null) return null;
  let manifest: Manifest | undefined;
  try {
    manifest = readManifest(packageDir);
  } catch {
    return undefined;
  }
  if (manifest === undefined) return undefined;
  const target = conditionalTarget(mainExport(manifest.exports));
  if (target === undefined || !target.startsWith('./') || target.includes('*') || target.includes('/../')) return undefined;
  const file = join(packageDir, target);
  return existsSync(file) ? realpathSync(file) : undefined;
}

/** `name` or `@scope/name`, nothing after it. */
function isPackageName(specifier: string): boolean {
  return /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/i.test(specifier) && !specifier.startsWith('node:');
}

/** A module inside package `name` importing `name` resolves to itself (Node's self-reference): left to the full algorithm. */
function isOwnScope(name: string, fromDir: string): boolean {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    try {
      const manifest = readManifest(dir);
      if (manifest !== undefined) return manifest.name === name;
    } catch {
      return true;
    }
    if (dirname(dir) === dir) return false;
  }
}

export interface Manifest {
  readonly name?: unknown;
  readonly exports?: unknown;
}

/** The package.json in `dir`; undefined when there is none; throws when it is not JSON. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, 'package.json');
  return isFile(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
}

export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** node_modules/<name> in `fromDir` or the nearest parent that has it, as Node looks; null when none has. */
function findPackageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** What `exports` maps "." to: the whole value when it is sugar for ".", else its "." key. */
function mainExport(exports: unknown): unknown {
  if (typeof exports === 'string' || exports === null || typeof exports !== 'object' || Array.isArray(exports)) return exports;
  const keys = Object.keys(exports);
  if (keys.length > 0 && keys.every((key) => !key.startsWith('.'))) return exports;
  return (exports as Record<string, unknown>)['.'];
}

/** Walks a conditions object in key order, as Node does; undefined for shapes left to the full algorithm. */
function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [condition, inner] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    // A matching condition whose value does not resolve falls through to the next key in Node,
    // except that null stops the search; both cases are rare enough to hand over.
    return conditionalTarget(inner);
  }
  return undefined;
}

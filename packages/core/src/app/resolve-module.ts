// Design: turn a module name into a file the way `import()` would, for the app and for
// third-party worker classes. Packages go through Node's ESM resolution algorithm
// (import-meta-resolve is Node's own resolver, from any parent directory, which
// `import.meta.resolve` only allows behind a flag): `exports` with its conditions and
// subpaths, `main`, scopes. Paths are what the user typed, tried as written, then with the
// extensions `node` and jiti load, so that `narwhal app` finds ./app.js as Gunicorn's `app`
// finds app.py. A directory is the package in it, resolved as that package resolves itself.
// import-meta-resolve is loaded only when a package name is resolved and the common case
// (package-exports.ts) cannot decide it: it costs about 5 MiB a process.

import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isFile, readManifest, resolvePackageEntry } from './package-exports.js';

const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

export function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier) || specifier.includes('\\');
}

/** The absolute file `specifier` names from `fromDir` (a path, a local file, or a package), or null. */
export async function resolveModule(specifier: string, fromDir: string): Promise<string | null> {
  if (isPathLike(specifier)) return resolvePath(specifier, fromDir);
  const local = await resolvePath(specifier, fromDir);
  if (local !== null && !specifier.startsWith('@')) return local; // `narwhal app` for ./app.js, as Gunicorn's `app` for app.py
  return resolvePackage(specifier, fromDir);
}

/** A file path (or a package directory), relative to `fromDir`, or null. */
export async function resolvePath(path: string, fromDir: string): Promise<string | null> {
  const base = resolve(fromDir, path);
  for (const extension of EXTENSIONS) {
    if (isFile(base + extension)) return base + extension;
  }
  return isDirectory(base) ? resolveDirectory(base) : null;
}

/**
 * A package specifier (`name`, `@scope/name`, `@scope/name/subpath`) as `import()` in a module
 * of `fromDir` would resolve it; null when the package is not installed there. A package that is
 * installed but cannot serve the specifier (a subpath it does not export) throws Node's error.
 */
export async function resolvePackage(specifier: string, fromDir: string): Promise<string | null> {
  const common = resolvePackageEntry(specifier, fromDir);
  if (common !== undefined) return common;
  const { resolve: resolveImport } = await import('import-meta-resolve');
  try {
    const url = resolveImport(specifier, pathToFileURL(join(fromDir, 'noop.js')).href);
    return url.startsWith('file:') ? fileURLToPath(url) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}

/** The package name of a specifier: `@acme/workers/hello` → `@acme/workers`. */
export function packageName(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

async function resolveDirectory(dir: string): Promise<string | null> {
  const manifest = readManifest(dir);
  // A package with `exports` resolves itself by name (Node's self-reference), conditions and all.
  if (typeof manifest?.name === 'string' && manifest.exports !== undefined) return resolvePackage(manifest.name, dir);
  try {
    return createRequire(join(dir, 'noop.js')).resolve(dir); // `main`, then index.js
  } catch {
    return null;
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

// Design: turn a module name into a file, the way `node` would from a given directory, for
// both the app and third-party worker classes. Paths are tried as written, then with .js, .mjs,
// .cjs; packages go through require.resolve, and, for ESM-only packages whose `exports` has no
// "require" condition, through a small reading of their package.json `exports` with the
// node/import/default conditions.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const EXTENSIONS = ['', '.js', '.mjs', '.cjs'];
const CONDITIONS = ['node', 'import', 'default'];

export function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier) || specifier.includes('\\');
}

/** The absolute file `specifier` names from `fromDir`, or null. */
export function resolveModule(specifier: string, fromDir: string): string | null {
  if (isPathLike(specifier)) return resolveFile(resolve(fromDir, specifier));
  const local = resolveFile(resolve(fromDir, specifier));
  if (local !== null && !specifier.startsWith('@')) return local; // `narwhal app` for ./app.js, as Gunicorn's `app` for app.py
  return resolvePackage(specifier, fromDir);
}

function resolveFile(base: string): string | null {
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (isFile(candidate)) return candidate;
  }
  if (isDirectory(base)) {
    const fromManifest = packageEntry(base, '.');
    if (fromManifest !== null) return fromManifest;
    return resolveFile(join(base, 'index'));
  }
  return null;
}

function resolvePackage(specifier: string, fromDir: string): string | null {
  try {
    return createRequire(join(fromDir, 'noop.js')).resolve(specifier);
  } catch {
    // fall through to the ESM-only lookup
  }
  const [name, subpath] = splitPackageSpecifier(specifier);
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const packageDir = join(dir, 'node_modules', name);
    if (isDirectory(packageDir)) return packageEntry(packageDir, subpath);
    if (dirname(dir) === dir) return null;
  }
}

function splitPackageSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts).join('/');
  return [name, rest === '' ? '.' : `./${rest}`];
}

function packageEntry(packageDir: string, subpath: string): string | null {
  const manifestPath = join(packageDir, 'package.json');
  if (!isFile(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string; module?: string };
  if (manifest.exports !== undefined) {
    const target = exportTarget(manifest.exports, subpath);
    return target === null ? null : resolveFile(resolve(packageDir, target));
  }
  if (subpath !== '.') return resolveFile(resolve(packageDir, subpath));
  return resolveFile(resolve(packageDir, manifest.main ?? 'index'));
}

function exportTarget(exports: unknown, subpath: string): string | null {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = pickCondition(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof entry === 'object' && entry !== null) {
    for (const [condition, value] of Object.entries(entry)) {
      if (CONDITIONS.includes(condition)) {
        const found = pickCondition(value);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

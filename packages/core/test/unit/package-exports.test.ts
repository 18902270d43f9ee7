import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as fullResolve } from 'import-meta-resolve';
import { describe, expect, it } from 'vitest';
import { resolvePackageEntry } from '../../src/app/package-exports.js';

const STORE = join(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules/.pnpm');

/** Every package pnpm installed, with a directory from which `import(name)` finds it. */
function installedPackages(): { name: string; fromDir: string }[] {
  const found: { name: string; fromDir: string }[] = [];
  for (const entry of readdirSync(STORE)) {
    const modules = join(STORE, entry, 'node_modules');
    let names: string[];
    try {
      names = readdirSync(modules);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const scoped = name.startsWith('@') ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name];
      // A directory below the store entry: Node looks in <entry>/node_modules from there.
      for (const full of scoped) found.push({ name: full, fromDir: join(STORE, entry, 'src') });
    }
  }
  return found;
}

function fullAlgorithm(name: string, fromDir: string): string | undefined {
  try {
    const url = fullResolve(name, pathToFileURL(join(fromDir, 'noop.js')).href);
    return url.startsWith('file:') ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

describe('the common case of package resolution', () => {
  it('agrees with the full ESM algorithm on every installed package it decides, and decides most', () => {
    const packages = installedPackages();
    const disagreements: string[] = [];
    let decided = 0;
    for (const { name, fromDir } of packages) {
      const common = resolvePackageEntry(name, fromDir);
      if (common === undefined) continue;
      expect(common, name).not.toBeNull(); // every package here is installed
      decided += 1;
      const full = fullAlgorithm(name, fromDir);
      if (common !== full) disagreements.push(`${name}: ${common} vs ${full}`);
    }
    expect(disagreements).toEqual([]);
    expect(packages.length).toBeGreaterThan(200);
    expect(decided).toBeGreaterThan(200); // 462 of 1538 on the lockfile this was written against
  });

  it('leaves subpaths, self-references and packages without exports to the full algorithm', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
    expect(resolvePackageEntry('@narwhal/core', root)).toBeUndefined(); // the package itself
    expect(resolvePackageEntry('pino/file', root)).toBeUndefined();
    expect(resolvePackageEntry('./app.js', root)).toBeUndefined();
  });

  it('says a package that is not installed is not, without the full algorithm', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
    expect(resolvePackageEntry('no-such-package-here', root)).toBeNull();
    expect(fullAlgorithm('no-such-package-here', root)).toBeUndefined();
    expect(resolvePackageEntry('@narwhal/worker-async', '/')).toBeNull();
  });

  it('finds the first-party worker classes as import() does', () => {
    const bench = join(dirname(fileURLToPath(import.meta.url)), '../../../../apps/bench');
    for (const name of ['@narwhal/worker-async', '@narwhal/worker-gthread', '@narwhal/worker-uws']) {
      const common = resolvePackageEntry(name, bench);
      expect(common, name).toBeDefined();
      expect(common).toBe(fullAlgorithm(name, bench));
    }
  });
});

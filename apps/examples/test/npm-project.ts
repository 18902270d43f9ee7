// Design: what a new user does, from this repository's sources: `pnpm pack` every public package
// (and the example worker class) into tarballs, `npm init -y` an empty project outside the
// repository (so nothing resolves to a workspace link), and `npm i` the tarballs with every
// example's own dependencies, once. Each example's directory is copied into the project.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES_DIR = fileURLToPath(new URL('../', import.meta.url));
const PNPM = ['-y', 'pnpm@10.34.8'];

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly dependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The example apps: every directory of apps/examples with an app file. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((name) => existsSync(join(EXAMPLES_DIR, name, 'app.js')) || existsSync(join(EXAMPLES_DIR, name, 'app.ts')));
}

/** The packages npm users install: the public ones, and the example worker class. */
function packedDirs(): string[] {
  const packages = readdirSync(join(REPO, 'packages'))
    .map((name) => join(REPO, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && readManifest(dir).private !== true);
  return [...packages, join(EXAMPLES_DIR, 'custom-worker')];
}

/** Packs each package with pnpm (which writes real versions for `workspace:` ranges); returns name → tarball. */
export async function packAll(destination: string): Promise<Map<string, string>> {
  mkdirSync(destination, { recursive: true });
  const tarballs = new Map<string, string>();
  await Promise.all(
    packedDirs().map(async (dir) => {
      const { stdout } = await run('npx', [...PNPM, 'pack', '--pack-destination', destination], { cwd: dir });
      tarballs.set(readManifest(dir).name, stdout.trim().split('\n').pop()!.trim());
    }),
  );
  return tarballs;
}

/** The examples' own dependencies, without the workspace packages (they come from the tarballs). */
function exampleDependencies(): string[] {
  const specs = new Map<string, string>();
  for (const name of exampleNames()) {
    for (const [dependency, range] of Object.entries(readManifest(join(EXAMPLES_DIR, name)).dependencies ?? {})) {
      if (!range.startsWith('workspace:')) specs.set(dependency, range);
    }
  }
  return [...specs].map(([dependency, range]) => `${dependency}@${range}`);
}

/** `npm init -y`, then `npm i` of the given tarballs and package specs. */
export async function npmProject(dir: string, installs: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('npm', ['init', '-y'], { cwd: dir });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...installs], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}

/** The project every example runs in: all tarballs, all examples' dependencies, the examples' files. */
export async function examplesProject(dir: string, tarballs: Map<string, string>): Promise<void> {
  await npmProject(dir, [...tarballs.values(), ...exampleDependencies()]);
  for (const name of exampleNames()) {
    cpSync(join(EXAMPLES_DIR, name), join(dir, name), { recursive: true, filter: (source) => !source.includes('node_modules') });
  }
}

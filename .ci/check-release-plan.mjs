// CI: the release plan must be what the changesets say. Every public package is released in
// lockstep (`fixed`), at the current version bumped by the largest bump any changeset asks for:
// a 0.x minor must come out as 0.2.0, never as 1.0.0 (changesets makes a peer dependent major
// when the new core leaves its peer range; see the `0.x` peer ranges and
// onlyUpdatePeerDependentsWhenOutOfRange in .changeset/config.json). Prints one line per problem.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const semver = createRequire(join(root, 'packages/core/package.json'))('semver');
const RANK = { none: 0, patch: 1, minor: 2, major: 3 };

const publicPackages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir, 'package.json'))
  .filter((path) => existsSync(path))
  .map((path) => JSON.parse(readFileSync(path, 'utf8')))
  .filter((manifest) => manifest.private !== true);

const output = join(mkdtempSync(join(tmpdir(), 'narwhal-release-plan-')), 'status.json');
execFileSync(join(root, 'node_modules/.bin/changeset'), ['status', '--output', output], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const status = JSON.parse(readFileSync(output, 'utf8'));

const names = new Set(publicPackages.map((manifest) => manifest.name));
const asked = status.changesets.flatMap((changeset) => changeset.releases).filter((release) => names.has(release.name));
const bump = asked.reduce((largest, release) => (RANK[release.type] > RANK[largest] ? release.type : largest), 'none');
const current = new Set(publicPackages.map((manifest) => manifest.version));
const problems = [];
if (current.size !== 1) problems.push(`public packages are not in lockstep: versions ${[...current].join(', ')}`);
const [version] = current;
const expected = bump === 'none' ? version : semver.inc(version, bump);
for (const manifest of publicPackages) {
  const release = status.releases.find((candidate) => candidate.name === manifest.name);
  const planned = release?.newVersion ?? manifest.version;
  if (planned !== expected) problems.push(`${manifest.name} would be released as ${planned} (${release?.type ?? 'none'}); the changesets ask for ${expected} (${bump})`);
}
for (const problem of problems) console.error(`release plan: ${problem}`);
if (problems.length === 0) console.log(`release plan: ${publicPackages.length} public packages at ${expected} (${bump}), as the changesets ask`);
process.exit(problems.length === 0 ? 0 : 1);

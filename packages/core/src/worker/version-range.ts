// Design: worker packages declare the @narwhal/core they were built for as a (peer) dependency
// range; the arbiter compares it with the running core and warns on a mismatch (vitest warns on
// mixed versions, Fastify checks plugin ranges). npm's own `semver` decides, so a range means
// here what it means to the package manager that installed it; a range it cannot read
// (`workspace:^`, a tag) answers undefined: "cannot tell", and nothing is said.
// semver weighs about 6 MiB in a process, and the arbiter loads only what it runs: the forms
// published packages declare (`0.x`, `^0.2.0`, `>=0.1.0 <1`, unions of these) on release
// versions are decided here, as semver decides them (a test compares the two over a grid), and
// semver is loaded for anything else.

import { createRequire } from 'node:module';
import type semverModule from 'semver';

const requireHere = createRequire(import.meta.url);

/** Whether `version` satisfies `range`, or undefined when either is not something semver reads. */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  if (range.startsWith('workspace:')) return undefined;
  const simple = simpleSatisfies(version, range);
  if (simple !== undefined) return simple;
  const semver = requireHere('semver') as typeof semverModule;
  if (semver.valid(version) === null || semver.validRange(range) === null) return undefined;
  return semver.satisfies(version, range);
}

type Triple = readonly [number, number, number];

const RELEASE = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;
// An operator, then a version with up to three parts, later ones possibly x or *.
const COMPARATOR = /^(\^|~|>=|<)?(?:(\d{1,9})(?:\.(\d{1,9}|[x*]))?(?:\.(\d{1,9}|[x*]))?|[x*])$/;

const compare = (a: Triple, b: Triple): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The range's verdict on a release version, for the forms decided here; undefined for the rest. */
export function simpleSatisfies(version: string, range: string): boolean | undefined {
  const release = RELEASE.exec(version);
  if (release === null) return undefined;
  const v: Triple = [Number(release[1]), Number(release[2]), Number(release[3])];
  let any = false;
  for (const set of range.split('||')) {
    const comparators = set.trim().split(/\s+/);
    let all = true;
    for (const comparator of comparators) {
      const verdict = comparator === '' ? true : comparatorHolds(v, comparator);
      if (verdict === undefined) return undefined;
      all &&= verdict;
    }
    any ||= all;
  }
  return any;
}

/** [low, high): the versions one comparator admits, as semver desugars it. */
function comparatorHolds(v: Triple, text: string): boolean | undefined {
  const match = COMPARATOR.exec(text);
  if (match === null) return undefined;
  const [, operator, majorText, minorText, patchText] = match;
  if (majorText === undefined) return operator === undefined ? true : undefined;
  const major = Number(majorText);
  const wild = (part: string | undefined): boolean => part === undefined || part === 'x' || part === '*';
  // A wildcard before a number (1.x.3) is not a form decided here.
  if (wild(minorText) && !wild(patchText)) return undefined;
  const minor = wild(minorText) ? undefined : Number(minorText);
  const patch = wild(patchText) ? undefined : Number(patchText);
  const low: Triple = [major, minor ?? 0, patch ?? 0];
  let high: Triple | undefined;
  switch (operator) {
    case undefined:
      if (minor === undefined) high = [major + 1, 0, 0];
      else if (patch === undefined) high = [major, minor + 1, 0];
      else return compare(v, low) === 0;
      break;
    case '^':
      if (major > 0 || minor === undefined) high = [major + 1, 0, 0];
      else if (minor > 0 || patch === undefined) high = [0, minor + 1, 0];
      else high = [0, 0, patch + 1];
      break;
    case '~':
      high = minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0];
      break;
    case '>=':
      return compare(v, low) >= 0;
    case '<':
      return compare(v, low) < 0;
  }
  return compare(v, low) >= 0 && compare(v, high!) < 0;
}

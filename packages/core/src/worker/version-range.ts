// Design: worker packages declare the @narwhal/core they were built for as a (peer) dependency
// range; the arbiter compares it with the running core and warns on a mismatch (vitest warns on
// mixed versions, Fastify checks plugin ranges). npm's own `semver` decides, so a range means
// here what it means to the package manager that installed it; a range it cannot read
// (`workspace:^`, a tag) answers undefined: "cannot tell", and nothing is said.

import semver from 'semver';

/** Whether `version` satisfies `range`, or undefined when either is not something semver reads. */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  if (semver.valid(version) === null || semver.validRange(range) === null) return undefined;
  return semver.satisfies(version, range);
}

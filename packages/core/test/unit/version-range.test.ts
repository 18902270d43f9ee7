import { describe, expect, it } from 'vitest';
import { satisfiesRange, simpleSatisfies } from '../../src/worker/version-range.js';

describe('peer dependency ranges', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.5', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.2', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['1.2.9', '~1.2.0', true],
    ['1.3.0', '~1.2.0', false],
    ['1.0.0', '>=0.9.0 <2.0.0', true],
    ['2.0.0', '>=0.9.0 <2.0.0', false],
    ['3.1.0', '^1.0.0 || ^3.0.0', true],
    ['0.1.0', '*', true],
    ['0.1.0', '0.1.0', true],
    ['0.1.1', '0.1.0', false],
    // What npm means, where a hand-written reader went wrong:
    ['0.1.5', '0.1', true],
    ['0.1.5', '0.1.x', true],
    ['0.2.0-beta.1', '^0.2.0', false],
    ['0.1.0', '0.x', true],
    ['0.2.0', '^0.2.0-beta.1', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });

  it('cannot tell for workspace protocols and tags', () => {
    expect(satisfiesRange('0.1.0', 'workspace:^')).toBeUndefined();
    expect(satisfiesRange('0.1.0', 'latest')).toBeUndefined();
  });
});

describe('the ranges decided without loading semver', () => {
  const versions = ['0.0.0', '0.0.1', '0.0.2', '0.1.0', '0.1.5', '0.2.0', '0.10.3', '1.0.0', '1.2.0', '1.2.9', '1.3.0', '2.0.0', '10.0.0'];
  const ranges = ['*', 'x', '', '0.x', '0', '0.1', '0.1.x', '0.1.*', '1.x.x', '0.1.5', '^0.0.1', '^0.0', '^0', '^0.1.0', '^0.1', '^1.2.0', '^1.2', '^1', '~0.1.0', '~1.2', '~1', '>=0.1.0', '<1.0.0', '>=0.9.0 <2.0.0', '^1.0.0 || ^0.1.0', '0.x || 2.x'];
  it.each(ranges)('decides %s as semver does', async (range) => {
    const semver = (await import('semver')).default;
    for (const version of versions) expect([version, range, simpleSatisfies(version, range)]).toEqual([version, range, semver.satisfies(version, range)]);
  });

  it('leaves prereleases, hyphen ranges and other operators to semver', () => {
    for (const [version, range] of [['0.2.0-beta.1', '^0.2.0'], ['0.1.0', '^0.2.0-beta.1'], ['1.0.0', '1.0.0 - 2.0.0'], ['1.0.0', '>1.0.0'], ['1.0.0', '<=1.0.0'], ['1.0.0', '=1.0.0']]) {
      expect(simpleSatisfies(version!, range!)).toBeUndefined();
    }
  });
});

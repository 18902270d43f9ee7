import { describe, expect, it } from 'vitest';
import { satisfiesRange } from '../../src/worker/version-range.js';

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

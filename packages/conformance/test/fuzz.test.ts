import { describe, expect, it } from 'vitest';
import { fuzzInput } from '../src/fuzz.js';
import { DEFAULT_SEED, Prng, seedFromEnv } from '../src/prng.js';

const corpus = [
  { id: 'a/get', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'latin1') },
  { id: 'a/post', bytes: Buffer.from('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello', 'latin1') },
];

const inputs = (seed: number, count: number): string[] => {
  const prng = new Prng(seed);
  return Array.from({ length: count }, (_, index) => {
    const input = fuzzInput(prng, corpus, index);
    return `${input.label}:${input.bytes.toString('hex')}`;
  });
};

describe('the fuzz inputs', () => {
  it('are the same for the same seed, and differ for another', () => {
    expect(inputs(7, 200)).toEqual(inputs(7, 200));
    expect(inputs(8, 200)).not.toEqual(inputs(7, 200));
  });

  it('alternate mutated corpus requests and random bytes', () => {
    const labels = inputs(DEFAULT_SEED, 100).map((entry) => entry.split(':')[0]!);
    expect(labels.filter((_, index) => index % 2 === 1).every((label) => label === 'random bytes')).toBe(true);
    expect(labels.filter((_, index) => index % 2 === 0).every((label) => /^a\/(get|post) \+ /.test(label))).toBe(true);
  });

  it('read their seed from NARWHAL_FUZZ_SEED, decimal or hex, and refuse anything else', () => {
    expect(seedFromEnv({})).toBe(DEFAULT_SEED);
    expect(seedFromEnv({ NARWHAL_FUZZ_SEED: '42' })).toBe(42);
    expect(seedFromEnv({ NARWHAL_FUZZ_SEED: '0x10' })).toBe(16);
    expect(() => seedFromEnv({ NARWHAL_FUZZ_SEED: 'abc' })).toThrow(/NARWHAL_FUZZ_SEED/);
  });

  it('draw integers in range', () => {
    const prng = new Prng(1);
    const draws = Array.from({ length: 1000 }, () => prng.between(3, 5));
    expect(new Set(draws)).toEqual(new Set([3, 4, 5]));
  });
});

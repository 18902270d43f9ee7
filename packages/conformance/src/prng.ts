// Design: the fault suites draw their randomness (which worker to kill, how to mutate a
// request) from one small seeded generator, so that a failure seen in CI can be replayed
// exactly: the seed is printed in the test's title and read back from NARWHAL_FUZZ_SEED.

/** The seed used when NARWHAL_FUZZ_SEED is unset: fixed, so CI runs the same requests each time. */
export const DEFAULT_SEED = 0x6e61_7277;

/** NARWHAL_FUZZ_SEED (decimal or 0x hex) or the default seed. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.NARWHAL_FUZZ_SEED?.trim();
  if (text === undefined || text === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`NARWHAL_FUZZ_SEED must be a non-negative integer, not ${JSON.stringify(text)}`);
  return seed >>> 0;
}

/** mulberry32: a 32-bit state, good enough to spread test inputs, and the same on every platform. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b_79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let index = 0; index < length; index++) out[index] = this.below(256);
    return out;
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PINNED_SEED, assertProperty, fuzzSeed } from './fuzz-seed.js';

describe('fuzzSeed', () => {
  it.each([
    [{ CI: 'true' }, PINNED_SEED],
    [{ CI: '1' }, PINNED_SEED],
    [{ CI: 'true', FUZZ_SEED: '42' }, 42],
    [{ FUZZ_SEED: '-7' }, -7],
  ])('is fixed by %o', (env, seed) => {
    expect(fuzzSeed(env)).toBe(seed);
  });

  it.each([{}, { CI: 'false' }, { CI: '' }, { FUZZ_SEED: '' }])('is a fresh integer with %o', (env) => {
    expect(Number.isSafeInteger(fuzzSeed(env))).toBe(true);
  });

  it('refuses a FUZZ_SEED that is not an integer', () => {
    expect(() => fuzzSeed({ FUZZ_SEED: 'abc' })).toThrow(/FUZZ_SEED must be an integer/);
  });
});

describe('assertProperty', () => {
  it('names the seed and how to replay it when a property fails', async () => {
    const failing = fc.asyncProperty(fc.nat(), async (n) => expect(n).toBeLessThan(0));
    await expect(assertProperty(failing, { seed: 1234, numRuns: 5 })).rejects.toThrow(/^Fuzz seed 1234; replay with FUZZ_SEED=1234 npm run fuzz\n/);
  });

  it('replays the same cases for the same seed', async () => {
    const seen = async (): Promise<number[]> => {
      const values: number[] = [];
      await assertProperty(fc.asyncProperty(fc.integer(), async (n) => void values.push(n)), { seed: 99, numRuns: 20 });
      return values;
    };
    expect(await seen()).toEqual(await seen());
  });
});

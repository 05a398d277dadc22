import fc from 'fast-check';

/** CI replays the same cases on every run, so a red build is about the change, not the dice. */
export const PINNED_SEED = 20_261_126;

/**
 * The seed of this run's properties: FUZZ_SEED when set (to replay a failure), PINNED_SEED in CI,
 * else a fresh one, so local runs keep exploring. Always known, so a failure can name it.
 */
export function fuzzSeed(env: Readonly<Record<string, string | undefined>>): number {
  if (env.FUZZ_SEED !== undefined && env.FUZZ_SEED !== '') {
    const seed = Number(env.FUZZ_SEED);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer; got ${env.FUZZ_SEED}`);
    return seed;
  }
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0') return PINNED_SEED;
  return (Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) | 0;
}

/** `fc.assert` whose failure message starts with the seed and the command that replays it. */
export async function assertProperty<Ts>(property: fc.IAsyncProperty<Ts>, params: fc.Parameters<Ts> & { seed: number }): Promise<void> {
  try {
    await fc.assert(property, params);
  } catch (error) {
    const details = error instanceof Error ? error.message : String(error);
    throw new Error(`Fuzz seed ${params.seed}; replay with FUZZ_SEED=${params.seed} npm run fuzz\n${details}`, { cause: error });
  }
}

/** What every configuration error of this repo carries: one human-readable line per problem. */
interface ConfigProblems {
  problems: readonly string[];
}

const hasProblems = (error: unknown): error is ConfigProblems =>
  error instanceof Error && Array.isArray((error as Partial<ConfigProblems>).problems);

/**
 * For process entry points: runs `load`, and on a configuration error prints each problem on its own
 * line to stderr and exits with code 1 (docs/design.md#how-it-runs). Anything else is rethrown. Kept free of the
 * Freshchat config so the node-router can use it and still ship on its own.
 */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!hasProblems(error)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}

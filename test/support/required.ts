/**
 * Whether a test service must be there: `REQUIRE_<NAME>=1` (`.ci/run` sets them) turns a skip for a
 * missing service into a failure, so CI cannot pass by silently skipping. Explicit on purpose:
 * `CI=true` alone, which many CI systems set by themselves, changes nothing.
 */
export function isRequired(name: 'REDIS' | 'POSTGRES' | 'CHROMIUM', env: NodeJS.ProcessEnv = process.env): boolean {
  return env[`REQUIRE_${name}`] === '1';
}

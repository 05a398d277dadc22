/**
 * `npm run sandbox`: the emulator on its own, for poking at with curl or pointing a dev server at.
 * A dev tool, so the environment parsing stays minimal.
 */
import { startSandbox } from './server.js';

const env = process.env;
const sandbox = await startSandbox({
  port: Number(env.SANDBOX_PORT ?? 4010),
  // Unset values fall back to the sandbox defaults (127.0.0.1, sandbox-token, seed 1).
  host: env.SANDBOX_HOST,
  token: env.SANDBOX_TOKEN,
  seed: env.SANDBOX_SEED ? Number(env.SANDBOX_SEED) : undefined,
  deletionDelayMs: 3_000,
});

console.log(
  `Freshchat sandbox at ${sandbox.baseUrl} (token ${sandbox.token}); try: ` +
    `curl -H 'Authorization: Bearer ${sandbox.token}' '${sandbox.baseUrl}/agents?items_per_page=2'`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void sandbox.close().then(() => process.exit(0)));
}

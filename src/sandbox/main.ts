/**
 * `npm run sandbox`: the emulator on its own, for poking at with curl or pointing a dev server at.
 * A dev tool, yet its few settings are validated like the subgraph's: one line and exit 1.
 */
import { z } from 'zod';
import { loadOrExit } from '../exit-on-config-error.js';
import { listenFailure, loadDotEnv, onTerminationSignals, startOrExit } from '../process/start.js';
import { startSandbox } from './server.js';

const SandboxEnv = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_TOKEN: z.string().min(1).optional(),
  SANDBOX_SEED: z.coerce.number().int().min(0).optional(),
  /** Where conversation writes are sent as signed Freshchat webhooks (docs/sync.md); unset: nowhere until `PUT /sandbox/webhooks`. */
  SANDBOX_WEBHOOK_URL: z.string().refine((value) => URL.canParse(value), 'must be an absolute URL').optional(),
});

class SandboxConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function loadSandboxConfig(env: NodeJS.ProcessEnv): z.infer<typeof SandboxEnv> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = SandboxEnv.safeParse(present);
  if (!parsed.success) throw new SandboxConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  return parsed.data;
}

loadDotEnv();
const config = loadOrExit(() => loadSandboxConfig(process.env));

await startOrExit('sandbox', async () => {
  const options = { port: config.SANDBOX_PORT, host: config.SANDBOX_HOST, token: config.SANDBOX_TOKEN, seed: config.SANDBOX_SEED, webhookUrl: config.SANDBOX_WEBHOOK_URL };
  const sandbox = await startSandbox({ ...options, deletionDelayMs: 3_000 }).catch(
    (error: unknown) => Promise.reject(listenFailure(error, config.SANDBOX_PORT, config.SANDBOX_HOST, 'SANDBOX_PORT')),
  );
  onTerminationSignals({ stop: () => sandbox.close(), timeoutMs: 5_000, log: (_fields, message) => console.log(message) });
  console.log(`Freshchat sandbox at ${sandbox.baseUrl} (token ${sandbox.token}); try:`);
  console.log(`curl -H 'Authorization: Bearer ${sandbox.token}' '${sandbox.baseUrl}/agents?items_per_page=2'`);
  if (config.SANDBOX_WEBHOOK_URL !== undefined) {
    console.log(`Webhooks for conversation writes go to ${config.SANDBOX_WEBHOOK_URL}, signed with:\n${sandbox.webhooks.publicKey}`);
  }
});

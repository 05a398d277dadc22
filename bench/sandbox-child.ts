/** The Freshchat sandbox in its own process (bench/run.ts), so its CPU is not charged to a server. */
import { startSandbox } from '../src/sandbox/index.js';
import { createDataset } from '../src/sandbox/dataset.js';
import { serveCommands } from './ipc.js';

const contacts = Number(process.env.BENCH_CONTACTS ?? 2000);
const perMinute = process.env.BENCH_SANDBOX_QUOTA ? Number(process.env.BENCH_SANDBOX_QUOTA) : undefined;

await serveCommands(async () => {
  const dataset = createDataset(1, { contacts });
  const sandbox = await startSandbox({ dataset, ...(perMinute ? { rateLimit: { perMinute } } : {}) });
  return {
    url: sandbox.baseUrl,
    handlers: {
      token: () => sandbox.token,
      calls: () => sandbox.calls.filter((c) => c.path.startsWith('/v2/')).length,
      reset: () => sandbox.resetCalls(),
      latency: (ms) => {
        sandbox.clearFaults();
        if (typeof ms === 'number' && ms > 0) sandbox.inject({ fault: { kind: 'latency', ms } });
      },
      ids: () => ({
        agents: dataset.agents.map((a) => a.id),
        groups: dataset.groups.map((g) => g.id),
      }),
    },
  };
});

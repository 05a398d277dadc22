import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ADMIN_TOKEN } from '../accounts/app.js';
import type { TestDatabase } from '../accounts/databases.js';
import { readUntil } from '../support/process.js';

// The process as `npm start` runs it (through tsx, so no build is needed).
const ENTRY = ['--import', 'tsx', 'src/index.ts'];

export interface Subgraph {
  child: ChildProcess;
  base: string;
  /** POST /admin/webhook-endpoints; the created endpoint and its secret. */
  createEndpoint(url: string): Promise<{ endpoint: { id: string }; secret: string }>;
}

/** The subgraph process on `database`, with webhooks allowed to loopback and short retries. */
export async function startSubgraph(database: TestDatabase, key: string, extra: Record<string, string> = {}): Promise<Subgraph> {
  const child = spawn(process.execPath, ENTRY, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CREDENTIALS_KEY: key,
      ADMIN_TOKEN,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '100',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl.reveal() } : { DATA_DIR: database.dataDir }),
      ...extra,
    },
  });
  child.stderr.resume();
  const logs = await readUntil(child.stdout, /ready at (http:[^\s"]+)/, 90_000); // a busy machine starts slowly
  child.stdout.resume();
  const base = /ready at (http:\/\/[^\s"/]+)/.exec(logs)![1]!.replace('localhost', '127.0.0.1');
  return {
    child,
    base,
    async createEndpoint(url) {
      const res = await fetch(`${base}/admin/webhook-endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      if (res.status !== 201) throw new Error(`creating the endpoint answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { endpoint: { id: string }; secret: string };
    },
  };
}

/** SIGTERM (a clean stop) or SIGKILL (a crash), and the exit. */
export async function stopSubgraph(subgraph: Subgraph, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (subgraph.child.exitCode !== null || subgraph.child.signalCode !== null) return;
  const exited = once(subgraph.child, 'exit');
  subgraph.child.kill(signal);
  await exited;
}

/** Polls `check` until it holds. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

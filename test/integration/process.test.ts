import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readUntil } from '../support/process.js';

// The process entry as `npm start` runs it (through tsx here, so no build is needed).
const ENTRY = ['--import', 'tsx', 'src/index.ts'];
const cleanEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
};

describe('process entry', () => {
  it.each([
    [{ FRESHCHAT_API_URL: 'https://acme.freshchat.com/v2' }, 'FRESHCHAT_API_TOKEN'],
    [{ FRESHCHAT_API_TOKEN: 'secret-token-value' }, 'FRESHCHAT_API_URL'],
    [{ PORT: 'http' }, 'PORT'],
  ])('exits 1 with one line naming the variable for %o', (env, variable) => {
    const run = spawnSync(process.execPath, ENTRY, { env: cleanEnv(env), encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(run.stderr + run.stdout).not.toContain('secret-token-value');
  });

  it('serves the embedded sandbox when no account is configured, and says so', async () => {
    const child = spawn(process.execPath, ENTRY, { env: cleanEnv({ PORT: '0', HOST: '127.0.0.1' }) });
    try {
      const logs = await readUntil(child.stdout, /Freshchat subgraph ready at (http:[^\s"]+)/);
      expect(logs).toMatch(/embedded Freshchat sandbox/);
      const url = /ready at (http:[^\s"]+)/.exec(logs)![1]!;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ freshchat { accountId ticketingUsers(first: 1) { totalCount } } }' }),
      });
      expect(await res.json()).toEqual({ data: { freshchat: { accountId: 'sandbox', ticketingUsers: { totalCount: 150 } } } });
    } finally {
      child.kill('SIGTERM');
    }
  });
});

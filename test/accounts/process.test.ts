import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUntil } from '../support/process.js';
import { ADMIN_TOKEN } from './app.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

// The process as `npm start` runs it (through tsx, so no build is needed).
const ENTRY = ['--import', 'tsx', 'src/index.ts'];
let database: TestDatabase;
let sandboxPort: number;
const key = newKey().reveal();

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: database.dataDir,
  CREDENTIALS_KEY: key,
  ADMIN_TOKEN,
  // The embedded sandbox on a port of its own, which FRESHCHAT_ALLOWED_HOSTS lists (ports are explicit).
  SANDBOX_PORT: String(sandboxPort),
  FRESHCHAT_ALLOWED_HOSTS: `127.0.0.1:${sandboxPort}`,
  ...extra,
});

async function start(): Promise<{ child: ChildProcess; base: string; sandbox: string }> {
  const child = spawn(process.execPath, ENTRY, { env: env() });
  // A start that never gets ready must not outlive the test (and hold SANDBOX_PORT for the next one).
  const logs = await readUntil(child.stdout, /ready at (http:[^\s"]+)/).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const base = /ready at (http:\/\/[^\s"/]+)/.exec(logs)![1]!.replace('localhost', '127.0.0.1');
  const sandbox = /"sandbox":"(http:[^"]+)"/.exec(logs)![1]!;
  return { child, base, sandbox };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const admin = (base: string, path: string, init: RequestInit = {}) =>
  fetch(base + path, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });

beforeAll(async () => {
  database = await createPglite();
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  sandboxPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await database.drop();
});

describe('linked accounts across restarts', () => {
  it('keeps a linked account, and refuses to start with a key that cannot decrypt it', async () => {
    const first = await start();
    let id: string;
    try {
      const res = await admin(first.base, '/admin/accounts', {
        method: 'POST',
        body: JSON.stringify({ name: 'Sandbox', apiUrl: first.sandbox, apiToken: 'sandbox-token', tenant: 't1' }),
      });
      expect(res.status).toBe(201);
      id = ((await res.json()) as { account: { id: string } }).account.id;
    } finally {
      await stop(first.child);
    }

    const wrongKey = spawnSync(process.execPath, ENTRY, { env: env({ CREDENTIALS_KEY: newKey().reveal() }), encoding: 'utf8', timeout: 30_000 });
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr.trim().split('\n')).toEqual([expect.stringContaining('CREDENTIALS_KEY')]);

    const second = await start();
    try {
      const res = await admin(second.base, `/admin/accounts/${id}`);
      expect(await res.json()).toMatchObject({ account: { id, name: 'Sandbox', tenant: 't1', status: 'active' } });
    } finally {
      await stop(second.child);
    }
  }, 90_000);
});

describe('a DATA_DIR the registry cannot open', () => {
  it('stops the start with one line naming DATA_DIR, not a WebAssembly abort, and exit 1', async () => {
    const damaged = await createPglite();
    try {
      const control = join(damaged.dataDir, 'pglite', 'global', 'pg_control');
      await writeFile(control, Buffer.alloc((await readFile(control)).length, 0x41));
      const res = spawnSync(process.execPath, ENTRY, { env: env({ DATA_DIR: damaged.dataDir }), encoding: 'utf8', timeout: 60_000 });
      expect(res.status).toBe(1);
      expect(res.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^freshchat subgraph failed to start: DATA_DIR: the registry database in .*pglite cannot be opened \(.*\): .*move it away/),
      ]);
    } finally {
      await damaged.drop();
    }
  }, 90_000);
});

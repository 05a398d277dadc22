import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { testDataDir } from '../support/data-dir.js';
import { readUntil } from '../support/process.js';
import { CREATE_USER, type UserPayload } from './operations.js';

/**
 * An idempotency key outlives its process. A deployment with only the environment account (no
 * account ever linked, so no registry yet) is killed with SIGKILL while a keyed write hangs at
 * Freshchat; the client retries against the restarted process on the same DATA_DIR, and Freshchat
 * sees one write, not two.
 */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let sandbox: Sandbox;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox?.close();
});

async function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', TSX, resolve('src/index.ts')], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  // Generous: a registry reopened after SIGKILL recovers its write-ahead log first (seconds on a busy machine).
  const ready = await readUntil(child.stdout, /Freshchat subgraph ready at (http:[^\s"]+)/, 90_000);
  child.stdout.resume(); // keep draining its log
  return { child, url: /ready at (http:[^\s"]+)/.exec(ready)![1]! };
}

const createOnce = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: CREATE_USER, variables: { input: { firstName: 'Once', email: 'once@example.com' }, key: 'crash-1' } }),
  });

const posts = () => sandbox.calls.filter((call) => call.method === 'POST' && call.path === '/v2/users').length;

describe('a keyed write whose process is killed mid-write', () => {
  it('is not written again when the client retries against the restarted process', async () => {
    const env = {
      FRESHCHAT_API_URL: sandbox.baseUrl,
      FRESHCHAT_API_TOKEN: sandbox.token,
      DATA_DIR: testDataDir(), // empty: the first keyed write creates the registry
      REQUEST_DEADLINE_MS: '90000',
      UPSTREAM_HEADERS_TIMEOUT_MS: '90000',
    };
    const first = await start(env);
    sandbox.inject({ fault: { kind: 'hang' }, match: '/v2/users', times: 1 });
    const cut = createOnce(first.url).catch(() => 'cut');
    // The key is claimed (in a registry created for it: PGlite's initdb, seconds) before the write is sent.
    await vi.waitFor(() => expect(posts()).toBe(1), { timeout: 90_000, interval: 100 });
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(await cut).toBe('cut');

    // Restarted on the same DATA_DIR, with a short deadline: the key is still held by the write that
    // was cut (its lease outlives it), so the retry waits for it, then says so instead of writing.
    const second = await start({ ...env, REQUEST_DEADLINE_MS: '1000' });
    const retry = (await (await createOnce(second.url)).json()) as { data: { freshchatCreateUser: UserPayload } };
    expect(retry.data.freshchatCreateUser.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    expect(posts()).toBe(1);
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  }, 240_000);
});

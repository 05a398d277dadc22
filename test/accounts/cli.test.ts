import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSubgraph, type Running } from '../observability/server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

// The CLI as `npm run accounts` runs it, through tsx so no build is needed.
const ENTRY = ['--import', 'tsx', 'src/cli/accounts.ts'];
// Each step is a process that compiles the CLI with tsx first: seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let sandbox: Sandbox;
let database: TestDatabase;
const oldKey = newKey().reveal();
const newerKey = newKey().reveal();

function run(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: database.dataDir,
      CREDENTIALS_KEY: oldKey,
      FRESHCHAT_ALLOWED_HOSTS: new URL(sandbox.baseUrl).host,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  sandbox = await startSandbox({ token: 'cli-sandbox-token-0123456789' });
  database = await createPglite();
});
afterAll(async () => {
  await sandbox.close();
  await database.drop();
});

// One story, in order: each step needs the registry the previous one left.
describe('npm run accounts', () => {
  it('links an account with the token read from stdin, then lists it', async () => {
    const linked = await run(['link', '--name', 'Acme', '--api-url', sandbox.baseUrl, '--tenant', 't1', '--id', 'acme'], {}, `${sandbox.token}\n`);
    expect(linked.stderr).toBe('');
    expect(JSON.parse(linked.stdout)).toMatchObject({ id: 'acme', name: 'Acme', tenant: 't1', status: 'active' });
    const listed = await run(['list']);
    expect(listed.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['acme']);
    expect(listed.stdout + linked.stdout).not.toContain(sandbox.token);
  });

  it('refuses a token Freshchat rejects: exit 1, one line, nothing stored', async () => {
    const refused = await run(['link', '--name', 'Bad', '--api-url', sandbox.baseUrl, '--id', 'bad'], {}, 'wrong-token');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^UNAUTHENTICATED: /)]);
    expect((await run(['list'])).stdout).not.toContain('"bad"');
  });

  it('stops with one line naming CREDENTIALS_KEY when the key cannot decrypt the stored accounts', async () => {
    const wrong = await run(['list'], { CREDENTIALS_KEY: newerKey });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toEqual([expect.stringContaining('CREDENTIALS_KEY')]);
  });

  it('rotates the key: old rows re-encrypted under the new one, readable without the previous key', async () => {
    const rotated = await run(['rotate-key'], { CREDENTIALS_KEY: newerKey, CREDENTIALS_KEY_PREVIOUS: oldKey });
    expect(JSON.parse(rotated.stdout)).toEqual({ reencrypted: 1 });
    expect((await run(['list'], { CREDENTIALS_KEY: newerKey })).code).toBe(0);
  });

  it('unlinks an account, and says so when it is unknown', async () => {
    expect(JSON.parse((await run(['unlink', 'acme'], { CREDENTIALS_KEY: newerKey })).stdout)).toEqual({ unlinked: 'acme' });
    const again = await run(['unlink', 'acme'], { CREDENTIALS_KEY: newerKey });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^ACCOUNT_NOT_FOUND/);
  });

  it('prints its usage and exits 2 for an unknown command', async () => {
    const res = await run(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^usage:/);
  });
});

/** A loopback port free right now, for a sandbox that must keep its URL (SANDBOX_PORT). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// `npm start` on the embedded registry holds DATA_DIR: the CLI then goes through its admin API.
describe('npm run accounts beside a running server on the embedded registry', () => {
  const ADMIN = 'cli-admin-token-0123456789-0123456789';
  let server: Running;
  let sandboxPort: number;
  const beside = (args: string[], env: Record<string, string> = {}, stdin = '') =>
    run(args, { PORT: String(new URL(server.base).port), ADMIN_TOKEN: ADMIN, SANDBOX_PORT: String(sandboxPort), FRESHCHAT_ALLOWED_HOSTS: hosts(), ...env }, stdin);
  // The test's sandbox and the embedded one, each with its port (ports are listed explicitly).
  const hosts = () => `${new URL(sandbox.baseUrl).host},127.0.0.1:${sandboxPort}`;

  beforeAll(async () => {
    sandboxPort = await freePort();
    server = await startSubgraph({ DATA_DIR: database.dataDir, CREDENTIALS_KEY: oldKey, ADMIN_TOKEN: ADMIN, SANDBOX_PORT: String(sandboxPort), FRESHCHAT_ALLOWED_HOSTS: hosts() });
  });
  afterAll(() => server.close());

  it('says in one line what to set when ADMIN_TOKEN is missing, and opens nothing', async () => {
    const res = await run(['list'], { PORT: String(new URL(server.base).port) });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATA_DIR .* is held by a running server \(process \d+\): set ADMIN_TOKEN/)]);
  });

  it('links, lists and unlinks through the server, which then serves the account', async () => {
    const linked = await beside(['link', '--name', 'Via server', '--api-url', sandbox.baseUrl, '--id', 'via-server'], {}, sandbox.token);
    expect(linked.stderr).toBe('');
    expect(JSON.parse(linked.stdout)).toMatchObject({ id: 'via-server', status: 'active' });
    expect((await beside(['list'])).stdout).toContain('"via-server"');
    const res = await server.post({ query: '{ freshchat(accountId: "via-server") { accountId } }' });
    expect(res.body).toEqual({ data: { freshchat: { accountId: 'via-server' } } });
    expect(JSON.parse((await beside(['unlink', 'via-server'])).stdout)).toEqual({ unlinked: 'via-server' });
    expect((await beside(['unlink', 'via-server'])).stderr).toMatch(/^ACCOUNT_NOT_FOUND/);
  });

  it('rotates the key in the server, which holds both keys', async () => {
    expect(JSON.parse((await beside(['rotate-key'])).stdout)).toEqual({ reencrypted: expect.any(Number) });
  });

  it('links the embedded sandbox in one command and prints the ids to use, which work as printed', async () => {
    const res = await beside(['link-sandbox', '--id', 'demo', '--tenant', 'demo-tenant']);
    expect(res.stderr).toBe('');
    const [account, help, tryLine] = res.stdout.trim().split('\n');
    expect(JSON.parse(account!)).toMatchObject({ id: 'demo', tenant: 'demo-tenant', apiUrl: `http://127.0.0.1:${sandboxPort}/v2`, status: 'active' });
    expect(help).toContain('x-freshchat-account-id: demo');
    const header = /-H 'x-freshchat-account-id: (\w+)'/.exec(tryLine!)![1]!;
    const body = JSON.parse(/-d '([^']+)'/.exec(tryLine!)![1]!) as { query: string };
    const answer = await server.post(body, { 'x-freshchat-account-id': header });
    expect(answer.body).toMatchObject({ data: { freshchat: { accountId: 'demo', channels: { nodes: expect.arrayContaining([expect.objectContaining({ name: 'Support' })]) } } } });
  });

  it('refuses in one line without a fixed SANDBOX_PORT, or when FRESHCHAT_ALLOWED_HOSTS does not list 127.0.0.1', async () => {
    const noPort = await beside(['link-sandbox'], { SANDBOX_PORT: '0' });
    expect(noPort.code).toBe(1);
    expect(noPort.stderr.trim().split('\n')).toEqual([expect.stringContaining('SANDBOX_PORT')]);
    const notAllowed = await beside(['link-sandbox'], { FRESHCHAT_ALLOWED_HOSTS: '*.freshchat.com' });
    expect(notAllowed.code).toBe(1);
    expect(notAllowed.stderr.trim().split('\n')).toEqual([expect.stringContaining(`FRESHCHAT_ALLOWED_HOSTS must list 127.0.0.1:${sandboxPort}`)]);
  });
});

describe('npm run accounts -- link-sandbox with no server running', () => {
  it('creates the registry (saying so first), checking the token with a sandbox of its own on SANDBOX_PORT', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'cli-fresh-'));
    try {
      const port = await freePort();
      const res = await run(['link-sandbox'], { DATA_DIR: fresh, SANDBOX_PORT: String(port), FRESHCHAT_ALLOWED_HOSTS: `127.0.0.1:${port}` });
      expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Creating the linked-accounts registry in .* \(first use/)]);
      expect(JSON.parse(res.stdout.split('\n')[0]!)).toMatchObject({ name: 'Embedded sandbox', status: 'active' });
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createPglite, newKey, type TestDatabase } from './databases.js';

// The CLI as `npm run accounts` runs it, through tsx so no build is needed.
const ENTRY = ['--import', 'tsx', 'src/cli/accounts.ts'];

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

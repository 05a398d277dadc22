import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../src/webhooks-out/send.js';
import { newSigningSecret } from '../../src/webhooks-out/signature.js';
import { createUrlPolicy } from '../../src/webhooks-out/url-policy.js';
import { readUntil } from '../support/process.js';

// The receiver example of docs/sync.md, run as printed: the js block under "Verifying a delivery".
const docs = readFileSync(new URL('../../docs/sync.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('### Verifying a delivery'));
const example = /```js\n([\s\S]*?)```/.exec(section)![1]!;

const secret = newSigningSecret();
let dir: string;
let child: ChildProcess;
let url: string;
let output = '';
const senders: Sender[] = [];
const sender = () => {
  const created = createSender({ policy: createUrlPolicy({ allowedHosts: '127.0.0.1', production: false }) });
  senders.push(created);
  return created;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'receiver-'));
  await writeFile(join(dir, 'receiver.mjs'), example);
  child = spawn(process.execPath, ['receiver.mjs'], { cwd: dir, env: { PATH: process.env.PATH, WEBHOOK_SECRET: secret, PORT: '0' } });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = await readUntil(child.stdout!, /listening on port (\d+)/);
  url = `http://127.0.0.1:${/listening on port (\d+)/.exec(started)![1]}/freshchat`;
});
afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill();
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

const body = JSON.stringify({
  type: 'helpdesk.change',
  timestamp: '2026-01-01T00:00:00.000Z',
  data: {
    id: 'chg_docs',
    accountId: 'acme',
    kind: 'UPDATED',
    objectType: 'FreshchatTicketingUser',
    objectId: 'RnJlc2hjaGF0',
    changedFields: ['availability', 'groups'],
    occurredAt: null,
    recordedAt: '2026-01-01T00:00:00.000Z',
    source: 'POLL',
  },
});

describe('the receiver example of docs/sync.md', () => {
  it('accepts a delivery signed by the subgraph, and handles a repeat of it once', async () => {
    expect(await sender().send({ url, secret }, { changeId: 'chg_docs', body })).toEqual({ ok: true });
    expect(await sender().send({ url, secret }, { changeId: 'chg_docs', body })).toEqual({ ok: true });
    expect(output.split('\n').filter((line) => line.startsWith('UPDATED'))).toEqual(['UPDATED FreshchatTicketingUser RnJlc2hjaGF0 [availability, groups]']);
  });

  it('refuses a delivery signed with another secret', async () => {
    expect(await sender().send({ url, secret: newSigningSecret() }, { changeId: 'chg_forged', body })).toEqual({ ok: false, error: 'HTTP 401' });
  });

  it('refuses a stale signature (a replay)', async () => {
    const stale = createSender({ policy: createUrlPolicy({ allowedHosts: '127.0.0.1', production: false }), now: () => Date.now() - 600_000 });
    senders.push(stale);
    expect(await stale.send({ url, secret }, { changeId: 'chg_replayed', body })).toEqual({ ok: false, error: 'HTTP 401' });
  });
});

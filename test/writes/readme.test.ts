import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryDataDir } from '../support/data-dir.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rawRequest } from '../proxy/raw.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const writes = readme.slice(readme.indexOf('## Writes'), readme.indexOf('## Passthrough'));
const passthrough = readme.slice(readme.indexOf('## Passthrough'), readme.indexOf('## In a supergraph'));

describe('README writes and passthrough examples', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accountId: 'sandbox', env: { DATA_DIR: await registryDataDir() } });
  });
  afterAll(() => h.close());

  it('runs the mutation of the Writes section as printed', async () => {
    const mutation = /```graphql\n([\s\S]*?)```/.exec(writes)![1]!;
    const res = await h.query<{ freshchatCreateUser: { user: { name: string }; userErrors: unknown[] } }>(mutation);
    expect(res.errors).toBeUndefined();
    expect(res.data!.freshchatCreateUser).toMatchObject({ user: { name: 'Ada' }, userErrors: [] });
  });

  it('runs the curl examples of the Passthrough section as printed', async () => {
    const [get, post] = [...passthrough.matchAll(/curl -s (?:-X (\w+) )?'?http:\/\/localhost:4001([^'\s]+)'?(?: \\\n\s+-H '([^']+)' -d '([^']+)')?/g)];
    expect((await rawRequest(h.origin, 'GET', get![2]!)).status).toBe(200);
    const [name, value] = post![3]!.split(': ') as [string, string];
    const created = await rawRequest(h.origin, post![1]!, post![2]!, { headers: { [name]: value }, body: post![4]! });
    expect(created.status).toBe(201);
  });
});

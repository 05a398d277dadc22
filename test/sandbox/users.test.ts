import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Freshchat from '../../src/resources/wire.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get } from './client.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const users = (query: string) => get<Freshchat.UserList>(sandbox, `/users?${query}`);

describe('GET /users', () => {
  it('answers 400 INVALID_VALUE without any filter, whatever the paging', async () => {
    for (const query of ['', 'page=1&items_per_page=50', 'sort_order=desc']) {
      const res = await get(sandbox, `/users?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 400, status: 'INVALID_VALUE', message: 'at least one filter is required' });
    }
  });

  it('finds a contact by reference_id', async () => {
    const res = await users('reference_id=crm-00000');
    expect(res.body.users).toEqual([sandbox.dataset.users[0]]);
    expect(res.body.pagination.total_items).toBe(1);
  });

  it('finds a contact by email, ignoring case', async () => {
    const contact = sandbox.dataset.users[0]!;
    const res = await users(`email=${encodeURIComponent(contact.email!.toUpperCase())}`);
    expect(res.body.users).toEqual([contact]);
  });

  it('filters by creation time, both bounds inclusive', async () => {
    const [from, to] = [sandbox.dataset.users[10]!.created_time!, sandbox.dataset.users[29]!.created_time!];
    const res = await users(`created_from=${from}&created_to=${to}&items_per_page=50`);
    expect(res.body.users).toEqual(sandbox.dataset.users.slice(10, 30));
  });

  it('filters by update time and sorts by created_time', async () => {
    const bound = sandbox.dataset.users[1000]!.updated_time!;
    const res = await users(`updated_from=${bound}&items_per_page=50`);
    const expected = sandbox.dataset.users.filter((u) => u.updated_time! >= bound);
    expect(res.body.pagination.total_items).toBe(expected.length);
    expect(res.body.users).toEqual(expected.slice(0, 50));
  });

  it('enumerates every contact with created_from far in the past, 50 per page', async () => {
    const res = await users('created_from=2000-01-01T00:00:00.000Z&items_per_page=50&page=40');
    expect(res.body.pagination).toEqual({ total_items: 2000, total_pages: 40, current_page: 40, items_per_page: 50 });
    expect(res.body.users).toEqual(sandbox.dataset.users.slice(1950));
  });

  it('accepts seconds-precision and date-only bounds', async () => {
    expect((await users('updated_to=2023-01-01T00:00:00Z')).status).toBe(200);
    expect((await users('created_to=2030-01-01')).body.pagination.total_items).toBe(2000);
  });

  it.each(['created_from=yesterday', 'created_to=2023-13-45T00:00:00Z', 'updated_from=2023-01-01T10:00:00'])(
    'answers 400 INVALID_VALUE to a malformed date: %s',
    async (query) => {
      const res = await get(sandbox, `/users?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.status).toBe('INVALID_VALUE');
    },
  );
});

describe('GET /users/{id}', () => {
  it('answers the bare contact', async () => {
    const contact = sandbox.dataset.users[1]!;
    expect((await get<Freshchat.User>(sandbox, `/users/${contact.id}`)).body).toEqual(contact);
  });

  it('finds a contact whose id is not a UUID', async () => {
    const contact = sandbox.dataset.users[7]!;
    expect(contact.id).toMatch(/_alias[0-9a-f]{32}$/);
    const res = await get<Freshchat.User>(sandbox, `/users/${encodeURIComponent(contact.id)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(contact);
  });

  it('decodes percent-encoded ids', async () => {
    const custom = await startSandbox({ dataset: { ...sandbox.dataset, users: [{ id: 'a/b c' }] } });
    try {
      expect((await get<Freshchat.User>(custom, '/users/a%2Fb%20c')).body).toEqual({ id: 'a/b c' });
    } finally {
      await custom.close();
    }
  });

  it('answers 404 USER_NOT_FOUND to an unknown id', async () => {
    const res = await get(sandbox, '/users/Denise_alias00000000000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: 'USER_NOT_FOUND', message: expect.any(String) });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraph, type Running } from './server.js';

const accessLines = (s: Running) => s.lines.filter((l) => l.msg === 'graphql request');

describe('logs', () => {
  let s: Running;
  beforeAll(async () => void (s = await startSubgraph()));
  afterAll(() => s.close());

  it('honours an incoming x-request-id: returned, and on the access line', async () => {
    const res = await s.post({ query: '{ freshchat { accountId } }' }, { 'x-request-id': 'router-abc-123' });
    expect(res.headers.get('x-request-id')).toBe('router-abc-123');
    expect(accessLines(s).at(-1)).toMatchObject({ requestId: 'router-abc-123' });
  });

  it('gives a request without one a fresh id', async () => {
    const res = await s.post({ query: '{ freshchat { accountId } }' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces an x-request-id that is not a plain token', async () => {
    const res = await s.post({ query: '{ freshchat { accountId } }' }, { 'x-request-id': 'evil\tline' });
    expect(res.headers.get('x-request-id')).not.toContain('evil');
  });

  it('tags the upstream lines of a request with its id and the account', async () => {
    await s.post({ query: 'query Agents { freshchat { ticketingUsers(first: 1) { totalCount } } }' }, { 'x-request-id': 'req-upstream' });
    expect(s.lines.find((l) => l.msg === 'Freshchat call' && l.requestId === 'req-upstream')).toMatchObject({ level: 20, account: 'sandbox', path: '/agents', status: '200' });
    expect(accessLines(s).at(-1)).toMatchObject({ requestId: 'req-upstream', operationName: 'Agents', accounts: ['sandbox'] });
  });

  it('names a named operation that failed validation', async () => {
    await s.post({ query: 'query Broken { freshchat { noSuchField } }' });
    expect(accessLines(s).at(-1)).toMatchObject({ operationName: 'Broken', status: 400 });
  });

  it('logs an upstream failure at warn with its cause', async () => {
    s.subgraph.sandbox!.inject({ fault: { kind: 'status', status: 401 }, match: '/v2/agents', times: 1 });
    await s.post({ query: '{ freshchat { ticketingUsers(first: 1) { totalCount } } }' }, { 'x-request-id': 'req-401' });
    expect(s.lines.find((l) => l.requestId === 'req-401' && l.level === 40)).toMatchObject({ status: '401', msg: expect.stringContaining('HTTP 401') });
  });
});

describe('an unreachable Freshchat', () => {
  it('logs the transport fault (connection refused) at warn', async () => {
    const s = await startSubgraph({ FRESHCHAT_API_URL: 'http://127.0.0.1:9/v2', FRESHCHAT_API_TOKEN: 't', UPSTREAM_MAX_ATTEMPTS: '1' });
    try {
      await s.post({ query: '{ freshchat { ticketingUsers(first: 1) { totalCount } } }' });
      expect(s.lines.find((l) => l.level === 40)).toMatchObject({ cause: 'ECONNREFUSED', msg: 'Freshchat call failed: transport fault ECONNREFUSED' });
      expect((await fetch(`${s.base}/ready`)).status).toBe(503);
      expect(s.lines.find((l) => l.level === 40 && l.path === '/accounts/configuration')).toMatchObject({ cause: 'ECONNREFUSED' });
    } finally {
      await s.close();
    }
  });
});

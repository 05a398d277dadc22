import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHardened, type HardenedHarness } from './harness.js';
import { accessLogPlugin } from '../../src/hardening/access-log.js';
import { createLogger } from '../../src/logger.js';

// docs/hardening.md "Access log": one line per GraphQL request, never the document or variables.
interface AccessLine {
  msg: string;
  operationName: string | null;
  operationType: string | null;
  status: number;
  durationMs: number;
  upstreamCalls: number;
  errorCodes?: string[];
}

describe('access log', () => {
  let h: HardenedHarness;
  beforeAll(async () => {
    h = await startHardened({ logLevel: 'info' });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.logs.length = 0;
    h.resetCalls();
  });

  const accessLines = (): AccessLine[] => h.logs.map((line) => JSON.parse(line) as AccessLine).filter((line) => line.msg === 'graphql request');

  it('logs operation name, type, status, duration and upstream calls, but not the document or variables', async () => {
    const email = 'jane.roe@example.com';
    await h.query(`query ContactsByEmail($email: String) { freshchat { users(first: 2, filter: { email: $email }) { totalCount } } }`, { email });
    const [line, ...rest] = accessLines();
    expect(rest).toEqual([]);
    expect(line).toEqual({ ...line, operationName: 'ContactsByEmail', operationType: 'query', status: 200, upstreamCalls: h.upstreamCalls('a') });
    expect(line!.upstreamCalls).toBeGreaterThan(0);
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(line!.errorCodes).toBeUndefined();
    expect(h.logs.join('')).not.toMatch(/jane\.roe|filter|users\(/);
  });

  it('attributes upstream calls to the request that made them, under concurrency', async () => {
    await Promise.all([
      h.query(`query OneCall { freshchat { ticketingUsers(first: 3) { totalCount } } }`),
      h.query(`query TwoCatalogs { freshchat { groups { totalCount } roles { totalCount } } }`),
      h.query(`query NoCall { freshchat { accountId } }`),
    ]);
    const calls = Object.fromEntries(accessLines().map((line) => [line.operationName, line.upstreamCalls]));
    expect(calls).toEqual({ OneCall: 1, TwoCatalogs: 2, NoCall: 0 });
    expect(h.upstreamCalls('a')).toBe(3);
  });

  it('records the error codes of a rejected request', async () => {
    await h.query(`query TooBig { freshchat { groups(first: 1000) { totalCount } } }`);
    expect(accessLines()).toEqual([expect.objectContaining({ operationName: 'TooBig', status: 400, upstreamCalls: 0, errorCodes: ['BAD_USER_INPUT'] })]);
  });
});

describe('access log at a level above info', () => {
  it('adds no request hook, so nothing is built for a line that would be dropped', async () => {
    const plugin = accessLogPlugin(createLogger('warn', { write: () => undefined }));
    const hooks = await plugin.requestDidStart?.({} as Parameters<NonNullable<typeof plugin.requestDidStart>>[0]);
    expect(hooks).toBeUndefined();
  });
});

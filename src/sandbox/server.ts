import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDataset, type Dataset } from './dataset.js';
import { FaultRules, applyFault, type FaultRule } from './faults.js';
import type { Exchange } from './http.js';
import { bearerOf, createTokenQuota, type RateLimitOptions } from './quota.js';
import { CONVERSATION_SCOPES, READ_SCOPES, handleRequest, type RouteContext } from './routes.js';
import { createSandboxWebhooks, type SandboxWebhooks } from './webhooks.js';
import { Deletions, WRITE_SCOPES } from './writes.js';

export interface SandboxOptions {
  /** 0 = an ephemeral port (the default). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The token granted every scope the sandbox knows; default `sandbox-token` (unless `tokens` is given). */
  token?: string;
  /** token → scopes, for 403 tests. Merged with `token` when both are given. */
  tokens?: Record<string, string[]>;
  /** Dataset seed (default 1); ignored when `dataset` is given. */
  seed?: number;
  /** Seed of the PRNG behind fault probabilities (default 1). */
  faultSeed?: number;
  /** items_per_page cap (default 50). */
  maxPageSize?: number;
  /** Answer 400 to an items_per_page above the cap instead of clamping it. */
  strictPageSize?: boolean;
  dataset?: Dataset;
  /**
   * When a deletion answered with 202 is done: after this many ms, or, unset, only when
   * `completeDeletions()` is called (tests decide "later" without sleeping).
   */
  deletionDelayMs?: number;
  /** `DELETE /users/{id}`: 202 and done later (default, as for agents), or 200 and done at once. */
  userDeletion?: 'accepted' | 'immediate';
  /** A real per-token rate limit (429 with Retry-After beyond it); none by default. */
  rateLimit?: RateLimitOptions;
  /** Where conversation writes are announced as signed Freshchat webhooks (./webhooks.ts); none by default. */
  webhookUrl?: string;
}

export interface CallRecord {
  method: string;
  /** Path without query, e.g. `/v2/agents`. */
  path: string;
  query: Record<string, string>;
  /** Status sent; 0 when nothing was sent (hang, or still pending). */
  status: number;
  /** Date.now() at arrival. */
  at: number;
  /** Set when the sandbox's own rate limit (SandboxOptions.rateLimit) answered 429, not a fault rule. */
  overQuota?: true;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:PORT/v2` */
  readonly baseUrl: string;
  readonly token: string;
  readonly dataset: Dataset;
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
  inject(rule: FaultRule): { remove(): void };
  /** Does every deletion accepted (202) so far; returns how many. */
  completeDeletions(): number;
  /** Deletions accepted and not done yet. */
  readonly pendingDeletions: number;
  /**
   * Requests held on purpose right now by a `latency` or `hang` fault: answered by a timer, or by
   * nobody. Tests on a fake clock tell them from requests still being worked on.
   */
  readonly holding: number;
  clearFaults(): void;
  /** The Freshchat-style webhooks the sandbox sends for conversation writes, and its signing key. */
  readonly webhooks: SandboxWebhooks;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'sandbox-token';

function tokenTable(options: SandboxOptions): Map<string, ReadonlySet<string>> {
  const table = new Map<string, ReadonlySet<string>>(Object.entries(options.tokens ?? {}).map(([t, s]) => [t, new Set(s)]));
  if (options.token !== undefined || options.tokens === undefined) {
    table.set(options.token ?? DEFAULT_TOKEN, new Set([...READ_SCOPES, ...WRITE_SCOPES, ...CONVERSATION_SCOPES]));
  }
  return table;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataset = options.dataset ?? createDataset(options.seed ?? 1);
  const tokens = tokenTable(options);
  const deletions = new Deletions(options.deletionDelayMs);
  const webhooks = createSandboxWebhooks({ url: options.webhookUrl ?? null });
  const ctx: RouteContext = {
    dataset,
    tokens,
    admin: { dataset, webhooks, now: Date.now },
    writes: { dataset, deletions, userDeletion: options.userDeletion ?? 'accepted', now: Date.now },
    paging: { maxPageSize: options.maxPageSize ?? 50, strictPageSize: options.strictPageSize ?? false },
  };
  const faults = new FaultRules(options.faultSeed ?? 1);
  const quota = options.rateLimit === undefined ? undefined : createTokenQuota(options.rateLimit);
  let calls: CallRecord[] = [];
  let closing: Promise<void> | undefined;
  let holding = 0;
  /** Counts `res` as held until `release` (or until its socket closes). */
  const hold = (res: ServerResponse): (() => void) => {
    holding += 1;
    let held = true;
    const release = () => void (held && ((held = false), (holding -= 1)));
    res.once('close', release);
    return release;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const record: CallRecord = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now() };
    calls.push(record);
    const ex: Exchange = { req, res, url, started: performance.now(), record };
    const answer = () => void handleRequest(ex, ctx);
    const verdict = quota?.take(bearerOf(req.headers.authorization));
    if (verdict && !verdict.ok) {
      record.overQuota = true;
      return applyFault(ex, { kind: 'status', status: 429, retryAfter: verdict.retryAfter, headers: verdict.headers }, answer);
    }
    for (const [name, value] of Object.entries(verdict?.headers ?? {})) res.setHeader(name, value);
    const fault = faults.take(url.pathname, `${req.method ?? 'GET'} ${url.pathname}${url.search}`);
    if (!fault) return answer();
    const release = fault.kind === 'latency' || fault.kind === 'hang' ? hold(res) : undefined;
    applyFault(ex, fault, () => {
      release?.();
      answer();
    });
  };

  const server = createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    baseUrl: `http://${host}:${port}/v2`,
    token: options.token ?? tokens.keys().next().value ?? DEFAULT_TOKEN,
    dataset,
    get calls() {
      return calls;
    },
    resetCalls: () => void (calls = []),
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    completeDeletions: () => deletions.complete(),
    webhooks,
    get pendingDeletions() {
      return deletions.size;
    },
    get holding() {
      return holding;
    },
    close: () => {
      deletions.close();
      return (closing ??= closeServer(server));
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Hanging and keep-alive sockets would keep close() pending forever.
    server.closeAllConnections();
  });
}

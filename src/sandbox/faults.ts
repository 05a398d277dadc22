import { STATUS_CODES } from 'node:http';
import { JSON_TYPE, freshchatHeaders, sendJson, writeHead, type Exchange } from './http.js';
import { createRandom, type Random } from './random.js';

export type Fault =
  /** A JSON error body `{code,status,message}` (docs/freshchat-api.md#errors-and-status-codes), optionally with Retry-After and extra headers. */
  | { kind: 'status'; status: number; retryAfter?: number | string; headers?: Record<string, string> }
  /** An HTML page, 200 by default: a portal host answering instead of the API (docs/freshchat-api.md#hosts-and-base-url). */
  | { kind: 'html'; status?: number }
  /** Never answers, until the client or sandbox.close() closes the socket. */
  | { kind: 'hang' }
  /** Sends the head and part of the body, then destroys the socket. */
  | { kind: 'reset' }
  /** A complete 200 response whose JSON body is cut short. */
  | { kind: 'truncated' }
  /** Delays the normal answer. */
  | { kind: 'latency'; ms: number };

export interface FaultRule {
  fault: Fault;
  /** Tested against the path without query (e.g. `/v2/agents`); a string is a prefix. Default: every path. */
  match?: string | RegExp | ((path: string) => boolean);
  /** How many matching requests the fault applies to; default unlimited. */
  times?: number;
  /** Chance of applying to a matching request, drawn from the sandbox's seeded PRNG; default 1. */
  probability?: number;
}

/** Upper-snake keys Freshchat-style for the statuses tests usually inject. */
const STATUS_KEYS: Record<number, string> = {
  400: 'INVALID_VALUE',
  401: 'UNAUTHORIZED',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function statusKey(status: number): string {
  return STATUS_KEYS[status] ?? (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function matches(match: FaultRule['match'], path: string): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return path.startsWith(match);
  if (match instanceof RegExp) return match.test(path);
  return match(path);
}

interface Entry {
  readonly rule: FaultRule;
  remaining: number;
}

/** The injected rules, checked in order; the first applicable one wins. */
export class FaultRules {
  private entries: Entry[] = [];
  private readonly rng: Random;

  constructor(seed: number) {
    this.rng = createRandom(seed);
  }

  add(rule: FaultRule): { remove(): void } {
    const entry: Entry = { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.entries.push(entry);
    return { remove: () => void (this.entries = this.entries.filter((e) => e !== entry)) };
  }

  clear(): void {
    this.entries = [];
  }

  /** The fault to apply to this request, if any; spends one of its `times`. */
  take(path: string): Fault | undefined {
    for (const entry of this.entries) {
      if (entry.remaining <= 0 || !matches(entry.rule.match, path)) continue;
      const probability = entry.rule.probability ?? 1;
      // Draw only for partial probabilities so adding a certain rule never shifts the sequence.
      if (probability < 1 && this.rng.next() >= probability) continue;
      entry.remaining -= 1;
      return entry.rule.fault;
    }
    return undefined;
  }
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Freshworks</title></head><body><div id="app">Loading…</div></body></html>';
const PARTIAL_JSON = '{"agents":[{"id":"2681d294-3460-4f32-b5fb-828958995b5c","email":"govind.pat';

/** Answers the request according to `fault`; `answer` is the normal handler (used by latency). */
export function applyFault(ex: Exchange, fault: Fault, answer: () => void): void {
  switch (fault.kind) {
    case 'status':
      return sendStatus(ex, fault);
    case 'html':
      writeHead(ex, fault.status ?? 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(HTML_PAGE) });
      return void ex.res.end(HTML_PAGE);
    case 'hang':
      return; // the socket stays open; close() or the client ends it
    case 'reset':
      // Announce a longer body than is sent, so the client sees the connection die mid-body.
      writeHead(ex, 200, { 'Content-Type': JSON_TYPE, 'Content-Length': PARTIAL_JSON.length * 2, ...freshchatHeaders(ex) });
      return void ex.res.write(PARTIAL_JSON, () => ex.req.socket.destroy());
    case 'truncated':
      writeHead(ex, 200, { 'Content-Type': JSON_TYPE, 'Content-Length': PARTIAL_JSON.length, ...freshchatHeaders(ex) });
      return void ex.res.end(PARTIAL_JSON);
    case 'latency': {
      const timer = setTimeout(answer, fault.ms);
      // A closed socket (client abort, sandbox.close()) must not leave a timer behind.
      ex.res.once('close', () => clearTimeout(timer));
      return;
    }
  }
}

function sendStatus(ex: Exchange, fault: Extract<Fault, { kind: 'status' }>): void {
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  const message = `Injected fault: ${STATUS_CODES[fault.status] ?? 'error'}`;
  sendJson(ex, fault.status, { code: fault.status, status: statusKey(fault.status), message }, headers);
}

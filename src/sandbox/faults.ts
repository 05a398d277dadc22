import { STATUS_CODES } from 'node:http';
import { JSON_TYPE, freshchatHeaders, sendJson, writeHead, type Exchange } from './http.js';
import { createRandom } from './random.js';

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
  /**
   * Chance of applying to a matching request; default 1. Drawn from the sandbox's seed, the rule, the
   * request (method, path and query) and how many times the rule has seen that request before: so
   * the faults one call meets, attempt after attempt, do not depend on how concurrent calls happen to
   * interleave, and a storm plays out alike on a fast and a loaded machine.
   */
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
  /** Numbers the rules of one sandbox, in the order they were added: part of every draw. */
  readonly id: number;
  remaining: number;
  /** How many draws this rule made for each request key. */
  readonly seen: Map<string, number>;
}

/** FNV-1a: a 32-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The injected rules, checked in order; the first applicable one wins. */
export class FaultRules {
  private entries: Entry[] = [];
  private added = 0;

  constructor(private readonly seed: number) {}

  add(rule: FaultRule): { remove(): void } {
    const entry: Entry = { rule, id: this.added++, remaining: rule.times ?? Number.POSITIVE_INFINITY, seen: new Map() };
    this.entries.push(entry);
    return { remove: () => void (this.entries = this.entries.filter((e) => e !== entry)) };
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * The fault to apply to this request, if any; spends one of its `times`. `path` is what rules
   * match; `key` names the request for the draws (method, path and query).
   */
  take(path: string, key: string = path): Fault | undefined {
    for (const entry of this.entries) {
      if (entry.remaining <= 0 || !matches(entry.rule.match, path)) continue;
      const probability = entry.rule.probability ?? 1;
      if (probability < 1 && this.draw(entry, key) >= probability) continue;
      entry.remaining -= 1;
      return entry.rule.fault;
    }
    return undefined;
  }

  /** A number in [0, 1) fixed by the seed, the rule, the request and its occurrence. */
  private draw(entry: Entry, key: string): number {
    const occurrence = entry.seen.get(key) ?? 0;
    entry.seen.set(key, occurrence + 1);
    return createRandom(hash(`${this.seed}|${entry.id}|${key}|${occurrence}`)).next();
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

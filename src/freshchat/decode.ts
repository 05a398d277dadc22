/**
 * Turns one Freshchat HTTP response into a wire value or a FreshchatError. Every path consumes or
 * dumps the body, so the socket goes back to the pool. Upstream text (bodies, parser messages that
 * quote them) never reaches an error message: only Freshchat's UPPER_SNAKE `status` key is kept.
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { FreshchatError } from '../errors.js';
import { parseRetryAfter } from './retry.js';
import type * as Freshchat from './wire.js';

/** `status` tells a write's 202 (accepted, done later) from its 200/201/204 (done). */
export type Decoder<T> = (body: unknown, status: number) => T;
export type Response = Pick<Dispatcher.ResponseData, 'statusCode' | 'headers' | 'body'>;
type Body = Response['body'];

const HTML = 'Freshchat answered with HTML, not JSON (is the base URL the API host, ending in /v2?)';

/**
 * 200 and 201 carry data (Freshchat's docs list 200; creates may answer 201). A write may also be
 * answered 202 (accepted, done later: a deletion) or 204, with a JSON body or none (null then); a
 * read never: it needs data.
 */
export async function decodeResponse<T>(response: Response, decode: Decoder<T>, now: number, write = false): Promise<T> {
  const status = response.statusCode;
  if (status === 200 || status === 201) return decode(await readJson(response), status);
  if (write && (status === 202 || status === 204)) return decode(await readOptionalJson(response), status);
  throw await statusError(response, now);
}

/** A body that does not matter to the outcome: JSON when it is JSON, else null. */
async function readOptionalJson(response: Response): Promise<unknown> {
  if (!isJson(mediaType(response.headers['content-type']))) {
    await discard(response.body);
    return null;
  }
  try {
    const text = await response.body.text();
    return text.trim() === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const type = mediaType(response.headers['content-type']);
  if (!isJson(type)) {
    await discard(response.body);
    if (type === 'text/html') throw badResponse(HTML);
    throw badResponse(`Freshchat answered with content type ${type ?? 'none'}, not JSON`);
  }
  return parseJson(await readText(response.body));
}

async function readText(body: Body): Promise<string> {
  try {
    return await body.text();
  } catch (error) {
    // A body shorter than its Content-Length is a malformed answer; other read faults (a reset
    // mid-body) propagate and are classified as retryable transport faults by the caller.
    if (errorCode(error) === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      throw badResponse('Freshchat sent a truncated body');
    }
    throw error;
  }
}

function parseJson(text: string): unknown {
  if (text.trimStart().startsWith('<')) throw badResponse(HTML);
  try {
    return JSON.parse(text);
  } catch {
    // No `cause`: V8's SyntaxError message quotes the body.
    throw badResponse('Freshchat sent invalid or truncated JSON');
  }
}

async function statusError(response: Response, now: number): Promise<FreshchatError> {
  const { statusCode } = response;
  const upstreamStatus = await readUpstreamStatus(response);
  // Retry-After comes with 429, and may come with 503 (RFC 9110 §10.2.3).
  const retryAfter =
    statusCode === 429 || statusCode === 503
      ? parseRetryAfter(headerValue(response.headers['retry-after']), now)
      : undefined;
  return toStatusError(statusCode, upstreamStatus, retryAfter);
}

const ERROR_KEY = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Freshchat's error object `{ code, status, message }`: only `status`, and only if it looks like a key. */
async function readUpstreamStatus(response: Response): Promise<string | undefined> {
  if (!isJson(mediaType(response.headers['content-type']))) {
    await discard(response.body);
    return undefined;
  }
  try {
    const body: unknown = JSON.parse(await response.body.text());
    const status = typeof body === 'object' && body !== null && 'status' in body ? body.status : undefined;
    return typeof status === 'string' && ERROR_KEY.test(status) ? status : undefined;
  } catch {
    return undefined; // the status code alone classifies the error
  }
}

type Classified = [FreshchatError['kind'], string];

const BY_STATUS: Readonly<Record<number, Classified>> = {
  401: ['UNAUTHENTICATED', 'Freshchat rejected the API token (401)'],
  403: ['FORBIDDEN', 'The Freshchat API token lacks a scope for this call (403)'],
  404: ['NOT_FOUND', 'Freshchat has no such object (404)'],
  429: ['RATE_LIMITED', 'Freshchat rate limit reached (429)'],
};

/** The one status → kind table. WRONG_PAGE comes as 400 or 404 (the docs do not say which). */
export function toStatusError(status: number, upstreamStatus?: string, retryAfter?: number): FreshchatError {
  const [kind, message] = classify(status, upstreamStatus);
  return new FreshchatError(kind, message, { status, upstreamStatus, retryAfter });
}

function classify(status: number, upstreamStatus: string | undefined): Classified {
  if (upstreamStatus === 'WRONG_PAGE' && (status === 400 || status === 404)) {
    return ['PAGE_OUT_OF_RANGE', 'The page does not exist in the Freshchat result'];
  }
  const known = BY_STATUS[status];
  if (known) return known;
  if (status >= 500) return ['UNAVAILABLE', `Freshchat answered ${status}`];
  if (status >= 400) return ['BAD_REQUEST', `Freshchat rejected the request (${status})`];
  return ['BAD_RESPONSE', `Freshchat answered with unexpected status ${status}`];
}

// ---- shapes: loose on purpose, checking only what the client and mappers rely on ----

/** Any Freshchat object the subgraph reads: all it relies on is a string id. */
export const withId = z.looseObject({ id: z.string() });

/** A decoder that checks `schema` and hands the body on as the wire type (./types.ts). */
export function decoderOf<T>(schema: z.ZodType, what: string): (body: unknown) => T {
  return (body) => {
    const result = schema.safeParse(body);
    if (!result.success) {
      const at = result.error.issues[0]?.path.join('.') ?? '';
      throw badResponse(`Freshchat sent ${what} of an unexpected shape${at === '' ? '' : ` (at ${at})`}`);
    }
    // The checked fields are the ones we rely on; every other field is optional in ./types.ts.
    return body as T;
  };
}

export const decodeConfiguration = decoderOf<Freshchat.AccountConfiguration>(
  z.looseObject({}),
  'an account configuration',
);

// ---- helpers ----

function badResponse(message: string): FreshchatError {
  return new FreshchatError('BAD_RESPONSE', message);
}

async function discard(body: Body): Promise<void> {
  await body.dump().catch(() => undefined); // a failed dump only costs the socket
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `application/json; charset=utf-8` → `application/json`; anything odd → undefined. */
function mediaType(header: string | string[] | undefined): string | undefined {
  const type = headerValue(header)?.split(';')[0]?.trim().toLowerCase();
  return type !== undefined && /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : undefined;
}

function isJson(type: string | undefined): boolean {
  return type === 'application/json' || (type?.startsWith('application/') === true && type.endsWith('+json'));
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

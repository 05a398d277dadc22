/**
 * Freshchat's answer to a passthrough call, kept as sent: status, the headers a caller needs, and
 * the body bytes. Answers the breaker and the retry loop must see as failures (429, 5xx) are thrown
 * as an UpstreamAnswer, which still carries them, so the caller gets Freshchat's own answer after
 * the last attempt.
 */
import { FreshchatError } from '../errors.js';
import { headerValue, toStatusError, type Response } from '../freshchat/decode.js';
import { parseRetryAfter } from '../freshchat/retry.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The headers passed back, under the name they are sent as: the body's type, when to retry, and how
 * to find the call in Freshchat's logs. Freshchat's request id is renamed: `x-request-id` is this
 * request's own id, the one every log line of ours carries (a caller's, when it sent one).
 */
export const FORWARDED_HEADERS = {
  'content-type': 'content-type',
  'retry-after': 'retry-after',
  'x-request-id': 'x-upstream-request-id',
  'x-trace-id': 'x-trace-id',
  'x-ratelimit-total': 'x-ratelimit-total',
  'x-ratelimit-remaining': 'x-ratelimit-remaining',
  'x-ratelimit-used-currentrequest': 'x-ratelimit-used-currentrequest',
} as const;

/** Larger answers are refused rather than held in memory. */
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

export class UpstreamAnswer extends FreshchatError {
  constructor(
    readonly answer: RawAnswer,
    error: FreshchatError,
  ) {
    super(error.kind, error.message, { status: error.status, retryAfter: error.retryAfter });
  }
}

export async function readAnswer(response: Response, now: number): Promise<RawAnswer> {
  const answer = { status: response.statusCode, headers: pickHeaders(response.headers), body: await readCapped(response) };
  if (answer.status === 429 || answer.status >= 500) {
    const retryAfter = parseRetryAfter(answer.headers['retry-after'], now);
    throw new UpstreamAnswer(answer, toStatusError(answer.status, undefined, retryAfter));
  }
  return answer;
}

function pickHeaders(headers: Response['headers']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, as] of Object.entries(FORWARDED_HEADERS)) {
    const value = headerValue(headers[name]);
    if (value !== undefined) picked[as] = value;
  }
  return picked;
}

async function readCapped(response: Response): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_ANSWER_BYTES) {
      response.body.destroy();
      throw new FreshchatError('BAD_RESPONSE', `Freshchat's answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

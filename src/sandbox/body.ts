import type { Exchange } from './http.js';
import { invalidValue } from './paging.js';

const MAX_BODY_BYTES = 1_000_000;

/** The request's JSON body; a missing, oversized or malformed one is Freshchat's 400 INVALID_VALUE. */
export async function readJsonBody(ex: Exchange): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ex.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalidValue('The request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw invalidValue('A JSON body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidValue('The request body is not valid JSON');
  }
}

/** A JSON object body, as every write endpoint takes. */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidValue('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

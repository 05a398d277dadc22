import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type * as Freshchat from '../resources/wire.js';

/** One request in flight: what every handler and fault writer needs to answer it. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly started: number;
  /** The call-log entry; its status is set when the head is written (0 while nothing was sent). */
  readonly record: { status: number };
}

/** A Freshchat error answer (docs/freshchat-api.md#errors-and-status-codes); handlers throw it and the router turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): Freshchat.ErrorBody {
    return { code: this.code, status: this.status, message: this.message };
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The headers Freshchat was seen sending (docs/freshchat-api.md#errors-and-status-codes): a W3C-shaped trace id and the processing time. */
export function freshchatHeaders(ex: Exchange): Record<string, string> {
  return {
    'X-Trace-ID': `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`,
    'X-Server-Processing-Time-MS': String(Math.round(performance.now() - ex.started)),
  };
}

export function writeHead(ex: Exchange, status: number, headers: Record<string, string | number>): void {
  ex.record.status = status;
  ex.res.writeHead(status, headers);
}

export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  writeHead(ex, status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(text),
    ...freshchatHeaders(ex),
    ...headers,
  });
  ex.res.end(text);
}

export function sendError(ex: Exchange, error: ApiError): void {
  sendJson(ex, error.code, error.toBody(), error.headers);
}

/** A matched endpoint: the scope it needs and how to compute its JSON body (from the request's, for writes). */
export interface Endpoint {
  scope: string | undefined;
  body(input: unknown): unknown;
}

/** The endpoints of one path, by method. */
export type Endpoints = Partial<Record<'GET' | 'POST' | 'PUT', Endpoint>>;

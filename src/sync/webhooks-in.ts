/**
 * `POST /webhooks/freshchat/{accountId}` (docs/sync.md "Webhooks in"): the URL an admin pastes into
 * Freshchat's webhook settings. The body is verified before it is parsed: `X-Freshchat-Signature` is
 * base64 RSA PKCS#1 v1.5 SHA-256 over the raw bytes as received, checked with the account's public
 * key, so a body re-serialised by anything on the way fails. In order: an unknown account is 404
 * (before its size or signature are looked at), a body over the limit 413, a missing or wrong
 * signature or no key set 401; nothing is recorded for any of them. An event is recorded before the
 * 200 (a repeat is answered 200 and recorded once); if the log cannot take it in time, 503 makes
 * Freshchat send it again.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';
import type { RecordedChange } from './change-log.js';
import { toObservations, UnknownEvent } from './freshchat-events.js';
import type { Observation } from './observe.js';

export interface WebhooksInDeps {
  /** Whether the subgraph serves this account (without reading its credentials). */
  exists(accountId: string): Promise<boolean>;
  /** The account's webhook public key, or null when none is set. */
  keyOf(accountId: string): Promise<KeyObject | null>;
  record(observations: readonly Observation[]): Promise<RecordedChange[]>;
  logger: Logger;
  /** Freshchat gives a receiver a few seconds: past this the answer is 503 and Freshchat retries. */
  answerWithinMs?: number;
}

export const WEBHOOK_PATH = '/webhooks/freshchat/:accountId';
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
const SIGNATURE = /^[A-Za-z0-9+/]+={0,2}$/;

export function createWebhooksInRouter(deps: WebhooksInDeps): express.Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });
  router.post(
    WEBHOOK_PATH,
    async (req, res, next) => {
      if (await deps.exists(req.params.accountId)) return next();
      refuse(res, 404, 'ACCOUNT_NOT_FOUND', `no account ${req.params.accountId}`);
    },
    raw,
    async (req, res) => {
      const accountId = req.params.accountId;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const key = await deps.keyOf(accountId);
      if (key === null) return refuse(res, 401, 'UNAUTHENTICATED', 'no webhook public key is set for this account (PATCH /admin/accounts/{id} {"webhookPublicKey"})');
      if (!signedBy(key, body, req.get('x-freshchat-signature'))) {
        deps.logger.warn({ accountId }, 'webhook refused: missing or wrong X-Freshchat-Signature');
        return refuse(res, 401, 'UNAUTHENTICATED', 'X-Freshchat-Signature is missing or does not match the body');
      }
      await accept(deps, accountId, body, res);
    },
  );
  router.use(WEBHOOK_PATH, bodyErrors);
  return router;
}

async function accept(deps: WebhooksInDeps, accountId: string, body: Buffer, res: Response): Promise<void> {
  let observations: Observation[];
  try {
    observations = toObservations(accountId, JSON.parse(body.toString('utf8')) as unknown);
  } catch (error) {
    if (error instanceof UnknownEvent) {
      deps.logger.info({ accountId, action: error.action }, 'webhook accepted: not an event that is recorded');
      return void res.json({ recorded: 0 });
    }
    return refuse(res, 400, 'BAD_USER_INPUT', 'the body is not JSON');
  }
  const recording = deps.record(observations);
  const late = await Promise.race([recording.then(() => false), delay(deps.answerWithinMs ?? 2_500).then(() => true)]).catch((error: unknown) => error);
  if (late === false) return void res.json({ recorded: (await recording).length });
  // Freshchat sends it again; a recording that still lands is then recognised as a repeat.
  recording.catch(() => undefined);
  deps.logger.warn({ accountId, err: late === true ? undefined : late }, 'webhook not recorded in time: answered 503 for Freshchat to retry');
  refuse(res, 503, 'UNAVAILABLE', 'the change log cannot record this event now; send it again');
}

/** Base64 RSA PKCS#1 v1.5 SHA-256 of the bytes exactly as received. */
export function signedBy(key: KeyObject, body: Buffer, header: string | undefined): boolean {
  const signature = header?.trim();
  if (!signature || !SIGNATURE.test(signature)) return false;
  try {
    return verify('sha256', body, { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A body over the limit (or one that cannot be read) in this route's JSON shape, not Express's HTML. */
const bodyErrors: ErrorRequestHandler = (error: { status?: number }, _req: Request, res, next) => {
  if (error.status === 413) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `a webhook body may hold at most ${MAX_WEBHOOK_BYTES} bytes`);
  if (error.status !== undefined && error.status < 500) return refuse(res, error.status, 'BAD_USER_INPUT', 'the body could not be read');
  next(error);
};

import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createWebhooksInRouter } from '../../src/sync/webhooks-in.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** The receiver alone, in front of a change log that answers as `record` does. */
async function receiver(record: () => Promise<never[]>): Promise<string> {
  const app = express().use(
    createWebhooksInRouter({ exists: async () => true, keyOf: async () => keys.publicKey, record, logger: createLogger('silent'), answerWithinMs: 200 }),
  );
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/freshchat/acme`;
}

const event = Buffer.from(JSON.stringify({ action: 'conversation_resolution', action_time: '2025-01-01T00:00:00.000Z', data: { resolve: { conversation: { conversation_id: 'c', status: 'resolved' } } } }));
const post = (url: string) =>
  fetch(url, { method: 'POST', body: event, headers: { 'x-freshchat-signature': sign('sha256', event, { key: keys.privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64') } });

describe('a webhook the change log cannot take', () => {
  it('is answered 503 in time when recording hangs, so Freshchat sends it again', async () => {
    const url = await receiver(() => new Promise<never[]>(() => undefined));
    const started = Date.now();
    const res = await post(url);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('is answered 503 when recording fails', async () => {
    const url = await receiver(() => Promise.reject(new Error('database gone')));
    expect((await post(url)).status).toBe(503);
  });
});

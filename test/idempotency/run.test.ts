import { describe, expect, it } from 'vitest';
import { createIdempotency, fingerprintOf, type WriteResult } from '../../src/idempotency/run.js';
import { createMemoryIdempotencyStore } from '../../src/idempotency/store.js';

const TTL = 86_400_000;
const write = (key: string, fingerprint = 'f1') => ({ accountKey: 'acme:k1', key, fingerprint });
const done = (payload: unknown): WriteResult => ({ outcome: { kind: 'payload', payload }, keep: true });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createIdempotency', () => {
  it('writes again with the same key once its entry has expired (IDEMPOTENCY_TTL_S)', async () => {
    let now = 0;
    const idempotency = createIdempotency({ store: createMemoryIdempotencyStore(), ttlMs: TTL, leaseMs: 1000, now: () => now });
    let sends = 0;
    const send = async () => done(++sends);
    expect(await idempotency.run(write('k'), send)).toMatchObject({ kind: 'done', outcome: { payload: 1 }, replayed: false });
    now = TTL - 1;
    expect(await idempotency.run(write('k'), send)).toMatchObject({ kind: 'done', outcome: { payload: 1 }, replayed: true });
    now = TTL + 1;
    expect(await idempotency.run(write('k'), send)).toMatchObject({ kind: 'done', outcome: { payload: 2 }, replayed: false });
    expect(sends).toBe(2);
  });

  it('makes one write for two replicas sharing a store: the other waits for the stored result', async () => {
    const store = createMemoryIdempotencyStore();
    const replicaA = createIdempotency({ store, ttlMs: TTL, leaseMs: 60_000, maxPollMs: 5 });
    const replicaB = createIdempotency({ store, ttlMs: TTL, leaseMs: 60_000, maxPollMs: 5 });
    const gate = deferred<void>();
    let sends = 0;
    const send = async () => {
      sends += 1;
      await gate.promise;
      return done('created');
    };
    const first = replicaA.run(write('k'), send);
    await Promise.resolve(); // A has claimed the key before B asks
    const second = replicaB.run(write('k'), send);
    gate.resolve();
    expect(await first).toMatchObject({ kind: 'done', outcome: { payload: 'created' }, replayed: false });
    expect(await second).toMatchObject({ kind: 'done', outcome: { payload: 'created' }, replayed: true });
    expect(sends).toBe(1);
  });

  it('answers in-use when the deadline comes while another request is still writing', async () => {
    const store = createMemoryIdempotencyStore();
    const replicaA = createIdempotency({ store, ttlMs: TTL, leaseMs: 60_000 });
    const replicaB = createIdempotency({ store, ttlMs: TTL, leaseMs: 60_000 });
    const gate = deferred<void>();
    const first = replicaA.run(write('k'), async () => (await gate.promise, done('x')));
    await Promise.resolve();
    const deadline = new AbortController();
    const second = replicaB.run(write('k'), async () => done('never'), deadline.signal);
    deadline.abort();
    expect(await second).toEqual({ kind: 'in-use' });
    gate.resolve();
    await first;
  });

  it('reports a write whose request stopped mid-way (lease passed) as abandoned, not writing again', async () => {
    let now = 0;
    const store = createMemoryIdempotencyStore();
    await store.claim({ ...write('k'), now, leaseUntil: 1000, expiresAt: TTL });
    const idempotency = createIdempotency({ store, ttlMs: TTL, leaseMs: 1000, now: () => now });
    now = 1001;
    let sends = 0;
    expect(await idempotency.run(write('k'), async () => done(++sends))).toEqual({ kind: 'abandoned' });
    expect(sends).toBe(0);
  });

  it('frees the key of a write that was never sent', async () => {
    const idempotency = createIdempotency({ store: createMemoryIdempotencyStore(), ttlMs: TTL, leaseMs: 1000 });
    const notSent: WriteResult = { outcome: { kind: 'error', message: 'refused', extensions: {} }, keep: false };
    await idempotency.run(write('k'), async () => notSent);
    expect(await idempotency.run(write('k'), async () => done('sent'))).toMatchObject({ outcome: { payload: 'sent' }, replayed: false });
  });

  it('refuses the key for a write with another fingerprint', async () => {
    const idempotency = createIdempotency({ store: createMemoryIdempotencyStore(), ttlMs: TTL, leaseMs: 1000 });
    await idempotency.run(write('k', 'f1'), async () => done(1));
    expect(await idempotency.run(write('k', 'f2'), async () => done(2))).toEqual({ kind: 'reused' });
  });
});

describe('fingerprintOf', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: null } }, { b: { c: 2 }, a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: 'x' }, { a: 'y' }, false],
  ])('fingerprints %j and %j alike: %s', (left, right, same) => {
    expect(fingerprintOf(left) === fingerprintOf(right)).toBe(same);
  });
});

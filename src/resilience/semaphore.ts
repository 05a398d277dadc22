/**
 * At most `max` holders at once, the others waiting in a bounded FIFO queue.
 *
 * Hand-written: rate-limiter-flexible limits requests per time window, not requests in flight, and
 * its RateLimiterQueue wakes waiters when a window expires, not when a slot is released.
 */
export class SemaphoreError extends Error {
  constructor(readonly reason: 'full' | 'aborted') {
    super(reason === 'full' ? 'too many calls are waiting' : 'gave up waiting');
    this.name = 'SemaphoreError';
  }
}

export type Release = () => void;

export interface Semaphore {
  /** Resolves with a release function once a slot is free; rejects with a SemaphoreError. */
  acquire(signal?: AbortSignal): Promise<Release>;
  readonly inUse: number;
  readonly waiting: number;
}

interface Waiter {
  grant: (release: Release) => void;
}

export function createSemaphore(max: number, maxWaiting: number): Semaphore {
  let inUse = 0;
  const queue: Waiter[] = [];

  /** Idempotent: a slot is given back once, to the next waiter if any. */
  const releaser = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant(releaser());
      else inUse -= 1;
    };
  };

  const enqueue = (signal: AbortSignal | undefined) =>
    new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(new SemaphoreError('aborted'));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    async acquire(signal) {
      if (signal?.aborted) throw new SemaphoreError('aborted');
      if (inUse < max) {
        inUse += 1;
        return releaser();
      }
      if (queue.length >= maxWaiting) throw new SemaphoreError('full');
      return enqueue(signal);
    },
    get inUse() {
      return inUse;
    },
    get waiting() {
      return queue.length;
    },
  };
}

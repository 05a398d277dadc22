/**
 * Runs loopback tests on a fake clock. Every wait in the upstream path is a global timer (retry
 * sleeps, the quota's queue, Retry-After holds, the request deadline, the sandbox's latency and rate
 * limit), so vitest's fake timers can drive them, while sockets stay real. The driver lets real I/O
 * finish, then jumps to the next timer: a Retry-After of 1 s costs milliseconds, and "at most N
 * calls in any second" is measured on a clock no busy CI machine can stretch.
 */
import { vi } from 'vitest';

// Captured before any test fakes them: the driver itself must wait on real time.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;

/** A round number, so timestamps in failures read well. */
export const CLOCK_START = Date.UTC(2026, 0, 1, 0, 0, 0);

export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: CLOCK_START });
}

/**
 * Real event-loop turns until `busy` has stayed false across a few of them. `busy` must tell work
 * that waits on a fake timer (a quota turn, a sandbox latency fault) from real work (the harness's
 * does); the bound on turns only keeps a `busy` that never clears from hanging a test, and is far
 * beyond what a loaded machine needs for one step of real work.
 */
async function quiesce(busy: () => boolean): Promise<void> {
  for (let calm = 0, turns = 0; calm < 3 && turns < 2_000; turns++) {
    await new Promise((resolve) => realSetImmediate(resolve));
    await new Promise((resolve) => realSetTimeout(resolve, 1));
    calm = busy() ? 0 : calm + 1;
  }
}

/**
 * Settles `work`, advancing the fake clock timer by timer whenever nothing real is in flight
 * (`busy`: upstream requests being exchanged). Fails when the clock passes `limitMs` (a livelock).
 */
export async function onFakeClock<T>(work: Promise<T>, busy: () => boolean, limitMs = 600_000): Promise<T> {
  let done = false;
  const settled = work.finally(() => void (done = true));
  settled.catch(() => undefined); // awaited below; this only stops an early unhandled-rejection report
  const started = Date.now();
  while (!done) {
    await quiesce(busy);
    if (done) break;
    if (Date.now() - started > limitMs) throw new Error(`still running after ${limitMs} ms of fake time`);
    await vi.advanceTimersToNextTimerAsync();
  }
  return settled;
}

/** A fake-clock sleep, for spacing arrivals inside `onFakeClock`. */
export const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The two ways a request's upstream work ends early: its deadline, and its caller leaving.
 * They abort with different reasons, because they mean different things to the breaker: a call cut
 * by the deadline counts as a failure (Freshchat was too slow), one cut because the caller left
 * does not (see isDeadline in ./guard.ts).
 */
import type { ServerResponse } from 'node:http';

/**
 * Aborts `ms` from now with a TimeoutError, like AbortSignal.timeout, but on the global timer, so
 * that tests on a fake clock drive it like every other wait. Unref'd: it never keeps a process alive.
 */
export function deadlineSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The request deadline passed', 'TimeoutError')), ms);
  timer.unref?.();
  return controller.signal;
}

/** When one use of Freshchat must end: the time (epoch ms, Date.now clock) and the signal that fires then. */
export interface Deadline {
  readonly at: number;
  readonly signal: AbortSignal;
}

/**
 * The deadline's timer and signal are made when something first listens (an upstream call, a write):
 * a request answered from caches never needs them. The signal still fires at `at`.
 */
export function startDeadline(ms: number): Deadline {
  const at = Date.now() + ms;
  let signal: AbortSignal | undefined;
  return {
    at,
    get signal() {
      return (signal ??= deadlineSignal(Math.max(0, at - Date.now())));
    },
  };
}

/**
 * Aborts when the HTTP response closes before it was sent whole: the caller (a router that timed
 * out, a closed tab) is gone, and nothing still running on its behalf can reach it.
 */
export function callerGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('The caller disconnected', 'AbortError'));
  });
  return controller.signal;
}

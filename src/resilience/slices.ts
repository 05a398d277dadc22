/**
 * How a per-minute quota is spent: in slices of `points` requests per `seconds`.
 *
 * rate-limiter-flexible counts in fixed windows that start at the first request after the previous
 * one expired. A plain 60 s window of Q points lets 2·Q requests through around a window edge (Q at
 * 0:59, Q at 1:01), and spends the whole minute's quota in the first second of a burst. Slices fix
 * both: disjoint slices of W seconds each holding P points, any 60 s span touches at most 60/W + 1
 * of them (W dividing 60), so P = ⌊Q·W / (60 + W)⌋ keeps every 60 s span — wherever Freshchat's
 * minute starts — at or under Q, and a burst spends one slice, not the minute.
 */
export interface Slices {
  /** Requests allowed per slice. */
  points: number;
  /** Slice length in whole seconds (Redis expiries are whole seconds). */
  seconds: number;
}

/** Divisors of 60 only: for other lengths a 60 s span can touch one more slice than 60/W + 1. */
const SLICE_SECONDS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

/**
 * The slicing that lets the most requests through per minute; on a tie, the shortest slice (the
 * smoothest). Under 2 per minute nothing can be sliced safely (the setting's minimum is 2).
 */
export function toSlices(perMinute: number): Slices {
  let best: Slices = { points: 1, seconds: 60 };
  let bestRate = 0;
  for (const seconds of SLICE_SECONDS) {
    const points = Math.floor((perMinute * seconds) / (60 + seconds));
    const rate = (points * 60) / seconds;
    if (points >= 1 && rate > bestRate) {
      best = { points, seconds };
      bestRate = rate;
    }
  }
  return best;
}

/** The most requests any span of `ms` can hold under these slices: P · (⌈ms / W⌉ + 1). */
export function maxInSpan(slices: Slices, ms: number): number {
  return slices.points * (Math.ceil(ms / (slices.seconds * 1000)) + 1);
}

/**
 * The line of callers waiting for a turn in one account's request quota, served most urgent first:
 * by priority (callers' queries before background work, such as a sync poller, that passes a lower
 * one), then by deadline (the call whose request ends soonest: earliest-deadline-first is the order
 * that lets the most requests finish in time when turns are scarce, as in a 429 storm, where a
 * first-come line lets a newer query's calls delay an older one's past its deadline), then by
 * arrival.
 *
 * A turn is taken from the limiter only when it is handed to a waiter, so a caller that leaves the
 * line (deadline, disconnect) takes nothing with it; rate-limiter-flexible's RateLimiterQueue, used
 * before, is first-come only and lets an abandoned entry still spend a turn later.
 */

/** How urgent a caller is; see the module comment for the order. */
export interface Urgency {
  /** Higher is served first; callers use 0. */
  priority: number;
  /** Epoch ms at which the caller's request ends; undefined: no deadline (served after those with one). */
  deadline: number | undefined;
}

/** One attempt to take a turn from the limiter: taken, or how long until the next may succeed. */
export type Taken = { ok: true } | { ok: false; msBeforeNext: number };

export interface TurnSource {
  take(): Promise<Taken>;
  /** Gives back a turn taken for a caller that left meanwhile. */
  giveBack(): Promise<void>;
}

export interface Place {
  /** Resolves when the caller has its turn; rejects with the reason it left the line. */
  readonly turn: Promise<void>;
  /** Takes the caller out of the line (a no-op once it has its turn). */
  leave(reason: unknown): void;
}

interface Entry extends Urgency {
  readonly seq: number;
  grant(): void;
  fail(reason: unknown): void;
}

export class TurnLine {
  readonly #waiting: Entry[] = [];
  readonly #source: TurnSource;
  #seq = 0;
  #serving = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(source: TurnSource) {
    this.#source = source;
  }

  get size(): number {
    return this.#waiting.length;
  }

  /** Callers that would be served before a new one of this urgency. */
  ahead(urgency: Urgency): number {
    const probe = { ...urgency, seq: Number.POSITIVE_INFINITY };
    return this.#waiting.filter((entry) => before(entry, probe)).length;
  }

  join(urgency: Urgency): Place {
    let entry!: Entry;
    const turn = new Promise<void>((grant, fail) => (entry = { ...urgency, seq: this.#seq++, grant, fail }));
    const at = this.#waiting.findIndex((other) => before(entry, other));
    this.#waiting.splice(at < 0 ? this.#waiting.length : at, 0, entry);
    if (this.#timer === undefined) void this.#serve();
    return { turn, leave: (reason) => this.#remove(entry, reason) };
  }

  /** Takes out every caller `which` picks, each failing with `reason`. */
  dismiss(which: (urgency: Urgency) => boolean, reason: unknown): void {
    for (const entry of this.#waiting.filter(which)) this.#remove(entry, reason);
  }

  #remove(entry: Entry, reason: unknown): void {
    const index = this.#waiting.indexOf(entry);
    if (index < 0) return;
    this.#waiting.splice(index, 1);
    entry.fail(reason);
  }

  /** Hands out turns while the limiter has them; else waits for its next one. Never rejects. */
  async #serve(): Promise<void> {
    if (this.#serving) return;
    this.#serving = true;
    try {
      while (this.#waiting.length > 0) {
        const taken = await this.#source.take().catch((error: unknown) => error);
        if (!isTaken(taken)) {
          this.#waiting.shift()?.fail(taken); // the store failed: the most urgent caller hears of it
          continue;
        }
        if (!taken.ok) return this.#wake(taken.msBeforeNext);
        const next = this.#waiting.shift();
        if (next) next.grant();
        else await this.#source.giveBack().catch(() => undefined);
      }
    } finally {
      this.#serving = false;
    }
  }

  #wake(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#serve();
    }, Math.max(1, ms));
    this.#timer.unref?.();
  }
}

function isTaken(value: unknown): value is Taken {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

/** Whether `a` is served before `b`. */
function before(a: Urgency & { seq: number }, b: Urgency & { seq: number }): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  const da = a.deadline ?? Number.POSITIVE_INFINITY;
  const db = b.deadline ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db;
  return a.seq < b.seq;
}

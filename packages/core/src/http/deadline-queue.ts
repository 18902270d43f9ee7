// Design: --request-timeout without a timer per request. Every request of a worker gets the same
// deadline, so requests expire in the order they arrived: a Map (insertion-ordered) of request
// to arrival is already sorted by deadline. One interval, at a twentieth of the deadline (10 to
// 250 ms), counts ticks and takes the expired requests off the Map's front, stopping at the first
// that is not. Arrival is the tick count, not a clock read: performance.now() costs as much as the
// Map's insert and delete together (measured, apps/bench/deadline-cost.mjs). A request expires
// more than the deadline's worth of ticks after its arrival tick: never early, late by at most
// one tick (more only when the loop itself is late). None of this exists when the setting is 0.

/** How often the queue is scanned, from the deadline: late by at most this much. */
export function deadlineResolutionMs(deadlineMs: number): number {
  return Math.min(250, Math.max(10, Math.round(deadlineMs / 20)));
}

/** The reason a Fetch handler's `request.signal` aborts with past --request-timeout (a TimeoutError, as AbortSignal.timeout's). */
export function requestTimeoutReason(seconds: number): DOMException {
  return new DOMException(`the request exceeded --request-timeout ${seconds}s`, 'TimeoutError');
}

export class DeadlineQueue<T> {
  readonly #ticksPerDeadline: number;
  readonly #onExpired: (item: T) => void;
  readonly #arrivals = new Map<T, number>();
  readonly #timer: NodeJS.Timeout;
  #tick = 0;

  /** `onExpired` runs once for an item still in the queue `deadlineMs` after it was added. */
  constructor(deadlineMs: number, onExpired: (item: T) => void) {
    const resolutionMs = deadlineResolutionMs(deadlineMs);
    this.#ticksPerDeadline = Math.ceil(deadlineMs / resolutionMs);
    this.#onExpired = onExpired;
    this.#timer = setInterval(this.#expire, resolutionMs).unref();
  }

  add(item: T): void {
    this.#arrivals.set(item, this.#tick);
  }

  /** The item is over (answered, or its client left): it never expires. */
  delete(item: T): void {
    this.#arrivals.delete(item);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#arrivals.clear();
  }

  #expire = (): void => {
    // Added during tick `due` or before: more than a deadline's worth of whole ticks ago.
    const due = ++this.#tick - this.#ticksPerDeadline - 1;
    for (const [item, arrival] of this.#arrivals) {
      if (arrival > due) break;
      this.#arrivals.delete(item);
      this.#onExpired(item);
    }
  };
}

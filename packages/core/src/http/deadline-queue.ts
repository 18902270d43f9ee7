// Design: --request-timeout without a timer per request. Every request of a worker gets the same
// deadline, so requests expire in the order they arrived: a Map (insertion-ordered) of request
// to arrival time is already sorted by deadline. One interval, at a twentieth of the deadline
// (10 to 250 ms), takes the expired ones off its front and stops at the first that is not; a
// request costs a Map set and delete, and none of this exists when the setting is 0.

/** How often the queue is scanned, from the deadline: late by at most this much. */
export function deadlineResolutionMs(deadlineMs: number): number {
  return Math.min(250, Math.max(10, Math.round(deadlineMs / 20)));
}

/** The reason a Fetch handler's `request.signal` aborts with past --request-timeout (a TimeoutError, as AbortSignal.timeout's). */
export function requestTimeoutReason(seconds: number): DOMException {
  return new DOMException(`the request exceeded --request-timeout ${seconds}s`, 'TimeoutError');
}

export class DeadlineQueue<T> {
  readonly #deadlineMs: number;
  readonly #onExpired: (item: T) => void;
  readonly #arrivals = new Map<T, number>();
  readonly #timer: NodeJS.Timeout;

  /** `onExpired` runs once for an item still in the queue `deadlineMs` after it was added. */
  constructor(deadlineMs: number, onExpired: (item: T) => void) {
    this.#deadlineMs = deadlineMs;
    this.#onExpired = onExpired;
    this.#timer = setInterval(this.#expire, deadlineResolutionMs(deadlineMs)).unref();
  }

  add(item: T): void {
    this.#arrivals.set(item, performance.now());
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
    const due = performance.now() - this.#deadlineMs;
    for (const [item, arrival] of this.#arrivals) {
      if (arrival > due) break;
      this.#arrivals.delete(item);
      this.#onExpired(item);
    }
  };
}

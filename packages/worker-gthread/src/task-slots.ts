// Design: each pool thread holds up to TASKS_PER_THREAD requests — one running, the next already
// delivered — so a thread never sits idle waiting for a round trip to the main thread; a lone
// thread holds every waiting request without a body, as no other thread could take one sooner, so
// that under load each message carries many (thread-pool.ts). A request delivered to a thread can
// no longer be taken back, so the deadline and a departed client work through a slot in a shared
// Int32Array, where the thread writes its threadId when it starts the request. At the deadline the
// main thread reads the slot: a runner is terminated (the pool replaces it); no runner means the
// request never started, and the thread will skip it, because it checks the deadline only after
// claiming the slot (so a deadline the main thread saw pass is always seen passed there too).

/** Requests one thread of several holds at a time (the running one and the next); a lone thread holds no more with a body. */
export const TASKS_PER_THREAD = 2;

/** No slot was free: the request can be neither skipped by its slot nor run again on another thread. */
export const NO_SLOT = -1;

/** In a slot instead of a threadId: the client left before any thread started the request. */
const CANCELLED = -1;

/** The main thread's side: hands out slots and tells which thread runs a request. */
export class TaskSlots {
  readonly buffer: SharedArrayBuffer;
  readonly #runners: Int32Array;
  readonly #free: number[];

  constructor(capacity: number) {
    this.buffer = new SharedArrayBuffer(capacity * Int32Array.BYTES_PER_ELEMENT);
    this.#runners = new Int32Array(this.buffer);
    this.#free = Array.from({ length: capacity }, (_, index) => capacity - 1 - index);
  }

  /** A free slot, or NO_SLOT. */
  acquire(): number {
    return this.#free.pop() ?? NO_SLOT;
  }

  /** Returns `slot` once its task settled, so no thread writes to it any more. */
  release(slot: number): void {
    if (slot === NO_SLOT) return;
    Atomics.store(this.#runners, slot, 0);
    this.#free.push(slot);
  }

  /** The threadId running the request in `slot`; 0 while it has not started. */
  runner(slot: number): number {
    return slot === NO_SLOT ? 0 : Math.max(0, Atomics.load(this.#runners, slot));
  }

  /**
   * Marks the request in `slot` as never to be started; false when a thread already started it
   * (or it has no slot), which must then be told otherwise (thread.ts's cancellation channel).
   */
  cancelBeforeStart(slot: number): boolean {
    return slot !== NO_SLOT && Atomics.compareExchange(this.#runners, slot, 0, CANCELLED) === 0;
  }
}

/**
 * The thread's side: claims `slot` for this thread; false when the request is not to run (its
 * client left, or its deadline passed).
 */
export function startTask(runners: Int32Array, slot: number, deadline: number, threadId: number): boolean {
  if (slot !== NO_SLOT && Atomics.compareExchange(runners, slot, 0, threadId) === CANCELLED) return false;
  return deadline === 0 || Date.now() < deadline;
}

// Design: --max-loop-lag for gthread, whose app runs on its pool threads' event loops, not on
// the main thread's. Each thread stamps the time (Date.now(), the clock threads share) into a
// shared Float64Array every STAMP_MS from its own loop; the main thread's LoopLagGuard reads the
// lag of the freest thread, how late its latest stamp is. The worker is overloaded when even
// that thread lags: one thread stuck while another is free is not overload. A thread replaced
// by the pool leaves a stale stamp, which never is the freest while a live thread stamps. Slots
// are taken by threadId (sequential in a process), in a table twice the pool's size.

const STAMP_MS = 20;

/** The shared table for a pool of `threads`. */
export function threadLagTable(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(64, threads * 2) * Float64Array.BYTES_PER_ELEMENT);
}

/** In a pool thread: stamps its slot from this thread's event loop, without keeping the thread alive. */
export function stampThreadLag(table: SharedArrayBuffer, threadId: number): void {
  const stamps = new Float64Array(table);
  const slot = threadId % stamps.length;
  stamps[slot] = Date.now();
  setInterval(() => (stamps[slot] = Date.now()), STAMP_MS).unref();
}

/** In the main thread: the lag in milliseconds of the pool's freest thread (0 before any stamped). */
export function freestThreadLag(table: SharedArrayBuffer): () => number {
  const stamps = new Float64Array(table);
  return () => {
    let newest = 0;
    for (let slot = 0; slot < stamps.length; slot++) if (stamps[slot]! > newest) newest = stamps[slot]!;
    return newest === 0 ? 0 : Math.max(0, Date.now() - newest - STAMP_MS);
  };
}

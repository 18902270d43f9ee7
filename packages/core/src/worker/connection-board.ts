// Design: spread long-lived connections evenly over the workers that share a listener. libuv
// accepts until the kernel's queue is empty, so whichever worker wakes first takes a whole burst
// of connections, and a long-lived one (HTTP/2, a WebSocket, a proxy's upstream keep-alive) stays
// where it landed: 63 of h2load's 64 connections on one of two workers was seen. node:cluster deals
// connections round-robin from its primary, which then hands each one over IPC. Here each worker
// posts its number of open connections on a board, a small unlinked file the arbiter makes and
// every worker inherits (one 32-bit cell per worker slot: 0 for a free slot, else count + 1), and
// stops accepting while it holds more than the least loaded sibling plus one, which leaves the next
// connections in the queue for that sibling. It looks again every millisecond, and accepts anyway
// after 20 ms, so a sibling that is stuck or slow to accept costs at most that. A worker that stops
// accepting (a graceful stop) leaves the board. Cost: one pwrite per connection opened or closed,
// one pread of the board per connection opened (well under a microsecond each on tmpfs).

import { readSync, writeSync } from 'node:fs';

/** Workers beyond this many (with -w above it) do not balance; the board stays one page. */
export const BOARD_SLOTS = 256;
const CELL_BYTES = 4;
export const BOARD_BYTES = BOARD_SLOTS * CELL_BYTES;
/**
 * A worker accepts while it holds at most twice the least loaded sibling's connections plus this
 * many: far enough apart to leave short-lived connections alone (their counts swing on their own,
 * and yielding on every swing cost a quarter of the throughput with `Connection: close`).
 */
const SLACK = 2;
export const LOOK_AGAIN_MS = 1;
const MAX_YIELD_MS = 20;

/** Where a worker posts: the board's descriptor in the worker and its slot. */
export interface BoardSeat {
  readonly fd: number;
  readonly slot: number;
}

export class ConnectionBoard {
  readonly #fd: number;
  readonly #offset: number;
  readonly #bytes = Buffer.alloc(BOARD_BYTES);
  readonly #cells = new Uint32Array(this.#bytes.buffer, this.#bytes.byteOffset, BOARD_SLOTS);
  readonly #own = Buffer.alloc(CELL_BYTES);
  #yieldingSince = 0;
  #least = Infinity;
  #readAt = -Infinity;

  constructor(seat: BoardSeat) {
    this.#fd = seat.fd;
    this.#offset = seat.slot * CELL_BYTES;
  }

  /** Posts this worker's number of open connections. */
  post(connections: number): void {
    this.#write(connections + 1);
  }

  /** Off the board: this worker takes no more connections, and siblings must not wait for it. */
  leave(): void {
    this.#write(0);
  }

  /**
   * Whether to leave the next connection to a sibling that holds fewer (look again after
   * LOOK_AGAIN_MS). False after 20 ms of yielding, until this worker is no longer ahead.
   */
  yields(connections: number, now: number): boolean {
    if (connections <= SLACK) return false;
    // Read at most once per LOOK_AGAIN_MS: under many short connections a read per accept cost more than balancing gains.
    if (now - this.#readAt >= LOOK_AGAIN_MS) {
      this.#least = this.#readLeast();
      this.#readAt = now;
    }
    if (connections <= 2 * this.#least + SLACK) {
      this.#yieldingSince = 0;
      return false;
    }
    if (this.#yieldingSince === 0) this.#yieldingSince = now;
    return now - this.#yieldingSince < MAX_YIELD_MS;
  }

  /** The fewest connections a sibling on the board holds (Infinity when there is none). */
  #readLeast(): number {
    // A board file shorter than the board reads as free slots.
    this.#bytes.fill(0, readSync(this.#fd, this.#bytes, 0, BOARD_BYTES, 0));
    const cells = this.#cells;
    const own = this.#offset / CELL_BYTES;
    let least = Infinity;
    for (let slot = 0; slot < BOARD_SLOTS; slot++) {
      const cell = cells[slot]!;
      if (cell !== 0 && slot !== own && cell - 1 < least) least = cell - 1;
    }
    return least;
  }

  #write(cell: number): void {
    this.#own.writeUInt32LE(cell, 0);
    writeSync(this.#fd, this.#own, 0, CELL_BYTES, this.#offset);
  }
}

/** The arbiter's side: hands out slots and frees them, clearing a gone worker's cell. */
export class BoardSlots {
  readonly #fd: number;
  readonly #used = new Set<number>();

  constructor(fd: number) {
    this.#fd = fd;
  }

  get fd(): number {
    return this.#fd;
  }

  /** The lowest free slot, or null when every slot is taken (that worker then does not balance). */
  take(): number | null {
    for (let slot = 0; slot < BOARD_SLOTS; slot++) {
      if (!this.#used.has(slot)) {
        this.#used.add(slot);
        return slot;
      }
    }
    return null;
  }

  /** The worker in `slot` is gone: its cell is cleared, whatever it last posted. */
  free(slot: number): void {
    writeSync(this.#fd, Buffer.alloc(CELL_BYTES), 0, CELL_BYTES, slot * CELL_BYTES);
    this.#used.delete(slot);
  }
}

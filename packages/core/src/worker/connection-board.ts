// Design: spread long-lived connections evenly over the workers that share a listener. libuv
// accepts until the kernel's queue is empty, so whichever worker wakes first takes a whole burst
// of connections, and a long-lived one (HTTP/2, a WebSocket, a proxy's upstream keep-alive) stays
// where it landed: 63 of h2load's 64 connections on one of two workers was seen. node:cluster deals
// connections round-robin from its primary, which then hands each one over IPC. Here each worker
// posts its number of open connections on a board, a small unlinked file the arbiter makes and
// every worker inherits (one 32-bit cell per worker slot: 0 for a free slot, else count + 1).
// A worker holding more than two connections and more than the least loaded sibling plus one stops
// accepting and leaves the queue to that sibling. It looks again after a millisecond, and accepts
// anyway after 20 looks without the sibling catching up, then for four times as long as it yielded,
// so a sibling that is stuck costs at most a fifth of the time (20 ms in 100 on an idle machine).
// Why looks and not milliseconds: on a loaded machine the yielding worker is itself descheduled, and
// a 20 ms clock once ran out after two looks (the sibling had had no chance to run either: CI saw
// 5/27). A look happens only when this worker runs, so the sibling is given 20 real chances.
// A worker is on the board from when it accepts until it stops accepting (a graceful stop).
// Why once per turn: under many short connections (`Connection: close`) the counts swing on their
// own, and the first version, which wrote the board on every open and close and read it on every
// accept, cost 10-20% of the throughput. So a worker posts its count once per turn of its event loop
// (in the check phase, after the turn's I/O) and reads the board at most once a millisecond.

import { readSync, writeSync } from 'node:fs';

/** Workers beyond this many (with -w above it) do not balance; the board stays one page. */
export const BOARD_SLOTS = 256;
const CELL_BYTES = 4;
export const BOARD_BYTES = BOARD_SLOTS * CELL_BYTES;
/** A worker holding this many or fewer connections never yields. */
const FEW = 2;
export const LOOK_AGAIN_MS = 1;
/** Looks at the board without the sibling catching up before this worker accepts anyway. */
const MAX_YIELD_LOOKS = 20;
/** After giving up on a sibling, accept for this many times as long as the yielding lasted. */
const REST_PER_YIELD = 4;

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
  /** The count this worker holds, and the one the board shows. */
  #connections = 0;
  #posted = -1;
  #turnEnding = false;
  /** When this spell of yielding began (-1: not yielding). */
  #yieldingSince = -1;
  #looks = 0;
  #restUntil = -Infinity;
  #least = Infinity;
  #readAt = -Infinity;
  #left = false;

  constructor(seat: BoardSeat) {
    this.#fd = seat.fd;
    this.#offset = seat.slot * CELL_BYTES;
  }

  /** On the board, with no connections yet: until then siblings do not wait for this worker. */
  join(): void {
    this.#post();
  }

  /** A connection opened or closed: `connections` is how many this worker now holds. */
  holds(connections: number): void {
    this.#connections = connections;
    if (this.#turnEnding) return;
    this.#turnEnding = true;
    setImmediate(this.#endTurn);
  }

  /** Off the board: this worker takes no more connections, and siblings must not wait for it. */
  leave(): void {
    this.#left = true;
    this.#write(0);
  }

  /**
   * Whether to leave the next connection to a sibling that holds fewer (look again after
   * LOOK_AGAIN_MS). False after 20 looks without the sibling catching up, for four times as long
   * as the yielding lasted.
   */
  yields(now: number): boolean {
    if (this.#connections <= FEW || now < this.#restUntil) return false;
    // Read at most once per LOOK_AGAIN_MS: under many short connections a read per accept costs more than balancing gains.
    const looking = now - this.#readAt >= LOOK_AGAIN_MS;
    if (looking) {
      this.#post();
      this.#least = this.#readLeast();
      this.#readAt = now;
    }
    if (this.#connections <= this.#least + 1) {
      this.#yieldingSince = -1;
      return false;
    }
    if (this.#yieldingSince < 0) {
      this.#yieldingSince = now;
      this.#looks = 0;
    }
    if (looking && ++this.#looks > MAX_YIELD_LOOKS) {
      this.#restUntil = now + REST_PER_YIELD * (now - this.#yieldingSince);
      this.#yieldingSince = -1;
      return false;
    }
    return true;
  }

  #endTurn = (): void => {
    this.#turnEnding = false;
    this.#post();
  };

  #post(): void {
    if (this.#left || this.#posted === this.#connections) return;
    this.#posted = this.#connections;
    this.#write(this.#connections + 1);
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

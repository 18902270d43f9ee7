// Design: spread long-lived connections evenly over the workers that share a listener. libuv
// accepts until the kernel's queue is empty, so whichever worker wakes first takes a whole burst
// of connections, and a long-lived one (HTTP/2, a WebSocket, a proxy's upstream keep-alive) stays
// where it landed: 63 of h2load's 64 connections on one of two workers was seen. node:cluster deals
// connections round-robin from its primary, which then hands each one over IPC. Here each worker
// posts its number of open connections on a board, a small unlinked file the arbiter makes and
// every worker inherits (one 32-bit cell per worker slot: 0 for a free slot, else count + 1).
// A worker holding more than two connections and more than the least loaded sibling plus one stops
// accepting and leaves the queue to that sibling. It looks again after a millisecond, and accepts
// anyway after 20 ms of yielding in any 100 ms, so a sibling that is stuck or slow to accept costs at
// most that. A worker is on the board from when it accepts until it stops accepting (a graceful stop).
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
const MAX_YIELD_MS = 20;
/** After this long, a worker that stopped yielding (a stuck sibling) may yield again. */
const YIELD_SPELL_MS = 100;

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
  #yieldingSince = 0;
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
   * LOOK_AGAIN_MS). False after 20 ms of yielding, for the rest of a 100 ms spell.
   */
  yields(now: number): boolean {
    if (this.#connections <= FEW) return false;
    if (now - this.#yieldingSince >= YIELD_SPELL_MS) this.#yieldingSince = 0;
    // Read at most once per LOOK_AGAIN_MS: under many short connections a read per accept costs more than balancing gains.
    if (now - this.#readAt >= LOOK_AGAIN_MS) {
      this.#post();
      this.#least = this.#readLeast();
      this.#readAt = now;
    }
    if (this.#connections <= this.#least + 1) {
      this.#yieldingSince = 0;
      return false;
    }
    if (this.#yieldingSince === 0) this.#yieldingSince = now;
    return now - this.#yieldingSince < MAX_YIELD_MS;
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

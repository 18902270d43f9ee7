// Design: Gunicorn's WorkerTmp. The arbiter creates an unlinked file per worker on a memory
// file system and passes its descriptor to the worker. The worker stamps the file's mtime
// with the system-wide monotonic clock from its event loop (futimes, ~1.5 µs); the arbiter
// reads it with fstat about once a second. No IPC carries liveness, so a stalled arbiter never
// kills a healthy worker (reference/feasibility.md §3).
// A request with a deadline (sync) writes its request line at offset 0 and stops the automatic
// stamps until it is done; the arbiter reads that line back to log what was running. On the
// hot path these syscalls were ~12% of a sync worker's CPU, so a worker serving back to back
// stamps at most every few ms, writes its request line only when it changes, and leaves the
// idle mark to the next automatic stamp (until then, a worker stuck outside any request would
// be logged with the request line it last served).

import { closeSync, existsSync, fstatSync, futimesSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Seconds on CLOCK_MONOTONIC, the same clock in every process of the machine. */
export function monotonicSeconds(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds + nanoseconds / 1e9;
}

/** The worker's view of its heartbeat. */
export interface Heartbeat {
  /** Stamp now. Core calls it on a timer; a class may call it more often. */
  beat(): void;
  /** A request with a deadline starts: automatic beats stop until `idle()`, and `label` is what WORKER TIMEOUT logs. */
  busy(label: string): void;
  /** The request with a deadline ended. */
  idle(): void;
  /**
   * A connection arrived. Core hears of those a node:net server accepts; a class that accepts
   * connections outside node:net (uws) calls it for each. The first one starts the stall watchdog.
   */
  connectionOpened(): void;
}

const IDLE_MARK = Buffer.from('\n');
const LABEL_BYTES = 1024;

/** The worker side: stamps the inherited descriptor. */
export class HeartbeatWriter implements Heartbeat {
  #fd: number;
  #busy = false;
  #timer: NodeJS.Timeout | undefined;
  /** The request line the file holds, or undefined when it holds the idle mark. */
  #written: string | undefined;
  #lastBeatMs = 0;
  #throttleMs = 0;
  #onFirstConnection: (() => void) | undefined;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Beats every `intervalMs` from this event loop, without keeping the process alive; `onTick`
   * runs on every tick, busy or not (the stall watchdog's proof that the loop turns).
   */
  start(intervalMs: number, onTick?: () => void): void {
    // A deadline starts at most this much before its request did.
    this.#throttleMs = intervalMs / 10;
    this.beat();
    this.#timer = setInterval(() => {
      onTick?.();
      if (this.#busy) return;
      if (this.#written !== undefined) {
        writeSync(this.#fd, IDLE_MARK, 0, 1, 0);
        this.#written = undefined;
      }
      this.beat();
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  beat(): void {
    const now = monotonicSeconds();
    futimesSync(this.#fd, now, now);
    this.#lastBeatMs = performance.now();
  }

  busy(label: string): void {
    this.#busy = true;
    if (label === this.#written) {
      this.#beatIfStale();
      return;
    }
    const line = Buffer.from(`${label.slice(0, LABEL_BYTES - 1)}\n`);
    writeSync(this.#fd, line, 0, line.length, 0);
    this.#written = label;
    // A write stamps the wall clock; the arbiter reads the monotonic one.
    this.beat();
  }

  idle(): void {
    this.#busy = false;
    this.#beatIfStale();
  }

  connectionOpened(): void {
    const callback = this.#onFirstConnection;
    if (callback === undefined) return;
    this.#onFirstConnection = undefined;
    callback();
  }

  /** `callback` runs once, on the next `connectionOpened()`. */
  onFirstConnection(callback: () => void): void {
    this.#onFirstConnection = callback;
  }

  #beatIfStale(): void {
    if (performance.now() - this.#lastBeatMs >= this.#throttleMs) this.beat();
  }
}

/** The directory heartbeat files go to: `--worker-tmp-dir`, else /dev/shm, else the system temp dir. */
export function heartbeatDir(dir: string | null): string {
  return dir ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
}

/** The arbiter side: one unlinked file per worker. Throws the file system's error (ENOENT, EACCES…). */
export function createHeartbeatFile(dir: string | null): number {
  return createUnlinkedFile(dir, 'heartbeat');
}

/** A file in the heartbeat directory that only its descriptors reach: nothing is left behind, whatever the exit. */
export function createUnlinkedFile(dir: string | null, kind: string): number {
  const path = join(heartbeatDir(dir), `narwhal-${kind}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return fd;
}

/** Seconds since the worker's last stamp. */
export function secondsSinceBeat(fd: number): number {
  return monotonicSeconds() - fstatSync(fd).mtimeMs / 1000;
}

/** The request line a busy worker recorded, or undefined when it was idle. */
export function readBusyLabel(fd: number): string | undefined {
  const buffer = Buffer.alloc(LABEL_BYTES);
  const length = readSync(fd, buffer, 0, LABEL_BYTES, 0);
  const text = buffer.toString('utf8', 0, length);
  const line = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  return line === '' ? undefined : line;
}

export function closeHeartbeatFile(fd: number): void {
  closeSync(fd);
}

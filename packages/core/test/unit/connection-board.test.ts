import { closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardSlots, ConnectionBoard } from '../../src/worker/connection-board.js';
import { createUnlinkedFile } from '../../src/worker/heartbeat.js';

/** The end of this turn of the event loop, where a worker posts its count. */
const endOfTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the connection board', () => {
  let dir: string;
  let slots: BoardSlots;
  const seat = (): ConnectionBoard => new ConnectionBoard({ fd: slots.fd, slot: slots.take()! });

  beforeEach(() => {
    dir = mkdtempSync(`${tmpdir()}/narwhal-board-`);
    slots = new BoardSlots(createUnlinkedFile(dir, 'board'));
  });
  afterEach(async () => {
    await endOfTurn();
    closeSync(slots.fd);
    rmSync(dir, { recursive: true });
  });

  it('a worker ahead of a sibling by more than one yields to it; a few connections never yield', async () => {
    const ahead = seat();
    const behind = seat();
    ahead.join();
    behind.join();
    ahead.holds(2);
    expect(ahead.yields(1)).toBe(false);
    ahead.holds(3);
    expect(ahead.yields(2)).toBe(true);
    behind.holds(2);
    await endOfTurn();
    // The board is read at most once a millisecond.
    expect(ahead.yields(2.5)).toBe(true);
    expect(ahead.yields(3)).toBe(false);
  });

  it('yields for 20 looks at most, then accepts for four times as long as it yielded', () => {
    const ahead = seat();
    seat().join();
    ahead.holds(10);
    for (let now = 1; now <= 20; now++) expect(ahead.yields(now), `look at ${now} ms`).toBe(true);
    // Between looks (less than a millisecond apart) the answer stands.
    expect(ahead.yields(20.5)).toBe(true);
    expect(ahead.yields(21)).toBe(false);
    expect(ahead.yields(60)).toBe(false);
    expect(ahead.yields(100)).toBe(false);
    expect(ahead.yields(101)).toBe(true);
  });

  it('on a loaded machine, where its own looks come late, a worker still gives the sibling 20 looks', () => {
    const ahead = seat();
    seat().join();
    ahead.holds(10);
    // The worker itself ran only every 10 ms: a 20 ms clock would have given up after two looks.
    for (let look = 0; look < 20; look++) expect(ahead.yields(1 + look * 10)).toBe(true);
    expect(ahead.yields(201)).toBe(false);
    expect(ahead.yields(1000)).toBe(false);
    expect(ahead.yields(1001)).toBe(true);
  });

  it('a sibling not yet accepting, off the board or gone is not waited for', () => {
    const ahead = seat();
    const leaving = seat();
    const gone = seat();
    ahead.holds(10);
    expect(ahead.yields(1)).toBe(false);
    leaving.join();
    expect(ahead.yields(2)).toBe(true);
    leaving.leave();
    expect(ahead.yields(3)).toBe(false);
    gone.join();
    expect(ahead.yields(4)).toBe(true);
    slots.free(2);
    expect(ahead.yields(5)).toBe(false);
  });
});

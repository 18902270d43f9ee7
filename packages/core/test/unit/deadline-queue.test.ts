import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue, deadlineResolutionMs } from '../../src/http/deadline-queue.js';

describe('DeadlineQueue (--request-timeout)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scans at a twentieth of the deadline, between 10 and 250 ms', () => {
    expect([100, 1000, 30_000, 600_000].map(deadlineResolutionMs)).toEqual([10, 50, 250, 250]);
  });

  it('expires an item never before its deadline and at most one scan after it, in arrival order', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue<string>(1000, (item) => expired.push(item));
    queue.add('first');
    // One scan later: the queue tells arrivals apart by scan.
    vi.advanceTimersByTime(60);
    queue.add('second');
    vi.advanceTimersByTime(1000 - 60 - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(51);
    expect(expired).toEqual(['first']);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['first', 'second']);
    queue.close();
  });

  it('never expires an item deleted before its deadline, nor holds up the ones behind it', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue<string>(1000, (item) => expired.push(item));
    queue.add('answered');
    queue.add('slow');
    queue.delete('answered');
    vi.advanceTimersByTime(1100);
    expect(expired).toEqual(['slow']);
    queue.close();
  });
});

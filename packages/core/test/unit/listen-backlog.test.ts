import { describe, expect, it } from 'vitest';
import { backlogInTable, listenerPort } from '../../src/metrics/listen-backlog.js';

// /proc/net/tcp as Linux prints it: a LISTEN socket (st 0A) on 127.0.0.1:8000 with 3 connections
// in its accept queue, one on [::]:8000 in tcp6 form, an established connection on 8000, and a
// LISTEN socket on another port.
const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F40 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 1002 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F40 0100007F:D431 01 00000000:00000009 00:00000000 00000000     0        0 1003 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:1F41 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0        0 1004 1 0000000000000000 100 0 0 10 0
`;

describe('the listen backlog, as /proc/net/tcp shows it', () => {
  it("sums rx_queue of the LISTEN sockets on the listeners' ports only", () => {
    expect(backlogInTable(TABLE, new Set([8000]))).toBe(5);
    expect(backlogInTable(TABLE, new Set([8000, 8001]))).toBe(12);
    expect(backlogInTable(TABLE, new Set([9000]))).toBe(0);
  });

  it('reads the port of TCP listener URLs, not of unix sockets', () => {
    expect(listenerPort('http://127.0.0.1:8000')).toBe(8000);
    expect(listenerPort('http://[::1]:9000')).toBe(9000);
    expect(listenerPort('unix:/run/app.sock')).toBeUndefined();
  });
});

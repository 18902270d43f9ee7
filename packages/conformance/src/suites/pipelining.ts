// Design: RFC 9112 §9.3.2: requests written back to back on one connection are answered in
// order. A class without keep-alive (sync) answers the first and closes, never a later one.

import { expect, it } from 'vitest';
import { describeExchange } from '../judge-case.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { readResponses } from '../raw-response.js';
import { connectTo } from '../run-case.js';

export function pipeliningSuite(kit: Kit): void {
  const title = kit.keepAlive ? 'answers three pipelined requests in order (%s)' : 'answers the first of three pipelined requests, then closes (%s)';
  describeSuite(kit, 'pipelining', 'pipelining', () => {
    it.each(['node', 'fetch'] as const)(title, async (contract) => {
      const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
      const socket = await connectTo(narwhal.port);
      try {
        const reading = readResponses(socket, kit.keepAlive ? { responses: 3 } : { responses: 1, untilClose: true });
        socket.write([1, 2, 3].map((n) => `GET /target?n=${n} HTTP/1.1\r\nHost: example.com\r\n\r\n`).join(''));
        const exchange = await reading;
        const bodies = exchange.responses.filter((response) => !response.interim).map((response) => `${response.status} ${response.body.toString()}`);
        expect(bodies, describeExchange(exchange)).toEqual(kit.keepAlive ? ['200 /target?n=1', '200 /target?n=2', '200 /target?n=3'] : ['200 /target?n=1']);
        if (!kit.keepAlive) expect(exchange.closed, describeExchange(exchange)).toBe(true);
      } finally {
        socket.destroy();
      }
    });
  });
}

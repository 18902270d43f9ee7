// Design: `printf 'GET / …' | nc` and several HTTP/1.0 clients shut down their write side once
// the request is sent (shutdown(SHUT_WR)); the response must still come, then the close.

import { expect, it } from 'vitest';
import { describeExchange } from '../judge-case.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { readResponses } from '../raw-response.js';
import { connectTo } from '../run-case.js';

export function halfCloseSuite(kit: Kit): void {
  describeSuite(kit, 'half-close', 'half-closed clients', () => {
    it.each(['node', 'fetch'] as const)('answers a GET whose client shut down its write side, then closes (%s)', async (contract) => {
      const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
      const socket = await connectTo(narwhal.port);
      try {
        const reading = readResponses(socket, { untilClose: true });
        socket.end('GET /target?half-closed HTTP/1.1\r\nHost: example.com\r\n\r\n');
        const exchange = await reading;
        const [response] = exchange.responses.filter((candidate) => !candidate.interim);
        expect(response?.status, describeExchange(exchange)).toBe(200);
        expect(response?.body.toString()).toBe('/target?half-closed');
        expect(exchange.closed, describeExchange(exchange)).toBe(true);
      } finally {
        socket.destroy();
      }
    });
  });
}

// Design: RFC 9110 §10.1.1: a client that sends `Expect: 100-continue` waits for `100 Continue`
// before it sends the body; a server that waits for the body first deadlocks with it. The
// corpus checks the outcomes; this suite checks the order on the wire.

import { expect, it } from 'vitest';
import { describeExchange } from '../judge-case.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { readResponses } from '../raw-response.js';
import { connectTo } from '../run-case.js';

export function expectContinueSuite(kit: Kit): void {
  describeSuite(kit, 'expect-continue', 'Expect: 100-continue', () => {
    for (const contract of ['node', 'fetch'] as const) {
      for (const expectation of ['100-continue', '100-Continue']) {
        // `expect-continue/mixed-case`: a class whose engine answers only the lower-case spelling skips it, saying why.
        const skip = expectation === '100-continue' ? undefined : kit.skipReason('expect-continue/mixed-case');
        const title = `sends 100 Continue before the body is sent, then the final response (Expect: ${expectation}, ${contract})`;
        (skip === undefined ? it : it.skip)(skip === undefined ? title : `${title} (skipped: ${skip})`, async () => {
          const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
          const socket = await connectTo(narwhal.port);
          try {
            const interim = readResponses(socket, { untilInterim: true });
            socket.write(`POST /echo HTTP/1.1\r\nHost: example.com\r\nExpect: ${expectation}\r\nContent-Length: 5\r\n\r\n`);
            const first = await interim;
            expect(first.responses[0]?.status, `before the body: the server ${describeExchange(first)}`).toBe(100);
            // The final response's head may have come in the same packet as the 100.
            const final = readResponses(socket, { after: first.rest });
            socket.write('hello');
            const second = await final;
            const response = second.responses.find((candidate) => !candidate.interim);
            expect(response?.status, describeExchange(second)).toBe(200);
            expect(response?.body.toString()).toBe('hello');
          } finally {
            socket.destroy();
          }
        });
      }
    }
  });
}

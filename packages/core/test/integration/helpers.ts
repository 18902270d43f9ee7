import type { Socket } from 'node:net';
import { kitApp, readResponses, request, type RequestOptions } from '@narwhal/test-utils';

/** An app shipped with the conformance kit (routes-node.mjs, routes-fetch.mjs…), by file name. */
export const fixture = (name: string): string => kitApp(name);

/** One `GET /` on kept-alive `socket`: the body, or a rejection when none came within `deadlineMs`. */
export async function askOnce(socket: Socket, deadlineMs: number): Promise<string> {
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const exchange = await readResponses(socket, { deadlineMs });
  if (exchange.responses.length !== 1) throw new Error(`no answer in ${deadlineMs} ms`);
  return exchange.responses[0]!.body.toString();
}

/** `-b 127.0.0.1:0 --log-level info` plus the given arguments: every test takes an ephemeral port. */
export const ephemeral = ['-b', '127.0.0.1:0'];

/**
 * Requests in a loop until stopped, each on a fresh connection unless `options` passes a
 * keep-alive agent: the failures (a non-2xx status counts as one), the distinct bodies answered,
 * and the distinct `Connection` headers of the answers.
 */
export function loopRequests(url: string, options: RequestOptions = {}): { stop: () => Promise<{ ok: number; failed: string[]; bodies: Set<string>; connectionHeaders: Set<string> }> } {
  let running = true;
  const failed: string[] = [];
  const bodies = new Set<string>();
  const connectionHeaders = new Set<string>();
  let ok = 0;
  const loop = (async () => {
    while (running) {
      try {
        const response = await request(url, { timeoutMs: 5000, ...options });
        if (response.status < 200 || response.status >= 300) throw new Error(`GET ${url} answered ${response.status}: ${response.body}`);
        bodies.add(response.body);
        connectionHeaders.add(String(response.headers.connection));
        ok++;
      } catch (error) {
        failed.push(String(error));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ok, failed, bodies, connectionHeaders };
    },
  };
}

import { get, kitApp } from '@narwhal/test-utils';

/** An app shipped with the conformance kit (routes-node.mjs, routes-fetch.mjs…), by file name. */
export const fixture = (name: string): string => kitApp(name);

/** `-b 127.0.0.1:0 --log-level info` plus the given arguments: every test takes an ephemeral port. */
export const ephemeral = ['-b', '127.0.0.1:0'];

/** Requests in a loop, each on a fresh connection, until stopped: the failures, and the distinct bodies answered. */
export function loopRequests(url: string): { stop: () => Promise<{ ok: number; failed: string[]; bodies: Set<string> }> } {
  let running = true;
  const failed: string[] = [];
  const bodies = new Set<string>();
  let ok = 0;
  const loop = (async () => {
    while (running) {
      try {
        bodies.add(await get(url, { timeoutMs: 5000 }));
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
      return { ok, failed, bodies };
    },
  };
}

// Design: a worker class that cannot adopt inherited sockets (uWebSockets.js) binds each
// address itself in every worker, with SO_REUSEPORT. The arbiter still owns the addresses'
// meaning: it checks each new one is free (bind, then close at once: nothing listens) and
// turns port 0 into one concrete free port, because every worker must bind the same port.
// Addresses that stay the same across a HUP are not probed again (the workers hold them).

import { parseBindAddress } from '../config/bind-address.js';
import { bindListeners, closeListeners } from './listeners.js';

/** What `--bind` asked for, and what the workers bind. */
export interface SelfBoundAddresses {
  readonly requested: readonly string[];
  /** Per requested address: the same text, or with port 0 replaced by the port found free. */
  readonly concrete: readonly string[];
  /** For "Listening at" lines. */
  readonly urls: readonly string[];
}

/** Probes the addresses in `binds` that `previous` does not already cover. */
export async function resolveSelfBoundAddresses(binds: readonly string[], cwd: string, previous: SelfBoundAddresses | null): Promise<SelfBoundAddresses> {
  const concrete: string[] = [];
  const urls: string[] = [];
  for (const text of binds) {
    const known = previous?.requested.indexOf(text) ?? -1;
    if (known !== -1) {
      concrete.push(previous!.concrete[known]!);
      urls.push(previous!.urls[known]!);
      continue;
    }
    const [probe] = await bindListeners([text], cwd);
    closeListeners([probe!]);
    urls.push(probe!.url);
    const address = parseBindAddress(text);
    concrete.push(address.kind === 'tcp' && address.port === 0 ? concreteText(address.host, Number(new URL(probe!.url).port)) : text);
  }
  return { requested: [...binds], concrete, urls };
}

function concreteText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// Design: Gunicorn's `gunicorn.backlog` without getsockopt(TCP_INFO), which Node cannot call.
// Gunicorn reads tcpi_unacked of each listening socket, which for a socket in the LISTEN state
// is the kernel's sk_ack_backlog: connections accepted by the kernel that no process took yet.
// Linux prints the same figure as the rx_queue column of /proc/net/tcp and /proc/net/tcp6 for
// LISTEN sockets, so the arbiter reads those files (asynchronously, once a second) and sums the
// column over the LISTEN sockets on the listeners' ports, which also covers `-k uws`, whose
// workers each bind their own SO_REUSEPORT socket. Elsewhere than Linux there is no figure.

import { readFile } from 'node:fs/promises';

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];
const LISTEN = '0A';

/** The port of an `http://HOST:PORT` listener URL, or undefined for another kind. */
export function listenerPort(url: string): number | undefined {
  const match = /^https?:\/\/.*:(\d+)$/.exec(url);
  return match === null ? undefined : Number(match[1]);
}

/** Connections waiting in the accept queues of LISTEN sockets on `ports`; null where /proc/net/tcp is not there. */
export async function readListenBacklog(ports: ReadonlySet<number>): Promise<number | null> {
  if (process.platform !== 'linux' || ports.size === 0) return null;
  let total = 0;
  let read = false;
  for (const table of TABLES) {
    let text: string;
    try {
      text = await readFile(table, 'latin1');
    } catch {
      continue;
    }
    read = true;
    total += backlogInTable(text, ports);
  }
  return read ? total : null;
}

/** Sums rx_queue over the LISTEN rows of one /proc/net/tcp table whose local port is in `ports`. */
export function backlogInTable(text: string, ports: ReadonlySet<number>): number {
  let total = 0;
  for (const line of text.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue …
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || fields[3] !== LISTEN) continue;
    const port = parseInt(fields[1]!.slice(fields[1]!.lastIndexOf(':') + 1), 16);
    if (!ports.has(port)) continue;
    total += parseInt(fields[4]!.slice(fields[4]!.indexOf(':') + 1), 16);
  }
  return total;
}

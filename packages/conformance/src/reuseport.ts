// Design: a class whose workers bind their own SO_REUSEPORT listeners (uws; the arbiter says so
// at startup) cannot hand over connections still queued on a listener it closes, unless the
// kernel migrates them to a sibling (net.ipv4.tcp_migrate_req=1, Linux ≥ 5.14). Without it,
// every retirement resets the few connections queued on the retiring worker, whatever the
// class does. The suites that retire workers under load then tolerate exactly those losses (a
// connection's first request getting no byte back) and say why in their output.

import { readFileSync } from 'node:fs';
import type { NarwhalProcess } from './start-narwhal.js';

const MIGRATE_REQ = '/proc/sys/net/ipv4/tcp_migrate_req';

/** net.ipv4.tcp_migrate_req, or undefined where it cannot be read. */
export function migrateReq(): string | undefined {
  try {
    return readFileSync(MIGRATE_REQ, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Why closing one of this server's listeners resets queued connections, or undefined when it does not. */
export function reuseportResetReason(narwhal: NarwhalProcess): string | undefined {
  if (!/bind these addresses themselves, with SO_REUSEPORT/.test(narwhal.output())) return undefined;
  const value = migrateReq();
  if (value === '1') return undefined;
  return `the workers bind their own SO_REUSEPORT listeners and net.ipv4.tcp_migrate_req is ${value ?? 'unreadable'}, so a closing listener resets the connections queued on it (sysctl -w net.ipv4.tcp_migrate_req=1 migrates them)`;
}

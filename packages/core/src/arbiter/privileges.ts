// Design: Gunicorn drops privileges in each worker, after the arbiter (root) has bound the
// sockets: workers run as `--user`/`--group` (with the user's supplementary groups under
// `--initgroups`), the arbiter keeps root so that HUP and USR2 can bind low ports again
// (reference/feasibility.md §7). Names are resolved here, through NSS (`getent`, so LDAP
// users work too), to fail at startup with one line instead of in every worker; the numbers
// are what the arbiter chowns heartbeat files and unix sockets to.

import { execFileSync } from 'node:child_process';
import { NarwhalError } from '../errors.js';
import type { PlainSettings } from '../config/types.js';

export interface WorkerIdentity {
  readonly uid: number;
  readonly gid: number;
  /** For initgroups(3): the user name, when `--initgroups` is set. */
  readonly initgroupsUser: string | null;
}

/** An NSS entry's fields (`name:x:uid:gid:…` or `name:x:gid:members`), or undefined. */
function lookup(database: 'passwd' | 'group', key: string): string[] | undefined {
  try {
    return execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0]!.split(':');
  } catch {
    return undefined;
  }
}

/** The identity workers switch to, or null when neither `--user` nor `--group` is set. Throws NARWHAL_E_SETTING. */
export function resolveWorkerIdentity(settings: Pick<PlainSettings, 'user' | 'group' | 'initgroups'>): WorkerIdentity | null {
  if (settings.user === null && settings.group === null) {
    if (settings.initgroups) throw new NarwhalError('NARWHAL_E_SETTING', '--initgroups: needs --user, whose groups it gives the workers');
    return null;
  }
  const current = process.getuid?.() ?? 0;
  const user = settings.user === null ? undefined : lookup('passwd', settings.user);
  if (settings.user !== null && user === undefined) throw new NarwhalError('NARWHAL_E_SETTING', `--user ${settings.user}: no such user`);
  const group = settings.group === null ? undefined : lookup('group', settings.group);
  if (settings.group !== null && group === undefined) throw new NarwhalError('NARWHAL_E_SETTING', `--group ${settings.group}: no such group`);
  const uid = user === undefined ? current : Number(user[2]);
  // Gunicorn: without --group, the user's primary group.
  const gid = group !== undefined ? Number(group[2]) : user !== undefined ? Number(user[3]) : (process.getgid?.() ?? 0);
  if (current !== 0 && (uid !== current || gid !== process.getgid?.())) {
    const flag = settings.user !== null ? `--user ${settings.user}` : `--group ${settings.group}`;
    throw new NarwhalError('NARWHAL_E_SETTING', `${flag}: narwhal must start as root to run its workers as another user or group (it runs as uid ${current})`);
  }
  if (settings.initgroups && user === undefined) throw new NarwhalError('NARWHAL_E_SETTING', '--initgroups: needs --user, whose groups it gives the workers');
  return { uid, gid, initgroupsUser: settings.initgroups ? user![0]! : null };
}

/** In a worker, before the app loads: take the identity (Gunicorn's order: groups, gid, uid). */
export function dropPrivileges(identity: WorkerIdentity): void {
  if (process.getuid?.() !== 0) return;
  // process.initgroups is POSIX-only and missing from some @types/node releases.
  const { initgroups } = process as NodeJS.Process & { initgroups?: (user: string, extraGroup: number) => void };
  if (identity.initgroupsUser !== null) initgroups!(identity.initgroupsUser, identity.gid);
  else process.setgroups!([identity.gid]);
  process.setgid!(identity.gid);
  process.setuid!(identity.uid);
}

/** `--umask`: Gunicorn's int(value, 0): decimal, 0o/0x/0b prefixed, or a leading 0 for octal. */
export function parseUmask(text: string): number | undefined {
  const trimmed = text.trim();
  const value = /^0[0-7]+$/.test(trimmed) ? Number.parseInt(trimmed, 8) : Number(trimmed);
  return Number.isInteger(value) && value >= 0 && value <= 0o777 ? value : undefined;
}

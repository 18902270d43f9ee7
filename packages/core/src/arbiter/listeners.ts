// Design: the arbiter binds every address before any worker starts and never listens or
// accepts itself (reference/feasibility.md §1): `net._createServerHandle` does socket() and
// bind() only, the handle node:cluster uses for shared server handles. The first worker's
// listen({ fd }) puts the socket in LISTEN state; from then on connections queue in the kernel
// even while no worker lives, and the arbiter keeps its descriptors across every restart.
// A net.Server listening in the arbiter would accept and strand connections: never do that.

import { chownSync, existsSync, fstatSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { getSystemErrorName } from 'node:util';
import { parseBindAddress, describeBindAddress, type BindAddress } from '../config/bind-address.js';
import { NarwhalError } from '../errors.js';
import type { InheritedListener } from '../worker/contract.js';

interface ServerHandle {
  readonly fd: number;
  close(): void;
  getsockname?(out: { address?: string; port?: number }): number;
}

type CreateServerHandle = (address: string | null, port: number, addressType: number, fd?: number, flags?: number) => ServerHandle | number;

/** A bound socket the arbiter holds for the life of the server. */
export interface BoundListener {
  readonly address: BindAddress;
  readonly fd: number;
  readonly kind: InheritedListener['kind'];
  readonly url: string;
  readonly handle: ServerHandle | null;
  /** The unix socket path to unlink on shutdown. */
  readonly socketPath: string | null;
}

function createServerHandle(): CreateServerHandle {
  const create = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;
  if (typeof create !== 'function') throw new NarwhalError('NARWHAL_E_PLATFORM', 'this Node.js has no net._createServerHandle, which Narwhal needs to bind sockets without accepting on them');
  return create;
}

/** Binds every `--bind` address; on failure closes what it bound and throws NARWHAL_E_BIND. */
export async function bindListeners(binds: readonly string[], cwd: string): Promise<BoundListener[]> {
  const bound: BoundListener[] = [];
  try {
    for (const text of binds) bound.push(await bindOne(parseBindAddress(text), cwd));
  } catch (error) {
    closeListeners(bound);
    throw error;
  }
  return bound;
}

async function bindOne(address: BindAddress, cwd: string): Promise<BoundListener> {
  switch (address.kind) {
    case 'fd': {
      let isSocket = false;
      try {
        isSocket = fstatSync(address.fd).isSocket();
      } catch {
        // reported below
      }
      if (!isSocket) throw new NarwhalError('NARWHAL_E_BIND', `--bind ${address.text}: file descriptor ${address.fd} is not an open socket`);
      return { address, fd: address.fd, kind: 'fd', url: address.text, handle: null, socketPath: null };
    }
    case 'unix': {
      const path = resolve(cwd, address.path);
      await removeStaleSocket(path, address.text);
      const handle = check(createServerHandle()(path, -1, -1), address.text);
      return { address, fd: handle.fd, kind: 'unix', url: describeBindAddress(address), handle, socketPath: path };
    }
    case 'tcp': {
      const { host, family } = await resolveHost(address.host, address.text);
      const handle = check(createServerHandle()(host, address.port, family), address.text);
      const out: { port?: number } = {};
      handle.getsockname?.(out);
      // libuv defers EADDRINUSE from bind() to listen(), which only workers call; an unbound
      // socket would then listen on a random port. A bound socket reports the port it asked for.
      if (address.port !== 0 && out.port !== address.port) {
        handle.close();
        throw new NarwhalError('NARWHAL_E_BIND', `--bind ${address.text}: ${BIND_ERRORS.EADDRINUSE}`);
      }
      return { address, fd: handle.fd, kind: 'tcp', url: describeBindAddress({ ...address, host }, out.port), handle, socketPath: null };
    }
  }
}

async function resolveHost(host: string, text: string): Promise<{ host: string; family: 4 | 6 }> {
  const family = net.isIP(host);
  if (family !== 0) return { host, family: family as 4 | 6 };
  try {
    // Loaded only for a host name (about 0.5 MiB that an address never needs).
    const { lookup } = await import('node:dns/promises');
    const found = await lookup(host);
    return { host: found.address, family: found.family as 4 | 6 };
  } catch {
    throw new NarwhalError('NARWHAL_E_BIND', `--bind ${text}: cannot resolve host '${host}'`);
  }
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'the directory does not exist',
};

/** A handle, or the libuv error code the bind failed with (-98 → EADDRINUSE). */
function check(result: ServerHandle | number, text: string): ServerHandle {
  if (typeof result !== 'number') return result;
  const name = getSystemErrorName(result);
  throw new NarwhalError('NARWHAL_E_BIND', `--bind ${text}: ${BIND_ERRORS[name] ?? name}`);
}

async function removeStaleSocket(path: string, text: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) throw new NarwhalError('NARWHAL_E_BIND', `--bind ${text}: ${path} exists and is not a socket`);
  const live = await new Promise<boolean>((done) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      done(true);
    });
    probe.once('error', () => done(false));
  });
  if (live) throw new NarwhalError('NARWHAL_E_BIND', `--bind ${text}: ${BIND_ERRORS.EADDRINUSE} (a server answers on ${path})`);
  unlinkSync(path);
}

/** Gives unix socket files to the workers' user (`--user`/`--group`), as Gunicorn chowns them. */
export function giveSocketFiles(listeners: readonly BoundListener[], identity: { readonly uid: number; readonly gid: number } | null): void {
  if (identity === null) return;
  for (const listener of listeners) if (listener.socketPath !== null) chownSync(listener.socketPath, identity.uid, identity.gid);
}

/**
 * Takes over a listening socket this process inherited (a USR2 handover, systemd): a handle on
 * the descriptor, without listening on it. `url` null: read the address from the socket.
 */
export function adoptListener(fd: number, address: BindAddress, kind: BoundListener['kind'], url: string | null, socketPath: string | null): BoundListener {
  const handle = check(createServerHandle()(null, 0, 0, fd), address.text);
  return { address, fd, kind, url: url ?? describeInherited(fd, handle), handle, socketPath };
}

/**
 * Closes the arbiter's descriptors and removes unix socket files, unless `unlink` is false: while
 * another arbiter generation shares them (USR2), the files stay, as in Gunicorn.
 */
export function closeListeners(listeners: readonly BoundListener[], unlink = true): void {
  for (const listener of listeners) {
    listener.handle?.close();
    if (unlink && listener.socketPath !== null) {
      try {
        unlinkSync(listener.socketPath);
      } catch {
        // already gone
      }
    }
  }
}

/** How a worker sees the listeners: the first one as fd 0, the rest from fd 5 up (see spawn-worker). */
export function inheritedView(listeners: readonly BoundListener[], firstChildFd: number): InheritedListener[] {
  return listeners.map((listener, index) => ({
    fd: index === 0 ? 0 : firstChildFd + index - 1,
    kind: listener.kind,
    bind: listener.address.text,
    url: listener.url,
  }));
}

/** The "Listening at" URL of an inherited descriptor: http://ADDRESS:PORT for TCP, else fd://N. */
function describeInherited(fd: number, handle: ServerHandle): string {
  const out: { address?: string; port?: number } = {};
  if (handle.getsockname === undefined || handle.getsockname(out) !== 0 || out.port === undefined) return `fd://${fd}`;
  return net.isIPv6(out.address ?? '') ? `http://[${out.address}]:${out.port}` : `http://${out.address}:${out.port}`;
}

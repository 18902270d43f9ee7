// Design: the arbiter's control socket, the server side of `narwhal ctl` (Gunicorn 26's
// gunicornc). A unix socket in the arbiter's own event loop (Node needs no thread for it), framed
// as control-protocol.ts says; each command runs through `run` (control-commands.ts).
// The socket is bound under a umask of 0177, so it is owner-only from the instant it exists,
// whatever --umask says, and only then given --control-socket-mode: a client of another user can
// never slip in before the chmod. bind(2) happens inside listen() synchronously (Node binds a
// pipe server at once outside cluster workers), so the umask is back before any other code runs.
// Only a socket nobody answers on (its narwhal died) is replaced; the file is removed on exit
// only while it is still this arbiter's (same inode), so a successor's is never taken away.

import { chmodSync, existsSync, lstatSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { NarwhalError, isNarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { encodeFrame, FrameReader, type ControlResponse } from './control-protocol.js';

const OWNER_ONLY_UMASK = 0o177;
const PROBE_TIMEOUT_MS = 1000;

export interface ControlSocketOptions {
  readonly path: string;
  readonly mode: number;
  /** False when the path is the default: a running narwhal holding it is then a warning, not a halt. */
  readonly explicit: boolean;
  readonly log: Logger;
  /** Runs one command, resolving with its answer's data or rejecting with a NarwhalError. */
  readonly run: (command: string) => Promise<unknown>;
}

/**
 * The socket's path: --control-socket, from the directory narwhal started in; `PATH.2` for a
 * USR2 successor until it is promoted, as its pid file is, so that it never touches the old
 * arbiter's socket.
 */
export function controlSocketPath(setting: string, startCwd: string, successor: boolean): string {
  return resolve(startCwd, setting) + (successor ? '.2' : '');
}

export class ControlSocket {
  #path: string;
  readonly #server: Server;
  readonly #inode: number;

  private constructor(path: string, server: Server) {
    this.#path = path;
    this.#server = server;
    this.#inode = lstatSync(path).ino;
  }

  /** Serves at `options.path`; null when the default path belongs to another running narwhal. */
  static async open(options: ControlSocketOptions): Promise<ControlSocket | null> {
    const { path, log } = options;
    const problem = (text: string): NarwhalError => new NarwhalError('NARWHAL_E_CONTROL_SOCKET', `--control-socket ${path}: ${text}`);
    const found = await probe(path);
    if (found === 'notSocket') throw problem('a file that is not a socket is there; narwhal replaces only a socket');
    if (found === 'live') {
      if (options.explicit) throw problem('another running narwhal serves there; give this one its own path');
      // Several services on one host is ordinary, not a fault: an info line, as for each other choice made at start.
      log.info(`Control socket ${path} belongs to another running narwhal; this one serves none (give it --control-socket PATH)`);
      return null;
    }
    let server: Server;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (found === 'stale') unlinkSync(path);
      server = await listenOwnerOnly(path, options);
    } catch (error) {
      // The default place may not be writable (a read-only home in a container): that costs the
      // socket, not the server. A path asked for is a promise, kept or refused.
      if (options.explicit) throw problem((error as Error).message);
      log.warning(`Control socket ${path} cannot be created (${(error as Error).message}); this narwhal serves none (give it --control-socket PATH)`);
      return null;
    }
    chmodSync(path, options.mode);
    if (found === 'stale') log.info(`Replaced the stale control socket ${path}`);
    log.info(`Control socket at: ${path} (${process.pid})`);
    return new ControlSocket(path, server);
  }

  get path(): string {
    return this.#path;
  }

  /** A promoted USR2 successor's `PATH.2` becomes `path`, unless something else is there (another narwhal took the default). */
  promote(path: string, log: Logger): void {
    if (this.#path === path) return;
    if (existsSync(path)) {
      log.warning(`Control socket stays at ${this.#path}: ${path} is taken`);
      return;
    }
    // Renaming a bound socket keeps it listening: clients find it under the new name.
    renameSync(this.#path, path);
    this.#path = path;
    log.info(`Control socket at: ${path} (${process.pid})`);
  }

  close(): void {
    this.#server.close();
    try {
      if (lstatSync(this.#path).ino === this.#inode) unlinkSync(this.#path);
    } catch {
      // already gone
    }
  }
}

/** What is at `path`: nothing, a socket a server answers on, a socket nobody answers on, or something else. */
async function probe(path: string): Promise<'none' | 'live' | 'stale' | 'notSocket'> {
  try {
    if (!lstatSync(path).isSocket()) return 'notSocket';
  } catch {
    return 'none';
  }
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (verdict: 'live' | 'stale'): void => {
      socket.destroy();
      resolve(verdict);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done('live'));
    socket.once('connect', () => done('live'));
    // ECONNREFUSED: no process listens, the file is a leftover. Anything else (EACCES: another
    // user's socket) is not ours to replace.
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'stale' : 'live'));
  });
}

/** Listens at `path` with a socket file no one else can open, even for an instant. */
async function listenOwnerOnly(path: string, options: ControlSocketOptions): Promise<Server> {
  const server = createServer((socket) => serveConnection(socket, options));
  const umask = process.umask(OWNER_ONLY_UMASK);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

function serveConnection(socket: Socket, options: ControlSocketOptions): void {
  const reader = new FrameReader();
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = reader.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const message of messages) void answer(socket, message, options);
  });
}

async function answer(socket: Socket, message: unknown, options: ControlSocketOptions): Promise<void> {
  const { id, command } = (message ?? {}) as { id?: unknown; command?: unknown };
  const requestId = typeof id === 'number' ? id : 0;
  let response: ControlResponse;
  try {
    if (typeof command !== 'string') throw new NarwhalError('NARWHAL_E_CONTROL_COMMAND', 'a request is a JSON object { id, command }');
    response = { id: requestId, status: 'ok', data: await options.run(command) };
  } catch (error) {
    if (!isNarwhalError(error)) options.log.error({ err: error }, `The control command "${String(command)}" failed`);
    const code = isNarwhalError(error) ? error.code : 'NARWHAL_E_CONTROL_COMMAND';
    response = { id: requestId, status: 'error', error: error instanceof Error ? error.message : String(error), code };
  }
  if (socket.writable) socket.write(encodeFrame(response));
}

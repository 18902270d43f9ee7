// Design: a worker's first listener is its fd 0 (inherited-listeners.ts says why), one open file
// description shared by the arbiter and every worker, and so is its O_NONBLOCK flag. Two things
// clear that flag behind the workers' backs: libuv makes fds 0-2 blocking in every child it
// spawns, and Node, when a process exits, puts fd 0 back the way it found it at start (blocking,
// for that reason). A worker whose listener is blocking and that loses the race for a connection
// to a sibling (both are woken) then sits in accept() until the next connection arrives, its
// event loop held, and with it every request on its keep-alive connections. Behind nginx, whose
// upstream keep-alive opens few connections, requests hung for seconds after a HUP. So the
// worker's entry (entry.ts) calls this first thing, which makes fd 0 non-blocking again at once
// (opening a listening handle on it does; closing that handle leaves fd 0 open, as libuv never
// closes fds 0-2), and when the process exits puts /dev/null in fd 0's place, which leaves Node
// nothing to restore. Not a bare close: the next descriptor opened during the exit would then be
// fd 0, and libuv aborts rather than close a descriptor below 3.

import { closeSync, fstatSync, openSync } from 'node:fs';
import { Server } from 'node:net';

const LISTENER_FD = 0;

/** Makes the inherited listener non-blocking, and keeps Node from making it blocking at exit. */
export function keepListenerNonBlocking(): void {
  if (!fstatSync(LISTENER_FD).isSocket()) return;
  new Server().listen({ fd: LISTENER_FD }).close();
  process.once('exit', () => {
    closeSync(LISTENER_FD);
    openSync('/dev/null', 'r'); // the lowest free descriptor: fd 0
  });
}

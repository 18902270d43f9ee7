import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { eventually, fixtureDir, get, narwhalCli, workerClassPath } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

// systemd as a test double: the listening socket is passed as fd 3 with LISTEN_FDS/LISTEN_PID
// (`sh -c 'LISTEN_PID=$$ exec …'` gives the variable the arbiter's own pid, as systemd does
// after fork), and NOTIFY_SOCKET names a unix datagram socket read by a small Python receiver
// (Node has no unix datagram sockets; .ci/run installs Debian's python3).

const PYTHON = ['/usr/bin/python3', 'python3'].find((path) => path === 'python3' || existsSync(path))!;
const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode().replace("\\n", " "), flush=True)
`;

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
});

function spawnLogged(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; fds?: number[] } = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe', ...(options.fds ?? [])] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** A bound TCP socket that nothing listens on yet, as a .socket unit would hold (minus listen()). */
function boundSocket(): { fd: number; port: number; close: () => void } {
  const create = (net as unknown as { _createServerHandle: (host: string, port: number, family: number) => { fd: number; getsockname(out: { port?: number }): number; close(): void } })._createServerHandle;
  const handle = create('127.0.0.1', 0, 4);
  const out: { port?: number } = {};
  handle.getsockname(out);
  return { fd: handle.fd, port: out.port!, close: () => handle.close() };
}

describe('systemd', () => {
  it('serves the socket passed with LISTEN_FDS and notifies READY, RELOADING and STOPPING on NOTIFY_SOCKET', async () => {
    const dir = fixtureDir({ 'app.mjs': 'export default (req, res) => res.end(String(process.ppid));' });
    const notifySocket = join(dir, 'notify.sock');
    const receiver = spawnLogged(PYTHON, ['-u', '-c', RECEIVER, notifySocket]);
    await eventually(() => (receiver.output().includes('bound') ? true : undefined));
    const socket = boundSocket();
    const narwhal = spawnLogged('/bin/sh', ['-c', 'LISTEN_PID=$$ exec "$0" "$@"', process.execPath, narwhalCli(), '-k', workerClassPath('async'), '-w', '2', 'app.mjs'], {
      cwd: dir,
      env: { LISTEN_FDS: '1', NOTIFY_SOCKET: notifySocket },
      fds: [socket.fd],
    });
    socket.close();
    const pid = narwhal.child.pid!;
    // Served on the passed socket, not the default 127.0.0.1:8000.
    expect(await eventually(() => get(`http://127.0.0.1:${socket.port}/`).catch(() => undefined), 15_000)).toBe(String(pid));
    expect(narwhal.output()).toContain(`Listening at: http://127.0.0.1:${socket.port} (${pid})`);
    await eventually(() => (receiver.output().includes('READY=1') ? true : undefined));
    expect(receiver.output()).toMatch(new RegExp(`MAINPID=${pid} READY=1 STATUS=Serving with 2 workers`));
    process.kill(pid, 'SIGHUP');
    await eventually(() => (/RELOADING=1 MONOTONIC_USEC=\d+[\s\S]*READY=1/.test(receiver.output()) ? true : undefined), 15_000);
    process.kill(pid, 'SIGTERM');
    await eventually(() => (receiver.output().includes('STOPPING=1') ? true : undefined));
    await new Promise((resolve) => (narwhal.child.exitCode === null ? narwhal.child.once('exit', resolve) : resolve(null)));
    expect(narwhal.child.exitCode).toBe(0);
    // Workers never see the variables meant for the arbiter.
    expect(narwhal.output()).not.toContain('Cannot notify systemd');
  });

  it('-k uws refuses systemd sockets in one line', async () => {
    const dir = fixtureDir({ 'app.mjs': 'export default (req, res) => res.end();' });
    const socket = boundSocket();
    const narwhal = spawnLogged('/bin/sh', ['-c', 'LISTEN_PID=$$ exec "$0" "$@"', process.execPath, narwhalCli(), '-k', workerClassPath('uws'), 'app.mjs'], { cwd: dir, env: { LISTEN_FDS: '1' }, fds: [socket.fd] });
    socket.close();
    const code = await new Promise((resolve) => narwhal.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(narwhal.output().trim().split('\n').at(-1)).toBe('narwhal: -k uws cannot serve the sockets systemd passed (LISTEN_FDS): its workers bind their own; drop the .socket unit, or use -k async [NARWHAL_E_BIND]');
  });
});

import net from 'node:net';
import { join } from 'node:path';
import { describeEachWorker, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { fixture } from './helpers.js';

describeEachWorker('bind forms', (worker) => {
  it('serves IPv4 and IPv6 loopback at once', async () => {
    const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '-b', '[::1]:0', fixture('routes-node.mjs')]);
    const [v4, v6] = narwhal.urls;
    expect(v4).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(v6).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await get(v4!)).toBe('ok');
    expect(await get(v6!)).toBe('ok');
  });

  it('serves a unix socket beside a TCP port, and removes the socket file on exit', async () => {
    const socket = join(fixtureDir({}), 'app.sock');
    const narwhal = await startNarwhal([...worker.args, '-b', `unix:${socket}`, '-b', '127.0.0.1:0', fixture('routes-node.mjs')]);
    expect(narwhal.urls).toContain(`unix:${socket}`);
    expect((await request('http://localhost/pid', { socketPath: socket })).status).toBe(200);
    expect(await get(narwhal.url)).toBe('ok');
    await narwhal.stop();
    await expect(new Promise((resolve, reject) => net.connect(socket).once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ENOENT' });
  });
}, { uws: 'uWebSockets.js cannot share unix sockets between processes (see worker-uws README)' });

describeEachWorker('bind to an inherited descriptor', (worker) => {
  it('serves fd://N passed by the parent, as from systemd', async () => {
    const create = (net as unknown as { _createServerHandle: (host: string, port: number, family: number) => { fd: number; getsockname(out: { port?: number }): void; close(): void } })._createServerHandle;
    const handle = create('127.0.0.1', 0, 4);
    const out: { port?: number } = {};
    handle.getsockname(out);
    const { spawn } = await import('node:child_process');
    const { NARWHAL_CLI } = await import('@narwhal/test-utils');
    const child = spawn(process.execPath, [NARWHAL_CLI, ...worker.args, '-b', 'fd://3', fixture('routes-node.mjs')], { stdio: ['ignore', 'ignore', 'pipe', handle.fd], detached: true });
    try {
      let output = '';
      child.stderr!.on('data', (chunk) => (output += chunk));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no worker ready: ${output}`)), 15_000);
        child.stderr!.on('data', () => {
          if (/Worker \(pid:\d+\) ready/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(output).toContain('Listening at: fd://3');
      expect(await get(`http://127.0.0.1:${out.port}/`)).toBe('ok');
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
      handle.close();
    }
  });
}, { uws: 'uWebSockets.js cannot adopt a descriptor' });

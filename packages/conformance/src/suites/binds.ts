// Design: a class serves every bind form or declares the ones its model cannot serve; a declared
// refusal must be clear: a non-zero exit with one line naming the setting, never a stack trace
// and never a server that starts and then misbehaves.

import net from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { get, request } from '../http.js';
import { describeSuite, ROUTES_APP, type BindForm, type Kit } from '../kit.js';
import { runNarwhal, startNarwhal } from '../start-narwhal.js';

/** The lines of `stderr` that are not info or debug logs. */
function problemLines(stderr: string): string[] {
  return stderr
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '' && !/^\[.*\] \[\d+\] \[(INFO|DEBUG)\]/.test(line));
}

/** A listening TCP handle the arbiter can inherit as fd 3, as systemd passes one. */
function inheritableListener(): { fd: number; port: number; close(): void } {
  const create = (net as unknown as { _createServerHandle: (host: string, port: number, family: number) => { fd: number; getsockname(out: { port?: number }): void; close(): void } })._createServerHandle;
  const handle = create('127.0.0.1', 0, 4);
  const out: { port?: number } = {};
  handle.getsockname(out);
  return { fd: handle.fd, port: out.port!, close: () => handle.close() };
}

const BIND_FOR: Record<BindForm, () => string> = {
  unix: () => `unix:${join(fixtureDir({}), 'app.sock')}`,
  fd: () => 'fd://3',
};

export function bindsSuite(kit: Kit): void {
  const refused = new Set(kit.options.refuses?.binds ?? []);
  describeSuite(kit, 'refusals', 'bind forms: served, or refused clearly when the class declares so', () => {
    for (const form of refused) {
      it(`refuses -b ${BIND_FOR[form]().replace(/:.*\/app\.sock$/, ':PATH')} at startup: one line naming bind, a non-zero exit, no stack trace`, async () => {
        const result = await runNarwhal([...kit.classArgs, '-b', BIND_FOR[form](), ROUTES_APP.node], { timeoutMs: 10_000 });
        expect(result.code, result.stderr).not.toBe(0);
        expect(result.code, result.stderr).not.toBe(null);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        const lines = problemLines(result.stderr);
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/\bbind\b/);
      });
    }

    if (!refused.has('unix')) {
      it('serves a unix socket beside a TCP port, and removes the socket file on exit', async () => {
        const socket = join(fixtureDir({}), 'app.sock');
        const narwhal = await startNarwhal([...kit.classArgs, '-b', `unix:${socket}`, '-b', '127.0.0.1:0', ROUTES_APP.node]);
        expect(narwhal.urls).toContain(`unix:${socket}`);
        expect((await request('http://localhost/pid', { socketPath: socket })).status).toBe(200);
        expect(await get(narwhal.url)).toBe('ok');
        await narwhal.stop();
        await expect(new Promise((resolve, reject) => net.connect(socket).once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ENOENT' });
      });
    }

    if (!refused.has('fd')) {
      it('serves fd://3 passed by the parent, as from systemd', async () => {
        const listener = inheritableListener();
        try {
          const narwhal = await startNarwhal([...kit.classArgs, '-b', 'fd://3', ROUTES_APP.node], { passFds: [listener.fd] });
          expect(narwhal.output()).toContain('Listening at: fd://3');
          expect(await get(`http://127.0.0.1:${listener.port}/`)).toBe('ok');
        } finally {
          listener.close();
        }
      });
    }
  });
}

// Gunicorn's parser leniency switches: each class honours what its engine lets it, and refuses
// the rest at startup in one line naming the setting and the class.
import { fixtureDir, isWorkerClassBuilt, rawRequest, runNarwhal, startNarwhal, WORKER_CLASSES, workerClassPath, type WorkerClassName } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const HONOURED: Record<WorkerClassName, readonly string[]> = {
  sync: ['--casefold-http-method'],
  gthread: ['--casefold-http-method'],
  async: ['--casefold-http-method'],
  uws: ['--permit-unconventional-http-method', '--casefold-http-method'],
};
const SWITCHES = ['--permit-obsolete-folding', '--strip-header-spaces', '--permit-unconventional-http-method', '--permit-unconventional-http-version', '--casefold-http-method'];
const ECHO_METHOD = { 'app.mjs': 'export default (req, res) => res.end(`method=${req.method}`);' };

const classes = WORKER_CLASSES.filter(isWorkerClassBuilt);

describe('parser leniency switches', () => {
  for (const name of classes) {
    for (const flag of SWITCHES.filter((flag) => !HONOURED[name].includes(flag))) {
      it(`-k ${name} refuses ${flag} at startup, in one line`, async () => {
        const dir = fixtureDir(ECHO_METHOD);
        const result = await runNarwhal(['-k', workerClassPath(name), '-b', '127.0.0.1:0', flag, 'app.mjs'], { cwd: dir });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(new RegExp(`^narwhal: ${flag}: -k ${name} cannot honour it: [^\\n]+ \\[NARWHAL_E_SETTING\\]\\n$`));
      });
    }
  }

  it('--check-config refuses a switch the class cannot honour', async () => {
    const dir = fixtureDir(ECHO_METHOD);
    const result = await runNarwhal(['-k', workerClassPath('async'), '--strip-header-spaces', '--check-config', 'app.mjs'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--strip-header-spaces: -k async cannot honour it');
  });

  it.skipIf(!isWorkerClassBuilt('async'))('--casefold-http-method on a node:http class serves as before', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '--casefold-http-method', 'app.mjs'], { cwd: fixtureDir(ECHO_METHOD) });
    expect(await rawRequest({ port: narwhal.port }, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200[^]*method=GET$/);
    expect(await rawRequest({ port: narwhal.port }, 'get / HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1\.1 501 /);
  });

  describe.skipIf(!isWorkerClassBuilt('uws'))('-k uws', () => {
    const send = (port: number, method: string): Promise<string> => rawRequest({ port }, `${method} / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);

    it('refuses unconventional methods by default', async () => {
      const narwhal = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', 'app.mjs'], { cwd: fixtureDir(ECHO_METHOD) });
      for (const method of ['get', '-blargh', 'FOO']) expect(await send(narwhal.port, method)).toMatch(/^HTTP\/1\.1 501 /);
    });

    it('--permit-unconventional-http-method hands any token method to the app as sent; a non-token is still 400', async () => {
      const narwhal = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '--permit-unconventional-http-method', 'app.mjs'], { cwd: fixtureDir(ECHO_METHOD) });
      for (const method of ['-blargh', 'FOO', 'GO', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ']) expect(await send(narwhal.port, method)).toMatch(new RegExp(`^HTTP/1\\.1 200[^]*method=${method}$`));
      expect(await send(narwhal.port, 'GET')).toMatch(/method=GET$/);
      expect(await send(narwhal.port, 'GE(T')).toMatch(/^HTTP\/1\.1 400 /);
    });

    it('--casefold-http-method upper-cases an accepted method, as Gunicorn does', async () => {
      const narwhal = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '--permit-unconventional-http-method', '--casefold-http-method', 'app.mjs'], { cwd: fixtureDir(ECHO_METHOD) });
      expect(await send(narwhal.port, '-blargh')).toMatch(/method=-BLARGH$/);
      expect(await send(narwhal.port, 'get')).toMatch(/method=GET$/);
      // A Fetch handler cannot carry TRACE in any case.
      const fetchApp = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '--permit-unconventional-http-method', 'app.mjs'], { cwd: fixtureDir({ 'app.mjs': 'export default { fetch: (request) => new Response(request.method) };' }) });
      expect(await send(fetchApp.port, 'trace')).toMatch(/^HTTP\/1\.1 501 /);
    });

    it('--casefold-http-method alone still refuses a lower-case method', async () => {
      const narwhal = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '--casefold-http-method', 'app.mjs'], { cwd: fixtureDir(ECHO_METHOD) });
      expect(await send(narwhal.port, 'get')).toMatch(/^HTTP\/1\.1 501 /);
    });
  });
});

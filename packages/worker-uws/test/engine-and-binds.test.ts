import { fixtureDir, runNarwhal, startNarwhal, get, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const dir = fixtureDir({
  'app.mjs': "export default { fetch: () => new Response('ok') };",
  // A build whose binary does not fit hands back JavaScript like this instead of native code.
  'js-stand-in.cjs': 'module.exports = { App() { return {}; }, us_listen_socket_close() {} };',
});
const uws = ['-k', workerClassPath('uws')];

describe('-k uws loads a native uWebSockets.js build or refuses to start', () => {
  it('serves with the native build npm installed', async () => {
    const narwhal = await startNarwhal([...uws, '-b', '127.0.0.1:0', 'app.mjs'], { cwd: dir });
    expect(await get(narwhal.url)).toBe('ok');
  });

  it.each([
    ['a JavaScript stand-in', `${dir}/js-stand-in.cjs`, /js-stand-in\.cjs \(a JavaScript stand-in, not a native build\)/],
    ['a build that is not installed', '@trufflesuite/uws-js-unofficial', /@trufflesuite\/uws-js-unofficial \(not installed\)/],
  ])('refuses %s with one line naming what was tried and what to install', async (_what, engine, tried) => {
    const result = await runNarwhal([...uws, '-b', '127.0.0.1:0', 'app.mjs'], { cwd: dir, env: { NARWHAL_UWS_ENGINE: engine } });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n').filter((line) => line.includes('NARWHAL_E_ENGINE'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(tried);
    expect(lines[0]).toContain('npm i uWebSockets.js@npm:@based/uws@6.0.1');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it.each(['unix:/tmp/narwhal-uws-test.sock', 'fd://3'])('refuses --bind %s with one line, before any worker starts', async (bind) => {
    const result = await runNarwhal([...uws, '-b', bind, 'app.mjs'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/-k uws cannot serve/);
  });

  it('binds the same concrete port in every worker when asked for port 0', async () => {
    const narwhal = await startNarwhal([...uws, '-b', '127.0.0.1:0', '-w', '2', 'app.mjs'], { cwd: dir });
    expect(narwhal.port).toBeGreaterThan(0);
    expect(narwhal.output()).toContain('The uws workers bind these addresses themselves, with SO_REUSEPORT');
    for (let index = 0; index < 10; index++) expect(await get(narwhal.url)).toBe('ok');
  });
});

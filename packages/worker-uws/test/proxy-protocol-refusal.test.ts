import { fixtureDir, runNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const dir = fixtureDir({ 'app.mjs': "export default { fetch: () => new Response('ok') };" });

describe('-k uws refuses --proxy-protocol, in one line: uWebSockets.js parses the header, unsafely', () => {
  // The bare flag means auto; v2 is the version uWS would read, and is refused too.
  it.each(['--proxy-protocol v1', '--proxy-protocol v2', '--proxy-protocol auto', '--proxy-protocol'])('%s', async (flag) => {
    const result = await runNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', ...flag.split(' '), 'app.mjs'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/Booting worker|Worker \(pid:\d+\) ready/);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).toMatch(/^narwhal: --proxy-protocol: -k uws cannot read PROXY headers safely: .*every request.*36 bytes.*; use -k async \[NARWHAL_E_SETTING\]$/m);
  }, 30_000);
});

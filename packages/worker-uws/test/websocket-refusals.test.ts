import { fixtureDir, runNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const dir = fixtureDir({
  // An app that attaches its own upgrade handling to the server it exports (as ws or Socket.IO do).
  'node-upgrade.mjs': "import { createServer } from 'node:http'; const server = createServer((req, res) => res.end('ok')); server.on('upgrade', (req, socket) => socket.destroy()); export default server;",
  'fetch-websocket.mjs': "export default { fetch: () => new Response('ok'), websocket: { message() {} } };",
});

/** stderr of a run that must have failed with one line, no stack trace and no worker serving. */
async function refused(args: string[]): Promise<string> {
  const result = await runNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', ...args], { cwd: dir });
  expect(result.code).not.toBe(0);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/Worker \(pid:\d+\) ready/);
  return result.stderr;
}

describe('-k uws refuses the WebSockets it cannot carry, in one line', () => {
  it("an app's own upgrade listeners: uWS has no Node sockets to hand them", async () => {
    expect(await refused(['node-upgrade.mjs'])).toMatch(/^narwhal: -k uws cannot carry WebSockets and the app has upgrade listeners on its http\.Server \(ws, Socket\.IO…\); use -k async \[NARWHAL_E_WEBSOCKET\]$/m);
  }, 30_000);

  it('--websocket-idle-timeout below the 8 seconds uWebSockets.js accepts', async () => {
    expect(await refused(['--websocket-idle-timeout', '4', 'fetch-websocket.mjs'])).toMatch(/^narwhal: --websocket-idle-timeout: -k uws needs 0 or at least 8 seconds, not 4 .*\[NARWHAL_E_SETTING\]$/m);
  }, 30_000);
});

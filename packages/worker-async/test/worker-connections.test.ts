import net from 'node:net';
import { fixtureDir, sleep, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = fixtureDir({ 'app.mjs': "export default (req, res) => res.end('pid ' + process.pid);" });

/** Opens a connection, sends one keep-alive request and resolves with the response text and the open socket. */
function keepAliveRequest(port: number): Promise<{ socket: net.Socket; response: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const response = new Promise<string>((done, fail) => {
        socket.once('data', (chunk) => done(chunk.toString()));
        socket.once('error', fail);
        socket.once('close', () => fail(new Error('closed without a response')));
      });
      resolve({ socket, response });
    });
    socket.once('error', reject);
  });
}

describe('--worker-connections', () => {
  it('holds further connections in the kernel queue instead of resetting them, and serves them when a slot frees', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '-w', '1', '--worker-connections', '2', '--keep-alive', '30', 'app.mjs'], { cwd: app });
    const first = await keepAliveRequest(narwhal.port);
    const second = await keepAliveRequest(narwhal.port);
    expect(await first.response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(await second.response).toMatch(/^HTTP\/1\.1 200 OK/);
    const third = await keepAliveRequest(narwhal.port);
    let answered = false;
    void third.response.then(() => (answered = true), () => (answered = true));
    await sleep(500);
    expect(answered).toBe(false); // both slots are held by idle keep-alive connections
    first.socket.destroy();
    expect(await third.response).toMatch(/^HTTP\/1\.1 200 OK/);
    second.socket.destroy();
    third.socket.destroy();
  });

  it('lets a sibling worker take what one worker has no room for', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '-w', '2', '--worker-connections', '1', '--keep-alive', '30', 'app.mjs'], { cwd: app });
    const held = await Promise.all([keepAliveRequest(narwhal.port), keepAliveRequest(narwhal.port)]);
    const answers = await Promise.all(held.map((connection) => connection.response));
    const pids = new Set(answers.map((text) => /pid (\d+)/.exec(text)?.[1]));
    expect(pids.size).toBe(2);
    for (const connection of held) connection.socket.destroy();
  });
});

// A Node app that brings its own upgrade handling, the way the ecosystem does it, runs unchanged
// on -k async: ws's noServer + handleUpgrade, Socket.IO bound to the exported server, and Hono's
// @hono/node-ws. Narwhal's own server listens; each upgrade is emitted on the app's server with
// the socket and the head bytes intact.

import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { openWebSocket, within } from '@narwhal/conformance';
import { get, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const serve = (app: string, ...args: string[]) => startNarwhal(['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '-w', '1', ...args, app], { cwd: fixtures });

/** A client-to-server text frame (masked, as RFC 6455 §5.3 requires). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((byte, index) => byte ^ mask[index % 4]!)]);
}

describe('upgrades handed to the app server\'s own upgrade listeners (-k async)', () => {
  it('ws noServer + handleUpgrade: echoes, gets the head bytes sent with the handshake, and serves plain requests', async () => {
    const narwhal = await serve('ws-no-server.mjs', '--access-logfile', '-', '--access-logformat', '%(r)s %(s)s');
    const socket = await openWebSocket(`ws://127.0.0.1:${narwhal.port}/echo`);
    socket.ws.send('over ws');
    expect(await socket.nextText()).toBe('over ws');
    socket.ws.close();
    await socket.closed;
    // The handshake and a first frame in one write: the frame arrives as the upgrade's head.
    const raw = net.connect(narwhal.port, '127.0.0.1');
    const received = new Promise<Buffer>((resolve) => {
      let all = Buffer.alloc(0);
      raw.on('data', (chunk: Buffer) => {
        all = Buffer.concat([all, chunk]);
        const headEnd = all.indexOf('\r\n\r\n');
        if (headEnd >= 0 && all.length >= headEnd + 4 + 2 + 'in the head'.length) resolve(all);
      });
    });
    raw.write(
      Buffer.concat([
        Buffer.from('GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'),
        maskedTextFrame('in the head'),
      ]),
    );
    const reply = await within(received, 3000, 'the echo of the head frame');
    raw.destroy();
    expect(reply.toString('latin1')).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\n\x81\x0bin the head$/);
    expect(await get(`${narwhal.url}/`)).toBe('http ok');
    await expect(openWebSocket(`ws://127.0.0.1:${narwhal.port}/elsewhere`)).rejects.toMatchObject({ status: 404 });
    await narwhal.waitForLog(/GET \/echo HTTP\/1\.1 101/, 3000);
  }, 30_000);

  it('Socket.IO bound to the exported server: a websocket-transport client connects and gets acks', async () => {
    const narwhal = await serve('socket-io.mjs');
    const client = io(narwhal.url, { transports: ['websocket'], reconnection: false, timeout: 5000 });
    try {
      const reply = await within(client.emitWithAck('echo', 'hi') as Promise<string>, 5000, 'the ack');
      expect(reply).toBe(`hi from ${narwhal.readyPids()[0]}`);
      expect(await get(`${narwhal.url}/`)).toBe('http ok');
    } finally {
      client.close();
    }
  }, 30_000);

  it("Hono's @hono/node-ws helper: the upgrade route echoes, the others serve", async () => {
    const narwhal = await serve('hono-node-ws.mjs');
    const socket = await openWebSocket(`ws://127.0.0.1:${narwhal.port}/ws`);
    socket.ws.send('hello');
    expect(await socket.nextText()).toBe('hono hello');
    socket.ws.terminate();
    expect(await get(`${narwhal.url}/`)).toBe('hono ok');
  }, 30_000);
});

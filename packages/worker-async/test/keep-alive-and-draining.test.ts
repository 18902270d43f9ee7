import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { fixtureDir, get, request, sleep, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const app = fixtureDir({
  'app.mjs': `export default async (req, res) => {
    if (req.url === '/slow') await new Promise((resolve) => setTimeout(resolve, 1000));
    res.end('done');
  };`,
});
const async = ['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '-w', '1'];

function openKeepAlive(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      socket.once('data', () => resolve(socket));
    });
  });
}

const closed = (socket: net.Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('keep-alive', () => {
  it('keeps a connection open between requests and closes it after --keep-alive seconds idle', async () => {
    const narwhal = await startNarwhal([...async, '--keep-alive', '1', 'app.mjs'], { cwd: app });
    const socket = await openKeepAlive(narwhal.port);
    await sleep(300);
    expect(socket.destroyed).toBe(false);
    await closed(socket);
  });

  it('closes after every response with --keep-alive 0', async () => {
    const narwhal = await startNarwhal([...async, '--keep-alive', '0', 'app.mjs'], { cwd: app });
    const response = await request(narwhal.url, { headers: { connection: 'keep-alive' } });
    expect(response.headers.connection).toBe('close');
  });
});

describe('graceful stop', () => {
  it('closes idle keep-alive connections at once and finishes the in-flight request with Connection: close', async () => {
    const narwhal = await startNarwhal([...async, '--keep-alive', '60', '--graceful-timeout', '20', 'app.mjs'], { cwd: app });
    const idle = await openKeepAlive(narwhal.port);
    const agentSocket = await openKeepAlive(narwhal.port);
    const slow = new Promise<string>((resolve) => {
      let text = '';
      agentSocket.on('data', (chunk) => (text += chunk));
      agentSocket.on('close', () => resolve(text));
      agentSocket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    await sleep(200);
    const stoppedAt = Date.now();
    narwhal.signal('SIGTERM');
    await closed(idle);
    const text = await slow;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toMatch(/done$/);
    expect((await narwhal.exited).code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  });
});

describe('the README quick start', () => {
  it('resolves -k async by its short name from the app\'s directory and serves the example', async () => {
    const example = fileURLToPath(new URL('../../../apps/examples/hello-node/app.js', import.meta.url));
    const narwhal = await startNarwhal(['-w', '2', '-k', 'async', '-b', '127.0.0.1:0', example]);
    expect(narwhal.output()).toContain('Using worker: async (@narwhal/worker-async)');
    expect(await get(narwhal.url)).toMatch(/^Hello from pid \d+\n$/);
  });
});

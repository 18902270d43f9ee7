// --log-syslog and its settings, against real listeners: Gunicorn's frame (<PRI>TAG: [PID] message
// and a NUL) over UDP, TCP and a unix stream socket; --capture-output puts the app's stdout and
// stderr in the error log file.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eventually, fixtureDir, get, runNarwhal, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const async = ['-k', workerClassPath('async'), '-b', '127.0.0.1:0'];
const APP = { 'app.mjs': "console.log('app stdout at load');\nexport default (req, res) => { console.error('app stderr in a request'); res.end('ok'); };" };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Frames received so far, split on Gunicorn's NUL terminator. */
function collector(): { frames: string[]; push(chunk: Buffer): void } {
  let pending = '';
  const frames: string[] = [];
  return {
    frames,
    push(chunk) {
      pending += chunk.toString();
      const parts = pending.split('\0');
      pending = parts.pop()!;
      frames.push(...parts);
    },
  };
}

async function udpListener(): Promise<{ port: number; frames: string[]; datagrams: string[] }> {
  const socket = createSocket('udp4');
  const datagrams: string[] = [];
  const frames: string[] = [];
  socket.on('message', (message) => {
    datagrams.push(message.toString());
    frames.push(message.toString().replace(/\0$/, ''));
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  return { port: socket.address().port, frames, datagrams };
}

async function streamListener(path?: string): Promise<{ address: string; frames: string[] }> {
  const received = collector();
  const server = createServer((socket) => socket.on('data', received.push));
  await new Promise<void>((resolve) => (path === undefined ? server.listen(0, '127.0.0.1', resolve) : server.listen(path, resolve)));
  cleanups.push(() => server.close());
  return { address: path === undefined ? `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` : `unix://${path}`, frames: received.frames };
}

describe('--log-syslog', () => {
  it('sends the error and access logs over UDP in Gunicorn\'s frame, with the facility and prefix given', async () => {
    const syslog = await udpListener();
    const narwhal = await startNarwhal([...async, '--log-syslog', '--log-syslog-to', `udp://127.0.0.1:${syslog.port}`, '--log-syslog-facility', 'local3', '--log-syslog-prefix', 'shop', 'app.mjs'], { cwd: fixtureDir(APP) });
    const [worker] = narwhal.readyPids();
    expect(await get(`${narwhal.url}/hello?x=1`)).toBe('ok');
    // local3 is 19: info is <158>, error <155>.
    await eventually(() => syslog.frames.find((frame) => frame.includes('.access:')));
    expect(syslog.datagrams.every((datagram) => datagram.endsWith('\0'))).toBe(true);
    expect(syslog.frames).toContain(`<158>narwhal.shop.error: [${narwhal.pid}] Starting narwhal 0.1.0`);
    expect(syslog.frames).toContain(`<158>narwhal.shop.error: [${narwhal.pid}] Worker (pid:${worker}) ready`);
    // No --access-logfile: syslog turns the access log on, as in Gunicorn.
    expect(syslog.frames.find((frame) => frame.includes('.access:'))).toMatch(new RegExp(`^<158>narwhal\\.shop\\.access: \\[${worker}\\] 127\\.0\\.0\\.1 - - \\[[^\\]]+\\] "GET /hello\\?x=1 HTTP/1\\.1" 200 2 "-" "-"$`));
    process.kill(worker!, 'SIGKILL');
    await eventually(() => syslog.frames.find((frame) => frame === `<155>narwhal.shop.error: [${narwhal.pid}] Worker (pid:${worker}) was sent SIGKILL! Perhaps out of memory?`));
    // The error log itself is unchanged.
    expect(narwhal.stderr()).toContain('[INFO] Starting narwhal 0.1.0');
  });

  it('--disable-redirect-access-to-syslog keeps the access log out; the default prefix is the app', async () => {
    const syslog = await udpListener();
    const narwhal = await startNarwhal([...async, '--log-syslog', '--log-syslog-to', `udp://127.0.0.1:${syslog.port}`, '--disable-redirect-access-to-syslog', 'app.mjs'], { cwd: fixtureDir(APP) });
    expect(await get(narwhal.url)).toBe('ok');
    await eventually(() => syslog.frames.find((frame) => frame.includes('ready')));
    // user is 1: info is <14>.
    expect(syslog.frames).toContain(`<14>narwhal.app.mjs.error: [${narwhal.pid}] Starting narwhal 0.1.0`);
    await narwhal.stop();
    expect(syslog.frames.some((frame) => frame.includes('.access:'))).toBe(false);
  });

  it('sends to a TCP listener and to a unix stream socket, NUL-terminated', async () => {
    for (const listener of [await streamListener(), await streamListener(join(fixtureDir({}), 'syslog.sock'))]) {
      const narwhal = await startNarwhal([...async, '--log-syslog', '--log-syslog-to', listener.address, 'app.mjs'], { cwd: fixtureDir(APP) });
      const [worker] = narwhal.readyPids();
      await get(narwhal.url);
      await eventually(() => listener.frames.find((frame) => frame.includes('.access:')));
      expect(listener.frames).toContain(`<14>narwhal.app.mjs.error: [${narwhal.pid}] Booting worker with pid: ${worker}`);
      await narwhal.stop();
    }
  });

  it('refuses a bad address or facility in one line', async () => {
    const dir = fixtureDir(APP);
    for (const [args, message] of [
      [['--log-syslog-to', 'unix:///dev/log#dgram'], /^narwhal: --log-syslog-to: 'unix:\/\/\/dev\/log#dgram': Node cannot send to a unix datagram socket; [^\n]+ \[NARWHAL_E_SETTING\]\n$/],
      [['--log-syslog-to', 'http://localhost'], /^narwhal: --log-syslog-to: 'http:\/\/localhost' is not udp:\/\/HOST:PORT, tcp:\/\/HOST:PORT or unix:\/\/PATH \[NARWHAL_E_SETTING\]\n$/],
      [['--log-syslog-to', 'udp://localhost:syslog'], /^narwhal: --log-syslog-to: 'udp:\/\/localhost:syslog': 'syslog' is not a port number \[NARWHAL_E_SETTING\]\n$/],
      [['--log-syslog-facility', 'local9'], /^narwhal: --log-syslog-facility: 'local9' is not one of auth, [^\n]+ \[NARWHAL_E_SETTING\]\n$/],
    ] as const) {
      const result = await runNarwhal([...async, '--log-syslog', ...args, 'app.mjs'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('--capture-output', () => {
  it("puts the workers' stdout and stderr in the error log file, and leaves them alone without it", async () => {
    const dir = fixtureDir(APP);
    const file = join(dir, 'error.log');
    const socketPath = join(dir, 'app.sock');
    const narwhal = await startNarwhal(['-k', workerClassPath('async'), '-b', `unix:${socketPath}`, '--error-logfile', file, '--capture-output', 'app.mjs'], { cwd: dir, readyWorkers: 0 });
    await eventually(() => get('http://localhost/', { socketPath }));
    await eventually(() => (readFileSync(file, 'utf8').includes('app stderr in a request') ? true : undefined));
    expect(readFileSync(file, 'utf8')).toMatch(/\[INFO\] Booting worker with pid: \d+\n[^]*app stdout at load\n/);
    expect(narwhal.output()).not.toContain('app stdout at load');
    await narwhal.stop();

    const plain = await startNarwhal(['-k', workerClassPath('async'), '-b', `unix:${socketPath}`, '--error-logfile', join(dir, 'plain.log'), 'app.mjs'], { cwd: dir, readyWorkers: 0 });
    await eventually(() => (plain.stdout().includes('app stdout at load') ? true : undefined));
    expect(readFileSync(join(dir, 'plain.log'), 'utf8')).not.toContain('app stdout');
  });
});

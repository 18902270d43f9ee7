// Design: a Fetch app's `websocket` handler, shaped like Bun's, behaves the same on every class
// that carries it (async over ws, uws natively): echo of text and binary, the upgrade's data and
// subprotocol, pings, close codes, --websocket-max-payload (1009), back-pressure and drain, the
// idle timeout, one access log line per socket, 1001 on reload and on a graceful stop, an upgrade
// counted by max_requests, and a heartbeat that holds while thousands of sockets are open. A class
// that declares `refuses.websockets` is checked for its refusals instead: such an app does not
// boot, and a handshake is answered 501.

import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { describeSuite, kitApp, ROUTES_APP, type Kit } from '../kit.js';
import { eventually, get, sleep } from '../http.js';
import { runNarwhal, startNarwhal, type NarwhalProcess } from '../start-narwhal.js';
import { makeTestCertificates } from '../tls-certificates.js';
import { openWebSocket, within, type ClientSocket } from '../websocket-client.js';

const WEBSOCKET_APP = kitApp('websocket-fetch.mjs');
const MAX_PAYLOAD = 65_536;
const IDLE_TIMEOUT_S = 8;
const HELD_SOCKETS = 2000;

function wsUrl(narwhal: NarwhalProcess, path: string): string {
  return `${narwhal.url.replace(/^http/, 'ws')}${path}`;
}

async function openEcho(narwhal: NarwhalProcess, protocols: string[] = []): Promise<ClientSocket> {
  const socket = await openWebSocket(wsUrl(narwhal, '/ws'), protocols);
  expect(await socket.nextText()).toBe('open {"path":"/ws","query":""}');
  return socket;
}

export function websocketSuite(kit: Kit): void {
  describeSuite(kit, 'websocket', 'WebSockets: a Fetch app with a websocket handler', () => {
    if (kit.options.refuses?.websockets === true) {
      it('refuses to boot an app with a websocket handler: one line naming the class, a non-zero exit', async () => {
        const result = await runNarwhal([...kit.serverArgs, WEBSOCKET_APP]);
        expect(result.code).not.toBe(0);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stderr).toMatch(/^narwhal: -k \S+ cannot carry WebSockets and the app has a websocket handler; use -k async or -k uws \[NARWHAL_E_WEBSOCKET\]$/m);
      }, 30_000);

      (kit.skipReason('websocket/handshake-501') === undefined ? it : it.skip)('answers a WebSocket handshake 501 before the app sees it, and serves on', async () => {
        const narwhal = await kit.sharedServer(ROUTES_APP.fetch);
        await expect(openWebSocket(wsUrl(narwhal, '/ws'))).rejects.toMatchObject({ status: 501 });
        expect(await get(`${narwhal.url}/target?after-handshake`)).toBe('/target?after-handshake');
      }, 30_000);
      return;
    }

    let server: Promise<NarwhalProcess> | undefined;
    const echoServer = (): Promise<NarwhalProcess> =>
      (server ??= startNarwhal([...kit.serverArgs, '-w', '1', '--websocket-max-payload', String(MAX_PAYLOAD), '--access-logfile', '-', '--access-logformat', '%(r)s %(s)s', '-c', kitApp('websocket-hooks.config.mjs'), WEBSOCKET_APP], { lifetime: 'suite' }));

    // The idle timeout takes seconds to prove: its client starts first and is judged last.
    let idle: Promise<{ code: number; afterMs: number }>;
    beforeAll(() => {
      idle = (async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--websocket-idle-timeout', String(IDLE_TIMEOUT_S), WEBSOCKET_APP], { lifetime: 'suite' });
        // A client that never answers pings: to the server it is a dead peer.
        const socket = await openWebSocket(wsUrl(narwhal, '/ws'), [], { autoPong: false });
        const opened = performance.now();
        const { code } = await within(socket.closed, (IDLE_TIMEOUT_S + 8) * 1000, 'the idle socket closed');
        return { code, afterMs: performance.now() - opened };
      })();
      idle.catch(() => {});
    });

    it('echoes text and binary messages; open sees the upgrade data; the app picks the subprotocol', async () => {
      const narwhal = await echoServer();
      const socket = await openEcho(narwhal, ['chat.v1', 'chat.v2']);
      try {
        expect(socket.ws.protocol).toBe('chat.v2');
        socket.ws.send('héllo');
        expect(await socket.next()).toEqual({ data: 'héllo', binary: false });
        const bytes = Buffer.from([0, 1, 2, 255]);
        socket.ws.send(bytes);
        expect(await socket.next()).toEqual({ data: bytes, binary: true });
      } finally {
        socket.ws.terminate();
      }
      const plain = await openEcho(narwhal);
      expect(plain.ws.protocol).toBe('');
      plain.ws.terminate();
    }, 30_000);

    it("answers pings with pongs, and sends the app's pings", async () => {
      const socket = await openEcho(await echoServer());
      try {
        const pong = new Promise<string>((resolve) => socket.ws.once('pong', (data: Buffer) => resolve(data.toString())));
        socket.ws.ping('from-client');
        expect(await within(pong, 3000, 'pong')).toBe('from-client');
        const ping = new Promise<string>((resolve) => socket.ws.once('ping', (data: Buffer) => resolve(data.toString())));
        socket.ws.send('ping');
        expect(await within(ping, 3000, 'ping')).toBe('from-server');
      } finally {
        socket.ws.terminate();
      }
    }, 30_000);

    it('closes with the code and reason the app gives', async () => {
      const socket = await openEcho(await echoServer());
      socket.ws.send('close 4000 bye now');
      expect(await within(socket.closed, 3000, 'close')).toEqual({ code: 4000, reason: 'bye now' });
    }, 30_000);

    it('closes a socket whose message exceeds --websocket-max-payload with 1009 (Message Too Big), in one frame or in fragments', async () => {
      const socket = await openEcho(await echoServer());
      socket.ws.send(Buffer.alloc(MAX_PAYLOAD));
      expect(await socket.next()).toMatchObject({ binary: true });
      socket.ws.send(Buffer.alloc(MAX_PAYLOAD + 1));
      // A close frame with the code: a connection dropped without one reads 1006 here.
      expect((await within(socket.closed, 3000, 'close')).code).toBe(1009);
      const fragmented = await openEcho(await echoServer());
      fragmented.ws.send(Buffer.alloc(MAX_PAYLOAD / 2), { fin: false });
      fragmented.ws.send(Buffer.alloc(MAX_PAYLOAD / 2 + 1), { fin: true });
      expect((await within(fragmented.closed, 3000, 'close')).code).toBe(1009);
    }, 30_000);

    it('reports back-pressure: send() returns -1 behind a slow reader, and drain follows once it reads', async () => {
      const socket = await openEcho(await echoServer());
      try {
        socket.ws.send('flood 65536');
        socket.ws.pause();
        await sleep(300);
        socket.ws.resume();
        let chunks = 0;
        for (;;) {
          const message = await socket.next();
          if (!message.binary) {
            expect(message.data).toBe(`flooded ${chunks}`);
            break;
          }
          chunks++;
        }
        expect(chunks).toBeGreaterThan(1);
        expect(await socket.nextText()).toBe('drained');
      } finally {
        socket.ws.terminate();
      }
    }, 30_000);

    it('answers a handshake the app does not claim with its Response, and plain requests as usual', async () => {
      const narwhal = await echoServer();
      await expect(openWebSocket(wsUrl(narwhal, '/forbidden'))).rejects.toMatchObject({ status: 403 });
      expect(await get(`${narwhal.url}/`)).toBe('hello plain\n');
    }, 30_000);

    it('writes one access log line per WebSocket, status 101, and runs postRequest, when it closes', async () => {
      const narwhal = await echoServer();
      const before = narwhal.stdout().split('GET /ws?logged HTTP/1.1 101').length;
      const socket = await openWebSocket(wsUrl(narwhal, '/ws?logged'));
      await narwhal.waitForLog(/preRequest \/ws\?logged\n/, 3000);
      await sleep(100);
      expect(narwhal.stdout().split('GET /ws?logged HTTP/1.1 101').length).toBe(before);
      expect(narwhal.stdout()).not.toMatch(/postRequest \/ws\?logged/);
      socket.ws.close(1000);
      await socket.closed;
      await eventually(() => (narwhal.stdout().split('GET /ws?logged HTTP/1.1 101').length === before + 1 ? true : undefined), 5000);
      await narwhal.waitForLog(/postRequest \/ws\?logged 101\n/, 3000);
    }, 30_000);

    it('echoes over TLS (wss://) with --certfile', async () => {
      const certs = makeTestCertificates();
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--certfile', certs.server.cert, '--keyfile', certs.server.key, WEBSOCKET_APP]);
      expect(wsUrl(narwhal, '/ws')).toMatch(/^wss:/);
      const socket = await openWebSocket(wsUrl(narwhal, '/ws'), [], { ca: readFileSync(certs.ca) });
      try {
        expect(await socket.nextText()).toBe('open {"path":"/ws","query":""}');
        socket.ws.send('over tls');
        expect(await socket.nextText()).toBe('over tls');
      } finally {
        socket.ws.terminate();
      }
    }, 30_000);

    it('closes open WebSockets with 1001 on reload (HUP) and on a graceful stop (TERM)', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--graceful-timeout', '20', WEBSOCKET_APP]);
      const old = await openEcho(narwhal);
      narwhal.signal('SIGHUP');
      expect(await within(old.closed, 15_000, 'the old worker\'s socket closed')).toMatchObject({ code: 1001 });
      await narwhal.waitForLog(/Reload complete/, 15_000);
      const fresh = await openEcho(narwhal);
      fresh.ws.send('still here');
      expect(await fresh.nextText()).toBe('still here');
      const stopping = performance.now();
      narwhal.signal('SIGTERM');
      expect(await within(fresh.closed, 5000, 'the socket closed on TERM')).toMatchObject({ code: 1001 });
      await within(narwhal.exited, 10_000, 'narwhal exited');
      // At the stop, not at the end of the 20 s graceful timeout.
      expect(performance.now() - stopping).toBeLessThan(10_000);
    }, 60_000);

    it('counts an upgrade as one request for --max-requests: the worker retires and its sockets get 1001', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--max-requests', '2', WEBSOCKET_APP]);
      const first = await openEcho(narwhal);
      const second = await openEcho(narwhal);
      expect(await within(first.closed, 15_000, 'the retiring worker\'s socket closed')).toMatchObject({ code: 1001 });
      expect(await within(second.closed, 5000, 'the retiring worker\'s socket closed')).toMatchObject({ code: 1001 });
      await narwhal.waitForLog(/Autorestarting worker/, 1000);
      const next = await openEcho(narwhal);
      next.ws.terminate();
    }, 30_000);

    it(`keeps the heartbeat while ${HELD_SOCKETS} sockets are open`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--timeout', '2', '--worker-connections', String(HELD_SOCKETS + 100), WEBSOCKET_APP], { descriptorLimit: 8192 });
      const [pid] = narwhal.readyPids();
      const held: ClientSocket[] = [];
      try {
        for (let batch = 0; batch < HELD_SOCKETS; batch += 200) held.push(...(await Promise.all(Array.from({ length: 200 }, () => openWebSocket(wsUrl(narwhal, '/ws'))))));
        // Longer than --timeout: a worker whose beats stopped would be killed meanwhile.
        await sleep(3000);
        expect(narwhal.output()).not.toMatch(/WORKER TIMEOUT/);
        expect(narwhal.readyPids()).toEqual([pid]);
        const probe = held[HELD_SOCKETS - 1]!;
        await probe.nextText();
        probe.ws.send('alive');
        expect(await probe.nextText()).toBe('alive');
        expect(held.filter((socket) => socket.ws.readyState !== socket.ws.OPEN)).toHaveLength(0);
      } finally {
        for (const socket of held) socket.ws.terminate();
      }
    }, 60_000);

    it(`closes a socket that received nothing, not even a pong, within --websocket-idle-timeout`, async () => {
      const { code, afterMs } = await idle;
      expect(code).toBe(1006);
      expect(afterMs).toBeGreaterThan((IDLE_TIMEOUT_S * 1000) / 2);
      expect(afterMs).toBeLessThan((IDLE_TIMEOUT_S + 6) * 1000);
    }, 30_000);
  });
}

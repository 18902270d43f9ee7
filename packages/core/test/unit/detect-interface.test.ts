import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { detectInterface } from '../../src/app/detect-interface.js';

describe('--interface auto decides from the export\'s shape', () => {
  it.each([
    ['a (req, res) function', (_req: unknown, _res: unknown) => {}, 'node'],
    ['an Express-like (req, res, next) function', (_req: unknown, _res: unknown, _next: unknown) => {}, 'node'],
    ['a (request) function', (_request: unknown) => new Response('x'), 'fetch'],
    ['a () function', () => new Response('x'), 'fetch'],
    ['an object with fetch', { fetch: () => new Response('x') }, 'fetch'],
    ['an http.Server', createServer((_req, res) => res.end()), 'node'],
    ['a Koa-like object with callback()', { callback: () => (_req: unknown, _res: unknown) => {} }, 'node'],
    ['a Fastify-like object whose server is an http.Server', { ready: async () => {}, server: createServer((_req, res) => res.end()) }, 'node'],
    ['an object with a routing function', { ready: async () => {}, routing: (_req: unknown, _res: unknown) => {} }, 'node'],
  ])('%s → %s', (_name, exported, expected) => {
    expect(detectInterface(exported, 'auto', 'x').interface).toBe(expected);
  });

  it('binds an object\'s fetch method to the object', async () => {
    const app = { greeting: 'hi', fetch(this: { greeting: string }) { return new Response(this.greeting); } };
    const detected = detectInterface(app, 'auto', 'x');
    expect(detected.interface === 'fetch' && (await (await detected.fetch(new Request('http://x/'))).text())).toBe('hi');
  });

  it('lets --interface force the contract of a function', () => {
    expect(detectInterface((_request: unknown) => {}, 'node', 'x').interface).toBe('node');
    expect(detectInterface((_a: unknown, _b: unknown) => {}, 'fetch', 'x').interface).toBe('fetch');
  });

  it.each([
    [42, 'auto', 'x is a number, not a Node request listener or a Fetch handler'],
    [{}, 'auto', 'x is an object without a fetch() or callback() method'],
    [{ fetch() {} }, 'node', 'not a Node request listener'],
    [undefined, 'fetch', 'x is undefined, not a Fetch handler'],
  ] as const)('rejects %j with --interface %s', (exported, setting, message) => {
    expect(() => detectInterface(exported, setting, 'x')).toThrow(expect.objectContaining({ code: 'NARWHAL_E_APP_INTERFACE', message: expect.stringContaining(message) }));
  });
});

describe('WebSockets in the export', () => {
  it("gives a Fetch object with a websocket member an UpgradeClaims server: only a request marked as a handshake can be claimed, with its data and subprotocol", async () => {
    const seen: unknown[] = [];
    const app = {
      fetch(request: Request, server: { upgrade(request: Request, options?: unknown): boolean }) {
        seen.push(server.upgrade(request, { data: { user: 'ann' }, headers: { 'sec-websocket-protocol': 'chat.v2' } }));
        return new Response('plain');
      },
      websocket: { message() {} },
    };
    const detected = detectInterface(app, 'auto', 'x');
    if (detected.interface !== 'fetch' || detected.websocket === undefined) throw new Error('expected a Fetch app with a websocket handler');
    expect(detected.websocket.handler).toBe(app.websocket);
    const plain = new Request('http://x/');
    await detected.fetch(plain);
    expect(detected.websocket.claims.take(plain)).toBeUndefined();
    const handshake = new Request('http://x/ws');
    detected.websocket.claims.expect(handshake);
    await detected.fetch(handshake);
    expect(seen).toEqual([false, true]);
    expect(detected.websocket.claims.take(handshake)).toEqual({ data: { user: 'ann' }, protocol: 'chat.v2' });
    expect(detected.websocket.claims.take(handshake)).toBeUndefined();
  });

  it('refuses a websocket member without a message handler, naming the export', () => {
    expect(() => detectInterface({ fetch: () => new Response('x'), websocket: { open() {} } }, 'auto', 'app.mjs')).toThrow(/app\.mjs: its websocket member needs a message\(ws, message\) function/);
  });

  it('keeps an exported http.Server as the upgrade server only when it has upgrade listeners', () => {
    const plain = createServer((_req, res) => res.end());
    const upgrading = createServer((_req, res) => res.end()).on('upgrade', () => {});
    const detectedPlain = detectInterface(plain, 'auto', 'x');
    const detectedUpgrading = detectInterface({ server: upgrading }, 'auto', 'x');
    expect(detectedPlain.interface === 'node' && detectedPlain.upgradeServer).toBeUndefined();
    expect(detectedUpgrading.interface === 'node' && detectedUpgrading.upgradeServer).toBe(upgrading);
  });
});

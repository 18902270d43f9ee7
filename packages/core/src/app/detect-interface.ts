// Design: `--interface auto` decides from the shape of the export, in this order:
//   1. an object with a `fetch` method                  → fetch (Hono, `export default { fetch }`)
//   2. an http.Server                                   → node, its 'request' listener
//   3. an object with a `callback()` method (Koa)       → node, what callback() returns
//   4. an object whose `server` is an http.Server, or with a `routing` function (Fastify, made
//      ready by load-app.ts)                            → node, that server's listener / routing
//   5. a function declaring two or more parameters      → node (`(req, res)`, Express's `(req, res, next)`)
//   6. any other function                               → fetch (`(request) => …`, `() => …`)
// A Fetch object with a `websocket` member (Bun's shape) gets an UpgradeClaims `server` as its
// fetch's second argument; an exported http.Server with `upgrade` listeners is kept as the app's
// upgradeServer, so a class that carries upgrades hands them to it.
// `--interface node|fetch` forces the contract and only checks that the export can serve it.

import { Server } from 'node:http';
import { NarwhalError } from '../errors.js';
import type { InterfaceSetting } from '../config/types.js';
import { UpgradeClaims, type WebSocketHandler } from '../websocket/handler.js';
import type { App, FetchHandler, FetchWebSocket, NodeListener } from './app.js';

type Candidate = { node?: () => NodeListener; fetch?: () => FetchHandler; upgradeServer?: Server; websocket?: FetchWebSocket };

export function detectInterface(exported: unknown, setting: InterfaceSetting, what: string): App {
  const candidate = candidates(exported, what);
  const choice = setting === 'auto' ? autoChoice(exported, candidate) : setting;
  const make = choice === undefined ? undefined : candidate[choice];
  if (make === undefined) {
    const wanted = setting === 'auto' ? 'a Node request listener or a Fetch handler' : setting === 'node' ? 'a Node request listener' : 'a Fetch handler';
    throw new NarwhalError('NARWHAL_E_APP_INTERFACE', `${what} is ${describe(exported)}, not ${wanted}`);
  }
  if (choice === 'fetch') return candidate.websocket === undefined ? { interface: 'fetch', fetch: make() as FetchHandler } : { interface: 'fetch', fetch: make() as FetchHandler, websocket: candidate.websocket };
  const listener = make() as NodeListener;
  return candidate.upgradeServer === undefined ? { interface: 'node', listener } : { interface: 'node', listener, upgradeServer: candidate.upgradeServer };
}

function candidates(exported: unknown, what: string): Candidate {
  if (typeof exported === 'function') {
    const fn = exported as NodeListener & FetchHandler;
    return { node: () => fn, fetch: () => fn };
  }
  if (exported instanceof Server) {
    const listener = requestListener(exported);
    return listener ? { node: () => listener, upgradeServer: upgradeServerOf(exported) } : {};
  }
  if (typeof exported === 'object' && exported !== null) {
    const object = exported as { fetch?: unknown; callback?: unknown; server?: unknown; routing?: unknown; websocket?: unknown };
    const candidate: Candidate = {};
    if (typeof object.fetch === 'function') {
      if (object.websocket === undefined) candidate.fetch = () => (object.fetch as FetchHandler).bind(object);
      else {
        const websocket = { handler: webSocketHandler(object.websocket, what), claims: new UpgradeClaims() };
        const fetch = object.fetch as (request: Request, server: unknown) => ReturnType<FetchHandler>;
        candidate.fetch = () => (request) => fetch.call(object, request, websocket.claims.server);
        candidate.websocket = websocket;
      }
    }
    if (typeof object.callback === 'function') candidate.node = () => (object.callback as () => NodeListener).call(object);
    else if (object.server instanceof Server && requestListener(object.server)) {
      candidate.node = () => requestListener(object.server as Server)!;
      candidate.upgradeServer = upgradeServerOf(object.server);
    }
    else if (typeof object.routing === 'function') candidate.node = () => (object.routing as NodeListener).bind(object);
    return candidate;
  }
  return {};
}

function upgradeServerOf(server: Server): Server | undefined {
  return server.listenerCount('upgrade') > 0 ? server : undefined;
}

function webSocketHandler(value: unknown, what: string): WebSocketHandler {
  if (typeof (value as WebSocketHandler | null)?.message !== 'function') throw new NarwhalError('NARWHAL_E_APP_EXPORT', `${what}: its websocket member needs a message(ws, message) function`);
  for (const name of ['open', 'close', 'drain'] as const) {
    const member = (value as Record<string, unknown>)[name];
    if (member !== undefined && typeof member !== 'function') throw new NarwhalError('NARWHAL_E_APP_EXPORT', `${what}: websocket.${name} is not a function`);
  }
  return value as WebSocketHandler;
}

function requestListener(server: Server): NodeListener | undefined {
  return server.listeners('request')[0] as NodeListener | undefined;
}

function autoChoice(exported: unknown, candidate: Candidate): 'node' | 'fetch' | undefined {
  if (typeof exported === 'function') return exported.length >= 2 ? 'node' : 'fetch';
  if (candidate.fetch) return 'fetch';
  return candidate.node ? 'node' : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return `an object without a fetch() or callback() method, an http.Server or a routing function`;
  return `a ${typeof value}`;
}

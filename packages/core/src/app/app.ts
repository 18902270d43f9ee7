import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { UpgradeClaims, WebSocketHandler } from '../websocket/handler.js';

/** The Node contract: a request listener, as `http.createServer` takes (plain handlers, Express, Koa's `callback()`, Connect). */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The Fetch contract: `(request) => Response` (Hono's `app.fetch`, `export default { fetch }`). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A Fetch app's `websocket` member, with the `server` its `fetch` is given to claim handshakes. */
export interface FetchWebSocket {
  readonly handler: WebSocketHandler;
  readonly claims: UpgradeClaims;
}

/** A loaded app, tagged with the contract it implements. */
export type App =
  | {
      readonly interface: 'node';
      readonly listener: NodeListener;
      /**
       * The app's own http.Server when it exported one (or one as `server`) with `upgrade`
       * listeners (ws, Socket.IO, @hono/node-ws): a class that carries upgrades emits them there.
       */
      readonly upgradeServer?: Server;
    }
  | { readonly interface: 'fetch'; readonly fetch: FetchHandler; readonly websocket?: FetchWebSocket };

import type { IncomingMessage, ServerResponse } from 'node:http';

/** The Node contract: a request listener, as `http.createServer` takes (plain handlers, Express, Koa's `callback()`, Connect). */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The Fetch contract: `(request) => Response` (Hono's `app.fetch`, `export default { fetch }`). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A loaded app, tagged with the contract it implements. */
export type App =
  | { readonly interface: 'node'; readonly listener: NodeListener }
  | { readonly interface: 'fetch'; readonly fetch: FetchHandler };

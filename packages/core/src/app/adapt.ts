// Design: every worker class runs one contract natively and gets the other through these two
// functions, so the adapters exist once, in core, and behave the same under every class.

import type { App, FetchHandler, NodeListener } from './app.js';
import { fetchToNodeListener } from './fetch-to-node.js';
import { nodeToFetchHandler } from './node-to-fetch.js';

/** The app as a Node request listener: itself, or a Fetch handler behind the adapter (which returns a promise that rejects when the handler fails). */
export function asNodeListener(app: App): NodeListener {
  return app.interface === 'node' ? app.listener : fetchToNodeListener(app.fetch);
}

/** The app as a Fetch handler: itself, or a Node request listener run on emulated req/res. */
export function asFetchHandler(app: App): FetchHandler {
  return app.interface === 'fetch' ? app.fetch : nodeToFetchHandler(app.listener);
}

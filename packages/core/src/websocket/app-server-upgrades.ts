// Design: a Node app that brings its own upgrade handling (ws's `handleUpgrade`, Socket.IO,
// @hono/node-ws) attaches it to the http.Server it exports, expecting that server to listen.
// Narwhal's server listens instead, so each upgrade it lets through is emitted on the app's
// server, with the socket and the head bytes untouched: the app's listeners cannot tell the
// difference. Those sockets speak the app's protocol, not Narwhal's, so a graceful stop cannot
// close them cleanly itself: it waits for them within the graceful timeout (apps/docs/websockets.md
// shows how an app closes them with 1001 when its worker is asked to stop).

import type { Server } from 'node:http';
import type { NodeUpgrades } from '../http/node-http-service.js';

/** Hands every upgrade to the `upgrade` listeners of the app's own server. */
export function appServerUpgrades(server: Server): NodeUpgrades {
  return {
    upgrade: (req, socket, head) => server.emit('upgrade', req, socket, head),
    goingAway: () => {},
  };
}

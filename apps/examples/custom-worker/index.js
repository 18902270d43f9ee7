// A complete worker class without NodeHttpService: one node:http server per listening socket the
// arbiter handed over, the app behind core's adapter, a count of requests for --max-requests, and a
// stop that lets in-flight requests finish. Core owns the rest: signals, the heartbeat, loading the
// app, exit codes. apps/docs/writing-a-worker-class.md walks through it.

import { once } from 'node:events';
import { createServer } from 'node:http';
import { asNodeListener, defineWorkerClass, describeError, sendError } from '@narwhal/core/worker';

export default defineWorkerClass({
  name: 'hello',
  // The contract this class runs without an adapter; a Fetch app goes through core's.
  nativeInterface: 'node',

  async serve(context) {
    const { settings, log } = context;
    const app = asNodeListener(context.app);

    async function handle(req, res) {
      res.once('close', () => context.requestDone());
      res.setHeader('x-worker-class', 'hello');
      try {
        await app(req, res);
      } catch (error) {
        // Log the error; the client gets a plain 500, never the stack trace.
        log.error({ err: error }, `Error handling request ${req.method} ${req.url}: ${describeError(error)}`);
        sendError(res, 'appError');
      }
    }

    // The arbiter bound the sockets; each arrives as a file descriptor to listen on.
    const servers = context.listeners.map(() => {
      const server = createServer({ headersTimeout: settings.headerTimeout * 1000 }, handle);
      server.keepAliveTimeout = settings.keepalive * 1000;
      server.maxConnections = settings.workerConnections;
      return server;
    });
    await Promise.all(
      servers.map((server, index) => {
        server.listen({ fd: context.listeners[index].fd });
        return once(server, 'listening');
      }),
    );

    return {
      async stop({ graceful }) {
        // 'close' fires once the server stops accepting and its last connection is gone.
        const closed = servers.map((server) => once(server, 'close'));
        for (const server of servers) {
          server.close(); // stop accepting, and close idle keep-alive connections
          if (!graceful) server.closeAllConnections();
        }
        // Graceful: in-flight requests finish first (core exits after --graceful-timeout regardless).
        await Promise.all(closed);
      },
    };
  },
});

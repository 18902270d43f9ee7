/* The bare uWebSockets.js anchor of the WebSocket echo workload: one process echoing on
   --port; the harness starts --workers of them, and SO_REUSEPORT spreads the connections. */
import { parseArgs } from 'node:util';
import uWS from 'uWebSockets.js';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
uWS
  .App()
  .ws('/*', { message: (ws, message, isBinary) => ws.send(message, isBinary) })
  .listen('127.0.0.1', Number(values.port), (token) => {
    if (!token) {
      process.stderr.write(`uWS could not listen on port ${values.port}\n`);
      process.exit(1);
    }
  });

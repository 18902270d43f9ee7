/* The node:cluster anchor of the WebSocket echo workload: --workers copies of a node:http server
   with ws's WebSocketServer, what a Node team runs without Narwhal. */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({ options: { port: { type: 'string' }, workers: { type: 'string', default: '1' } } });
if (cluster.isPrimary) {
  for (let index = 0; index < Number(values.workers); index++) cluster.fork();
} else {
  const server = createServer((req, res) => res.end('websocket echo\n'));
  new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  server.listen(Number(values.port), '127.0.0.1');
}

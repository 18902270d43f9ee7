/* The WebSocket echo workload's Node-contract app for narwhal -k async: an exported http.Server
   whose `upgrade` listener hands the socket to ws's handleUpgrade, as apps/docs/websockets.md
   shows; the same ws server and options as the node:cluster anchor. */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => res.end('websocket echo\n'));
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
});
export default server;

/* The websocket suite's app: a Fetch app with a `websocket` member, shaped like Bun's. Text
   messages are commands or echoed; binary messages are echoed. */
const flooding = new WeakMap();

export default {
  fetch(request, server) {
    const url = new URL(request.url);
    if (url.pathname === '/ws') {
      const offered = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((name) => name.trim());
      const headers = offered.includes('chat.v2') ? { 'Sec-WebSocket-Protocol': 'chat.v2' } : undefined;
      if (server.upgrade(request, { data: { path: url.pathname, query: url.search }, headers })) return undefined;
      return new Response('expected a WebSocket handshake\n', { status: 426, headers: { upgrade: 'websocket' } });
    }
    if (url.pathname === '/forbidden') return new Response('no\n', { status: 403 });
    return new Response(`hello ${server.upgrade(request) ? 'upgraded' : 'plain'}\n`);
  },
  websocket: {
    open(ws) {
      ws.send(`open ${JSON.stringify(ws.data)}`);
    },
    message(ws, message) {
      if (typeof message !== 'string') return void ws.send(message);
      const [command, ...rest] = message.split(' ');
      if (command === 'close') return ws.close(Number(rest[0]), rest.slice(1).join(' '));
      if (command === 'ping') return ws.ping('from-server');
      if (command === 'flood') return flood(ws, Number(rest[0]));
      ws.send(message);
    },
    drain(ws) {
      if (flooding.get(ws) === 'waiting') {
        flooding.set(ws, 'drained');
        ws.send('drained');
      }
    },
  },
};

/** Sends chunks of `size` bytes until send() reports back-pressure, then says how many it sent. */
function flood(ws, size) {
  const chunk = Buffer.alloc(size, 120);
  let sent = 0;
  for (;;) {
    const status = ws.send(chunk);
    sent++;
    if (status === -1) break;
    if (status === 0 || sent > 10_000) return void ws.send(`flood failed ${status}`);
  }
  flooding.set(ws, 'waiting');
  ws.send(`flooded ${sent}`);
}

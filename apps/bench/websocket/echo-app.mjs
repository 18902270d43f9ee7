/* The WebSocket echo workload's app for narwhal (-k uws and -k async): a Fetch app with a
   Bun-shaped websocket handler that sends every message back as it came. */
export default {
  fetch(request, server) {
    if (server.upgrade(request)) return undefined;
    return new Response('websocket echo\n');
  },
  websocket: {
    message(ws, message) {
      ws.send(message);
    },
  },
};

/* Fastify under Narwhal: export the instance as it is. Each worker awaits its ready step
   (plugins, routes) and serves it through its own request handler; do not call listen().
   Run it: npx narwhal -w 2 app.js */
import Fastify from 'fastify';

const app = Fastify();

app.get('/json', async () => ({ framework: 'fastify', pid: process.pid }));
app.post('/echo', async (request) => request.body);
app.get('/error', async () => {
  throw new Error('boom'); // Fastify answers 500 with the message, never the stack
});

export default app;

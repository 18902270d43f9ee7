/* Hono under Narwhal: export the app; it has a fetch method, so it runs as a Fetch handler.
   Run it: npx narwhal -w 2 app.js */
import { Hono } from 'hono';

const app = new Hono();

app.get('/json', (c) => c.json({ framework: 'hono', pid: process.pid }));
app.post('/echo', async (c) => c.json(await c.req.json()));
app.get('/error', () => {
  throw new Error('boom'); // Hono answers "Internal Server Error"
});

export default app;

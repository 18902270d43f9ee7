/* A plain Fetch handler: an object with a fetch method, as Hono and `export default { fetch }`
   apps are. Run it: npx narwhal -w 2 app.js */
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/json') return Response.json({ framework: 'fetch', pid: process.pid });
    if (request.method === 'POST' && pathname === '/echo') return Response.json(await request.json());
    // Narwhal answers a handler that throws or rejects with a plain 500, never the stack trace.
    if (pathname === '/error') throw new Error('boom');
    return new Response(`Hello from pid ${process.pid}: ${pathname}\n`, { headers: { 'content-type': 'text/plain' } });
  },
};

/* The smallest Fetch-contract app: an object with a fetch method, as Hono and
   `export default { fetch }` apps are. Run it: narwhal -w 2 -k async app.js */
export default {
  fetch(request) {
    return new Response(`Hello from pid ${process.pid}: ${new URL(request.url).pathname}\n`, {
      headers: { 'content-type': 'text/plain' },
    });
  },
};

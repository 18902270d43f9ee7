/* The corpus's Fetch-contract app: answers 200 with a JSON description of what it saw (the
   twin of echo-node.mjs). Headers are the Fetch view: lower-case names, repeats joined. */
export default {
  async fetch(request) {
    const body = Buffer.from(await request.arrayBuffer()).toString('latin1');
    const seen = { narwhalEcho: 'fetch', method: request.method, url: request.url, headers: [...request.headers], body };
    return new Response(JSON.stringify(seen), { headers: { 'content-type': 'application/json' } });
  },
};

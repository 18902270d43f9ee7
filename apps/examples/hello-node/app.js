/* A plain Node request listener, as http.createServer takes: no framework.
   Run it: npx narwhal -w 2 app.js */

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export default async function app(req, res) {
  if (req.method === 'GET' && req.url === '/json') return sendJson(res, 200, { framework: 'node', pid: process.pid });
  if (req.method === 'POST' && req.url === '/echo') return sendJson(res, 200, await readJson(req));
  // Narwhal answers a listener that throws or rejects with a plain 500, never the stack trace.
  if (req.url === '/error') throw new Error('boom');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from pid ${process.pid}\n`);
}

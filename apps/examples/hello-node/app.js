/* The smallest Node-contract app: a request listener, as http.createServer takes.
   Run it: narwhal -w 2 -k async app.js */
export default function app(req, res) {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from pid ${process.pid}\n`);
}

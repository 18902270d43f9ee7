/* The corpus's Node-contract app: answers 200 with a JSON description of what it saw. Bodies
   and field values are reported as latin-1 strings, one character per byte, so the kit can
   compare them with the bytes it sent. */
const pairs = (flat) => {
  const out = [];
  for (let index = 0; index < flat.length; index += 2) out.push([flat[index], flat[index + 1]]);
  return out;
};

export default function echo(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const seen = {
      narwhalEcho: 'node',
      method: req.method,
      target: req.url,
      httpVersion: req.httpVersion,
      headers: pairs(req.rawHeaders),
      body: Buffer.concat(chunks).toString('latin1'),
      trailers: pairs(req.rawTrailers),
    };
    // A length, not chunking, so an HTTP/1.0 client can keep the connection.
    const body = Buffer.from(JSON.stringify(seen));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
}

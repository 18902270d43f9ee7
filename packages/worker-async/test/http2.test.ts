import { readFileSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import net from 'node:net';
import { fixtureDir, makeTestCertificates, rawRequest, request, runNarwhal, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const dir = fixtureDir({
  'node.mjs': `export default async (req, res) => {
    if (req.url === '/slow') await new Promise((resolve) => setTimeout(resolve, 800));
    if (req.url === '/who') return res.end(req.socket.remoteAddress);
    if (req.url === '/http2-loaded') return res.end(String(process.moduleLoadList.includes('NativeModule http2')));
    if (req.url === '/hop') {
      res.setHeader('Connection', 'close');
      res.writeHead(200, { 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'x-kept': '1' });
      return res.end('hop');
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const pseudo = Object.keys(req.headers).some((name) => name.startsWith(':')) || req.rawHeaders.some((name) => name.startsWith(':'));
    res.end(\`\${req.httpVersion} \${req.method} \${req.url} \${req.headers.host} pseudo=\${pseudo} \${Buffer.concat(chunks)}\`);
  };`,
  'fetch.mjs': 'export default { fetch: async (request) => new Response(`${request.method} ${request.url} x=${request.headers.get("x-a")} ${await request.text()}`) };\n',
});
const certs = makeTestCertificates();
const async = ['-k', workerClassPath('async'), '-b', '127.0.0.1:0', '-w', '1'];
const tls = ['--certfile', certs.server.cert, '--keyfile', certs.server.key];
const h2c = ['--http-protocols', 'h1,h2', '--http2-cleartext', 'prior-knowledge'];

const sessions: ClientHttp2Session[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

function open(url: string): ClientHttp2Session {
  const session = connect(url, url.startsWith('https:') ? { ca: readFileSync(certs.ca) } : {});
  session.on('error', () => {});
  sessions.push(session);
  return session;
}

/** One request on an HTTP/2 session: its status and body. */
function h2(session: ClientHttp2Session, path: string, body?: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ':method': body === undefined ? 'GET' : 'POST', ...headers });
    let status = 0;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (head) => (status = Number(head[':status'])));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(`${status} ${text}`));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('HTTP/2 on -k async', () => {
  it('serves h2 over TLS by ALPN and HTTP/1.1 on the same port; the request looks like an HTTP/1.1 one; one access log line per stream', async () => {
    const narwhal = await startNarwhal([...async, ...tls, '--http-protocols', 'h1,h2', '--access-logfile', '-', '--access-logformat', '%(h)s "%(r)s" %(s)s %(b)s', 'node.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    expect(await h2(session, '/a?b=1')).toBe(`200 2.0 GET /a?b=1 127.0.0.1:${narwhal.port} pseudo=false `);
    expect(await h2(session, '/echo', 'hello h2')).toBe(`200 2.0 POST /echo 127.0.0.1:${narwhal.port} pseudo=false hello h2`);
    expect(session.alpnProtocol).toBe('h2');
    // HTTP/1.1 connection fields an app sets are dropped, not a failure.
    expect(await h2(session, '/hop')).toBe('200 hop');
    const h1 = await request(`${narwhal.url}/one`, { tls: { ca: certs.ca } });
    expect(h1.body).toBe(`1.1 GET /one 127.0.0.1:${narwhal.port} pseudo=false `);
    const body = `2.0 GET /a?b=1 127.0.0.1:${narwhal.port} pseudo=false `;
    await narwhal.waitForLog(new RegExp(`^127\\.0\\.0\\.1 "GET /a\\?b=1 HTTP/2\\.0" 200 ${body.length}$`, 'm'), 5000);
    await narwhal.waitForLog(/^127\.0\.0\.1 "GET \/one HTTP\/1\.1" 200/m, 5000);
  }, 30_000);

  it('serves h2c with prior knowledge beside HTTP/1.1 on a cleartext port, to a Fetch handler, through the same front door', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--limit-request-field-size', '200', 'fetch.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    expect(await h2(session, '/f?g=1', undefined, { 'x-a': 'b' })).toBe(`200 GET http://127.0.0.1:${narwhal.port}/f?g=1 x=b `);
    expect(await h2(session, '/echo', 'body over h2c')).toBe(`200 POST http://127.0.0.1:${narwhal.port}/echo x=null body over h2c`);
    // A field over --limit-request-field-size is answered 431 on its stream, as on HTTP/1.1; the connection serves on.
    expect(await h2(session, '/big', undefined, { 'x-big': 'y'.repeat(300) })).toBe('431 431 Request Header Fields Too Large\n');
    expect(await h2(session, '/after')).toMatch(/^200 GET /);
    expect((await request(`${narwhal.url}/h1`, { method: 'POST', body: 'one' })).body).toBe(`POST http://127.0.0.1:${narwhal.port}/h1 x=null one`);
  }, 30_000);

  it('serves many streams of one connection at once, within --http2-max-concurrent-streams', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--http2-max-concurrent-streams', '20', 'node.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    await new Promise((resolve) => session.once('remoteSettings', resolve));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(20);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => h2(session, '/slow', `stream ${index}`)));
    // Twenty requests of 800 ms each, served at once.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answers.map((answer) => answer.split(' ')[0])).toEqual(Array(20).fill('200'));
    expect(new Set(answers).size).toBe(20);
  }, 30_000);

  it('sends GOAWAY to a connection idle for --keep-alive', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--keep-alive', '1', 'node.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    expect(await h2(session, '/')).toMatch(/^200 /);
    const started = Date.now();
    await new Promise((resolve) => session.once('goaway', resolve));
    expect(Date.now() - started).toBeGreaterThan(700);
    expect(Date.now() - started).toBeLessThan(3000);
  }, 30_000);

  it('sends GOAWAY on TERM and lets the stream in flight finish', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--graceful-timeout', '5', 'node.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    expect(await h2(session, '/warm')).toMatch(/^200 /);
    const goaway = new Promise((resolve) => session.once('goaway', resolve));
    const slow = h2(session, '/slow', 'in flight');
    await new Promise((resolve) => setTimeout(resolve, 200));
    narwhal.signal('SIGTERM');
    await goaway;
    expect(await slow).toBe(`200 2.0 POST /slow 127.0.0.1:${narwhal.port} pseudo=false in flight`);
    expect((await narwhal.exited).code).toBe(0);
  }, 30_000);

  it('takes the client of a PROXY header on an h2c connection (--proxy-protocol)', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--proxy-protocol', 'v1', '--access-logfile', '-', '--access-logformat', '%(h)s "%(r)s"', 'node.mjs'], { cwd: dir });
    const session = connect(narwhal.url, {
      createConnection: () => {
        const socket = net.connect(narwhal.port, '127.0.0.1');
        socket.write('PROXY TCP4 192.0.2.44 192.0.2.1 5000 80\r\n');
        return socket;
      },
    });
    session.on('error', () => {});
    sessions.push(session);
    expect(await h2(session, '/who')).toBe('200 192.0.2.44');
    await narwhal.waitForLog(/^192\.0\.2\.44 "GET \/who HTTP\/2\.0"$/m, 5000);
  }, 30_000);

  it('serves h2c only to a peer in --forwarded-allow-ips, as Gunicorn; from another peer the preface is an HTTP/1.1 error', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--forwarded-allow-ips', '192.0.2.1', 'node.mjs'], { cwd: dir });
    const answer = await rawRequest({ port: narwhal.port }, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 (400|505) /);
    expect((await request(`${narwhal.url}/h1`)).body).toBe(`1.1 GET /h1 127.0.0.1:${narwhal.port} pseudo=false `);
  }, 30_000);

  it('loads node:http2 in the worker only when h2 is in --http-protocols', async () => {
    const plain = await startNarwhal([...async, 'node.mjs'], { cwd: dir });
    expect((await request(`${plain.url}/http2-loaded`)).body).toBe('false');
    const narwhal = await startNarwhal([...async, ...h2c, 'node.mjs'], { cwd: dir });
    expect((await request(`${narwhal.url}/http2-loaded`)).body).toBe('true');
  }, 30_000);

  it('counts every stream towards --max-requests', async () => {
    const narwhal = await startNarwhal([...async, ...h2c, '--max-requests', '3', 'node.mjs'], { cwd: dir });
    const session = open(narwhal.url);
    for (let index = 0; index < 3; index++) expect(await h2(session, `/${index}`)).toMatch(/^200 /);
    await narwhal.waitForLog(/stopped after max requests/, 10_000);
  }, 30_000);
});

describe('HTTP/2 refusals: one line, a non-zero exit', () => {
  it.each([
    ['sync', ['-k', workerClassPath('sync'), '-b', '127.0.0.1:0', ...h2c], /--http-protocols h2: -k sync serves HTTP\/1\.1 only/],
    ['gthread', ['-k', workerClassPath('gthread'), '-b', '127.0.0.1:0', ...h2c], /--http-protocols h2: -k gthread serves HTTP\/1\.1 only/],
    ['uws', ['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', ...h2c], /--http-protocols h2: -k uws serves HTTP\/1\.1 only: uWebSockets\.js has no HTTP\/2/],
    ['h2 without TLS or h2c', [...async, '--http-protocols', 'h1,h2'], /--http-protocols h2: HTTP\/2 needs TLS/],
    ['the h2c upgrade', [...async, '--http-protocols', 'h1,h2', '--http2-cleartext', 'upgrade'], /--http2-cleartext: 'upgrade': the HTTP\/1\.1 Upgrade to h2c is not served/],
    ['h2c without h2', [...async, '--http2-cleartext', 'prior-knowledge'], /--http2-cleartext prior-knowledge: add h2 to --http-protocols/],
    ['h3', [...async, '--http-protocols', 'h1,h3'], /--http-protocols: 'h3' is reserved/],
  ])('%s', async (_name, args, line) => {
    const result = await runNarwhal([...(args as string[]), 'node.mjs'], { cwd: dir });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(line as RegExp);
  }, 30_000);
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import express5 from 'express';
// @ts-expect-error: express@4 installed under an alias has no types of its own; it is used as Express 5's shape.
import express4 from 'express4';
import { describe, expect, it } from 'vitest';
import { lazyRequest } from '../../src/app/lazy-request.js';
import { nodeToFetchHandler } from '../../src/app/node-to-fetch.js';

const url = (path: string): string => `http://127.0.0.1:8000${path}`;

/** A promise and the function that resolves it: lets a handler wait for the test. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('a plain Node request listener runs as a Fetch handler', () => {
  it('answers with the status, headers and body the listener wrote', async () => {
    const fetch = nodeToFetchHandler((req, res) => {
      res.statusCode = 201;
      res.setHeader('x-method', req.method ?? '');
      res.setHeader('x-url', req.url ?? '');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(`hello ${req.headers['x-name']}`);
    });
    const response = await fetch(new Request(url('/path?q=1'), { headers: { 'x-name': 'narwhal' } }));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-method')).toBe('GET');
    expect(response.headers.get('x-url')).toBe('/path?q=1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-length')).toBe('13');
    expect(await response.text()).toBe('hello narwhal');
  });

  it('takes writeHead with a reason phrase and a flat header list, and rejects headers after the head', async () => {
    let lateHeaderError: unknown;
    const fetch = nodeToFetchHandler((_req, res) => {
      res.writeHead(418, 'Short And Stout', ['x-a', '1', 'x-a', '2']);
      res.write('tea');
      try {
        res.setHeader('x-late', '1');
      } catch (error) {
        lateHeaderError = error;
      }
      res.end();
    });
    const response = await fetch(new Request(url('/')));
    expect(response.status).toBe(418);
    expect(response.statusText).toBe('Short And Stout');
    expect(response.headers.get('x-a')).toBe('1, 2');
    expect(await response.text()).toBe('tea');
    expect((lateHeaderError as { code?: string }).code).toBe('ERR_HTTP_HEADERS_SENT');
  });

  it('streams the request body to the listener', async () => {
    const fetch = nodeToFetchHandler(async (req, res) => {
      let bytes = 0;
      for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
      res.end(String(bytes));
    });
    const body = new Uint8Array(300_000).fill(7);
    const response = await fetch(new Request(url('/upload'), { method: 'POST', body }));
    expect(await response.text()).toBe('300000');
  });

  it('sends no body for HEAD and for 204', async () => {
    const fetch = nodeToFetchHandler((req, res) => {
      res.statusCode = req.url === '/empty' ? 204 : 200;
      res.end('ignored');
    });
    const head = await fetch(new Request(url('/'), { method: 'HEAD' }));
    expect(head.body).toBeNull();
    const empty = await fetch(new Request(url('/empty')));
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('rejects when the listener throws or rejects before answering, so the caller can answer 500', async () => {
    await expect(nodeToFetchHandler(() => { throw new Error('sync boom'); })(new Request(url('/')))).rejects.toThrow('sync boom');
    await expect(nodeToFetchHandler(async () => { throw new Error('async boom'); })(new Request(url('/')))).rejects.toThrow('async boom');
  });

  it('produces the Response when the head is committed, so a streamed body arrives as it is written', async () => {
    const second = gate();
    const fetch = nodeToFetchHandler(async (_req, res) => {
      res.write('first;');
      await second.opened;
      res.end('second');
    });
    const response = await fetch(new Request(url('/stream')));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('first;');
    second.open();
    expect(decoder.decode((await reader.read()).value)).toBe('second');
    expect((await reader.read()).done).toBe(true);
  });

  it('applies back-pressure: write returns false until the reader catches up, then drain', async () => {
    const chunk = new Uint8Array(16 * 1024);
    const events: string[] = [];
    const fetch = nodeToFetchHandler(async (_req, res) => {
      while (res.write(chunk)) events.push('write');
      events.push('full');
      await once(res, 'drain');
      events.push('drain');
      res.end();
    });
    const response = await fetch(new Request(url('/big')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.at(-1)).toBe('full');
    expect(events.length).toBeLessThan(10);
    let bytes = 0;
    for await (const part of response.body!) bytes += part.byteLength;
    expect(events.at(-1)).toBe('drain');
    expect(bytes).toBe((events.length - 1) * chunk.byteLength);
  });

  it('tells the listener when the client goes away', async () => {
    const closed = gate();
    let endedWhenClosed: boolean | undefined;
    const fetch = nodeToFetchHandler((_req, res) => {
      res.write('partial');
      res.once('close', () => {
        endedWhenClosed = res.writableEnded;
        closed.open();
      });
    });
    const client = new AbortController();
    const response = await fetch(new Request(url('/'), { signal: client.signal }));
    await response.body!.getReader().read();
    client.abort();
    await closed.opened;
    expect(endedWhenClosed).toBe(false);
  });

  it('fixes the head at writeHead as node:http does, checking a plain object\'s fields as setHeader would', async () => {
    const seen: { sentAfterHead?: boolean; lateHeader?: string } = {};
    const fetch = nodeToFetchHandler((req, res) => {
      if (req.url === '/bad-name') return res.writeHead(200, { 'bad name': 'x' });
      if (req.url === '/bad-value') return res.writeHead(200, { 'x-split': 'a\r\nb' });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Count': 3, 'X-Skipped': undefined });
      seen.sentAfterHead = res.headersSent;
      try {
        res.setHeader('x-late', '1');
      } catch (error) {
        seen.lateHeader = (error as { code?: string }).code;
      }
      res.end('hi');
    });
    const response = await fetch(new Request(url('/')));
    expect(seen).toEqual({ sentAfterHead: true, lateHeader: 'ERR_HTTP_HEADERS_SENT' });
    expect([...response.headers]).toEqual([['content-length', '2'], ['content-type', 'text/plain'], ['x-count', '3']]);
    expect(await response.text()).toBe('hi');
    await expect(fetch(new Request(url('/bad-name')))).rejects.toMatchObject({ code: 'ERR_INVALID_HTTP_TOKEN' });
    await expect(fetch(new Request(url('/bad-value')))).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
  });

  it('builds req.headers from the raw fields with node:http\'s rules for repeated ones', async () => {
    const raw = ['content-type', 'text/a', 'content-type', 'text/b', 'x-many', '1', 'x-many', '2', 'cookie', 'a=1', 'cookie', 'b=2', 'set-cookie', 'c=3', 'set-cookie', 'd=4'];
    let seen: { headers: IncomingMessage['headers']; rawHeaders: string[] } | undefined;
    const fetch = nodeToFetchHandler((req, res) => {
      seen = { headers: { ...req.headers }, rawHeaders: req.rawHeaders };
      res.end();
    });
    await fetch(lazyRequest({ method: 'GET', url: url('/'), target: '/', headers: raw, body: null }));
    expect(seen!.rawHeaders).toEqual(raw);
    expect(seen!.headers).toEqual({ 'content-type': 'text/a', 'x-many': '1, 2', cookie: 'a=1; b=2', 'set-cookie': ['c=3', 'd=4'] });
  });

  it("emits each ended response's 'finish' and 'close' after end() returns, once", async () => {
    const events: string[] = [];
    const fetch = nodeToFetchHandler((req, res) => {
      res.on('finish', () => events.push(`finish ${req.url}`));
      res.on('close', () => events.push(`close ${req.url}`));
      res.end();
      events.push(`ended ${req.url}`);
    });
    await Promise.all([fetch(new Request(url('/a'))), fetch(new Request(url('/b')))]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['ended /a', 'ended /b', 'finish /a', 'close /a', 'finish /b', 'close /b']);
  });

  it('gives the listener the peer address when the serving side knows it', async () => {
    const fetch = nodeToFetchHandler((req: IncomingMessage, res: ServerResponse) => res.end(`${req.socket.remoteAddress}:${req.socket.remotePort}`));
    const response = await fetch(new Request(url('/')), { remoteAddress: '127.0.0.1', remotePort: 5555 });
    expect(await response.text()).toBe('127.0.0.1:5555');
  });
});

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s runs on the emulation', (_name, express) => {
  const app = express();
  app.use(express.json());
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, query: req.query.q, ip: req.ip });
  });
  app.post('/echo', (req, res) => {
    res.status(201).set('x-echo', 'yes').json(req.body);
  });
  app.get('/stream', async (_req, res) => {
    res.type('text/plain');
    res.write('one,');
    await new Promise((resolve) => setTimeout(resolve, 10));
    res.write('two,');
    res.end('three');
  });
  app.get('/fail', () => {
    throw new Error('route failed');
  });
  const fetch = nodeToFetchHandler(app);

  it('routes and answers res.json with its headers', async () => {
    const response = await fetch(new Request(url('/users/42?q=x')), { remoteAddress: '127.0.0.1', remotePort: 1 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-powered-by')).toBe('Express');
    expect(await response.json()).toEqual({ id: '42', query: 'x', ip: '127.0.0.1' });
  });

  it('parses a JSON body and honours res.status and res.set', async () => {
    const response = await fetch(new Request(url('/echo'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) }));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ a: [1, 2] });
  });

  it('streams res.write chunks', async () => {
    const response = await fetch(new Request(url('/stream')));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const parts: string[] = [];
    const decoder = new TextDecoder();
    for await (const part of response.body!) parts.push(decoder.decode(part));
    expect(parts.join('')).toBe('one,two,three');
    expect(parts.length).toBeGreaterThan(1);
  });

  it('answers unknown routes 404 and route errors 500 through its own handlers', async () => {
    expect((await fetch(new Request(url('/nowhere')))).status).toBe(404);
    const failed = await fetch(new Request(url('/fail')));
    expect(failed.status).toBe(500);
    await failed.text();
  });
});

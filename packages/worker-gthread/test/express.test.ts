import { writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fixtureDir, request, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const express = createRequire(import.meta.url).resolve('express');
const app = fixtureDir({
  'app.mjs': `
    import { existsSync } from 'node:fs';
    import { threadId } from 'node:worker_threads';
    import express from ${JSON.stringify(express)};
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const app = express();
    app.use(express.json());
    app.get('/users/:id', (req, res) => res.json({ id: req.params.id, threadId, ip: req.ip }));
    app.post('/echo', (req, res) => res.status(201).set('x-echo', 'yes').json(req.body));
    app.get('/stream', async (req, res) => {
      res.type('text/plain');
      res.write('first\\n');
      while (!existsSync(req.query.gate)) await sleep(10);
      res.end('second\\n');
    });
    export default app;`,
});

describe('-k gthread runs an Express app inside its threads', () => {
  it('routes, parses JSON, and answers res.json / res.status / res.set from a pool thread', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('gthread'), '-b', '127.0.0.1:0', '-w', '1', '--threads', '2', 'app.mjs'], { cwd: app });
    const user = await request(`${narwhal.url}/users/7`);
    expect(user.status).toBe(200);
    expect(user.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(user.body) as { id: string; threadId: number; ip: string };
    expect(body.id).toBe('7');
    expect(body.threadId).toBeGreaterThan(0);
    expect(body.ip).toBe('127.0.0.1');
    const echo = await request(`${narwhal.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) });
    expect(echo.status).toBe(201);
    expect(echo.headers['x-echo']).toBe('yes');
    expect(JSON.parse(echo.body)).toEqual({ a: [1, 2] });
    expect((await request(`${narwhal.url}/nowhere`)).status).toBe(404);
  });

  it('streams res.write to the client as it is written', async () => {
    const narwhal = await startNarwhal(['-k', workerClassPath('gthread'), '-b', '127.0.0.1:0', '-w', '1', 'app.mjs'], { cwd: app });
    const gate = join(fixtureDir({}), 'open');
    const chunks: string[] = [];
    await new Promise<void>((resolve, reject) => {
      httpGet(`${narwhal.url}/stream?gate=${encodeURIComponent(gate)}`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // The app writes the rest only once the gate exists: a buffered response would never arrive.
          if (chunks.length === 0) writeFileSync(gate, '');
          chunks.push(chunk);
        });
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(chunks[0]).toBe('first\n');
    expect(chunks.join('')).toBe('first\nsecond\n');
  });
});

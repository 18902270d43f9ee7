import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { fixtureDir, get, request, sleep, startNarwhal, workerClassPath, eventually } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;
const express = createRequire(import.meta.url).resolve('express');
const dir = fixtureDir({
  'app.mjs': `
    let produced = 0;
    let aborts = 0;
    let peakRss = 0;
    const chunk = new Uint8Array(64 * 1024).fill(100);
    export default {
      async fetch(request) {
        const url = new URL(request.url);
        switch (url.pathname) {
          case '/upload': {
            const before = process.memoryUsage().rss;
            let bytes = 0;
            for await (const part of request.body) {
              bytes += part.byteLength;
              peakRss = Math.max(peakRss, process.memoryUsage().rss - before);
            }
            return Response.json({ bytes, growth: peakRss });
          }
          case '/download': {
            const total = Number(url.searchParams.get('mb')) * ${MB};
            produced = 0;
            return new Response(new ReadableStream({
              pull(controller) {
                if (produced >= total) return controller.close();
                produced += chunk.byteLength;
                controller.enqueue(chunk);
              },
            }, { highWaterMark: 0 }));
          }
          case '/produced':
            return new Response(String(produced));
          case '/hold':
            request.signal.addEventListener('abort', () => aborts++);
            return new Response(new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('held')); } }));
          case '/aborts':
            return new Response(String(aborts));
          default:
            return new Response(String(process.pid));
        }
      },
    };`,
  'express-app.mjs': `
    import express from ${JSON.stringify(express)};
    const app = express();
    app.get('/', (req, res) => res.json({ hello: 'world', pid: process.pid }));
    export default app;`,
});
const uws = (...extra: string[]): string[] => ['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '-w', '1', ...extra];

describe('-k uws streams bodies with back-pressure and survives aborts', () => {
  it('streams a 100 MB upload through the app without buffering it', async () => {
    const narwhal = await startNarwhal([...uws(), 'app.mjs'], { cwd: dir });
    // A first request starts what a worker starts with its first connection (the stall watchdog's
    // thread, ~8.5 MiB), which is not the upload's to account for.
    await get(narwhal.url);
    await sleep(300);
    const result = await new Promise<{ bytes: number; growth: number }>((resolve, reject) => {
      const req = httpRequest(`${narwhal.url}/upload`, { method: 'POST', headers: { 'content-length': String(100 * MB) } }, (res) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString()));
        res.on('end', () => resolve(JSON.parse(text) as { bytes: number; growth: number }));
      });
      req.on('error', reject);
      const part = Buffer.alloc(MB, 7);
      let sent = 0;
      const pump = (): void => {
        while (sent < 100 && req.write(part)) sent++;
        if (sent < 100) req.once('drain', () => { sent++; pump(); });
        else req.end();
      };
      pump();
    });
    expect(result.bytes).toBe(100 * MB);
    expect(result.growth).toBeLessThan(50 * MB);
  });

  it('produces a large download only as fast as the client reads it', async () => {
    const narwhal = await startNarwhal([...uws(), 'app.mjs'], { cwd: dir });
    const received = await new Promise<number>((resolve, reject) => {
      httpRequest(`${narwhal.url}/download?mb=100`, (res) => {
        res.pause();
        // While the client reads nothing, the app must stop well short of the whole body.
        void sleep(500).then(async () => {
          const produced = Number(await get(`${narwhal.url}/produced`));
          expect(produced).toBeLessThan(20 * MB);
          let bytes = 0;
          res.on('data', (part: Buffer) => (bytes += part.length));
          res.on('end', () => resolve(bytes));
          res.resume();
        }, reject);
      }).on('error', reject).end();
    });
    expect(received).toBe(100 * MB);
  });

  it('tells the app when the client goes away, never writes to the aborted response, and serves on', async () => {
    const narwhal = await startNarwhal([...uws(), 'app.mjs'], { cwd: dir });
    const pid = await get(narwhal.url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${narwhal.url}/hold`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => reject(new Error('no first chunk')), 5000);
    });
    await eventually(async () => ((await get(`${narwhal.url}/aborts`)) === '1' ? true : undefined));
    expect(await get(narwhal.url)).toBe(pid);
  });

  it('runs an Express hello-world app with res.json', async () => {
    const narwhal = await startNarwhal([...uws(), 'express-app.mjs'], { cwd: dir });
    const response = await request(narwhal.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toMatchObject({ hello: 'world' });
  });

  it('closes the connection after each response with --keep-alive 0', async () => {
    const narwhal = await startNarwhal([...uws('--keep-alive', '0'), 'app.mjs'], { cwd: dir });
    expect((await request(narwhal.url)).headers.connection).toBe('close');
  });
});

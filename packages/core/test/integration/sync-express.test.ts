import { createRequire } from 'node:module';
import { fixtureDir, request, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const express = createRequire(import.meta.url).resolve('express');
const app = fixtureDir({
  'app.mjs': `
    import express from ${JSON.stringify(express)};
    const app = express();
    app.use(express.json());
    app.get('/users/:id', (req, res) => res.json({ id: req.params.id, pid: process.pid }));
    app.post('/echo', (req, res) => res.status(201).set('x-echo', 'yes').json(req.body));
    export default app;`,
});

describe('-k sync runs an Express app', () => {
  it('routes, parses JSON bodies and answers res.json / res.status / res.set', async () => {
    const narwhal = await startNarwhal(['-k', 'sync', '-b', '127.0.0.1:0', '-w', '2', 'app.mjs'], { cwd: app });
    const user = await request(`${narwhal.url}/users/7`);
    expect(user.status).toBe(200);
    expect(JSON.parse(user.body)).toMatchObject({ id: '7' });
    const echo = await request(`${narwhal.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(echo.status).toBe(201);
    expect(echo.headers['x-echo']).toBe('yes');
    expect(JSON.parse(echo.body)).toEqual({ a: 1 });
    expect((await request(`${narwhal.url}/missing`)).status).toBe(404);
  });
});

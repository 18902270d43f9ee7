/* Koa 3 under Narwhal: export the app; Narwhal serves what app.callback() returns.
   Run it: npx narwhal -w 2 app.js */
import Koa from 'koa';

const app = new Koa();

/** Koa has no body parser of its own: read a JSON body in a few lines. */
async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/json') ctx.body = { framework: 'koa', pid: process.pid };
  else if (ctx.method === 'POST' && ctx.path === '/echo') ctx.body = await readJson(ctx.req);
  else if (ctx.path === '/error') throw new Error('boom'); // Koa answers "Internal Server Error"
});

export default app;

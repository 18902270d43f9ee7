/* The Node-contract app of the request-timeout and loop-lag suites. `mark` names a file where the
   app notes what it observed, since it may run in another process or thread than the test. */
import { appendFileSync } from 'node:fs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after `ms`, or as soon as `emitter` emits `event`. */
function waitOrUntil(ms, emitter, event) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export default async function deadlines(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const mark = url.searchParams.get('mark');
  switch (url.pathname) {
    case '/pid':
      res.end(String(process.pid));
      return;
    case '/await':
      // An upstream call that takes 10 s, stopped as soon as the request is over.
      req.once('close', () => appendFileSync(mark, 'req close\n'));
      res.once('close', () => appendFileSync(mark, 'res close\n'));
      await waitOrUntil(10_000, res, 'close');
      // Too late: ignored, and no error.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('too late');
      return;
    case '/started':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk\n');
      await waitOrUntil(10_000, res, 'close');
      res.end('rest\n');
      return;
    case '/block-repeat': {
      // Blocks this event loop `times` times for `ms`, in the background of a quick answer.
      const ms = Number(url.searchParams.get('ms'));
      const times = Number(url.searchParams.get('times'));
      res.end('blocking');
      for (let round = 0; round < times; round++) {
        await sleep(20);
        const until = Date.now() + ms;
        while (Date.now() < until);
      }
      return;
    }
    default:
      res.writeHead(404);
      res.end();
  }
}

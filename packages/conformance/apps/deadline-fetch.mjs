/* The Fetch-contract twin of deadline-node.mjs. */
import { writeFileSync } from 'node:fs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after `ms`, or as soon as `signal` aborts. */
function waitOrAbort(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const mark = url.searchParams.get('mark');
    switch (url.pathname) {
      case '/pid':
        return new Response(String(process.pid));
      case '/await':
        // An upstream call that takes 10 s, stopped as soon as the request's signal aborts.
        await waitOrAbort(10_000, request.signal);
        writeFileSync(mark, `aborted ${request.signal.aborted} ${request.signal.reason?.name}\n`);
        return new Response('too late');
      case '/started': {
        const signal = request.signal;
        let step = 0;
        return new Response(new ReadableStream({
          async pull(controller) {
            if (step++ === 0) return controller.enqueue(new TextEncoder().encode('first chunk\n'));
            await waitOrAbort(10_000, signal);
            controller.enqueue(new TextEncoder().encode('rest\n'));
            controller.close();
          },
        }), { headers: { 'content-type': 'text/plain' } });
      }
      case '/block-repeat': {
        const ms = Number(url.searchParams.get('ms'));
        const times = Number(url.searchParams.get('times'));
        void (async () => {
          for (let round = 0; round < times; round++) {
            await sleep(20);
            const until = Date.now() + ms;
            while (Date.now() < until);
          }
        })();
        return new Response('blocking');
      }
      default:
        return new Response(null, { status: 404 });
    }
  },
};

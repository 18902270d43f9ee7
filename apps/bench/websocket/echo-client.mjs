/* One client thread of the WebSocket echo workload: holds its connections, each sending a
   message and waiting for its echo before the next, and reports every round trip's time. */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, connections, size, durationMs } = workerData;
const payload = Buffer.alloc(size, 120);
const latenciesUs = [];
let errors = 0;

function run(ws) {
  return new Promise((resolve) => {
    const end = performance.now() + durationMs;
    let sentAt = 0;
    const next = () => {
      if (performance.now() >= end) return resolve();
      sentAt = performance.now();
      ws.send(payload);
    };
    ws.on('message', () => {
      latenciesUs.push(Math.round((performance.now() - sentAt) * 1000));
      next();
    });
    ws.on('close', resolve);
    next();
  });
}

const sockets = await Promise.all(
  Array.from({ length: connections }, () =>
    new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', () => {
        errors++;
        resolve(null);
      });
    }),
  ),
);
parentPort.postMessage({ type: 'connected' });
await new Promise((resolve) => parentPort.once('message', resolve));
await Promise.all(sockets.filter(Boolean).map(run));
for (const ws of sockets) ws?.terminate();
parentPort.postMessage({ type: 'done', latenciesUs, errors });

// The WebSocket echo workload (issue 19): messages per second and p99 round trip of narwhal -k uws
// against bare uWebSockets.js, and of narwhal -k async against ws on node:cluster with both of
// async's app contracts (the Fetch `websocket` handler over ws, and a Node app's exported
// http.Server handing upgrades to ws's handleUpgrade), with each one's ratio to its anchor, in one run. Each client connection
// sends a message and waits for its echo before the next (so p99 is a round trip, not a queue).
// Run from apps/bench after a build:
//   node websocket-echo.mjs [--duration 10] [--connections 64] [--workers 2] [--clients 2] [--size 32]
// A 2-second run proves the harness works; compare ratios only from long runs on a quiet machine.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';

/** The command line; a bad flag is one line and exit 1, not a stack trace. */
function readOptions() {
  try {
    return parseArgs({
      options: {
        duration: { type: 'string', default: '10' },
        connections: { type: 'string', default: '64' },
        workers: { type: 'string', default: '2' },
        clients: { type: 'string', default: '2' },
        size: { type: 'string', default: '32' },
      },
    }).values;
  } catch (error) {
    console.error(`websocket-echo: ${error.message} (options: --duration, --connections, --workers, --clients, --size)`);
    process.exit(1);
  }
}
const values = readOptions();
const here = dirname(fileURLToPath(import.meta.url));
const workers = Number(values.workers);
const narwhalCli = join(dirname(createRequire(import.meta.url).resolve('@narwhal/core/package.json')), 'bin', 'narwhal.js');

/** How each target starts on a port: its processes, in their own process group. */
const TARGETS = [
  { name: 'narwhal -k uws', pair: 'uws', start: (port) => [spawnGroup(narwhalCli, ['-k', 'uws', '-w', String(workers), '-b', `127.0.0.1:${port}`, '--websocket-idle-timeout', '0', 'websocket/echo-app.mjs'])] },
  { name: 'bare uWebSockets.js', pair: 'uws', anchor: true, start: (port) => Array.from({ length: workers }, () => spawnGroup(join(here, 'websocket/uws-anchor.mjs'), ['--port', String(port)])) },
  { name: 'narwhal -k async', pair: 'async', start: (port) => [spawnGroup(narwhalCli, ['-k', 'async', '-w', String(workers), '-b', `127.0.0.1:${port}`, '--websocket-idle-timeout', '0', 'websocket/echo-app.mjs'])] },
  { name: 'narwhal -k async (Node)', pair: 'async', start: (port) => [spawnGroup(narwhalCli, ['-k', 'async', '-w', String(workers), '-b', `127.0.0.1:${port}`, 'websocket/echo-node-app.mjs'])] },
  { name: 'ws on node:cluster', pair: 'async', anchor: true, start: (port) => [spawnGroup(join(here, 'websocket/ws-cluster-anchor.mjs'), ['--port', String(port), '--workers', String(workers)])] },
];

function spawnGroup(script, args) {
  return spawn(process.execPath, [script, ...args], { cwd: here, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a WebSocket to `url` opens (the server serves), or rejects after 20 s. */
async function untilServing(url) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const opened = await new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.terminate();
        resolve(true);
      });
      ws.once('error', () => resolve(false));
    });
    if (opened) return;
    if (Date.now() > deadline) throw new Error(`${url} never served`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(url) {
  const clients = Number(values.clients);
  const connections = Number(values.connections);
  const threads = Array.from({ length: clients }, (_, index) => {
    const share = Math.floor(connections / clients) + (index < connections % clients ? 1 : 0);
    return new Worker(join(here, 'websocket/echo-client.mjs'), { workerData: { url, connections: share, size: Number(values.size), durationMs: Number(values.duration) * 1000 } });
  });
  const nextMessage = (thread) => new Promise((resolve, reject) => thread.once('message', resolve).once('error', reject));
  await Promise.all(threads.map(nextMessage));
  const started = performance.now();
  const results = await Promise.all(threads.map((thread) => (thread.postMessage('go'), nextMessage(thread))));
  const seconds = (performance.now() - started) / 1000;
  const latencies = results.flatMap((result) => result.latenciesUs).sort((a, b) => a - b);
  const quantile = (q) => (latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1000);
  return { rate: latencies.length / seconds, p50: quantile(0.5), p99: quantile(0.99), errors: results.reduce((sum, result) => sum + result.errors, 0) };
}

const measured = new Map();
for (const target of TARGETS) {
  const port = await freePort();
  const processes = target.start(port);
  try {
    await untilServing(`ws://127.0.0.1:${port}/`);
    // Every worker has booted by now in practice; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const result = await measure(`ws://127.0.0.1:${port}/`);
    measured.set(target.name, result);
    console.log(`${target.name.padEnd(24)} ${result.rate.toFixed(0).padStart(9)} msg/s   p50 ${result.p50.toFixed(2)} ms   p99 ${result.p99.toFixed(2)} ms${result.errors ? `   ${result.errors} connections failed` : ''}`);
  } finally {
    for (const child of processes) stopGroup(child);
  }
}
for (const target of TARGETS.filter((candidate) => !candidate.anchor)) {
  const narwhal = measured.get(target.name);
  const anchor = measured.get(TARGETS.find((candidate) => candidate.anchor && candidate.pair === target.pair).name);
  console.log(`${target.name}: narwhal / anchor = ${(narwhal.rate / anchor.rate).toFixed(2)}× messages/s, p99 ${(narwhal.p99 / anchor.p99).toFixed(2)}×`);
}

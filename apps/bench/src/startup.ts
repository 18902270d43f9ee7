// Design: "serves its first request within 1 s of start" is measured from the moment the CLI
// is spawned to the first 200, polling every 10 ms, for `narwhal -w 4 -k async`.

import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort } from './measure.js';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const NARWHAL = fileURLToPath(new URL('../../../packages/core/bin/narwhal.js', import.meta.url));
const ASYNC = fileURLToPath(new URL('../../../packages/worker-async', import.meta.url));

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function timeToFirstResponse(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [NARWHAL, '-k', ASYNC, '-w', '4', '-b', `127.0.0.1:${port}`, '--log-level', 'warning', 'scenarios/hello.mjs:node'], { cwd: BENCH, stdio: 'ignore', detached: true });
  try {
    while (performance.now() - started < 20_000) {
      if (await answers(`http://127.0.0.1:${port}/`)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('narwhal -w 4 did not answer within 20 s');
  } finally {
    process.kill(-child.pid!, 'SIGINT');
  }
}

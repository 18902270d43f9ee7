// Design: "serves its first request within 500 ms of start" is measured from the moment the CLI
// is spawned to the first 200, polling every 10 ms, for `narwhal -w 4 -k async`: the median of
// three starts, since one start on a shared machine can catch a slow spell.

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
  const starts: number[] = [];
  for (let index = 0; index < 3; index++) starts.push(await oneStart());
  return starts.sort((a, b) => a - b)[1]!;
}

async function oneStart(): Promise<number> {
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
    // The next start must not share the machine with this one's stopping workers.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    if (child.exitCode === null && child.signalCode === null) await exited;
  }
}

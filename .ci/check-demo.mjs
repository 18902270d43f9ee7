// CI: the README's first quick-start command, `npx -y pnpm@10.34.8 install && npx -y pnpm@10.34.8 demo`,
// must serve apps/examples/hello-node on http://127.0.0.1:8000 as the README says. The install has
// run already; this starts the demo in its own process group, waits for an answer, and stops it.

import { spawn } from 'node:child_process';
import { connect } from 'node:net';

const root = new URL('..', import.meta.url).pathname;
const URL_ = 'http://127.0.0.1:8000/';

const portTaken = await new Promise((resolve) => {
  const socket = connect(8000, '127.0.0.1', () => resolve(socket.destroy() ?? true)).on('error', () => resolve(false));
});
if (portTaken) {
  console.log('demo: port 8000 is in use on this machine, so the demo was not started');
  process.exit(0);
}

const demo = spawn('npx', ['-y', 'pnpm@10.34.8', 'demo'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
demo.stdout.on('data', (chunk) => (output += chunk));
demo.stderr.on('data', (chunk) => (output += chunk));
const stop = () => {
  try {
    process.kill(-demo.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};

let body = '';
const deadline = Date.now() + 120_000;
while (Date.now() < deadline && demo.exitCode === null) {
  try {
    body = await (await fetch(URL_)).text();
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
stop();
if (/^Hello from pid \d+\n$/.test(body)) {
  console.log(`demo: ${URL_} answered "${body.trim()}"`);
  process.exit(0);
}
console.error(`demo: ${URL_} did not answer as the README says (got ${JSON.stringify(body)}); output:\n${output}`);
process.exit(1);

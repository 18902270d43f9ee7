import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { fixtureDir, sleep, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { afterAll, describe, expect, it } from 'vitest';

const MIGRATE_REQ = '/proc/sys/net/ipv4/tcp_migrate_req';
const dir = fixtureDir({ 'app.mjs': "export default { fetch: () => new Response('ok') };" });
const original = readMigrateReq();

function readMigrateReq(): string | undefined {
  try {
    return readFileSync(MIGRATE_REQ, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function setMigrateReq(value: string): boolean {
  try {
    writeFileSync(MIGRATE_REQ, value);
    return readMigrateReq() === value;
  } catch {
    return false;
  }
}

/** One request on a fresh connection: 'ok', or the error code that ended it. */
function once(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (part: Buffer) => (body += part.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body === 'ok' ? 'ok' : `HTTP ${res.statusCode} ${body}`));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

type Narwhal = Awaited<ReturnType<typeof startNarwhal>>;
const CLIENTS = 16;

/** Workers stop gracefully and new ones start: HUP, TTOU, TTIN, and max-requests recycling throughout. */
async function gracefulChanges(narwhal: Narwhal): Promise<void> {
  narwhal.signal('SIGHUP');
  await narwhal.waitForLog(/Reload complete/, 20_000);
  narwhal.signal('SIGTTOU');
  await sleep(500);
  narwhal.signal('SIGTTIN');
  await sleep(500);
  // The load goes on, so some worker reaches --max-requests outside the reload too.
  await narwhal.waitForLog(/stopped after max requests/, 10_000);
}

async function killOneWorker(narwhal: Narwhal): Promise<void> {
  process.kill(narwhal.readyPids().at(-1)!, 'SIGKILL');
  await sleep(800);
}

/** Drives CLIENTS loops of requests on fresh connections while `changes` runs; counts the outcomes. */
async function outcomesUnderLoad(changes: (narwhal: Narwhal) => Promise<void>): Promise<Map<string, number>> {
  const narwhal = await startNarwhal(['-k', workerClassPath('uws'), '-b', '127.0.0.1:0', '-w', '2', '--max-requests', '400', '--max-requests-jitter', '100', 'app.mjs'], { cwd: dir });
  const outcomes = new Map<string, number>();
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const outcome = await once(narwhal.url);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  });
  await sleep(300);
  await changes(narwhal);
  await sleep(200);
  running = false;
  await Promise.all(clients);
  return outcomes;
}

const report = (label: string, outcomes: Map<string, number>): void => console.info(`uws, ${label}: ${JSON.stringify(Object.fromEntries(outcomes))}`);

describe('-k uws under load while workers come and go (respawn, HUP, TTOU, max-requests)', () => {
  afterAll(() => {
    if (original !== undefined) setMigrateReq(original);
  });

  it('loses no connection across graceful changes when the kernel migrates queued connections (net.ipv4.tcp_migrate_req=1)', async (context) => {
    if (original !== '1' && !setMigrateReq('1')) context.skip();
    const outcomes = await outcomesUnderLoad(gracefulChanges);
    report('tcp_migrate_req=1, HUP/TTOU/TTIN/max-requests', outcomes);
    expect([...outcomes.keys()]).toEqual(['ok']);
    expect(outcomes.get('ok')).toBeGreaterThan(500);
  });

  it('loses only the requests a killed worker was serving, not its queue, when the kernel migrates (tcp_migrate_req=1)', async (context) => {
    if (original !== '1' && !setMigrateReq('1')) context.skip();
    const outcomes = await outcomesUnderLoad(killOneWorker);
    report('tcp_migrate_req=1, kill -9', outcomes);
    for (const outcome of outcomes.keys()) expect(['ok', 'ECONNRESET']).toContain(outcome);
    expect(outcomes.get('ECONNRESET') ?? 0).toBeLessThanOrEqual(CLIENTS);
  });

  it('measures the loss across graceful changes without migration (tcp_migrate_req=0): only resets, never a wrong answer', async (context) => {
    if (original !== '0' && !setMigrateReq('0')) context.skip();
    const outcomes = await outcomesUnderLoad(gracefulChanges);
    report('tcp_migrate_req=0, HUP/TTOU/TTIN/max-requests', outcomes);
    // Reset while established (ECONNRESET) or while still in the handshake queue (ECONNREFUSED).
    for (const outcome of outcomes.keys()) expect(['ok', 'ECONNRESET', 'ECONNREFUSED']).toContain(outcome);
    expect(outcomes.get('ok')).toBeGreaterThan(500);
  });
});

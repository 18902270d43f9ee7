// Design: issue 15 part 7, faults of the app and of the machine. An app that throws or rejects
// gets a 500 and its worker lives (app-contracts checks it). Here: an app that never answers
// meets its class's timeout model (FaultModel.hang), an app that ends its own process is
// replaced with its pid and stack in the log while siblings serve (FaultModel.crash), a client
// that resets its connection at any point costs nothing but itself, and a worker out of file
// descriptors neither spins nor stays down once descriptors come free.

import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import { eventually, get, request, sleep } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { connectTo } from '../run-case.js';
import { startNarwhal, type NarwhalProcess } from '../start-narwhal.js';
import { cpuSeconds, isRunning, liveChildren, workerExitLines } from '../worker-processes.js';

const TIMEOUT_S = 2;
const DESCRIPTOR_LIMIT = 150;
const IDLE_CONNECTIONS = 300;
/** CPU a worker may burn in 2 s while out of descriptors: a waiting one uses ~0.01 s, a spinning one ~2 s. */
const MAX_IDLE_CPU_SECONDS = 0.3;

/** A request written on a raw connection, watched: what came back, and whether the server closed. */
interface Watched {
  readonly socket: Socket;
  received(): string;
  closed(): boolean;
}

async function watchRequest(port: number, path: string): Promise<Watched> {
  const socket = await connectTo(port);
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return { socket, received: () => received, closed: () => closed };
}

/** The log record that holds `text`: from its first line (the one with the time stamp) to the next record. */
function logRecordWith(output: string, text: string): string | undefined {
  const at = output.indexOf(text);
  if (at < 0) return undefined;
  const lines = output.split('\n');
  let offset = 0;
  let index = 0;
  while (offset + lines[index]!.length < at) offset += lines[index++]!.length + 1;
  let start = index;
  while (start > 0 && !lines[start]!.startsWith('[')) start--;
  let end = index + 1;
  while (end < lines.length && !lines[end]!.startsWith('[')) end++;
  return lines.slice(start, end).join('\n');
}

/** The pid in the last match of `pattern` (whose group 1 is a pid). */
function lastPid(narwhal: NarwhalProcess, pattern: RegExp): number {
  const matches = [...narwhal.output().matchAll(new RegExp(pattern.source, 'g'))];
  return Number(matches.at(-1)![1]);
}

const exitLines = (narwhal: NarwhalProcess): string[] => workerExitLines(narwhal.output());

export function faultsSuite(kit: Kit): void {
  const hang = kit.options.faults?.hang ?? 'open';
  const crash = kit.options.faults?.crash ?? 'process';

  describeSuite(kit, 'faults', 'faults of the app and of the machine', () => {
    if (hang === 'open') {
      it(`leaves a request the app never answers open past --timeout ${TIMEOUT_S}, and the same worker serves others and lives`, async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--timeout', String(TIMEOUT_S), ROUTES_APP.node]);
        const [worker] = narwhal.readyPids();
        const hanging = await watchRequest(narwhal.port, '/hang');
        // Twice the timeout: a heartbeat that depended on the request finishing would have killed the worker by then.
        for (let second = 0; second < 2 * TIMEOUT_S; second++) {
          expect(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 })).toBe(String(worker));
          await sleep(1000);
        }
        expect({ received: hanging.received(), closed: hanging.closed() }).toEqual({ received: '', closed: false });
        expect(isRunning(worker!)).toBe(true);
        expect(exitLines(narwhal)).toEqual([]);
        hanging.socket.destroy();
      }, 30_000);
    }

    if (hang === 'worker-killed') {
      it(`kills a worker whose request the app never answers after --timeout ${TIMEOUT_S} (WORKER TIMEOUT), replaces it, and a sibling serves meanwhile`, async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', '--timeout', String(TIMEOUT_S), ROUTES_APP.node]);
        const hanging = await watchRequest(narwhal.port, '/hang');
        const sibling = await get(`${narwhal.url}/pid`, { timeoutMs: 1000 });
        const [, stuck] = await narwhal.waitForLog(/WORKER TIMEOUT \(pid:(\d+)\)/, 4 * TIMEOUT_S * 1000);
        expect(stuck).not.toBe(sibling);
        await eventually(() => (narwhal.readyPids().length >= 3 && !isRunning(Number(stuck)) ? true : undefined), 10_000);
        await eventually(() => (hanging.closed() ? true : undefined), 5000);
        // Never answered as if nothing happened: a close, or a 5xx.
        expect(hanging.received()).toMatch(/^$|^HTTP\/1\.1 5\d\d /);
        expect(liveChildren(narwhal.pid)).toHaveLength(2);
      }, 30_000);
    }

    if (hang === 'gateway-timeout') {
      it(`answers 504 to a request the app never answers after --request-timeout ${TIMEOUT_S}, and the same worker serves on`, async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--timeout', String(TIMEOUT_S), '--request-timeout', String(TIMEOUT_S), ROUTES_APP.node]);
        const [worker] = narwhal.readyPids();
        const started = Date.now();
        // (Meanwhile the request holds one of the worker's threads: with one thread, others wait for it.)
        expect((await request(`${narwhal.url}/hang`, { timeoutMs: 4 * TIMEOUT_S * 1000 })).status).toBe(504);
        expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 100);
        expect(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 })).toBe(String(worker));
        expect(exitLines(narwhal)).toEqual([]);
      }, 30_000);
    }

    if (crash === 'process') {
      it('replaces a worker whose app exits its process or throws from a timer, logging its pid and the stack, while its sibling serves', async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '2', ROUTES_APP.node]);
        const exited = /Worker \(pid:(\d+)\) exited with code/;
        for (const [round, path] of ['/exit', '/crash-later'].entries()) {
          const waiting = narwhal.waitForMoreLogs(exited, 1);
          const crashing = await watchRequest(narwhal.port, path);
          await waiting;
          const victim = lastPid(narwhal, exited);
          expect(crashing.received(), `${path} is not answered as a success`).not.toMatch(/^HTTP\/1\.1 2/);
          // Its sibling answers at once, and a replacement boots.
          const answered = await eventually(() => get(`${narwhal.url}/pid`, { timeoutMs: 1000 }), 2000);
          expect(Number(answered)).not.toBe(victim);
          await eventually(() => (narwhal.readyPids().length >= 3 + round ? true : undefined), 10_000);
          expect(liveChildren(narwhal.pid)).toHaveLength(2);
          expect(liveChildren(narwhal.pid)).not.toContain(victim);
          if (path === '/crash-later') {
            const record = logRecordWith(narwhal.output(), 'boom from a timer after /crash-later');
            expect(record, 'the uncaught exception is logged').toBeDefined();
            expect(record).toContain(String(victim));
            expect(record, 'with its stack').toMatch(/\n\s+at /);
          }
        }
      }, 30_000);
    }

    if (crash === 'thread') {
      it('answers 500 when the app exits its thread or throws from a timer, logging the stack by the worker pid, and the worker serves on', async () => {
        const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ROUTES_APP.node]);
        const [worker] = narwhal.readyPids();
        for (const path of ['/exit', '/crash-later']) {
          expect((await request(`${narwhal.url}${path}`, { timeoutMs: 5000 })).status, path).toBe(500);
          expect(await get(`${narwhal.url}/pid`, { timeoutMs: 1000 })).toBe(String(worker));
        }
        const record = logRecordWith(narwhal.output(), 'boom from a timer after /crash-later');
        expect(record, 'the exception is logged').toBeDefined();
        expect(record).toContain(String(worker));
        expect(record, 'with its stack').toMatch(/\n\s+at /);
        expect(exitLines(narwhal)).toEqual([]);
      }, 30_000);
    }

    it('outlives clients that reset their connection (RST) before their first byte, mid-head and while awaiting the response', async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ROUTES_APP.node]);
      const [worker] = narwhal.readyPids();
      const sends = ['', 'GET /pid HTTP/1.1\r\nHo', 'GET /pid HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'];
      for (let round = 0; round < 10; round++) {
        for (const bytes of sends) {
          const socket = (await connectTo(narwhal.port)).on('error', () => {});
          if (bytes !== '') socket.write(bytes);
          await sleep(5);
          socket.resetAndDestroy();
        }
      }
      await sleep(200);
      expect(await get(`${narwhal.url}/pid`, { timeoutMs: 2000 })).toBe(String(worker));
      expect(exitLines(narwhal)).toEqual([]);
      expect(narwhal.output()).not.toMatch(/Uncaught|ECONNRESET/);
    }, 30_000);

    it(`does not spin when ${IDLE_CONNECTIONS} idle connections outnumber its descriptors (ulimit -n ${DESCRIPTOR_LIMIT}), and serves again once they close`, async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', ROUTES_APP.node], { descriptorLimit: DESCRIPTOR_LIMIT });
      const [worker] = narwhal.readyPids();
      const idle = (await Promise.allSettled(Array.from({ length: IDLE_CONNECTIONS }, () => connectTo(narwhal.port)))).flatMap((result) => (result.status === 'fulfilled' ? [result.value.on('error', () => {})] : []));
      try {
        await sleep(500);
        const before = cpuSeconds(worker!)!;
        await sleep(2000);
        const burnt = cpuSeconds(worker!)! - before;
        console.info(`faults -k ${kit.options.workerClass}: ${idle.length} idle connections open; the worker used ${burnt.toFixed(2)} s of CPU in 2 s`);
        expect(burnt, 'CPU seconds in 2 s while out of descriptors').toBeLessThan(MAX_IDLE_CPU_SECONDS);
      } finally {
        for (const socket of idle) socket.destroy();
      }
      const closedAt = Date.now();
      expect(await eventually(() => get(`${narwhal.url}/pid`, { timeoutMs: 1000 }), 5000)).toBe(String(worker));
      console.info(`faults -k ${kit.options.workerClass}: answering again ${Date.now() - closedAt} ms after the idle connections closed`);
    }, 30_000);
  });
}

// Design: bodies stream through a worker in both directions: a 64 MB upload echoed back and a
// 128 MB download, each with back-pressure, must not grow any worker's memory by the body's size
// (a worker that buffered the body would; what streams leaves garbage, collected as it goes, of
// a few tens of MB at most, which is why the bodies are this large). The client writes in 64 KB
// chunks and reads as it goes.

import { request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { peakGrowthDuring } from '../process-memory.js';

const MB = 1024 * 1024;
const UPLOAD = 64 * MB;
const DOWNLOAD = 128 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 'u');

interface Transferred {
  readonly status: number;
  readonly receivedBytes: number;
  /** The first bytes of the response body, as text. */
  readonly start: string;
}

/** Sends `uploadBytes` (streamed, with back-pressure) and counts the response body's bytes. */
function transfer(url: string, method: string, uploadBytes: number, timeoutMs: number): Promise<Transferred> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, headers: uploadBytes > 0 ? { 'content-length': String(uploadBytes) } : {} }, (res) => {
      let receivedBytes = 0;
      let start = '';
      res.on('data', (chunk: Buffer) => {
        if (start.length < 32) start += chunk.toString('latin1', 0, 32);
        receivedBytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode!, receivedBytes, start: start.slice(0, 32) }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${url} did not finish within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    let sent = 0;
    const pump = (): void => {
      while (sent < uploadBytes) {
        const piece = uploadBytes - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, uploadBytes - sent);
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

export function largeBodiesSuite(kit: Kit): void {
  describeSuite(kit, 'large-bodies', 'large bodies, streamed both ways', () => {
    for (const contract of ['node', 'fetch'] as const) {
      // `large-bodies/echo-CONTRACT`: a class that cannot stream a response while still reading the request skips it, saying why.
      const echoSkip = kit.skipReason(`large-bodies/echo-${contract}`);
      (echoSkip === undefined ? it : it.skip)(`echoes a 64 MB upload streamed in chunks, no worker growing by its size (${contract})${echoSkip === undefined ? '' : ` (skipped: ${echoSkip})`}`, async () => {
        const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
        const { result, growthBytes } = await peakGrowthDuring(narwhal.readyPids(), () => transfer(`${narwhal.url}/echo`, 'POST', UPLOAD, 15_000));
        expect([result.status, result.receivedBytes]).toEqual([200, UPLOAD]);
        expect(growthBytes / MB, 'MB of RSS growth in a worker').toBeLessThan(UPLOAD / MB);
      }, 40_000);

      it(`counts a 64 MB upload and serves a 128 MB download, no worker growing by the size of either (${contract})`, async () => {
        const narwhal = await kit.sharedServer(ROUTES_APP[contract]);
        const counted = await peakGrowthDuring(narwhal.readyPids(), () => transfer(`${narwhal.url}/count`, 'POST', UPLOAD, 15_000));
        expect([counted.result.status, counted.result.start]).toEqual([200, String(UPLOAD)]);
        expect(counted.growthBytes / MB, 'MB of RSS growth in a worker during the upload').toBeLessThan(UPLOAD / MB);
        const download = await peakGrowthDuring(narwhal.readyPids(), () => transfer(`${narwhal.url}/download?bytes=${DOWNLOAD}`, 'GET', 0, 15_000));
        expect([download.result.status, download.result.receivedBytes]).toEqual([200, DOWNLOAD]);
        expect(download.growthBytes / MB, 'MB of RSS growth in a worker during the download').toBeLessThan(DOWNLOAD / MB);
      }, 60_000);
    }
  });
}

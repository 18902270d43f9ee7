// Design: the access log is Gunicorn's: one line per request, default format
// `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"`, written by every class alike,
// for the app's answers and for the server's own (a bad request) and with no body (HEAD).

import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { eventually, get, rawRequest, request } from '../http.js';
import { describeSuite, ROUTES_APP, type Kit } from '../kit.js';
import { startNarwhal } from '../start-narwhal.js';

const TIME = String.raw`\[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]`;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A default-format line for one request. */
function defaultLine(requestLine: string, status: number, bytes: string, referer = '-', agent = '-'): RegExp {
  return new RegExp(`^127\\.0\\.0\\.1 - - ${TIME} "${escape(requestLine)}" ${status} ${bytes} "${escape(referer)}" "${escape(agent)}"$`);
}

export function accessLogSuite(kit: Kit): void {
  describeSuite(kit, 'access-log', 'the access log', () => {
    it('is off by default', async () => {
      const narwhal = await kit.sharedServer(ROUTES_APP.node);
      await get(narwhal.url);
      expect(narwhal.stdout()).toBe('');
    });

    it("writes one line per request in Gunicorn's default format: a 200, the app's 404, a bad request, a HEAD", async () => {
      const narwhal = await startNarwhal([...kit.serverArgs, '--access-logfile', '-', ROUTES_APP.node]);
      const pid = (await request(`${narwhal.url}/pid?x=1`, { headers: { 'user-agent': 'conformance/1', referer: 'http://ref/' } })).body;
      expect((await request(`${narwhal.url}/not-found`)).status).toBe(404);
      expect((await rawRequest({ port: narwhal.port }, 'GET /bad HTTP/1.1\r\nHost: example.com\r\nContent-Length: x\r\n\r\n', 2000)).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect((await request(`${narwhal.url}/pid`, { method: 'HEAD' })).status).toBe(200);
      const lines = await eventually(() => {
        const written = narwhal.stdout().split('\n').filter(Boolean);
        return written.length >= 4 ? written : undefined;
      }, 5000).catch(() => narwhal.stdout().split('\n').filter(Boolean));
      const lineFor = (requestLine: string): string => lines.find((line) => line.includes(`"${requestLine}"`)) ?? `(no line for ${requestLine} in:\n${lines.join('\n')})`;
      expect(lineFor('GET /pid?x=1 HTTP/1.1')).toMatch(defaultLine('GET /pid?x=1 HTTP/1.1', 200, String(pid.length), 'http://ref/', 'conformance/1'));
      expect(lineFor('GET /not-found HTTP/1.1')).toMatch(defaultLine('GET /not-found HTTP/1.1', 404, String('not found\n'.length)));
      expect(lineFor('GET /bad HTTP/1.1')).toMatch(defaultLine('GET /bad HTTP/1.1', 400, String('400 Bad Request\n'.length)));
      // A HEAD response sends no body: its byte count is 0 (or -), never the length it announces.
      expect(lineFor('HEAD /pid HTTP/1.1')).toMatch(defaultLine('HEAD /pid HTTP/1.1', 200, '(?:0|-)'));
      expect(lines).toHaveLength(4);
    });

    it('takes a custom format with headers, timing and status, and reopens its file on USR1', async () => {
      const dir = fixtureDir({});
      const file = join(dir, 'access.log');
      const format = '%(s)s %(m)s %(U)s %({x-request-id}i)s %({content-type}o)s %(D)s %(b)s';
      const narwhal = await startNarwhal([...kit.serverArgs, '-w', '1', '--access-logfile', file, '--access-logformat', format, ROUTES_APP.node]);
      await request(`${narwhal.url}/echo`, { method: 'POST', body: 'hello', headers: { 'x-request-id': 'abc-1' } });
      await request(`${narwhal.url}/throw`);
      const first = await eventually(() => {
        const text = readFileSync(file, 'utf8');
        return text.split('\n').length > 2 ? text : undefined;
      });
      expect(first).toMatch(/^200 POST \/echo abc-1 application\/octet-stream \d+ 5\n500 GET \/throw - text\/plain; charset=utf-8 \d+ \d+\n$/);
      renameSync(file, `${file}.1`);
      narwhal.signal('SIGUSR1');
      await eventually(async () => {
        await get(narwhal.url);
        try {
          return readFileSync(file, 'utf8').includes('200 GET / ') ? true : undefined;
        } catch {
          return undefined;
        }
      });
    });
  });
}

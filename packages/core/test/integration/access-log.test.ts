import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachWorker, eventually, fixtureDir, get, request, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral, fixture } from './helpers.js';

describeEachWorker('access log', (worker) => {
  it('is off by default', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-node.mjs')]);
    await get(narwhal.url);
    expect(narwhal.stdout()).toBe('');
  });

  it('writes Gunicorn\'s default format to stdout with --access-logfile -', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '--access-logfile', '-', fixture('routes-node.mjs')]);
    await request(`${narwhal.url}/pid?x=1`, { headers: { 'user-agent': 'narwhal-test/1', referer: 'http://ref/' } });
    await narwhal.waitForLog(/"GET \/pid\?x=1 HTTP\/1\.1"/);
    expect(narwhal.stdout()).toMatch(/^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/pid\?x=1 HTTP\/1\.1" 200 \d+ "http:\/\/ref\/" "narwhal-test\/1"\n$/);
  });

  it('takes a custom format with headers, timing and status, and reopens its file on USR1', async () => {
    const dir = fixtureDir({});
    const file = join(dir, 'access.log');
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '--access-logfile', file, '--access-logformat', '%(s)s %(m)s %(U)s %({x-request-id}i)s %({content-type}o)s %(D)s %(b)s', fixture('routes-node.mjs')]);
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

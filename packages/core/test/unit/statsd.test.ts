import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log/create-logger.js';
import { parseStatsdAddress } from '../../src/metrics/statsd-address.js';
import { StatsdLines } from '../../src/metrics/statsd-lines.js';
import { MAX_DATAGRAM, StatsdSender } from '../../src/metrics/statsd-sender.js';

describe("--statsd-host takes Gunicorn's forms", () => {
  it.each([
    ['127.0.0.1:9125', { host: '127.0.0.1', port: 9125 }],
    ['Statsd.local', { host: 'statsd.local', port: 8125 }],
    ['[::1]:9125', { host: '::1', port: 9125 }],
    ['[::1]', { host: '::1', port: 8125 }],
    // Gunicorn's guard against a regression of its version 20: unix:NNN is the host named unix.
    ['unix:8125', { host: 'unix', port: 8125 }],
  ])('%s', (text, expected) => {
    expect(parseStatsdAddress(text)).toEqual(expected);
  });

  it.each([
    ['unix:///run/statsd.sock', /Node cannot send to a unix datagram socket/],
    ['unix:/run/statsd.sock', /Node cannot send to a unix datagram socket/],
    ['::1', /bare IPv6 address/],
    [':8125', /names no host/],
    ['host:0', /not a number from 1 to 65535/],
  ])('refuses %s', (text, problem) => {
    expect(() => parseStatsdAddress(text)).toThrow(problem);
  });
});

/** The datagrams that lines sent through a StatsdSender bring to a real UDP socket, once `lineCount` lines arrived. */
async function throughUdp(send: (lines: StatsdLines) => void, prefix = '', tags = '', lineCount = 1): Promise<string[]> {
  const server = createSocket('udp4');
  const received: string[] = [];
  const all = new Promise<void>((resolve) =>
    server.on('message', (message) => {
      received.push(message.toString());
      if (received.join('\n').split('\n').length >= lineCount) resolve();
    }),
  );
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const sender = new StatsdSender({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, { warning: () => {} } as unknown as Logger);
  const lines = new StatsdLines(sender, prefix, tags);
  send(lines);
  lines.flush();
  await all;
  sender.close();
  server.close();
  return received;
}

describe("statsd lines are Gunicorn's, packed into datagrams", () => {
  it('formats each type as Gunicorn does, with the prefix and the DogStatsD tags', async () => {
    const [datagram] = await throughUdp(
      (lines) => {
        lines.increment('gunicorn.requests', 3);
        lines.gauge('gunicorn.workers', 2);
        lines.timer('gunicorn.request.duration', 1.23456, 1);
        lines.timer('gunicorn.request.duration', 2, 0.25);
        lines.histogram('gunicorn.backlog', 0);
      },
      'app..',
      'env:test,team:web',
    );
    expect(datagram!.split('\n')).toEqual([
      'app.gunicorn.requests:3|c|@1.0|#env:test,team:web',
      'app.gunicorn.workers:2|g|#env:test,team:web',
      'app.gunicorn.request.duration:1.235|ms|#env:test,team:web',
      'app.gunicorn.request.duration:2|ms|@0.25|#env:test,team:web',
      'app.gunicorn.backlog:0|h|#env:test,team:web',
    ]);
  });

  it.each([
    ['', 'gunicorn.workers:1|g'],
    ['app', 'app.gunicorn.workers:1|g'],
    ['app.', 'app.gunicorn.workers:1|g'],
    // Gunicorn's rule leaves a one-character prefix without its dot; kept, so names match.
    ['a', 'agunicorn.workers:1|g'],
  ])('--statsd-prefix %j', async (prefix, line) => {
    expect(await throughUdp((lines) => lines.gauge('gunicorn.workers', 1), prefix)).toEqual([line]);
  });

  it(`splits many lines into datagrams of at most ${MAX_DATAGRAM} bytes, losing none`, async () => {
    const datagrams = await throughUdp((lines) => {
      for (let index = 0; index < 200; index++) lines.increment(`gunicorn.request.status.${200 + index}`, index);
    }, 'a-long-prefix', '', 200);
    expect(datagrams.length).toBeGreaterThan(1);
    expect(Math.max(...datagrams.map((datagram) => Buffer.byteLength(datagram)))).toBeLessThanOrEqual(MAX_DATAGRAM);
    expect(datagrams.flatMap((datagram) => datagram.split('\n'))).toHaveLength(200);
  });
});

describe('a statsd host that cannot be reached', () => {
  it('a name that does not resolve is said once in the log, and sending goes on dropping, never throwing', async () => {
    const warnings: string[] = [];
    const sender = new StatsdSender({ host: 'no-such-host.invalid', port: 8125 }, { warning: (line: string) => warnings.push(line) } as unknown as Logger);
    const lines = new StatsdLines(sender, '', '');
    for (let round = 0; round < 100; round++) {
      lines.increment('gunicorn.requests', 1);
      lines.flush();
      if (warnings.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    lines.increment('gunicorn.requests', 1);
    lines.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    sender.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^statsd: cannot send to no-such-host\.invalid:8125 \((ENOTFOUND|EAI_AGAIN)\)/);
  });
});

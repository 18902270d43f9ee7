import { describeEachWorker, get, rawRequest, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { ephemeral, fixture } from './helpers.js';

const statusLine = (response: string): string => response.split('\r\n')[0]!;

describeEachWorker('malformed and oversized requests get a 4xx and the server stays up', (worker) => {
  it('answers 414 and 431 as the limits say', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, '--limit-request-line', '200', '--limit-request-fields', '5', '--limit-request-field-size', '100', fixture('routes-node.mjs')]);
    const target = { port: narwhal.port };
    expect(statusLine(await rawRequest(target, `GET /${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBe('HTTP/1.1 414 URI Too Long');
    const many = Array.from({ length: 10 }, (_, index) => `X-${index}: y\r\n`).join('');
    expect(statusLine(await rawRequest(target, `GET / HTTP/1.1\r\nHost: x\r\n${many}\r\n`))).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(statusLine(await rawRequest(target, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(200)}\r\n\r\n`))).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(await get(narwhal.url)).toBe('ok');
  });
});

describeEachWorker('unparseable and huge requests get a 4xx and the server stays up', (worker) => {
  it('answers 400 to bytes that are not HTTP and to a request with both Content-Length and chunked encoding', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-node.mjs')]);
    const target = { port: narwhal.port };
    expect(statusLine(await rawRequest(target, 'THIS IS NOT HTTP\r\n\r\n'))).toBe('HTTP/1.1 400 Bad Request');
    expect(statusLine(await rawRequest(target, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n'))).toBe('HTTP/1.1 400 Bad Request');
    expect(await get(narwhal.url)).toBe('ok');
  });

  it('answers a request head far beyond every limit with 431 or 414, not a reset', async () => {
    const narwhal = await startNarwhal([...worker.args, ...ephemeral, fixture('routes-node.mjs')]);
    expect(statusLine(await rawRequest({ port: narwhal.port }, `GET / HTTP/1.1\r\nHost: x\r\nX-Huge: ${'h'.repeat(1_000_000)}\r\n\r\n`))).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(statusLine(await rawRequest({ port: narwhal.port }, `GET /${'u'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBe('HTTP/1.1 414 URI Too Long');
    expect(await get(narwhal.url)).toBe('ok');
  });
}, { uws: 'uWebSockets.js 20.30 closes the connection, before any app code runs, on a request it cannot parse or whose head exceeds about 128 KB, so no status can be sent (packages/worker-uws/README.md)' });

import { describe, expect, it } from 'vitest';
import type { CorpusCase } from '../src/corpus.js';
import { judgeCase } from '../src/judge-case.js';
import { parseResponses, type Exchange } from '../src/raw-response.js';

const badRequest: CorpusCase = { id: 'g/bad', rfc: 'RFC 9112 §5.1', why: 'a reason', request: 'GET / HTTP/1.1\r\nX A: b\r\n\r\n', expect: { status: 400 } };
const error400 = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 16\r\n\r\n400 Bad Request\n';

function exchange(bytes: string, outcome: { closed?: boolean; timedOut?: boolean } = {}): Exchange {
  return { ...parseResponses(Buffer.from(bytes, 'latin1'), { closed: outcome.closed }), closed: outcome.closed ?? false, reset: false, timedOut: outcome.timedOut ?? false, elapsedMs: 1000 };
}

const node = { contract: 'node', keepAlive: true } as const;
const deviation = { outcome: 'close', why: 'the engine parser decides first' } as const;

describe('judgeCase', () => {
  it('passes a 4xx only with Connection: close and the close itself', () => {
    expect(judgeCase(badRequest, exchange(error400, { closed: true }), node)).toBeUndefined();
    expect(judgeCase(badRequest, exchange(error400, { timedOut: true }), node)).toMatch(/left the connection open/);
    expect(judgeCase(badRequest, exchange(error400.replace('close', 'keep-alive'), { closed: true }), node)).toMatch(/Connection: close/);
  });

  it('says what happened instead: a hang, a bare close, the app', () => {
    expect(judgeCase(badRequest, exchange('', { timedOut: true }), node)).toMatch(/no outcome within 1 s/);
    expect(judgeCase(badRequest, exchange('', { closed: true }), node)).toMatch(/closed the connection without a response/);
    const echo = JSON.stringify({ narwhalEcho: 'node', method: 'GET', target: '/', headers: [], body: '' });
    expect(judgeCase(badRequest, exchange(`HTTP/1.1 200 OK\r\nContent-Length: ${echo.length}\r\n\r\n${echo}`), node)).toMatch(/answered 200 from the app \(it saw GET \/\)/);
  });

  it('passes a declared deviation only on a close without a response, and fails a stale one', () => {
    expect(judgeCase(badRequest, exchange('', { closed: true }), { ...node, deviation })).toBeUndefined();
    expect(judgeCase(badRequest, exchange(error400, { closed: true }), { ...node, deviation })).toMatch(/stale deviation/);
    expect(judgeCase(badRequest, exchange('', { timedOut: true }), { ...node, deviation })).toMatch(/expected a close without a response/);
  });

  it('expects a class without keep-alive to answer the first pipelined request, then close', () => {
    const pipeline: CorpusCase = { ...badRequest, expect: { statuses: [200, 200] } };
    const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    expect(judgeCase(pipeline, exchange(ok + ok), node)).toBeUndefined();
    expect(judgeCase(pipeline, exchange(ok, { closed: true }), { ...node, keepAlive: false })).toBeUndefined();
    expect(judgeCase(pipeline, exchange(ok, { timedOut: true }), { ...node, keepAlive: false })).toMatch(/close/);
  });
});

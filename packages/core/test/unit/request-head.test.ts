import { describe, expect, it } from 'vitest';
import { requestLimits } from '../../src/http/limits.js';
import { checkRequestHead, hasForbiddenTrailer, LLHTTP_CHECKS, NO_ENGINE_CHECKS, transferCodingVerdict } from '../../src/http/request-head.js';
import { readRequestLine } from '../../src/http/request-line.js';

const limits = requestLimits({ limitRequestLine: 4094, limitRequestFields: 100, limitRequestFieldSize: 8190 });
const head = (method: string, target: string, rawHeaders: string[], version: [number, number] = [1, 1], engine = NO_ENGINE_CHECKS): string | undefined =>
  checkRequestHead(limits, engine, method, target, version[0], version[1], rawHeaders);
const host = ['Host', 'example.com'];

describe('checkRequestHead: the request line (RFC 9112 §3)', () => {
  it('serves HTTP/1.0 and 1.1, answers 505 to other versions and 400 to HTTP/0.9', () => {
    expect(head('GET', '/', host)).toBeUndefined();
    expect(head('GET', '/', [], [1, 0])).toBeUndefined();
    expect(head('GET', '/', host, [2, 0])).toBe('versionNotSupported');
    expect(head('GET', '/', host, [1, 2])).toBe('versionNotSupported');
    expect(head('GET', '/', [], [0, 9])).toBe('badRequest');
  });

  it('answers 501 to a token method it does not serve and 400 to a method that is not a token', () => {
    expect(head('M-SEARCH', '/', host)).toBeUndefined();
    expect(head('FOO', '/', host)).toBe('notImplemented');
    expect(head('get', '/', host)).toBe('notImplemented');
    expect(head('GE(T', '/', host)).toBe('badRequest');
  });

  it('serves any token method with --permit-unconventional-http-method; a non-token is still 400', () => {
    const lenient = requestLimits({ limitRequestLine: 4094, limitRequestFields: 100, limitRequestFieldSize: 8190, permitUnconventionalHttpMethod: true });
    for (const method of ['get', 'FOO', '-blargh', 'GO', 'A'.repeat(30)]) expect(checkRequestHead(lenient, NO_ENGINE_CHECKS, method, '/', 1, 1, host)).toBeUndefined();
    expect(checkRequestHead(lenient, NO_ENGINE_CHECKS, 'GE(T', '/', 1, 1, host)).toBe('badRequest');
  });

  it('takes each target form only where RFC 9112 §3.2 allows it', () => {
    expect(head('OPTIONS', '*', host)).toBeUndefined();
    expect(head('GET', '*', host)).toBe('badRequest');
    expect(head('GET', 'http://example.com/x?y', host)).toBeUndefined();
    expect(head('GET', 'HTTPS://EXAMPLE.com:443/', host)).toBeUndefined();
    expect(head('GET', 'http://other.example/x', host)).toBe('badRequest');
    expect(head('GET', 'http:///', host)).toBe('badRequest');
    expect(head('GET', 'ftp://example.com/', host)).toBe('badRequest');
    expect(head('GET', 'http://user@example.com/', host)).toBe('badRequest');
    expect(head('GET', 'a/b', host)).toBe('badRequest');
    expect(head('GET', '/a#b', host)).toBe('badRequest');
    expect(head('GET', '/caf\u00e9', host)).toBe('badRequest');
    expect(head('GET', '/a|b"c{d}[e]?q=%zz', host)).toBeUndefined();
  });

  it('refuses CONNECT: 501 for an authority-form target, 400 for any other', () => {
    expect(head('CONNECT', 'example.com:443', ['Host', 'example.com:443'])).toBe('notImplemented');
    expect(head('CONNECT', '/', host)).toBe('badRequest');
  });

  it('answers 414 to a request line past the limit, counting METHOD SP TARGET SP HTTP/x.y', () => {
    const target = `/${'a'.repeat(4094 - 'GET  HTTP/1.1'.length - 1)}`;
    expect(head('GET', target, host)).toBeUndefined();
    expect(head('GET', `${target}a`, host)).toBe('requestLineTooLong');
  });
});

describe('checkRequestHead: fields (RFC 9110 §5, §7.2)', () => {
  it('needs exactly one valid Host on HTTP/1.1 and at most one on 1.0', () => {
    expect(head('GET', '/', [])).toBe('badRequest');
    expect(head('GET', '/', ['Host', 'a', 'host', 'b'])).toBe('badRequest');
    expect(head('GET', '/', ['Host', 'a', 'Host', 'a'], [1, 0])).toBe('badRequest');
    for (const value of ['', 'a', 'a:8000', 'a:', '127.0.0.1:1', '[::1]:8000', 'xn--bcher-kva.example', 'a%20b']) expect(head('GET', '/', ['Host', value])).toBeUndefined();
    for (const value of ['a b', 'a/b', 'u@a', 'a:b', 'a:1:2', '[::1', 'a?b']) expect(head('GET', '/', ['Host', value])).toBe('badRequest');
  });

  it('checks field syntax only where the engine did not', () => {
    for (const [name, value] of [['X Y', 'v'], ['X@Y', 'v'], ['', 'v'], ['X', 'a\u0007b'], ['X', 'a\u007fb'], ['X', 'a\u0000b']]) {
      expect(head('GET', '/', [...host, name!, value!])).toBe('badRequest');
      expect(head('GET', '/', [...host, name!, value!], [1, 1], LLHTTP_CHECKS)).toBeUndefined();
    }
    expect(head('GET', '/', [...host, 'X', 'tab\there caf\u00e9'])).toBeUndefined();
    // An engine that refuses control characters but lets DEL through (uWebSockets.js).
    const exceptDel = { knownMethod: false, fieldNames: true, fieldValues: 'except-del' as const, framing: false };
    expect(head('GET', '/', [...host, 'X', 'a\u007fb'], [1, 1], exceptDel)).toBe('badRequest');
    expect(head('GET', '/', [...host, 'X', 'a\u0007b'], [1, 1], exceptDel)).toBeUndefined();
  });

  it('answers 431 past the field count or a field size', () => {
    const small = requestLimits({ limitRequestLine: 100, limitRequestFields: 2, limitRequestFieldSize: 20 });
    expect(checkRequestHead(small, NO_ENGINE_CHECKS, 'GET', '/', 1, 1, [...host, 'A', '1', 'B', '2'])).toBe('tooManyHeaders');
    // The field line `X: ` and 17 bytes is the limit of 20; one more is past it.
    expect(checkRequestHead(small, NO_ENGINE_CHECKS, 'GET', '/', 1, 1, ['Host', 'a', 'X', 'y'.repeat(17)])).toBeUndefined();
    expect(checkRequestHead(small, NO_ENGINE_CHECKS, 'GET', '/', 1, 1, ['Host', 'a', 'X', 'y'.repeat(18)])).toBe('headerFieldTooLarge');
  });
});

describe('checkRequestHead: framing (RFC 9112 §6)', () => {
  it('takes one Content-Length of digits, never two, never beside Transfer-Encoding', () => {
    expect(head('POST', '/', [...host, 'Content-Length', '5'])).toBeUndefined();
    expect(head('POST', '/', [...host, 'Content-Length', '0000000000000000005'])).toBeUndefined();
    for (const value of ['', '+5', '-1', '5 5', '5, 5', '0x5', ' ', '9007199254740992']) expect(head('POST', '/', [...host, 'Content-Length', value])).toBe('badRequest');
    expect(head('POST', '/', [...host, 'Content-Length', '5', 'Content-Length', '5'])).toBe('badRequest');
    expect(head('POST', '/', [...host, 'Content-Length', '5', 'Transfer-Encoding', 'chunked'])).toBe('badRequest');
    expect(head('POST', '/', [...host, 'Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked'])).toBe('badRequest');
  });

  it('refuses Transfer-Encoding on HTTP/1.0 even when the engine parsed it', () => {
    expect(head('POST', '/', ['Transfer-Encoding', 'chunked'], [1, 0], LLHTTP_CHECKS)).toBe('badRequest');
  });

  it('decodes chunked only: other final codings are 400, other codings before chunked 501', () => {
    expect(transferCodingVerdict('chunked')).toBeUndefined();
    expect(transferCodingVerdict('Chunked')).toBeUndefined();
    expect(transferCodingVerdict(' chunked , ')).toBeUndefined();
    for (const value of ['xchunked', 'chunked, identity', '"chunked"', 'identity', 'chunked, chunked', 'gzip', '', 'chunked;x=1']) expect(transferCodingVerdict(value)).toBe('badRequest');
    expect(transferCodingVerdict('gzip, chunked')).toBe('notImplemented');
    expect(head('POST', '/', [...host, 'Transfer-Encoding', 'gzip, chunked'], [1, 1], LLHTTP_CHECKS)).toBe('notImplemented');
  });

  it('knows which trailer fields must come before the body (RFC 9110 §6.5.1)', () => {
    expect(hasForbiddenTrailer(['X-Checksum', 'abc', 'Server-Timing', 'x'], 4)).toBe(false);
    for (const name of ['Host', 'content-length', 'Transfer-Encoding', 'TE', 'Authorization', 'Content-Type', 'Trailer']) expect(hasForbiddenTrailer(['X', 'y', name, 'v'], 4)).toBe(true);
  });
});

describe('readRequestLine: the grammar of a request line\'s bytes', () => {
  const read = (line: string): string => readRequestLine(Buffer.from(line, 'latin1'), 4094);

  it('reads a well-formed line, after empty lines (RFC 9112 §2.2)', () => {
    expect(read('GET / HTTP/1.1\r\nHost: a\r\n\r\n')).toBe('ok');
    expect(read('\r\n\r\nGET /x?y HTTP/1.0\r\n')).toBe('ok');
    expect(read('FOO / HTTP/1.1\r\n')).toBe('ok');
  });

  it('refuses anything but single spaces between the parts', () => {
    for (const line of ['GET  / HTTP/1.1\r\n', 'GET /  HTTP/1.1\r\n', 'GET\t/ HTTP/1.1\r\n', ' GET / HTTP/1.1\r\n', 'GET / HTTP/1.1 \r\n', 'GET /\r\n', 'GET / HTTP/1.1\n', 'GET / http/1.1\r\n', 'GET / HTTP/1.10\r\n', 'G(T / HTTP/1.1\r\n']) {
      expect(read(line), JSON.stringify(line)).toBe('badRequest');
    }
  });

  it('tells a version it does not speak (505) from HTTP/0.9 (400)', () => {
    expect(read('GET / HTTP/2.0\r\n')).toBe('versionNotSupported');
    expect(read('GET / HTTP/1.2\r\n')).toBe('versionNotSupported');
    expect(read('GET / HTTP/0.9\r\n')).toBe('badRequest');
  });

  it('answers 414 once a line is certain to be longer than the limit', () => {
    expect(readRequestLine(Buffer.from(`GET /${'a'.repeat(100)} HTTP/1.1\r\n`), 50)).toBe('requestLineTooLong');
    expect(readRequestLine(Buffer.from(`GET /${'a'.repeat(32)} HTTP/1.1\r\n`), 'GET / HTTP/1.1'.length + 32)).toBe('ok');
    expect(readRequestLine(Buffer.from(`GET /${'a'.repeat(33)} HTTP/1.1\r\n`), 'GET / HTTP/1.1'.length + 32)).toBe('requestLineTooLong');
  });

  it('says nothing about a line that has not ended yet', () => {
    expect(read('GET /some/pa')).toBe('incomplete');
    expect(read('GET / HTTP/1')).toBe('incomplete');
    expect(read('GE')).toBe('incomplete');
  });
});

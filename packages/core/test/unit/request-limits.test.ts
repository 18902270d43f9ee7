import { describe, expect, it } from 'vitest';
import { classifyHeaderOverflow, requestLimits } from '../../src/http/limits.js';
import { checkRequestHead, LLHTTP_CHECKS } from '../../src/http/request-head.js';

const limits = requestLimits({ limitRequestLine: 100, limitRequestFields: 3, limitRequestFieldSize: 50 });
const check = (url: string, rawHeaders: string[]): string | undefined => checkRequestHead(limits, LLHTTP_CHECKS, 'GET', url, 1, 0, rawHeaders);

describe('request limits', () => {
  it('passes a request within every limit', () => {
    expect(check('/'.repeat(85), ['Host', 'x', 'A', 'b'])).toBeUndefined();
  });

  it('measures the request line as METHOD SP TARGET SP HTTP/x.y', () => {
    // 'GET ' + 87 + ' HTTP/1.1' = 100 bytes; one more is over 100 bytes
    expect(check('/'.repeat(87), [])).toBeUndefined();
    expect(check('/'.repeat(88), [])).toBe('requestLineTooLong');
  });

  it('counts fields and measures each as the line `name: value`', () => {
    expect(check('/', ['a', '1', 'b', '2', 'c', '3', 'd', '4'])).toBe('tooManyHeaders');
    expect(check('/', ['name', 'v'.repeat(44)])).toBeUndefined();
    expect(check('/', ['name', 'v'.repeat(45)])).toBe('headerFieldTooLarge');
  });

  it("reads 0 and values past the ceilings as Gunicorn's parser does", () => {
    // line: 0 is unlimited (1 MiB, as Gunicorn's C parser), above 8190 is 8190; fields: 0 and above 32768 are 32768; field size: 0 is 8190
    expect(requestLimits({ limitRequestLine: 0, limitRequestFields: 0, limitRequestFieldSize: 0 })).toMatchObject({ requestLine: 1024 * 1024, fields: 32768, fieldSize: 8190 });
    expect(requestLimits({ limitRequestLine: 20000, limitRequestFields: 50000, limitRequestFieldSize: 20000 })).toMatchObject({ requestLine: 8190, fields: 32768, fieldSize: 20000 });
  });

  it('tells an over-long request line from over-long headers when the parser overflows', () => {
    expect(classifyHeaderOverflow(limits, Buffer.from(`GET /${'x'.repeat(500)}`))).toBe('requestLineTooLong');
    expect(classifyHeaderOverflow(limits, Buffer.from(`GET / HTTP/1.1\r\nX: ${'y'.repeat(500)}`))).toBe('headerFieldTooLarge');
    expect(classifyHeaderOverflow(limits, Buffer.from('y'.repeat(500)))).toBe('headerFieldTooLarge');
  });
});

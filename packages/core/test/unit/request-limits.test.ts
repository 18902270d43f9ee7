import { describe, expect, it } from 'vitest';
import { checkRequestLimits, classifyHeaderOverflow, requestLimits } from '../../src/http/limits.js';

const limits = requestLimits({ limitRequestLine: 100, limitRequestFields: 3, limitRequestFieldSize: 50 });

describe('request limits', () => {
  it('passes a request within every limit', () => {
    expect(checkRequestLimits(limits, 'GET', '/'.repeat(85), ['Host', 'x', 'A', 'b'])).toBeUndefined();
  });

  it('measures the request line as METHOD SP TARGET SP HTTP/x.y', () => {
    // 'GET ' + 86 + ' HTTP/1.1' = 99 bytes, + 1 more is over 100 bytes
    expect(checkRequestLimits(limits, 'GET', '/'.repeat(87), [])).toBeUndefined();
    expect(checkRequestLimits(limits, 'GET', '/'.repeat(88), [])).toBe('requestLineTooLong');
  });

  it('counts fields and measures each as name: value', () => {
    expect(checkRequestLimits(limits, 'GET', '/', ['a', '1', 'b', '2', 'c', '3', 'd', '4'])).toBe('tooManyHeaders');
    expect(checkRequestLimits(limits, 'GET', '/', ['name', 'v'.repeat(45)])).toBeUndefined();
    expect(checkRequestLimits(limits, 'GET', '/', ['name', 'v'.repeat(46)])).toBe('headerFieldTooLarge');
  });

  it('treats 0 as Gunicorn\'s maximum of 8190', () => {
    expect(requestLimits({ limitRequestLine: 0, limitRequestFields: 100, limitRequestFieldSize: 0 })).toMatchObject({ requestLine: 8190, fieldSize: 8190 });
  });

  it('tells an over-long request line from over-long headers when the parser overflows', () => {
    expect(classifyHeaderOverflow(limits, Buffer.from(`GET /${'x'.repeat(500)}`))).toBe('requestLineTooLong');
    expect(classifyHeaderOverflow(limits, Buffer.from(`GET / HTTP/1.1\r\nX: ${'y'.repeat(500)}`))).toBe('headerFieldTooLarge');
    expect(classifyHeaderOverflow(limits, Buffer.from('y'.repeat(500)))).toBe('headerFieldTooLarge');
  });
});

import { describe, expect, it } from 'vitest';
import { parseResponses } from '../src/raw-response.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('parseResponses', () => {
  it('frames bodies by Content-Length, chunked coding, and the close', () => {
    const stream = bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;x=y\r\nd\r\n0\r\nX-T: 1\r\n\r\nHTTP/1.0 200 OK\r\n\r\nuntil close');
    expect(parseResponses(stream).responses.map((response) => response.body.toString())).toEqual(['ok', 'abcd']);
    expect(parseResponses(stream, { closed: true }).responses.map((response) => response.body.toString())).toEqual(['ok', 'abcd', 'until close']);
  });

  it('keeps interim responses apart, and gives HEAD, 204 and 304 answers no body', () => {
    const stream = bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    const parsed = parseResponses(stream, { answersHead: (index) => index === 0 });
    expect(parsed.responses.map((response) => [response.status, response.interim, response.body.length])).toEqual([
      [100, true, 0],
      [200, false, 0],
      [204, false, 0],
    ]);
    expect(parsed.rest).toHaveLength(0);
  });

  it('leaves an incomplete response in rest, and names bytes that can never be one', () => {
    expect(parseResponses(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc')).rest.toString()).toContain('abc');
    expect(parseResponses(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc')).responses).toHaveLength(0);
    expect(parseResponses(bytes('garbage\r\n\r\n')).malformed).toMatch(/not a status line/);
    expect(parseResponses(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n')).malformed).toMatch(/CRLF/);
  });
});

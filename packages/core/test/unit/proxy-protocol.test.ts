import { describe, expect, it } from 'vitest';
import { readProxyHeader } from '../../src/http/proxy-protocol.js';

const V2 = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

function v2(command: number, family: number, body: number[]): Buffer {
  return Buffer.concat([V2, Buffer.from([command, family, body.length >> 8, body.length & 0xff, ...body])]);
}

describe('the PROXY protocol header', () => {
  it('reads v1 lines, and says when more bytes are needed', () => {
    const line = Buffer.from('PROXY TCP4 192.0.2.7 192.0.2.1 56324 443\r\nGET');
    expect(readProxyHeader(line, 'auto')).toEqual({ length: line.length - 3, client: { address: '192.0.2.7', port: 56324 } });
    expect(readProxyHeader(line.subarray(0, 3), 'v1')).toBe('incomplete');
    expect(readProxyHeader(line.subarray(0, 20), 'v1')).toBe('incomplete');
    expect(readProxyHeader(Buffer.from('PROXY UNKNOWN ffff::1\r\n'), 'v1')).toEqual({ length: 23, client: undefined });
  });

  it.each([
    ['PROXY TCP4 192.0.2.7 192.0.2.1 65536 443\r\n', 'a port out of range'],
    ['PROXY TCP4 192.0.2.7 192.0.2.1 080 443\r\n', 'a leading zero'],
    ['PROXY TCP6 192.0.2.7 192.0.2.1 1 443\r\n', 'IPv4 addresses under TCP6'],
    ['PROXY TCP4 192.0.2.7 192.0.2.1 1\r\n', 'five fields'],
    ['PROXY UDP4 192.0.2.7 192.0.2.1 1 2\r\n', 'an unknown protocol'],
    [`PROXY TCP4 ${'1'.repeat(120)}`, 'no line end within 107 bytes'],
    ['GET / HTTP/1.1\r\n', 'no header at all'],
  ])('refuses %j (%s)', (text) => {
    expect(readProxyHeader(Buffer.from(text), 'auto')).toBe('invalid');
  });

  it('reads v2 PROXY over IPv4 and IPv6 with TLVs, and LOCAL without a client', () => {
    const four = v2(0x21, 0x11, [10, 1, 2, 3, 10, 0, 0, 1, 0x1f, 0x90, 0, 80, 0x05, 0, 1, 0x61]);
    expect(readProxyHeader(four, 'v2')).toEqual({ length: four.length, client: { address: '10.1.2.3', port: 8080 } });
    expect(readProxyHeader(four.subarray(0, 20), 'v2')).toBe('incomplete');
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 9];
    const six = v2(0x21, 0x21, [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 5, ...mapped, 0, 1, 0, 2]);
    expect(readProxyHeader(six, 'auto')).toEqual({ length: six.length, client: { address: '2001:db8::5', port: 1 } });
    const sixMapped = v2(0x21, 0x21, [...mapped, ...mapped, 0, 1, 0, 2]);
    expect(readProxyHeader(sixMapped, 'auto')).toMatchObject({ client: { address: '::ffff:10.0.0.9' } });
    expect(readProxyHeader(v2(0x20, 0x00, [1, 2, 3]), 'v2')).toEqual({ length: 19, client: undefined });
  });

  it('refuses a v2 header with an unknown command, a short address block or the other version', () => {
    expect(readProxyHeader(v2(0x22, 0x11, Array(12).fill(0)), 'v2')).toBe('invalid');
    expect(readProxyHeader(v2(0x21, 0x11, Array(8).fill(0)), 'v2')).toBe('invalid');
    expect(readProxyHeader(v2(0x21, 0x12, Array(12).fill(0)), 'v2')).toBe('invalid');
    expect(readProxyHeader(v2(0x21, 0x11, Array(12).fill(0)), 'v1')).toBe('invalid');
    expect(readProxyHeader(Buffer.from('PROXY TCP4 192.0.2.7 192.0.2.1 1 2\r\n'), 'v2')).toBe('invalid');
  });
});

import { describe, expect, it } from 'vitest';
import { describeBindAddress, parseBindAddress } from '../../src/config/bind-address.js';

describe('bind forms are Gunicorn\'s', () => {
  it.each([
    ['127.0.0.1:8000', { kind: 'tcp', host: '127.0.0.1', port: 8000 }],
    ['LOCALHOST', { kind: 'tcp', host: 'localhost', port: 8000 }],
    [':9000', { kind: 'tcp', host: '0.0.0.0', port: 9000 }],
    ['[::1]:8080', { kind: 'tcp', host: '::1', port: 8080 }],
    ['[::]', { kind: 'tcp', host: '::', port: 8000 }],
    ['tcp://10.0.0.1:80', { kind: 'tcp', host: '10.0.0.1', port: 80 }],
    ['unix:/run/app.sock', { kind: 'unix', path: '/run/app.sock' }],
    ['unix://relative.sock', { kind: 'unix', path: 'relative.sock' }],
    ['fd://3', { kind: 'fd', fd: 3 }],
    ['127.0.0.1:0', { kind: 'tcp', host: '127.0.0.1', port: 0 }],
  ])('%s', (text, expected) => {
    expect(parseBindAddress(text)).toMatchObject(expected);
  });

  it.each([
    ['::1:8000', 'write it as [::1:8000]:PORT'],
    ['[::1', 'never closes it'],
    ['[::1]x', 'is not :PORT'],
    ['host:http', "port 'http'"],
    ['host:65536', "port '65536'"],
    ['unix:', 'no socket path'],
    ['fd://three', 'not fd://N'],
  ])('rejects %s', (text, problem) => {
    expect(() => parseBindAddress(text)).toThrow(problem);
  });

  it('shows addresses as users expect in "Listening at"', () => {
    expect(describeBindAddress(parseBindAddress('[::1]:0'), 4321)).toBe('http://[::1]:4321');
    expect(describeBindAddress(parseBindAddress('unix:/tmp/a.sock'))).toBe('unix:/tmp/a.sock');
  });
});

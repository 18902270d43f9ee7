import { describe, expect, it } from 'vitest';
import { listHasToken } from '../../src/http/field-list.js';

describe('a token in a list field (RFC 9110 §5.6.1)', () => {
  it.each([
    ['close', 'close', true],
    ['Keep-Alive, CLOSE', 'close', true],
    ['upgrade,\twebsocket ', 'websocket', true],
    ['closed', 'close', false],
    ['keep-alive', 'close', false],
    ['', 'close', false],
    ['websocket-x, h2c', 'websocket', false],
  ])('%j has %s: %s', (value, token, expected) => {
    expect(listHasToken(value, token)).toBe(expected);
  });
});

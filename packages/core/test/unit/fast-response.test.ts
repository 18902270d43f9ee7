import { beforeAll, describe, expect, it } from 'vitest';
import { installFastResponse, responseParts } from '../../src/app/fast-response.js';

const Real = globalThis.Response;

describe('the fast Response stand-in behaves as the platform Response', () => {
  beforeAll(() => installFastResponse());

  it('records a simple response for the server, with the default text content-type', () => {
    const response = new Response('hello', { status: 201, headers: { 'x-a': '1' } });
    expect(responseParts(response)).toEqual({ status: 201, body: 'hello', headers: { 'x-a': '1' }, defaultContentType: 'text/plain;charset=UTF-8' });
    expect(response instanceof Response).toBe(true);
    expect(response instanceof Real).toBe(true);
  });

  it('becomes a real Response as soon as the app looks at it, with the platform\'s answers', async () => {
    const response = new Response('hello', { headers: { 'Content-Type': 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(responseParts(response)).toBeUndefined();
    expect(await response.text()).toBe('hello');
    expect(Object.prototype.toString.call(response)).toBe('[object Response]');
  });

  it('hands anything else to the platform at once: streams, Headers objects, status text, null-body statuses', async () => {
    for (const response of [
      new Response(new ReadableStream()),
      new Response('x', { headers: new Headers({ a: 'b' }) }),
      new Response('x', { statusText: 'Fine' }),
      new Response(null, { status: 204 }),
    ]) {
      expect(responseParts(response)).toBeUndefined();
      expect(response instanceof Response).toBe(true);
    }
    expect(() => new Response('x', { status: 99 })).toThrow(RangeError);
    expect(() => new Response('x', { status: 204 })).toThrow(TypeError);
    expect(await Response.json({ a: 1 }).json()).toEqual({ a: 1 });
    expect(new Real('real') instanceof Response).toBe(true);
  });

  it('refuses what would split a response, as the platform does: CR, LF or NUL in a value, a name that is no token', () => {
    expect(() => new Response('x', { headers: { 'x-a': 'a\r\nSet-Cookie: evil=1' } })).toThrow(TypeError);
    expect(() => new Response('x', { headers: { 'x-a': 'a\nb' } })).toThrow(TypeError);
    expect(() => new Response('x', { headers: { 'x a': 'b' } })).toThrow(TypeError);
  });

  it('keeps bytes as bytes and takes a response without a body', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(responseParts(new Response(bytes))).toEqual({ status: 200, body: bytes, headers: undefined, defaultContentType: undefined });
    expect(responseParts(new Response())).toEqual({ status: 200, body: null, headers: undefined, defaultContentType: undefined });
    expect(new Uint8Array(await new Response(bytes).arrayBuffer())).toEqual(bytes);
  });
});

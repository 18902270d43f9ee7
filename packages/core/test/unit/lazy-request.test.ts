import { describe, expect, it } from 'vitest';
import { lazyRequest } from '../../src/app/lazy-request.js';

const base = { method: 'POST', url: 'http://example.test/path?q=1', headers: ['content-type', 'text/plain', 'x-a', '1', 'x-a', '2'] };

describe('the lazy Request answers as the platform Request', () => {
  it('answers method, url and headers from what the server parsed', () => {
    let signals = 0;
    const request = lazyRequest({ ...base, body: null, signal: () => (signals++, new AbortController().signal) });
    expect(request instanceof Request).toBe(true);
    expect(request.method).toBe('POST');
    expect(new URL(request.url).searchParams.get('q')).toBe('1');
    expect(request.headers.get('x-a')).toBe('1, 2');
    expect(signals).toBe(0);
    expect(request.signal.aborted).toBe(false);
    expect(signals).toBe(1);
    expect(Object.prototype.toString.call(request)).toBe('[object Request]');
  });

  it('builds a real Request for the body and everything else, streaming the body it was given', async () => {
    const controller = new AbortController();
    const request = lazyRequest({ ...base, body: () => new Response('the body').body!, signal: () => controller.signal });
    expect(await request.text()).toBe('the body');
    expect(request.bodyUsed).toBe(true);
    expect(request.cache).toBe('default');
    const aborted = lazyRequest({ ...base, body: null, signal: () => controller.signal });
    controller.abort();
    expect(aborted.signal.aborted).toBe(true);
  });
});

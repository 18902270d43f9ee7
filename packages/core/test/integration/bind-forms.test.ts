import { describeEachWorker, get, startNarwhal } from '@narwhal/test-utils';
import { expect, it } from 'vitest';
import { fixture } from './helpers.js';

describeEachWorker('bind forms', (worker) => {
  it('serves IPv4 and IPv6 loopback at once', async () => {
    const narwhal = await startNarwhal([...worker.args, '-b', '127.0.0.1:0', '-b', '[::1]:0', fixture('routes-node.mjs')]);
    const [v4, v6] = narwhal.urls;
    expect(v4).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(v6).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await get(v4!)).toBe('ok');
    expect(await get(v6!)).toBe('ok');
  });
});

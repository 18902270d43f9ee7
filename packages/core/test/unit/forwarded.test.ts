import { describe, expect, it } from 'vitest';
import { allowEntryProblem, proxyTrust, readForwarded, schemeHeaders, type ForwardedView } from '../../src/http/forwarded.js';

const secure = schemeHeaders({ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' });
const read = (allow: string[], raw: string[]): ForwardedView => readForwarded(proxyTrust(allow), secure, raw, { clientAddress: undefined, scheme: undefined, conflict: false });

describe('forwarded headers', () => {
  it('trusts addresses, CIDR blocks, IPv4 on dual-stack sockets, unix peers and *', () => {
    const trust = proxyTrust(['127.0.0.1,::1', '10.0.0.0/8']);
    expect([trust.trusts('127.0.0.1'), trust.trusts('::ffff:127.0.0.1'), trust.trusts('::1'), trust.trusts('10.9.8.7'), trust.trusts(undefined)]).toEqual([true, true, true, true, true]);
    expect([trust.trusts('127.0.0.2'), trust.trusts('11.0.0.1'), trust.trusts('::2')]).toEqual([false, false, false]);
    expect([trust.trusts('::ffff:10.1.2.3'), trust.trusts('::ffff:11.1.2.3'), trust.trusts('not-an-address'), trust.trusts('::ffff:x.y'), trust.trusts('')]).toEqual([true, false, false, false, false]);
    expect(proxyTrust(['*']).trusts('203.0.113.9')).toBe(true);
  });

  it('takes the rightmost address no trusted proxy accounts for, so an appended forgery stays on the left', () => {
    expect(read(['10.0.0.0/8'], ['X-Forwarded-For', '6.6.6.6, 203.0.113.5, 10.0.0.2']).clientAddress).toBe('203.0.113.5');
    expect(read(['10.0.0.0/8'], ['x-forwarded-for', '10.0.0.3', 'X-Forwarded-For', '10.0.0.2']).clientAddress).toBe('10.0.0.3');
    expect(read(['10.0.0.0/8'], ['Forwarded', 'for=6.6.6.6, for="[2001:db8::1]:4711";proto=https']).clientAddress).toBe('2001:db8::1');
    expect(read(['10.0.0.0/8'], ['X-Forwarded-For', 'garbage']).clientAddress).toBeUndefined();
  });

  it("reads the scheme from Gunicorn's secure scheme headers, else Forwarded proto, and flags disagreement", () => {
    expect(read([], ['X-Forwarded-Proto', 'https'])).toMatchObject({ scheme: 'https', conflict: false });
    expect(read([], ['X-Forwarded-Proto', 'http'])).toMatchObject({ scheme: 'http', conflict: false });
    expect(read([], ['Forwarded', 'proto=https'])).toMatchObject({ scheme: 'https' });
    expect(read([], ['X-Forwarded-Proto', 'https', 'X-Forwarded-Ssl', 'off'])).toMatchObject({ conflict: true });
    expect(read([], ['Host', 'x'])).toEqual({ clientAddress: undefined, scheme: undefined, conflict: false });
  });

  it('explains a bad allow-list entry', () => {
    expect(allowEntryProblem('10.0.0.0/8')).toBeUndefined();
    expect(allowEntryProblem('::1/129')).toBe("'::1/129' is not an IP address, a CIDR block (10.0.0.0/8) or *");
    expect(allowEntryProblem('localhost')).toBe("'localhost' is not an IP address, a CIDR block (10.0.0.0/8) or *");
    // A short or zero-padded IPv4 address, an empty or doubled prefix length.
    for (const entry of ['10.1', '010.0.0.1', '1.2.3.4/', '::1/8/8']) expect(allowEntryProblem(entry)).toBe(`'${entry}' is not an IP address, a CIDR block (10.0.0.0/8) or *`);
    expect(allowEntryProblem('::ffff:10.0.0.1')).toBeUndefined();
  });
});

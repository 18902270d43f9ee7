import { describe, expect, it } from 'vitest';
import { compileAccessFormat, escapeLogValue, type AccessRecord } from '../../src/log/access-format.js';

function record(overrides: Partial<AccessRecord> = {}, requestHeaders: Record<string, string> = {}, responseHeaders: Record<string, string> = {}): AccessRecord {
  return {
    remoteAddress: '127.0.0.1',
    method: 'GET',
    url: '/path%20x?q=1',
    httpVersion: '1.1',
    status: 200,
    bodyBytes: 13,
    durationMs: 1234.5678,
    requestHeader: (name) => requestHeaders[name],
    responseHeader: (name) => responseHeaders[name],
    ...overrides,
  };
}

describe('access log atoms are Gunicorn\'s', () => {
  it('renders the default format', () => {
    const line = compileAccessFormat('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"')(record({}, { 'user-agent': 'curl/8', referer: 'http://x/' }));
    expect(line).toMatch(/^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/path%20x\?q=1 HTTP\/1\.1" 200 13 "http:\/\/x\/" "curl\/8"$/);
  });

  it('renders every atom', () => {
    const render = compileAccessFormat('%(m)s|%(U)s|%(q)s|%(H)s|%(B)s|%(T)s|%(M)s|%(D)s|%(L)s|%(p)s|%({x-id}i)s|%({Content-Type}o)s|%({NARWHAL_TEST_ENV}e)s|%(Z)s');
    process.env.NARWHAL_TEST_ENV = 'on';
    expect(render(record({}, { 'x-id': 'abc' }, { 'content-type': 'text/plain' }))).toBe(`GET|/path x|q=1|HTTP/1.1|13|1|1234|1234567|1.234567|<${process.pid}>|abc|text/plain|on|-`);
  });

  it('truncates durations as Gunicorn does, never rounding up', () => {
    const render = compileAccessFormat('%(T)s %(M)s %(D)s %(L)s');
    expect(render(record({ durationMs: 1999.9996 }))).toBe('1 1999 1999999 1.999999');
    expect(render(record({ durationMs: 0.4 }))).toBe('0 0 400 0.000400');
  });

  it("reads {name}e from the request's WSGI variables, case-insensitively, else from the environment", () => {
    const render = compileAccessFormat('%({raw_uri}e)s|%({wsgi.url_scheme}e)s|%({REQUEST_METHOD}e)s|%({path_info}e)s|%({QUERY_STRING}e)s|%({server_protocol}e)s|%({remote_addr}e)s|%({remote_port}e)s|%({server_name}e)s|%({server_port}e)s|%({http_x_request_id}e)s|%({content_type}e)s|%({narwhal_case_env}e)s|%({nope_nothing}e)s');
    process.env.NARWHAL_CASE_ENV = 'found';
    const line = render(record({ remotePort: 5123, scheme: 'https' }, { host: 'example.org', 'x-request-id': 'r1', 'content-type': 'text/plain' }));
    expect(line).toBe('/path%20x?q=1|https|GET|/path x|q=1|HTTP/1.1|127.0.0.1|5123|example.org|443|r1|text/plain|found|-');
    expect(compileAccessFormat('%({wsgi.url_scheme}e)s %({server_port}e)s %({server_name}e)s')(record({}, { host: '[::1]:8080' }))).toBe('http 8080 [::1]');
  });

  it('shows - for missing values and unknown body sizes, and the basic-auth user', () => {
    const auth = `Basic ${Buffer.from('ada:secret').toString('base64')}`;
    const render = compileAccessFormat('%(u)s %(b)s %(B)s %(f)s %(h)s');
    expect(render(record({ bodyBytes: undefined, remoteAddress: undefined }, { authorization: auth }))).toBe('ada - 0 - -');
  });

  it('escapes what would break a line or a quoted field', () => {
    expect(escapeLogValue('plain')).toBe('plain');
    expect(escapeLogValue('a"b\\c\nd\x1b')).toBe('a\\"b\\\\c\\x0ad\\x1b');
    const line = compileAccessFormat('"%(a)s"')(record({}, { 'user-agent': 'evil"\n127.0.0.1 - - fake' }));
    expect(line).toBe('"evil\\"\\x0a127.0.0.1 - - fake"');
  });
});

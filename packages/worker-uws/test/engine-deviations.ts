// Design: what uWebSockets.js 20.51 (@based/uws 6.0.1) does with corpus cases before any of this
// class's JavaScript runs, declared case by case so that the conformance kit checks each claim
// (and fails a declaration the engine no longer needs). apps/docs/http-conformance.md explains
// them in the same groups; each group is one behaviour of the engine's parser.

import type { Deviation } from '@narwhal/conformance';

interface Group {
  readonly deviation: Deviation;
  readonly cases: readonly string[];
}

const GROUPS: readonly Group[] = [
  {
    deviation: { outcome: 'status', status: 505, why: 'uWS reads only `METHOD /path HTTP/1.1`; any other request line gets its 505' },
    cases: [
      'garbage/not-http',
      'garbage/nul-bytes',
      'garbage/tls-client-hello',
      'request-line/absolute-form-empty-host',
      'request-line/absolute-form-ftp-scheme',
      'request-line/absolute-form-host-mismatch',
      'request-line/absolute-form-port-mismatch',
      'request-line/absolute-form-unknown-scheme',
      'request-line/absolute-form-userinfo',
      'request-line/absolute-form-without-host',
      'request-line/asterisk-with-get',
      'request-line/asterisk-with-post',
      'request-line/authority-form-with-get',
      'request-line/bare-cr-after-request-line',
      'request-line/bare-lf-line-endings',
      'request-line/connect-absolute-form',
      'request-line/ctl-in-target',
      'request-line/leading-space',
      'request-line/method-with-ctl',
      'request-line/method-with-obs-text',
      'request-line/missing-target',
      'request-line/missing-version',
      'request-line/missing-version-trailing-space',
      'request-line/nul-in-request-line',
      'request-line/query-only-target',
      'request-line/relative-target',
      'request-line/tab-separators',
      'request-line/trailing-space',
      'request-line/two-spaces-after-method',
      'request-line/two-spaces-before-version',
      'request-line/version-09',
      'request-line/version-https',
      'request-line/version-leading-zero',
      'request-line/version-letter-minor',
      'request-line/version-lower-case',
      'request-line/version-no-minor',
      'request-line/version-space-in-version',
      'request-line/version-three-parts',
      'request-line/version-two-digit-minor',
    ],
  },
  {
    deviation: { outcome: 'status', status: 505, why: 'uWS serves HTTP/1.1 only: an HTTP/1.0 request gets its 505' },
    cases: ['body/http10-content-length', 'chunked/te-on-http10', 'connection/http10-keep-alive', 'expect/ignored-on-http10', 'host/twice-on-http10', 'request-line/absolute-form-http10-no-host', 'request-line/http10-with-host', 'request-line/http10-without-host'],
  },
  {
    deviation: { outcome: 'status', status: 505, why: 'uWS routes origin-form targets only: absolute-form, asterisk-form (OPTIONS *) and CONNECT get its 505' },
    cases: [
      'request-line/absolute-form-empty-path',
      'request-line/absolute-form-host-case',
      'request-line/absolute-form-https',
      'request-line/absolute-form-ipv6',
      'request-line/absolute-form-matching-host',
      'request-line/absolute-form-upper-case-scheme',
      'request-line/absolute-form-with-port',
      'request-line/connect-authority-form',
      'request-line/options-asterisk',
    ],
  },
  {
    deviation: { outcome: 'status', status: 505, why: "uWS's chunked decoder does not read a trailer section: it takes the trailer for the next request line (505), and the response to the request itself is lost" },
    cases: [
      'chunked/trailer-field',
      'trailers/bare-lf',
      'trailers/ctl-in-value',
      'trailers/forbidden-authorization',
      'trailers/forbidden-connection',
      'trailers/forbidden-content-encoding',
      'trailers/forbidden-content-length',
      'trailers/forbidden-content-range',
      'trailers/forbidden-content-type',
      'trailers/forbidden-cookie',
      'trailers/forbidden-expect',
      'trailers/forbidden-host',
      'trailers/forbidden-keep-alive',
      'trailers/forbidden-max-forwards',
      'trailers/forbidden-proxy-authorization',
      'trailers/forbidden-range',
      'trailers/forbidden-te',
      'trailers/forbidden-trailer',
      'trailers/forbidden-transfer-encoding',
      'trailers/forbidden-upgrade',
      'trailers/name-not-token',
      'trailers/obs-fold',
      'trailers/several-allowed',
      'trailers/space-before-colon',
    ],
  },
  {
    deviation: { outcome: 'status', status: 400, why: "uWS's chunked decoder does not know chunk extensions and answers them 400" },
    cases: ['chunked/extension', 'chunked/extension-quoted', 'chunked/extension-without-value'],
  },
  {
    deviation: { outcome: 'served', why: "uWS's chunked decoder skips what it does not expect around chunk sizes and data, and hands the body on" },
    cases: ['chunked/data-bare-lf', 'chunked/data-longer-than-size', 'chunked/last-chunk-bare-lf', 'chunked/size-bare-lf', 'chunked/size-empty', 'chunked/size-leading-space', 'chunked/size-trailing-space'],
  },
  {
    deviation: { outcome: 'late-close', why: 'uWS takes these bytes for an unfinished request and waits for more; its idle timeout closes the connection after about 10 s' },
    cases: ['chunked/extension-bad-name', 'chunked/extension-with-ctl', 'chunked/several-extensions', 'chunked/size-bare-cr', 'chunked/size-not-hex', 'fields/bare-cr-in-value', 'fields/cr-cr-lf', 'garbage/only-crlf-then-junk', 'request-line/leading-empty-line'],
  },
  {
    deviation: { outcome: 'status', status: 200, why: 'uWS answers the first request, then waits for more bytes on the malformed one that follows until its idle timeout' },
    cases: ['body/underscore-transfer-encoding'],
  },
  {
    deviation: { outcome: 'status', status: 400, why: "uWS answers a malformed request pipelined behind a good one before the app's response to the good one is written, and closes: that response is lost" },
    cases: ['connection/pipelined-second-malformed'],
  },
  {
    deviation: { outcome: 'status', status: 505, why: "uWS answers a request line it does not serve (HTTP/2.0) pipelined behind a good one before the app's response to the good one is written, and closes: that response is lost" },
    cases: ['connection/pipelined-second-http20'],
  },
  {
    deviation: { outcome: 'served', why: 'uWS drops a field with an empty name, and a non-ASCII byte at the very end of a field value, and serves the request' },
    cases: ['fields/empty-name', 'fields/obs-text-value'],
  },
  {
    deviation: { outcome: 'status', status: 431, why: 'uWS holds at most 98 header fields; it answers more with its 431 whatever --limit-request-fields says' },
    cases: ['limits/fields-at-limit'],
  },
];

/** Every declared case, with its deviation. */
export const ENGINE_DEVIATIONS: Readonly<Record<string, Deviation>> = Object.fromEntries(GROUPS.flatMap((group) => group.cases.map((id) => [id, group.deviation])));

// The per-request cost of core's front door (issue 15 asks for at most 5% of a hello): nanoseconds
// per call of the request-head check, with the engine checks of the node:http classes and of uws,
// for wrk's one-field head and a browser's, and of the request-line read made once per connection.
// Run from apps/bench after a build: `node front-door-cost.mjs`. Compare with a hello's CPU per
// request (apps/docs/benchmarks.md: tens of µs across a worker's and the kernel's time).
import { checkRequestHead, LLHTTP_CHECKS, readRequestLine, requestLimits } from '@narwhal/core/worker';

const limits = requestLimits({ limitRequestLine: 4094, limitRequestFields: 100, limitRequestFieldSize: 8190 });
// What uWS leaves to JavaScript (packages/worker-uws/src/service.ts).
const UWS_CHECKS = { knownMethod: false, fieldNames: true, fieldValues: 'except-del', framing: false };
const WRK = ['Host', '127.0.0.1:8000'];
const BROWSER = [
  'Host', 'example.com',
  'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Language', 'en-US,en;q=0.9',
  'Accept-Encoding', 'gzip, deflate, br',
  'Connection', 'keep-alive',
  'Cookie', 'a=1; b=2; session=abcdef0123456789',
  'Cache-Control', 'max-age=0',
];
const LINE = Buffer.from('GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n');

function time(label, call) {
  for (let i = 0; i < 200_000; i++) call();
  const calls = 2_000_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - start) / calls).toFixed(0)} ns`);
}

time('request head, node:http classes, wrk', () => checkRequestHead(limits, LLHTTP_CHECKS, 'GET', '/', 1, 1, WRK));
time('request head, node:http classes, browser', () => checkRequestHead(limits, LLHTTP_CHECKS, 'GET', '/index.html?x=1', 1, 1, BROWSER));
time('request head, uws, wrk', () => checkRequestHead(limits, UWS_CHECKS, 'GET', '/', 1, 1, WRK));
time('request head, uws, browser', () => checkRequestHead(limits, UWS_CHECKS, 'GET', '/index.html?x=1', 1, 1, BROWSER));
time('request line, once per connection', () => readRequestLine(LINE, limits.requestLine));

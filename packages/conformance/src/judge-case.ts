// Design: one place turns an exchange into a verdict, in words a class author can act on:
// what was expected, what the server actually did ("answered 200: the app saw GET /x",
// "closed without a response", "no outcome within 1 s"). A verdict is a string or nothing.

import type { AppExpectation, CorpusCase } from './corpus.js';
import { headerValue, type Exchange, type RawResponse } from './raw-response.js';

/** The two app contracts every class serves (DESIGN.md §2.2). */
export type AppContract = 'node' | 'fetch';

/**
 * What a class declares its engine does with a case instead of the corpus's outcome, and why:
 * - `close`: closes the connection without a response, within 1 s;
 * - `status`: answers this status (an error status with the connection then closed), within 1 s;
 * - `served`: hands the request to the app, which answers 200 (the engine accepts what the RFC refuses);
 * - `late-close`: no outcome within 1 s; the engine closes the connection later (its idle timeout).
 */
export type Deviation =
  | { readonly outcome: 'close' | 'served' | 'late-close'; readonly why: string }
  | { readonly outcome: 'status'; readonly status: number; readonly why: string };

/** What the echo apps report (apps/echo-node.mjs, apps/echo-fetch.mjs). */
interface EchoSeen {
  readonly narwhalEcho: AppContract;
  readonly method: string;
  /** Node: `req.url`. */
  readonly target?: string;
  /** Fetch: `request.url`. */
  readonly url?: string;
  readonly headers: readonly [string, string][];
  readonly body: string;
}

export interface JudgeOptions {
  readonly contract: AppContract;
  readonly keepAlive: boolean;
  readonly deviation?: Deviation;
}

const finalsOf = (exchange: Exchange): RawResponse[] => exchange.responses.filter((response) => !response.interim);

function echoOf(response: RawResponse): EchoSeen | undefined {
  try {
    const seen = JSON.parse(response.body.toString('utf8')) as EchoSeen;
    return typeof seen === 'object' && seen !== null && typeof seen.narwhalEcho === 'string' ? seen : undefined;
  } catch {
    return undefined;
  }
}

function describeResponse(response: RawResponse): string {
  const seen = response.status === 200 ? echoOf(response) : undefined;
  if (seen !== undefined) return `answered 200 from the app (it saw ${seen.method} ${seen.target ?? seen.url})`;
  const body = response.body.toString('latin1').slice(0, 60);
  return `answered ${response.status}${body ? ` ${JSON.stringify(body)}` : ''}`;
}

/** What the server did, in one phrase. */
export function describeExchange(exchange: Exchange): string {
  const finals = finalsOf(exchange);
  const after = exchange.closed ? (exchange.reset ? ', then reset the connection' : ', then closed') : exchange.timedOut ? ', and left the connection open' : '';
  if (exchange.malformed !== undefined) return `sent a malformed response (${exchange.malformed})`;
  if (finals.length > 0) return `${finals.map(describeResponse).join('; ')}${after}`;
  const partial = exchange.rest.length > 0 ? ` (${exchange.rest.length} bytes of an incomplete response: ${JSON.stringify(exchange.rest.toString('latin1', 0, 60))})` : '';
  if (exchange.closed) return `${exchange.reset ? 'reset' : 'closed'} the connection without a response${partial}`;
  return `no outcome within ${Math.round(exchange.elapsedMs / 100) / 10} s${partial}`;
}

/** Why `exchange` fails `testCase`, or undefined when it passes. */
export function judgeCase(testCase: CorpusCase, exchange: Exchange, options: JudgeOptions): string | undefined {
  const verdict = judgeExpected(testCase, exchange, options);
  const deviation = options.deviation;
  if (deviation === undefined) return verdict;
  if (verdict === undefined) return `stale deviation: declared "${deviation.outcome}", but the server met the corpus's expectation; remove it from deviations`;
  const deviated = judgeDeviation(deviation, exchange);
  return deviated === undefined ? undefined : `declared deviation: expected ${deviated}, but the server ${describeExchange(exchange)}`;
}

/** What a declared deviation expected, when the exchange does not match it; undefined when it does. */
function judgeDeviation(deviation: Deviation, exchange: Exchange): string | undefined {
  const first = finalsOf(exchange)[0];
  switch (deviation.outcome) {
    case 'close':
      return first === undefined && exchange.closed && exchange.malformed === undefined ? undefined : 'a close without a response within 1 s';
    case 'status':
      return first?.status === deviation.status && (deviation.status < 400 || exchange.closed) ? undefined : `${deviation.status}${deviation.status < 400 ? '' : ' and the close'} within 1 s`;
    case 'served':
      return first !== undefined && echoOf(first) !== undefined ? undefined : "the app's 200";
    case 'late-close':
      return first === undefined && exchange.timedOut ? undefined : 'no outcome within 1 s';
  }
}

function judgeExpected(testCase: CorpusCase, exchange: Exchange, options: JudgeOptions): string | undefined {
  const finals = finalsOf(exchange);
  const actual = describeExchange(exchange);
  const expect = testCase.expect;
  if ('status' in expect) return judgeStatus(expect.status, finals, exchange, actual);
  if ('statuses' in expect) {
    const wanted = options.keepAlive ? expect.statuses : expect.statuses.slice(0, 1);
    const got = finals.map((response) => response.status);
    if (got.length < wanted.length || wanted.some((status, index) => got[index] !== status)) return `expected ${wanted.join(', ')}${options.keepAlive ? '' : ' then a close (no keep-alive)'}, but the server ${actual}`;
    if (!options.keepAlive && !exchange.closed) return `expected a close after the first response (no keep-alive), but the server ${actual}`;
    return undefined;
  }
  return judgeApp(expect.app, finals[0], options.contract, actual);
}

function judgeStatus(status: number, finals: RawResponse[], exchange: Exchange, actual: string): string | undefined {
  const first = finals[0];
  if (first === undefined || first.status !== status) return `expected ${status}, but the server ${actual}`;
  if (status < 400) return undefined;
  if (!/(^|,)\s*close\s*($|,)/i.test(headerValue(first, 'connection') ?? '')) return `expected ${status} with Connection: close, but the response has Connection: ${headerValue(first, 'connection') ?? '(none)'}`;
  if (!exchange.closed) return `expected ${status} and the close, but the server ${actual}`;
  return undefined;
}

function judgeApp(expected: AppExpectation, response: RawResponse | undefined, contract: AppContract, actual: string): string | undefined {
  const seen = response?.status === 200 ? echoOf(response) : undefined;
  if (seen === undefined) return `expected the app's 200, but the server ${actual}`;
  const problems: string[] = [];
  if (expected.method !== undefined && seen.method !== expected.method) problems.push(`method ${JSON.stringify(seen.method)}, not ${JSON.stringify(expected.method)}`);
  if (expected.target !== undefined) {
    const [saw, want] = contract === 'node' ? [seen.target, expected.target] : [fetchView(expected.target, seen.url ?? ''), fetchView(expected.target, expected.target)];
    if (saw !== want) problems.push(`target ${JSON.stringify(contract === 'node' ? seen.target : seen.url)}, not ${JSON.stringify(expected.target)}`);
  }
  if (expected.header !== undefined) {
    const [name, value] = expected.header;
    const values = seen.headers.filter(([field]) => field.toLowerCase() === name.toLowerCase()).map(([, fieldValue]) => fieldValue);
    if (!values.includes(value)) problems.push(`header ${name} ${values.length === 0 ? 'missing' : JSON.stringify(values)}, not ${JSON.stringify(value)}`);
  }
  if (expected.body !== undefined && seen.body !== expected.body) problems.push(`body ${JSON.stringify(seen.body.slice(0, 80))} (${seen.body.length} bytes), not ${JSON.stringify(expected.body.slice(0, 80))} (${expected.body.length} bytes)`);
  return problems.length === 0 ? undefined : `the app (${contract}) saw ${problems.join('; ')}`;
}

/**
 * What of a Fetch `request.url` a target determines, read from `url`: path and query (as the
 * WHATWG URL parser normalizes them) for origin-form, the whole URL for absolute-form, nothing
 * for asterisk-form, which has no URL of its own.
 */
function fetchView(target: string, url: string): string | undefined {
  if (target === '*') return undefined;
  try {
    if (!target.startsWith('/')) return new URL(url).href;
    // Concatenated rather than resolved: `//a` is a path here, not a protocol-relative URL.
    const parsed = new URL(url.startsWith('/') ? `http://conformance.invalid${url}` : url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

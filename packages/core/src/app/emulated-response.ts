// Design: the `res` half of running a Node request listener without node:http. It is a real
// `http.ServerResponse` (header methods, validation and `headersSent` are Node's own, and
// Express can swap its prototype), whose output methods — writeHead, write, end, flushHeaders,
// destroy — are replaced by own properties that turn what the app writes into a Fetch
// Response instead of bytes on a socket:
// - writeHead fixes the head (headersSent, as in Node; a first write or the end calls it, as
//   node:http does, for the middleware that wraps it) and the Response is produced when the
//   head is committed (first write or end), so a streamed body reaches the client as it is
//   written; a writeHead given a plain object on a response with no headers set yet keeps that
//   object's fields, checked as setHeader would, as the head itself (node:http's own fast path),
//   without a setHeader per field or a copy of them;
// - a body written in one `end(chunk)` (res.send, res.json) becomes a plain byte body with no
//   stream at all;
// - `write` returns false and 'drain' follows once the reader has caught up, so `pipe` and
//   well-behaved apps get back-pressure.

import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { ServerResponse, validateHeaderName, validateHeaderValue } from 'node:http';
import { recordedResponse } from './fast-response.js';

const HIGH_WATER_MARK = 64 * 1024;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const NO_BYTES = new Uint8Array(0);

type Callback = (error?: Error | null) => void;
type Chunk = string | Uint8Array;

/** Receives the Response once the app commits its head, or the error when it never will. */
export interface ResponseSink {
  respond(response: Response): void;
  fail(error: Error): void;
}

/** What an emulated response knows besides what Node's ServerResponse keeps. */
interface Emulation {
  readonly sink: ResponseSink;
  readonly headOnly: boolean;
  controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  waitingForDrain: boolean;
  committed: boolean;
  /** The fields a writeHead gave on a response with no headers set before: lower-case names, string values. */
  head: Record<string, string> | undefined;
}

const EMULATION = Symbol('narwhal.emulation');
type EmulatedServerResponse = ServerResponse & { [EMULATION]: Emulation };

/** A ServerResponse whose output becomes a Fetch Response delivered to `sink`. */
export function emulateServerResponse(req: IncomingMessage, sink: ResponseSink): ServerResponse {
  const res = new ServerResponse(req);
  (res as EmulatedServerResponse)[EMULATION] = { sink, headOnly: req.method === 'HEAD', controller: undefined, waitingForDrain: false, committed: false, head: undefined };
  // Own properties (they survive a framework's prototype swap), and the same functions for every
  // response: the state they work on is the response's own.
  res.writeHead = writeHead as ServerResponse['writeHead'];
  res.flushHeaders = flushHeaders;
  res.write = write as ServerResponse['write'];
  res.end = end as ServerResponse['end'];
  res.destroy = destroy as ServerResponse['destroy'];
  return res;
}

/**
 * The head an app never fixed itself, fixed as node:http does when the first write, the end or
 * flushHeaders commits it: through `_implicitHeader`, which calls `res.writeHead`, the function
 * that middleware acting just before the head goes out wraps (on-headers: response-time, morgan,
 * express-session).
 */
function implicitHead(res: EmulatedServerResponse): void {
  if (!res.headersSent) (res as unknown as { _implicitHeader(): void })._implicitHeader();
}

/** Truthy `_header` is how Node's own getters (headersSent) and setters (setHeader throws ERR_HTTP_HEADERS_SENT) know the head is fixed. */
function fixHead(res: ServerResponse): void {
  (res as unknown as { _header: string })._header = 'emulated';
}

/**
 * Produces the Response; `wholeLength` is the length of a body given whole, announced when the
 * app did not (a HEAD response announces the length the body would have, as node:http does).
 */
function commit(res: EmulatedServerResponse, body: Uint8Array | ReadableStream<Uint8Array> | null, wholeLength: number | undefined): void {
  implicitHead(res);
  const state = res[EMULATION];
  state.committed = true;
  fixHead(res);
  const status = res.statusCode;
  const sent = NULL_BODY_STATUSES.has(status) || state.headOnly ? null : body;
  const outgoing: OutgoingHttpHeaders = state.head ?? res.getHeaders();
  state.head = undefined;
  if (wholeLength !== undefined && outgoing['content-length'] === undefined) outgoing['content-length'] = String(wholeLength);
  // The common case (a whole body, one value per field, no reason phrase) is recorded as it is:
  // Node's setHeader (or headOf, as it does) has already checked every name and value.
  const recorded = !(sent instanceof ReadableStream) && !res.statusMessage && singleValued(outgoing) ? recordedResponse(status, sent, outgoing as Record<string, string>) : undefined;
  state.sink.respond(recorded ?? new Response(sent, { status, statusText: res.statusMessage || undefined, headers: toHeaders(outgoing) }));
}

/** True when every field has one value; numbers (Content-Length) become strings in place. */
function singleValued(outgoing: OutgoingHttpHeaders): boolean {
  for (const name in outgoing) {
    const value = outgoing[name];
    if (typeof value === 'string') continue;
    if (typeof value !== 'number') return false;
    outgoing[name] = String(value);
  }
  return true;
}

function openStream(res: EmulatedServerResponse): void {
  const state = res[EMULATION];
  commit(
    res,
    new ReadableStream<Uint8Array>(
      {
        start(streamController) {
          state.controller = streamController;
        },
        pull() {
          if (!state.waitingForDrain) return;
          state.waitingForDrain = false;
          res.emit('drain');
        },
        cancel() {
          state.controller = undefined;
          clientGone(res);
        },
      },
      { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    ),
    undefined,
  );
}

/** The client went away: the app sees what it would see on a closed socket. */
export function clientGone(res: ServerResponse): void {
  if (res.writableFinished) return;
  res.destroyed = true;
  res.emit('close');
}

/**
 * The responses ended since the last tick, whose 'finish' and 'close' are due: one tick for all
 * of them rather than one per response (a tick costs more than a hello's events).
 */
const finishing: ServerResponse[] = [];
let nextToFinish = 0;

function finishNextTick(res: ServerResponse): void {
  if (finishing.push(res) === 1) process.nextTick(emitFinishes);
}

function emitFinishes(): void {
  try {
    // A listener may end another response meanwhile: its events come in this same turn.
    while (nextToFinish < finishing.length) {
      const res = finishing[nextToFinish++]!;
      res.emit('prefinish');
      res.emit('finish');
      res.emit('close');
    }
  } finally {
    // A listener that threw leaves the rest to the next tick, as separate ticks would.
    if (nextToFinish < finishing.length) process.nextTick(emitFinishes);
    else {
      finishing.length = 0;
      nextToFinish = 0;
    }
  }
}

function writeHead(this: EmulatedServerResponse, status: number, reasonOrHeaders?: string | OutgoingHttpHeaders | readonly unknown[], maybeHeaders?: OutgoingHttpHeaders | readonly unknown[]): ServerResponse {
  if (this.headersSent) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
  this.statusCode = status;
  const headers = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
  if (typeof reasonOrHeaders === 'string') this.statusMessage = reasonOrHeaders;
  if (headers !== undefined) {
    const head = Array.isArray(headers) || this.getHeaderNames().length > 0 ? undefined : headOf(headers as OutgoingHttpHeaders);
    if (head === undefined) applyHeaders(this, headers);
    else this[EMULATION].head = head;
  }
  fixHead(this);
  return this;
}

/** Field names already found to be tokens (apps send the same few): a lookup instead of a pattern match. */
const CHECKED_NAMES = new Set<string>();
const MAX_CHECKED_NAMES = 256;

function checkName(name: string): void {
  validateHeaderName(name);
  if (CHECKED_NAMES.size < MAX_CHECKED_NAMES) CHECKED_NAMES.add(name);
}

/**
 * The fields of a writeHead object as they go out, checked as setHeader checks them; undefined
 * when a field has several values (setHeader's way keeps them apart).
 */
function headOf(headers: OutgoingHttpHeaders): Record<string, string> | undefined {
  const head: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'object') return undefined;
    if (!CHECKED_NAMES.has(name)) checkName(name);
    // A number's text needs no check.
    if (typeof value === 'string') validateHeaderValue(name, value);
    head[name.toLowerCase()] = typeof value === 'string' ? value : String(value);
  }
  return head;
}

function flushHeaders(this: EmulatedServerResponse): void {
  if (!this[EMULATION].committed) openStream(this);
}

function write(this: EmulatedServerResponse, chunk: Chunk, encodingOrCallback?: BufferEncoding | Callback, maybeCallback?: Callback): boolean {
  if (this.finished) throw Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
  const state = this[EMULATION];
  if (!state.committed) openStream(this);
  const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
  const bytes = toBytes(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined);
  const controller = state.controller;
  if (controller === undefined || state.headOnly) {
    if (callback) process.nextTick(callback);
    return true;
  }
  if (bytes.byteLength > 0) controller.enqueue(bytes);
  if (callback) process.nextTick(callback);
  if ((controller.desiredSize ?? 0) > 0) return true;
  state.waitingForDrain = true;
  return false;
}

function end(this: EmulatedServerResponse, chunkOrCallback?: Chunk | Callback, encodingOrCallback?: BufferEncoding | Callback, maybeCallback?: Callback): ServerResponse {
  if (this.finished) return this;
  const state = this[EMULATION];
  const callback = typeof chunkOrCallback === 'function' ? chunkOrCallback : typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
  const chunk = typeof chunkOrCallback === 'function' ? undefined : chunkOrCallback;
  const bytes = chunk === undefined || chunk === null ? NO_BYTES : toBytes(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined);
  if (!state.committed) {
    commit(this, bytes.byteLength === 0 ? null : bytes, bytes.byteLength);
  } else if (state.controller !== undefined) {
    if (bytes.byteLength > 0 && !state.headOnly) state.controller.enqueue(bytes);
    state.controller.close();
    state.controller = undefined;
  }
  if (callback) this.once('finish', callback);
  this.finished = true;
  finishNextTick(this);
  return this;
}

function destroy(this: EmulatedServerResponse, error?: Error): ServerResponse {
  if (this.destroyed) return this;
  this.destroyed = true;
  const state = this[EMULATION];
  if (!state.committed) state.sink.fail(error ?? new Error('the app destroyed the response before sending it'));
  else state.controller?.error(error ?? new Error('the app destroyed the response'));
  state.controller = undefined;
  process.nextTick(() => this.emit('close'));
  return this;
}

function toBytes(chunk: Chunk, encoding: BufferEncoding | undefined): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
}

function applyHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | readonly unknown[]): void {
  if (!Array.isArray(headers)) {
    for (const name of Object.keys(headers)) {
      const value = (headers as OutgoingHttpHeaders)[name];
      if (value !== undefined) res.setHeader(name, value);
    }
    return;
  }
  // [[name, value], …] or the flat [name, value, name, value, …] node:http also takes.
  const pairs = Array.isArray(headers[0]) ? (headers as [string, string][]) : flatPairs(headers as string[]);
  for (const [name, value] of pairs) {
    const existing = res.getHeader(name);
    res.setHeader(name, existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value]);
  }
}

function flatPairs(flat: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index < flat.length; index += 2) pairs.push([flat[index]!, flat[index + 1]!]);
  return pairs;
}

/** A plain object when every header has one value (what a fast Response records as is), else Headers. */
function toHeaders(outgoing: OutgoingHttpHeaders): Record<string, string> | Headers {
  const plain: Record<string, string> = {};
  for (const name of Object.keys(outgoing)) {
    const value = outgoing[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) return toHeadersList(outgoing);
    plain[name] = String(value);
  }
  return plain;
}

function toHeadersList(outgoing: OutgoingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name of Object.keys(outgoing)) {
    const value = outgoing[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, String(value));
  }
  return headers;
}

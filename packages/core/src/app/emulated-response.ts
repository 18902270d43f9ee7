// Design: the `res` half of running a Node request listener without node:http. It is a real
// `http.ServerResponse` (header methods, validation and `headersSent` are Node's own, and
// Express can swap its prototype), whose output methods — writeHead, write, end, flushHeaders,
// destroy — are replaced by own properties that turn what the app writes into a Fetch
// Response instead of bytes on a socket:
// - the Response is produced when the head is committed (first write, writeHead is lazy as in
//   Node), so a streamed body reaches the client as it is written;
// - a body written in one `end(chunk)` (res.send, res.json) becomes a plain byte body with no
//   stream at all;
// - `write` returns false and 'drain' follows once the reader has caught up, so `pipe` and
//   well-behaved apps get back-pressure.

import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { ServerResponse } from 'node:http';

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

/** The emulated response, and how the serving side tells it the client went away. */
export interface EmulatedResponse {
  readonly res: ServerResponse;
  clientGone(): void;
}

/** A ServerResponse whose output becomes a Fetch Response delivered to `sink`. */
export function emulateServerResponse(req: IncomingMessage, sink: ResponseSink): EmulatedResponse {
  const res = new ServerResponse(req);
  const headOnly = req.method === 'HEAD';
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let waitingForDrain = false;
  let committed = false;

  const commit = (body: Uint8Array | ReadableStream<Uint8Array> | null): void => {
    committed = true;
    // Truthy `_header` is how Node's own getters (headersSent) and setters (setHeader throws
    // ERR_HTTP_HEADERS_SENT) know the head is gone.
    (res as unknown as { _header: string })._header = 'emulated';
    const status = res.statusCode;
    sink.respond(
      new Response(NULL_BODY_STATUSES.has(status) || headOnly ? null : body, {
        status,
        statusText: res.statusMessage || undefined,
        headers: toHeaders(res.getHeaders()),
      }),
    );
  };

  const openStream = (): void => {
    commit(
      new ReadableStream<Uint8Array>(
        {
          start(streamController) {
            controller = streamController;
          },
          pull() {
            if (!waitingForDrain) return;
            waitingForDrain = false;
            res.emit('drain');
          },
          cancel() {
            // The client went away: the app sees what it would see on a closed socket.
            controller = undefined;
            abort();
          },
        },
        { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
      ),
    );
  };

  const abort = (): void => {
    if (res.writableFinished) return;
    res.destroyed = true;
    res.emit('close');
  };

  const finish = (): void => {
    res.finished = true;
    process.nextTick(() => {
      res.emit('prefinish');
      res.emit('finish');
      res.emit('close');
    });
  };

  Object.assign(res, {
    writeHead(status: number, reasonOrHeaders?: string | OutgoingHttpHeaders | readonly unknown[], maybeHeaders?: OutgoingHttpHeaders | readonly unknown[]) {
      if (committed) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
      res.statusCode = status;
      const headers = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
      if (typeof reasonOrHeaders === 'string') res.statusMessage = reasonOrHeaders;
      if (headers !== undefined) applyHeaders(res, headers);
      return res;
    },
    flushHeaders() {
      if (!committed) openStream();
    },
    write(chunk: Chunk, encodingOrCallback?: BufferEncoding | Callback, maybeCallback?: Callback): boolean {
      if (res.finished) throw Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      if (!committed) openStream();
      const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
      const bytes = toBytes(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined);
      if (controller === undefined || headOnly) {
        if (callback) process.nextTick(callback);
        return true;
      }
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      if (callback) process.nextTick(callback);
      if ((controller.desiredSize ?? 0) > 0) return true;
      waitingForDrain = true;
      return false;
    },
    end(chunkOrCallback?: Chunk | Callback, encodingOrCallback?: BufferEncoding | Callback, maybeCallback?: Callback) {
      if (res.finished) return res;
      const callback = [chunkOrCallback, encodingOrCallback, maybeCallback].find((value) => typeof value === 'function') as Callback | undefined;
      const chunk = typeof chunkOrCallback === 'function' ? undefined : chunkOrCallback;
      const bytes = chunk === undefined || chunk === null ? NO_BYTES : toBytes(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined);
      if (!committed) {
        // A HEAD response announces the length the body would have, as node:http does.
        if (!res.hasHeader('content-length')) res.setHeader('content-length', bytes.byteLength);
        commit(bytes.byteLength === 0 ? null : bytes);
      } else if (controller !== undefined) {
        if (bytes.byteLength > 0 && !headOnly) controller.enqueue(bytes);
        controller.close();
        controller = undefined;
      }
      if (callback) res.once('finish', callback);
      finish();
      return res;
    },
    destroy(error?: Error) {
      if (res.destroyed) return res;
      res.destroyed = true;
      if (!committed) sink.fail(error ?? new Error('the app destroyed the response before sending it'));
      else controller?.error(error ?? new Error('the app destroyed the response'));
      controller = undefined;
      process.nextTick(() => res.emit('close'));
      return res;
    },
  });
  return { res, clientGone: abort };
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

// Design: run a Fetch handler on node:http. The Request is built from the IncomingMessage
// (body streamed, never buffered; `request.signal` aborts when the client goes away), and the
// Response is written back with back-pressure. A body that arrives in a single chunk (the
// common `new Response('text')`) is written with Content-Length in one call; other bodies
// stream with chunked encoding as they are produced (response-body.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FetchHandler } from './app.js';
import { schemeOf } from '../http/node-forwarded.js';
import { requestUrl } from './request-url.js';
import { restOfBody, startBody } from './response-body.js';

const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

/** A Node request listener that serves `fetch`; it rejects when the handler fails, so the caller can answer 500. */
export function fetchToNodeListener(fetch: FetchHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    const response = await fetch(toRequest(req, controller.signal));
    if (!(response instanceof Response)) throw new TypeError(`the fetch handler returned ${describe(response)}, not a Response`);
    await writeResponse(response, req, res);
  };
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const method = req.method ?? 'GET';
  const url = requestUrl(req.headers.host, req.url ?? '/', schemeOf(req.socket));
  if (NO_BODY_METHODS.has(method)) return new Request(url, { method, headers, signal });
  return new Request(url, { method, headers, signal, body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } as RequestInit);
}

function responseHeaders(response: Response): string[] {
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') flat.push(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) flat.push('set-cookie', cookie);
  return flat;
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = responseHeaders(response);
  const body = response.body;
  if (body === null || req.method === 'HEAD') {
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end();
    void body?.cancel();
    return;
  }
  const start = await startBody(body);
  if ('whole' in start) {
    const chunk = start.whole;
    if (!response.headers.has('content-length') && !response.headers.has('transfer-encoding')) headers.push('content-length', String(chunk?.byteLength ?? 0));
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end(chunk);
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  try {
    await writeChunk(res, start.first);
    for await (const chunk of restOfBody(start)) await writeChunk(res, chunk);
    res.end();
  } catch (error) {
    void start.reader.cancel(error);
    throw error;
  }
}

function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<void> | undefined {
  if (res.destroyed) throw new Error('the client closed the connection');
  if (res.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      reject(new Error('the client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? `an object (${(value as object).constructor?.name ?? 'Object'})` : typeof value;
}

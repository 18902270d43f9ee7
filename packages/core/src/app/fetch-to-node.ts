// Design: run a Fetch handler on node:http. The handler gets core's lazy Request
// (node-request.ts: nothing built until asked; the body streamed, never buffered;
// `request.signal` aborts when the client goes away). A response recorded by fast-response.ts
// (a string or bytes with plain headers) is written with one writeHead and one end, without a
// promise when the handler answered synchronously; any other Response is written back with
// back-pressure: a body that arrives in a single chunk with Content-Length in one call, other
// bodies streamed with chunked encoding as they are produced (response-body.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './app.js';
import { responseParts, type ResponseParts } from './fast-response.js';
import { lazyRequest } from './lazy-request.js';
import { nodeRequestInit } from './node-request.js';
import { partsBodyLength, partsHeaderList } from './parts-head.js';
import { restOfBody, startBody } from './response-body.js';

/**
 * A Node request listener that serves `fetch`; it throws, or returns a promise that rejects,
 * when the handler fails, so the caller can answer 500.
 */
export function fetchToNodeListener(fetch: FetchHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined {
  return (req, res) => {
    const result = fetch(lazyRequest(nodeRequestInit(req, res)));
    if (result instanceof Response) return respond(result, req, res);
    return Promise.resolve(result).then((response) => respond(response, req, res));
  };
}

/** Writes a Fetch handler's Response on a node:http response (also used for a refused upgrade). */
export function respond(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  if (!(response instanceof Response)) throw new TypeError(`the fetch handler returned ${describe(response)}, not a Response`);
  const parts = responseParts(response);
  if (parts === undefined) return writeResponse(response, req, res);
  writeParts(parts, req, res);
  return undefined;
}

/** A recorded response: its head and whole body in one go (node:http joins a string body to the head in one write). */
function writeParts(parts: ResponseParts, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(parts.status, partsHeaderList(parts, partsBodyLength(parts)));
  res.end(req.method === 'HEAD' ? undefined : (parts.body ?? undefined));
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

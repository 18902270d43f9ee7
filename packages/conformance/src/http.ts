// Design: plain node:http, node:https and net clients, so tests speak real HTTP over real
// sockets. Each request opens its own connection unless an agent is passed.

import { readFileSync } from 'node:fs';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

export interface Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** A unix socket to talk to instead of the URL's host and port (the URL's path is still used). */
  readonly socketPath?: string;
  readonly agent?: Agent;
  readonly timeoutMs?: number;
  /** For an `https:` URL: the CA file that issued the server's certificate, and a client certificate to present. */
  readonly tls?: { readonly ca: string; readonly cert?: string; readonly key?: string };
}

/** One HTTP request; rejects on a socket error or after `timeoutMs` (default 10 s). */
export function request(url: string, options: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const tls = options.tls;
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const req = send(
      {
        ...(secure && tls !== undefined ? { ca: readFileSync(tls.ca), cert: tls.cert && readFileSync(tls.cert), key: tls.key && readFileSync(tls.key) } : {}),
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        socketPath: options.socketPath,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GET and return the body, failing on a non-2xx status. */
export async function get(url: string, options: RequestOptions = {}): Promise<string> {
  const response = await request(url, options);
  if (response.status < 200 || response.status >= 300) throw new Error(`GET ${url} answered ${response.status}: ${response.body}`);
  return response.body;
}

/** Writes raw bytes and resolves with everything the server sends until it closes (or `timeoutMs`). */
export function rawRequest(target: { port: number; host?: string } | { path: string }, bytes: string | Buffer, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in target ? connect(target.path) : connect(target.port, target.host ?? '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(error);
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(intervalMs);
  }
}

// Design: the websocket suite's client: `ws`, the most used Node WebSocket client, with every
// message and the close queued so that a test reads them in order with a deadline.

import WebSocket from 'ws';

export interface Received {
  readonly data: string | Buffer;
  readonly binary: boolean;
}

export interface ClientSocket {
  readonly ws: WebSocket;
  /** The next message, or a failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Received>;
  /** The next text message, as a string. */
  nextText(timeoutMs?: number): Promise<string>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Opens a WebSocket to `url`; rejects with the status when the server answers without upgrading. */
export function openWebSocket(url: string, protocols: string[] = [], options: WebSocket.ClientOptions = {}): Promise<ClientSocket> {
  const ws = new WebSocket(url, protocols, { handshakeTimeout: 5000, ...options });
  const queue: Received[] = [];
  const waiting: ((message: Received) => void)[] = [];
  ws.on('message', (data: Buffer, binary: boolean) => {
    const message = { data: binary ? data : data.toString(), binary };
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  const next = (timeoutMs = 5000): Promise<Received> => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  };
  const socket: ClientSocket = { ws, next, nextText: async (timeoutMs) => String((await next(timeoutMs)).data), closed };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`the server answered ${response.statusCode} instead of upgrading`), { status: response.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Resolves with what a promise settles to within `timeoutMs`, else rejects. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

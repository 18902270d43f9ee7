// Design: the code every pool thread runs. It loads the app once, when the thread starts (and
// says so: THREAD_READY), and turns each RequestTask into a Fetch Request for it:
// a Fetch handler runs as is, a Node request listener through core's req/res emulation. The
// task resolves with the head and, for the common complete body, the body itself; a body that
// streams goes on through a MessagePort while the task is already over. A thread holds up to two
// tasks (task-slots.ts) but runs them one after the other, as a Gunicorn thread does: at most
// `threads` requests run at once per process. The answers of one turn go back as one message
// (thread-pool.ts). When the main thread says a request's client is
// gone, its signal aborts and its turn ends at once: the thread takes the next request, and an
// app still awaiting something for the cancelled one finishes in the background, unheard.

import { BroadcastChannel, MessageChannel, parentPort, threadId, workerData, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { installFastResponse, lazyRequest, requestTimeoutReason, loadApp, nodeToFetchHandler, partsHeaderList, requestUrl, responseParts, restOfBody, startBody, warmFetchPlatform, type EmulatedFetchHandler, type GoneWatcher, type Peer, type ResponseParts } from '@narwhal/core/worker';
import { postable, receiveChunks, sendChunks } from './port-stream.js';
import { SKIPPED, THREAD_READY, type RequestTask, type ResponseHead, type TaskResult, type ThreadData } from './protocol.js';
import { startTask } from './task-slots.js';
import { stampThreadLag } from './thread-lag.js';

const encoder = new TextEncoder();

/** A task's head, and what moves with it. */
interface Answer {
  readonly head: ResponseHead | null;
  readonly transfer: TransferListItem[];
}

const SKIPPED_ANSWER: Answer = { head: SKIPPED, transfer: [] };

async function createHandler(): Promise<(task: RequestTask) => Promise<Answer>> {
  const { app: appText, chdir, interface: interfaceSetting, slots, cancellations, requestTimeout, loopStamps } = workerData as ThreadData;
  const runners = new Int32Array(slots);
  // Requests delivered to this thread and not over, by task id: how to cancel each.
  const pending = new Map<number, Cancellation>();
  const channel = new BroadcastChannel(cancellations);
  channel.onmessage = (message) => {
    const id = (message as { data: number }).data;
    // A negated id: --request-timeout answered for the request.
    pending.get(Math.abs(id))?.cancel(id < 0 ? requestTimeoutReason(requestTimeout) : undefined);
  };
  channel.unref();
  // This thread turns every Response into a head and bytes itself: simple ones need not be built.
  installFastResponse();
  const app = await loadApp(appText, chdir, interfaceSetting);
  if (loopStamps !== null) stampThreadLag(loopStamps, threadId);
  if (app.interface === 'fetch') await warmFetchPlatform();
  const serve: EmulatedFetchHandler = app.interface === 'node' ? nodeToFetchHandler(app.listener) : async (request) => app.fetch(request);

  const run = async (task: RequestTask, cancellation: Cancellation): Promise<Answer> => {
    if (cancellation.cancelled || !startTask(runners, task.slot, task.deadline, threadId)) return SKIPPED_ANSWER;
    const response = await serve(toRequest(task, cancellation), cancellation);
    if (!(response instanceof Response)) throw new TypeError('the fetch handler did not return a Response');
    return answer(task, response);
  };
  let previous: Promise<unknown> = Promise.resolve();
  return (task) => {
    const turn = new Promise<Answer>((resolve, reject) => {
      const cancellation = new Cancellation(() => resolve(SKIPPED_ANSWER), task);
      pending.set(task.id, cancellation);
      previous
        .then(() => run(task, cancellation))
        .then(resolve, reject)
        .finally(() => pending.delete(task.id));
    });
    previous = turn.then(nothing, nothing);
    return turn;
  };
}

/**
 * A request's way out: its signal, made only when the app asks for it, and the end of its turn.
 * It is also the request's Peer, so a Node listener's emulation hears of the cancellation
 * without a signal.
 */
class Cancellation implements Peer {
  cancelled = false;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly encrypted: boolean;
  #controller: AbortController | undefined;
  #reason: DOMException | undefined;
  #whenGone: GoneWatcher | undefined;
  readonly #endTurn: () => void;

  constructor(endTurn: () => void, task: RequestTask) {
    this.#endTurn = endTurn;
    this.remoteAddress = task.remoteAddress;
    this.remotePort = task.remotePort;
    this.encrypted = task.scheme === 'https';
  }

  whenGone(watcher: GoneWatcher): void {
    this.#whenGone = watcher;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.cancelled) this.#controller.abort(this.#reason);
    return this.#controller.signal;
  }

  /** `reason`: what the signal aborts with (the default AbortError when the client left). */
  cancel(reason?: DOMException): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#whenGone?.clientGone();
    this.#endTurn();
  }
}

function nothing(): void {}

function toRequest(task: RequestTask, cancellation: Cancellation): Request {
  let host: string | undefined;
  const raw = task.headers;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 4 && name.toLowerCase() === 'host') host = raw[index + 1]!;
  }
  const body = task.body;
  return lazyRequest({
    method: task.method,
    url: requestUrl(host, task.url, task.scheme),
    target: task.url,
    headers: raw,
    body: body === null ? null : () => receiveChunks(body),
    signal: () => cancellation.signal,
  });
}

async function answer(task: RequestTask, response: Response): Promise<Answer> {
  const parts = responseParts(response);
  if (parts !== undefined) return answerParts(task, parts);
  const headers: string[] = [];
  for (const [name, value] of response.headers) if (name !== 'set-cookie') headers.push(name, value);
  for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie);
  const head = { status: response.status, statusText: response.statusText, headers, body: null, stream: null as MessagePort | null, threadId };
  if (response.body === null || task.method === 'HEAD') {
    void response.body?.cancel();
    if (response.body === null && !response.headers.has('content-length')) headers.push('content-length', '0');
    return { head, transfer: [] };
  }
  const start = await startBody(response.body);
  // The body's bytes may be the app's own (a module-level Buffer): never moved away from it.
  if ('whole' in start) {
    if (!response.headers.has('content-length') && !response.headers.has('transfer-encoding')) headers.push('content-length', String(start.whole?.byteLength ?? 0));
    return movable(head, start.whole, false);
  }
  const { port1, port2 } = new MessageChannel();
  head.stream = port2;
  void sendChunks(port1, restOfBody(start), false).then(
    (completed) => {
      if (!completed) void start.reader.cancel();
    },
    (error: unknown) => void start.reader.cancel(error),
  );
  return movable(head, start.first, false, port2);
}

/** The fast path: a response recorded from a string or bytes with plain headers. */
function answerParts(task: RequestTask, parts: ResponseParts): Answer {
  const text = typeof parts.body === 'string';
  const body = parts.body === null ? null : typeof parts.body === 'string' ? encoder.encode(parts.body) : parts.body;
  const head = { status: parts.status, statusText: '', headers: partsHeaderList(parts, body?.byteLength ?? 0), stream: null, threadId };
  // Bytes encoded here are ours to move; bytes the app passed may be its own constant.
  return movable(head, task.method === 'HEAD' ? null : body, text);
}

/** The head with `body` in it; a large body of ours and the port move rather than copy. */
function movable(fields: Omit<ResponseHead, 'body'>, body: Uint8Array | null, ours: boolean, port?: MessagePort): Answer {
  const posted = body === null ? null : postable(body, ours);
  const transfer: TransferListItem[] = posted?.transfer ?? [];
  if (port) transfer.push(port);
  return { head: { ...fields, body: posted?.bytes ?? null }, transfer };
}

/** Answers of this turn, posted together at its end. */
let results: TaskResult[] = [];
let transfers: TransferListItem[] = [];

function reply(result: TaskResult, transfer: readonly TransferListItem[]): void {
  if (results.length === 0) setImmediate(flushReplies);
  results.push(result);
  transfers.push(...transfer);
}

function flushReplies(): void {
  parentPort!.postMessage(results, transfers);
  results = [];
  transfers = [];
}

/** An error as it can cross to the main thread whatever the app put in it: its message and stack. */
function crossable(error: unknown): Error {
  const copy = new Error(error instanceof Error ? error.message : String(error));
  if (error instanceof Error) copy.stack = error.stack;
  return copy;
}

const handle = await createHandler();
parentPort!.on('message', (tasks: readonly RequestTask[]) => {
  for (const task of tasks) {
    handle(task).then(
      ({ head, transfer }) => reply({ id: task.id, head }, transfer),
      (error: unknown) => reply({ id: task.id, error: crossable(error) }, []),
    );
  }
});
parentPort!.postMessage(THREAD_READY);

// Design: most Response bodies are complete at once (`new Response('text')`, JSON), and are
// best sent with a Content-Length in one write; others stream (SSE, `ReadableStream`s that
// await between chunks) and must reach the client as produced. A stream cannot be peeked, so
// after the first chunk the second read races one turn of the event loop: a body that is
// already complete answers within microtasks, and a real stream is never held back waiting for
// a chunk the app has not produced yet.

const LATER = Symbol('later');
const nextTurn = (): Promise<typeof LATER> => new Promise((resolve) => setImmediate(resolve, LATER));

/** A body read to its end: null when empty. */
export interface WholeBody {
  readonly whole: Uint8Array | null;
}

/** A body still being produced: `first` is out; `next` is the read in flight. */
export interface StreamingBody {
  readonly first: Uint8Array;
  readonly next: ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
}

/** Reads `body` far enough to know whether it is complete or streams. */
export async function startBody(body: ReadableStream<Uint8Array>): Promise<WholeBody | StreamingBody> {
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) return { whole: null };
  const next = reader.read();
  const second = await Promise.race([next, nextTurn()]);
  if (second !== LATER && second.done) return { whole: first.value };
  return { first: first.value, next, reader };
}

/** Reads on from where `startBody` stopped, chunk by chunk. */
export async function* restOfBody(body: StreamingBody): AsyncGenerator<Uint8Array> {
  for (let result = await body.next; !result.done; result = await body.reader.read()) yield result.value;
}

// Design: building a platform Request costs about 10 µs, and most handlers read only its method,
// URL and a header or two. Every class hands a Fetch handler this stand-in instead (node:http
// through node-request.ts, gthread's threads, uws): an object whose prototype chain includes Request.prototype (so `instanceof
// Request` holds), answering method and url from what the server parsed, headers, signal and
// the body stream when first asked, and everything else (text(), clone, cache…) from a real
// Request it builds on first use, so behaviour is the platform's.

/** The platform's Request, read on first use (naming it loads undici, about 13 MiB). */
let RealRequest: typeof globalThis.Request;

/** What the server parsed, and how to get what it did not build yet. */
export interface LazyRequestInit {
  readonly method: string;
  /** Absolute: `http://host/path?query` (request-url.ts). */
  readonly url: string;
  /** The request-target as sent, when the URL was built from it: an emulated Node `req.url` is this. */
  readonly target?: string;
  /** name, value, name, value… */
  readonly headers: readonly string[];
  /** The body stream, or null when the request has none; called at most once, as a method of the init. */
  readonly body: (() => ReadableStream<Uint8Array>) | null;
  /** The signal that aborts when the client goes away; called at most once, as a method of the init. Absent: the request never aborts. */
  readonly signal?: () => AbortSignal;
}

interface LazyFields {
  init: LazyRequestInit;
  headers?: Headers;
  signal?: AbortSignal;
  /** The body stream, once asked for (null: none); a Request built later carries this one. */
  body?: ReadableStream<Uint8Array> | null;
  real?: Request;
}

const FIELDS = Symbol('narwhal.lazyRequest');
type LazyRequest = Request & { [FIELDS]: LazyFields };

function headersOf(fields: LazyFields): Headers {
  if (fields.headers === undefined) {
    const headers = new Headers();
    const raw = fields.init.headers;
    for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
    fields.headers = headers;
  }
  return fields.headers;
}

function signalOf(fields: LazyFields): AbortSignal {
  return (fields.signal ??= fields.init.signal?.() ?? new AbortController().signal);
}

/** The stream of the bytes the request carries, whatever its method. */
function streamOf(fields: LazyFields): ReadableStream<Uint8Array> | null {
  return (fields.body ??= fields.init.body === null ? null : fields.init.body());
}

// A platform Request of these methods has no body; bytes a client sent with one are not its content.
const BODILESS_METHODS = new Set(['GET', 'HEAD']);

function bodyOf(fields: LazyFields): ReadableStream<Uint8Array> | null {
  if (fields.real !== undefined) return fields.real.body;
  return BODILESS_METHODS.has(fields.init.method) ? null : streamOf(fields);
}

function realOf(fields: LazyFields): Request {
  if (fields.real === undefined) {
    const { init } = fields;
    const options: RequestInit & { duplex?: 'half' } = { method: init.method, headers: headersOf(fields), signal: signalOf(fields) };
    const body = bodyOf(fields);
    // A stream the app is already reading cannot go into a Request: that one is built without it.
    if (body !== null && !body.locked) {
      options.body = body;
      options.duplex = 'half';
    }
    fields.real = new RealRequest(init.url, options);
  }
  return fields.real;
}

let prototype: object | undefined;

/** The lazy Request's prototype: the platform's, each member answered by the real Request it builds. */
function buildPrototype(): object {
  RealRequest = globalThis.Request;
  const built = Object.create(RealRequest.prototype) as Record<PropertyKey, unknown>;
  for (const name of Reflect.ownKeys(RealRequest.prototype)) {
    if (name === 'constructor' || name === Symbol.toStringTag) continue;
    const descriptor = Object.getOwnPropertyDescriptor(RealRequest.prototype, name)!;
    if (descriptor.get) {
      Object.defineProperty(built, name, { configurable: true, enumerable: descriptor.enumerable, get(this: LazyRequest) { return Reflect.get(realOf(this[FIELDS]), name); } });
    } else if (typeof descriptor.value === 'function') {
      const method = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(built, name, { configurable: true, writable: true, enumerable: descriptor.enumerable, value(this: LazyRequest, ...args: unknown[]) { return method.apply(realOf(this[FIELDS]), args); } });
    }
  }
  Object.defineProperties(built, {
    method: { configurable: true, enumerable: true, get(this: LazyRequest) { return this[FIELDS].init.method; } },
    url: { configurable: true, enumerable: true, get(this: LazyRequest) { return this[FIELDS].init.url; } },
    headers: { configurable: true, enumerable: true, get(this: LazyRequest) { return headersOf(this[FIELDS]); } },
    signal: { configurable: true, enumerable: true, get(this: LazyRequest) { return signalOf(this[FIELDS]); } },
    // Streaming the body (`for await … of request.body`) needs no platform Request either.
    body: { configurable: true, enumerable: true, get(this: LazyRequest) { return bodyOf(this[FIELDS]); } },
  });
  return built;
}

/** A Request for what the server parsed, built into a platform Request only when needed. */
export function lazyRequest(init: LazyRequestInit): Request {
  const request = Object.create((prototype ??= buildPrototype())) as LazyRequest;
  request[FIELDS] = { init };
  return request;
}

/** What a lazy Request was made from, while nothing has built its platform objects; else undefined. */
export function lazyRequestInit(request: Request): LazyRequestInit | undefined {
  const fields = (request as Partial<LazyRequest>)[FIELDS];
  return fields !== undefined && fields.headers === undefined && fields.body === undefined && fields.real === undefined ? fields.init : undefined;
}

/**
 * The bytes a request carries, for emulating Node's `req`, which reads a GET's body too (a
 * Request's `body` is null for GET and HEAD).
 */
export function requestBodyStream(request: Request): ReadableStream<Uint8Array> | null {
  const fields = (request as Partial<LazyRequest>)[FIELDS];
  return fields === undefined || fields.real !== undefined ? request.body : streamOf(fields);
}

/** The request-target as the server received it, for a lazy Request that knows it. */
export function requestTargetOf(request: Request): string | undefined {
  return (request as Partial<LazyRequest>)[FIELDS]?.init.target;
}

/** The signal to watch for the client going away, or undefined when `request` can never abort. */
export function abortSignalOf(request: Request): AbortSignal | undefined {
  const fields = (request as Partial<LazyRequest>)[FIELDS];
  if (fields !== undefined && fields.signal === undefined && fields.init.signal === undefined) return undefined;
  return request.signal;
}

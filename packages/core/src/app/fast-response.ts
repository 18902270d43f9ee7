// Design: a `new Response('text', { headers: {…} })` costs about 25 µs in Node 20 and reading its
// body back through a stream as much again: more than everything else a fast server does per
// request. Every worker process installs this stand-in as the global Response before it loads
// the app (worker/main.ts; gthread's threads in thread.ts), and every class writes the
// recorded parts itself (fetch-to-node.ts on node:http, gthread's threads, uws): a response built from a string or bytes with plain-object headers only
// records them, and the server writes those directly. Anything the app then asks of the
// response (headers, body, clone…) turns it into a real Response first, so apps see exactly
// the platform's behaviour; `instanceof Response` holds for both kinds.

/** The platform's Response, once the stand-in is built (building it loads undici). */
let RealResponse: typeof globalThis.Response;
/** The stand-in, once built. */
let standIn: typeof globalThis.Response | undefined;
const PARTS = Symbol('narwhal.responseParts');
const REAL = Symbol('narwhal.realResponse');
const TEXT_TYPE = 'text/plain;charset=UTF-8';

type SimpleBody = string | Uint8Array | null;
type PlainHeaders = Readonly<Record<string, string>>;

/** What a response built the simple way consists of, for the server to write directly. */
export interface ResponseParts {
  readonly status: number;
  readonly body: SimpleBody;
  readonly headers: PlainHeaders | undefined;
  /** The content-type the platform would add: a string body without one gets text/plain. */
  readonly defaultContentType: string | undefined;
}

interface FastResponseFields {
  [PARTS]?: ResponseParts;
  [REAL]?: Response;
}

/** A status the stand-in records: one a body may go with (a null-body status goes to the platform, which checks it). */
function isSimpleStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599 && status !== 204 && status !== 205 && status !== 304;
}

function isSimpleBody(body: unknown): body is SimpleBody | undefined {
  return body === undefined || body === null || typeof body === 'string' || (body instanceof Uint8Array && body.constructor === Uint8Array) || Buffer.isBuffer(body);
}

// What the platform's Headers accepts (a token name; a value without NUL, CR or LF, RFC 9110 §5.5):
// anything else goes to the real Response, which throws as it would without the stand-in, so a
// header value can never split the response it is written into.
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UNSAFE_FIELD_VALUE = /[\0\r\n]/;

function isPlainHeaders(headers: unknown): headers is PlainHeaders | undefined {
  if (headers === undefined) return true;
  if (headers === null || typeof headers !== 'object' || Object.getPrototypeOf(headers) !== Object.prototype) return false;
  for (const key in headers) {
    const value = (headers as Record<string, unknown>)[key];
    if (typeof value !== 'string' || !FIELD_NAME.test(key) || UNSAFE_FIELD_VALUE.test(value)) return false;
  }
  return true;
}

function hasContentType(headers: PlainHeaders | undefined): boolean {
  if (headers === undefined) return false;
  for (const key in headers) if (key.length === 12 && key.toLowerCase() === 'content-type') return true;
  return false;
}

function realOf(response: FastResponseFields): Response {
  let real = response[REAL];
  if (real === undefined) {
    const parts = response[PARTS]!;
    real = new RealResponse(parts.body, { status: parts.status, headers: parts.headers });
    response[REAL] = real;
    response[PARTS] = undefined;
  }
  return real;
}

/** The stand-in, built on first use from the platform's Response. */
function buildFastResponse(platform: typeof globalThis.Response): typeof globalThis.Response {
  RealResponse = platform;
  const FastResponse = function Response(this: FastResponseFields, body?: ConstructorParameters<typeof RealResponse>[0], init?: ResponseInit) {
    if (!new.target) throw new TypeError("Class constructor Response cannot be invoked without 'new'");
    const status = init?.status ?? 200;
    const simple = isSimpleBody(body) && (init === undefined || (init.statusText === undefined && isPlainHeaders(init.headers))) && isSimpleStatus(status);
    if (!simple) {
      this[REAL] = new RealResponse(body, init);
      return;
    }
    const headers = init?.headers as PlainHeaders | undefined;
    this[PARTS] = { status, body: body ?? null, headers, defaultContentType: typeof body === 'string' && !hasContentType(headers) ? TEXT_TYPE : undefined };
  } as unknown as typeof globalThis.Response;

  Object.setPrototypeOf(FastResponse, RealResponse);
  FastResponse.prototype = Object.create(RealResponse.prototype, { constructor: { value: FastResponse, writable: true, configurable: true } });
  for (const name of Reflect.ownKeys(RealResponse.prototype)) {
    if (name === 'constructor' || name === Symbol.toStringTag) continue;
    const descriptor = Object.getOwnPropertyDescriptor(RealResponse.prototype, name)!;
    if (descriptor.get) {
      Object.defineProperty(FastResponse.prototype, name, { configurable: true, enumerable: descriptor.enumerable, get(this: FastResponseFields) { return Reflect.get(realOf(this), name); } });
    } else if (typeof descriptor.value === 'function') {
      const method = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(FastResponse.prototype, name, { configurable: true, writable: true, enumerable: descriptor.enumerable, value(this: FastResponseFields, ...args: unknown[]) { return method.apply(realOf(this), args); } });
    }
  }
  Object.defineProperty(FastResponse, Symbol.hasInstance, { value: (value: unknown) => value instanceof RealResponse });
  standIn = FastResponse;
  return FastResponse;
}

const INSTALLED = Symbol.for('narwhal.fastResponse');

/**
 * Makes `new Response(…)` cheap in this process (see the Design note); idempotent. Node defines
 * the global Response as a getter that loads undici on first use (about 13 MiB); so does this,
 * so a process whose app never names Response (a Node listener) never pays for it.
 */
export function installFastResponse(): void {
  const scope = globalThis as typeof globalThis & { [INSTALLED]?: true };
  if (scope[INSTALLED]) return;
  scope[INSTALLED] = true;
  const platform = Object.getOwnPropertyDescriptor(globalThis, 'Response');
  const define = (value: unknown): void => void Object.defineProperty(globalThis, 'Response', { configurable: true, writable: true, enumerable: false, value });
  Object.defineProperty(globalThis, 'Response', {
    configurable: true,
    enumerable: false,
    get() {
      const stand = buildFastResponse((platform?.get?.call(globalThis) ?? platform?.value) as typeof globalThis.Response);
      // From now on a plain value: the getter runs once.
      define(stand);
      return stand;
    },
    set: define,
  });
}

/**
 * A recorded Response for a server that has already validated the fields (the Node-listener
 * emulation: Node's setHeader checked every name and value), so nothing is checked twice; or
 * undefined when the status needs the platform's Response.
 */
export function recordedResponse(status: number, body: Uint8Array | null, headers: PlainHeaders): Response | undefined {
  // Naming the global builds the stand-in when it is installed; without it, the platform's Response.
  if (globalThis.Response !== standIn || standIn === undefined || !isSimpleStatus(status)) return undefined;
  const response = Object.create(standIn.prototype as object) as FastResponseFields & Response;
  response[PARTS] = { status, body, headers, defaultContentType: undefined };
  return response;
}

/**
 * The parts of a response built the simple way and not looked at since, which the server may
 * write directly; undefined for any other response (write it as a real Response).
 */
export function responseParts(response: Response): ResponseParts | undefined {
  return (response as unknown as FastResponseFields)[PARTS];
}

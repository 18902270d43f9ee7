// Design: some frameworks build their request handler only after an asynchronous ready step:
// Fastify registers plugins and routes until `ready()` resolves, and its handler is the
// http.Server it created (also exposed as `routing`). Such an object is recognised by its shape,
// not by importing the framework: a `ready()` method beside a `server` that is an http.Server, or
// a `routing` function. The worker awaits the step before it serves, so that
// `export default fastify` works as it is, as `fastify.listen()` would.

import { Server } from 'node:http';

interface WithReadyStep {
  ready(): PromiseLike<unknown>;
  readonly server?: unknown;
  readonly routing?: unknown;
}

export function hasReadyStep(value: unknown): value is WithReadyStep {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<WithReadyStep>;
  return typeof candidate.ready === 'function' && (candidate.server instanceof Server || typeof candidate.routing === 'function');
}

/** Runs the app's ready step when it has one; the app then serves through its server's listener. */
export async function awaitReadyStep(value: unknown): Promise<void> {
  if (hasReadyStep(value)) await value.ready();
}

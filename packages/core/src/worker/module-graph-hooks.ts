// Design: module customization hooks (node:module register) for `--reload`, run on Node's loader
// thread: every file the app's import graph loads, outside node_modules, is posted to the worker's
// main thread (module-graph.ts), which reports it to the arbiter to watch.

import type { MessagePort } from 'node:worker_threads';

let port: MessagePort | undefined;

export function initialize(data: { port: MessagePort }): void {
  port = data.port;
}

type NextLoad = (url: string, context: unknown) => unknown;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<unknown> {
  if (url.startsWith('file:') && !url.includes('/node_modules/')) port?.postMessage(url);
  return nextLoad(url, context);
}

// Design: `--reload` restarts the workers when a file the app loaded changes; only a worker can
// know those files (the arbiter never loads the app). ES modules are seen through a loader hook
// (module-graph-hooks.ts) registered before the app is imported; CommonJS ones, and TypeScript
// loaded through jiti, are in require.cache. Files under node_modules are left out, as
// Gunicorn leaves out site-packages. Files loaded later (a lazy import) are reported as they
// come, in batches.

import { createRequire, register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const HOOKS = new URL('./module-graph-hooks.js', import.meta.url);
const BATCH_MS = 100;

export class ModuleGraph {
  readonly #seen = new Set<string>();
  #pending: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #report: ((files: string[]) => void) | undefined;

  /** Starts tracking; call before the app is imported. */
  constructor() {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (url: string) => this.#add(fileURLToPath(url)));
    port1.unref();
    register(HOOKS, { data: { port: port2 }, transferList: [port2] });
  }

  /** From now on, reports every file seen so far and each one seen later. */
  reportTo(report: (files: string[]) => void): void {
    this.#report = report;
    const cache = createRequire(import.meta.url).cache;
    for (const file of Object.keys(cache)) this.#add(file);
    this.#schedule();
  }

  #add(file: string): void {
    if (file.includes('/node_modules/') || this.#seen.has(file)) return;
    this.#seen.add(file);
    this.#pending.push(file);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#report === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const files = this.#pending;
      this.#pending = [];
      if (files.length > 0) this.#report!(files);
    }, BATCH_MS);
    this.#timer.unref();
  }
}

// Design: uWebSockets.js is not on the npm registry under its own name, and each build covers
// different Node.js ABIs and glibc versions. This package depends on `@based/uws@6.0.1` (a
// republication of uWebSockets.js 20.51's binaries for Node 18-25 on glibc >= 2.27) installed
// under the official name; a user may install another build instead. Try them in a fixed order
// and take the first that loads natively; some builds print a warning and hand back a pure-JS
// stand-in when their binary does not fit, so "loads" means its App is native code. Never serve
// on a stand-in: fail with one line naming every build tried and why it did not load.
// NARWHAL_UWS_ENGINE pins one build (a package name or a file path), for users who install
// uWebSockets.js from its repository under another name.

import { createRequire } from 'node:module';
import { NarwhalError } from '@narwhal/core/worker-class';
import type * as UWS from 'uWebSockets.js';

/** The uWebSockets.js API, as the builds share it. */
export type Engine = typeof UWS;

/** Tried in this order: the official package, then the npm republications. */
export const ENGINE_CANDIDATES = ['uWebSockets.js', '@based/uws', '@btc-vision/uwebsockets.js', '@trufflesuite/uws-js-unofficial'] as const;

const requireFromHere = createRequire(import.meta.url);

export interface LoadedEngine {
  readonly engine: Engine;
  readonly name: string;
}

/** The first native uWebSockets.js build that loads, or NARWHAL_E_ENGINE. */
export function loadEngine(env: NodeJS.ProcessEnv = process.env): LoadedEngine {
  const pinned = env.NARWHAL_UWS_ENGINE;
  const candidates = pinned ? [pinned] : ENGINE_CANDIDATES;
  const failures: string[] = [];
  // Builds that do not fit print their own multi-line warnings; the one line below says it all.
  const warn = console.warn;
  const error = console.error;
  console.warn = console.error = () => {};
  try {
    for (const name of candidates) {
      const outcome = tryLoad(name);
      if (typeof outcome !== 'string') return { engine: outcome, name };
      failures.push(`${name} (${outcome})`);
    }
  } finally {
    console.warn = warn;
    console.error = error;
  }
  throw new NarwhalError(
    'NARWHAL_E_ENGINE',
    `-k uws needs a native uWebSockets.js build and none loads on Node.js ${process.versions.node}: tried ${failures.join('; ')}; install one with \`npm i uWebSockets.js@npm:@based/uws@6.0.1\` (Node 18-25, glibc 2.27 or newer)`,
  );
}

/** The engine, or why it did not load. */
function tryLoad(name: string): Engine | string {
  let engine: Engine;
  try {
    engine = requireFromHere(name) as Engine;
  } catch (error) {
    return reason(error);
  }
  if (typeof engine?.App !== 'function') return 'not a uWebSockets.js module';
  if (!/\[native code\]/.test(Function.prototype.toString.call(engine.App))) return 'a JavaScript stand-in, not a native build';
  return engine;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes('Cannot find module')) return 'not installed';
  const text = error instanceof Error ? error.message : String(error);
  const glibc = /GLIBC_[\d.]+/.exec(text);
  if (glibc) return `needs ${glibc[0]}`;
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'failed to load';
}

// Design: TypeScript modules (the config file, the app) load through jiti, the way Nuxt and
// others load TypeScript configs: transpiled in memory, no build step, no loader flag. jiti is
// imported only when a .ts/.mts/.cts file is actually used.

import { extname } from 'node:path';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

export function isTypeScript(path: string): boolean {
  return TYPESCRIPT.has(extname(path));
}

/** Imports a TypeScript file afresh (no module cache, so a HUP sees an edited file) and returns its namespace. */
export async function importTypeScript(path: string): Promise<Record<string, unknown>> {
  const { createJiti } = await import('jiti');
  return createJiti(import.meta.url, { moduleCache: false }).import<Record<string, unknown>>(path);
}

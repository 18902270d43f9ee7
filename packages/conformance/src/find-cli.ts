// Design: the kit drives the `narwhal` CLI of the @narwhal/core the user installed beside it,
// so a third party tests its class against the core it ships with. The package's `bin` is the
// source of truth for where the CLI lives; NARWHAL_CLI overrides it (a core built elsewhere).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where to look for `@narwhal/core`: beside the kit first, then from the project running the tests. */
const SEARCH_FROM = [import.meta.url, pathToFileURL(`${process.cwd()}/`).href];

/**
 * The path of the `narwhal` CLI: `NARWHAL_CLI` when set, else the `bin.narwhal` of the
 * `@narwhal/core` that resolves from the kit (or, failing that, from the current directory).
 */
export function findNarwhalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NARWHAL_CLI) return env.NARWHAL_CLI;
  for (const from of SEARCH_FROM) {
    let manifestPath: string;
    try {
      manifestPath = createRequire(from).resolve('@narwhal/core/package.json');
    } catch {
      continue;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.narwhal;
    if (bin === undefined) throw new Error(`${manifestPath} declares no narwhal bin; set NARWHAL_CLI to the CLI's path`);
    return resolve(dirname(manifestPath), bin);
  }
  throw new Error('@narwhal/core is not installed beside @narwhal/conformance (npm i -D @narwhal/core), and NARWHAL_CLI is unset');
}

// Design: an app that fails to load is reported in one line that points at the user's code, not
// at Narwhal's: the error's first line and the place it names. A syntax error's stack starts with
// `FILE:LINE` (Node's decoration), which is where the problem is; other errors name their first
// stack frame. ESM syntax in a file Node loads as CommonJS (npm 11's `npm init -y` writes
// "type": "commonjs") gets the fix spelled out, since Node's own words ("Unexpected token
// 'export'") do not say it.

import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

const ESM_ONLY_SYNTAX = /^(Unexpected token 'export'|Cannot use import statement outside a module|Cannot use 'import\.meta' outside a module)/;

/** The first line of an error, with where it happened when the stack says so. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? '';
  const header = syntaxErrorLocation(stack);
  // The first frame in a file, named (`at fn (file:…)`) or not (`at file:…`, a module's top level).
  const where = header ? `${header.file}:${header.line}` : /^\s+at (?:[^\n]*\()?((?:file:\/\/)?\/[^\s)]+:\d+:\d+)\)?$/m.exec(stack)?.[1];
  const firstLine = `${error.name}: ${error.message.split('\n')[0]}`;
  return where && !firstLine.includes(where) ? `${firstLine} (${where.replace(/^file:\/\//, '')})` : firstLine;
}

/**
 * For ESM syntax in a module Node loaded as CommonJS: `FILE:LINE uses ESM syntax … rename it …`.
 * Undefined for any other error.
 */
export function explainModuleFormat(error: unknown): string | undefined {
  if (!(error instanceof SyntaxError) || !ESM_ONLY_SYNTAX.test(error.message)) return undefined;
  const header = syntaxErrorLocation(error.stack ?? '');
  if (header === undefined || !/\.js$/.test(header.file)) return undefined;
  const manifest = nearestManifest(header.file);
  const renamed = `${basename(header.file, extname(header.file))}.mjs`;
  const fix = manifest === undefined ? 'add a package.json with "type": "module" beside it' : `set "type": "module" in ${manifest}`;
  return `${header.file}:${header.line} uses ESM syntax (${error.message}), but Node loads it as CommonJS; rename it to ${renamed}, or ${fix}`;
}

/** Node decorates a syntax error's stack with `FILE:LINE`, the source line and a caret. */
function syntaxErrorLocation(stack: string): { file: string; line: number } | undefined {
  const match = /^((?:file:\/\/)?\/[^\n]*?):(\d+)\n/.exec(stack);
  return match ? { file: match[1]!.replace(/^file:\/\//, ''), line: Number(match[2]) } : undefined;
}

function nearestManifest(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) return path;
    if (dirname(dir) === dir) return undefined;
  }
}

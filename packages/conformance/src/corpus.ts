// Design: the request corpus is data, one JSON file per RFC area, so that adding a case means
// adding an object: the raw bytes, the rule they test, and the outcome Narwhal decided
// (spec: front-door.md). The loader checks every case's shape and fails loudly on a typo,
// since a case that silently tests nothing is worse than no case.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContract } from './judge-case.js';

/** What the echo app must have seen for an `app` outcome; absent fields are not checked. */
export interface AppExpectation {
  readonly method?: string;
  /** The request target as sent (a Fetch handler sees it resolved into `request.url`). */
  readonly target?: string;
  /** A field the app must see with exactly this value (latin-1), name matched case-insensitively. */
  readonly header?: readonly [name: string, value: string];
  /** The body bytes as a latin-1 string. */
  readonly body?: string;
}

/** The outcome a case must have. */
export type CaseExpectation =
  /** A complete response with this status; for 4xx/5xx also `Connection: close` and the close. */
  | { readonly status: number }
  /** The request reaches the echo app and gets its 200. */
  | { readonly app: AppExpectation }
  /** Pipelined requests: one final response each, in order. */
  | { readonly statuses: readonly number[] };

/** One raw request and the outcome it must have. */
export interface CorpusCase {
  /** `group/short-name`, unique; `group` is the corpus file's name. */
  readonly id: string;
  /** The rule it tests, e.g. `RFC 9112 §6.3 ¶5`. */
  readonly rfc: string;
  /** One line: why this outcome (and the choice made where the RFC leaves one). */
  readonly why: string;
  /** The bytes to send, `{{repeat:N:TEXT}}` expanded, each character ≤ U+00FF standing for one latin-1 byte. */
  readonly request: string;
  /** The same bytes split into separate writes with a pause between them. */
  readonly parts?: readonly string[];
  /** Shut down the client's write side after sending (`shutdown(SHUT_WR)`). */
  readonly halfClose?: boolean;
  /** The app contracts the case applies to, where their outcomes differ; both when absent. */
  readonly contracts?: readonly AppContract[];
  readonly expect: CaseExpectation;
}

/** The corpus shipped with the kit: `corpus/*.json` in the package. */
export const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

const REPEAT = /\{\{repeat:(\d+):([^}]*)\}\}/g;

/** Expands `{{repeat:N:TEXT}}` (TEXT N times), so that limit-sized requests stay readable as data. */
export function expandRepeats(text: string): string {
  return text.replace(REPEAT, (_, count: string, unit: string) => unit.repeat(Number(count)));
}

/** The wire bytes of a string whose characters are latin-1 bytes. */
export function latin1Bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/**
 * Loads and checks every `*.json` corpus file in `dir` (default: the kit's own corpus), in file
 * and case order, with repeats expanded. Throws on a malformed case or a duplicate id.
 */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const ids = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const group = basename(file, '.json');
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    if (!Array.isArray(raw)) throw new Error(`${file}: a corpus file holds an array of cases`);
    raw.forEach((entry: unknown, index) => {
      const checked = checkCase(entry, `${file}[${index}]`, group);
      if (ids.has(checked.id)) throw new Error(`${file}[${index}]: duplicate id ${checked.id}`);
      ids.add(checked.id);
      cases.push(checked);
    });
  }
  return cases;
}

function checkCase(entry: unknown, where: string, group: string): CorpusCase {
  const fail = (problem: string): never => {
    throw new Error(`${where}: ${problem}`);
  };
  if (typeof entry !== 'object' || entry === null) return fail('a case is an object');
  const item = entry as Record<string, unknown>;
  for (const key of Object.keys(item)) if (!CASE_KEYS.has(key)) fail(`unknown key ${JSON.stringify(key)}`);
  for (const key of ['id', 'rfc', 'why', 'request'] as const) if (typeof item[key] !== 'string' || item[key] === '') fail(`${key} must be a non-empty string`);
  const id = item.id as string;
  if (!id.startsWith(`${group}/`)) fail(`id ${id} must start with "${group}/" (the file's name)`);
  const request = expandRepeats(item.request as string);
  if ([...request].some((char) => char.charCodeAt(0) > 0xff)) fail('request has a character above U+00FF; write bytes 0x80-0xFF as \\u0080-\\u00ff');
  let parts: string[] | undefined;
  if (item.parts !== undefined) {
    if (!Array.isArray(item.parts) || item.parts.length < 2 || !item.parts.every((part) => typeof part === 'string')) fail('parts must be two or more strings');
    parts = (item.parts as string[]).map(expandRepeats);
    if (parts.join('') !== request) fail('parts must join to exactly the request');
  }
  if (item.halfClose !== undefined && typeof item.halfClose !== 'boolean') fail('halfClose must be a boolean');
  const contracts = item.contracts;
  if (contracts !== undefined && (!Array.isArray(contracts) || contracts.length !== 1 || !contracts.every((contract) => contract === 'node' || contract === 'fetch'))) fail('contracts must be ["node"] or ["fetch"]');
  return {
    id,
    rfc: item.rfc as string,
    why: item.why as string,
    request,
    ...(parts !== undefined && { parts }),
    ...(item.halfClose === true && { halfClose: true }),
    ...(contracts !== undefined && { contracts: contracts as AppContract[] }),
    expect: checkExpectation(item.expect, fail),
  };
}

const CASE_KEYS = new Set(['id', 'rfc', 'why', 'request', 'parts', 'halfClose', 'contracts', 'expect']);

function checkExpectation(value: unknown, fail: (problem: string) => never): CaseExpectation {
  if (typeof value !== 'object' || value === null) return fail('expect must be an object');
  const expect = value as Record<string, unknown>;
  const keys = Object.keys(expect);
  if (keys.length !== 1) return fail('expect has exactly one of status, app, statuses');
  const isStatus = (code: unknown): code is number => Number.isInteger(code) && (code as number) >= 100 && (code as number) <= 599;
  if ('status' in expect) return isStatus(expect.status) ? { status: expect.status } : fail('expect.status must be an HTTP status');
  if ('statuses' in expect) {
    const statuses = expect.statuses;
    return Array.isArray(statuses) && statuses.length >= 2 && statuses.every(isStatus) ? { statuses } : fail('expect.statuses must list two or more statuses');
  }
  if ('app' in expect) {
    const app = expect.app as Record<string, unknown> | null;
    if (typeof app !== 'object' || app === null) return fail('expect.app must be an object');
    for (const [key, field] of Object.entries(app)) {
      if (key === 'header') {
        if (!Array.isArray(field) || field.length !== 2 || !field.every((part) => typeof part === 'string')) fail('expect.app.header is [name, value]');
      } else if (!['method', 'target', 'body'].includes(key)) fail(`unknown key expect.app.${key}`);
      else if (typeof field !== 'string') fail(`expect.app.${key} must be a string`);
    }
    const header = app.header as [string, string] | undefined;
    return { app: { ...(app as AppExpectation), ...(typeof app.body === 'string' && { body: expandRepeats(app.body) }), ...(header && { header: [header[0], expandRepeats(header[1])] as const }) } };
  }
  return fail(`unknown expectation ${JSON.stringify(keys[0])}`);
}

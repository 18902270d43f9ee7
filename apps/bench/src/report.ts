// Design: one run's results as the three outputs the docs use: a Markdown table per workload
// with ratios against every anchor, a bar chart (SVG, written by hand: no chart dependency),
// and the raw JSON. The targets are checked here, from the same numbers.

import type { Cell, Skipped } from './measure.js';
import { TARGETS } from './targets.js';

export interface RunResult {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: Readonly<Record<string, string>>;
  readonly cells: readonly Cell[];
  readonly skipped: readonly Skipped[];
  readonly startup: { readonly firstResponseMs: number } | null;
}

const labelOf = (id: string): string => TARGETS.find((target) => target.id === id)?.label ?? id;
const kindOf = (id: string): string => TARGETS.find((target) => target.id === id)?.kind ?? 'anchor';
const fixed = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function cellOf(result: RunResult, workload: string, target: string): Cell | undefined {
  return result.cells.find((cell) => cell.workload === workload && cell.target === target);
}

function workloadsOf(result: RunResult): string[] {
  return [...new Set([...result.cells.map((cell) => cell.workload), ...result.skipped.map((skip) => skip.workload)])];
}

export function markdown(result: RunResult): string {
  const lines: string[] = [];
  for (const workload of workloadsOf(result)) {
    const cells = result.cells.filter((cell) => cell.workload === workload);
    const anchors = cells.filter((cell) => kindOf(cell.target) === 'anchor');
    lines.push(`### ${workload}`, '', `![${workload}](results/${workload}.svg)`, '');
    lines.push('| target | req/s | p50 ms | p99 ms | errors | non-2xx | peak RSS MiB | rounds |', '|---|---:|---:|---:|---:|---:|---:|---|');
    for (const cell of cells) {
      lines.push(`| ${labelOf(cell.target)} | ${fixed(cell.requestsPerSecond)} | ${fixed(cell.p50Ms, 2)} | ${fixed(cell.p99Ms, 2)} | ${cell.errors} | ${cell.non2xx} | ${fixed(cell.peakRssMiB, 1)} | ${cell.rounds.map((rps) => fixed(rps)).join(', ')} |`);
    }
    for (const skip of result.skipped.filter((entry) => entry.workload === workload)) lines.push(`| ${labelOf(skip.target)} | skipped: ${skip.reason} | | | | | | |`);
    const narwhal = cells.filter((cell) => kindOf(cell.target) === 'narwhal');
    if (narwhal.length > 0 && anchors.length > 0) {
      lines.push('', `Ratios (req/s of the row ÷ req/s of the column), ${workload}:`, '', `| | ${anchors.map((cell) => labelOf(cell.target)).join(' | ')} |`, `|---|${anchors.map(() => '---:').join('|')}|`);
      for (const cell of narwhal) lines.push(`| ${labelOf(cell.target)} | ${anchors.map((anchor) => fixed(cell.requestsPerSecond / anchor.requestsPerSecond, 2)).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A horizontal bar chart of req/s for one workload. */
export function svgChart(result: RunResult, workload: string): string {
  const cells = result.cells.filter((cell) => cell.workload === workload);
  const max = Math.max(1, ...cells.map((cell) => cell.requestsPerSecond));
  const row = 26;
  const left = 330;
  const width = 820;
  const height = 40 + cells.length * row;
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bars = cells.map((cell, index) => {
    const y = 30 + index * row;
    const length = Math.max(1, ((width - left - 90) * cell.requestsPerSecond) / max);
    const color = kindOf(cell.target) === 'narwhal' ? '#2a6fdb' : '#9aa5b1';
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(labelOf(cell.target))}</text><rect x="${left}" y="${y + 2}" width="${length.toFixed(1)}" height="${row - 8}" fill="${color}"/><text x="${(left + length + 6).toFixed(1)}" y="${y + 15}">${fixed(cell.requestsPerSecond)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><text x="10" y="18" font-weight="bold">${escape(workload)}: requests per second (higher is better; Narwhal in blue)</text>${bars.join('')}</svg>\n`;
}

export interface TargetCheck {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | null;
}

const rps = (result: RunResult, workload: string, target: string): number | undefined => cellOf(result, workload, target)?.requestsPerSecond;

function ratioCheck(result: RunResult, goal: string, workload: string, target: string, anchor: string, minimum: number): TargetCheck {
  const a = rps(result, workload, target);
  const b = rps(result, workload, anchor);
  if (a === undefined || b === undefined) return { goal, measured: 'not measured in this run', met: null };
  return { goal, measured: `${fixed(a)} vs ${fixed(b)} req/s = ${fixed(a / b, 2)}`, met: a / b >= minimum };
}

/** The issues' performance targets, checked against this run. */
export function checkTargets(result: RunResult): TargetCheck[] {
  const checks: TargetCheck[] = [
    ratioCheck(result, 'async ≥ 95% of bare node:http, 2 processes sharing one socket (hello)', 'hello', 'async', 'node-http-2', 0.95),
    ratioCheck(result, 'async ≥ node:cluster (hello)', 'hello', 'async', 'node-cluster', 1),
  ];
  for (const workload of ['hello', 'json', 'io']) {
    checks.push(ratioCheck(result, `async ahead of Gunicorn gevent (${workload})`, workload, 'async', 'gunicorn-gevent', 1));
    checks.push(ratioCheck(result, `async ahead of Gunicorn gthread (${workload})`, workload, 'async', 'gunicorn-gthread', 1));
  }
  checks.push(
    ratioCheck(result, 'uws ≥ 90% of bare uWebSockets.js, 2 processes (hello)', 'hello', 'uws', 'uws-bare', 0.9),
    ratioCheck(result, 'uws ≥ 1.5× async (hello)', 'hello', 'uws', 'async', 1.5),
    ratioCheck(result, 'gthread -w 1 --threads 2 ≥ 1.7× sync -w 1 (cpu)', 'cpu', 'gthread-w1-t2', 'sync-w1', 1.7),
    ratioCheck(result, 'gthread --threads 1 ≥ 0.6× async (hello; an aim)', 'hello', 'gthread-t1', 'async', 0.6),
  );
  // Issue 19: over TLS, each class ≥ 0.9× its bare anchor.
  checks.push(ratioCheck(result, 'sync ≥ 0.9× node:https on node:cluster closing every connection, as sync does (hello-tls)', 'hello-tls', 'sync', 'node-cluster-close', 0.9));
  for (const target of ['gthread', 'async'] as const) checks.push(ratioCheck(result, `${target} ≥ 0.9× node:https on node:cluster (hello-tls)`, 'hello-tls', target, 'node-cluster', 0.9));
  // gthread's own model without Narwhal: every request handed to a pool of as many threads.
  checks.push(ratioCheck(result, 'gthread ≥ 0.9× node:https on node:cluster with a piscina pool (hello-tls)', 'hello-tls', 'gthread', 'node-cluster-pool', 0.9));
  checks.push(ratioCheck(result, 'uws ≥ 0.9× bare uWebSockets.js SSLApp (hello-tls)', 'hello-tls', 'uws', 'uws-bare', 0.9));
  // Issue 19: HTTP/2 (h2c), the one class that serves it against node:http2.
  checks.push(ratioCheck(result, 'async ≥ 0.9× bare node:http2 on node:cluster (hello-h2)', 'hello-h2', 'async', 'node-cluster', 0.9));
  for (const [target, anchor] of [['sync', 'gunicorn-sync'], ['gthread', 'gunicorn-gthread'], ['async', 'gunicorn-gevent'], ['uws', 'gunicorn-gevent']] as const) {
    // Gunicorn is not measured over TLS or HTTP/2.
    for (const workload of workloadsOf(result).filter((name) => name !== 'hello-tls' && name !== 'hello-h2')) checks.push(ratioCheck(result, `${target} ahead of ${labelOf(anchor)} (${workload})`, workload, target, anchor, 1));
  }
  checks.push(...contractChecks(result), ...memoryChecks(result));
  if (result.startup) checks.push({ goal: '`narwhal -w 4` serves its first request within 500 ms of start', measured: `${fixed(result.startup.firstResponseMs)} ms`, met: result.startup.firstResponseMs <= 500 });
  return checks;
}

export function checksMarkdown(checks: readonly TargetCheck[]): string {
  return ['| target | measured | met |', '|---|---|---|', ...checks.map((check) => `| ${check.goal} | ${check.measured} | ${check.met === null ? '–' : check.met ? 'yes' : '**no**'} |`)].join('\n');
}

/** Issue 17: both app contracts at full speed on every class. */
function contractChecks(result: RunResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const workload of ['hello', 'json']) {
    checks.push(
      ratioCheck(result, `async, Fetch ≥ 1.0× @hono/node-server on node:cluster (${workload})`, workload, 'async-fetch', 'hono-cluster', 1),
      ratioCheck(result, `sync, Fetch ≥ 0.9× sync, Node listener (${workload})`, workload, 'sync-fetch', 'sync', 0.9),
      ratioCheck(result, `uws, Fetch ≥ 0.95× bare uWebSockets.js (${workload})`, workload, 'uws', 'uws-bare', 0.95),
      ratioCheck(result, `async, Node listener ≥ 0.95× node:cluster (${workload})`, workload, 'async', 'node-cluster', 0.95),
    );
  }
  checks.push(
    ratioCheck(result, 'uws, Node listener ≥ 0.9× uws, Fetch (hello)', 'hello', 'uws-node', 'uws', 0.9),
    ratioCheck(result, 'uws, Node listener ≥ 1.2× async, Node listener (hello)', 'hello', 'uws-node', 'async', 1.2),
    ratioCheck(result, 'Express on uws ≥ 1.1× Express on async (json)', 'json', 'uws-express', 'async-express', 1.1),
    ratioCheck(result, 'uws upload ≥ 0.5× bare uWebSockets.js (upload)', 'upload', 'uws', 'uws-bare', 0.5),
    ratioCheck(result, 'gthread (default threads), Node listener ≥ 0.35× async (hello)', 'hello', 'gthread-t1', 'async', 0.35),
    ratioCheck(result, 'gthread (default threads), Fetch ≥ 0.35× async, Fetch (hello)', 'hello', 'gthread-t1-fetch', 'async-fetch', 0.35),
  );
  const node = rps(result, 'hello', 'gthread-t1');
  const fetch = rps(result, 'hello', 'gthread-t1-fetch');
  checks.push(
    node === undefined || fetch === undefined
      ? { goal: 'gthread (default threads): the two contracts within 10% of each other (hello)', measured: 'not measured in this run', met: null }
      : { goal: 'gthread (default threads): the two contracts within 10% of each other (hello)', measured: `Fetch ${fixed(fetch)} vs Node listener ${fixed(node)} req/s = ${fixed(fetch / node, 2)}`, met: Math.abs(fetch / node - 1) <= 0.1 },
  );
  return checks;
}

const NARWHAL_HELLO = ['sync', 'sync-fetch', 'gthread-t1', 'gthread-t1-fetch', 'async', 'async-fetch', 'uws', 'uws-node'];

/** Issue 17's footprint: the arbiter, the workers at rest and after the hello load, against node:cluster's. */
function memoryChecks(result: RunResult): TargetCheck[] {
  const hello = (target: string): Cell['rss'] => cellOf(result, 'hello', target)?.rss;
  const checks: TargetCheck[] = [];
  const async = hello('async');
  const cluster = hello('node-cluster');
  if (async !== undefined) {
    const arbiter = async.rest.roots[0]!;
    checks.push({ goal: 'the arbiter ≤ 45 MiB RSS at rest (-k async, hello)', measured: `${fixed(arbiter, 1)} MiB`, met: arbiter <= 45 });
  }
  if (cluster !== undefined) {
    const limit = cluster.rest.children[0]! + 4;
    const measured = NARWHAL_HELLO.flatMap((target) => {
      const worker = hello(target)?.rest.children[0];
      return worker === undefined ? [] : [{ target, worker }];
    });
    checks.push({
      goal: `each worker at rest ≤ node:cluster's worker + 4 MiB (hello: ≤ ${fixed(limit, 1)} MiB)`,
      measured: measured.map(({ target, worker }) => `${target} ${fixed(worker, 1)}`).join(', ') || 'not measured in this run',
      met: measured.length === 0 ? null : measured.every(({ worker }) => worker <= limit),
    });
  }
  if (async !== undefined) {
    const limit = 1.3 * async.loaded.children[0]!;
    const measured = NARWHAL_HELLO.flatMap((target) => {
      const worker = hello(target)?.loaded.children[0];
      return worker === undefined ? [] : [{ target, worker }];
    });
    checks.push({
      goal: `after the hello load, every class's worker ≤ 1.3× the async worker (≤ ${fixed(limit, 1)} MiB)`,
      measured: measured.map(({ target, worker }) => `${target} ${fixed(worker, 1)}`).join(', '),
      met: measured.every(({ worker }) => worker <= limit),
    });
  }
  return checks;
}

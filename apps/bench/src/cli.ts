// Design: `pnpm bench` runs every workload against every target that can run here and writes
// results/latest.{json,md} plus one SVG per workload; `--docs` also rewrites
// apps/docs/benchmarks.md. `--quick` shortens each cell to a few seconds (the CI smoke test).
// Filters: `--workload hello,json`, `--target async,node-http-2` (`--help` lists every flag). Within a workload the rounds
// go round-robin over the targets (each round a fresh start and a warm-up). `--update` measures
// the chosen workloads again and puts them into the previous results in place of their old cells.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureRound, mergeRounds, type Cell, type Skipped } from './measure.js';
import { checksMarkdown, checkTargets, markdown, svgChart, type RunResult } from './report.js';
import type { ScenarioModule } from './scenario.js';
import { ensureSystemTools } from './setup.js';
import { timeToFirstResponse } from './startup.js';
import { PYTHON, TARGETS, type Target } from './targets.js';

export const WORKLOADS = ['hello', 'json', 'cpu', 'io', 'download', 'upload', 'hello-tls', 'hello-h2'] as const;
type Workload = (typeof WORKLOADS)[number];
const BENCH = fileURLToPath(new URL('..', import.meta.url));


/** The flags, each with the line `--help` prints for it: the one place they are listed. */
const FLAGS = {
  workload: { type: 'string', help: `--workload a,b   the workloads to run (default: all): ${WORKLOADS.join(', ')}` },
  target: { type: 'string', help: '--target a,b     the targets to measure (default: every one that can run here; ids as in the tables)' },
  rounds: { type: 'string', help: '--rounds N       rounds per target (default: 3, or 1 with --quick), round-robin over the targets, each from a fresh start; the median is kept' },
  seconds: { type: 'string', help: '--seconds N      the load per round (default: 5, or 2 with --quick)' },
  warmup: { type: 'string', help: '--warmup N       the warm-up before each round (default: 2, or 1 with --quick)' },
  quick: { type: 'boolean', default: false, help: '--quick          short cells (the CI smoke test)' },
  out: { type: 'string', default: join(BENCH, 'results'), help: '--out DIR        where latest.{json,md} and the charts go (default: apps/bench/results)' },
  docs: { type: 'boolean', default: false, help: '--docs           also rewrite apps/docs/benchmarks.md' },
  update: { type: 'boolean', default: false, help: '--update         measure the chosen workloads again, in place of their tables in the previous results' },
  help: { type: 'boolean', short: 'h', default: false, help: '--help, -h       this list' },
} as const;

const USAGE = ['usage: pnpm bench [flags]', '', ...Object.values(FLAGS).map((flag) => `  ${flag.help}`)].join('\n');

/** The command line; a bad flag throws, and is reported in one line below. */
function readOptions() {
  const { values } = parseArgs({ options: FLAGS });
  // Each workload's table is one run: a partial --update would drop the other targets' cells.
  if (values.update && values.target !== undefined) throw new Error('--update measures whole workloads again, so that each table stays one run: drop --target (choose workloads with --workload)');
  return values;
}

const list = (text: string | undefined, all: readonly string[]): string[] => {
  if (text === undefined) return [...all];
  const picked = text.split(',').map((item) => item.trim());
  for (const item of picked) if (!all.includes(item)) throw new Error(`unknown '${item}'; choose from ${all.join(', ')}`);
  return picked;
};

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0]!;
  } catch (error) {
    return ((error as { stdout?: string; stderr?: string }).stdout || (error as { stderr?: string }).stderr || 'not installed').toString().trim().split('\n')[0]!;
  }
}

function machine(): Record<string, string> {
  const packageVersion = (name: string): string => {
    try {
      return (JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  return {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: release(),
    node: process.version,
    wrk: version('wrk', ['-v']),
    h2load: version('h2load', ['--version']),
    gunicorn: version(PYTHON, ['-m', 'gunicorn', '--version']),
    pm2: packageVersion('pm2'),
    uWebSockets: packageVersion('uWebSockets.js'),
    tcp_migrate_req: version('cat', ['/proc/sys/net/ipv4/tcp_migrate_req']),
  };
}

async function main(): Promise<void> {
  const values = readOptions();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick === true;
  const options = {
    warmupSeconds: Number(values.warmup ?? (quick ? 1 : 2)),
    rounds: Number(values.rounds ?? (quick ? 1 : 3)),
    seconds: Number(values.seconds ?? (quick ? 2 : 5)),
  };
  const stillMissing = ensureSystemTools((line) => console.log(line));
  if (stillMissing.includes('wrk')) throw new Error('wrk is not installed and apt-get could not install it: install Debian\'s wrk package (apt-get install wrk)');
  const workloads = list(values.workload, WORKLOADS);
  const targets = list(values.target, TARGETS.map((target) => target.id)).map((id) => TARGETS.find((target) => target.id === id)!);
  const cells: Cell[] = [];
  const skipped: Skipped[] = [];
  for (const workload of workloads) {
    const { scenario } = (await import(join(BENCH, 'scenarios', `${workload}.mjs`))) as ScenarioModule;
    const runnable: Target[] = [];
    for (const target of targets) {
      if (target.workloads && !target.workloads.includes(workload)) continue;
      if (scenario.load.tls === true && target.tls !== true) continue;
      if (scenario.load.http2 === true && target.http2 !== true) continue;
      const reason = scenario.load.http2 === true && stillMissing.includes('nghttp2-client') ? 'h2load is not installed (apt-get install nghttp2-client)' : target.unavailable();
      if (reason === undefined) runnable.push(target);
      else {
        skipped.push({ target: target.id, workload, reason });
        console.log(`${workload} × ${target.id}: skipped (${reason})`);
      }
    }
    // Rounds go round-robin over the targets, so a slow spell of this shared machine falls on all alike.
    const parts = new Map<string, Cell[]>(runnable.map((target) => [target.id, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of runnable) {
        const done = parts.get(target.id);
        if (done === undefined) continue;
        try {
          const part = await measureRoundRetried(target, scenario, options, workload);
          done.push(part);
          console.log(`${workload} × ${target.id}, round ${round}: ${part.requestsPerSecond.toFixed(0)} req/s`);
        } catch (error) {
          parts.delete(target.id);
          skipped.push({ target: target.id, workload, reason: `failed: ${(error as Error).message.split('\n')[0]}` });
          console.log(`${workload} × ${target.id}: FAILED ${(error as Error).message}`);
        }
      }
    }
    for (const target of runnable) {
      const done = parts.get(target.id);
      if (done === undefined) continue;
      const cell = mergeRounds(done);
      cells.push(cell);
      console.log(`${workload} × ${target.id}: ${cell.requestsPerSecond.toFixed(0)} req/s, p99 ${cell.p99Ms.toFixed(2)} ms, ${cell.errors} errors, ${cell.non2xx} non-2xx, peak ${cell.peakRssMiB.toFixed(1)} MiB`);
    }
  }
  const startup = targets.some((target) => target.id === 'async') ? { firstResponseMs: await timeToFirstResponse() } : null;
  const command = `pnpm bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const out = values.out!;
  const fresh: RunResult = { startedAt: new Date().toISOString(), command, machine: machine(), cells, skipped, startup };
  const result = values.update ? replaceWorkloads(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as RunResult, fresh, workloads) : fresh;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const workload of workloads) writeFileSync(join(out, `${workload}.svg`), svgChart(result, workload));
  const checks = checksMarkdown(checkTargets(result));
  const tables = markdown(result);
  writeFileSync(join(out, 'latest.md'), `${tables}\n## Targets\n\n${checks}\n`);
  console.log(`\n${tables}\n${checks}\n\nWritten to ${out}`);
  if (values.docs) writeFileSync(join(BENCH, '..', 'docs', 'benchmarks.md'), docsPage(result, tables, checks));
}

/**
 * One round, tried a second time when the target fails to start or answer: on a shared machine a
 * slow spell can hold a start past its deadline, and one lost start must not drop a target from
 * the whole run. A wrong answer is never retried.
 */
async function measureRoundRetried(target: Target, scenario: ScenarioModule['scenario'], options: Parameters<typeof measureRound>[2], workload: string): Promise<Cell> {
  try {
    return await measureRound(target, scenario, options);
  } catch (error) {
    if ((error as Error).message.startsWith('wrong answer')) throw error;
    console.log(`${workload} × ${target.id}: ${(error as Error).message.split('\n')[0]}; trying once more`);
    return measureRound(target, scenario, options);
  }
}

/** `--update`: the previous run with these workloads measured again (each workload's table stays one run). */
function replaceWorkloads(previous: RunResult, fresh: RunResult, workloads: readonly string[]): RunResult {
  const merged = <T extends { workload: string }>(old: readonly T[], now: readonly T[]): T[] =>
    [...old.filter((item) => !workloads.includes(item.workload)), ...now].sort((a, b) => WORKLOADS.indexOf(a.workload as Workload) - WORKLOADS.indexOf(b.workload as Workload));
  return {
    ...previous,
    command: `${previous.command}, then ${fresh.command} (${fresh.startedAt.slice(0, 16).replace('T', ' ')} UTC)`,
    cells: merged(previous.cells, fresh.cells),
    skipped: merged(previous.skipped, fresh.skipped),
    startup: fresh.startup ?? previous.startup,
  };
}

function docsPage(result: RunResult, tables: string, checks: string): string {
  const machineLines = Object.entries(result.machine).map(([key, value]) => `- ${key}: ${value}`);
  return [
    '# Benchmarks',
    '',
    `The latest full run of \`apps/bench\` (${result.startedAt.slice(0, 10)}): every Narwhal worker class and the servers users would pick instead, on the same workloads, side by side in one run. wrk runs on the same machine (\`-t1\`, loopback), and h2load for hello-h2 (\`-t1 -c64 -m10\`, h2c with prior knowledge); each cell is the median of its rounds, each round a fresh start and a warm-up, the rounds taken in turn across the targets so that the shared machine's slow spells fall on all of them alike. Reproduce with \`${result.command}\` from \`apps/bench\` (or \`pnpm bench\` at the root); one cell: \`pnpm bench --workload hello --target async\`.`,
    '',
    '## Machine',
    '',
    ...machineLines,
    '',
    '## The targets the issues set',
    '',
    checks,
    '',
    '## The WebSocket echo workload',
    '',
    'Not part of this wrk harness: `node websocket-echo.mjs` (in `apps/bench`, after a build) measures messages per second and the p99 round trip of narwhal `-k uws` against bare uWebSockets.js and of narwhal `-k async` (its Fetch `websocket` handler over ws) against ws on node:cluster, and prints each pair\'s ratio (issue 19\'s target: each class ≥ 0.9× its anchor). Every client connection sends a message and waits for its echo before the next, from `--clients` threads of `ws`; `--duration`, `--connections`, `--workers` and `--size` set the rest. Its latest figures are in [websockets.md](websockets.md#performance).',
    '',
    '## Results',
    '',
    tables.replace(/\(results\//g, '(../bench/results/'),
  ].join('\n');
}

try {
  await main();
} catch (error) {
  // A bad flag or a missing tool is one line, not a stack trace.
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
}

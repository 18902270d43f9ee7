// Design: `narwhal ctl` and `narwhal status` for people: a table of the workers, `key: value`
// lines for the rest. Scripts take `--json`, which prints the answer as the server sent it.

import type { ServerStats } from '../arbiter/control-commands.js';
import type { WorkerStatus } from '../arbiter/worker-status.js';

const COLUMNS = ['PID', 'AGE#', 'CLASS', 'STATE', 'UP', 'REQUESTS', 'IN-FLIGHT', 'RSS', 'LAST BEAT'] as const;

/** The workers as a table, one line each, oldest first. */
export function renderWorkers(workers: readonly WorkerStatus[]): string {
  const rows = workers.map((worker) => [
    String(worker.pid),
    String(worker.age),
    worker.workerClass,
    worker.state,
    duration(worker.uptime),
    worker.requests === null ? '-' : String(worker.requests),
    worker.inFlight === null ? '-' : String(worker.inFlight),
    worker.rss === null ? '-' : `${(worker.rss / 1048576).toFixed(1)}M`,
    `${worker.lastBeat.toFixed(1)}s ago`,
  ]);
  const table = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `narwhal status`: one line about the arbiter, then the table. */
export function renderStatus(stats: ServerStats, workers: readonly WorkerStatus[]): string {
  return `narwhal (pid:${stats.pid}) ${stats.phase}, up ${duration(stats.uptime)}: ${workers.filter((worker) => worker.state !== 'booting').length} of ${stats.target} workers serving\n${renderWorkers(workers)}`;
}

/** Any other answer: its message, or its fields as `key: value` lines. */
export function renderAnswer(command: readonly string[], data: unknown): string {
  const [verb, what] = command;
  if (verb === 'show' && what === 'workers') return renderWorkers(data as WorkerStatus[]);
  if (verb === 'show' && (what === undefined || what === 'all')) {
    const all = data as { stats: ServerStats; workers: WorkerStatus[]; listeners: string[]; config: object };
    return [renderStatus(all.stats, all.workers), renderAnswer(['show', 'listeners'], all.listeners), renderFields(all.config)].join('\n');
  }
  if (Array.isArray(data)) return data.map(String).join('\n') + '\n';
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') return `${(data as { message: string }).message}\n`;
  return renderFields(data as object);
}

function renderFields(fields: object): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n') + '\n';
}

/** 5s, 3m04s, 2h05m. */
function duration(seconds: number): string {
  const whole = Math.floor(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor(whole / 60) % 60).padStart(2, '0')}m`;
}

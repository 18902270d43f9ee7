// Design: the control socket's commands, with Gunicorn 26's names. Every command that changes
// something queues the signal that does the same (TTIN, TTOU, HUP, USR1, TERM, INT) into the
// arbiter's loop, exactly as kill(1) would, and `worker kill` sends the worker the TERM Gunicorn
// sends: there is one implementation of each action, the signal's. What the `show` commands
// return is plain JSON, printed as it is by `narwhal ctl --json`.

import { NarwhalError } from '../errors.js';
import type { PlainSettings } from '../config/types.js';
import type { Logger } from '../log/create-logger.js';
import type { WorkerStatus } from './worker-status.js';

export type ControlSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT' | 'SIGTTIN' | 'SIGTTOU' | 'SIGUSR1';

/** What `show stats` says of the arbiter. */
export interface ServerStats {
  readonly pid: number;
  readonly phase: string;
  /** Seconds since the arbiter started. */
  readonly uptime: number;
  /** Worker processes now, and the number the arbiter keeps (TTIN/TTOU and `worker add|remove` change it). */
  readonly workers: number;
  readonly target: number;
  /** Workers spawned since the start, and reloads (HUP) begun. */
  readonly spawned: number;
  readonly reloads: number;
}

/** What the commands need of the arbiter. */
export interface ControlledArbiter {
  /** Queues `name` as if it had been sent to the arbiter; resolves once the loop has handled it. */
  /** Queues `times` of the signal at once (one pass of the arbiter loop); resolves when the last is handled. */
  signal(name: ControlSignal, times?: number): Promise<void>;
  /** Sends TERM to one worker; false when no worker has that pid. */
  killWorker(pid: number): boolean;
  workers(): Promise<WorkerStatus[]>;
  stats(): ServerStats;
  config(): PlainSettings;
  /** The addresses served: the app's, the metrics listener's, the control socket's. */
  listeners(): string[];
}

/** The commands, as `help` lists them. */
export const CONTROL_COMMANDS = [
  'show workers|config|stats|listeners|all',
  'worker add [N]',
  'worker remove [N]',
  'worker kill PID',
  'reload',
  'reopen',
  'shutdown [graceful|quick]',
  'help',
] as const;

/** Above this, `worker add N` is a typo rather than a plan. */
const MAX_STEP = 1000;

export async function runControlCommand(command: string, server: ControlledArbiter, log: Logger): Promise<unknown> {
  const words = command.trim().split(/\s+/);
  const [verb, what, argument, ...extra] = words;
  const unknown = (): NarwhalError => commandError(`unknown command "${command.trim()}"; run \`narwhal ctl help\``);
  if (verb === 'worker' || verb === 'reload' || verb === 'reopen' || verb === 'shutdown') log.info(`Control command: ${words.join(' ')}`);
  switch (verb) {
    case 'show':
      if (argument !== undefined) throw unknown();
      return show(what ?? 'all', server, unknown);
    case 'worker': {
      if (extra.length > 0) throw unknown();
      if (what === 'kill') {
        const pid = count(argument, 'worker kill PID', null);
        if (!server.killWorker(pid)) throw commandError(`no worker with pid ${pid}`);
        return { message: `Sent TERM to worker ${pid}; the arbiter replaces it`, pid };
      }
      if (what !== 'add' && what !== 'remove') throw unknown();
      const step = count(argument, `worker ${what} N`, 1);
      await server.signal(what === 'add' ? 'SIGTTIN' : 'SIGTTOU', step);
      const { target } = server.stats();
      return { message: `Workers: ${target} wanted${what === 'remove' && target === 1 ? ' (never fewer than 1)' : ''}`, target };
    }
    case 'reload':
    case 'reopen':
      if (what !== undefined) throw unknown();
      await server.signal(verb === 'reload' ? 'SIGHUP' : 'SIGUSR1');
      return { message: verb === 'reload' ? 'Reloading: new workers start, the old ones stop once they serve' : 'Log files reopened' };
    case 'shutdown': {
      if (argument !== undefined || (what !== undefined && what !== 'graceful' && what !== 'quick')) throw unknown();
      const quick = what === 'quick';
      // Not awaited: the answer must leave before the arbiter does.
      void server.signal(quick ? 'SIGINT' : 'SIGTERM');
      return { message: quick ? 'Shutting down now (INT)' : 'Shutting down gracefully (TERM)' };
    }
    case 'help':
      return { message: CONTROL_COMMANDS.join('\n'), commands: CONTROL_COMMANDS };
    default:
      throw unknown();
  }
}

async function show(what: string, server: ControlledArbiter, unknown: () => NarwhalError): Promise<unknown> {
  switch (what) {
    case 'workers':
      return server.workers();
    case 'stats':
      return server.stats();
    case 'config':
      return server.config();
    case 'listeners':
      return server.listeners();
    case 'all':
      return { stats: server.stats(), workers: await server.workers(), listeners: server.listeners(), config: server.config() };
    default:
      throw unknown();
  }
}

/** A positive whole number argument, or `fallback` when it is absent (null: required). */
function count(text: string | undefined, usage: string, fallback: number | null): number {
  if (text === undefined && fallback !== null) return fallback;
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < 1 || (fallback !== null && value > MAX_STEP)) {
    throw commandError(`${usage}: expected a positive whole number${fallback === null ? '' : ` up to ${MAX_STEP}`}, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  }
  return value;
}

function commandError(message: string): NarwhalError {
  return new NarwhalError('NARWHAL_E_CONTROL_COMMAND', message);
}

// Design: a small load generator whose every request is accounted for, since "no request failed"
// is what the retire-under-load and chaos suites assert (an HTTP benchmark's socket-error
// total does not say which request failed, or whether it was ever sent). Each lane holds one
// connection with at most one request outstanding, so a failure is always one known request:
//   failed    written on an established connection, and no complete response came (reset,
//             close, deadline), or the response was not 2xx
//   refused   the connection was never established (ECONNREFUSED once the server is gone):
//             no request was written, so nothing failed; counted apart. A phase may also
//             count as `unaccepted` (a kind of refused) a connection whose first request got
//             not a byte back (reset, or closed): one the server never took, because it was
//             stopping and the kernel queued it on a socket nobody would accept from again,
//             or because the reuseport listener it was queued on closed (see PhaseOptions)
// A lane reconnects when the server closes between responses or answers `Connection: close`;
// without keep-alive (sync) it opens a connection per request. Responses are read with the
// kit's strict parser, and the body of /pid tags each connection with the worker serving it.

import { connect, type Socket } from 'node:net';
import { headerValue, parseResponses } from './raw-response.js';

export interface LoadOptions {
  readonly port: number;
  readonly host?: string;
  /** Connections kept busy at once. */
  readonly connections: number;
  /** false: a connection per request, announced with `Connection: close` (for classes without keep-alive). */
  readonly keepAlive: boolean;
  /** Default `/pid`, whose body names the worker that answered. */
  readonly path?: string;
  /** A request not answered within this is failed (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** One phase's tally: `sent` = `completed` + `failed` + `unaccepted`; `failed` includes `non2xx`. */
export interface PhaseCounts {
  sent: number;
  completed: number;
  failed: number;
  non2xx: number;
  refused: number;
  /** Of `refused`: connected, but no byte came back to the first request (see PhaseOptions). */
  unaccepted: number;
}

export interface PhaseOptions {
  /**
   * Which connections whose first request got not a byte back count as `unaccepted` instead of
   * failed: none (default), those opened during the phase (`opened-during-phase`: the server is
   * stopping, so a new connection may be queued and never taken), or any (`any`: the class's
   * SO_REUSEPORT listeners reset their queues when they close).
   */
  readonly unaccepted?: 'none' | 'opened-during-phase' | 'any';
}

/** A request that failed, with what is needed to tell where it was. */
export interface FailedRequest {
  readonly phase: string;
  /** The worker pid that answered earlier on the same connection, if any did. */
  readonly workerPid: number | undefined;
  /** performance.now() when it was written, and when it failed. */
  readonly writtenAt: number;
  readonly failedAt: number;
  /** performance.now() when its connection was established: a worker may have accepted it from then on. */
  readonly connectedAt: number;
  readonly reason: string;
}

/** A request being answered now. */
export interface InFlightRequest {
  readonly workerPid: number | undefined;
  readonly writtenAt: number;
}

const RETRY_AFTER_REFUSAL_MS = 20;

export class Load {
  readonly #options: LoadOptions;
  readonly #request: Buffer;
  readonly #phases = new Map<string, PhaseCounts>();
  readonly #lanes: Lane[] = [];
  readonly #failures: FailedRequest[] = [];
  #phase: PhaseCounts;
  #phaseName: string;
  #phaseOptions: PhaseOptions = {};
  #phaseStartedAt = 0;
  #running = true;
  #done: Promise<void>;

  /** Starts the load at once, counting under `firstPhase`. */
  constructor(options: LoadOptions, firstPhase = 'load', phaseOptions: PhaseOptions = {}) {
    this.#options = options;
    const path = options.path ?? '/pid';
    this.#request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${options.keepAlive ? '' : 'Connection: close\r\n'}\r\n`, 'latin1');
    this.#phaseName = firstPhase;
    this.#phase = this.#newPhase(firstPhase);
    this.#phaseOptions = phaseOptions;
    for (let index = 0; index < options.connections; index++) this.#lanes.push(new Lane(this));
    this.#done = Promise.all(this.#lanes.map((lane) => lane.run())).then(() => undefined);
  }

  /** Counts what is written from now on under `name`; requests already written stay in theirs. */
  phase(name: string, options: PhaseOptions = {}): void {
    this.#phaseName = name;
    this.#phase = this.#newPhase(name);
    this.#phaseOptions = options;
    this.#phaseStartedAt = performance.now();
  }

  /** Stops writing, waits for the requests in flight, and returns every phase's tally. */
  async stop(): Promise<Map<string, PhaseCounts>> {
    this.#running = false;
    await this.#done;
    return this.#phases;
  }

  get running(): boolean {
    return this.#running;
  }

  get failures(): readonly FailedRequest[] {
    return this.#failures;
  }

  /** The requests written and not yet over. */
  inFlight(): InFlightRequest[] {
    return this.#lanes.flatMap((lane) => lane.outstanding ?? []);
  }

  /** Total requests answered with 2xx so far, over all phases. */
  completed(): number {
    let total = 0;
    for (const counts of this.#phases.values()) total += counts.completed;
    return total;
  }

  /** The distinct worker pids that answered so far. */
  workerPids(): Set<number> {
    return new Set(this.#lanes.flatMap((lane) => [...lane.seenPids]));
  }

  /** @internal */
  get options(): LoadOptions {
    return this.#options;
  }

  /** @internal */
  get requestBytes(): Buffer {
    return this.#request;
  }

  /** @internal the phase a request written now belongs to. */
  current(): { name: string; counts: PhaseCounts; options: PhaseOptions; startedAt: number } {
    return { name: this.#phaseName, counts: this.#phase, options: this.#phaseOptions, startedAt: this.#phaseStartedAt };
  }

  /** @internal */
  recordFailure(failure: FailedRequest): void {
    this.#failures.push(failure);
  }

  #newPhase(name: string): PhaseCounts {
    const counts = { sent: 0, completed: 0, failed: 0, non2xx: 0, refused: 0, unaccepted: 0 };
    this.#phases.set(name, counts);
    return counts;
  }
}

type Outcome = { kind: 'response'; status: number; body: string; closes: boolean } | { kind: 'lost'; reason: string; silent: boolean };

/** One connection at a time, one request at a time. */
class Lane {
  readonly #load: Load;
  #socket: Socket | null = null;
  #buffer: Buffer = Buffer.alloc(0);
  #workerPid: number | undefined;
  #connectedAt = 0;
  #requestsOnConnection = 0;
  #settle: ((outcome: Outcome) => void) | null = null;
  /** Set while a request is written and not over. */
  outstanding: InFlightRequest | null = null;
  readonly seenPids = new Set<number>();

  constructor(load: Load) {
    this.#load = load;
  }

  async run(): Promise<void> {
    while (this.#load.running) {
      if (this.#socket === null) {
        const connected = await this.#connect();
        if (!connected) {
          this.#load.current().counts.refused++;
          await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_REFUSAL_MS));
          continue;
        }
      }
      await this.#exchange();
    }
    this.#drop();
  }

  #connect(): Promise<boolean> {
    const { port, host = '127.0.0.1' } = this.#load.options;
    return new Promise((resolve) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', refused);
        this.#adopt(socket);
        resolve(true);
      });
      const refused = (): void => {
        socket.destroy();
        resolve(false);
      };
      socket.once('error', refused);
    });
  }

  #adopt(socket: Socket): void {
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    this.#workerPid = undefined;
    this.#connectedAt = performance.now();
    this.#requestsOnConnection = 0;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#read(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.#lost(socket, error.code ?? error.message));
    socket.on('close', () => {
      this.#read(true);
      this.#lost(socket, 'closed without a complete response');
    });
  }

  #read(closed: boolean): void {
    if (this.#settle === null) return;
    const parsed = parseResponses(this.#buffer, { closed });
    const response = parsed.responses.find((candidate) => !candidate.interim);
    if (response === undefined) {
      if (parsed.malformed !== undefined) this.#finish({ kind: 'lost', reason: `malformed response: ${parsed.malformed}`, silent: false });
      return;
    }
    this.#buffer = parsed.rest;
    const closes = closed || headerValue(response, 'connection')?.toLowerCase() === 'close';
    this.#finish({ kind: 'response', status: response.status, body: response.body.toString('latin1'), closes });
  }

  #lost(socket: Socket, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    socket.destroy();
    this.#finish({ kind: 'lost', reason, silent: this.#buffer.length === 0 });
  }

  #finish(outcome: Outcome): void {
    const settle = this.#settle;
    this.#settle = null;
    settle?.(outcome);
  }

  async #exchange(): Promise<void> {
    const socket = this.#socket!;
    const { name, counts, options, startedAt } = this.#load.current();
    const writtenAt = performance.now();
    const firstOnConnection = this.#requestsOnConnection++ === 0;
    this.outstanding = { workerPid: this.#workerPid, writtenAt };
    counts.sent++;
    const timeoutMs = this.#load.options.requestTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<Outcome>((resolve) => {
      this.#settle = resolve;
      timer = setTimeout(() => this.#finish({ kind: 'lost', reason: `no response within ${timeoutMs} ms`, silent: false }), timeoutMs);
      socket.write(this.#load.requestBytes);
    });
    clearTimeout(timer);
    this.outstanding = null;
    const fail = (reason: string): void => {
      counts.failed++;
      this.#load.recordFailure({ phase: name, workerPid: this.#workerPid, writtenAt, failedAt: performance.now(), connectedAt: this.#connectedAt, reason });
    };
    if (outcome.kind === 'lost') {
      const unaccepted = options.unaccepted === 'any' || (options.unaccepted === 'opened-during-phase' && this.#connectedAt >= startedAt);
      if (unaccepted && firstOnConnection && outcome.silent) {
        counts.refused++;
        counts.unaccepted++;
      } else fail(outcome.reason);
      this.#drop();
      return;
    }
    if (outcome.status < 200 || outcome.status > 299) {
      counts.non2xx++;
      fail(`answered ${outcome.status}`);
    } else {
      counts.completed++;
      const pid = Number(outcome.body);
      if (Number.isInteger(pid) && pid > 0) {
        this.#workerPid = pid;
        this.seenPids.add(pid);
      }
    }
    if (outcome.closes || !this.#load.options.keepAlive) this.#drop();
  }

  /** Closes this lane's connection, if any, without counting anything. */
  #drop(): void {
    const socket = this.#socket;
    this.#socket = null;
    socket?.destroy();
  }
}

/** The tallies as a table, one phase a line, for a test's output. */
export function formatPhases(phases: ReadonlyMap<string, PhaseCounts>): string {
  const columns = ['sent', 'completed', 'failed', 'non2xx', 'refused', 'unaccepted'] as const;
  const width = Math.max(5, ...[...phases.keys()].map((name) => name.length));
  const lines = [`${'phase'.padEnd(width)}  ${columns.map((column) => column.padStart(12)).join('')}`];
  for (const [name, counts] of phases) lines.push(`${name.padEnd(width)}  ${columns.map((column) => String(counts[column]).padStart(12)).join('')}`);
  return lines.join('\n');
}

/** The first `limit` failures in words, times relative to `origin` (performance.now()). */
export function describeFailures(failures: readonly FailedRequest[], origin = 0, limit = 10): string {
  const shown = failures.slice(0, limit).map((failure) => `${failure.phase}: ${failure.reason} (worker ${failure.workerPid ?? 'unknown'}, written at ${Math.round(failure.writtenAt - origin)} ms, failed at ${Math.round(failure.failedAt - origin)} ms)`);
  if (failures.length > limit) shown.push(`… and ${failures.length - limit} more`);
  return shown.join('\n');
}

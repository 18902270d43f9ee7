// Design: a target is one server setup the bench measures: every Narwhal worker class under
// both app contracts (and with Express on json), and the anchors users would pick instead (bare
// node:http, node:cluster with node:http or with @hono/node-server for a Fetch handler, bare
// uWS, PM2, Gunicorn). The TLS workloads run the targets that declare `tls`: each class against
// node:https on node:cluster (sync against one that closes every connection, as sync does; gthread
// also against one whose workers hand every request to a piscina pool, as gthread does), and uws
// against bare uWS's SSLApp. The HTTP/2 workloads run the targets that declare `http2`: async (the
// one class that serves HTTP/2) against node:http2 on node:cluster, both over h2c.
// Each starts in its own process group on a port the harness chose and serves a scenario file
// unchanged. A target that cannot run here says why (`unavailable`) and is reported as skipped.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CertificateFiles } from './certificate.js';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(BENCH, '..', '..');
const NARWHAL = join(REPO, 'packages/core/bin/narwhal.js');
const require = createRequire(import.meta.url);
/** Debian's python3, where python3-gunicorn and python3-gevent install (a pyenv shim earlier on PATH would not see them). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface Running {
  /** The processes whose tree is measured. */
  readonly roots: readonly number[];
  stop(): Promise<void>;
}

export interface Target {
  readonly id: string;
  /** How the report names it, with its process count. */
  readonly label: string;
  readonly kind: 'narwhal' | 'anchor';
  /** Measured only on these workloads (default: all). */
  readonly workloads?: readonly string[];
  /** Measured on the TLS workloads too (which run only such targets). */
  readonly tls?: boolean;
  /** Measured on the HTTP/2 workloads too (which run only such targets). */
  readonly http2?: boolean;
  /** Why it cannot run on this machine, or undefined. */
  unavailable(): string | undefined;
  /** Starts serving `scenario` on `port`, over TLS with `tls`'s files when given, over h2c (prior knowledge) with `http2`. */
  start(scenario: string, port: number, tls?: CertificateFiles, http2?: boolean): Running;
}

function launch(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, stdio: (number | 'ignore' | 'inherit')[] = ['ignore', 'ignore', 'ignore']): ChildProcess {
  return spawn(command, args, { cwd: BENCH, env: { ...process.env, ...env }, stdio, detached: true });
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      // Stragglers in the group (workers of a killed master) go too.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      resolve();
    });
    try {
      process.kill(-child.pid!, signal);
    } catch {
      resolve();
    }
  });
}

function single(child: ChildProcess, signal?: NodeJS.Signals): Running {
  return { roots: [child.pid!], stop: () => stopGroup(child, signal) };
}

function workerBuilt(name: string): string | undefined {
  return existsSync(join(REPO, `packages/worker-${name}/dist/index.js`)) ? undefined : `@narwhal/worker-${name} is not built (pnpm build)`;
}

/** What a Narwhal target serves: the scenario's Node listener, its Fetch handler, or its Express app (scenarios/express/). */
type Contract = 'node' | 'fetch' | 'express';

const appOf = (scenario: string, contract: Contract): string => (contract === 'express' ? `scenarios/express/${scenario}.mjs` : `scenarios/${scenario}.mjs:${contract}`);

/** Narwhal's flags for h2c with prior knowledge beside HTTP/1.1 (apps/docs/http2.md). */
const H2C_FLAGS = ['--http-protocols', 'h1,h2', '--http2-cleartext', 'prior-knowledge'];

function narwhal(id: string, label: string, workerClass: string, flags: readonly string[], contract: Contract, workloads?: readonly string[], tls = false, http2 = false): Target {
  return {
    id,
    label,
    kind: 'narwhal',
    workloads,
    tls,
    http2,
    unavailable: () => workerBuilt(workerClass),
    start: (scenario, port, files, h2c) =>
      single(launch(process.execPath, [NARWHAL, '-k', join(REPO, `packages/worker-${workerClass}`), ...flags, ...tlsFlags('--certfile', '--keyfile', files), ...(h2c === true ? H2C_FLAGS : []), '-b', `127.0.0.1:${port}`, '--timeout', '120', '--log-level', 'warning', appOf(scenario, contract)])),
  };
}

/** The certificate and key as a server's flags, or none. */
function tlsFlags(certFlag: string, keyFlag: string, files: CertificateFiles | undefined): string[] {
  return files === undefined ? [] : [certFlag, files.cert, keyFlag, files.key];
}

/** Where every class is measured under both contracts (and, for json, with Express). */
const BOTH_CONTRACTS = ['hello', 'json', 'upload'];

function commandWorks(command: string, args: readonly string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    return `\`${command} ${args.join(' ')}\` failed (${(error as NodeJS.ErrnoException).code ?? 'non-zero exit'}); apt-get install python3-gunicorn python3-gevent`;
  }
}

function gunicorn(id: string, label: string, flags: readonly string[], needsGevent = false): Target {
  return {
    id,
    label,
    kind: 'anchor',
    unavailable: () => commandWorks(PYTHON, ['-c', needsGevent ? 'import gunicorn, gevent' : 'import gunicorn']),
    start: (scenario, port) =>
      single(launch(PYTHON, ['-m', 'gunicorn', ...flags, '-b', `127.0.0.1:${port}`, '--chdir', join(BENCH, 'anchors/gunicorn'), '--log-level', 'warning', `wsgi_apps:${scenario}`]), 'SIGINT'),
  };
}

type CreateServerHandle = (address: string, port: number, addressType: number) => { fd: number; close(): void } | number;

/** N bare node:http processes listening on one socket the harness bound (no master). */
function sharedSocketNode(processes: number): Target {
  return {
    id: `node-http-${processes}`,
    label: `node:http, ${processes} processes sharing one socket`,
    kind: 'anchor',
    unavailable: () => undefined,
    start(scenario, port) {
      const create = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;
      const handle = create('127.0.0.1', port, 4);
      if (typeof handle === 'number') throw new Error(`cannot bind 127.0.0.1:${port} (${handle})`);
      const children = Array.from({ length: processes }, () => launch(process.execPath, ['anchors/node-http-server.mjs', '--scenario', scenario, '--fd', '3'], {}, ['ignore', 'ignore', 'ignore', handle.fd]));
      return {
        roots: children.map((child) => child.pid!),
        async stop() {
          await Promise.all(children.map((child) => stopGroup(child)));
          handle.close();
        },
      };
    },
  };
}

function uwsAvailable(): string | undefined {
  try {
    const uws = require('uWebSockets.js') as { App: () => unknown };
    return /native code/.test(String(uws.App)) ? undefined : 'no native uWebSockets.js build for this Node.js';
  } catch (error) {
    return `uWebSockets.js does not load: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** gthread's model without Narwhal: node:cluster workers each handing every request to a piscina pool of `threads` (anchors/pool-server.mjs). */
function poolCluster(id: string, threads: number, workloads: readonly string[]): Target {
  return {
    id,
    label: `node:cluster, 2 workers, each with a piscina pool of ${threads} thread${threads === 1 ? '' : 's'}`,
    kind: 'anchor',
    tls: true,
    workloads,
    unavailable: () => undefined,
    start: (scenario, port, files) => single(launch(process.execPath, ['anchors/node-cluster.mjs', '--server', 'pool', '--threads', String(threads), '--scenario', scenario, '--port', String(port), '--workers', '2', ...tlsFlags('--cert', '--key', files)])),
  };
}

const pm2Runtime = (): string => join(BENCH, 'node_modules/pm2/bin/pm2-runtime');

/** Every target, in report order: Narwhal's classes first, then the anchors. */
export const TARGETS: readonly Target[] = [
  narwhal('sync', 'narwhal -k sync -w 2', 'sync', ['-w', '2'], 'node', undefined, true),
  narwhal('sync-fetch', 'narwhal -k sync -w 2 (Fetch handler)', 'sync', ['-w', '2'], 'fetch', BOTH_CONTRACTS),
  narwhal('gthread', 'narwhal -k gthread -w 2 --threads 2', 'gthread', ['-w', '2', '--threads', '2'], 'node', undefined, true),
  narwhal('gthread-t1', 'narwhal -k gthread -w 2 --threads 1', 'gthread', ['-w', '2', '--threads', '1'], 'node', BOTH_CONTRACTS),
  narwhal('gthread-t1-fetch', 'narwhal -k gthread -w 2 --threads 1 (Fetch handler)', 'gthread', ['-w', '2', '--threads', '1'], 'fetch', BOTH_CONTRACTS),
  narwhal('async', 'narwhal -k async -w 2', 'async', ['-w', '2'], 'node', undefined, true, true),
  narwhal('async-fetch', 'narwhal -k async -w 2 (Fetch handler)', 'async', ['-w', '2'], 'fetch', BOTH_CONTRACTS),
  narwhal('uws', 'narwhal -k uws -w 2 (Fetch handler)', 'uws', ['-w', '2'], 'fetch', undefined, true),
  narwhal('uws-node', 'narwhal -k uws -w 2 (Node listener)', 'uws', ['-w', '2'], 'node', BOTH_CONTRACTS),
  narwhal('sync-express', 'narwhal -k sync -w 2 (Express)', 'sync', ['-w', '2'], 'express', ['json']),
  narwhal('gthread-t1-express', 'narwhal -k gthread -w 2 --threads 1 (Express)', 'gthread', ['-w', '2', '--threads', '1'], 'express', ['json']),
  narwhal('async-express', 'narwhal -k async -w 2 (Express)', 'async', ['-w', '2'], 'express', ['json']),
  narwhal('uws-express', 'narwhal -k uws -w 2 (Express)', 'uws', ['-w', '2'], 'express', ['json']),
  narwhal('sync-w1', 'narwhal -k sync -w 1', 'sync', ['-w', '1'], 'node', ['cpu']),
  narwhal('gthread-w1-t2', 'narwhal -k gthread -w 1 --threads 2', 'gthread', ['-w', '1', '--threads', '2'], 'node', ['cpu']),
  {
    id: 'node-http-1',
    label: 'node:http, 1 process',
    kind: 'anchor',
    unavailable: () => undefined,
    start: (scenario, port) => single(launch(process.execPath, ['anchors/node-http-server.mjs', '--scenario', scenario, '--port', String(port)])),
  },
  sharedSocketNode(2),
  {
    id: 'node-cluster',
    label: 'node:cluster, 2 workers',
    kind: 'anchor',
    tls: true,
    http2: true,
    unavailable: () => undefined,
    start: (scenario, port, files, h2c) =>
      single(launch(process.execPath, ['anchors/node-cluster.mjs', '--scenario', scenario, '--port', String(port), '--workers', '2', ...tlsFlags('--cert', '--key', files), ...(h2c === true ? ['--http2'] : [])])),
  },
  {
    // sync closes every connection, so over TLS each request pays a full handshake: its fair anchor does too.
    id: 'node-cluster-close',
    label: 'node:cluster, 2 workers, closing every connection',
    kind: 'anchor',
    tls: true,
    workloads: ['hello-tls'],
    unavailable: () => undefined,
    start: (scenario, port, files) => single(launch(process.execPath, ['anchors/node-cluster.mjs', '--scenario', scenario, '--port', String(port), '--workers', '2', '--close', ...tlsFlags('--cert', '--key', files)])),
  },
  poolCluster('node-cluster-pool', 2, ['hello', 'hello-tls']),
  poolCluster('node-cluster-pool-t1', 1, ['hello']),
  {
    id: 'hono-cluster',
    label: 'node:cluster, 2 workers, @hono/node-server (Fetch handler)',
    kind: 'anchor',
    workloads: BOTH_CONTRACTS,
    unavailable: () => undefined,
    start: (scenario, port) => single(launch(process.execPath, ['anchors/node-cluster.mjs', '--server', 'hono', '--scenario', scenario, '--port', String(port), '--workers', '2'])),
  },
  {
    id: 'uws-bare',
    label: 'uWebSockets.js, 2 processes (SO_REUSEPORT)',
    kind: 'anchor',
    tls: true,
    unavailable: uwsAvailable,
    start(scenario, port, files) {
      const children = [0, 1].map(() => launch(process.execPath, ['anchors/uws-server.mjs', '--scenario', scenario, '--port', String(port), ...tlsFlags('--cert', '--key', files)]));
      return { roots: children.map((child) => child.pid!), stop: async () => void (await Promise.all(children.map((child) => stopGroup(child)))) };
    },
  },
  {
    id: 'pm2',
    label: 'PM2 cluster mode, 2 instances',
    kind: 'anchor',
    unavailable: () => (existsSync(pm2Runtime()) ? undefined : 'pm2 is not installed (pnpm install)'),
    start(scenario, port) {
      const home = mkdtempSync(join(tmpdir(), 'narwhal-bench-pm2-'));
      const config = join(home, 'ecosystem.json');
      writeFileSync(config, JSON.stringify({ apps: [{ name: `bench-${scenario}`, script: join(BENCH, 'anchors/node-http-server.mjs'), args: `--scenario ${scenario} --port ${port}`, exec_mode: 'cluster', instances: 2 }] }));
      return single(launch(process.execPath, [pm2Runtime(), 'start', config], { PM2_HOME: home }), 'SIGINT');
    },
  },
  gunicorn('gunicorn-sync', 'Gunicorn -k sync -w 2', ['-k', 'sync', '-w', '2']),
  gunicorn('gunicorn-gthread', 'Gunicorn -k gthread -w 2 --threads 2', ['-k', 'gthread', '-w', '2', '--threads', '2']),
  gunicorn('gunicorn-gevent', 'Gunicorn -k gevent -w 2', ['-k', 'gevent', '-w', '2', '--worker-connections', '1000'], true),
];

// Design: the bench installs its own system tools when they are missing (Debian's wrk, h2load from
// nghttp2-client for the HTTP/2 workloads, and python3-gunicorn/python3-gevent for the Gunicorn
// anchors), so `pnpm bench` works on a fresh machine. When apt-get is not available or fails, the
// cells that need them are reported as skipped with the reason, never dropped.

import { execFileSync, spawnSync } from 'node:child_process';
import { PYTHON } from './targets.js';

interface SystemTool {
  readonly packages: readonly string[];
  readonly present: () => boolean;
}

const succeeds = (command: string, args: readonly string[]): boolean => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

const TOOLS: readonly SystemTool[] = [
  { packages: ['wrk'], present: () => succeeds('sh', ['-c', 'command -v wrk']) },
  { packages: ['nghttp2-client'], present: () => succeeds('sh', ['-c', 'command -v h2load']) },
  { packages: ['python3-gunicorn', 'python3-gevent'], present: () => succeeds(PYTHON, ['-c', 'import gunicorn, gevent']) },
];

/** Installs the missing tools with apt-get (through sudo when not root); returns what is still missing. */
export function ensureSystemTools(log: (line: string) => void): string[] {
  const missing = TOOLS.filter((tool) => !tool.present()).flatMap((tool) => tool.packages);
  if (missing.length === 0 || !succeeds('sh', ['-c', 'command -v apt-get'])) return missing;
  const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing ${missing.join(' ')} with apt-get`);
  try {
    execFileSync(command!, [...prefix, 'update', '-qq'], { stdio: 'ignore', env });
    execFileSync(command!, [...prefix, 'install', '-y', '-qq', ...missing], { stdio: 'ignore', env });
  } catch (error) {
    log(`apt-get could not install ${missing.join(' ')}: ${(error as Error).message.split('\n')[0]}`);
  }
  return TOOLS.filter((tool) => !tool.present()).flatMap((tool) => tool.packages);
}

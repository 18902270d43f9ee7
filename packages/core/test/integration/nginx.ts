// A real nginx (Debian's package, installed by .ci/run) in front of narwhal, as deployments run
// it; started in the foreground on a free port and stopped after each test.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { eventually } from '@narwhal/test-utils';

export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface Nginx {
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The proxy directives of apps/docs/deployment.md's nginx block, as the docs show them. */
export function documentedLocation(): string {
  const doc = readFileSync(new URL('../../../../apps/docs/deployment.md', import.meta.url), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)![1]!;
  return /location \/ \{\n([\s\S]*?)\n\s*\}/.exec(block)![1]!.trim();
}

/** The documented directives, those `overrides` sets again (same directive and header) replaced by its own. */
function withOverrides(documented: string, overrides: string): string {
  const extra = overrides.split(';').map((directive) => directive.trim()).filter(Boolean);
  const keyOf = (directive: string): string => directive.split(/\s+/).slice(0, directive.startsWith('proxy_set_header') ? 2 : 1).join(' ').toLowerCase();
  const replaced = new Set(extra.map(keyOf));
  const kept = documented.split('\n').map((line) => line.trim()).filter((line) => !replaced.has(keyOf(line.replace(/;$/, ''))));
  return [...kept, ...extra.map((directive) => `${directive};`)].join('\n      ');
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts nginx proxying to `upstream` with the documented location block, `location`'s directives added or replacing its own. */
export async function startNginx(dir: string, upstream: string, location: string): Promise<Nginx> {
  const port = await freePort();
  const temp = join(dir, 'nginx-temp');
  mkdirSync(temp, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root root;\n' : ''}daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${temp}/body; proxy_temp_path ${temp}/proxy; fastcgi_temp_path ${temp}/fastcgi; uwsgi_temp_path ${temp}/uwsgi; scgi_temp_path ${temp}/scgi;
  upstream narwhal { server ${upstream}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      ${withOverrides(documentedLocation(), location)}
    }
  }
}
`,
  );
  const child = spawn(NGINX!, ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(
    () =>
      new Promise<boolean | undefined>((resolve) => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        const probe = net.connect(port, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), resolve(true)));
        probe.once('error', () => resolve(undefined));
      }),
    10_000,
  );
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}

import net from 'node:net';
import { fixtureDir, runNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

const async = ['-k', workerClassPath('async')];

/** The error line, after asserting it is the only output line that is not an info log, and has no stack. */
function errorLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n').filter((line) => !/^\[.*\] \[\d+\] \[(INFO|DEBUG)\]/.test(line));
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('user errors: one line naming the cause, a non-zero exit, no stack trace', () => {
  it('a missing app file', async () => {
    const result = await runNarwhal([...async, '-b', '127.0.0.1:0', 'nope.js'], { cwd: fixtureDir({}) });
    expect(result.code).toBe(4);
    expect(errorLine(result.stderr)).toMatch(/^narwhal: app module 'nope\.js' not found in \/.* \[NARWHAL_E_APP_NOT_FOUND\]$/);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a missing export', async () => {
    const result = await runNarwhal([...async, '-b', '127.0.0.1:0', `${fixture('routes-node.mjs')}:nothing`]);
    expect(result.code).toBe(4);
    expect(errorLine(result.stderr)).toMatch(/^narwhal: .*routes-node\.mjs has no export named nothing \[NARWHAL_E_APP_EXPORT\]$/);
  });

  it('an app that throws while loading', async () => {
    const dir = fixtureDir({ 'app.mjs': "throw new Error('cannot start: DATABASE_URL is unset');" });
    const result = await runNarwhal([...async, '-b', '127.0.0.1:0', 'app.mjs'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(errorLine(result.stderr)).toMatch(/^narwhal: app module app\.mjs failed to load: Error: cannot start: DATABASE_URL is unset .*\[NARWHAL_E_APP_LOAD\]$/);
  });

  it('ESM syntax in a CommonJS package (npm 11 `npm init -y`), naming the app file and line and the fix', async () => {
    const dir = fixtureDir({ 'package.json': '{ "name": "x", "type": "commonjs" }', 'app.js': "// my app\nexport default (req, res) => res.end('hi');\n" });
    const result = await runNarwhal([...async, '-b', '127.0.0.1:0', 'app.js'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(errorLine(result.stderr)).toBe(
      `narwhal: app module app.js failed to load: ${dir}/app.js:2 uses ESM syntax (Unexpected token 'export'), but Node loads it as CommonJS; rename it to app.mjs, or set "type": "module" in ${dir}/package.json [NARWHAL_E_APP_LOAD]`,
    );
  });

  it('an unknown worker class, naming the install command', async () => {
    const result = await runNarwhal(['-k', 'frobnitz', fixture('routes-node.mjs')]);
    expect(result.code).toBe(3);
    expect(errorLine(result.stderr)).toBe("narwhal: worker class 'frobnitz' not found (tried @narwhal/worker-frobnitz, narwhal-worker-frobnitz, frobnitz); install it with `npm i @narwhal/worker-frobnitz` [NARWHAL_E_WORKER_CLASS]");
    // `turbo` is installed here, but as a build tool: a short name that only matches an unrelated package does not run it
    const unrelated = await runNarwhal(['-k', 'turbo', fixture('routes-node.mjs')]);
    expect(errorLine(unrelated.stderr)).toContain('(tried @narwhal/worker-turbo, narwhal-worker-turbo, turbo); turbo is installed but neither depends on @narwhal/core nor has the narwhal-worker keyword;');
  });

  it('a metrics port already in use', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const result = await runNarwhal([...async, '-b', '127.0.0.1:0', '--metrics-bind', `127.0.0.1:${port}`, fixture('routes-node.mjs')]);
      expect(result.code).not.toBe(0);
      expect(errorLine(result.stderr)).toBe(`narwhal: --metrics-bind 127.0.0.1:${port}: cannot listen (EADDRINUSE) [NARWHAL_E_BIND]`);
    } finally {
      holder.close();
    }
  });

  it('a port already in use', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const result = await runNarwhal([...async, '-b', `127.0.0.1:${port}`, fixture('routes-node.mjs')]);
      expect(result.code).toBe(1);
      expect(errorLine(result.stderr)).toBe(`narwhal: --bind 127.0.0.1:${port}: the address is already in use [NARWHAL_E_BIND]`);
    } finally {
      server.close();
    }
  });

  it.each([
    [['--workers', 'four'], "narwhal: --workers: 'four' is not an integer [NARWHAL_E_SETTING]"],
    [['--keep-alive', '-3'], "narwhal: --keep-alive: '-3' is below the minimum of 0 [NARWHAL_E_SETTING]"],
    [['--interface', 'grpc'], "narwhal: --interface: 'grpc' is not one of auto, node, fetch [NARWHAL_E_SETTING]"],
    [['--frobnicate'], 'narwhal: unknown option --frobnicate [NARWHAL_E_USAGE]'],
    [['--forwarded-allow-ips', '127.0.0.1,10.0.0.0/33'], "narwhal: --forwarded-allow-ips: '10.0.0.0/33' is not an IP address, a CIDR block (10.0.0.0/8) or * [NARWHAL_E_SETTING]"],
    [['--statsd-host', 'unix:///run/statsd.sock'], "narwhal: --statsd-host: 'unix:///run/statsd.sock': Node cannot send to a unix datagram socket (node:dgram has none); give the statsd server's UDP address, HOST:PORT [NARWHAL_E_SETTING]"],
    [['--statsd-host', 'localhost:80000'], "narwhal: --statsd-host: 'localhost:80000' has port '80000', which is not a number from 1 to 65535 [NARWHAL_E_SETTING]"],
    [['--max-worker-memory', '-256'], "narwhal: --max-worker-memory: '-256' is below the minimum of 0 [NARWHAL_E_SETTING]"],
    [['--max-worker-lifetime', '1h'], "narwhal: --max-worker-lifetime: '1h' is not a number [NARWHAL_E_SETTING]"],
    [['--max-concurrent-recycles', '0'], "narwhal: --max-concurrent-recycles: '0' is below the minimum of 1 [NARWHAL_E_SETTING]"],
    [['--drain-delay', '-1'], "narwhal: --drain-delay: '-1' is below the minimum of 0 [NARWHAL_E_SETTING]"],
    [['--metrics-bind', 'unix:/run/metrics.sock'], "narwhal: --metrics-bind: 'unix:/run/metrics.sock' is not HOST:PORT; the metrics listener takes a TCP address [NARWHAL_E_SETTING]"],
  ])('an invalid setting: %j', async (args, line) => {
    const result = await runNarwhal([...async, ...args, fixture('routes-node.mjs')]);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe(line);
  });

  it('--worker-tmp-dir naming a missing directory, when serving and with --check-config', async () => {
    for (const extra of [[], ['--check-config']]) {
      const result = await runNarwhal([...async, '-b', '127.0.0.1:0', '--worker-tmp-dir', '/nonexistent/narwhal', ...extra, fixture('routes-node.mjs')], { timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toBe("narwhal: --worker-tmp-dir /nonexistent/narwhal: cannot create the workers' heartbeat files there (the directory does not exist) [NARWHAL_E_SETTING]");
    }
  });

  it('no app at all', async () => {
    const result = await runNarwhal([...async], { cwd: fixtureDir({}) });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('narwhal: no APP given; run `narwhal [OPTIONS] MODULE[:EXPORT]` [NARWHAL_E_USAGE]');
  });
});

import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, fixtureDir, get, launchNarwhal, runNarwhal, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const async = ['-k', workerClassPath('async'), '-b', '127.0.0.1:0'];

describe('process settings', () => {
  it('--chdir, --env and --name reach the workers', async () => {
    const root = fixtureDir({ 'svc/app.mjs': "export default (req, res) => res.end([process.cwd(), process.env.GREETING, process.env.SECOND].join('|'));" });
    const narwhal = await startNarwhal([...async, '--chdir', 'svc', '-e', 'GREETING=hello world', '--env=SECOND=2', '-n', 'billing', 'app.mjs'], { cwd: root });
    expect(await get(narwhal.url)).toBe(`${join(root, 'svc')}|hello world|2`);
    const [worker] = narwhal.readyPids();
    expect(readFileSync(`/proc/${worker}/cmdline`, 'utf8')).toMatch(/^narwhal: worker \[billing\]/);
    expect(readFileSync(`/proc/${narwhal.pid}/cmdline`, 'utf8')).toMatch(/^narwhal: master \[billing\]/);
  });

  it('--error-logfile writes the error log there, reopens it on USR1, and --log-level filters it', async () => {
    const dir = fixtureDir({ 'app.mjs': 'export default (req, res) => res.end(String(process.pid));' });
    const file = join(dir, 'error.log');
    const socketPath = join(dir, 'app.sock');
    const narwhal = launchNarwhal(['-k', workerClassPath('async'), '-b', `unix:${socketPath}`, '--error-logfile', file, '--log-level', 'warning', 'app.mjs'], { cwd: dir });
    const worker = Number(await eventually(() => get('http://localhost/', { socketPath })));
    expect(narwhal.stderr()).toBe('');
    process.kill(worker, 'SIGKILL');
    await eventually(() => (readFileSync(file, 'utf8').includes(`Worker (pid:${worker}) was sent SIGKILL!`) ? true : undefined));
    expect(readFileSync(file, 'utf8')).not.toContain('[INFO]');
    expect(readFileSync(file, 'utf8')).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] \[\d+\] \[ERROR\] Worker \(pid:\d+\) was sent SIGKILL! Perhaps out of memory\?$/m);
    const second = Number(await eventually(() => get('http://localhost/', { socketPath })));
    renameSync(file, `${file}.1`);
    narwhal.signal('SIGUSR1');
    await eventually(() => get('http://localhost/', { socketPath }));
    process.kill(second, 'SIGKILL');
    await eventually(() => (existsSync(file) && readFileSync(file, 'utf8').includes(`Worker (pid:${second}) was sent SIGKILL!`) ? true : undefined));
    expect(readFileSync(`${file}.1`, 'utf8')).not.toContain(`(pid:${second})`);
  });

  it('--log-format json writes one pino object per line', async () => {
    const dir = fixtureDir({ 'app.mjs': 'export default (req, res) => res.end("ok");' });
    const narwhal = await startNarwhal([...async, '--log-format', 'json', 'app.mjs'], { cwd: dir, readyWorkers: 0 });
    await narwhal.waitForLog(/"msg":"Worker \(pid:\d+\) ready"/);
    const first = JSON.parse(narwhal.stderr().split('\n')[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'INFO', pid: narwhal.pid, msg: 'Starting narwhal 0.1.0' });
    expect(typeof first.time).toBe('number');
  });
});

describe('boot failures', () => {
  it('a worker that never reports ready is killed after --timeout and stops the server at startup', async () => {
    const dir = fixtureDir({ 'app.mjs': 'await new Promise(() => setInterval(() => {}, 1000));\nexport default (req, res) => res.end();' });
    const started = Date.now();
    const result = await runNarwhal([...async, '--timeout', '2', 'app.mjs'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('WORKER BOOT TIMEOUT');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^narwhal: worker \(pid:\d+\) did not report ready within 2s \(WORKER BOOT TIMEOUT\) \[NARWHAL_E_WORKER_BOOT\]$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, fixtureDir, get, narwhalCli, runNarwhal, workerClassPath } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './nginx.js';

const async = ['-k', workerClassPath('async')];
const isRoot = process.getuid?.() === 0;
// What a worker says about itself: its uid:gid, its groups, and its umask.
const WHOAMI = { 'app.mjs': "export default (req, res) => { const mask = process.umask(); res.end([process.getuid(), process.getgid(), process.getgroups().join(','), mask.toString(8)].join(':')); };" };

/** A fixture directory any user can read (tests that run workers as nobody). */
function sharedFixture(files: Record<string, string>): string {
  const dir = fixtureDir(files);
  chmodSync(dir, 0o755);
  for (const name of Object.keys(files)) chmodSync(join(dir, name), 0o644);
  return dir;
}

const daemons: number[] = [];
afterEach(async () => {
  for (const pid of daemons.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    await eventually(() => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 10_000);
  }
});

const uidOf = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe.skipIf(!isRoot)('--user, --group, --initgroups and --umask (run as root)', () => {
  it('workers run as nobody:nogroup with the umask, the arbiter stays root, and the unix socket and heartbeat belong to the workers', async () => {
    const dir = sharedFixture(WHOAMI);
    const socketPath = join(dir, 'app.sock');
    const pidfile = join(dir, 'narwhal.pid');
    const daemon = spawn(process.execPath, [narwhalCli(), ...async, '-b', `unix:${socketPath}`, '--user', 'nobody', '--group', 'nogroup', '--umask', '027', '--pid', pidfile, '--timeout', '2', 'app.mjs'], { cwd: dir, stdio: 'ignore', detached: true });
    daemons.push(daemon.pid!);
    // The answer comes from a worker that kept beating for over --timeout: its heartbeat file is its own.
    await eventually(() => get('http://localhost/', { socketPath }).catch(() => undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await get('http://localhost/', { socketPath })).toBe('65534:65534:65534:27');
    expect(uidOf(daemon.pid!)).toBe(0);
    expect(statSync(socketPath)).toMatchObject({ uid: 65534, gid: 65534 });
    expect(statSync(socketPath).mode & 0o777).toBe(0o750);
    expect(statSync(pidfile).mode & 0o777).toBe(0o640);
  });

  it('--initgroups gives the workers the user\'s supplementary groups', async () => {
    const dir = sharedFixture(WHOAMI);
    const socketPath = join(dir, 'app.sock');
    const daemon = spawn(process.execPath, [narwhalCli(), ...async, '-b', `unix:${socketPath}`, '--user', 'nobody', '--initgroups', 'app.mjs'], { cwd: dir, stdio: 'ignore', detached: true });
    daemons.push(daemon.pid!);
    const answer = await eventually(() => get('http://localhost/', { socketPath }).catch(() => undefined), 15_000);
    // nobody belongs to no other group: initgroups leaves it its primary group only (without it, root's groups would be dropped to the same).
    expect(answer.split(':').slice(0, 3)).toEqual(['65534', '65534', '65534']);
  });

  it('an unknown user, and --user while not root, are one line each', async () => {
    const unknown = await runNarwhal([...async, '--user', 'no-such-user-here', join(sharedFixture(WHOAMI), 'app.mjs')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('narwhal: --user no-such-user-here: no such user [NARWHAL_E_SETTING]');
    const dir = sharedFixture(WHOAMI);
    const asNobody = spawn(process.execPath, [narwhalCli(), ...async, '--user', 'root', 'app.mjs'], { cwd: dir, uid: 65534, gid: 65534, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    asNobody.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => asNobody.once('exit', resolve))).toBe(2);
    expect(stderr.trim()).toBe('narwhal: --user root: narwhal must start as root to run its workers as another user or group (it runs as uid 65534) [NARWHAL_E_SETTING]');
  });
});

describe('--daemon', () => {
  it('detaches: the command exits 0 at once, the daemon writes its pid file, serves, and stops on TERM', async () => {
    const dir = fixtureDir(WHOAMI);
    const port = await freePort();
    const pidfile = join(dir, 'narwhal.pid');
    const launched = await runNarwhal([...async, '-D', '--pid', pidfile, '-b', `127.0.0.1:${port}`, '--error-logfile', join(dir, 'error.log'), 'app.mjs'], { cwd: dir });
    expect(launched).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const pid = await eventually(() => (existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : undefined));
    daemons.push(pid);
    expect(await eventually(() => get(`http://127.0.0.1:${port}/`).catch(() => undefined))).toMatch(/^\d+:/);
    // Its own session: no terminal signal reaches it.
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3]).toBe(String(pid));
    process.kill(pid, 'SIGTERM');
    await eventually(() => (existsSync(pidfile) ? undefined : true));
    expect(readFileSync(join(dir, 'error.log'), 'utf8')).toContain('Shutting down: Master');
  });

  it('-R keeps stdout and stderr: the daemon logs where the command did', async () => {
    const dir = fixtureDir(WHOAMI);
    const port = await freePort();
    const pidfile = join(dir, 'narwhal.pid');
    const child = spawn(process.execPath, [narwhalCli(), ...async, '-D', '-R', '--pid', pidfile, '-b', `127.0.0.1:${port}`, 'app.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    const pid = await eventually(() => (existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : undefined));
    daemons.push(pid);
    await eventually(() => (output.includes(`Worker (pid:`) ? true : undefined));
    expect(output).toContain(`[${pid}] [INFO] Listening at: http://127.0.0.1:${port}`);
  });
});

describe('bad values', () => {
  it('--umask that is no mask is one line', async () => {
    const result = await runNarwhal([...async, '--umask', '0999', join(fixtureDir(WHOAMI), 'app.mjs')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("narwhal: --umask: '0999' is not a file mode mask (022, 0o22 or 18) [NARWHAL_E_SETTING]");
  });
});

import { fixtureDir, get, runNarwhal, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

const async = workerClassPath('async');

describe('config file, NARWHAL_CMD_ARGS and the command line', () => {
  it('applies them in Gunicorn\'s precedence and says so in --print-config', async () => {
    const dir = fixtureDir({ 'narwhal.config.mjs': `export default { workers: 3, timeout: 11, keepalive: 7, workerClass: ${JSON.stringify(async)}, app: ${JSON.stringify(fixture('routes-node.mjs'))} };` });
    const result = await runNarwhal(['--print-config', '-w', '2'], { cwd: dir, env: { NARWHAL_CMD_ARGS: '--workers 5 --timeout 12' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^workers\s+= 2\s{2}# command line$/m);
    expect(result.stdout).toMatch(/^timeout\s+= 12\s{2}# NARWHAL_CMD_ARGS$/m);
    expect(result.stdout).toMatch(/^keepalive\s+= 7\s{2}# config file$/m);
    expect(result.stdout).toMatch(/^gracefulTimeout\s+= 30\s{2}# default$/m);
    expect(result.stdout).toContain(`# config file: ${dir}/narwhal.config.mjs`);
  });

  it('runs the number of workers the winning source asks for', async () => {
    const dir = fixtureDir({ 'narwhal.config.mjs': `export default { workers: 3, bind: ['127.0.0.1:0'], workerClass: ${JSON.stringify(async)} };` });
    const fromFile = await startNarwhal([fixture('routes-node.mjs')], { cwd: dir, readyWorkers: 3 });
    expect(fromFile.readyPids()).toHaveLength(3);
    await fromFile.stop();
    const fromEnv = await startNarwhal([fixture('routes-node.mjs')], { cwd: dir, readyWorkers: 2, env: { NARWHAL_CMD_ARGS: '-w 2' } });
    expect(await get(fromEnv.url)).toBe('ok');
    await fromEnv.stop();
    expect(fromEnv.readyPids()).toHaveLength(2);
    expect(fromEnv.output()).not.toMatch(/Booting worker.*\n.*Booting worker.*\n.*Booting worker/);
  });

  it('--check-config loads the app in a worker and exits 0, or names the problem', async () => {
    const ok = await runNarwhal(['-k', async, '--check-config', fixture('routes-node.mjs')]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const broken = await runNarwhal(['-k', async, '--check-config', `${fixture('routes-node.mjs')}:missing`]);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/^narwhal: .* has no export named missing \[NARWHAL_E_APP_EXPORT\]\n$/);
  });

  it('--help lists every flag from the schema, and --version prints the version', async () => {
    const help = await runNarwhal(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--bind', '--workers', '--worker-class', '--timeout', '--graceful-timeout', '--keep-alive', '--worker-connections', '--max-requests', '--max-requests-jitter', '--backlog', '--config', '--check-config', '--print-config', '--name', '--pid', '--chdir', '--env', '--log-level', '--error-logfile', '--access-logfile', '--access-logformat', '--threads', '--interface']) {
      expect(help.stdout).toContain(flag);
    }
    // An npm install has no apps/docs: --help points at the published docs.
    expect(help.stdout).toContain('Every setting: https://github.com/narwhal-server/narwhal/blob/main/apps/docs/settings.md');
    const version = await runNarwhal(['--version']);
    expect(version.stdout).toMatch(/^narwhal \d+\.\d+\.\d+ \(node v\d+/);
  });
});

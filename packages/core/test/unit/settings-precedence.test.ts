import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load-settings.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'narwhal-settings-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('settings precedence: defaults < config file < NARWHAL_CMD_ARGS < command line', () => {
  it('takes Gunicorn defaults when nothing is given', async () => {
    const { settings, sources } = await loadSettings({ argv: ['app.js'], env: {}, cwd: dirWith({}) });
    expect(settings).toMatchObject({ workers: 1, workerClass: 'sync', timeout: 30, gracefulTimeout: 30, keepalive: 2, workerConnections: 1000, maxRequests: 0, maxRequestsJitter: 0, backlog: 2048, bind: ['127.0.0.1:8000'], app: 'app.js', loglevel: 'info', accesslog: null, errorlog: '-' });
    expect(sources.workers).toBe('default');
    expect(sources.app).toBe('command line');
  });

  it('layers every source in order and records where each value came from', async () => {
    const cwd = dirWith({ 'narwhal.config.mjs': 'export default { workers: 3, timeout: 10, keepalive: 5, backlog: 64 };' });
    const { settings, sources, configFile } = await loadSettings({
      argv: ['-w', '5', 'app.js'],
      env: { NARWHAL_CMD_ARGS: '--workers 4 --timeout 20' },
      cwd,
    });
    expect(configFile).toBe(join(cwd, 'narwhal.config.mjs'));
    expect(settings.workers).toBe(5);
    expect(sources.workers).toBe('command line');
    expect(settings.timeout).toBe(20);
    expect(sources.timeout).toBe('NARWHAL_CMD_ARGS');
    expect(settings.keepalive).toBe(5);
    expect(sources.keepalive).toBe('config file');
    expect(settings.gracefulTimeout).toBe(30);
    expect(sources.gracefulTimeout).toBe('default');
  });

  it('reads -c from NARWHAL_CMD_ARGS when the command line has none', async () => {
    const cwd = dirWith({ 'custom.mjs': 'export default { workers: 7 };' });
    const { settings } = await loadSettings({ argv: ['app.js'], env: { NARWHAL_CMD_ARGS: "-c 'custom.mjs'" }, cwd });
    expect(settings.workers).toBe(7);
  });

  it('loads TypeScript config files, CommonJS ones, and factory functions', async () => {
    const ts = dirWith({ 'narwhal.config.ts': "const workers: number = 6;\nexport default { workers, workerClass: 'async' as const };" });
    expect((await loadSettings({ argv: ['app.js'], env: {}, cwd: ts })).settings).toMatchObject({ workers: 6, workerClass: 'async' });
    const cjs = dirWith({ 'narwhal.config.cjs': 'module.exports = { workers: 2 };' });
    expect((await loadSettings({ argv: ['app.js'], env: {}, cwd: cjs })).settings.workers).toBe(2);
    const factory = dirWith({ 'narwhal.config.mjs': 'export default async () => ({ workers: 9 });' });
    expect((await loadSettings({ argv: ['app.js'], env: {}, cwd: factory })).settings.workers).toBe(9);
  });

  it('takes WEB_CONCURRENCY and PORT from the environment, below every explicit source', async () => {
    const cwd = dirWith({});
    const fromEnv = await loadSettings({ argv: ['app.js'], env: { WEB_CONCURRENCY: '3', PORT: '9000' }, cwd });
    expect(fromEnv.settings.workers).toBe(3);
    expect(fromEnv.sources.workers).toBe('environment');
    expect(fromEnv.settings.bind).toEqual(['0.0.0.0:9000']);
    const explicit = await loadSettings({ argv: ['-w', '2', '-b', '127.0.0.1:1', 'app.js'], env: { WEB_CONCURRENCY: '3', PORT: '9000' }, cwd });
    expect(explicit.settings.workers).toBe(2);
    expect(explicit.settings.bind).toEqual(['127.0.0.1:1']);
  });

  it('switches the default class to gthread when --threads is above 1, as Gunicorn does', async () => {
    const cwd = dirWith({});
    expect((await loadSettings({ argv: ['--threads', '4', 'app.js'], env: {}, cwd })).settings.workerClass).toBe('gthread');
    expect((await loadSettings({ argv: ['--threads', '4', '-k', 'async', 'app.js'], env: {}, cwd })).settings.workerClass).toBe('async');
  });

  it('collects repeated list flags and keeps the app from the config file when none is given', async () => {
    const cwd = dirWith({ 'narwhal.config.js': "export default { app: 'server.js:handler', rawEnv: ['A=1'] };" });
    const { settings } = await loadSettings({ argv: ['-b', '127.0.0.1:1', '--bind=unix:/tmp/x.sock', '-e', 'B=2'], env: {}, cwd });
    expect(settings.bind).toEqual(['127.0.0.1:1', 'unix:/tmp/x.sock']);
    expect(settings.app).toBe('server.js:handler');
    expect(settings.rawEnv).toEqual(['B=2']);
  });

  it('resolves --chdir against the starting directory and finds the default config there', async () => {
    const parent = dirWith({});
    const child = join(parent, 'svc');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(child);
    writeFileSync(join(child, 'narwhal.config.mjs'), 'export default { workers: 8 };');
    const { settings } = await loadSettings({ argv: ['--chdir', 'svc', 'app.js'], env: {}, cwd: parent });
    expect(settings.chdir).toBe(child);
    expect(settings.workers).toBe(8);
  });
});

describe('settings errors name the setting and the problem', () => {
  const cwd = dirWith({});
  it.each([
    [['-w', 'abc', 'app.js'], /^-w: 'abc' is not an integer$/],
    [['--workers', '0', 'app.js'], /^--workers: '0' is below the minimum of 1$/],
    [['--timeout=-1', 'app.js'], /^--timeout: '-1' is below the minimum of 0$/],
    [['--log-level', 'loud', 'app.js'], /^--log-level: 'loud' is not one of debug, info, warning, error, critical$/],
    [['-b', '[::1', 'app.js'], /^-b: '\[::1' opens an IPv6 address/],
    [['-b', 'localhost:99999', 'app.js'], /^-b: 'localhost:99999' has port '99999'/],
    [['-e', 'NOVALUE', 'app.js'], /^-e: 'NOVALUE' is not KEY=VALUE$/],
  ])('%j', async (argv, message) => {
    await expect(loadSettings({ argv, env: {}, cwd })).rejects.toMatchObject({ code: 'NARWHAL_E_SETTING', message: expect.stringMatching(message) });
  });

  it('rejects unknown options and stray arguments as usage errors', async () => {
    await expect(loadSettings({ argv: ['--wrokers', '2', 'app.js'], env: {}, cwd })).rejects.toMatchObject({ code: 'NARWHAL_E_USAGE', message: 'unknown option --wrokers (did you mean --workers?)' });
    await expect(loadSettings({ argv: ['a.js', 'b.js'], env: {}, cwd })).rejects.toMatchObject({ code: 'NARWHAL_E_USAGE' });
    await expect(loadSettings({ argv: ['app.js', '-w'], env: {}, cwd })).rejects.toMatchObject({ code: 'NARWHAL_E_USAGE', message: '-w needs a value' });
  });

  it('says where a bad NARWHAL_CMD_ARGS or WEB_CONCURRENCY value came from', async () => {
    await expect(loadSettings({ argv: ['app.js'], env: { NARWHAL_CMD_ARGS: '--keep-alive soon' }, cwd })).rejects.toMatchObject({ message: "--keep-alive in NARWHAL_CMD_ARGS: 'soon' is not a number" });
    await expect(loadSettings({ argv: ['app.js'], env: { WEB_CONCURRENCY: 'many' }, cwd })).rejects.toMatchObject({ message: "WEB_CONCURRENCY: 'many' is not an integer" });
  });

  it('rejects unknown and ill-typed config keys, with a suggestion', async () => {
    const typo = dirWith({ 'narwhal.config.mjs': 'export default { worker: 2 };' });
    await expect(loadSettings({ argv: ['app.js'], env: {}, cwd: typo })).rejects.toMatchObject({ code: 'NARWHAL_E_SETTING', message: expect.stringMatching(/^worker in .*narwhal\.config\.mjs: unknown setting \(did you mean workers\?\)$/) });
    const bad = dirWith({ 'narwhal.config.mjs': "export default { keepalive: 'long', onStarting: 5 };" });
    await expect(loadSettings({ argv: ['app.js'], env: {}, cwd: bad })).rejects.toMatchObject({ message: expect.stringMatching(/^keepalive in .*: 'long' is not a number$/) });
  });

  it('reports a config file that is missing, broken or not an object', async () => {
    await expect(loadSettings({ argv: ['-c', 'nope.js', 'app.js'], env: {}, cwd })).rejects.toMatchObject({ code: 'NARWHAL_E_CONFIG_FILE' });
    const broken = dirWith({ 'narwhal.config.mjs': 'export default {' });
    await expect(loadSettings({ argv: ['app.js'], env: {}, cwd: broken })).rejects.toMatchObject({ code: 'NARWHAL_E_CONFIG_FILE', message: expect.stringContaining('failed to load') });
    const notObject = dirWith({ 'narwhal.config.mjs': 'export default 42;' });
    await expect(loadSettings({ argv: ['app.js'], env: {}, cwd: notObject })).rejects.toMatchObject({ message: expect.stringContaining('must export an object of settings, not number') });
  });
});

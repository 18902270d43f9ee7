import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../src/cli/parse-argv.js';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { aliasesOf } from '../../src/config/setting-names.js';
import { SETTING_KEYS } from '../../src/config/settings.js';

function configFile(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'narwhal-names-')), 'narwhal.config.mjs');
  writeFileSync(path, source);
  return path;
}

describe('config keys: the camelCase of Gunicorn\'s name, other spellings as silent aliases', () => {
  it.each([
    ['keepAlive: 5', { keepalive: 5 }],
    ['keep_alive: 5', { keepalive: 5 }],
    ["accessLog: '-'", { accesslog: '-' }],
    ["access_log_format: '%(s)s'", { accessLogFormat: '%(s)s' }],
    ["errorLog: 'err.log'", { errorlog: 'err.log' }],
    ["logFile: 'err.log'", { errorlog: 'err.log' }],
    ["logLevel: 'debug'", { loglevel: 'debug' }],
    ["pidFile: 'x.pid'", { pidfile: 'x.pid' }],
    ["proc_name: 'api'", { procName: 'api' }],
    ["worker_class: 'async'", { workerClass: 'async' }],
    ['max_requests: 10', { maxRequests: 10 }],
    ["raw_env: ['A=1']", { rawEnv: ['A=1'] }],
  ])('%s', async (entry, expected) => {
    expect(await loadConfigFile(configFile(`export default { ${entry} };`))).toEqual(expected);
  });

  it('takes gunicorn.conf.py hook names', async () => {
    const config = await loadConfigFile(configFile('export default { on_starting: (server) => {}, when_ready: (server) => {} };'));
    expect(Object.keys(config)).toEqual(['onStarting', 'whenReady']);
  });

  it('refuses two spellings of one setting, in one line', async () => {
    await expect(loadConfigFile(configFile('export default { keepalive: 2, keepAlive: 5 };'))).rejects.toMatchObject({
      code: 'NARWHAL_E_SETTING',
      message: expect.stringMatching(/^keepAlive in \/.*narwhal\.config\.mjs: keepalive already sets keepalive; keep one of them$/),
    });
  });

  it.each([
    ['keepAlve', 'keepalive'],
    ['acesslog', 'accesslog'],
    ['access_log_formt', 'accessLogFormat'],
    ['wokers', 'workers'],
  ])('answers an unknown %s with "did you mean %s"', async (name, suggestion) => {
    await expect(loadConfigFile(configFile(`export default { ${name}: 1 };`))).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`^${name} in .*: unknown setting \\(did you mean ${suggestion}\\?\\)$`)) });
  });

  it('says nothing more for a name close to no setting', async () => {
    await expect(loadConfigFile(configFile('export default { frobnicate: 1 };'))).rejects.toMatchObject({ message: expect.stringMatching(/: unknown setting$/) });
  });

  it('suggests the flag for a misspelt option', () => {
    expect(() => parseArgv(['--keep-alve', '3'])).toThrow('unknown option --keep-alve (did you mean --keep-alive?)');
    expect(() => parseArgv(['--frobnicate'])).toThrow(/^unknown option --frobnicate$/);
  });

  it('gives no two settings the same spelling', () => {
    const seen = new Map<string, string>();
    for (const key of SETTING_KEYS) {
      for (const name of [key, ...aliasesOf(key)]) {
        expect(seen.get(name) ?? key, name).toBe(key);
        seen.set(name, key);
      }
    }
  });
});

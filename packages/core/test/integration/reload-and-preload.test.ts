// --reload (with --reload-engine and --reload-extra-file) and --preload, by their effects.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, fixtureDir, get, runNarwhal, sleep, startNarwhal, workerClassPath } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const async = ['-k', workerClassPath('async'), '-b', '127.0.0.1:0'];
const APP = {
  'app.mjs': "import { readFileSync } from 'node:fs';\nimport { greeting } from './lib.mjs';\nimport { version } from 'dep';\nexport default (req, res) => res.end(`${greeting} ${version} ${readFileSync('template.txt', 'utf8')}`);",
  'lib.mjs': "export const greeting = 'one';",
  'template.txt': 'a',
  'node_modules/dep/package.json': '{ "name": "dep", "type": "module", "exports": "./index.js" }',
  'node_modules/dep/index.js': 'export const version = 1;',
};

describe('--reload', () => {
  for (const engine of ['auto', 'poll']) {
    it(`replaces the workers when an imported file changes; a syntax error keeps the old ones serving (--reload-engine ${engine})`, async () => {
      const dir = fixtureDir(APP);
      const narwhal = await startNarwhal([...async, '--reload', '--reload-engine', engine, 'app.mjs'], { cwd: dir });
      expect(await get(narwhal.url)).toBe('one 1 a');
      await sleep(300); // the worker's files reach the arbiter
      writeFileSync(join(dir, 'lib.mjs'), "export const greeting = 'two';");
      expect(await eventually(async () => ((await get(narwhal.url)) === 'two 1 a' ? true : undefined), 8_000)).toBe(true);
      expect(narwhal.output()).toContain(`Reloading: ${join(dir, 'lib.mjs')} changed`);

      writeFileSync(join(dir, 'lib.mjs'), "export const greeting = 'th ree;");
      await narwhal.waitForLog(/Reload failed: [^\n]*SyntaxError[^\n]*\[NARWHAL_E_APP_LOAD\]; the previous workers keep serving\n/, 8_000);
      expect(narwhal.output()).not.toMatch(/failed to boot/);
      expect(await get(narwhal.url)).toBe('two 1 a');

      writeFileSync(join(dir, 'lib.mjs'), "export const greeting = 'four';");
      expect(await eventually(async () => ((await get(narwhal.url)) === 'four 1 a' ? true : undefined), 8_000)).toBe(true);
    });
  }

  it('ignores node_modules, and watches --reload-extra-file', async () => {
    const dir = fixtureDir(APP);
    const narwhal = await startNarwhal([...async, '--reload', '--reload-extra-file', 'template.txt', 'app.mjs'], { cwd: dir });
    await sleep(300);
    writeFileSync(join(dir, 'node_modules/dep/index.js'), 'export const version = 2;');
    await sleep(1_500);
    expect(narwhal.output()).not.toContain('Reloading');
    writeFileSync(join(dir, 'template.txt'), 'b');
    await narwhal.waitForLog(/Reloading: \S+template\.txt changed/, 8_000);
    // The new workers load node_modules afresh too.
    expect(await eventually(async () => ((await get(narwhal.url)) === 'one 2 b' ? true : undefined), 8_000)).toBe(true);
  });

  it('watches the CommonJS files an app requires', async () => {
    const dir = fixtureDir({ 'app.cjs': "const lib = require('./lib.cjs');\nmodule.exports = (req, res) => res.end(lib.greeting);", 'lib.cjs': "exports.greeting = 'one';" });
    const narwhal = await startNarwhal([...async, '--reload', 'app.cjs'], { cwd: dir });
    expect(await get(narwhal.url)).toBe('one');
    await sleep(300);
    writeFileSync(join(dir, 'lib.cjs'), "exports.greeting = 'two';");
    expect(await eventually(async () => ((await get(narwhal.url)) === 'two' ? true : undefined), 8_000)).toBe(true);
  });

  it('refuses an unknown engine in one line', async () => {
    const result = await runNarwhal([...async, '--reload-engine', 'fsevents', 'app.mjs'], { cwd: fixtureDir(APP) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("narwhal: --reload-engine: 'fsevents' is not one of auto, poll, inotify [NARWHAL_E_SETTING]\n");
  });
});

describe('--preload', () => {
  it('loads the app in the arbiter first; workers load it again', async () => {
    const dir = fixtureDir({ 'app.mjs': "import { appendFileSync } from 'node:fs';\nappendFileSync('loaded-by', process.pid + '\\n');\nexport default (req, res) => res.end('ok');" });
    const narwhal = await startNarwhal([...async, '--preload', 'app.mjs'], { cwd: dir });
    const [worker] = narwhal.readyPids();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'loaded-by'), 'utf8')).toBe(`${narwhal.pid}\n${worker}\n`);
    expect(await get(narwhal.url)).toBe('ok');
  });

  it('stops at once with one line when the app cannot load, before binding or spawning', async () => {
    const dir = fixtureDir({ 'app.mjs': "throw new Error('no database configured');\nexport default () => {};" });
    const result = await runNarwhal([...async, '--preload', 'app.mjs'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^narwhal: app module app\.mjs failed to load: Error: no database configured \([^)]*app\.mjs:1:\d+\) \[NARWHAL_E_APP_LOAD\]\n$/);
    expect(result.stdout).toBe('');
  });
});

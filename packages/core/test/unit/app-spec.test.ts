import { describe, expect, it } from 'vitest';
import { parseAppSpec } from '../../src/app/app-spec.js';

describe('APP is MODULE[:EXPORT], with factories', () => {
  it.each([
    ['app.js', { module: 'app.js', exportPath: [], args: null }],
    ['app.js:handler', { module: 'app.js', exportPath: ['handler'], args: null }],
    ['my-package', { module: 'my-package', exportPath: [], args: null }],
    ['@scope/pkg:app', { module: '@scope/pkg', exportPath: ['app'], args: null }],
    ['dist/server.mjs:app.handler', { module: 'dist/server.mjs', exportPath: ['app', 'handler'], args: null }],
    ['app.js:createApp()', { module: 'app.js', exportPath: ['createApp'], args: [] }],
    ["app.js:createApp('prod')", { module: 'app.js', exportPath: ['createApp'], args: ['prod'] }],
    [`app.js:make("a:b", 2, -1.5, true, null, 'it\\'s')`, { module: 'app.js', exportPath: ['make'], args: ['a:b', 2, -1.5, true, null, "it's"] }],
  ])('%s', (text, expected) => {
    expect(parseAppSpec(text)).toMatchObject(expected);
  });

  it.each([
    ['app.js:', 'NARWHAL_E_APP_EXPORT'],
    ['app.js:make(process.exit())', 'NARWHAL_E_APP_EXPORT'],
    ["app.js:make('unclosed)", 'NARWHAL_E_APP_EXPORT'],
    ['', 'NARWHAL_E_USAGE'],
  ])('rejects %s', (text, code) => {
    expect(() => parseAppSpec(text)).toThrow(expect.objectContaining({ code }));
  });
});

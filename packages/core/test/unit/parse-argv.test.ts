import { describe, expect, it } from 'vitest';
import { flagTakesValue, parseArgv } from '../../src/cli/parse-argv.js';
import { shellSplit } from '../../src/config/shell-split.js';

describe('the argv parser takes Gunicorn-style options', () => {
  it.each([
    [['-w', '4'], 4],
    [['-w4'], 4],
    [['-w=4'], 4],
    [['--workers', '4'], 4],
    [['--workers=4'], 4],
  ])('%j sets workers', (argv, workers) => {
    expect(parseArgv([...argv, 'app.js']).values).toEqual({ workers, app: 'app.js' });
  });

  it('takes boolean flags without values, and -- ends the options', () => {
    expect(parseArgv(['--check-config', '--', '-odd-name.js']).values).toEqual({ checkConfig: true, app: '-odd-name.js' });
    expect(() => parseArgv(['--check-config=yes'])).toThrow('--check-config takes no value');
  });

  it('takes --proxy-protocol alone as auto (Gunicorn\'s bare flag), and a value when one follows', () => {
    expect(parseArgv(['--proxy-protocol', 'app.js']).values).toEqual({ proxyProtocol: 'auto', app: 'app.js' });
    expect(parseArgv(['app.js', '--proxy-protocol']).values).toEqual({ proxyProtocol: 'auto', app: 'app.js' });
    expect(parseArgv(['--proxy-protocol', 'v2', 'app.js']).values).toEqual({ proxyProtocol: 'v2', app: 'app.js' });
    expect(parseArgv(['--proxy-protocol=v1']).values).toEqual({ proxyProtocol: 'v1' });
    expect(() => parseArgv(['--proxy-protocol=v3'])).toThrow("--proxy-protocol: 'v3' is not one of off, v1, v2, auto");
  });

  it('tells `narwhal ctl` which flags take the next word, by the same rule', () => {
    expect(flagTakesValue('--bind', 'x')).toBe(true);
    expect(flagTakesValue('-w', '4')).toBe(true);
    expect(flagTakesValue('-w4', 'show')).toBe(false);
    expect(flagTakesValue('--daemon', 'show')).toBe(false);
    expect(flagTakesValue('--bind', undefined)).toBe(false);
    // A flag that can stand alone leaves a word that is not one of its values to the command.
    expect(flagTakesValue('--proxy-protocol', 'show')).toBe(false);
    expect(flagTakesValue('--proxy-protocol', 'v2')).toBe(true);
  });

  it('recognises help and version anywhere', () => {
    expect(parseArgv(['app.js', '-h'])).toMatchObject({ help: true });
    expect(parseArgv(['--version'])).toMatchObject({ version: true });
  });
});

describe('NARWHAL_CMD_ARGS is split like a shell', () => {
  it.each([
    ['-w 4  --timeout=5', ['-w', '4', '--timeout=5']],
    [`--access-logformat '%(h)s "%(r)s"'`, ['--access-logformat', '%(h)s "%(r)s"']],
    ['-e "A=two words" -e B=\\ x', ['-e', 'A=two words', '-e', 'B= x']],
    ['', []],
  ])('%s', (text, words) => {
    expect(shellSplit(text)).toEqual(words);
  });

  it('rejects an unclosed quote', () => {
    expect(() => shellSplit("-n 'oops")).toThrow("unclosed ' quote");
  });
});

// Design: `--help` is generated from the settings schema, grouped by section, Gunicorn-style.

import { SETTINGS, SETTING_KEYS, type Section } from '../config/settings.js';
import { DOCS_URL } from '../version.js';

const WIDTH = 34;

export function renderHelp(version: string): string {
  const lines = [
    `narwhal ${version}: Gunicorn's pre-fork server for Node.js`,
    '',
    'usage: narwhal [OPTIONS] APP',
    '       narwhal ctl [--json] [--control-socket PATH] COMMAND   (`narwhal ctl help` lists them)',
    '       narwhal status [--json] [--control-socket PATH]        (the workers, as a table)',
    '',
    'APP is MODULE[:EXPORT]: a file (app.js, dist/server.mjs) or a package, and optionally an',
    "export or a factory call (app.js:handler, app.js:createApp('prod')).",
    '',
    '  -h, --help                        show this help and exit',
    '  -v, --version                     show the version and exit',
  ];
  const bySection = new Map<Section, string[]>();
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key];
    if (spec.flags.length === 0) continue;
    const flags = spec.flags.join(', ') + (spec.type === 'boolean' ? '' : ` ${spec.metavar ?? 'VALUE'}`);
    const entry = `  ${flags.padEnd(WIDTH - 2)}${flags.length > WIDTH - 3 ? `\n${' '.repeat(WIDTH)}` : ''}${spec.short}${defaultNote(key)}`;
    bySection.set(spec.section, [...(bySection.get(spec.section) ?? []), entry]);
  }
  for (const [section, entries] of bySection) lines.push('', `${section}:`, ...entries);
  lines.push(
    '',
    "Config-file keys are Gunicorn's setting names in camelCase (keepalive, accessLogFormat).",
    `Every setting: ${DOCS_URL}/settings.md`,
    `Documentation: ${DOCS_URL}`,
    '',
  );
  return lines.join('\n');
}

function defaultNote(key: (typeof SETTING_KEYS)[number]): string {
  const spec = SETTINGS[key];
  if (spec.type === 'boolean') return '';
  const shown = spec.defaultText ?? (typeof spec.default === 'function' ? undefined : JSON.stringify(spec.default));
  return shown === undefined || shown === 'null' ? '' : ` [${shown}]`;
}

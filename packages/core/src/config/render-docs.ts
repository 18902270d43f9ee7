// Design: apps/docs/settings.md and apps/docs/errors.md are generated from the settings schema
// and the error registry, so the docs cannot drift (Gunicorn's build_settings_doc.py). A unit
// test and `pnpm docs:check` fail when the committed files differ from what this renders.

import { ERROR_CODES, WARNING_CODES, type ErrorCode, type WarningCode } from '../errors.js';
import { aliasesOf } from './setting-names.js';
import { GUNICORN_SETTINGS, NOT_IN_NARWHAL, SIGNALS } from './gunicorn-parity.js';
import { SETTINGS, SETTING_KEYS, specOf, type Section } from './settings.js';

const HEADER = (source: string): string => `<!-- Generated: edit ${source} and run \`pnpm docs:gen\`. -->\n`;

function defaultText(key: (typeof SETTING_KEYS)[number]): string {
  const spec = specOf(key);
  if (spec.defaultText !== undefined) return spec.defaultText;
  return JSON.stringify(spec.default);
}

export function renderSettingsDoc(): string {
  const sections = new Map<Section, string[]>();
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key];
    const lines = [
      `### \`${key}\``,
      '',
      `- Command line: ${spec.flags.length ? spec.flags.map((flag) => `\`${flag}${spec.type === 'boolean' || spec.type === 'hook' ? '' : ` ${spec.metavar ?? 'VALUE'}`}\``).join(', ') : 'none (config file only)'}${spec.flagAliases?.length ? ` (also accepted: ${spec.flagAliases.map((flag) => `\`${flag}\``).join(', ')})` : ''}`,
      `- Config file: \`${key}\`${aliasesOf(key).length ? ` (also accepted: ${aliasesOf(key).map((alias) => `\`${alias}\``).join(', ')})` : ''}`,
      `- Default: \`${defaultText(key)}\``,
      ...(spec.env ? [`- Environment: \`${spec.env}\``] : []),
      `- Gunicorn: ${spec.gunicorn ? `\`${spec.gunicorn}\`` : 'none (Narwhal only)'}`,
      '',
      spec.short,
      '',
      spec.doc,
      '',
    ];
    sections.set(spec.section, [...(sections.get(spec.section) ?? []), ...lines]);
  }
  const out = [
    HEADER('packages/core/src/config/settings.ts'),
    '# Settings',
    '',
    'Every setting can be given on the command line, in `NARWHAL_CMD_ARGS`, or in the config file under its key: the camelCase of Gunicorn\'s setting name (`keepalive`, `accesslog`, `accessLogFormat`).',
    'The other usual spellings (`keepAlive`, `accessLog`, `logLevel`, the snake_case names of `gunicorn.conf.py`) are accepted as well; an unknown key stops `narwhal` with the closest known one.',
    'Precedence, lowest first: defaults (some from the environment), the config file, `NARWHAL_CMD_ARGS`, the command line.',
    'A bad value stops `narwhal` with one line naming the setting and the problem (`NARWHAL_E_SETTING`).',
    '',
  ];
  for (const [section, lines] of sections) out.push(`## ${section}`, '', ...lines);
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderErrorsDoc(): string {
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const spec = ERROR_CODES[code];
    return `| <a id="${code.toLowerCase()}"></a>\`${code}\` | ${spec.exitCode} | ${spec.meaning} | ${spec.fix} |`;
  });
  const warnings = (Object.keys(WARNING_CODES) as WarningCode[]).map((code) => {
    const spec = WARNING_CODES[code];
    return `| <a id="${code.toLowerCase()}"></a>\`${code}\` | ${spec.meaning} | ${spec.fix} |`;
  });
  return [
    HEADER('packages/core/src/errors.ts'),
    '# Errors',
    '',
    'A user error prints one line, `narwhal: <message> [CODE]`, and exits with the status below. Codes are stable; a retired code is never reused.',
    '',
    '| code | exit status | meaning | what to do |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Warnings',
    '',
    'Logged at the warning level with their code; the server carries on.',
    '',
    '| code | meaning | what to do |',
    '|---|---|---|',
    ...warnings,
    '',
  ].join('\n');
}

/** apps/docs/migrating-from-gunicorn.md: every Gunicorn setting, signal and hook, and what it is here. */
export function renderMigratingDoc(): string {
  const byGunicornName = new Map(SETTING_KEYS.filter((key) => specOf(key).gunicorn !== null).map((key) => [specOf(key).gunicorn!, key]));
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const rows = GUNICORN_SETTINGS.map(([name, flags]) => {
    const gunicorn = `\`${name}\`${flags.length ? ` (${flags.map((flag) => `\`${flag}\``).join(', ')})` : ''}`;
    const key = byGunicornName.get(name);
    if (key !== undefined) {
      const spec = specOf(key);
      const ours = [...spec.flags, ...(spec.flagAliases ?? [])].map((flag) => `\`${flag}\``).join(', ');
      return `| ${gunicorn} | yes | [\`${key}\`](settings.md#${key.toLowerCase()})${ours ? ` (${ours})` : ''} | ${cell(spec.short)} |`;
    }
    const absence = NOT_IN_NARWHAL[name]!;
    return `| ${gunicorn} | ${absence.status} | | ${cell(absence.why)} |`;
  });
  const built = GUNICORN_SETTINGS.filter(([name]) => byGunicornName.has(name)).length;
  const notApplicable = GUNICORN_SETTINGS.filter(([name]) => NOT_IN_NARWHAL[name]?.status === 'no').length;
  return [
    HEADER('packages/core/src/config/gunicorn-parity.ts and settings.ts'),
    '# Migrating from Gunicorn',
    '',
    "Narwhal takes Gunicorn's command line: the same flags, the same defaults, the same signals and hooks. A config file is a JavaScript module whose default export holds the settings under Gunicorn's names in camelCase (`workerClass`, `keepalive`); the snake_case names of `gunicorn.conf.py` (`worker_class`) are accepted as well, so most of a `gunicorn.conf.py` carries over by changing its syntax.",
    '',
    `Of Gunicorn 26.1's ${GUNICORN_SETTINGS.length} settings (hooks included), ${built} exist here, ${notApplicable} do not apply to Node, and the rest are not built yet. Where a Narwhal setting means something a little different, its entry in [settings.md](settings.md) says how.`,
    '',
    '## Settings and hooks',
    '',
    '| Gunicorn | here | Narwhal | notes |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Signals',
    '',
    '| signal | what the arbiter does |',
    '|---|---|',
    ...SIGNALS.map(([name, text]) => `| ${name} | ${cell(text)} |`),
    '',
    '## What differs by design',
    '',
    '- **Workers are spawned, not forked.** Each worker is a fresh `node` process that loads the app itself; nothing is shared by copy-on-write, so `postFork` runs in the worker before the app loads, and `preExec` runs in the old arbiter before the new one starts.',
    '- **Reloads wait for readiness.** HUP, `--max-requests` and USR2 retire old workers only once their replacements serve.',
    '- **Bad requests get the standard status.** A request line over the limit is `414`, too many or too large header fields `431` (Gunicorn answers 400); [http-conformance.md](http-conformance.md) lists every case.',
    '- **A trusted proxy also names the client.** `--forwarded-allow-ips` covers `X-Forwarded-For` as well as the scheme (Gunicorn leaves the client address to the app); see [settings.md](settings.md#forwardedallowips).',
    '- **A request can have a deadline of its own.** Gunicorn has only `timeout`, which kills the worker (a `sync` request past it costs its worker, and Gunicorn\'s gthread has no request deadline). `--request-timeout` answers 504 and tells the app, on every class, and the worker serves on; `--max-loop-lag` answers 503 while a worker is overloaded. See [deployment.md](deployment.md#request-deadlines-and-load-shedding).',
    '',
  ].join('\n');
}

// Every command a user is shown (the README, the package READMEs published to npm, apps/docs) is run
// here, as written, in a fresh npm project: `npm init`, `npm pkg`, `npm i` (with the packed
// tarballs standing in for @narwhal/* and the example worker class) and `npx narwhal`, whose server
// must answer (over HTTPS, trusting the doc's own certificate, when it is given --certfile); `openssl`
// runs as written. Files a doc shows in a ```js block headed `// FILE` are written first. Two changes
// keep it inside a test: `--bind` and `--metrics-bind` become 127.0.0.1:0, and `npx narwhal` is the
// installed bin run by the shared harness. Blocks that build this repository (pnpm) are CI's: .ci/run runs them.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { get, startNarwhal } from '@narwhal/test-utils';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const tarballs = new Map(Object.entries(JSON.parse(process.env.NARWHAL_TARBALLS!) as Record<string, string>));

const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(REPO, 'packages')).map((name) => `packages/${name}/README.md`),
  ...readdirSync(join(REPO, 'apps/docs')).filter((name) => name.endsWith('.md')).map((name) => `apps/docs/${name}`),
].filter((path) => existsSync(join(REPO, path)));

type Step = { readonly kind: 'command'; readonly line: string } | { readonly kind: 'file'; readonly name: string; readonly content: string };

/** The runnable steps of a Markdown file, in order: shell lines, and files shown in js/ts blocks. */
function stepsOf(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const [, language, body] of markdown.matchAll(/```(\w+)\n(.*?)```/gs)) {
    if (language === 'sh' && !body!.includes('pnpm')) {
      for (const line of body!.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command !== '') steps.push(...command.split(' && ').map((part) => ({ kind: 'command' as const, line: part.trim() })));
      }
    }
    const file = /^\/\/ ([\w./-]+\.[cm]?[jt]s)\b/.exec(body!)?.[1];
    if ((language === 'js' || language === 'ts') && file !== undefined) steps.push({ kind: 'file', name: file, content: body! });
  }
  return steps;
}

const runnable = DOCUMENTS.map((path) => [path, stepsOf(readFileSync(join(REPO, path), 'utf8'))] as const).filter(([, steps]) => steps.some((step) => step.kind === 'command'));

describe('the commands the docs show', () => {
  it('finds commands to run in the README, every package README and the guides', () => {
    expect(runnable.map(([path]) => path)).toEqual(expect.arrayContaining(['README.md', 'packages/core/README.md', 'apps/docs/writing-a-worker-class.md']));
  });

  it('shows the example worker class in the guide exactly as it is published', () => {
    const guide = readFileSync(join(REPO, 'apps/docs/writing-a-worker-class.md'), 'utf8');
    const published = readFileSync(join(REPO, 'apps/examples/custom-worker/index.js'), 'utf8');
    expect(guide).toContain(`\`\`\`js\n${published}\`\`\``);
  });

  it.each(runnable)('%s', async (_path, steps) => {
    const dir = mkdtempSync(join(process.env.NARWHAL_FIRST_CONTACT!, 'docs-'));
    if (!steps.some((step) => step.kind === 'command' && step.line.startsWith('npm init'))) await run('npm', ['init', '-y'], { cwd: dir });
    for (const step of steps) {
      if (step.kind === 'file') {
        mkdirSync(dirname(join(dir, step.name)), { recursive: true });
        writeFileSync(join(dir, step.name), step.content);
      }
      else await runCommand(step.line, dir);
    }
  });
});

async function runCommand(line: string, dir: string): Promise<void> {
  const [program, ...words] = line.split(/\s+/);
  if (program === 'npm' && (words[0] === 'i' || words[0] === 'install')) {
    const packages = words.slice(1).map((word) => tarballs.get(word) ?? word);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...packages], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } else if (program === 'npm' && (words[0] === 'init' || words[0] === 'pkg')) {
    await run('npm', words, { cwd: dir });
  } else if (program === 'openssl') {
    // Makes a certificate (apps/docs/tls.md); its arguments carry no quotes.
    await run('openssl', words, { cwd: dir });
  } else if (program === 'npx' && words[0] === 'narwhal') {
    await serve(words.slice(1), dir);
  } else {
    throw new Error(`the docs show \`${line}\`, which this test does not know how to run: teach it, or leave it out`);
  }
}

/** Starts the installed narwhal as the doc says (on an ephemeral port) and expects an answer. */
async function serve(args: readonly string[], dir: string): Promise<void> {
  if (!existsSync(join(dir, 'app.js'))) {
    const isModule = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string }).type === 'module';
    writeFileSync(join(dir, 'app.js'), `${isModule ? 'export default' : 'module.exports ='} (req, res) => res.end('hello\\n');\n`);
  }
  const withoutBind = args.filter((arg, index) => !['-b', '--bind'].includes(arg) && !['-b', '--bind'].includes(args[index - 1]!));
  const ephemeral = withoutBind.map((arg, index) => (withoutBind[index - 1] === '--metrics-bind' ? '127.0.0.1:0' : arg));
  const narwhal = await startNarwhal([...ephemeral, '-b', '127.0.0.1:0'], { cwd: dir, timeoutMs: 30_000 });
  // With --certfile it serves HTTPS: the docs' certificate is self-signed, so it is its own CA.
  const certfile = args[args.indexOf('--certfile') + 1];
  try {
    expect(await get(narwhal.url, args.includes('--certfile') ? { tls: { ca: join(dir, certfile!) } } : {})).toBe('hello\n');
  } finally {
    await narwhal.stop();
  }
}

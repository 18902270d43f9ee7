// Design: argv → settings → one of: help, version, print-config, check-config, or the arbiter;
// or, with `ctl` or `status` first, a client of a running arbiter's control socket.
// User errors print one line, `narwhal: <message> [CODE]`, and exit with the code's status;
// anything else is a bug and prints its stack.

import { Arbiter } from '../arbiter/arbiter.js';
import { checkConfig } from '../arbiter/check-config.js';
import { daemonize, isDaemonCopy } from '../arbiter/daemonize.js';
import { loadSettings } from '../config/load-settings.js';
import { EXIT, formatUserError, isNarwhalError } from '../errors.js';
import { createLogger } from '../log/create-logger.js';
import { renderHelp } from './help.js';
import { CONTROL_SUBCOMMANDS, runControlSubcommand } from './control-command.js';
import { renderConfig } from './print-config.js';
import { VERSION } from '../version.js';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const subcommand = CONTROL_SUBCOMMANDS.find((name) => name === argv[0]);
  try {
    if (subcommand !== undefined) {
      process.stdout.write(await runControlSubcommand(subcommand, argv.slice(1), env, cwd));
      return EXIT.OK;
    }
    const loaded = await loadSettings({ argv, env, cwd });
    if (loaded.help) {
      process.stdout.write(renderHelp(VERSION));
      return EXIT.OK;
    }
    if (loaded.version) {
      process.stdout.write(`narwhal ${VERSION} (node ${process.version})\n`);
      return EXIT.OK;
    }
    if (loaded.settings.printConfig) {
      process.stdout.write(renderConfig(loaded));
      return EXIT.OK;
    }
    if (loaded.settings.checkConfig) {
      await checkConfig(loaded, createLogger(loaded.settings).logger);
      return EXIT.OK;
    }
    // A USR2 successor of a daemon is already in the background: it never detaches again.
    if (loaded.settings.daemon && !isDaemonCopy(process.env) && process.env.NARWHAL_PID === undefined) {
      daemonize(loaded.settings.enableStdioInheritance, cwd);
      return EXIT.OK;
    }
    const arbiter = new Arbiter({ loaded, version: VERSION, reloadSettings: () => loadSettings({ argv, env: process.env, cwd }) });
    return await arbiter.run();
  } catch (error) {
    if (isNarwhalError(error)) {
      process.stderr.write(`${formatUserError(error, subcommand === undefined ? 'narwhal' : `narwhal ${subcommand}`)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`narwhal: internal error, please report it:\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.FAILURE;
  }
}

// Design: argv → settings → one of: help, version, print-config, check-config, or the arbiter.
// User errors print one line, `narwhal: <message> [CODE]`, and exit with the code's status;
// anything else is a bug and prints its stack.

import { Arbiter } from '../arbiter/arbiter.js';
import { checkConfig } from '../arbiter/check-config.js';
import { daemonize, isDaemonCopy } from '../arbiter/daemonize.js';
import { loadSettings } from '../config/load-settings.js';
import { EXIT, formatUserError, isNarwhalError } from '../errors.js';
import { createLogger } from '../log/create-logger.js';
import { renderHelp } from './help.js';
import { renderConfig } from './print-config.js';
import { VERSION } from '../version.js';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  try {
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
      process.stderr.write(`${formatUserError(error)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`narwhal: internal error, please report it:\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.FAILURE;
  }
}

// Design: `narwhal ctl [OPTIONS] COMMAND…` and `narwhal status [OPTIONS]`. The socket's path is
// the server's own setting, resolved the same way (--control-socket, NARWHAL_CMD_ARGS, the config
// file, the default), so a narwhal started in a directory is found from that directory without a
// flag. Options are any of narwhal's own, plus `--json`; the other words are the command.

import { NarwhalError } from '../errors.js';
import { loadSettings } from '../config/load-settings.js';
import { flagTakesValue } from './parse-argv.js';
import { controlSocketPath } from '../arbiter/control-socket.js';
import { sendControlCommand } from './control-client.js';
import { renderAnswer, renderStatus } from './control-output.js';
import type { ServerStats } from '../arbiter/control-commands.js';
import type { WorkerStatus } from '../arbiter/worker-status.js';

export const CONTROL_SUBCOMMANDS = ['ctl', 'status'] as const;

/** Runs `narwhal ctl …` (`subcommand` 'ctl') or `narwhal status …`; returns the output to print. */
export async function runControlSubcommand(subcommand: (typeof CONTROL_SUBCOMMANDS)[number], args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const settingsArgv: string[] = [];
  const words: string[] = [];
  let json = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--json') json = true;
    else if (arg.startsWith('-') && arg !== '-') {
      settingsArgv.push(arg);
      if (!arg.includes('=') && flagTakesValue(arg, args[index + 1])) settingsArgv.push(args[++index]!);
    } else words.push(arg);
  }
  if (subcommand === 'status' && words.length > 0) throw new NarwhalError('NARWHAL_E_USAGE', `status takes no command (got "${words.join(' ')}"); run \`narwhal ctl ${words.join(' ')}\``);
  const { settings } = await loadSettings({ argv: settingsArgv, env, cwd });
  const path = controlSocketPath(settings.controlSocket, cwd, false);
  const command = subcommand === 'status' ? ['show', 'all'] : words.length > 0 ? words : ['help'];
  const data = await sendControlCommand(path, command.join(' '));
  if (json) return `${JSON.stringify(subcommand === 'status' ? statusOf(data) : data, null, 2)}\n`;
  if (subcommand === 'status') {
    const { stats, workers } = statusOf(data);
    return renderStatus(stats, workers);
  }
  return renderAnswer(command, data);
}

function statusOf(data: unknown): { stats: ServerStats; workers: WorkerStatus[] } {
  const { stats, workers } = data as { stats: ServerStats; workers: WorkerStatus[] };
  return { stats, workers };
}

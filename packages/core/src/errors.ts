// Design: every error a user can cause has a stable code, an exit status and a documented fix
// (apps/docs/errors.md, checked against this table by test/unit/errors-documented.test.ts).
// The CLI prints `narwhal: <message> [CODE]` for these and a stack trace only for bugs.
// Retired codes must never be reused; list them here when one is retired.

/** Exit statuses of the `narwhal` process, named as Gunicorn names its halts. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  WORKER_BOOT_ERROR: 3,
  APP_LOAD_ERROR: 4,
} as const;

interface ErrorSpec {
  readonly exitCode: number;
  /** What the error means, for apps/docs/errors.md. */
  readonly meaning: string;
  /** What the user does about it, for apps/docs/errors.md. */
  readonly fix: string;
}

export const ERROR_CODES = {
  NARWHAL_E_USAGE: {
    exitCode: EXIT.USAGE,
    meaning: 'The command line is malformed: an unknown option, an option without its value, or no APP.',
    fix: 'Run `narwhal --help` for the options; APP is `MODULE[:EXPORT]`.',
  },
  NARWHAL_E_SETTING: {
    exitCode: EXIT.USAGE,
    meaning:
      'A setting has a value of the wrong type or out of range, from the command line, NARWHAL_CMD_ARGS, the environment or the config file.',
    fix: 'The message names the setting and what it expects; see apps/docs/settings.md.',
  },
  NARWHAL_E_CONFIG_FILE: {
    exitCode: EXIT.USAGE,
    meaning: 'The config file is missing, fails to load, or does not export a plain object of settings.',
    fix: 'Check the path given to `-c`; the file must `export default` an object (use `defineConfig`).',
  },
  NARWHAL_E_APP_NOT_FOUND: {
    exitCode: EXIT.APP_LOAD_ERROR,
    meaning: 'The MODULE part of APP resolves to no file or package.',
    fix: 'Give a path relative to the working directory (`app.js`, `dist/server.mjs`) or an installed package name.',
  },
  NARWHAL_E_APP_EXPORT: {
    exitCode: EXIT.APP_LOAD_ERROR,
    meaning: 'The module has no such export, or the EXPORT part of APP is malformed.',
    fix: 'Name an existing export (`app.js:handler`), or export the app as the default export.',
  },
  NARWHAL_E_APP_INTERFACE: {
    exitCode: EXIT.APP_LOAD_ERROR,
    meaning: 'The export is neither a Node request listener nor a Fetch handler, or does not match `--interface`.',
    fix: 'Export `(req, res) => …`, `(request) => Response`, or an object with a `fetch` method; see the app contracts in the README.',
  },
  NARWHAL_E_APP_LOAD: {
    exitCode: EXIT.APP_LOAD_ERROR,
    meaning: 'The app module threw while it was imported, or its factory threw.',
    fix: 'The message carries the original error; fix the app so that it imports cleanly with `node MODULE`.',
  },
  NARWHAL_E_WORKER_CLASS: {
    exitCode: EXIT.WORKER_BOOT_ERROR,
    meaning: 'The worker class named by `-k` cannot be found or does not implement the WorkerClass contract.',
    fix: 'Install the package the message names (for example `npm i @narwhal/worker-async`) or correct the name.',
  },
  NARWHAL_E_WORKER_BOOT: {
    exitCode: EXIT.WORKER_BOOT_ERROR,
    meaning: 'A worker exited or stopped answering before it reported ready.',
    fix: 'Run the app directly to see why it cannot start; raise `--timeout` if booting is just slow.',
  },
  NARWHAL_E_BIND: {
    exitCode: EXIT.FAILURE,
    meaning: 'A `--bind` address cannot be bound: the port is in use, the address is not local, or permission is denied.',
    fix: 'Stop the other server, or choose another address with `-b`.',
  },
  NARWHAL_E_PIDFILE: {
    exitCode: EXIT.FAILURE,
    meaning: 'The pid file names a process that is still running, or cannot be written.',
    fix: 'Stop the other arbiter, or remove the stale pid file, or choose another `--pid` path.',
  },
  NARWHAL_E_HOOK: {
    exitCode: EXIT.FAILURE,
    meaning: 'A server hook from the config file threw where its failure stops the server (onStarting, whenReady).',
    fix: 'Fix the hook; the message carries its error.',
  },
  NARWHAL_E_ENGINE: {
    exitCode: EXIT.WORKER_BOOT_ERROR,
    meaning: 'The worker class needs a native engine (uWebSockets.js for `-k uws`) and no build of it loads on this Node.js and platform.',
    fix: 'Install the build the message names for your Node.js version and glibc, or use another worker class.',
  },
  NARWHAL_E_PLATFORM: {
    exitCode: EXIT.FAILURE,
    meaning: 'This Node.js build lacks something Narwhal needs (binding a socket without listening on it).',
    fix: 'Use a supported Node.js release (20, 22 or 24).',
  },
  NARWHAL_E_TLS: {
    exitCode: EXIT.USAGE,
    meaning: 'The TLS settings cannot make a secure context: a file is missing or unreadable, the key is not a PEM key (or is encrypted), the key does not match the certificate, the cipher list is unknown, `--keyfile` or `--ca-certs` is given without `--certfile`, or the worker class cannot carry what is asked.',
    fix: 'The message names the setting and the file; check it with `openssl x509 -noout -modulus -in CERT` against `openssl rsa -noout -modulus -in KEY`. See apps/docs/tls.md.',
  },
  NARWHAL_E_CONTROL_SOCKET: {
    exitCode: EXIT.FAILURE,
    meaning: 'The arbiter cannot serve its control socket: another running narwhal holds the `--control-socket` path given, the path is something other than a socket, or its directory cannot be created or written.',
    fix: 'Give this instance its own `--control-socket PATH`, remove what is at the path, or turn the socket off with `--control-socket-disable`. See apps/docs/control.md.',
  },
  NARWHAL_E_CONTROL_UNREACHABLE: {
    exitCode: EXIT.FAILURE,
    meaning: '`narwhal ctl` or `narwhal status` found no narwhal at the control socket path: no file there, a file left by a narwhal that died, or a server that did not answer in time.',
    fix: 'Check that narwhal runs and give the same `--control-socket` (or `-c` config file) it was started with; a narwhal started with `--control-socket-disable` has no socket.',
  },
  NARWHAL_E_CONTROL_DENIED: {
    exitCode: EXIT.FAILURE,
    meaning: 'The control socket exists but this user may not connect to it: it is owner-only (`--control-socket-mode 0600`) and belongs to another user.',
    fix: 'Run the command as the user narwhal runs as (`sudo -u USER narwhal ctl …`), or widen `--control-socket-mode` (0660 and a shared group) on purpose.',
  },
  NARWHAL_E_CONTROL_COMMAND: {
    exitCode: EXIT.USAGE,
    meaning: 'The control command is unknown or malformed (`worker add two`, `show everything`), or names a worker that is not there.',
    fix: 'Run `narwhal ctl help` for the commands: show workers|config|stats|listeners|all, worker add|remove [N], worker kill PID, reload, reopen, shutdown [graceful|quick].',
  },
  NARWHAL_E_WEBSOCKET: {
    exitCode: EXIT.WORKER_BOOT_ERROR,
    meaning: 'The app handles WebSockets (a Fetch app with a `websocket` member, or an exported http.Server with `upgrade` listeners) and the worker class cannot carry them: `sync` and `gthread` serve one request per connection slot and never upgrade, and `uws` has no Node sockets to hand to an app\'s own `upgrade` listeners.',
    fix: 'Serve the app with `-k async` (both kinds) or `-k uws` (the Fetch `websocket` handler). See apps/docs/websockets.md.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the user can fix; the CLI prints its message without a stack. */
export class NarwhalError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NarwhalError';
    this.code = code;
    this.exitCode = ERROR_CODES[code].exitCode;
  }
}

/**
 * True for a NarwhalError, including one thrown by another copy of @narwhal/core
 * (a worker package that installed its own), where `instanceof` fails.
 */
export function isNarwhalError(error: unknown): error is NarwhalError {
  if (error instanceof NarwhalError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code in ERROR_CODES;
}

/** The one line the CLI prints for a user error. */
export function formatUserError(error: NarwhalError, program = 'narwhal'): string {
  return `${program}: ${error.message} [${error.code}]`;
}

/** Warnings: logged, never fatal. Same rules as the error codes. */
export const WARNING_CODES = {
  NARWHAL_W_WORKER_CLASS_VERSION: {
    meaning: 'The worker class declares a range of @narwhal/core versions that the running core is outside of.',
    fix: 'Install matching versions: all @narwhal/* packages are released together, so `npm i @narwhal/core@X @narwhal/worker-NAME@X`.',
  },
  NARWHAL_W_WORKER_CLASS_PEER: {
    meaning: 'The worker class comes from a package that does not declare @narwhal/core as a (peer) dependency, so nothing says which core versions it works with. It is used all the same.',
    fix: 'Ask its author to add `"peerDependencies": { "@narwhal/core": "^X.Y.0" }` (see writing-a-worker-class.md); check that it serves as expected meanwhile.',
  },
} as const satisfies Record<string, Omit<ErrorSpec, 'exitCode'>>;

export type WarningCode = keyof typeof WARNING_CODES;

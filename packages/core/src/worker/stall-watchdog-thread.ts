// Design: the watchdog thread (see stall-watchdog.ts). It sleeps on a timer, and when the main
// loop's stamp is older than the timeout it pauses the main thread through the inspector, reads
// the call frames, resumes it (the arbiter's SIGKILL follows), and logs the stack once per stall.
// A loop blocked in native code (a synchronous system call, Atomics.wait) never reaches a stack
// check, so after a short wait the log says so instead.

import { Session } from 'node:inspector';
import { workerData } from 'node:worker_threads';
import type { Logger } from '../log/create-logger.js';
import { monotonicMs, type WatchdogData } from './stall-watchdog.js';

/** How long a pause may take before the main thread is taken to be outside JavaScript. */
const PAUSE_WAIT_MS = 500;
const MAX_FRAMES = 30;

interface CallFrame {
  readonly functionName: string;
  readonly location: { readonly scriptId: string; readonly lineNumber: number; readonly columnNumber: number };
}

const { stamp, sleep, timeoutMs, pollMs, log: logSettings } = workerData as WatchdogData;
let reportedStamp = -1;
let logger: Logger | undefined;

/**
 * Sleeps in Atomics.wait between looks, which costs less at rest than a timer on this thread's
 * event loop (measured: a 250 ms setInterval took twice the main thread's idle CPU); the loop
 * runs only while a stack is being taken.
 */
function watch(): void {
  for (;;) {
    Atomics.wait(sleep, 0, 0, pollMs);
    const last = stamp[0]!;
    if (last !== reportedStamp && monotonicMs() - last >= timeoutMs - pollMs) {
      reportedStamp = last;
      void report(last).finally(() => setImmediate(watch));
      return;
    }
  }
}
watch();

async function report(last: number): Promise<void> {
  const frames = await captureMainThreadStack();
  const blocked = ((monotonicMs() - last) / 1000).toFixed(1);
  // Loaded and opened now, not at boot: the thread stays small, and the file may have been rotated (USR1) since.
  logger ??= (await import('../log/create-logger.js')).createLogger(logSettings).logger;
  const pid = process.pid;
  if (frames === undefined) logger.error(`Worker (pid:${pid}) event loop blocked for ${blocked}s outside JavaScript (a synchronous system call or native code): no JavaScript stack`);
  else logger.error(`Worker (pid:${pid}) event loop blocked for ${blocked}s; JavaScript stack:\n${frames.join('\n')}`);
}

/** The main thread's stack, as `    at fn (url:line:column)` lines; undefined when it did not pause in time. */
function captureMainThreadStack(): Promise<string[] | undefined> {
  const session = new Session();
  session.connectToMainThread();
  const scripts = new Map<string, string>();
  session.on('Debugger.scriptParsed', (message) => {
    const { scriptId, url } = message.params as { scriptId: string; url: string };
    scripts.set(scriptId, url);
  });
  return new Promise((resolve) => {
    const finish = (frames: string[] | undefined): void => {
      clearTimeout(timer);
      session.post('Debugger.disable', () => session.disconnect());
      resolve(frames);
    };
    const timer = setTimeout(() => finish(undefined), PAUSE_WAIT_MS);
    session.once('Debugger.paused', (message) => {
      const callFrames = (message.params as { callFrames: CallFrame[] }).callFrames;
      const frames = callFrames.slice(0, MAX_FRAMES).map((frame) => {
        const { scriptId, lineNumber, columnNumber } = frame.location;
        return `    at ${frame.functionName || '<anonymous>'} (${scripts.get(scriptId) || `script ${scriptId}`}:${lineNumber + 1}:${columnNumber + 1})`;
      });
      session.post('Debugger.resume', () => finish(frames));
    });
    session.post('Debugger.enable', () => session.post('Debugger.pause'));
  });
}

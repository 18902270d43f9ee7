// Design: V8's optimising compiler (TurboFan) is worth its cost on a hot path, and Narwhal's
// start-up has none: yet Node's module resolution calls a few functions often enough while
// Narwhal's own modules load that V8 optimises them, and the compiler then touches about 3.5 MiB
// of its machine code, which stays in the process's RSS (shared with other node processes, but
// counted in each one's). The arbiter never needs the compiler (it supervises; workers serve). A
// worker turns it back on once its class serves, before it reports ready: loading the app and the
// class's serving modules is start-up too (the NestJS example boots no slower without it:
// 1.5-1.6 s either way), and requests are what the compiler is for.

import { setFlagsFromString } from 'node:v8';

/** Whoever started node asked for no optimising compiler: leave it off. */
const OFF_FROM_START = process.execArgv.some((flag) => flag === '--no-opt' || flag === '--no-turbofan' || flag === '--jitless');

export function pauseOptimisingCompiler(): void {
  setFlagsFromString('--no-opt');
}

export function resumeOptimisingCompiler(): void {
  if (!OFF_FROM_START) setFlagsFromString('--opt');
}

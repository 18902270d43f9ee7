// Design: the worker process's entry, which runs before any of the worker's modules load: it makes
// the shared listener non-blocking again at once (nonblocking-listener.ts: the shorter the window,
// the fewer siblings can block in accept()), and keeps the optimising compiler off while Narwhal's
// own modules load (optimising-compiler.ts). main.ts is the worker.

import { keepListenerNonBlocking } from './nonblocking-listener.js';
import { pauseOptimisingCompiler } from './optimising-compiler.js';

keepListenerNonBlocking();
pauseOptimisingCompiler();
await import('./main.js');

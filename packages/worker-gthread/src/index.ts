// Design: Gunicorn's gthread worker, for Node. Each worker process runs a piscina pool of
// `--threads` worker_threads, each with its own copy of the app; the main thread keeps the
// connections (keep-alive, limits, the access log: core's NodeHttpService) and hands each request
// to the pool; each thread runs one request at a time (with the next one already delivered,
// task-slots.ts), so at most workers × threads requests run at once. Unlike Python's threads
// these run JavaScript in parallel. Requests waiting for a thread are bounded by
// --worker-connections, the cap on open connections: at the cap the worker stops accepting and
// new connections wait in the kernel queue for a sibling.

import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { defineWorkerClass, LLHTTP_REFUSALS, NarwhalError, NodeHttpService, refuseParserLeniency } from '@narwhal/core/worker';
import { Piscina } from 'piscina';
import { poolDispatcher } from './pool-dispatcher.js';
import { WARM_UP, type ThreadData } from './protocol.js';
import { TASKS_PER_THREAD, TaskSlots } from './task-slots.js';
import { freestThreadLag, threadLagTable } from './thread-lag.js';

const THREAD_ENTRY = fileURLToPath(new URL('./thread.js', import.meta.url));

/** `-k gthread`: a pool of `--threads` worker_threads per process, both app contracts. */
export const GthreadWorker = defineWorkerClass({
  name: 'gthread',
  tls: true,
  nativeInterface: 'fetch',
  checkConfig(settings) {
    // Requests are parsed by node:http in the main thread.
    refuseParserLeniency(settings, 'gthread', LLHTTP_REFUSALS);
  },
  async serve(context) {
    const { settings } = context;
    // Every open connection has at most one request in flight; past that, a request runs with piscina's abort.
    const slots = new TaskSlots(settings.workerConnections);
    const cancellations = new BroadcastChannel(`narwhal-gthread-${process.pid}`);
    cancellations.unref();
    const loopStamps = context.loopLag === null ? null : threadLagTable(settings.threads);
    if (loopStamps !== null) context.loopLag!.watch(freestThreadLag(loopStamps));
    const workerData: ThreadData = { app: settings.app!, chdir: settings.chdir, interface: settings.interface, slots: slots.buffer, cancellations: cancellations.name, requestTimeout: settings.requestTimeout, loopStamps };
    const pool = new Piscina({
      filename: THREAD_ENTRY,
      minThreads: settings.threads,
      maxThreads: settings.threads,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      // 'async' keeps each thread's event loop running between tasks, where streamed bodies
      // and the app's own timers live (reference/feasibility.md §4: also the fastest setting).
      atomics: 'async',
      idleTimeout: Infinity,
      maxQueue: Math.max(1, settings.workerConnections),
      workerData,
    });
    pool.on('error', (error: Error) => context.log.error({ err: error }, `A pool thread failed (pid:${process.pid}): ${error.message}`));
    try {
      await Promise.all(Array.from({ length: settings.threads }, () => pool.run(WARM_UP)));
    } catch (error) {
      await pool.destroy();
      throw new NarwhalError('NARWHAL_E_APP_LOAD', `the app failed to load in a gthread thread: ${(error as Error).message}`, { cause: error });
    }
    const dispatcher = poolDispatcher({ pool, slots, log: context.log, requestTimeout: settings.requestTimeout, cancellations });
    const service = new NodeHttpService(context, { maxConnections: settings.workerConnections, keepAlive: true, listener: dispatcher.listener, isQueued: dispatcher.isQueued });
    await service.start();
    return {
      async stop(options) {
        await service.stop(options);
        await pool.destroy();
        cancellations.close();
      },
    };
  },
});

export default GthreadWorker;

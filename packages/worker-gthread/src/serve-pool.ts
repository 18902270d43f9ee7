// A gthread worker's serving half: the pool of `--threads` threads and core's
// NodeHttpService handing each request to it (the design is in index.ts).

import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { NarwhalError, NodeHttpService, type WorkerContext, type WorkerHandle } from '@narwhal/core/worker';
import { poolDispatcher } from './pool-dispatcher.js';
import type { ThreadData } from './protocol.js';
import { TaskSlots } from './task-slots.js';
import { freestThreadLag, threadLagTable } from './thread-lag.js';
import { ThreadPool } from './thread-pool.js';

const THREAD_ENTRY = fileURLToPath(new URL('./thread.js', import.meta.url));

/** Starts the pool and the service; resolves once every thread has loaded the app. */
export async function servePool(context: WorkerContext): Promise<WorkerHandle> {
  const { settings } = context;
  // Every open connection has at most one request in flight; past that, a request runs without a slot.
  const slots = new TaskSlots(settings.workerConnections);
  const cancellations = new BroadcastChannel(`narwhal-gthread-${process.pid}`);
  cancellations.unref();
  const loopStamps = context.loopLag === null ? null : threadLagTable(settings.threads);
  if (loopStamps !== null) context.loopLag!.watch(freestThreadLag(loopStamps));
  const workerData: ThreadData = { app: settings.app!, chdir: settings.chdir, interface: settings.interface, slots: slots.buffer, cancellations: cancellations.name, requestTimeout: settings.requestTimeout, loopStamps };
  const pool = new ThreadPool({ entry: THREAD_ENTRY, size: settings.threads, workerData, log: context.log });
  try {
    await pool.start();
  } catch (error) {
    await pool.destroy();
    throw new NarwhalError('NARWHAL_E_APP_LOAD', `the app failed to load in a gthread thread: ${(error as Error).message}`, { cause: error });
  }
  const dispatcher = poolDispatcher({ pool, slots, log: context.log, requestTimeout: settings.requestTimeout, cancellations });
  const service = new NodeHttpService(context, {
    maxConnections: settings.workerConnections,
    keepAlive: true,
    // A request runs in a pool thread, which has no socket to upgrade.
    refusesWebSockets: true,
    listener: dispatcher.listener,
    isQueued: dispatcher.isQueued,
  });
  await service.start();
  return {
    async stop(options) {
      await service.stop(options);
      await pool.destroy();
      cancellations.close();
    },
  };
}

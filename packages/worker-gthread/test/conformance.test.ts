import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  // The app runs in pool threads, which the heartbeat does not watch: a hung request is ended by --request-timeout (504), and a crash ends only its thread.
  faults: { hang: 'gateway-timeout', crash: 'thread' },
  // A request runs in a pool thread, which has no socket to upgrade.
  refuses: { websockets: true },
  // Every corpus case that reaches the app queues for a pool thread: 48 at once on fresh threads missed the
  // kit's 1 s outcome deadline on a loaded CI machine (42 cases, once); 8 at once keeps the queue short.
  corpusConcurrency: 8,
  skip: {
    'heartbeat-timeout': 'handlers run in worker threads, so app code cannot block the event loop the heartbeat runs on; a request on a stuck thread gets 504 past --request-timeout and the thread is replaced (test/threads.test.ts)',
  },
});

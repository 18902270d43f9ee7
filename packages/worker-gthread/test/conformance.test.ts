import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  skip: {
    'heartbeat-timeout': 'handlers run in worker threads, so app code cannot block the event loop the heartbeat runs on; a stuck thread gets 504 (test/threads.test.ts)',
  },
});

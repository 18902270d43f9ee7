import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

describeConformance({
  workerClass: fileURLToPath(new URL('..', import.meta.url)),
  // uWebSockets.js can neither share a unix socket between processes nor adopt an inherited one.
  refuses: { binds: ['unix', 'fd'] },
});

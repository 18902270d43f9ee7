import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

// Gunicorn's sync model: one request per connection, so no keep-alive and no pipelining.
// `timeout` is each request's deadline: a request the app never answers costs its worker.
describeConformance({ workerClass: fileURLToPath(new URL('..', import.meta.url)), keepAlive: false, faults: { hang: 'worker-killed' }, refuses: { websockets: true } });

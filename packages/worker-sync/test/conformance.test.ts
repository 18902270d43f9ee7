import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

// Gunicorn's sync model: one request per connection, so no keep-alive and no pipelining.
describeConformance({ workerClass: fileURLToPath(new URL('..', import.meta.url)), keepAlive: false });

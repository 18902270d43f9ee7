import { fileURLToPath } from 'node:url';
import { describeConformance } from '@narwhal/conformance';

describeConformance({ workerClass: fileURLToPath(new URL('..', import.meta.url)) });

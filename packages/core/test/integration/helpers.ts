import { kitApp } from '@narwhal/test-utils';

/** An app shipped with the conformance kit (routes-node.mjs, routes-fetch.mjs…), by file name. */
export const fixture = (name: string): string => kitApp(name);

/** `-b 127.0.0.1:0 --log-level info` plus the given arguments: every test takes an ephemeral port. */
export const ephemeral = ['-b', '127.0.0.1:0'];

import { fileURLToPath } from 'node:url';

/** An app from test/fixtures, by file name. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** `-b 127.0.0.1:0 --log-level info` plus the given arguments: every test takes an ephemeral port. */
export const ephemeral = ['-b', '127.0.0.1:0'];

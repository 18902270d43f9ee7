import { defineLibrary } from '@narwhal/tsup-config';

// The thread entry is its own file: the pool loads it by path in every thread.
export default defineLibrary({ entry: { index: 'src/index.ts', thread: 'src/thread.ts' }, external: ['@narwhal/core'] });

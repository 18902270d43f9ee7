import { defineLibrary } from '@narwhal/tsup-config';

export default defineLibrary({ entry: { index: 'src/index.ts' }, external: ['@narwhal/core', 'vitest'] });

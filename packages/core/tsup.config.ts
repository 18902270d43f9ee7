import { defineLibrary } from '@narwhal/tsup-config';

export default defineLibrary({
  entry: {
    index: 'src/index.ts',
    worker: 'src/worker.ts',
    'worker-class': 'src/worker-class.ts',
    cli: 'src/cli.ts',
    'worker-main': 'src/worker/entry.ts',
    'stall-watchdog-thread': 'src/worker/stall-watchdog-thread.ts',
    'module-graph-hooks': 'src/worker/module-graph-hooks.ts',
    'render-docs': 'src/config/render-docs.ts',
  },
});

// The one build preset every public package uses: ESM only, .d.ts beside it, Node 20 target.
import { defineConfig } from 'tsup';

/**
 * @param {{ entry: Record<string, string> | string[], external?: string[] }} options
 */
export function defineLibrary({ entry, external = [] }) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    external,
  });
}

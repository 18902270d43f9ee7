import type { UserConfig } from './types.js';

/** Types a config file: `export default defineConfig({ workers: 4, workerClass: 'async' })`. */
export function defineConfig(config: UserConfig): UserConfig;
export function defineConfig(config: () => UserConfig | Promise<UserConfig>): () => UserConfig | Promise<UserConfig>;
export function defineConfig<T>(config: T): T {
  return config;
}

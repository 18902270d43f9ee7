export function narwhalVitest(overrides?: { include?: string[] }): import('vitest/config').ViteUserConfig;

import { defineConfig } from 'vitest/config';
import { narwhalVitest } from '@narwhal/test-utils/vitest-preset';

const preset = narwhalVitest();

// The global setup packs the public packages and installs them with npm into a fresh project, once
// for every test file (a few tens of seconds with a warm npm cache).
export default defineConfig({ test: { ...preset.test, globalSetup: ['test/npm-project-setup.ts'] } });

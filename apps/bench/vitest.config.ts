import { defineConfig } from 'vitest/config';
import { narwhalVitest } from '@narwhal/test-utils/vitest-preset';

export default defineConfig(narwhalVitest());

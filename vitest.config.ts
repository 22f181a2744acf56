import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '~': path.resolve(__dirname, 'app') } },
  test: {
    include: ['app/**/*.test.{ts,tsx}', 'machines/**/*.test.ts', 'temporal/**/*.test.ts', 'finance/**/*.test.ts', 'ports/**/*.test.ts', 'prisma/**/*.test.ts', 'scripts/**/*.test.ts', 'test-support/**/*.test.ts'],
    exclude: ['node_modules', 'build', 'e2e'],
    globalSetup: ['./scripts/test-env/global-setup.ts'],
    // Integration tests share one Temporal server and one database: run files one after the other.
    fileParallelism: false,
    // A stray .only fails the run instead of quietly skipping the rest.
    allowOnly: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The e2e global teardown removes leftover test stacks; give it time.
    teardownTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/screens/**/*.test.tsx'],
          environment: 'node',
          // Screen tests wait for frames; with every file running at once on two cores, 5 s is short.
          testTimeout: 20_000,
          // Ink renders only a final frame under CI=true (the CLI clears it for the app, see
          // src/cli/main.ts); the screen tests render the app the same way.
          env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Fails the run (never skips) when the engine, registry or fixture images are not ready.
          globalSetup: ['test/e2e/global-setup.ts'],
          environment: 'node',
          // One engine, real ports and volumes: one file at a time, after the unit tests.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

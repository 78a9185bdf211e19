import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['platform/src/**/*.test.ts', 'plugin-sdk/**/*.test.ts', 'test/**/*.test.ts', 'connectors/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start servers and open databases; two cores run two files at a time.
    maxWorkers: 2,
    // CI lists every test by name, so its log shows that the PostgreSQL copies of the suites ran.
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB work is CPU-bound and the machine has two cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
